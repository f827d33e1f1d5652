"""Staff time: who is assigned to a meeting, the hours they logged, and months with less time."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peer_groups.auth.models import User, enum_column
from peer_groups.db import db, utcnow


class AssignmentRole(StrEnum):
    LEAD = "lead"
    CO_FACILITATOR = "co_facilitator"
    EXPERT = "expert"


class StaffAssignment(db.Model):
    __tablename__ = "staff_assignments"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[AssignmentRole] = mapped_column(enum_column(AssignmentRole))

    user: Mapped[User] = relationship()


class TimeLog(db.Model):
    """Hours a staff member actually spent on a held meeting (all of it: prep to notes)."""

    __tablename__ = "time_logs"
    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id"),
        CheckConstraint("hours >= 0 AND hours <= 48", name="hours_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    logged_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReducedMonth(db.Model):
    """A month with fewer hours for peer work than usual (holidays, training)."""

    __tablename__ = "reduced_months"
    __table_args__ = (
        UniqueConstraint("user_id", "year", "month"),
        CheckConstraint("month BETWEEN 1 AND 12", name="month_range"),
        CheckConstraint("hours >= 0", name="hours_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    month: Mapped[int]
    hours: Mapped[Decimal] = mapped_column(Numeric(6, 2))
