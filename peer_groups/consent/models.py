"""Consent texts (versioned, never changed once published) and each person's answers."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peer_groups.auth.models import User, enum_column
from peer_groups.db import db, utcnow
from peer_groups.domain.consent import Purpose


class ConsentText(db.Model):
    """What a person says yes or no to, in three languages. A new version is a new row."""

    __tablename__ = "consent_texts"
    __table_args__ = (UniqueConstraint("purpose", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[Purpose] = mapped_column(enum_column(Purpose))
    version: Mapped[int]
    minor: Mapped[bool] = mapped_column(default=False)
    text_fi: Mapped[str] = mapped_column(Text)
    text_sv: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))

    def text_in(self, language: str) -> str:
        return {"sv": self.text_sv, "en": self.text_en}.get(language, self.text_fi)


class ConsentAnswer(db.Model):
    """One yes or no, kept as proof: who, when, to which text, and how it was given."""

    __tablename__ = "consent_answers"
    __table_args__ = (
        Index("ix_consent_answers_user_purpose", "user_id", "purpose", "id"),
        CheckConstraint("channel IN ('self', 'worker')", name="channel_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    purpose: Mapped[Purpose] = mapped_column(enum_column(Purpose))
    text_id: Mapped[int] = mapped_column(ForeignKey("consent_texts.id", ondelete="RESTRICT"))
    given: Mapped[bool]
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)
    channel: Mapped[str] = mapped_column(String(8), default="self")
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    # When a worker records a spoken answer: they checked the young person understands it.
    understanding_checked: Mapped[bool] = mapped_column(default=False)

    text: Mapped[ConsentText] = relationship()
    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])


class DietaryNeeds(db.Model):
    """Kept only while the person consents; shown to staff only as a meeting's totals."""

    __tablename__ = "dietary_needs"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    needs: Mapped[str] = mapped_column(String(120), default="")  # comma-separated codes
    other: Mapped[str] = mapped_column(String(60), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
