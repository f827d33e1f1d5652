"""Notices: every message to a young person, kept for them to read in the app."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from peer_groups.db import db, utcnow


class Notice(db.Model):
    """One message as the person reads it at /notices: never a live link or code.

    The text is rendered in the person's language when the message is made, like the message.
    """

    __tablename__ = "notices"
    # The unread badge on every page is one count over (user_id, read_at IS NULL).
    __table_args__ = (Index("ix_notices_user_id_read_at", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    template: Mapped[str] = mapped_column(String(64))
    # The notice outlives a removed meeting; it then simply has no link.
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]
