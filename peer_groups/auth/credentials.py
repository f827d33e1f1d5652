"""One check of what a person typed to prove who they are: a password, an authenticator code
or a recovery code.

Every form that asks for one (sign-in, the second step, "confirm it is you", changing the
password, erasing the account) goes through `verify`, so all of them share one row lock, one
count of failures and one lockout message (auth/messages.py).
"""

from flask import current_app
from sqlalchemy import case, literal, or_, update

from peer_groups.audit.services import record
from peer_groups.auth import services, sessions, two_factor
from peer_groups.auth.models import User
from peer_groups.auth.passwords import hash_password, needs_rehash, verify_password
from peer_groups.db import UTCDateTime, db, utcnow
from peer_groups.domain.errors import DomainError
from peer_groups.domain.sign_in import FailureWindow, is_locked, minutes_until_unlocked


def hold_account_row(user: User) -> None:
    """Hold the account's row until this attempt is counted.

    A parallel attempt on another server waits, so none slips past the failure limit. FOR
    UPDATE, not FOR KEY SHARE: key-share locks do not exclude each other, nor the counting
    UPDATE. (On SQLite, BEGIN IMMEDIATE already makes writers wait.)
    """
    db.session.refresh(user, with_for_update=True)


def locked_minutes(user: User, now) -> int:
    """Minutes until this account takes passwords and codes again, or 0."""
    cfg = current_app.config
    window = FailureWindow(user.failed_sign_ins, user.failed_sign_ins_since)
    if not is_locked(window, now, cfg["ACCOUNT_FAILURE_LIMIT"], cfg["ACCOUNT_FAILURE_WINDOW"]):
        return 0
    return minutes_until_unlocked(window, now, cfg["ACCOUNT_FAILURE_WINDOW"])


def register_failure(user: User, now) -> None:
    """Count a failed try in one statement, so that parallel requests all count."""
    window = current_app.config["ACCOUNT_FAILURE_WINDOW"]
    stale = or_(User.failed_sign_ins_since.is_(None), User.failed_sign_ins_since < now - window)
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(
            failed_sign_ins=case((stale, 1), else_=User.failed_sign_ins + 1),
            failed_sign_ins_since=case(
                (stale, literal(now, UTCDateTime())), else_=User.failed_sign_ins_since
            ),
        )
        .execution_options(synchronize_session=False)
    )


def verify(user: User, *, password: str | None = None, code: str | None = None,
           now=None) -> str | None:
    """Check the password and/or the code the person typed; which code it was, if any.

    Raises DomainError 'locked' (with `minutes`), 'wrong_password', 'no_code' or 'wrong_code';
    every wrong password or code counts towards the lock, a right one resets the count.
    A closed account's password never counts as right.
    """
    now = now or utcnow()
    hold_account_row(user)
    if minutes := locked_minutes(user, now):
        raise DomainError("locked", minutes=minutes)
    if password is not None and not (verify_password(user.password_hash, password)
                                     and user.active):
        register_failure(user, now)
        raise DomainError("wrong_password")
    used = None
    if code is not None:
        used = _check_code(user, code, now)
    if password is not None or code is not None:
        user.failed_sign_ins = 0
        user.failed_sign_ins_since = None
    return used


def _check_code(user: User, code: str, now) -> str:
    if not code.strip():
        raise DomainError("no_code")
    used = two_factor.check_code(user, code)
    if used is None:
        # A wrong code counts as a failed sign-in, so guessing meets the same lock.
        register_failure(user, now)
        record(None, "auth.second_factor_failed", subject=user)
        raise DomainError("wrong_code")
    return used


def sign_in_with_password(identifier: str, password: str, remember: bool = False, *,
                          now=None) -> User:
    """Start a session, or raise DomainError 'invalid' or 'locked' (with `minutes`)."""
    user = services.find_user(identifier)
    if user is None:
        verify_password(None, password)  # as slow as for a real account: no enumeration
        raise DomainError("invalid")
    try:
        verify(user, password=password, now=now)
    except DomainError as refused:
        if refused.code == "locked":
            raise
        record(None, "auth.sign_in_failed", subject=user)
        raise DomainError("invalid") from refused
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    sessions.sign_in(user, remember=remember)
    return user
