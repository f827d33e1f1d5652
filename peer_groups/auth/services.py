"""Finding an account, one-time links, and setting a password (the password check itself is
in auth/credentials.py)."""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update

from peer_groups.audit.services import record
from peer_groups.auth import sessions
from peer_groups.auth.models import OneTimeToken, TokenPurpose, User
from peer_groups.auth.passwords import hash_password
from peer_groups.auth.tokens import digest, new_token
from peer_groups.db import db, utcnow
from peer_groups.domain.sign_in import FailureWindow, is_locked, minutes_until_unlocked
from peer_groups.notifications.models import Channel
from peer_groups.notifications.services import queue_message


def normalise_phone(value: str) -> str:
    """Finnish numbers in the international form: 040 123 4567 -> +358401234567."""
    digits = "".join(ch for ch in value if ch.isdigit() or ch == "+")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+358" + digits[1:]
    return digits


def find_user(identifier: str) -> User | None:
    """The account an email address, username or phone number belongs to."""
    identifier = identifier.strip()
    if not identifier:
        return None
    lowered = identifier.lower()
    conditions = [func.lower(User.email) == lowered, func.lower(User.username) == lowered]
    if any(ch.isdigit() for ch in identifier) and "@" not in identifier:
        conditions.append(User.phone == normalise_phone(identifier))
    return db.session.scalars(select(User).where(or_(*conditions)).limit(1)).first()


def issue_token(user: User, purpose: TokenPurpose, lifetime: timedelta, *, now=None) -> str:
    token = new_token()
    now = now or utcnow()
    db.session.add(
        OneTimeToken(token_hash=digest(token), user_id=user.id, purpose=purpose,
                     created_at=now, expires_at=now + lifetime)
    )
    return token


def peek_token(token: str, purpose: TokenPurpose, *, now=None) -> OneTimeToken | None:
    """The live token behind a link, without using it up (GET must not change anything)."""
    now = now or utcnow()
    found = db.session.scalars(
        select(OneTimeToken).where(
            OneTimeToken.token_hash == digest(token), OneTimeToken.purpose == purpose
        )
    ).first()
    if found is None or found.used_at is not None or found.expires_at <= now:
        return None
    if not found.user.active:
        return None
    return found


def use_token(token: str, purpose: TokenPurpose, *, now=None) -> User | None:
    """Use a one-time link: exactly one request can, and only before it expires."""
    now = now or utcnow()
    found = peek_token(token, purpose)
    if found is None:
        return None
    used = db.session.execute(
        update(OneTimeToken)
        .where(OneTimeToken.id == found.id, OneTimeToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return found.user if used.rowcount == 1 else None


@dataclass(frozen=True)
class LinkRequest:
    """What the person typed, and where the link went (never told to them: no enumeration)."""

    user: User | None
    channel: Channel | None


def send_sign_in_link(identifier: str, link_for, now=None) -> LinkRequest:
    """Send a one-time sign-in link to the person's own email or phone, if the account exists.

    Staff sign in with a password and a code; only while someone's wrong guesses have locked
    their account do they get a link, to their email, and their code still follows it.
    """
    user = find_user(identifier)
    if user is None or not user.active:
        return LinkRequest(None, None)
    if user.is_staff and not (user.email and locked_minutes(user, now or utcnow())):
        return LinkRequest(None, None)
    if user.is_staff:
        channel = Channel.EMAIL
    else:
        channel = Channel.SMS if "@" not in identifier and user.phone else None
    token = issue_token(user, TokenPurpose.SIGN_IN, current_app.config["SIGN_IN_LINK_LIFETIME"])
    message = queue_message(user, "sign_in_link", channel=channel, link=link_for(token),
                            minutes=_minutes(current_app.config["SIGN_IN_LINK_LIFETIME"]))
    return LinkRequest(user, message.channel if message else None)


def locked_minutes(user: User, now) -> int:
    """Minutes until this account takes passwords and codes again, or 0."""
    cfg = current_app.config
    window = FailureWindow(user.failed_sign_ins, user.failed_sign_ins_since)
    if not is_locked(window, now, cfg["ACCOUNT_FAILURE_LIMIT"], cfg["ACCOUNT_FAILURE_WINDOW"]):
        return 0
    return minutes_until_unlocked(window, now, cfg["ACCOUNT_FAILURE_WINDOW"])


def send_password_reset(identifier: str, link_for) -> LinkRequest:
    user = find_user(identifier)
    if user is None or not user.active:
        return LinkRequest(None, None)
    lifetime = current_app.config["PASSWORD_RESET_LIFETIME"]
    token = issue_token(user, TokenPurpose.PASSWORD_RESET, lifetime)
    message = queue_message(user, "password_reset", link=link_for(token),
                            minutes=_minutes(lifetime))
    record(None, "auth.password_reset_requested", subject=user)
    return LinkRequest(user, message.channel if message else None)


def send_welcome(user: User, link_for, actor) -> None:
    """A new staff account: a link to choose a password, valid for a week."""
    lifetime = current_app.config["SET_PASSWORD_LIFETIME"]
    token = issue_token(user, TokenPurpose.SET_PASSWORD, lifetime)
    queue_message(user, "welcome", link=link_for(token), days=lifetime.days, inviter=actor)


def set_password(user: User, password: str, actor=None, action="auth.password_changed") -> None:
    """Store a new password; end every session and every outstanding link the user had."""
    first = user.password_hash is None
    user.password_hash = hash_password(password)
    user.failed_sign_ins = 0
    user.failed_sign_ins_since = None
    sessions.end_all_sessions(user)
    revoke_links(user)
    record(actor or user, action, subject=user)
    if not first:
        tell_about_change(user, "password")


def revoke_links(user: User, *, now=None) -> int:
    """End every sign-in, password and welcome link of the account that is not used yet.

    Marked used rather than deleted, so a late click gets the same kind page as a used link.
    """
    now = now or utcnow()
    revoked = db.session.execute(
        update(OneTimeToken)
        .where(OneTimeToken.user_id == user.id, OneTimeToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return revoked.rowcount


def tell_about_change(user: User, change: str, to: str | None = None) -> None:
    """A message to the person after a change to how they sign in, so a stranger's is noticed.

    `change`: password, second_factor_on, second_factor_new, second_factor_off,
    second_factor_reset, recovery_codes, passkey_added, passkey_first_used, passkey_removed,
    email_old or email_new (see
    templates/messages/account_changed.txt). `to`: another address than the account's own
    (the old one, after an email change).
    """
    channel = Channel.EMAIL if to else None
    queue_message(user, "account_changed", channel=channel, to=to, change=change)


def _minutes(lifetime: timedelta) -> int:
    return int(lifetime.total_seconds() // 60)
