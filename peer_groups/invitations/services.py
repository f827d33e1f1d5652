"""Invitations: create, check and use them, and bring a young person into the group."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update

from peer_groups.audit.services import record
from peer_groups.auth.models import TokenPurpose, User
from peer_groups.auth.passwords import hash_password
from peer_groups.auth.services import issue_token, normalise_phone
from peer_groups.auth.tokens import digest, new_token
from peer_groups.db import db, utcnow
from peer_groups.domain import aftercare
from peer_groups.domain.errors import DomainError
from peer_groups.domain.roles import Role
from peer_groups.groups.models import GroupMember
from peer_groups.invitations.models import Invitation, PendingJoin
from peer_groups.notifications.models import Channel, OutboxMessage
from peer_groups.notifications.services import queue_message
from peer_groups.urls import external_url


def create(group, actor, *, max_uses: int, days_valid: int, now=None) -> Invitation:
    now = now or utcnow()
    invitation = Invitation(group_id=group.id, token=secrets.token_urlsafe(16),
                            created_by_id=actor.id, max_uses=max_uses,
                            expires_at=now + timedelta(days=days_valid))
    db.session.add(invitation)
    db.session.flush()
    record(actor, "invitation.created", obj=invitation, area_id=group.area_id)
    return invitation


def revoke(invitation, actor, *, now=None) -> None:
    now = now or utcnow()
    invitation.revoked_at = now
    record(actor, "invitation.revoked", obj=invitation, area_id=invitation.group.area_id)


def check(token: str, *, now=None) -> Invitation:
    """The invitation behind a link, or DomainError saying kindly why it does not work."""
    now = now or utcnow()
    invitation = db.session.scalar(select(Invitation).where(Invitation.token == token))
    if invitation is None:
        raise DomainError("unknown")
    if invitation.revoked_at is not None or invitation.group.archived_at is not None:
        raise DomainError("revoked")
    if invitation.expires_at <= now:
        raise DomainError("expired")
    if invitation.uses >= invitation.max_uses:
        raise DomainError("used_up")
    return invitation


def use(invitation: Invitation, *, now=None) -> None:
    """Count one use, atomically: the last place on a single-use link goes to one person."""
    now = now or utcnow()
    used = db.session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.uses < Invitation.max_uses,
               Invitation.revoked_at.is_(None), Invitation.expires_at > now)
        .values(uses=Invitation.uses + 1).execution_options(synchronize_session=False))
    if used.rowcount != 1:
        raise DomainError("used_up")


def join(user: User, invitation: Invitation) -> bool:
    """Make the person a member of the invitation's group; False if they were already."""
    group = invitation.group
    if user.area_id != group.area_id or user.role is not Role.YOUTH:
        raise DomainError("wrong_person")
    exists = db.session.get(GroupMember, (group.id, user.id))
    if exists:
        return False
    use(invitation)
    db.session.add(GroupMember(group_id=group.id, user_id=user.id))
    record(user, "group.joined_by_invitation", subject=user, obj=group)
    return True


def normalise_contact(contact: str) -> str:
    """An email in lower case, or a phone number in the international form."""
    contact = contact.strip()
    return contact.lower() if "@" in contact else normalise_phone(contact)


def contact_owner(contact: str) -> User | None:
    """Whoever already uses this email or phone number, in any area, staff or young."""
    contact = normalise_contact(contact)
    column = func.lower(User.email) if "@" in contact else User.phone
    return db.session.scalars(select(User).where(column == contact).limit(1)).first()


@dataclass(frozen=True)
class Recipient:
    """Someone not yet in the service, to whom a message can still go (queue_message)."""

    display_name: str
    language: str
    email: str | None
    phone: str | None
    id: None = None


