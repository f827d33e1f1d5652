"""Who may do what: named predicates, asked by views and templates alike.

`can(user, action, obj)` answers; `require(action, obj)` refuses with 403 in a view.
An area is a hard boundary: every predicate that takes an object checks its area first.
"""

from collections.abc import Callable

from flask import abort
from flask_login import current_user

from peer_groups.domain.roles import Role

Predicate = Callable[..., bool]
RULES: dict[str, Predicate] = {}


def rule(action: str):
    def register(predicate: Predicate) -> Predicate:
        RULES[action] = predicate
        return predicate

    return register


def can(user, action: str, obj=None) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return RULES[action](user, obj)


def require(action: str, obj=None) -> None:
    if not can(current_user, action, obj):
        abort(403)


def same_area(user, obj) -> bool:
    """The superuser crosses areas; everybody else stays in their own."""
    area_id = obj if isinstance(obj, int) else getattr(obj, "area_id", getattr(obj, "id", None))
    return user.is_superuser or (user.area_id is not None and user.area_id == area_id)


@rule("admin.manage_area")
def manage_area(user, area) -> bool:
    """Teams and users of an area: its admins, and the superuser."""
    if user.is_superuser:
        return True
    return user.role is Role.ADMIN and area is not None and same_area(user, area)


@rule("admin.open")
def open_admin(user, _obj=None) -> bool:
    return user.is_superuser or user.role is Role.ADMIN


@rule("admin.manage_areas")
def manage_areas(user, _obj=None) -> bool:
    """Creating and renaming areas is for the service owner only."""
    return user.is_superuser


@rule("admin.manage_user")
def manage_user(user, other) -> bool:
    if other is None or other.is_superuser and not user.is_superuser:
        return False
    return manage_area(user, other.area_id)
