"""One meeting: its page, changing or cancelling it, and its calendar file."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from peer_groups import unit_of_work
from peer_groups.audit.services import record_views
from peer_groups.auth.forms import ConfirmForm
from peer_groups.calendar.ics import meeting_calendar
from peer_groups.consent.forms import DIETS
from peer_groups.consent.services import dietary_totals
from peer_groups.db import utcnow
from peer_groups.domain.errors import DomainError
from peer_groups.domain.roles import Role
from peer_groups.groups import queries
from peer_groups.groups import services as group_services
from peer_groups.groups.forms import CancelForm, MeetingForm
from peer_groups.groups.loading import first_name
from peer_groups.groups.messages import MESSAGES
from peer_groups.meetings import bp, youth_page
from peer_groups.meetings import queries as meeting_queries
from peer_groups.meetings.forms import PLAN_KIND_LABELS, CopyPlanForm, PlanItemForm
from peer_groups.meetings.loading import meeting_or_404
from peer_groups.meetings.models import MeetingStatus
from peer_groups.permissions import can, require
from peer_groups.refusals import flash_error, message_for
from peer_groups.signups import services as signup_services
from peer_groups.urls import external_url

# The picker's value for "the young person already in charge" (never a real user id).
A_YOUNG_PERSON = -1
MEETING_FIELDS = ("venue_name", "venue_address", "venue_accessibility", "is_outing")


def responsible_people(meeting, item=None) -> list[tuple[int, str]]:
    """Who can take care of a plan item, as (value, label) for the picker.

    Those who see names choose among facilitators and members. Experience experts choose
    among the facilitators; a young person already in charge of `item` is offered as
    "A young person" (A_YOUNG_PERSON), so that saving keeps them without showing who.
    """
    group = meeting.group
    staff = [f.user for f in group.facilitators]
    names = can(current_user, "group.see_names", group)
    people = staff + [m.user for m in group.members] if names else staff
    choices = [(p.id, p.display_name if names else first_name(p.display_name)) for p in people]
    # Ids, not users: User equality is Flask-Login's, by session token.
    if item is None or item.responsible_id in {None, *(p.id for p in people)}:
        return choices
    if hides_responsible(item):
        return [*choices, (A_YOUNG_PERSON, _("A young person"))]
    # Left the group since: still offered, so that saving does not silently drop them.
    shown = item.responsible.display_name
    return [*choices, (item.responsible_id, shown if names else first_name(shown))]


def hides_responsible(item) -> bool:
    """The item's responsible person is a young person this viewer may not see by name."""
    return (item is not None and item.responsible is not None
            and not item.responsible.is_staff
            and not can(current_user, "group.see_names", item.meeting.group))


def meeting_page_or_404(meeting_id):
    """The meeting with what the staff's page shows, in a fixed few queries: its group and the
    waiting-list length in one, members with their accounts and the plan with who takes care
    of each item in one more each."""
    found = meeting_queries.meeting_page(meeting_id)
    if found is None:
        abort(404)
    require("group.view", found[0].group)
    return found


@bp.route("/<int:meeting_id>")
@login_required
def show(meeting_id):
    """Date, place, the plan and places left; for staff also the tools to change them.

    Young people (the only ones who sign up and answer feedback) get their own page."""
    if current_user.role is Role.YOUTH:
        return youth_page.show(meeting_id)
    meeting, waiting = meeting_page_or_404(meeting_id)
    context = {"meeting": meeting, "group": meeting.group, "kind_labels": PLAN_KIND_LABELS,
               "waiting": waiting, "restorable": restorable(meeting)}
    if can(current_user, "plan.edit", meeting.group):
        context["diets"] = dietary_totals(meeting)
        context["item_form"] = PlanItemForm(people=responsible_people(meeting))
        copy_form = CopyPlanForm()
        copy_form.source_id.choices = [
            SelectChoice(m.id, format_date(m.starts_at, "long"))
            for m in queries.earlier_meetings_with_plans(meeting)]
        context["copy_form"] = copy_form
    if current_user.is_staff and can(current_user, "group.see_names", meeting.group):
        log_names_shown(meeting, picker="item_form" in context)
    return render_template("meetings/show.html", diet_labels=DIETS, **context)


def restorable(meeting) -> bool:
    """Called off, not started yet, and this person may put it back on."""
    return (meeting.status is MeetingStatus.CANCELLED and meeting.starts_at > utcnow()
            and can(current_user, "meeting.restore", meeting.group))


def log_names_shown(meeting, picker: bool) -> None:
    """Young people named on the page: in charge of a plan item, or in the "who takes care
    of it" picker."""
    shown = {i.responsible_id for i in meeting.plan_items
             if i.responsible is not None and i.responsible.role is Role.YOUTH}
    if picker:
        shown.update(m.user_id for m in meeting.group.members)
    record_views(current_user, "meeting.viewed", sorted(shown), obj=meeting,
                 area_id=meeting.group.area_id)


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id):
    """Change this one meeting's time, place or places; the monthly rule stays as it is."""
    meeting = meeting_or_404(meeting_id, "group.manage")
    form = MeetingForm(obj=meeting)
    if not form.is_submitted():
        form.load_times(meeting.starts_at, meeting.ends_at)
    if form.validate_on_submit():
        try:
            group_services.update_meeting(
                meeting, current_user, day=form.day.data, starts=form.starts.data,
                ends=form.ends.data, capacity=form.capacity.data,
                starts_which=form.which("starts"), ends_which=form.which("ends"),
                **{k: getattr(form, k).data for k in MEETING_FIELDS})
        except DomainError as refused:
            unit_of_work.rollback()
            form.show_refusal(refused, message_for(refused, MESSAGES))
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return render_template("meetings/edit.html", form=form, meeting=meeting)


@bp.route("/<int:meeting_id>/call-off", methods=["GET", "POST"])
@login_required
def call_off(meeting_id):
    """Cancel this meeting with a reason; everyone signed up is told."""
    meeting = meeting_or_404(meeting_id, "group.manage")
    form = CancelForm()
    if form.validate_on_submit():
        try:
            group_services.cancel_meeting(meeting, current_user, form.reason.data)
        except DomainError as refused:
            unit_of_work.rollback()
            form.reason.errors.append(message_for(refused, MESSAGES))
        else:
            flash(_("The meeting is cancelled."), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return render_template("meetings/cancel.html", form=form, meeting=meeting)


@bp.route("/<int:meeting_id>/restore", methods=["GET", "POST"])
@login_required
def restore(meeting_id):
    """Put a called-off meeting back on, after asking: places stay and everyone is told."""
    meeting = meeting_or_404(meeting_id, "meeting.restore")
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("meetings/restore.html", meeting=meeting, form=form,
                               waiting=len(signup_services.waitlist_positions(meeting.id)))
    try:
        group_services.restore_meeting(meeting, current_user)
    except DomainError as refused:
        unit_of_work.rollback()
        flash_error(refused, MESSAGES)
    else:
        flash(_("The meeting is on again. Everyone who was signed up keeps their place and "
                "is told."), "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>.ics")
@login_required
def ics(meeting_id):
    """The meeting as a calendar file for the phone's calendar."""
    meeting = meeting_or_404(meeting_id)
    body = meeting_calendar([meeting], name=meeting.group.name,
                            url_for_meeting=lambda m: external_url("meetings.show",
                                                                   meeting_id=m.id))
    disposition = f'attachment; filename="meeting-{meeting.id}.ics"'
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": disposition})
