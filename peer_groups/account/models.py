"""An email address or phone number waiting to be confirmed with the code sent to it."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from peer_groups.auth.models import enum_column
from peer_groups.db import db, utcnow
from peer_groups.notifications.models import Channel


class PendingContact(db.Model):
    """Not yet the person's email or phone: nothing but the code is ever sent to it.

    Only a keyed hash of the code is kept. One waits per person and kind: a new one replaces
    it. Confirming moves the value onto the user and deletes the row.
    """

    __tablename__ = "pending_contacts"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[Channel] = mapped_column(enum_column(Channel))
    value: Mapped[str] = mapped_column(String(254))
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
