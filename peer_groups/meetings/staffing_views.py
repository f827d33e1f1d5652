"""Who works at a meeting, and the hours each of them spent on it."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from peer_groups.auth.forms import ConfirmForm
from peer_groups.domain.roles import FACILITATOR_ROLES
from peer_groups.groups.services import eligible_people
from peer_groups.meetings import bp
from peer_groups.meetings.loading import meeting_or_404
from peer_groups.meetings.models import MeetingStatus
from peer_groups.meetings.staffing_forms import AssignForm, TimeLogForm
from peer_groups.permissions import can
from peer_groups.workload import queries, services
from peer_groups.workload.models import AssignmentRole


@bp.route("/<int:meeting_id>/staff", methods=["GET", "POST"])
@login_required
def assignments(meeting_id):
    """Who works at this meeting: lead, co-facilitator, experience expert."""
    meeting = meeting_or_404(meeting_id, "group.manage")
    form = AssignForm()
    form.user_id.choices = [SelectChoice(u.id, u.display_name)
                            for u in eligible_people(meeting.group.area_id, FACILITATOR_ROLES)]
    if form.validate_on_submit():
        services.assign(current_user, meeting, form.user_id.data,
                        AssignmentRole(form.role.data))
        return redirect(url_for("meetings.assignments", meeting_id=meeting.id))
    current = queries.meeting_staff(meeting.id)
    return render_template("meetings/assignments.html", meeting=meeting, form=form,
                           current=current, remove_form=ConfirmForm(),
                           role_labels={c.value: c.label for c in form.role.choices})


@bp.route("/<int:meeting_id>/staff/<int:user_id>/remove", methods=["POST"])
@login_required
def unassign(meeting_id, user_id):
    """Take a person off the meeting's staff."""
    meeting = meeting_or_404(meeting_id, "group.manage")
    if ConfirmForm().validate_on_submit():
        services.unassign(current_user, meeting, user_id)
    return redirect(url_for("meetings.assignments", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/hours", methods=["GET", "POST"])
@login_required
def log_hours(meeting_id):
    """One short form on the phone: the hours I spent on a held meeting."""
    meeting = meeting_or_404(meeting_id)
    if not current_user.is_staff or not can(current_user, "plan.edit", meeting.group):
        abort(403)
    form = TimeLogForm(obj=queries.time_log(meeting.id, current_user.id))
    if meeting.status is not MeetingStatus.HELD and form.is_submitted():
        form.hours.errors = [_("Hours are logged once the meeting is held.")]
    elif form.validate_on_submit():
        services.log_hours(meeting, current_user, form.hours.data)
        flash(_("Thanks! Your hours are saved."), "success")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return render_template("meetings/log_hours.html", meeting=meeting, form=form)
