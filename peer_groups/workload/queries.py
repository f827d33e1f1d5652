"""Aggregate in SQL, then hand the numbers to the pure model: a fixed number of queries,
whatever the number of groups and months."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import case, func, select

from peer_groups.areas.models import Area
from peer_groups.attendance.models import Attendance
from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain import workload as model
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import HELSINKI, local_date_of
from peer_groups.domain.signups import SignupStatus
from peer_groups.groups.models import (
    Group,
    GroupFacilitator,
    Meeting,
    MeetingStatus,
    PlanItem,
    PlanKind,
)
from peer_groups.signups.models import Signup
from peer_groups.workload.models import AssignmentRole, ReducedMonth, StaffAssignment, TimeLog


@dataclass(frozen=True)
class Scope:
    """Whose figures: an area, optionally one team, optionally only one worker's groups."""

    area_id: int
    team_id: int | None = None
    facilitator_id: int | None = None


@dataclass
class WorkloadData:
    area: Area
    groups: dict[int, Group]
    meetings: list[model.PlacedMeeting]
    starts: list[model.GroupStart]
    staff: list[model.StaffMember]
    staff_names: dict[int, str]
    area_params: model.WorkloadParameters
    confirmed: dict[int, int]


def month_bounds(first: model.Month, last: model.Month) -> tuple[datetime, datetime]:
    end = model.add_months(last, 1)
    return (datetime(first[0], first[1], 1, tzinfo=HELSINKI),
            datetime.combine(date(end[0], end[1], 1), time(), HELSINKI))


def group_query(scope: Scope):
    query = select(Group).where(Group.area_id == scope.area_id)
    if scope.team_id is not None:
        query = query.where(Group.team_id == scope.team_id)
    if scope.facilitator_id is not None:
        query = query.where(Group.id.in_(select(GroupFacilitator.group_id).where(
            GroupFacilitator.user_id == scope.facilitator_id)))
    return query


