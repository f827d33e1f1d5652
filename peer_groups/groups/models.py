"""Peer groups, who runs and who belongs to them, and their meetings."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peer_groups.areas.models import Area, Team
from peer_groups.auth.models import User, enum_column
from peer_groups.db import db, utcnow


class Group(db.Model):
    __tablename__ = "groups"
    __table_args__ = (
        CheckConstraint("default_capacity > 0", name="default_capacity_positive"),
        CheckConstraint("language IN ('fi', 'sv', 'en')", name="language_known"),
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
    default_capacity: Mapped[int] = mapped_column(default=12)
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
    user: Mapped[User] = relationship()


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
    user: Mapped[User] = relationship()


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
    capacity: Mapped[int]
    taken: Mapped[int] = mapped_column(default=0)
    status: Mapped[MeetingStatus] = mapped_column(
        enum_column(MeetingStatus), default=MeetingStatus.PLANNED
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    group: Mapped[Group] = relationship()

    def __repr__(self) -> str:
        return f"<Meeting {self.id}>"
