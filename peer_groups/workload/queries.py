"""Aggregate in SQL, then hand the numbers to the pure model: a fixed number of queries,
whatever the number of groups and months."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache

from sqlalchemy import Integer, and_, bindparam, case, func, select

from peer_groups.areas.models import Area
from peer_groups.attendance.models import Attendance
from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain import workload as model
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import HELSINKI, local_date_of
from peer_groups.groups.models import Group, GroupFacilitator
from peer_groups.meetings.models import Meeting, MeetingStatus, PlanItem, PlanKind
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
    groups: dict  # id -> row (id, name, created_at, …)
    meetings: list[model.PlacedMeeting]
    starts: list[model.GroupStart]
    staff: list[model.StaffMember]
    staff_names: dict[int, str]
    area_params: model.WorkloadParameters
    starts_at: dict[int, datetime]  # when each meeting begins, for links that name it
    counted_roles: tuple[Role, ...]  # whose hours are the staff time


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


@dataclass
class GroupFigures:
    """The groups of a scope as the estimates need them: each one's effective parameters and
    average attendance (the estimate's basis before anyone signs up)."""

    area: Area
    area_params: model.WorkloadParameters
    groups: dict  # id -> row (id, name, created_at)
    params: dict[int, model.WorkloadParameters]
    averages: dict[int, Decimal]


# Bound values, so that each statement is built once per shape of scope (with or without a
# team, one worker's groups or all) and reused: building one costs more than running it.
BOUND = Scope(bindparam("area_id"), bindparam("team_id"), bindparam("facilitator_id"))
START = bindparam("start", type_=Meeting.__table__.c.starts_at.type)
END = bindparam("end", type_=Meeting.__table__.c.starts_at.type)
SMALL = bindparam("small", type_=Integer())


def shape(scope: Scope) -> tuple[bool, bool]:
    return scope.team_id is not None, scope.facilitator_id is not None


def bound_scope(team: bool, mine: bool) -> Scope:
    return Scope(BOUND.area_id, BOUND.team_id if team else None,
                 BOUND.facilitator_id if mine else None)


def values(scope: Scope, **more) -> dict:
    return {"area_id": scope.area_id, "team_id": scope.team_id,
            "facilitator_id": scope.facilitator_id, **more}


def rows_of(statement, parameters: dict | None = None) -> list:
    """Plain rows through the session's connection: no ORM row handling on the way."""
    return db.session.connection().execute(statement, parameters).all()


@cache
def groups_statement(team: bool, mine: bool):
    scope = bound_scope(team, mine)
    averages = average_attendance(group_query(scope).with_only_columns(Group.id),
                                  SMALL).subquery()
    return (group_query(scope)
            .with_only_columns(Group.id, Group.name, Group.created_at, Group.target_size,
                               Group.workload_overrides, averages.c.average)
            .outerjoin(averages, averages.c.group_id == Group.id))


def group_figures(scope: Scope, count_small_as: int = 0) -> GroupFigures:
    """The scope's groups with their parameters and average attendance, in one query."""
    area = db.session.get(Area, scope.area_id)
    area_params = model.effective_parameters(area.workload_overrides or {})
    groups, params, group_averages, made = {}, {}, {}, {}
    for row in rows_of(groups_statement(*shape(scope)), values(scope, small=count_small_as)):
        groups[row.id] = row
        # Most groups share their settings: each distinct set is worked out once.
        key = (row.target_size, repr(sorted((row.workload_overrides or {}).items())))
        if key not in made:
            made[key] = model.group_parameters(area_params, row.target_size,
                                               row.workload_overrides)
        params[row.id] = made[key]
        if row.average is not None:
            group_averages[row.id] = Decimal(str(round(float(row.average), 2)))
    return GroupFigures(area, area_params, groups, params, group_averages)


def duration_hours(starts_at: datetime, ends_at: datetime) -> Decimal:
    """A meeting's length in hours, to the minute."""
    return Decimal(int((ends_at - starts_at).total_seconds()) // 60) / 60


def confirmed_places():
    """Confirmed sign-ups of a meeting, from its places taken (`Meeting.taken`): every place
    is taken with a confirmed sign-up and given back when it ends (signups.services), except
    the places of past sign-ups made anonymous, which stay taken and are counted in
    `anonymous_signups` (privacy.services). So no sign-up rows need counting."""
    return Meeting.taken - Meeting.anonymous_signups


@cache
def meeting_statements(team: bool, mine: bool):
    """The scope's meetings in the months, not called off, each with its totals; and their
    staff."""
    in_scope = (Meeting.group_id.in_(group_query(bound_scope(team, mine))
                                     .with_only_columns(Group.id)),
                Meeting.starts_at >= START, Meeting.starts_at < END,
                Meeting.status != MeetingStatus.CANCELLED)
    # The per-meeting totals are grouped subqueries joined to the meetings, filtered by the
    # same subquery rather than thousands of bound ids.
    ids = select(Meeting.id).where(*in_scope)
    totals = meeting_totals(ids)
    columns = [totals[name].c.value.label(name) for name in TOTALS]
    query = select(Meeting.id, Meeting.group_id, Meeting.starts_at, Meeting.ends_at,
                   Meeting.status, Meeting.headcount, Meeting.is_outing,
                   confirmed_places().label("confirmed"), *columns,
                   totals["plan"].c.snack, totals["plan"].c.activity, totals["plan"].c.outing)
    for name in (*TOTALS, "plan"):
        query = query.outerjoin(totals[name], totals[name].c.meeting_id == Meeting.id)
    staff = select(StaffAssignment.meeting_id, StaffAssignment.user_id,
                   StaffAssignment.role).where(StaffAssignment.meeting_id.in_(ids))
    # In time order, so the page's lists (meetings short of staff) read the same every time.
    return query.where(*in_scope).order_by(Meeting.starts_at, Meeting.id), staff


def load(scope: Scope, first: model.Month, last: model.Month,
         count_small_as: int = 0) -> WorkloadData:
    """Everything the workload view needs for the months [first, last], in five queries.

    With `count_small_as` (the small-number threshold, for readers outside the groups) a
    meeting with fewer young people counts as that many in every figure worked out from it.
    """
    found = group_figures(scope, count_small_as)
    start, end = month_bounds(first, last)
    meetings_statement, assignments_statement = meeting_statements(*shape(scope))
    parameters = values(scope, start=start, end=end)
    meetings = rows_of(meetings_statement, parameters)
    assigned = assignments(rows_of(assignments_statement, parameters))
    params, averages = found.params, found.averages
    placed = []
    starts_at = {row.id: row.starts_at for row in meetings}
    # Many meetings share a start (so a local month) and a length: each worked out once.
    months: dict = {}
    lengths: dict = {}
    for row in meetings:
        if row.group_id not in params:
            # Its group joined the scope after the groups were read (on PostgreSQL each
            # statement sees what was committed before it): counted as the groups were.
            continue
        workers, expert = assigned.get(row.id, ((), False))
        held = row.status is MeetingStatus.HELD
        month = months.get(row.starts_at)
        if month is None:
            month = months[row.starts_at] = model.month_of(local_date_of(row.starts_at))
        length = lengths.get(row.ends_at - row.starts_at)
        if length is None:
            length = lengths[row.ends_at - row.starts_at] = duration_hours(row.starts_at,
                                                                           row.ends_at)
        placed.append(model.PlacedMeeting(
            meeting_id=row.id, group_id=row.group_id, month=month,
            params=params[row.group_id], worker_ids=tuple(workers),
            meeting=model.MeetingInput(
                duration_hours=length, confirmed=row.confirmed or 0,
                is_outing=row.is_outing or bool(row.outing), held=held,
                attendance=((row.named or 0) + row.headcount) if held else None,
                logged_hours=None if row.logged is None else Decimal(row.logged),
                assigned_staff=len(workers), expert_assigned=expert,
                plan_snack_cost=cents(row.snack), plan_activity_cost=cents(row.activity),
                group_average_attendance=averages.get(row.group_id),
                count_small_as=count_small_as)))
    starts = [model.GroupStart(g.id, model.month_of(local_date_of(g.created_at)), params[g.id])
              for g in found.groups.values()]
    roles = model.capacity_roles(found.area.experts_count_as_capacity)
    staff, names = staff_of(scope, roles, first, last)
    return WorkloadData(found.area, found.groups, placed, starts, staff, names,
                        found.area_params, starts_at, roles)


TOTALS = ("named", "logged")


def meeting_totals(ids) -> dict:
    """Grouped subqueries, one row per meeting: named attendance, logged hours, and the plan's
    costs (snacks, the rest) and whether it has an outing."""
    def grouped(meeting_id, value, *where):
        return (select(meeting_id.label("meeting_id"), value.label("value"))
                .where(meeting_id.in_(ids), *where).group_by(meeting_id).subquery())

    plan = (select(PlanItem.meeting_id.label("meeting_id"),
                   func.sum(case((PlanItem.kind == PlanKind.SNACK, PlanItem.cost_cents)))
                   .label("snack"),
                   func.sum(case((PlanItem.kind != PlanKind.SNACK, PlanItem.cost_cents)))
                   .label("activity"),
                   func.max(case((PlanItem.kind == PlanKind.OUTING, 1), else_=0))
                   .label("outing"))
            .where(PlanItem.meeting_id.in_(ids)).group_by(PlanItem.meeting_id).subquery())
    return {
        "named": grouped(Attendance.meeting_id, func.count(Attendance.id), Attendance.present),
        "logged": grouped(TimeLog.meeting_id, func.sum(TimeLog.hours)),
        "plan": plan,
    }


def cents(total) -> Decimal | None:
    return None if total is None else Decimal(total) / 100


def assignments(rows) -> dict[int, tuple[list[int], bool]]:
    """Each meeting's workers, and whether an experience expert is there, from its staff."""
    result: dict[int, tuple[list[int], bool]] = {}
    for meeting_id, user_id, role in rows:
        workers, expert = result.get(meeting_id, ([], False))
        if role is AssignmentRole.EXPERT:
            expert = True
        else:
            workers.append(user_id)
        result[meeting_id] = (workers, expert)
    return result


def average_attendance(group_ids, count_small_as: int = 0):
    """Each group's average total attendance over its held meetings (a query to join).

    A small meeting counts as `count_small_as` here too: else the average, times the held
    meetings, minus the ones shown, would give back the one shown as "< 5".
    """
    held = select(Meeting.id).where(Meeting.group_id.in_(group_ids),
                                    Meeting.status == MeetingStatus.HELD)
    named = (select(Attendance.meeting_id, func.count(Attendance.id).label("n"))
             .where(Attendance.present, Attendance.meeting_id.in_(held))
             .group_by(Attendance.meeting_id).subquery())
    total = Meeting.headcount + func.coalesce(named.c.n, 0)
    counted = case((and_(total > 0, total < count_small_as), count_small_as), else_=total)
    return (select(Meeting.group_id.label("group_id"), func.avg(counted).label("average"))
            .outerjoin(named, named.c.meeting_id == Meeting.id)
            .where(Meeting.group_id.in_(group_ids), Meeting.status == MeetingStatus.HELD)
            .group_by(Meeting.group_id))


def staff_query(scope: Scope, roles):
    """The people whose hours are the scope's staff time: of the area, in the roles that run
    groups; of one team, its members; of one worker's groups, those who run them."""
    query = select(User.id).where(User.area_id == scope.area_id, User.active,
                                  User.role.in_(roles))
    if scope.team_id is not None:
        query = query.where(User.team_id == scope.team_id)
    if scope.facilitator_id is not None:
        query = query.where(User.id.in_(select(GroupFacilitator.user_id).where(
            GroupFacilitator.group_id.in_(group_query(scope).with_only_columns(Group.id)))))
    return query


@cache
def staff_statement(team: bool, mine: bool, roles):
    return (select(User.id, User.display_name, User.monthly_peer_hours, ReducedMonth.year,
                   ReducedMonth.month, ReducedMonth.hours)
            .outerjoin(ReducedMonth, ReducedMonth.user_id == User.id)
            .where(User.id.in_(staff_query(bound_scope(team, mine), roles)))
            .order_by(User.id))


def staff_of(scope: Scope, roles, first, last):
    """The scope's staff with their monthly peer hours and reduced months in the range."""
    rows = rows_of(staff_statement(*shape(scope), tuple(roles)), values(scope))
    names, hours_of, reduced = {}, {}, defaultdict(dict)
    for user_id, name, hours, year, month, reduced_hours in rows:
        names[user_id], hours_of[user_id] = name, hours
        if year is not None and first <= (year, month) <= last:
            reduced[user_id][(year, month)] = Decimal(reduced_hours)
    staff = [model.StaffMember(uid, Decimal(hours or 0), reduced.get(uid, {}))
             for uid, hours in hours_of.items() if hours is not None or uid in reduced]
    return staff, names


def reduced_months(user_id: int) -> list[ReducedMonth]:
    """A worker's months with fewer hours, in order."""
    return list(db.session.scalars(select(ReducedMonth).where(ReducedMonth.user_id == user_id)
                                   .order_by(ReducedMonth.year, ReducedMonth.month)))


def meeting_staff(meeting_id: int) -> list[StaffAssignment]:
    """Who works at the meeting, in which role."""
    return list(db.session.scalars(select(StaffAssignment)
                                   .where(StaffAssignment.meeting_id == meeting_id)))


def time_log(meeting_id: int, user_id: int) -> TimeLog | None:
    """The hours a person logged on a meeting, if any."""
    return db.session.scalar(select(TimeLog).where(TimeLog.meeting_id == meeting_id,
                                                   TimeLog.user_id == user_id))
