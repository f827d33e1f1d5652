"""Consent texts (versioned, never changed once published) and each person's answers."""

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
    insert,
    literal,
    select,
    text,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from peer_groups.areas.models import Area
from peer_groups.auth.models import User, enum_column
from peer_groups.db import db, utcnow
from peer_groups.domain.consent import Purpose
from peer_groups.domain.languages import DEFAULT, LANGUAGES


class ConsentText(db.Model):
    """What a person says yes or no to, in three languages. A new version is a new row.

    Each area is its own controller, so each has its own versions (`area_id`); the rows
    without an area are the service's default texts, which new areas start from.
    """

    __tablename__ = "consent_texts"
    __table_args__ = (
        UniqueConstraint("area_id", "purpose", "version"),
        # NULLs are never equal in a unique constraint: the defaults need an index of their own.
        Index("uq_consent_texts_default_purpose_version", "purpose", "version", unique=True,
              sqlite_where=text("area_id IS NULL"), postgresql_where=text("area_id IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="RESTRICT"))
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
        return getattr(self, f"text_{language if language in LANGUAGES else DEFAULT}")


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


def copy_default_texts(connection, area_id: int) -> None:
    """Give an area its own copy of the current default text of each purpose.

    A new area starts from a copy rather than reading the defaults until it publishes: then
    an area's versions are all its own rows, a later default changes no area that already
    exists (its young people are not asked again for another controller's text), and every
    answer points at a row that belongs to the person's own area.
    """
    newer = aliased(ConsentText)
    latest = (select(func.max(newer.version))
              .where(newer.area_id.is_(None), newer.purpose == ConsentText.purpose)
              .scalar_subquery())
    columns = ("purpose", "version", "minor", "text_fi", "text_sv", "text_en")
    connection.execute(insert(ConsentText).from_select(
        ["area_id", *columns, "published_at"],
        select(literal(area_id), *(getattr(ConsentText, c) for c in columns),
               literal(utcnow(), ConsentText.published_at.type))
        .where(ConsentText.area_id.is_(None), ConsentText.version == latest)))


@event.listens_for(Area, "after_insert")
def start_from_the_defaults(_mapper, connection, area) -> None:
    """However an area is made (admin page, command line, demo data), it has its texts."""
    copy_default_texts(connection, area.id)
