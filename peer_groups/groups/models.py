"""Peer groups, and who runs and who belongs to them."""

from datetime import datetime, time

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peer_groups.areas.models import Area, Team
from peer_groups.auth.models import User
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
    # Young people to plan for before sign-ups; None: the area's expected group size.
    target_size: Mapped[int | None]
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
