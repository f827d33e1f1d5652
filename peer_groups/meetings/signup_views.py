"""Signing up and cancelling from the phone, and the facilitators' list of who comes."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from peer_groups import unit_of_work
from peer_groups.audit.services import record_views
from peer_groups.auth.forms import ConfirmForm
from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain.errors import DomainError
from peer_groups.domain.signups import SignupStatus
from peer_groups.meetings import bp
from peer_groups.meetings.loading import meeting_or_404
from peer_groups.meetings.models import MeetingStatus
from peer_groups.meetings.signup_forms import AddPersonForm, RemovePersonForm
from peer_groups.notifications.channels import how_told
from peer_groups.refusals import flash_error
from peer_groups.signups import services
from peer_groups.signups.messages import MESSAGES


def to_meeting(meeting):
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/signup", methods=["POST"])
@login_required
def signup(meeting_id):
    """One tap: a place, or a turn on the waiting list when it is full."""
    meeting = meeting_or_404(meeting_id, "meeting.sign_up")
    user = current_user._get_current_object()
    try:
        result = services.sign_up(meeting.id, user)
    except DomainError as refused:
        unit_of_work.rollback()
        flash_error(refused, MESSAGES)
        return to_meeting(meeting)
    how = how_told(user)  # the same words as the meeting page and the reminders
    if result.status is SignupStatus.CONFIRMED:
        flash(_("You are signed up. See you there! If anything changes, we tell you %(how)s.",
                how=how), "success")
    else:
        flash(_("The meeting is full, so you are on the waiting list. We will tell you "
                "%(how)s if a place opens.", how=how), "success")
    return to_meeting(meeting)


@bp.route("/<int:meeting_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(meeting_id):
    """Cancel my place (after a confirmation); the next person in line gets it."""
    meeting = meeting_or_404(meeting_id, "meeting.sign_up")
    form = ConfirmForm()
    user = current_user._get_current_object()
    if not form.validate_on_submit():
        if meeting.status is MeetingStatus.CANCELLED:  # nothing to cancel: the list stands
            flash(str(MESSAGES["list_kept"]), "error")
            return to_meeting(meeting)
        mine = services.signup_of(meeting.id, user.id)
        return render_template("meetings/cancel_signup.html", meeting=meeting, form=form,
                               signup=mine)
    try:
        services.cancel_signup(meeting.id, user)
    except DomainError as refused:
        unit_of_work.rollback()
        flash_error(refused, MESSAGES)
        return to_meeting(meeting)
    flash(_("Your sign-up is cancelled. Thanks for letting us know!"), "success")
    return to_meeting(meeting)


def roster(meeting):
    signups = services.meeting_signups(meeting.id)
    grouped = {status: [s for s in signups if s.status is status] for status in SignupStatus}
    active = {s.user_id for s in signups if s.status in services.ACTIVE}
    form = AddPersonForm()
    form.user_id.choices = [SelectChoice(m.user_id, m.user.display_name)
                            for m in meeting.group.members if m.user_id not in active]
    return grouped, form


@bp.route("/<int:meeting_id>/people", methods=["GET", "POST"])
@login_required
def people(meeting_id):
    """Who has a place, who waits and who cancelled; add a member by hand with a reason."""
    meeting = meeting_or_404(meeting_id, "group.see_names")
    grouped, form = roster(meeting)
    if form.validate_on_submit():
        person = db.get_or_404(User, form.user_id.data)
        try:
            services.sign_up(meeting.id, person, by=current_user, reason=form.reason.data)
        except DomainError as refused:
            unit_of_work.rollback()
            flash_error(refused, MESSAGES)
        else:
            flash(_("%(name)s is added.", name=person.display_name), "success")
        return redirect(url_for("meetings.people", meeting_id=meeting.id))
    shown = {signup.user_id for rows in grouped.values() for signup in rows}
    shown.update(choice.value for choice in form.user_id.choices)
    record_views(current_user, "signups.viewed", sorted(shown), obj=meeting,
                 area_id=meeting.group.area_id)
    return render_template("meetings/people.html", meeting=meeting, grouped=grouped, form=form,
                           remove_form=RemovePersonForm(), Status=SignupStatus)


@bp.route("/<int:meeting_id>/people/<int:user_id>/remove", methods=["POST"])
@login_required
def remove_person(meeting_id, user_id):
    """Take a person off the list (with a reason); they are told, and the queue moves."""
    meeting = meeting_or_404(meeting_id, "group.see_names")
    person = db.get_or_404(User, user_id)
    if person.area_id != meeting.group.area_id:
        abort(404)
    form = RemovePersonForm()
    if form.validate_on_submit():
        try:
            services.cancel_signup(meeting.id, person, by=current_user,
                                   reason=form.reason.data)
        except DomainError as refused:
            unit_of_work.rollback()
            flash_error(refused, MESSAGES)
        else:
            flash(_("%(name)s is taken off the list.", name=person.display_name), "success")
    return redirect(url_for("meetings.people", meeting_id=meeting.id))
