"""A group's meetings and the plan of each: what we do and eat, and who brings it."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peer_groups.auth.models import User, enum_column
from peer_groups.db import db, utcnow
from peer_groups.groups.models import Group


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"
    HELD = "held"


class Meeting(db.Model):
    """One occurrence of a group's meeting. Times are stored in UTC."""

    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity > 0", name="capacity_positive"),
        CheckConstraint("taken BETWEEN 0 AND capacity", name="taken_within_capacity"),
        CheckConstraint("headcount >= 0", name="headcount_not_negative"),
        UniqueConstraint("group_id", "starts_at"),
        Index("ix_meetings_group_starts", "group_id", "starts_at"),
        Index("ix_meetings_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    venue_name: Mapped[str] = mapped_column(String(120), default="")
    venue_address: Mapped[str] = mapped_column(String(200), default="")
    venue_accessibility: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int]
    taken: Mapped[int] = mapped_column(default=0)
    status: Mapped[MeetingStatus] = mapped_column(
        enum_column(MeetingStatus), default=MeetingStatus.PLANNED
    )
    is_outing: Mapped[bool] = mapped_column(default=False)
    # Made from the group's monthly rule (not added by hand): such a meeting covers its month.
    from_rule: Mapped[bool] = mapped_column(default=False)
    signup_deadline: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(String(300))
    # People counted without names: no attendance consent, walk-ins, and records anonymised
    # after a withdrawal, an erasure or the retention period. Total = named present + this.
    headcount: Mapped[int] = mapped_column(default=0)
    # Sign-ups of the past that were anonymised: still counted, nobody named.
    anonymous_signups: Mapped[int] = mapped_column(default=0)
    register_closed_at: Mapped[datetime | None]
    # iCalendar SEQUENCE: goes up whenever the time, place or status changes.
    sequence: Mapped[int] = mapped_column(default=0)
    # Goes up with every change to the plan's items: with the row's own columns, the key of
    # the young people's cached page (peer_groups/meetings/youth_page.py).
    plan_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[Group] = relationship()
    plan_items: Mapped[list["PlanItem"]] = relationship(
        back_populates="meeting", order_by="PlanItem.position", cascade="all, delete-orphan"
    )

    @property
    def spots_left(self) -> int:
        return max(0, self.capacity - self.taken)

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def __repr__(self) -> str:
        return f"<Meeting {self.id}>"


class PlanKind(StrEnum):
    SNACK = "snack"
    ACTIVITY = "activity"
    OUTING = "outing"
    DISCUSSION = "discussion"
    OTHER = "other"


class PlanItem(db.Model):
    """One thing on a meeting's plan: what we do or eat, what it needs and costs, who brings it."""

    __tablename__ = "plan_items"
    __table_args__ = (
        CheckConstraint("cost_cents IS NULL OR cost_cents >= 0", name="cost_not_negative"),
        Index("ix_plan_items_meeting_position", "meeting_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[PlanKind] = mapped_column(enum_column(PlanKind))
    title: Mapped[str] = mapped_column(String(120))
    details: Mapped[str] = mapped_column(Text, default="")
    materials: Mapped[str] = mapped_column(String(500), default="")
    cost_cents: Mapped[int | None]
    responsible_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    suggestion_id: Mapped[int | None] = mapped_column(
        ForeignKey("suggestions.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="plan_items")
    responsible: Mapped[User | None] = relationship()
