"""Areas (wellbeing services counties) and the teams inside them."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from peer_groups.db import db, utcnow


class Area(db.Model):
    """A hard boundary: nobody sees another area's people, groups or figures."""

    __tablename__ = "areas"
    __table_args__ = (
        CheckConstraint("youth_upper_age BETWEEN 18 AND 30", name="youth_upper_age_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    youth_upper_age: Mapped[int] = mapped_column(default=23)
    # Workload parameters that differ from the defaults: {name: value as text}.
    workload_overrides: Mapped[dict] = mapped_column(JSON, default=dict)
    # Whether experience experts' hours for peer work count as staff time for the groups.
    experts_count_as_capacity: Mapped[bool] = mapped_column(default=False)
    # Whether the area's admins must sign in with a passkey or single sign-on (not with a
    # password and code, which can be phished): peer_groups/domain/passkeys.py.
    admins_need_passkey: Mapped[bool] = mapped_column(default=False)
    # The area's own words on the public pages (/privacy, /accessibility, /help), set by its
    # admin: the wellbeing services county that is the controller, its data protection
    # officer, where feedback and questions go, and an optional paragraph of its own.
    controller: Mapped[str] = mapped_column(String(200), default="")
    protection_officer: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(Text, default="")
    pages_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    teams: Mapped[list["Team"]] = relationship(
        back_populates="area", order_by="Team.name", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Area {self.id}>"


class Team(db.Model):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("area_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    area: Mapped[Area] = relationship(back_populates="teams")

    def __repr__(self) -> str:
        return f"<Team {self.id}>"