def load(scope: Scope, first: model.Month, last: model.Month) -> WorkloadData:
    """Everything the workload view needs for the months [first, last]."""
    area = db.session.get(Area, scope.area_id)
    area_params = model.effective_parameters(area.workload_overrides or {})
    groups = {g.id: g for g in db.session.scalars(group_query(scope))}
    start, end = month_bounds(first, last)
    in_scope = (Meeting.group_id.in_(group_query(scope).with_only_columns(Group.id)),
                Meeting.starts_at >= start, Meeting.starts_at < end,
                Meeting.status != MeetingStatus.CANCELLED)
    # Plain rows, not ORM objects: thousands of meetings load several times faster.
    meetings = db.session.execute(
        select(Meeting.id, Meeting.group_id, Meeting.starts_at, Meeting.ends_at,
               Meeting.status, Meeting.headcount, Meeting.is_outing).where(*in_scope)).all()
    # The other queries filter by the same subquery, not by thousands of bound ids.
    ids = select(Meeting.id).where(*in_scope)
    confirmed = per_meeting(select(Signup.meeting_id, func.count(Signup.id))
                            .where(Signup.meeting_id.in_(ids),
                                   Signup.status == SignupStatus.CONFIRMED)
                            .group_by(Signup.meeting_id))
    named = per_meeting(select(Attendance.meeting_id, func.count(Attendance.id))
                        .where(Attendance.meeting_id.in_(ids), Attendance.present)
                        .group_by(Attendance.meeting_id))
    logged = per_meeting(select(TimeLog.meeting_id, func.sum(TimeLog.hours))
                         .where(TimeLog.meeting_id.in_(ids)).group_by(TimeLog.meeting_id))
    costs = plan_costs(ids)
    assigned = assignments(ids)
    averages = average_attendance(group_query(scope).with_only_columns(Group.id))
    params = {gid: model.with_overrides(area_params, {"target_size": g.target_size},
                                        g.workload_overrides or {})
              for gid, g in groups.items()}
    placed = []
    for meeting in meetings:
        workers, expert = assigned.get(meeting.id, ((), False))
        snack, activity, outing = costs.get(meeting.id, (None, None, False))
        held = meeting.status is MeetingStatus.HELD
        placed.append(model.PlacedMeeting(
            meeting_id=meeting.id, group_id=meeting.group_id,
            month=model.month_of(local_date_of(meeting.starts_at)),
            params=params[meeting.group_id], worker_ids=tuple(workers),
            meeting=model.MeetingInput(
                duration_hours=Decimal(int((meeting.ends_at - meeting.starts_at)
                                           .total_seconds()) // 60) / 60,
                confirmed=confirmed.get(meeting.id, 0), is_outing=meeting.is_outing or outing,
                held=held,
                attendance=(named.get(meeting.id, 0) + meeting.headcount) if held else None,
                logged_hours=Decimal(logged[meeting.id]) if meeting.id in logged else None,
                assigned_staff=len(workers), expert_assigned=expert,
                plan_snack_cost=snack, plan_activity_cost=activity,
                group_average_attendance=averages.get(meeting.group_id))))
    starts = [model.GroupStart(g.id, model.month_of(local_date_of(g.created_at)), params[g.id])
              for g in groups.values()]
    staff, names = staff_of(scope.area_id, first, last)
    return WorkloadData(area, groups, placed, starts, staff, names, area_params, confirmed)


def per_meeting(query) -> dict[int, int]:
    return dict(db.session.execute(query).all())


def plan_costs(ids) -> dict[int, tuple[Decimal | None, Decimal | None, bool]]:
    """Each meeting's own plan costs (snacks, the rest) and whether it has an outing."""
    rows = db.session.execute(
        select(PlanItem.meeting_id,
               func.sum(case((PlanItem.kind == PlanKind.SNACK, PlanItem.cost_cents))),
               func.sum(case((PlanItem.kind != PlanKind.SNACK, PlanItem.cost_cents))),
               func.max(case((PlanItem.kind == PlanKind.OUTING, 1), else_=0)))
        .where(PlanItem.meeting_id.in_(ids)).group_by(PlanItem.meeting_id)).all()
    return {mid: (None if s is None else Decimal(s) / 100,
                  None if a is None else Decimal(a) / 100, bool(o)) for mid, s, a, o in rows}


def assignments(ids) -> dict[int, tuple[list[int], bool]]:
    rows = db.session.execute(select(StaffAssignment.meeting_id, StaffAssignment.user_id,
                                     StaffAssignment.role)
                              .where(StaffAssignment.meeting_id.in_(ids))).all()
    result: dict[int, tuple[list[int], bool]] = {}
    for meeting_id, user_id, role in rows:
        workers, expert = result.get(meeting_id, ([], False))
        if role is AssignmentRole.EXPERT:
            expert = True
        else:
            workers.append(user_id)
        result[meeting_id] = (workers, expert)
    return result


def average_attendance(group_ids) -> dict[int, Decimal]:
    """Each group's average total attendance over its held meetings."""
    held = select(Meeting.id).where(Meeting.group_id.in_(group_ids),
                                    Meeting.status == MeetingStatus.HELD)
    named = (select(Attendance.meeting_id, func.count(Attendance.id).label("n"))
             .where(Attendance.present, Attendance.meeting_id.in_(held))
             .group_by(Attendance.meeting_id).subquery())
    rows = db.session.execute(
        select(Meeting.group_id,
               func.avg(Meeting.headcount + func.coalesce(named.c.n, 0)))
        .outerjoin(named, named.c.meeting_id == Meeting.id)
        .where(Meeting.group_id.in_(group_ids), Meeting.status == MeetingStatus.HELD)
        .group_by(Meeting.group_id)).all()
    return {gid: Decimal(str(round(float(avg), 2))) for gid, avg in rows if avg is not None}


def staff_of(area_id: int, first, last):
    """Workers of the area with their monthly peer hours and reduced months in the range."""
    people = db.session.execute(
        select(User.id, User.display_name, User.monthly_peer_hours)
        .where(User.area_id == area_id, User.active,
               User.role.in_((Role.WORKER, Role.COORDINATOR)))).all()
    reduced: dict[int, dict] = defaultdict(dict)
    for user_id, year, month, hours in db.session.execute(
            select(ReducedMonth.user_id, ReducedMonth.year, ReducedMonth.month,
                   ReducedMonth.hours)
            .join(User, User.id == ReducedMonth.user_id).where(User.area_id == area_id)):
        if first <= (year, month) <= last:
            reduced[user_id][(year, month)] = Decimal(hours)
    staff = [model.StaffMember(uid, Decimal(hours or 0), reduced.get(uid, {}))
             for uid, _, hours in people if hours is not None or uid in reduced]
    return staff, {uid: name for uid, name, _ in people}
