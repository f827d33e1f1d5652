"""Reading areas."""

from sqlalchemy import select

from peer_groups.areas.models import Area
from peer_groups.db import db


def all_areas() -> list[Area]:
    """Every area by name: the service owner's choice."""
    return list(db.session.scalars(select(Area).order_by(Area.name)))
