"""Writing the audit trail."""

from peer_groups.audit.models import AuditEvent
from peer_groups.db import db


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
