"""The audit trail: who read or changed whose personal data, and when. Never the data itself."""

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from peer_groups.db import db, utcnow


class AuditEvent(db.Model):
    """Append-only. People are referenced by id without a foreign key, so that erasing an
    account never has to rewrite the trail that shows who looked at it."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_area_occurred", "area_id", "occurred_at"),
        Index("ix_audit_events_subject_occurred", "subject_user_id", "occurred_at"),
        # The register's "did this worker look at this meeting in the last half hour?"
        Index("ix_audit_events_actor_object_occurred", "actor_id", "object_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(index=True)
    area_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(64))
    subject_user_id: Mapped[int | None]
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[int | None]
    # A short code (a reason chosen from a list), never free text about a person.
    detail: Mapped[str | None] = mapped_column(String(32))
