"""Young people's ideas for their group, and the votes on them."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peer_groups.auth.models import User, enum_column
from peer_groups.db import db, utcnow
from peer_groups.groups.models import Group


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
