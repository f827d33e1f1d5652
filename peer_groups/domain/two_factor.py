"""Second factors: who needs one, which one-time codes count, and recovery codes.

A TOTP code is accepted for the time step before, at or after now (phone clocks drift), and only
for a step later than the last one used, so a code seen over someone's shoulder cannot be used
again. Recovery codes are random and short enough to type; they are stored hashed with argon2id
(see `peer_groups.auth.two_factor`).
"""

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

import pyotp

STEP_SECONDS = 30
ALLOWED_DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
RECOVERY_GROUP, RECOVERY_GROUPS = 5, 2


class SecondFactor(StrEnum):
    """What a signed-in session still has to do before it reaches the app."""

    DONE = "done"  # passed in this session, or not needed
    VERIFY = "verify"  # has an authenticator: enter a code
    SET_UP = "set_up"  # staff without an authenticator: set one up first


def second_factor_step(is_staff: bool, enrolled: bool, passed: bool) -> SecondFactor:
    """Staff must use a second factor; young people only once they have turned it on."""
    if passed:
        return SecondFactor.DONE
    if enrolled:
        return SecondFactor.VERIFY
    return SecondFactor.SET_UP if is_staff else SecondFactor.DONE


def setup_secret(server_key: bytes, session_token: str, current_secret: str | None) -> str:
    """The secret offered while setting up, derived rather than stored.

    The same browser session sees the same QR code on every visit, without a page view
    writing anything; a new session, or replacing an authenticator, gives a new secret.
    """
    material = f"totp-setup|{session_token}|{current_secret or ''}".encode()
    digest = hmac.new(server_key, material, hashlib.sha256).digest()[:20]
    return base64.b32encode(digest).decode()


def time_step(moment: datetime) -> int:
    return int(moment.timestamp()) // STEP_SECONDS


def code_at(secret: str, step: int) -> str:
    return pyotp.TOTP(secret).at(step * STEP_SECONDS)


def normalise_code(typed: str) -> str:
    """What people type: spaces, dashes and capitals are ignored."""
    return "".join(ch for ch in typed.lower() if ch.isalnum())


def matching_step(secret: str, typed: str, now: datetime, last_used_step: int | None) -> int | None:
    """The time step the typed code belongs to, or None if it is wrong, stale or used."""
    code = normalise_code(typed)
    if len(code) != 6 or not (code.isascii() and code.isdigit()):
        return None
    current = time_step(now)
    for step in range(current - ALLOWED_DRIFT_STEPS, current + ALLOWED_DRIFT_STEPS + 1):
        if last_used_step is not None and step <= last_used_step:
            continue
        if hmac.compare_digest(code_at(secret, step), code):
            return step
    return None


def looks_like_recovery_code(typed: str) -> bool:
    return len(normalise_code(typed)) == RECOVERY_GROUP * RECOVERY_GROUPS


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    """Codes like `k7m2p-x9qrt`, each usable once."""
    codes = []
    for _ in range(count):
        groups = ("".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUP))
                  for _ in range(RECOVERY_GROUPS))
        codes.append("-".join(groups))
    return codes


def is_recent(signed_in_at: datetime, now: datetime, window: timedelta) -> bool:
    """Sensitive changes need a password (and code) typed within `window`."""
    return now - signed_in_at < window


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)
