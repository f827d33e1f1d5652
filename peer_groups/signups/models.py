"""Sign-ups: a young person's place at a meeting, or their turn on its waiting list."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peer_groups.auth.models import User, enum_column
from peer_groups.db import db, utcnow
from peer_groups.domain.signups import SignupStatus
from peer_groups.meetings.models import Meeting


class Signup(db.Model):
    """One row per person and meeting; the waiting list is first come, first served by
    `requested_at` (then id), so positions are always 1..N without gaps."""

    __tablename__ = "signups"
    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id"),
        Index("ix_signups_meeting_status_requested", "meeting_id", "status", "requested_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[SignupStatus] = mapped_column(enum_column(SignupStatus))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancelled_by_staff: Mapped[bool] = mapped_column(default=False)

    meeting: Mapped[Meeting] = relationship()
    user: Mapped[User] = relationship()


class ReminderLog(db.Model):
    """A reminder that went into the outbox: the unique key makes each one go once."""

    __tablename__ = "reminder_log"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
