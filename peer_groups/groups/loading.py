"""Load an object for a view: 404 when it does not exist, 403 when it is not for this user."""

from flask_login import current_user

from peer_groups.db import db
from peer_groups.groups.models import Group
from peer_groups.permissions import can, require


def group_or_404(group_id: int, action: str = "group.view") -> Group:
    group = db.get_or_404(Group, group_id)
    require(action, group)
    return group


def first_name(name: str) -> str:
    """How a colleague is named to those who do not see full names: the first name only."""
    return (name or "").split(" ")[0]


def display_names(people, group) -> list[str]:
    """The names this viewer may see: everyone's for those who see names; otherwise the
    staff's first names and no young person at all (the page shows how many instead)."""
    if can(current_user, "group.see_names", group):
        return [p.display_name for p in people]
    return [first_name(p.display_name) for p in people if p.is_staff]
