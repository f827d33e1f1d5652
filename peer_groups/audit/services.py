"""Writing the audit trail."""

from sqlalchemy import insert

from peer_groups import unit_of_work
from peer_groups.audit.models import AuditEvent
from peer_groups.db import db, utcnow


def record(actor, action: str, *, subject=None, obj=None, area_id: int | None = None,
           subject_id: int | None = None, detail: str | None = None):
    """Note that `actor` did `action` to `subject` (a user) or `obj` (any model with an id)."""
    if area_id is None:
        for holder in (obj, subject, actor):
            area_id = getattr(holder, "area_id", None)
            if area_id is not None:
                break
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        area_id=area_id,
        action=action,
        subject_user_id=getattr(subject, "id", subject_id),
        object_type=type(obj).__name__.lower() if obj is not None else None,
        object_id=getattr(obj, "id", None),
        detail=detail,
    )
    db.session.add(event)
    return event


def record_views(actor, action: str, people, *, obj=None, area_id=None, now=None) -> None:
    """One "viewed" event per person whose data a page showed, so each can see who looked.

    `people` are users or their ids; all the events go in one multi-row INSERT, at the end of
    the request (`unit_of_work.at_end`): on SQLite a page is then made without the write lock.
    """
    now = now or utcnow()
    area_id = area_id if area_id is not None else getattr(obj, "area_id", None)
    rows = [
        {"actor_id": actor.id, "area_id": area_id, "action": action,
         "subject_user_id": getattr(person, "id", person),
         "object_type": type(obj).__name__.lower() if obj else None,
         "object_id": getattr(obj, "id", None), "occurred_at": now}
        for person in people
    ]
    if rows:
        unit_of_work.at_end(lambda: db.session.execute(insert(AuditEvent), rows))
