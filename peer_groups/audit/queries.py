"""Reading the audit trail: an area's events, newest first, with the names involved."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, select
from sqlalchemy.orm import aliased

from peer_groups.audit.models import AuditEvent
from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain.schedule import HELSINKI
from peer_groups.meetings.models import Meeting


def area_events(area_id: int, *, action: str = "", person: str = "",
                start: date | None = None, end: date | None = None, limit: int = 100,
                offset: int = 0):
    """(event, actor's name, subject's name, subject's role, the meeting's start if the event
    is about a meeting) rows matching the filters; `person` is part of a name, by or about."""
    actor, subject = aliased(User), aliased(User)
    query = (select(AuditEvent, actor.display_name, subject.display_name, subject.role,
                    Meeting.starts_at)
             .outerjoin(actor, actor.id == AuditEvent.actor_id)
             .outerjoin(subject, subject.id == AuditEvent.subject_user_id)
             .outerjoin(Meeting, and_(AuditEvent.object_type == "meeting",
                                      Meeting.id == AuditEvent.object_id))
             .where(AuditEvent.area_id == area_id))
    if action:
        query = query.where(AuditEvent.action.startswith(action, autoescape=True))
    if person:
        query = query.where(actor.display_name.icontains(person, autoescape=True)
                            | subject.display_name.icontains(person, autoescape=True))
    if start:
        query = query.where(AuditEvent.occurred_at >= datetime.combine(start, time(), HELSINKI))
    if end:
        query = query.where(AuditEvent.occurred_at <
                            datetime.combine(end + timedelta(days=1), time(), HELSINKI))
    return db.session.execute(query.order_by(AuditEvent.id.desc())
                              .offset(offset).limit(limit)).all()


def viewed_since(actor_id: int, action: str, object_id: int, since: datetime) -> bool:
    """Whether the person already logged this view of the object after `since`."""
    return db.session.scalar(
        select(AuditEvent.id).where(AuditEvent.actor_id == actor_id,
                                    AuditEvent.action == action,
                                    AuditEvent.object_id == object_id,
                                    AuditEvent.occurred_at > since)
        .limit(1)) is not None
