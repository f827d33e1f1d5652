"""What the admin pages list: areas, and an area's people."""

from sqlalchemy import select

from peer_groups.areas.models import Area
from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain.roles import Role


def all_areas() -> list[Area]:
    return list(db.session.scalars(select(Area).order_by(Area.name)))


def area_people(area_id: int, role: Role | None = None) -> list[User]:
    """Everyone in the area by name, or only those with `role`."""
    query = select(User).where(User.area_id == area_id).order_by(User.display_name)
    if role is not None:
        query = query.where(User.role == role)
    return list(db.session.scalars(query))
