"""Single sign-on rules: which provider covers an address, whom a verified identity may sign in
as, and whether the provider vouched for a second factor. No Flask, no SQLAlchemy."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from peer_groups.domain.errors import DomainError

# RFC 8176 authentication method references that mean more than a password alone.
MFA_METHODS = frozenset({"mfa", "otp", "hwk", "swk", "fpt", "face", "pin", "sc", "iris",
                         "retina", "vbm"})
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class ProviderProblem(StrEnum):
    """What is wrong with a provider's settings."""

    BAD_ISSUER = "bad_issuer"
    NO_DOMAINS = "no_domains"
    BAD_DOMAIN = "bad_domain"


class SignInProblem(StrEnum):
    """Why a verified identity may not sign in."""

    NO_EMAIL = "no_email"
    EMAIL_UNVERIFIED = "email_unverified"
    DOMAIN_NOT_COVERED = "domain_not_covered"
    UNKNOWN_PERSON = "unknown_person"
    OTHER_AREA = "other_area"


def parse_domains(text: str) -> tuple[str, ...]:
    """"example.fi, Hyvaks.fi" -> ("example.fi", "hyvaks.fi"); refuses anything else."""
    found = [part.strip().lower().removeprefix("@") for part in re.split(r"[\s,;]+", text or "")]
    found = [part for part in found if part]
    if not found:
        raise DomainError(ProviderProblem.NO_DOMAINS)
    for domain in found:
        if not DOMAIN.match(domain):
            raise DomainError(ProviderProblem.BAD_DOMAIN, domain=domain[:60])
    return tuple(dict.fromkeys(found))


def parse_acr_values(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part for part in re.split(r"[\s,]+", text or "") if part))


def check_issuer(url: str) -> str:
    """An issuer must be https (plain http only on this machine's loopback, for testing)."""
    url = (url or "").strip().rstrip("/")
    try:
        parts = urlsplit(url)
    except ValueError:
        raise DomainError(ProviderProblem.BAD_ISSUER) from None
    secure = parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)
    if not parts.hostname or not secure or parts.query or parts.fragment:
        raise DomainError(ProviderProblem.BAD_ISSUER)
    return url


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower() if "@" in (email or "") else ""


def mfa_asserted(amr: object, acr: object, mfa_acr_values: Iterable[str]) -> bool:
    """True when the ID token says the person used more than one factor."""
    methods = amr if isinstance(amr, list) else []
    if any(isinstance(m, str) and m.lower() in MFA_METHODS for m in methods):
        return True
    return isinstance(acr, str) and acr in set(mfa_acr_values)


@dataclass(frozen=True)
class Account:
    """What matching needs to know of the account the address belongs to."""

    area_id: int | None
    is_staff: bool
    active: bool


def refusal(email: object, email_verified: object, domains: Iterable[str], area_id: int,
            account: Account | None) -> SignInProblem | None:
    """Why this identity may not sign in to `account` through the area's provider, or None.

    Only a verified address counts; the provider covers only its own domains and area; single
    sign-on never makes an account and is for staff only (young people sign in their own ways).
    """
    if not isinstance(email, str) or "@" not in email:
        return SignInProblem.NO_EMAIL
    if email_verified is not True:
        return SignInProblem.EMAIL_UNVERIFIED
    if email_domain(email) not in set(domains):
        return SignInProblem.DOMAIN_NOT_COVERED
    if account is None or not account.is_staff or not account.active:
        return SignInProblem.UNKNOWN_PERSON
    if account.area_id != area_id:
        return SignInProblem.OTHER_AREA
    return None
