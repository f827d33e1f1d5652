"""People who use the service, their sessions and their one-time links."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, Enum, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peer_groups.areas.models import Area, Team
from peer_groups.db import db, utcnow
from peer_groups.domain.contacts import NotifyBy
from peer_groups.domain.roles import Role


def enum_column(enum_class):
    """Store an enum by its value, as a plain string column with a CHECK constraint."""
    return Enum(
        enum_class,
        values_callable=lambda kinds: [kind.value for kind in kinds],
        native_enum=False,
        create_constraint=True,
        length=32,
        validate_strings=True,
    )


class User(UserMixin, db.Model):
    """Staff and young people alike; the role says which.

    No personal identity code and no birth date are ever stored (docs/rules.md, rule 5).
    """

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "is_superuser OR area_id IS NOT NULL", name="area_unless_superuser"
        ),
        CheckConstraint("failed_sign_ins >= 0", name="failed_sign_ins_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int | None] = mapped_column(
        ForeignKey("areas.id", ondelete="RESTRICT"), index=True
    )
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role))
    is_superuser: Mapped[bool] = mapped_column(default=False)
    display_name: Mapped[str] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    username: Mapped[str | None] = mapped_column(String(40), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    # How news and reminders reach them; None: email if any, else phone, else the app only.
    notify_by: Mapped[NotifyBy | None] = mapped_column(enum_column(NotifyBy))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(5), default="fi")
    active: Mapped[bool] = mapped_column(default=True)
    birth_year: Mapped[int | None]  # never a full birth date; used to end aftercare accounts
    # Staff: hours a month this person can give to peer work (workload capacity).
    monthly_peer_hours: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    # Second factor: the authenticator's secret, and the last time step a code was used for.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None]
    failed_sign_ins: Mapped[int] = mapped_column(default=0)
    failed_sign_ins_since: Mapped[datetime | None]
    last_sign_in_at: Mapped[datetime | None]
    # When the purge told the person their account will be removed (no birth year, or idle).
    removal_notice_sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    area: Mapped[Area | None] = relationship()
    team: Mapped[Team | None] = relationship()

    # Set when the user is loaded for a request: this browser's session and its opaque token,
    # and how many of their notices were unread then (for the menu; None when not known).
    session_token = None
    current_session = None
    unread_notices = None

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.role.is_staff

    @property
    def has_second_factor(self) -> bool:
        return self.totp_secret is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class AuthSession(db.Model):
    """One signed-in browser. Deleting the row ends the session, on every server."""

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    remembered: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When this session passed the second factor; None until then.
    second_factor_at: Mapped[datetime | None]
    # When the person last typed their password or code again, for sensitive changes.
    reauthenticated_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def last_authenticated_at(self) -> datetime:
        return max(self.created_at, self.reauthenticated_at or self.created_at)


class RecoveryCode(db.Model):
    """A one-time code for when the phone with the authenticator is lost; only a hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))  # argon2id, salted per code
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]


class TokenPurpose(StrEnum):
    SIGN_IN = "sign_in"
    PASSWORD_RESET = "password_reset"  # noqa: S105 - a purpose name, not a password
    SET_PASSWORD = "set_password"  # noqa: S105 - a purpose name, not a password


class OneTimeToken(db.Model):
    """A link that works once and only until it expires; only its hash is kept."""

    __tablename__ = "one_time_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column(TokenPurpose))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class LinkRequest(db.Model):
    """"Send me a link", as typed, until the outbox worker answers it (seconds later).

    Written the same way whether or not the account exists, so that neither the answer nor its
    timing tells who has one (auth/link_requests.py). Deleted when answered.
    """

    __tablename__ = "link_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column(TokenPurpose))
    identifier: Mapped[str] = mapped_column(String(254))  # an email, username or phone
    link_base: Mapped[str] = mapped_column(String(300))  # PUBLIC_URL, or the host asked
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
