"""Peer groups, who runs and who belongs to them, and their meetings."""

from datetime import datetime, time
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peer_groups.areas.models import Area, Team
from peer_groups.auth.models import User, enum_column
from peer_groups.db import db, utcnow
from peer_groups.domain.languages import LANGUAGES

LANGUAGES_SQL = "(" + ", ".join(f"'{code}'" for code in LANGUAGES) + ")"


class Group(db.Model):
    __tablename__ = "groups"
    __table_args__ = (
        CheckConstraint("default_capacity > 0", name="default_capacity_positive"),
        CheckConstraint(f"language IN {LANGUAGES_SQL}", name="language_known"),
        CheckConstraint("default_duration_minutes BETWEEN 15 AND 720", name="duration_range"),
        CheckConstraint("target_size > 0", name="target_size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"), index=True)
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="fi")
    venue_name: Mapped[str] = mapped_column(String(120), default="")
    venue_address: Mapped[str] = mapped_column(String(200), default="")
    venue_accessibility: Mapped[str] = mapped_column(String(500), default="")
    default_capacity: Mapped[int] = mapped_column(default=12)
    default_start_time: Mapped[time] = mapped_column(default=time(17, 0))
    default_duration_minutes: Mapped[int] = mapped_column(default=120)
    target_size: Mapped[int] = mapped_column(default=8)
    # The monthly rule (peer_groups.domain.schedule.MonthlyRule); None until scheduled.
    rule_kind: Mapped[str | None] = mapped_column(String(16))
    rule_week: Mapped[int | None]
    rule_weekday: Mapped[int | None]
    rule_day: Mapped[int | None]
    skip_months: Mapped[str] = mapped_column(String(40), default="")
    # Workload parameters that differ from the area's: {name: value as text}.
    workload_overrides: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    archived_at: Mapped[datetime | None]

    area: Mapped[Area] = relationship()
    team: Mapped[Team | None] = relationship()
    facilitators: Mapped[list["GroupFacilitator"]] = relationship(
        back_populates="group", cascade="all, delete-orphan"
    )
    members: Mapped[list["GroupMember"]] = relationship(
        back_populates="group", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Group {self.id}>"


class GroupFacilitator(db.Model):
    """A worker or experience expert who runs the group."""

    __tablename__ = "group_facilitators"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[Group] = relationship(back_populates="facilitators")
    # A group's people are always shown together: load their users in one query, not one each.
    user: Mapped[User] = relationship(lazy="selectin")


class GroupMember(db.Model):
    """A young person who belongs to the group."""

    __tablename__ = "group_members"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[Group] = relationship(back_populates="members")
    # A group's people are always shown together: load their users in one query, not one each.
    user: Mapped[User] = relationship(lazy="selectin")


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


class SuggestionKind(StrEnum):
    ACTIVITY = "activity"
    SNACK = "snack"


class SuggestionStatus(StrEnum):
    OPEN = "open"
    ADOPTED = "adopted"
    CLOSED = "closed"


class Suggestion(db.Model):
    """A young person's idea for the group: something to do or to eat."""

    __tablename__ = "suggestions"
    __table_args__ = (Index("ix_suggestions_group_status", "group_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[SuggestionKind] = mapped_column(enum_column(SuggestionKind))
    title: Mapped[str] = mapped_column(String(120))
    details: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[SuggestionStatus] = mapped_column(
        enum_column(SuggestionStatus), default=SuggestionStatus.OPEN
    )
    reply: Mapped[str | None] = mapped_column(String(300))
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[Group] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])


class SuggestionVote(db.Model):
    """One vote per person per suggestion; taking it back deletes the row."""

    __tablename__ = "suggestion_votes"

    suggestion_id: Mapped[int] = mapped_column(
        ForeignKey("suggestions.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalendarFeed(db.Model):
    """A private, revocable address for a person's calendar app: all their groups' meetings."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
