"""Who works at a meeting, and the hours each of them spent on it."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import delete, select
from wtforms import SelectChoice

from peer_groups.audit.services import record
from peer_groups.auth.forms import ConfirmForm
from peer_groups.db import db, utcnow
from peer_groups.domain.roles import FACILITATOR_ROLES
from peer_groups.groups.loading import meeting_or_404
from peer_groups.groups.services import eligible_people
from peer_groups.meetings import bp
from peer_groups.meetings.models import MeetingStatus
from peer_groups.permissions import can
from peer_groups.workload.forms import AssignForm, TimeLogForm
from peer_groups.workload.models import AssignmentRole, StaffAssignment, TimeLog


@bp.route("/<int:meeting_id>/staff", methods=["GET", "POST"])
@login_required
def assignments(meeting_id):
    """Who works at this meeting: lead, co-facilitator, experience expert."""
    meeting = meeting_or_404(meeting_id, "group.manage")
    form = AssignForm()
    form.user_id.choices = [SelectChoice(u.id, u.display_name)
                            for u in eligible_people(meeting.group.area_id, FACILITATOR_ROLES)]
    if form.validate_on_submit():
        db.session.execute(delete(StaffAssignment).where(
            StaffAssignment.meeting_id == meeting.id,
            StaffAssignment.user_id == form.user_id.data))
        db.session.add(StaffAssignment(meeting_id=meeting.id, user_id=form.user_id.data,
                                       role=AssignmentRole(form.role.data)))
        record(current_user, "meeting.staff_assigned", obj=meeting,
               area_id=meeting.group.area_id)
        db.session.commit()
        return redirect(url_for("meetings.assignments", meeting_id=meeting.id))
    current = db.session.scalars(select(StaffAssignment)
                                 .where(StaffAssignment.meeting_id == meeting.id)).all()
    return render_template("workload/assignments.html", meeting=meeting, form=form,
                           current=current, remove_form=ConfirmForm(),
                           role_labels={c.value: c.label for c in form.role.choices})


@bp.route("/<int:meeting_id>/staff/<int:user_id>/remove", methods=["POST"])
@login_required
def unassign(meeting_id, user_id):
    meeting = meeting_or_404(meeting_id, "group.manage")
    if ConfirmForm().validate_on_submit():
        db.session.execute(delete(StaffAssignment).where(
            StaffAssignment.meeting_id == meeting.id, StaffAssignment.user_id == user_id))
        record(current_user, "meeting.staff_unassigned", obj=meeting,
               area_id=meeting.group.area_id)
        db.session.commit()
    return redirect(url_for("meetings.assignments", meeting_id=meeting.id))


@bp.route("/<int:meeting_id>/hours", methods=["GET", "POST"])
@login_required
def log_hours(meeting_id):
    """One short form on the phone: the hours I spent on a held meeting."""
    meeting = meeting_or_404(meeting_id)
    if not current_user.is_staff or not can(current_user, "plan.edit", meeting.group):
        abort(403)
    row = db.session.scalar(select(TimeLog).where(TimeLog.meeting_id == meeting.id,
                                                  TimeLog.user_id == current_user.id))
    form = TimeLogForm(obj=row)
    if meeting.status is not MeetingStatus.HELD and form.is_submitted():
        form.hours.errors = [_("Hours are logged once the meeting is held.")]
    elif form.validate_on_submit():
        row = row or TimeLog(meeting_id=meeting.id, user_id=current_user.id)
        row.hours = form.hours.data
        row.logged_at = utcnow()
        db.session.add(row)
        db.session.commit()
        flash(_("Thanks! Your hours are saved."), "success")
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return render_template("workload/log_hours.html", meeting=meeting, form=form)