def start_join(invitation: Invitation, *, display_name, language, birth_year, contact,
               password, link_for_finish, link_for_sign_in, now=None) -> None:
    """Send the message that lets the person finish joining; tell the requester nothing.

    Whether the email or phone is already somebody's (here, in another area, staff or
    young), the requester gets the same answer, after the same work (the password is hashed
    either way). A new contact gets a link that finishes the join, which also shows the
    address is theirs; an existing one is told that someone tried to join with it.

    No username can be chosen on the join form: "that username is taken" would tell a
    stranger that it exists. Without an email or phone the service makes the username
    (`register_without_contact`), so no answer ever depends on other people's usernames.
    """
    password_hash = hash_password(password) if password else None
    contact = normalise_contact(contact)
    owner = contact_owner(contact)
    if owner is not None:
        tell_of_join_attempt(owner, contact, link_for_sign_in)
        return
    token = new_token()
    now = now or utcnow()
    lifetime = current_app.config["JOIN_LINK_LIFETIME"]
    email, phone = (contact, None) if "@" in contact else (None, contact)
    db.session.add(PendingJoin(
        token_hash=digest(token), invitation_id=invitation.id, display_name=display_name,
        language=language, birth_year=birth_year, email=email, phone=phone,
        password_hash=password_hash, created_at=now, expires_at=now + lifetime))
    queue_message(Recipient(display_name, language, email, phone), "join_finish",
                  link=link_for_finish(token), group=invitation.group,
                  hours=int(lifetime.total_seconds() // 3600))


# However often a stranger tries, an address hears of it at most this often.
ATTEMPT_NOTICE_INTERVAL = timedelta(hours=1)


def tell_of_join_attempt(owner: User, contact: str, link_for_sign_in, *, now=None) -> None:
    """"Someone tried to join with your address; if it was you, sign in here"."""
    now = now or utcnow()
    recent = db.session.scalar(select(func.count(OutboxMessage.id)).where(
        OutboxMessage.user_id == owner.id, OutboxMessage.recipient == contact,
        OutboxMessage.template == "join_attempt",
        OutboxMessage.created_at > now - ATTEMPT_NOTICE_INTERVAL))
    if recent:
        return
    channel = Channel.EMAIL if "@" in contact else Channel.SMS
    link = None
    if owner.active and not owner.is_staff:
        lifetime = current_app.config["SIGN_IN_LINK_LIFETIME"]
        link = link_for_sign_in(issue_token(owner, TokenPurpose.SIGN_IN, lifetime))
    queue_message(owner, "join_attempt", channel=channel, link=link,
                  sign_in_page=external_url("auth.sign_in"))
    record(None, "invitation.join_attempt_with_existing_contact", subject=owner,
           area_id=owner.area_id)


def finish_join(token: str) -> User:
    """The link from `start_join` was opened: make the account, in the group, at once.

    DomainError('link_expired') if the link is unknown, used or expired, or if someone
    took the address meanwhile; the invitation's own errors if it stopped working.
    """
    pending = peek_pending(token)
    if pending is None or contact_owner(pending.email or pending.phone) is not None:
        raise DomainError("link_expired")
    invitation = check(pending.invitation.token)
    deleted = db.session.execute(delete(PendingJoin).where(PendingJoin.id == pending.id))
    if deleted.rowcount != 1:  # the same link pressed twice at once: one wins
        raise DomainError("link_expired")
    return register(invitation, display_name=pending.display_name, language=pending.language,
                    birth_year=pending.birth_year, email=pending.email, phone=pending.phone,
                    password_hash=pending.password_hash)


def peek_pending(token: str, *, now=None) -> PendingJoin | None:
    """The live pending join behind a link, without using it (GET changes nothing)."""
    now = now or utcnow()
    pending = db.session.scalars(
        select(PendingJoin).where(PendingJoin.token_hash == digest(token))).first()
    if pending is None or pending.expires_at <= now:
        return None
    return pending


def register_without_contact(invitation: Invitation, *, display_name, language, birth_year,
                             password) -> User:
    """An account with a password and no email or phone: the service makes the username."""
    base = aftercare.username_base(display_name)
    for _ in range(20):
        candidate = aftercare.username(base, secrets.randbelow(10_000))
        if db.session.scalar(select(User.id).where(User.username == candidate)) is None:
            break
    else:  # twenty numbers taken in a row: a longer one certainly is not
        candidate = f"{base}.{secrets.token_hex(4)}"
    return register(invitation, display_name=display_name, language=language,
                    birth_year=birth_year, username=candidate,
                    password_hash=hash_password(password))


def register(invitation: Invitation, *, display_name, language, birth_year, email=None,
             phone=None, username=None, password_hash=None) -> User:
    """A new young person's account from an invitation; they become a member at once."""
    user = User(area_id=invitation.group.area_id, role=Role.YOUTH,
                display_name=display_name.strip(), language=language, birth_year=birth_year,
                email=email, phone=phone, username=username, password_hash=password_hash)
    db.session.add(user)
    db.session.flush()
    record(user, "user.registered_by_invitation", subject=user, obj=invitation.group)
    join(user, invitation)
    return user


def drop_expired_pending(now) -> int:
    """Joins never finished hold a name and an address: gone once their link has expired."""
    return db.session.execute(delete(PendingJoin).where(PendingJoin.expires_at <= now)).rowcount
