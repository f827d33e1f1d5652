"""Passkeys (WebAuthn credentials) and the one-time challenges their ceremonies sign."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peer_groups.auth.models import User
from peer_groups.db import db, utcnow


class Passkey(db.Model):
    """A passkey of one person: only its public key is here; the private key never leaves
    their device (or their phone's or computer's password manager)."""

    __tablename__ = "passkeys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The credential id, base64url (at most 1023 bytes by the WebAuthn spec).
    credential_id: Mapped[str] = mapped_column(String(1400), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)  # COSE key
    sign_count: Mapped[int] = mapped_column(BigInteger, default=0)
    # The WebAuthn user handle (random, base64url; never the email or the database id): the
    # same for every passkey of the person, so a device keeps one passkey per account here.
    user_handle: Mapped[str] = mapped_column(String(100), index=True)
    name: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class PasskeyChallenge(db.Model):
    """A challenge handed to a browser: works once and for a few minutes (only its hash is
    kept, and the browser's session holds the challenge itself)."""

    __tablename__ = "passkey_challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(16))  # "register" or "sign_in"
    # Whose passkey is being added; None for signing in (the passkey says whose it is).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(index=True)
