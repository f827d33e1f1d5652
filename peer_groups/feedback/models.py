"""Answers without the person, and apart from them the record that a person has answered.

Nothing joins the two (docs/rules.md, rule 15): an answer holds its meeting and what was said,
with a random id, no time and no person; `FeedbackGiven` holds who answered which meeting, with
no id, no time and nothing of the answer. On SQLite both are WITHOUT ROWID tables, so no hidden
row number keeps the order of insertion; `services.answer` rewrites a meeting's answers in
the order of their content, so neither the order on disk nor PostgreSQL's row versions
(ctid, xmin) tell which answer came when.
"""

import uuid

from sqlalchemy import CheckConstraint, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from peer_groups.auth.models import enum_column
from peer_groups.db import db
from peer_groups.domain.feedback import NEXT_TIME_MAX, Again


class FeedbackAnswer(db.Model):
    """One anonymous answer: how the meeting was, whether I'd come again, what next time."""

    __tablename__ = "feedback_answers"
    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_on_scale"),
                      {"sqlite_with_rowid": False})

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"),
                                            index=True)
    rating: Mapped[int]
    again: Mapped[Again] = mapped_column(enum_column(Again))
    # Free text: for the group's facilitators only, and removed by `flask privacy purge`.
    next_time: Mapped[str | None] = mapped_column(String(NEXT_TIME_MAX))


class FeedbackGiven(db.Model):
    """This person has answered this meeting (so nobody answers twice); nothing more."""

    __tablename__ = "feedback_given"
    __table_args__ = {"sqlite_with_rowid": False}

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"),
                                            primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)


class FeedbackDismissed(db.Model):
    """This person put the ask away from their home page; they may still answer."""

    __tablename__ = "feedback_dismissed"
    __table_args__ = {"sqlite_with_rowid": False}

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"),
                                            primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)
