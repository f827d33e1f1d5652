"""What the peer groups achieved in a period, from aggregate queries only: no names."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from peer_groups.attendance.models import Attendance
from peer_groups.auth.models import User
from peer_groups.consent.models import ConsentAnswer
from peer_groups.consent.services import consenting
from peer_groups.db import db
from peer_groups.domain import workload as model
from peer_groups.domain.consent import Purpose
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import HELSINKI, local_date_of
from peer_groups.feedback.models import FeedbackAnswer
from peer_groups.groups.models import Group, GroupMember
from peer_groups.meetings.models import Meeting, MeetingStatus, PlanItem, PlanKind
from peer_groups.suggestions.models import Suggestion, SuggestionStatus
from peer_groups.workload import queries as workload
from peer_groups.workload.models import AssignmentRole, StaffAssignment, TimeLog


@dataclass
class Row:
    """One group in one month (or, for totals, the whole period)."""

    planned: int = 0
    held: int = 0
    cancelled: int = 0
    attendance: int = 0
    signups_of_held: int = 0
    named_people: set = field(default_factory=set)
    estimated_hours: Decimal = Decimal(0)
    logged_hours: Decimal = Decimal(0)

    @property
    def meetings(self) -> int:
        return self.planned + self.held + self.cancelled

    @property
    def average(self) -> Decimal | None:
        return Decimal(self.attendance) / self.held if self.held else None

    @property
    def show_share(self) -> Decimal | None:
        return (Decimal(self.attendance) / self.signups_of_held
                if self.signups_of_held else None)


@dataclass
class Figures:
    total: Row
    rows: dict[tuple[int, model.Month], Row]
    months: dict[model.Month, Row]
    returning: int
    suggestions: int
    suggestions_adopted: int
    youth_responsible_meetings: int
    expert_meetings: int
    members: int
    consent_shares: dict[str, Decimal | None]
    consent_given: dict[str, int]


def bounds(first: date, last: date) -> tuple[datetime, datetime]:
    return (datetime.combine(first, time(), HELSINKI),
            datetime.combine(last + timedelta(days=1), time(), HELSINKI))


def figures(scope: workload.Scope, first: date, last: date, count_small_as: int = 0) -> Figures:
    """The period's figures; estimated hours count small meetings up to `count_small_as`."""
    groups = select(workload.group_query(scope).subquery().c.id)
    start, end = bounds(first, last)
    in_period = (Meeting.group_id.in_(groups), Meeting.starts_at >= start,
                 Meeting.starts_at < end)
    ids = select(Meeting.id).where(*in_period)  # a subquery, not thousands of bound ids
    outing = (select(PlanItem.meeting_id).where(PlanItem.meeting_id == Meeting.id,
                                                PlanItem.kind == PlanKind.OUTING)
              .exists().label("outing"))
    # Plain rows (not ORM ones): a big area's year is thousands of meetings. Its places
    # taken are its confirmed sign-ups, the anonymous ones included (workload.confirmed_places).
    meetings = workload.rows_of(
        select(Meeting.id, Meeting.group_id, Meeting.starts_at, Meeting.ends_at,
               Meeting.status, Meeting.headcount, Meeting.taken, Meeting.anonymous_signups,
               Meeting.is_outing, outing).where(*in_period))
    named = defaultdict(set)
    for meeting_id, user_id in workload.rows_of(
            select(Attendance.meeting_id, Attendance.user_id)
            .where(Attendance.meeting_id.in_(ids), Attendance.present)):
        named[meeting_id].add(user_id)
    logged = dict(workload.rows_of(
        select(TimeLog.meeting_id, func.sum(TimeLog.hours))
        .where(TimeLog.meeting_id.in_(ids)).group_by(TimeLog.meeting_id)))
    found = workload.group_figures(scope, count_small_as)
    # On PostgreSQL each statement sees what was committed before it: a group that left the
    # scope between reading its meetings and the groups is counted as the groups were read.
    meetings = [meeting for meeting in meetings if meeting.group_id in found.params]
    estimates = estimated_hours(found, meetings, count_small_as)
    total, rows, months = Row(), defaultdict(Row), defaultdict(Row)
    month_of_start: dict = {}  # many meetings start at the same moment
    for meeting in meetings:
        month = month_of_start.get(meeting.starts_at)
        if month is None:
            month = month_of_start[meeting.starts_at] = model.month_of(
                local_date_of(meeting.starts_at))
        add((total, rows[(meeting.group_id, month)], months[month]), meeting, named, logged,
            estimates)
    people_meetings = defaultdict(int)
    for people in named.values():
        for person in people:
            people_meetings[person] += 1
    every_month = {}
    month, end_month = model.month_of(first), model.month_of(last)
    while month <= end_month:  # months without meetings too: the chart's months stay even
        every_month[month] = months.get(month, Row())
        month = model.add_months(month, 1)
    return Figures(
        total=total, rows=dict(rows), months=every_month,
        returning=sum(1 for count in people_meetings.values() if count >= 2),
        **participation(groups, ids, start, end), **consent_shares(groups))


