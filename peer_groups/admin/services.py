"""Changing areas, teams and staff accounts; every change to a person is audited."""

from sqlalchemy import func, or_, select

from peer_groups.areas.models import Area, Team
from peer_groups.audit.services import record
from peer_groups.auth import services as auth
from peer_groups.auth import sessions
from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain.errors import DomainError
from peer_groups.domain.roles import Role


def email_taken(email: str, except_user_id: int | None = None) -> bool:
    query = select(User.id).where(func.lower(User.email) == email.strip().lower())
    if except_user_id is not None:
        query = query.where(User.id != except_user_id)
    return db.session.scalar(query) is not None


def same_name(column, name: str):
    """The same name, also in other letter case. SQLite's lower() knows only A to Z, so the
    exact name is compared too: the unique constraint must never be the one to refuse."""
    name = name.strip()
    return or_(column == name, func.lower(column) == name.lower())


def area_name_taken(name: str, except_area_id: int | None = None) -> bool:
    query = select(Area.id).where(same_name(Area.name, name))
    if except_area_id is not None:
        query = query.where(Area.id != except_area_id)
    return db.session.scalar(query) is not None


def team_name_taken(area_id: int, name: str, except_team_id: int | None = None) -> bool:
    query = select(Team.id).where(Team.area_id == area_id, same_name(Team.name, name))
    if except_team_id is not None:
        query = query.where(Team.id != except_team_id)
    return db.session.scalar(query) is not None


def create_area(name: str, youth_upper_age: int, actor) -> Area:
    if area_name_taken(name):
        raise DomainError("area_exists")
    area = Area(name=name.strip(), youth_upper_age=youth_upper_age)
    db.session.add(area)
    db.session.flush()
    record(actor, "area.created", obj=area, area_id=area.id)
    return area


def update_area(area: Area, actor, *, youth_upper_age: int, name: str | None = None,
                admins_need_passkey: bool | None = None) -> None:
    """Change the age aftercare ends at, and whether the area's admins must sign in with a
    passkey or single sign-on; the service owner (giving `name`) may rename it."""
    if name is not None:
        if area_name_taken(name, except_area_id=area.id):
            raise DomainError("area_exists")
        area.name = name.strip()
    area.youth_upper_age = youth_upper_age
    if admins_need_passkey is not None:
        area.admins_need_passkey = admins_need_passkey
    record(actor, "area.updated", obj=area, area_id=area.id)


def create_team(area: Area, name: str, actor) -> Team:
    if team_name_taken(area.id, name):
        raise DomainError("team_exists")
    team = Team(area_id=area.id, name=name.strip())
    db.session.add(team)
    db.session.flush()
    record(actor, "team.created", obj=team)
    return team


def rename_team(team: Team, name: str, actor) -> None:
    if team_name_taken(team.area_id, name, except_team_id=team.id):
        raise DomainError("team_exists")
    team.name = name.strip()
    record(actor, "team.updated", obj=team)


def create_staff(area: Area, actor, *, display_name, email, role, team_id) -> User:
    if email_taken(email):
        raise DomainError("email_taken")
    user = User(area_id=area.id, display_name=display_name.strip(), email=email.strip().lower(),
                role=Role(role), team_id=team_id or None, language=actor.language)
    db.session.add(user)
    db.session.flush()
    record(actor, "user.created", subject=user)
    return user


def update_staff(user: User, actor, *, display_name, email, role, team_id, active) -> bool:
    """Save the staff form; True if the email changed (both addresses are told)."""
    if email_taken(email, except_user_id=user.id):
        raise DomainError("email_taken")
    if user.id == actor.id and (Role(role) is not user.role or not active):
        raise DomainError("not_yourself")
    user.display_name = display_name.strip()
    old_email, user.email = user.email, email.strip().lower()
    email_changed = old_email != user.email
    if email_changed:
        move_email(user, old_email)
    user.role = Role(role)
    user.team_id = team_id or None
    if user.active and not active:
        sessions.end_all_sessions(user)
    user.active = active
    record(actor, "user.updated", subject=user)
    return email_changed


def move_email(user: User, old_email: str | None) -> None:
    """Links sent to the old address stop working; the old and the new address are told.

    The notice to the old address does not say the new one: the old inbox may be a stranger's.
    """
    auth.revoke_links(user)
    if old_email:
        auth.tell_about_change(user, "email_old", to=old_email)
    auth.tell_about_change(user, "email_new")


def resend_welcome(user: User, link_for, actor) -> None:
    """A new link to choose a password, only while the account has none."""
    if user.password_hash is not None:
        raise DomainError("has_password", name=user.display_name)
    auth.send_welcome(user, link_for, actor)
    record(actor, "user.welcome_sent", subject=user)


def sign_out_everywhere(user: User, actor) -> None:
    sessions.end_all_sessions(user)
    record(actor, "user.signed_out_everywhere", subject=user)
