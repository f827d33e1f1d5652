"""A young person's own email and phone number, and how news and reminders reach them.

A new address is confirmed before anything but its code is sent to it: it waits in
`PendingContact` and becomes `User.email` / `User.phone` only when the code is typed back.
Every change is audited, ends the sign-in links not used yet, and is told to the address that
had it before (without the new one: the old inbox may be a stranger's now).
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, func, select, update

from peer_groups import unit_of_work
from peer_groups.account.models import PendingContact
from peer_groups.audit.services import record
from peer_groups.auth.models import User
from peer_groups.auth.services import revoke_links
from peer_groups.db import db, utcnow
from peer_groups.domain import contacts
from peer_groups.domain.contacts import NotifyBy
from peer_groups.domain.errors import DomainError
from peer_groups.notifications.models import Channel
from peer_groups.notifications.services import queue_message

# The same address gets a new code at most this often (a corrected one at once).
RESEND_PAUSE = timedelta(minutes=1)
FIELD = {Channel.EMAIL: "email", Channel.SMS: "phone"}


def current(user, kind: Channel) -> str | None:
    return getattr(user, FIELD[kind])


def normalise(kind: Channel, typed: str) -> str:
    """The address as it is stored; refused when it cannot be one."""
    if kind is Channel.SMS:
        value = contacts.normalise_phone(typed)
        if value is None:
            raise DomainError("bad_phone")
        return value
    value = contacts.normalise_email(typed)
    if "@" not in value.strip("@") or len(value) > 254:
        raise DomainError("bad_email")
    return value


def in_use_by_another(user, kind: Channel, value: str) -> bool:
    """Somebody else's email or phone (staff or young, any area): told without saying whose."""
    column = func.lower(User.email) if kind is Channel.EMAIL else User.phone
    return db.session.scalar(
        select(func.count(User.id)).where(column == value, User.id != user.id)) > 0


def pending_of(user, kind: Channel) -> PendingContact | None:
    return db.session.scalars(select(PendingContact).where(
        PendingContact.user_id == user.id, PendingContact.kind == kind)).first()


def code_hash(user_id: int, kind: Channel, value: str, code: str) -> str:
    """Keyed with the app's secret: a copied database alone cannot try the million codes."""
    message = f"{user_id}:{kind.value}:{value}:{code}".encode()
    return hmac.new(current_app.secret_key.encode(), message, hashlib.sha256).hexdigest()


