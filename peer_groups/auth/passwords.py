"""Password hashing with argon2id, and the password rules with the shipped list of common ones."""

import gzip
from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

from peer_groups.domain.passwords import password_problems

# A stored hash to verify against when no account matches, so both paths take as long.
_TIMING_EQUALISER: dict[tuple, str] = {}


@cache
def common_passwords() -> frozenset[str]:
    """About 20,000 common passwords (the list Django ships, BSD licence)."""
    data = files("peer_groups.data").joinpath("common-passwords.txt.gz").read_bytes()
    return frozenset(gzip.decompress(data).decode().split())


def hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_COST"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    ph = hasher()
    if not stored_hash:
        key = (ph.time_cost, ph.memory_cost, ph.parallelism)
        if key not in _TIMING_EQUALISER:
            _TIMING_EQUALISER[key] = ph.hash("equal-time")
        verifies(ph, _TIMING_EQUALISER[key], password)
        return False
    return verifies(ph, stored_hash, password)


def verifies(ph: PasswordHasher, stored_hash: str, secret: str) -> bool:
    """Whether `secret` matches an argon2 hash; a malformed hash never does."""
    try:
        return ph.verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return hasher().check_needs_rehash(stored_hash)


def problems_with(password: str, *personal: str | None):
    return password_problems(password, common_passwords(), tuple(p for p in personal if p))
