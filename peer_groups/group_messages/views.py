"""Writing a short message to a group's members or one meeting's people: write, check, send."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from peer_groups import unit_of_work
from peer_groups.domain.errors import DomainError
from peer_groups.group_messages import bp, services
from peer_groups.group_messages.forms import GroupMessageForm
from peer_groups.group_messages.messages import MESSAGES
from peer_groups.groups.loading import group_or_404
from peer_groups.meetings.loading import meeting_or_404
from peer_groups.refusals import message_for


@bp.route("/groups/<int:group_id>/message", methods=["GET", "POST"])
@login_required
def to_group(group_id):
    """A message to every member of the group."""
    group = group_or_404(group_id, "group.message")
    return compose(group, None, len(services.group_recipients(group)),
                   url_for("groups.show", group_id=group.id))


@bp.route("/meetings/<int:meeting_id>/message", methods=["GET", "POST"])
@login_required
def to_meeting(meeting_id):
    """A message to everyone with a place or on the waiting list of this meeting."""
    meeting = meeting_or_404(meeting_id, "group.message")
    return compose(meeting.group, meeting, len(services.meeting_recipients(meeting)),
                   url_for("meetings.show", meeting_id=meeting.id))


def compose(group, meeting, count, back):
    """Write (GET), preview ("preview"), back to editing ("edit") or send ("send")."""
    form = GroupMessageForm()
    page = {"form": form, "group": group, "meeting": meeting, "count": count, "back": back}
    action = request.form.get("action")
    if not form.validate_on_submit() or action not in ("preview", "send"):
        return render_template("group_messages/compose.html", **page)
    if action == "preview":
        return render_template("group_messages/preview.html", **page)
    try:
        reach = services.send(current_user, group, form.body.data, meeting=meeting)
    except DomainError as refused:
        unit_of_work.rollback()
        form.body.errors.append(message_for(refused, MESSAGES))
        status = 429 if refused.code == "too_many_messages" else 200
        return render_template("group_messages/compose.html", **page), status
    flash(reach_text(reach), "success")
    return redirect(back)


def reach_text(reach) -> str:
    """"Sent to 8 people: 3 by email, 2 by text message, 3 only in the app." Counts only."""
    parts = [text for n, text in (
        (reach.email, ngettext("%(num)s by email", "%(num)s by email", reach.email)),
        (reach.sms, ngettext("%(num)s by text message", "%(num)s by text message", reach.sms)),
        (reach.app_only, ngettext("%(num)s only in the app", "%(num)s only in the app",
                                  reach.app_only)),
    ) if n]
    return _("%(sent)s: %(channels)s.", channels=", ".join(parts),
             sent=ngettext("Sent to %(num)s person", "Sent to %(num)s people", reach.total))
