"""Invitations: create, check and use them, and bring a young person into the group."""

import secrets
from datetime import timedelta

from sqlalchemy import func, or_, select, update

from peer_groups.audit.services import record
from peer_groups.auth.models import User
from peer_groups.auth.passwords import hash_password
from peer_groups.auth.services import normalise_phone
from peer_groups.db import db, utcnow
from peer_groups.domain.roles import Role
from peer_groups.groups.models import GroupMember
from peer_groups.invitations.models import Invitation


class InvitationError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def create(group, actor, *, max_uses: int, days_valid: int) -> Invitation:
    invitation = Invitation(group_id=group.id, token=secrets.token_urlsafe(16),
                            created_by_id=actor.id, max_uses=max_uses,
                            expires_at=utcnow() + timedelta(days=days_valid))
    db.session.add(invitation)
    db.session.flush()
    record(actor, "invitation.created", obj=invitation, area_id=group.area_id)
    return invitation


def revoke(invitation, actor) -> None:
    invitation.revoked_at = utcnow()
    record(actor, "invitation.revoked", obj=invitation, area_id=invitation.group.area_id)


def check(token: str) -> Invitation:
    """The invitation behind a link, or InvitationError saying kindly why it does not work."""
    invitation = db.session.scalar(select(Invitation).where(Invitation.token == token))
    if invitation is None:
        raise InvitationError("unknown")
    if invitation.revoked_at is not None or invitation.group.archived_at is not None:
        raise InvitationError("revoked")
    if invitation.expires_at <= utcnow():
        raise InvitationError("expired")
    if invitation.uses >= invitation.max_uses:
        raise InvitationError("used_up")
    return invitation


def use(invitation: Invitation) -> None:
    """Count one use, atomically: the last place on a single-use link goes to one person."""
    used = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.uses < Invitation.max_uses,
               Invitation.revoked_at.is_(None), Invitation.expires_at > utcnow())
        .values(uses=Invitation.uses + 1).execution_options(synchronize_session=False))
    if used.rowcount != 1:
        raise InvitationError("used_up")


def join(user: User, invitation: Invitation) -> bool:
    """Make the person a member of the invitation's group; False if they were already."""
    group = invitation.group
    if user.area_id != group.area_id or user.role is not Role.YOUTH:
        raise InvitationError("wrong_person")
    exists = db.session.get(GroupMember, (group.id, user.id))
    if exists:
        return False
    use(invitation)
    db.session.add(GroupMember(group_id=group.id, user_id=user.id))
    record(user, "group.joined_by_invitation", subject=user, obj=group)
    return True


def taken(*, email=None, username=None, phone=None) -> list[str]:
    """Which of these identifiers somebody already uses."""
    clauses = []
    if email:
        clauses.append(func.lower(User.email) == email.lower())
    if username:
        clauses.append(func.lower(User.username) == username.lower())
    if phone:
        clauses.append(User.phone == normalise_phone(phone))
    if not clauses:
        return []
    found = db.session.scalars(select(User).where(or_(*clauses))).all()
    result = []
    for user in found:
        if email and (user.email or "").lower() == email.lower():
            result.append("email")
        if username and (user.username or "").lower() == username.lower():
            result.append("username")
        if phone and user.phone == normalise_phone(phone):
            result.append("phone")
    return result


def register(invitation: Invitation, *, display_name, language, email=None, phone=None,
             username=None, password=None) -> User:
    """A new young person's account from an invitation; they become a member at once."""
    user = User(area_id=invitation.group.area_id, role=Role.YOUTH,
                display_name=display_name.strip(), language=language,
                email=(email or "").strip().lower() or None,
                phone=normalise_phone(phone) if phone else None,
                username=(username or "").strip() or None,
                password_hash=hash_password(password) if password else None)
    db.session.add(user)
    db.session.flush()
    record(user, "user.registered_by_invitation", subject=user, obj=invitation.group)
    join(user, invitation)
    return user