NOBODY = frozenset()


def add(rows, meeting, named, logged, estimates):
    """Count one meeting into each of `rows` (the period's, its group's month, its month)."""
    if meeting.status is MeetingStatus.CANCELLED:
        for row in rows:
            row.cancelled += 1
        return
    hours = estimates[meeting.id]
    if meeting.status is MeetingStatus.HELD:
        people = named.get(meeting.id, NOBODY)
        attendance = len(people) + meeting.headcount
        logged_hours = Decimal(logged.get(meeting.id, 0))
        for row in rows:
            row.estimated_hours += hours
            row.held += 1
            row.attendance += attendance
            row.signups_of_held += meeting.taken  # the anonymous sign-ups are among the taken
            row.named_people |= people
            row.logged_hours += logged_hours
    else:
        for row in rows:
            row.estimated_hours += hours
            row.planned += 1


def estimated_hours(found: workload.GroupFigures, meetings,
                    count_small_as: int = 0) -> dict[int, Decimal]:
    """Each meeting's estimated staff hours, from the workload model, as the workload view
    works them out (from sign-ups, also for a held meeting), from the rows already loaded."""
    hours, known = {}, {}
    for meeting in meetings:
        if meeting.status is MeetingStatus.CANCELLED:
            continue
        confirmed = meeting.taken - meeting.anonymous_signups
        params = found.params[meeting.group_id]
        # Only what the hours depend on, so that meetings alike share one estimate; the
        # group's average counts only while nobody has signed up.
        average = None if confirmed else found.averages.get(meeting.group_id)
        outing = bool(meeting.is_outing or meeting.outing)
        key = (meeting.ends_at - meeting.starts_at, confirmed, outing, id(params), average)
        if key not in known:
            known[key] = model.estimate_meeting(model.MeetingInput(
                duration_hours=workload.duration_hours(meeting.starts_at, meeting.ends_at),
                confirmed=confirmed, is_outing=outing, group_average_attendance=average,
                count_small_as=count_small_as), params).hours
        hours[meeting.id] = known[key]
    return hours


def participation(groups, ids, start, end) -> dict:
    made = db.session.execute(
        select(func.count(Suggestion.id),
               func.count(Suggestion.id).filter(Suggestion.status == SuggestionStatus.ADOPTED))
        .where(Suggestion.group_id.in_(groups), Suggestion.created_at >= start,
               Suggestion.created_at < end)).one()
    youth_responsible = db.session.scalar(
        select(func.count(func.distinct(PlanItem.meeting_id)))
        .join(User, User.id == PlanItem.responsible_id)
        .where(PlanItem.meeting_id.in_(ids), User.role == Role.YOUTH))
    experts = db.session.scalar(
        select(func.count(func.distinct(StaffAssignment.meeting_id)))
        .where(StaffAssignment.meeting_id.in_(ids),
               StaffAssignment.role == AssignmentRole.EXPERT))
    return {"suggestions": made[0], "suggestions_adopted": made[1],
            "youth_responsible_meetings": youth_responsible, "expert_meetings": experts}


def consent_shares(groups) -> dict:
    members = select(func.distinct(GroupMember.user_id)).where(GroupMember.group_id.in_(groups))
    count = db.session.scalar(select(func.count()).select_from(members.subquery()))
    shares, given_counts = {}, {}
    for purpose in Purpose:
        given = db.session.scalar(select(func.count()).select_from(
            consenting(purpose).where(ConsentAnswer.user_id.in_(members)).subquery()))
        shares[purpose.value] = Decimal(given) / count if count else None
        given_counts[purpose.value] = given
    return {"members": count, "consent_shares": shares, "consent_given": given_counts}


def feedback_answers(scope: workload.Scope, first: date,
                     last: date) -> dict[tuple[int, model.Month], list[tuple[int, str]]]:
    """Each group's and month's anonymous answers (how it was, would come again), of held
    meetings."""
    groups = select(workload.group_query(scope).subquery().c.id)
    start, end = bounds(first, last)
    months = defaultdict(list)
    for group_id, starts_at, rating, again in db.session.execute(
            select(Meeting.group_id, Meeting.starts_at, FeedbackAnswer.rating,
                   FeedbackAnswer.again)
            .join(Meeting, Meeting.id == FeedbackAnswer.meeting_id)
            .where(Meeting.group_id.in_(groups), Meeting.starts_at >= start,
                   Meeting.starts_at < end, Meeting.status == MeetingStatus.HELD)):
        months[(group_id, model.month_of(local_date_of(starts_at)))].append(
            (rating, str(again)))
    return dict(months)


def by_month(answers: dict) -> dict[model.Month, list[tuple[int, str]]]:
    months = defaultdict(list)
    for (_group_id, month), those in answers.items():
        months[month].extend(those)
    return dict(months)


def group_names(area_id: int) -> dict[int, str]:
    """Each of the area's groups by id, for the exported table."""
    return dict(db.session.execute(
        select(Group.id, Group.name).where(Group.area_id == area_id)).all())
