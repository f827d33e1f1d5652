"""The register on the worker's phone: each tap is a small form post, safe to repeat."""

from datetime import timedelta

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from peer_groups import unit_of_work
from peer_groups.attendance import queries, services, taps
from peer_groups.attendance.messages import MESSAGES
from peer_groups.audit.queries import viewed_since
from peer_groups.audit.services import record_views
from peer_groups.auth.forms import ConfirmForm
from peer_groups.auth.models import User
from peer_groups.consent import services as consent
from peer_groups.consent.forms import RecordConsentForm
from peer_groups.db import db, utcnow
from peer_groups.domain.consent import Purpose
from peer_groups.domain.errors import DomainError
from peer_groups.domain.register_taps import Outcome, keep_until
from peer_groups.meetings import bp
from peer_groups.meetings.loading import meeting_or_404
from peer_groups.meetings.models import Meeting
from peer_groups.permissions import can, require
from peer_groups.refusals import flash_error, message_for


def back(meeting, anchor=""):
    return redirect(url_for("meetings.register", meeting_id=meeting.id) + anchor)


def member_or_404(meeting, user_id) -> User:
    if not any(m.user_id == user_id for m in meeting.group.members):
        abort(404)
    return db.session.get(User, user_id)


def recently_viewed(meeting) -> bool:
    """The register reloads after every tap: one set of "viewed" events per half hour is
    enough to tell each young person who looked."""
    return viewed_since(current_user.id, "register.viewed", meeting.id,
                        utcnow() - timedelta(minutes=30))


def register_meeting_or_404(meeting_id) -> Meeting:
    """The meeting for its register, refused unless the person may see names."""
    meeting = queries.register_meeting(meeting_id)
    if meeting is None:
        abort(404)
    require("group.see_names", meeting.group)
    return meeting


@bp.route("/<int:meeting_id>/register")
@login_required
def register(meeting_id):
    """Mark who came: by name with consent, otherwise in the headcount."""
    meeting = register_meeting_or_404(meeting_id)
    expected, others = queries.register_rows(meeting)
    if not recently_viewed(meeting):
        record_views(current_user, "register.viewed", [u for u, _, _ in expected + others],
                     obj=meeting, area_id=meeting.group.area_id)
    offline_until = keep_until(meeting.starts_at, utcnow()) if can(
        current_user, "register.keep_offline", meeting.group) else None
    page = render_template("meetings/register.html", meeting=meeting, expected=expected,
                           others=others, form=ConfirmForm(), total=services.total(meeting),
                           offline_until=offline_until,
                           correctable_until=services.correctable_until(meeting), now=utcnow())
    return page, offline_headers(offline_until)


def offline_headers(until) -> dict:
    """Tell the service worker it may keep this page, and until when (the end of the day)."""
    return {"X-Offline-Keep-Until": until.isoformat()} if until else {}


@bp.route("/<int:meeting_id>/register/taps", methods=["POST"])
def send_taps(meeting_id):
    """Taps queued on the worker's phone, sent when the connection returns: each once.

    JSON in and out, the CSRF token in the X-CSRFToken header. Signed out (the session ended
    while the phone was offline) answers 401 with where to sign in; the queue stays.
    """
    if not current_user.is_authenticated:
        register_url = url_for("meetings.register", meeting_id=meeting_id)
        return jsonify(sign_in=url_for("auth.sign_in", next=register_url)), 401
    meeting = meeting_or_404(meeting_id, "register.keep_offline")
    try:
        results = taps.apply_taps(meeting, request.get_json(silent=True), current_user,
                                  now=utcnow())
    except DomainError as refused:
        unit_of_work.rollback()
        return jsonify(error=message_for(refused, MESSAGES)), 400
    return jsonify(results=[tap_answer(result) for result in results],
                   **taps.register_state(meeting))


def tap_answer(result) -> dict:
    told = result.outcome in (Outcome.COUNTED, Outcome.REFUSED)
    return {"key": result.key, "outcome": result.outcome.value, "code": result.code,
            "user_id": result.user_id,
            "message": message_for(DomainError(result.code), MESSAGES) if told else None}


def apply(meeting, change) -> bool:
    """Make the change if the form is sound; say why not if refused. True when made."""
    if not ConfirmForm().validate_on_submit():
        return False
    try:
        change()
    except DomainError as refused:
        unit_of_work.rollback()
        flash_error(refused, MESSAGES)
        return False
    return True


@bp.route("/<int:meeting_id>/register/<int:user_id>", methods=["POST"])
@login_required
def mark(meeting_id, user_id):
    """Present or absent: setting, not toggling, so a repeated tap changes nothing."""
    meeting = meeting_or_404(meeting_id, "group.see_names")
    person = member_or_404(meeting, user_id)
    present = request.form.get("present") == "1"
    apply(meeting, lambda: services.mark(meeting, person, present, current_user))
    return back(meeting, f"#person-{person.id}")


@bp.route("/<int:meeting_id>/register/headcount", methods=["POST"])
@login_required
def headcount(meeting_id):
    """Set the number counted without names (the buttons carry the new number)."""
    meeting = meeting_or_404(meeting_id, "group.see_names")
    try:
        value = int(request.form.get("headcount", ""))
    except ValueError:
        flash(_("Write the headcount as a number."), "error")
        return back(meeting, "#headcount")
    if not 0 <= value <= 500:
        flash(_("Write a number from %(min)s to %(max)s.", min=0, max=500), "error")
        return back(meeting, "#headcount")
    apply(meeting, lambda: services.set_headcount(meeting, value, current_user))
    return back(meeting, "#headcount")


@bp.route("/<int:meeting_id>/register/close", methods=["POST"])
@login_required
def close_register(meeting_id):
    """Close the register; the meeting is then held, with its total."""
    meeting = meeting_or_404(meeting_id, "group.see_names")
    apply(meeting, lambda: services.close(meeting, current_user))
    if meeting.register_closed_at:
        flash(_("The register is closed. Thanks!"), "success")
    return back(meeting)


@bp.route("/<int:meeting_id>/register/reopen", methods=["POST"])
@login_required
def reopen_register(meeting_id):
    """Open a closed register again to correct it, within the days allowed after the
    meeting."""
    meeting = meeting_or_404(meeting_id, "register.reopen")
    if apply(meeting, lambda: services.reopen(meeting, current_user)):
        flash(_("The register is open for corrections. Close it again when you are done."),
              "success")
    return back(meeting)


@bp.route("/<int:meeting_id>/register/<int:user_id>/consent", methods=["GET", "POST"])
@login_required
def record_consent(meeting_id, user_id):
    """The young person says yes out loud: the worker records it, with their own name."""
    meeting = meeting_or_404(meeting_id, "group.see_names")
    person = member_or_404(meeting, user_id)
    form = RecordConsentForm()
    text = consent.current_text(Purpose.ATTENDANCE, person.area_id)
    try:
        services.check_open(meeting)
    except DomainError as refused:
        unit_of_work.rollback()
        flash_error(refused, MESSAGES)
        return back(meeting)
    if form.validate_on_submit():
        consent.answer(person, Purpose.ATTENDANCE, True, by=current_user,
                       understanding_checked=True)
        flash(_("Consent recorded. You can now mark %(name)s by name.",
                name=person.display_name), "success")
        return back(meeting, f"#person-{person.id}")
    record_views(current_user, "consent_form.viewed", [person], obj=meeting,
                 area_id=meeting.group.area_id)
    return render_template("meetings/record_consent.html", meeting=meeting, person=person,
                           form=form, text=text.text_in(person.language))
