"""Read-only questions about groups and meetings, each answered in one query."""

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import contains_eager

from peer_groups.areas.models import Team
from peer_groups.attendance.models import Attendance
from peer_groups.db import db, utcnow
from peer_groups.domain.signups import SignupStatus
from peer_groups.groups.models import Group, GroupFacilitator, GroupMember
from peer_groups.meetings.models import Meeting, MeetingStatus, PlanItem
from peer_groups.meetings.queries import hours_missing
from peer_groups.signups.models import Signup
from peer_groups.workload.models import TimeLog

# Built once (a young person's home asks it on every visit): its cache key is kept.
UPCOMING_FOR_MEMBER = (
    select(Meeting)
    .join(GroupMember, GroupMember.group_id == Meeting.group_id)
    .join(Group, Group.id == Meeting.group_id)
    .where(GroupMember.user_id == bindparam("user_id"), Meeting.ends_at >= bindparam("now"),
           Group.archived_at.is_(None))
    .options(contains_eager(Meeting.group))  # each card shows its group's name
    .order_by(Meeting.starts_at)
    .limit(bindparam("limit"))
)


def upcoming_meetings_for_member(user, limit: int = 12, *, now=None) -> list[Meeting]:
    """The next meetings of every group the young person belongs to, soonest first."""
    return list(db.session.scalars(UPCOMING_FOR_MEMBER, {
        "user_id": user.id, "now": now or utcnow(), "limit": limit}))


def groups_with_next_meeting(*, area_id=None, facilitator_id=None, member_id=None, now=None):
    """Live groups with their next meeting's start (or None), by name: the next one that
    happens, so a called-off meeting is never "the next meeting".

    Either all of an area's groups, or the groups one person facilitates.
    """
    now = now or utcnow()
    next_start = (
        select(Meeting.group_id, func.min(Meeting.starts_at).label("next_start"))
        .where(Meeting.starts_at >= now, Meeting.status != MeetingStatus.CANCELLED)
        .group_by(Meeting.group_id)
        .subquery()
    )
    members = (
        select(GroupMember.group_id, func.count().label("member_count"))
        .group_by(GroupMember.group_id)
        .subquery()
    )
    query = (
        select(Group, next_start.c.next_start, func.coalesce(members.c.member_count, 0))
        .outerjoin(next_start, next_start.c.group_id == Group.id)
        .outerjoin(members, members.c.group_id == Group.id)
        .where(Group.archived_at.is_(None))
        .order_by(Group.name)
    )
    if area_id is not None:
        query = query.where(Group.area_id == area_id)
    if facilitator_id is not None:
        query = query.join(GroupFacilitator, GroupFacilitator.group_id == Group.id).where(
            GroupFacilitator.user_id == facilitator_id
        )
    if member_id is not None:
        query = query.join(GroupMember, GroupMember.group_id == Group.id).where(
            GroupMember.user_id == member_id
        )
    return db.session.execute(query).all()


def area_teams(area_id: int) -> list[Team]:
    return list(db.session.scalars(select(Team).where(Team.area_id == area_id)
                                   .order_by(Team.name)))


def earlier_meetings_with_plans(meeting: Meeting) -> list[Meeting]:
    """Meetings of the same group before this one that have a plan to copy."""
    return list(db.session.scalars(
        select(Meeting)
        .where(Meeting.group_id == meeting.group_id, Meeting.starts_at < meeting.starts_at,
               Meeting.id.in_(select(PlanItem.meeting_id)))
        .order_by(Meeting.starts_at.desc())
        .limit(24)
    ))


def upcoming_group_meetings(group: Group, *, now=None) -> list[Meeting]:
    """The group's planned meetings still to come, soonest first."""
    now = now or utcnow()
    return list(db.session.scalars(
        select(Meeting)
        .where(Meeting.group_id == group.id, Meeting.starts_at >= now,
               Meeting.status == MeetingStatus.PLANNED)
        .order_by(Meeting.starts_at)
    ))


def meeting_rows(group: Group, user_id: int, *, past: bool, now, limit=None, offset=0):
    """The group's coming (soonest first) or past (newest first) meetings, each with what
    the list shows, in one query: (meeting, waiting, plan items, named present, hours logged
    in all, my hours missing)."""
    def count(column, *where):
        return select(func.count(column)).where(*where).scalar_subquery()

    waiting = count(Signup.id, Signup.meeting_id == Meeting.id,
                    Signup.status == SignupStatus.WAITLISTED)
    plan = count(PlanItem.id, PlanItem.meeting_id == Meeting.id)
    present = count(Attendance.id, Attendance.meeting_id == Meeting.id, Attendance.present)
    hours = (select(func.coalesce(func.sum(TimeLog.hours), 0))
             .where(TimeLog.meeting_id == Meeting.id).scalar_subquery())
    query = (select(Meeting, waiting, plan, present, hours,
                    hours_missing(user_id).label("hours_missing"))
             .where(Meeting.group_id == group.id))
    if past:
        query = query.where(Meeting.ends_at < now).order_by(Meeting.starts_at.desc())
    else:
        query = query.where(Meeting.ends_at >= now).order_by(Meeting.starts_at)
    return db.session.execute(query.limit(limit).offset(offset)).all()
