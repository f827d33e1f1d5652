"""A worker's short message to a group's members or to one meeting's signed-up people.

Each person gets it through the outbox (`queue_message`), which also keeps it as a notice in
the app; the worker learns how many it reached and by which channel, never who. The text is
not written to the audit trail: it may say something personal, and the trail is kept forever.
"""

from flask import current_app
from sqlalchemy import func, select

from peer_groups.audit.models import AuditEvent
from peer_groups.audit.services import record
from peer_groups.auth.models import User
from peer_groups.db import db, utcnow
from peer_groups.domain.errors import DomainError
from peer_groups.domain.group_messages import Reach, may_send, reach_of, window_start
from peer_groups.groups.loading import first_name
from peer_groups.groups.models import GroupMember
from peer_groups.notifications.services import queue_message
from peer_groups.signups.models import Signup
from peer_groups.signups.services import ACTIVE
from peer_groups.urls import external_url

SENT = "group_message.sent"


def group_recipients(group) -> list[User]:
    """The group's members with an account in use."""
    return list(db.session.scalars(
        select(User).join(GroupMember, GroupMember.user_id == User.id)
        .where(GroupMember.group_id == group.id, User.active).order_by(User.id)))


def meeting_recipients(meeting) -> list[User]:
    """Everyone with a place or a turn on the waiting list."""
    return list(db.session.scalars(
        select(User).join(Signup, Signup.user_id == User.id)
        .where(Signup.meeting_id == meeting.id, Signup.status.in_(ACTIVE), User.active)
        .order_by(User.id)))


def sent_recently(actor, now) -> int:
    """How many messages this worker has sent within the limit's window."""
    return db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.actor_id == actor.id, AuditEvent.action == SENT,
        AuditEvent.occurred_at >= window_start(now)))


def send(actor, group, text: str, *, meeting=None, now=None) -> Reach:
    """Queue the message for each recipient; how many it reached, by channel."""
    now = now or utcnow()
    limit = current_app.config["GROUP_MESSAGES_PER_HOUR"]
    if not may_send(sent_recently(actor, now), limit):
        raise DomainError("too_many_messages", limit=limit)
    people = meeting_recipients(meeting) if meeting else group_recipients(group)
    if not people:
        raise DomainError("nobody_to_reach")
    link = (external_url("meetings.show", meeting_id=meeting.id) if meeting
            else external_url("groups.show", group_id=group.id))
    sender = first_name(actor.display_name)
    channels = []
    for person in people:
        queued = queue_message(person, "group_message", group=group, meeting=meeting,
                               sender=sender, text=text, link=link)
        channels.append(getattr(queued, "channel", None))
    reach = reach_of(channels)
    event = record(actor, SENT, obj=meeting or group, area_id=group.area_id,
                   detail=reach.code)
    event.occurred_at = now  # the limit counts by the same clock the send was checked on
    return reach
