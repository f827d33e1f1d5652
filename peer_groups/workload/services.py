"""Changing what the workload model works from: parameters, staff hours, who works at a
meeting, hours spent. Each change is audited; the request commits."""

from sqlalchemy import delete, select

from peer_groups.audit.services import record
from peer_groups.db import db, utcnow
from peer_groups.domain import workload as model
from peer_groups.workload.models import AssignmentRole, ReducedMonth, StaffAssignment, TimeLog
from peer_groups.workload.queries import time_log


def set_area_parameters(actor, area, overrides: dict[str, str], *,
                        experts_count: bool = False) -> None:
    """The area's own values; what is left out keeps the service's default. Whether
    experience experts' hours count as staff time is the area's choice too."""
    area.workload_overrides = overrides
    area.experts_count_as_capacity = bool(experts_count)
    record(actor, "workload.area_parameters_set", obj=area, area_id=area.id)


def set_group_parameters(actor, group, overrides: dict[str, str]) -> None:
    """A group's values that differ from its area's (a smaller group, longer travel)."""
    group.workload_overrides = overrides
    record(actor, "workload.group_parameters_set", obj=group)


def set_peer_hours(actor, person, hours) -> None:
    """The hours a month a worker gives to peer groups."""
    person.monthly_peer_hours = hours
    record(actor, "workload.peer_hours_set", subject=person)


def set_reduced_month(actor, person, month: model.Month, hours) -> None:
    """A month with fewer hours (leave, training): set again, it replaces the earlier one."""
    year, number = month
    row = db.session.scalar(select(ReducedMonth).where(
        ReducedMonth.user_id == person.id, ReducedMonth.year == year,
        ReducedMonth.month == number)) or ReducedMonth(user_id=person.id, year=year,
                                                       month=number)
    row.hours = hours
    db.session.add(row)
    record(actor, "workload.reduced_month_set", subject=person)


def assign(actor, meeting, user_id: int, role: AssignmentRole) -> None:
    """Put a person to work at the meeting in a role; assigning again changes the role."""
    db.session.execute(delete(StaffAssignment).where(
        StaffAssignment.meeting_id == meeting.id, StaffAssignment.user_id == user_id))
    db.session.add(StaffAssignment(meeting_id=meeting.id, user_id=user_id, role=role))
    record(actor, "meeting.staff_assigned", obj=meeting, area_id=meeting.group.area_id)


def unassign(actor, meeting, user_id: int) -> None:
    """Take a person off the meeting's staff."""
    db.session.execute(delete(StaffAssignment).where(
        StaffAssignment.meeting_id == meeting.id, StaffAssignment.user_id == user_id))
    record(actor, "meeting.staff_unassigned", obj=meeting, area_id=meeting.group.area_id)


def log_hours(meeting, person, hours, *, now=None) -> TimeLog:
    """The hours a person spent on a held meeting; logging again replaces them."""
    now = now or utcnow()
    row = time_log(meeting.id, person.id) or TimeLog(meeting_id=meeting.id, user_id=person.id)
    row.hours = hours
    row.logged_at = now
    db.session.add(row)
    return row

