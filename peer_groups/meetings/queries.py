"""Reading meetings for their pages and a facilitator's home, each in a fixed few queries."""

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from peer_groups.db import db
from peer_groups.domain.signups import SignupStatus
from peer_groups.groups.models import Group, GroupFacilitator, GroupMember
from peer_groups.meetings.models import Meeting, MeetingStatus, PlanItem
from peer_groups.signups.models import Signup
from peer_groups.workload.models import StaffAssignment, TimeLog


def meeting_page(meeting_id: int):
    """(meeting, waiting-list length) or None for the staff's page: its group and the waiting
    list in one query, members with their accounts (staff see names) and the plan with who
    takes care of each item in one more each. Young people's page: youth_page.py."""
    waiting = (select(func.count(Signup.id))
               .where(Signup.meeting_id == Meeting.id, Signup.status == SignupStatus.WAITLISTED)
               .scalar_subquery())
    return db.session.execute(
        select(Meeting, waiting).where(Meeting.id == meeting_id).options(
            joinedload(Meeting.group).options(
                selectinload(Group.members).selectinload(GroupMember.user)),
            selectinload(Meeting.plan_items).joinedload(PlanItem.responsible))).first()


def my_day(user_id: int, day_start, day_end, *, limit: int = 6) -> tuple[list, Meeting | None]:
    """(today's meetings, the next one after today) of the groups this person facilitates,
    in one query: cancelled ones left out, each with its group."""
    found = list(db.session.scalars(
        select(Meeting)
        .join(Group, Group.id == Meeting.group_id)
        .join(GroupFacilitator, GroupFacilitator.group_id == Group.id)
        .where(GroupFacilitator.user_id == user_id, Group.archived_at.is_(None),
               Meeting.starts_at >= day_start, Meeting.status != MeetingStatus.CANCELLED)
        .options(contains_eager(Meeting.group))
        .order_by(Meeting.starts_at)
        .limit(limit)))
    today = [m for m in found if m.starts_at < day_end]
    later = [m for m in found if m.starts_at >= day_end]
    return today, (later[0] if later else None)


def hours_missing(user_id: int):
    """True for a held meeting this person worked at (on its staff, or, when nobody was put
    on it, a facilitator of its group) and has not logged hours for."""
    mine = exists().where(TimeLog.meeting_id == Meeting.id, TimeLog.user_id == user_id)
    assigned = exists().where(StaffAssignment.meeting_id == Meeting.id,
                              StaffAssignment.user_id == user_id)
    anyone = exists().where(StaffAssignment.meeting_id == Meeting.id)
    link = aliased(GroupFacilitator)  # not the outer query's join, if it has one
    facilitates = exists().where(link.group_id == Meeting.group_id, link.user_id == user_id)
    return and_(Meeting.status == MeetingStatus.HELD, ~mine,
                or_(assigned, and_(~anyone, facilitates)))


def needs_you(user_id: int, before, *, closes_registers: bool, limit: int = 10):
    """Past meetings (starting before `before`) of this person's groups that wait for them:
    (meeting, register still open, my hours missing), newest first, in one query.

    Only those who may open the register (not experience experts) are asked to close it.
    """
    missing = hours_missing(user_id)
    register_open = and_(Meeting.register_closed_at.is_(None),
                         Meeting.status != MeetingStatus.CANCELLED)
    waiting = or_(register_open, missing) if closes_registers else missing
    return db.session.execute(
        select(Meeting, register_open.label("register_open"), missing.label("hours_missing"))
        .join(Group, Group.id == Meeting.group_id)
        .join(GroupFacilitator, GroupFacilitator.group_id == Group.id)
        .where(GroupFacilitator.user_id == user_id, Group.archived_at.is_(None),
               Meeting.starts_at < before, Meeting.status != MeetingStatus.CANCELLED, waiting)
        .options(contains_eager(Meeting.group))
        .order_by(Meeting.starts_at.desc())
        .limit(limit)).all()
