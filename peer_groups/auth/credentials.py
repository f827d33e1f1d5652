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
from peer_groups.auth.services import locked_minutes
from peer_groups.db import UTCDateTime, db, utcnow
from peer_groups.domain.errors import DomainError


def hold_account_row(user: User) -> None:
    """Hold the account's row until this attempt is counted.

    A parallel attempt on another server waits, so none slips past the failure limit. FOR
    UPDATE, not FOR KEY SHARE: key-share locks do not exclude each other, nor the counting
    UPDATE. (On SQLite, BEGIN IMMEDIATE already makes writers wait.)
    """
    db.session.refresh(user, with_for_update=True)


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
           now=None, despite_lock: bool = False) -> str | None:
    """Check the password and/or the code the person typed; which code it was, if any.

    Raises DomainError 'locked' (with `minutes`), 'wrong_password', 'no_code' or 'wrong_code';
    every wrong password or code counts towards the lock, a right one resets the count.
    A closed account's password never counts as right. `despite_lock`: the code after a
    sign-in link, which proved the person's own address: the lock can't keep them out.
    """
    now = now or utcnow()
    hold_account_row(user)
    if (minutes := locked_minutes(user, now)) and not despite_lock:
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
                          code: str | None = None, now=None) -> User:
    """Start a session, or raise DomainError 'invalid'; a `code` typed too is the second factor.

    The lock can't be used to keep a colleague out, nor to learn who has an account: a locked
    account takes the right password together with the right code from the authenticator,
    and an unknown account, a wrong password and a locked account all get the same answer in
    the same time (the password is always checked, with one argon2 verification each).
    """
    now = now or utcnow()
    user = services.find_user(identifier)
    if user is None:
        verify_password(None, password)  # as slow as for a real account: no enumeration
        raise DomainError("invalid")
    hold_account_row(user)
    right = verify_password(user.password_hash, password) and user.active
    locked = locked_minutes(user, now) > 0
    code = (code or "").strip()
    second_factor = bool(right and code and user.has_second_factor
                         and two_factor.check_code(user, code))
    if not right or (locked and not second_factor) or (code and user.has_second_factor
                                                        and not second_factor):
        if locked:  # already locked: counting more changes nothing
            record(None, "auth.sign_in_refused_locked", subject=user)
        else:
            register_failure(user, now)
            record(None, "auth.sign_in_failed", subject=user)
        raise DomainError("invalid")
    user.failed_sign_ins = 0
    user.failed_sign_ins_since = None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    sessions.sign_in(user, remember=remember, second_factor_passed=second_factor)
    if second_factor:
        record(user, "auth.second_factor_passed", subject=user)
    return user
