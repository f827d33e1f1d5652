"""Reading calendar feeds: a person's link, and the meetings a link shows."""

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from peer_groups.auth.models import User
from peer_groups.calendar.models import CalendarFeed
from peer_groups.db import db
from peer_groups.groups.models import Group, GroupFacilitator, GroupMember
from peer_groups.meetings.models import Meeting


def feed_of(user_id: int) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user_id))


def feed_owner(token: str) -> User | None:
    """The active person whose feed link this is, if any."""
    return db.session.scalar(
        select(User).join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token == token, User.active))


def feed_meetings(owner: User, since: datetime) -> list[Meeting]:
    """Meetings since `since` of the groups the person is in or runs, not archived ones."""
    mine = or_(
        Meeting.group_id.in_(select(GroupMember.group_id).where(GroupMember.user_id == owner.id)),
        Meeting.group_id.in_(
            select(GroupFacilitator.group_id).where(GroupFacilitator.user_id == owner.id)),
    )
    return list(db.session.scalars(
        select(Meeting).join(Group, Group.id == Meeting.group_id)
        .where(mine, Group.archived_at.is_(None), Meeting.starts_at >= since)
        .options(selectinload(Meeting.group), selectinload(Meeting.plan_items))
        .order_by(Meeting.starts_at)))
