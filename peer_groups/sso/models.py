"""An area's OpenID Connect provider, and which of our sessions came through it."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peer_groups.areas.models import Area
from peer_groups.db import db, utcnow


class SsoProvider(db.Model):
    """The identity provider an area's staff sign in with (one per area).

    The client secret is the provider's credential for this service: it is never shown back
    in a form, never logged and never audited.
    """

    __tablename__ = "sso_providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"),
                                         unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    issuer: Mapped[str] = mapped_column(String(500))
    client_id: Mapped[str] = mapped_column(String(255))
    client_secret: Mapped[str] = mapped_column(String(500))
    # Lower-case domains, separated by spaces: "example.fi hyvinvointialue.fi".
    email_domains: Mapped[str] = mapped_column(String(1000))
    # `acr` values this provider sends for a sign-in with more than one factor, space-separated.
    mfa_acr_values: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    area: Mapped[Area] = relationship()

    @property
    def domains(self) -> tuple[str, ...]:
        return tuple(self.email_domains.split())

    @property
    def acr_values(self) -> tuple[str, ...]:
        return tuple(self.mfa_acr_values.split())

    def __repr__(self) -> str:
        return f"<SsoProvider {self.id} area={self.area_id}>"


class SsoSession(db.Model):
    """A session that began at a provider: what signing out there needs (its ID token)."""

    __tablename__ = "sso_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    auth_session_id: Mapped[int] = mapped_column(
        ForeignKey("auth_sessions.id", ondelete="CASCADE"), unique=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("sso_providers.id", ondelete="CASCADE"),
                                             index=True)
    id_token: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    provider: Mapped[SsoProvider] = relationship()
