"""Second factors in the database: setting up an authenticator, checking codes, recovery codes.

The rules (who needs a second factor, which codes count) are in `peer_groups.domain.two_factor`.
"""

from argon2 import PasswordHasher
from flask import current_app
from sqlalchemy import delete, func, select, update

from peer_groups.audit.services import record
from peer_groups.auth import services, sessions
from peer_groups.auth.models import RecoveryCode, User
from peer_groups.auth.passwords import verifies
from peer_groups.db import db, utcnow
from peer_groups.domain.two_factor import (
    SecondFactor,
    is_recent,
    looks_like_recovery_code,
    matching_step,
    new_recovery_codes,
    normalise_code,
    second_factor_step,
    setup_secret,
)


def step_for(user: User) -> SecondFactor:
    """What this signed-in session of `user` still has to do."""
    passed = user.current_session is not None and user.current_session.second_factor_at is not None
    return second_factor_step(user.is_staff, user.has_second_factor, passed)


def is_recently_authenticated(user: User) -> bool:
    current = user.current_session
    return current is not None and is_recent(
        current.last_authenticated_at, utcnow(), current_app.config["REAUTHENTICATION_WINDOW"])


def pending_secret(user: User) -> str:
    """The secret being set up in this browser session, until its first code is confirmed."""
    return setup_secret(current_app.secret_key.encode(), user.session_token, user.totp_secret)


def confirm_setup(user: User, typed_code: str) -> list[str] | None:
    """Turn on the authenticator being set up if the code is right; the new recovery codes."""
    secret = pending_secret(user)
    step = matching_step(secret, typed_code, utcnow(), None)
    if step is None:
        return None
    replacing = user.has_second_factor
    user.totp_secret = secret
    user.totp_last_step = step
    mark_passed(user, reauthenticated=True)
    sessions.end_other_sessions(user)
    record(user, "auth.two_factor_replaced" if replacing else "auth.two_factor_enabled",
           subject=user)
    services.tell_about_change(user, "second_factor_new" if replacing else "second_factor_on")
    return renew_recovery_codes(user, audit=False)


def check_code(user: User, typed: str) -> str | None:
    """Which of the account's codes was typed: 'totp', 'recovery' or None.

    Only for credentials.verify, which holds the row and counts a wrong code as a failure.
    """
    now = utcnow()
    step = matching_step(user.totp_secret, typed, now, user.totp_last_step)
    if step is not None:
        # Conditional, so two requests racing with the same code cannot both use it.
        used = db.session.execute(
            update(User).where(User.id == user.id, (User.totp_last_step.is_(None))
                               | (User.totp_last_step < step))
            .values(totp_last_step=step).execution_options(synchronize_session=False))
        if used.rowcount == 1:
            return "totp"
    elif looks_like_recovery_code(typed) and use_recovery_code(user, typed):
        record(user, "auth.recovery_code_used", subject=user)
        return "recovery"
    return None


def recovery_hasher() -> PasswordHasher:
    """argon2id with its own salt per code, at OWASP's minimum cost (or the test config's).

    A recovery code has about 50 bits of randomness, short enough to type: salted and slow
    hashing keeps a stolen table from giving them away (ASVS 2.6.2, 2.6.3).
    """
    cfg = current_app.config
    return PasswordHasher(time_cost=min(cfg["ARGON2_TIME_COST"], 2),
                          memory_cost=min(cfg["ARGON2_MEMORY_COST"], 19456), parallelism=1)


def use_recovery_code(user: User, typed: str) -> bool:
    hasher, code = recovery_hasher(), normalise_code(typed)
    unused = db.session.execute(select(RecoveryCode.id, RecoveryCode.code_hash).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all()
    found = next((code_id for code_id, stored in unused if verifies(hasher, stored, code)), None)
    if found is None:
        return False
    used = db.session.execute(
        update(RecoveryCode).where(RecoveryCode.id == found, RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False))
    return used.rowcount == 1


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


def renew_recovery_codes(user: User, audit: bool = True) -> list[str]:
    """A fresh set of recovery codes; the old ones stop working."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes, hasher = new_recovery_codes(), recovery_hasher()
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=hasher.hash(normalise_code(code)))
                       for code in codes)
    if audit:
        record(user, "auth.recovery_codes_renewed", subject=user)
        services.tell_about_change(user, "recovery_codes")
    return codes


def mark_passed(user: User, reauthenticated: bool = False) -> None:
    now = utcnow()
    user.current_session.second_factor_at = now
    if reauthenticated:
        user.current_session.reauthenticated_at = now
    record(user, "auth.reauthenticated" if reauthenticated else "auth.second_factor_passed",
           subject=user)
    user.failed_sign_ins = 0
    user.failed_sign_ins_since = None


def mark_reauthenticated(user: User) -> None:
    mark_passed(user, reauthenticated=True)


def turn_off(user: User, actor: User) -> None:
    """Remove the authenticator and recovery codes; an admin's reset signs the person out."""
    user.totp_secret = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    if actor.id == user.id:
        record(user, "auth.two_factor_disabled", subject=user)
        services.tell_about_change(user, "second_factor_off")
    else:
        sessions.end_all_sessions(user)
        record(actor, "user.two_factor_reset", subject=user)
        services.tell_about_change(user, "second_factor_reset")
