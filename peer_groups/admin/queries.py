"""What the admin pages list: an area's people (the areas are `areas.queries`)."""

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain.roles import Role


def area_people(area_id: int, role: Role | None = None, text: str = "", limit: int = 50,
                offset: int = 0) -> list[User]:
    """The area's people by name, or only those with `role`, or those whose name, username or
    email holds `text`; one page of them."""
    query = select(User).where(User.area_id == area_id).order_by(User.display_name, User.id)
    if role is not None:
        query = query.where(User.role == role)
    if text:
        query = query.where(or_(*(column.icontains(text, autoescape=True) for column in
                                  (User.display_name, User.username, User.email))))
    return list(db.session.scalars(query.options(joinedload(User.team))
                                   .offset(offset).limit(limit)))