def start_change(user, kind: Channel, typed: str, *, now=None) -> PendingContact:
    """Send a code to a new email or phone; it waits there until the code comes back."""
    now = now or utcnow()
    value = normalise(kind, typed)
    if value == current(user, kind):
        raise DomainError("same_as_now")
    if in_use_by_another(user, kind, value):
        raise DomainError("in_use")
    waiting = pending_of(user, kind)
    if waiting is not None and not contacts.may_send_again(
            waiting.created_at, waiting.value == value, now, RESEND_PAUSE):
        raise DomainError("sent_just_now")
    if waiting is not None:
        db.session.delete(waiting)
        db.session.flush()
    code = f"{secrets.randbelow(10 ** contacts.CODE_DIGITS):0{contacts.CODE_DIGITS}d}"
    lifetime = current_app.config["CONTACT_CODE_LIFETIME"]
    pending = PendingContact(user_id=user.id, kind=kind, value=value,
                             code_hash=code_hash(user.id, kind, value, code),
                             created_at=now, expires_at=now + lifetime)
    db.session.add(pending)
    queue_message(user, "contact_code", channel=kind, to=value, code=code,
                  minutes=int(lifetime.total_seconds() // 60))
    record(user, "account.contact_code_sent", subject=user, detail=kind.value)
    db.session.flush()
    return pending


def confirm(user, kind: Channel, typed_code: str, *, now=None) -> str:
    """The code from the message makes the address the person's; the old one is told."""
    now = now or utcnow()
    pending = pending_of(user, kind)
    typed = "".join(ch for ch in (typed_code or "") if not ch.isspace())
    matches = pending is not None and hmac.compare_digest(
        pending.code_hash, code_hash(user.id, kind, pending.value, typed))
    problem = contacts.code_problem(
        expires_at=pending.expires_at if pending else None,
        attempts=pending.attempts if pending else 0,
        max_attempts=current_app.config["CONTACT_CODE_ATTEMPTS"], matches=matches, now=now)
    if problem is contacts.CodeProblem.WRONG:
        count_wrong_try(pending)
    if problem is not None:
        raise DomainError(problem, tries=current_app.config["CONTACT_CODE_ATTEMPTS"])
    if in_use_by_another(user, kind, pending.value):  # taken by someone since the code went
        raise DomainError("in_use")
    value, old = pending.value, current(user, kind)
    db.session.delete(pending)
    setattr(user, FIELD[kind], value)
    revoke_links(user, now=now)
    record(user, "account.contact_confirmed", subject=user, detail=kind.value)
    tell_of_change(user, kind, old, "contact_changed" if old else "contact_added")
    db.session.flush()
    return value


def count_wrong_try(pending: PendingContact) -> None:
    """A wrong code counts even though the view rolls back its refusal (safe to run twice)."""
    pending_id, tried = pending.id, pending.attempts
    unit_of_work.keep(lambda: db.session.execute(
        update(PendingContact).where(PendingContact.id == pending_id,
                                     PendingContact.attempts == tried)
        .values(attempts=tried + 1).execution_options(synchronize_session=False)))


def tell_of_change(user, kind: Channel, old: str | None, change: str) -> None:
    """The address that had it before hears of it; without one, the person's other address."""
    if old:
        queue_message(user, "account_changed", channel=kind, to=old, change=change, kind=kind)
        return
    other = Channel.SMS if kind is Channel.EMAIL else Channel.EMAIL
    if current(user, other):
        queue_message(user, "account_changed", channel=other, change=change, kind=kind)


def can_remove(user, kind: Channel) -> bool:
    """Someone who signs in only with links keeps at least one place to send them."""
    other = Channel.SMS if kind is Channel.EMAIL else Channel.EMAIL
    return current(user, kind) is not None and (
        user.password_hash is not None or current(user, other) is not None)


def remove(user, kind: Channel, *, now=None) -> None:
    """Take the email or phone off the account; it is told, once more, that it was."""
    now = now or utcnow()
    old = current(user, kind)
    if old is None:
        raise DomainError("nothing_to_remove")
    if not can_remove(user, kind):
        raise DomainError("last_way_in")
    tell_of_change(user, kind, old, "contact_removed")
    setattr(user, FIELD[kind], None)
    if user.notify_by is not None and user.notify_by.value == kind.value:
        user.notify_by = None  # back to the default: the other address, or the app
    revoke_links(user, now=now)
    record(user, "account.contact_removed", subject=user, detail=kind.value)
    db.session.flush()


def channel_choices(user) -> list[NotifyBy]:
    """In the app always; email and text message once there is a confirmed address."""
    return [NotifyBy.APP] + [NotifyBy(kind.value) for kind in (Channel.EMAIL, Channel.SMS)
                             if current(user, kind)]


def choose_channel(user, chosen: NotifyBy) -> None:
    """How news and reminders reach the person, among the addresses they confirmed."""
    if chosen not in channel_choices(user):
        raise DomainError("not_confirmed")
    user.notify_by = chosen
    record(user, "account.notify_by_changed", subject=user, detail=chosen.value)
    db.session.flush()


def forget_expired(now=None) -> int:
    """Codes no longer usable, with the addresses they went to (for `privacy purge`)."""
    now = now or utcnow()
    return len(db.session.execute(delete(PendingContact).where(
        PendingContact.expires_at <= now).returning(PendingContact.id)).all())
