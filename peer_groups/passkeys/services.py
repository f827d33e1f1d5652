"""Adding, using and removing passkeys, through py_webauthn's ceremonies.

Every challenge works once: the browser's session holds it and the database a hash of it,
deleted by the answer that uses it (a copied cookie cannot replay it, on any server). The
relying party id and the origin come from PUBLIC_URL (the request's host only where that is
unset, as in development); a browser signs the page's real origin into every answer, so an
answer made on another site is refused here.
"""

import hashlib
import json
import secrets
from datetime import datetime

from flask import current_app, request
from sqlalchemy import delete, func, select
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from peer_groups.audit.services import record
from peer_groups.auth import services as auth_services
from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain import passkeys as rules
from peer_groups.domain.errors import DomainError
from peer_groups.passkeys.models import Passkey, PasskeyChallenge

REGISTER, SIGN_IN = "register", "sign_in"


def relying_party() -> tuple[str, str]:
    """(RP id, expected origin) for this deployment."""
    cfg = current_app.config
    return rules.relying_party(cfg.get("PUBLIC_URL") or request.host_url, cfg["PASSKEY_RP_ID"])


def passkeys_of(user: User) -> list[Passkey]:
    return list(db.session.scalars(select(Passkey).where(Passkey.user_id == user.id)
                                   .order_by(Passkey.created_at)))


def has_passkey(user: User) -> bool:
    return bool(db.session.scalar(select(func.count(Passkey.id))
                                  .where(Passkey.user_id == user.id)))


def _timeout_ms() -> int:
    return int(current_app.config["PASSKEY_CHALLENGE_LIFETIME"].total_seconds() * 1000)


def _issue_challenge(purpose: str, user: User | None, now: datetime) -> bytes:
    """A fresh random challenge, remembered (hashed) until it is used or expires."""
    db.session.execute(delete(PasskeyChallenge).where(PasskeyChallenge.expires_at <= now))
    challenge = secrets.token_bytes(32)
    db.session.add(PasskeyChallenge(
        challenge_hash=hashlib.sha256(challenge).hexdigest(), purpose=purpose,
        user_id=user.id if user else None,
        expires_at=now + current_app.config["PASSKEY_CHALLENGE_LIFETIME"]))
    return challenge


def _use_challenge(challenge: str | None, purpose: str, user: User | None,
                   now: datetime) -> bytes:
    """The challenge this browser was given, used up now; refused if used, old or not ours."""
    try:
        raw = base64url_to_bytes(challenge or "")
    except (ValueError, TypeError):
        raw = b""
    whose = (PasskeyChallenge.user_id == user.id) if user else PasskeyChallenge.user_id.is_(None)
    used = db.session.execute(delete(PasskeyChallenge).where(
        PasskeyChallenge.challenge_hash == hashlib.sha256(raw).hexdigest(),
        PasskeyChallenge.purpose == purpose, PasskeyChallenge.expires_at > now, whose))
    if not raw or used.rowcount != 1:
        raise DomainError("challenge")
    return raw


def registration_options(user: User, now: datetime) -> tuple[str, str, str]:
    """Options for navigator.credentials.create() as JSON, and the challenge and user handle
    to keep in the session (the browser does not send the handle back on create())."""
    rp_id, _origin = relying_party()
    existing = passkeys_of(user)
    handle = existing[0].user_handle if existing else bytes_to_base64url(secrets.token_bytes(32))
    challenge = _issue_challenge(REGISTER, user, now)
    options = generate_registration_options(
        rp_id=rp_id, rp_name=current_app.config["PASSKEY_RP_NAME"],
        user_name=user.email or user.username or user.display_name,
        user_display_name=user.display_name, user_id=base64url_to_bytes(handle),
        challenge=challenge, timeout=_timeout_ms(),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED, require_resident_key=True,
            user_verification=UserVerificationRequirement.REQUIRED),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id))
                             for p in existing])
    return options_to_json(options), bytes_to_base64url(challenge), handle


def add_passkey(user: User, credential: dict, name: str | None, challenge: str | None,
                handle: str | None, now: datetime, user_agent: str | None = None) -> Passkey:
    """Keep the new passkey if the browser's answer is right; audited and told to the person."""
    expected = _use_challenge(challenge, REGISTER, user, now)
    if not handle:
        raise DomainError("challenge")
    if not isinstance(credential, dict):
        raise DomainError("refused")
    rp_id, origin = relying_party()
    try:
        verified = verify_registration_response(
            credential=credential, expected_challenge=expected, expected_rp_id=rp_id,
            expected_origin=origin, require_user_verification=True)
    except (WebAuthnException, ValueError, KeyError, TypeError, AttributeError) as refused:
        raise DomainError("refused") from refused
    credential_id = bytes_to_base64url(verified.credential_id)
    if db.session.scalar(select(Passkey.id).where(Passkey.credential_id == credential_id)):
        raise DomainError("already_added")
    existing = passkeys_of(user)
    if existing:
        handle = existing[0].user_handle
    passkey = Passkey(user_id=user.id, credential_id=credential_id,
                      public_key=verified.credential_public_key,
                      sign_count=verified.sign_count, user_handle=handle,
                      name=rules.clean_name(name, rules.default_name(user_agent)), created_at=now)
    db.session.add(passkey)
    db.session.flush()
    record(user, "passkey.added", subject=user)
    auth_services.tell_about_change(user, "passkey_added")
    return passkey


def sign_in_options(now: datetime) -> tuple[str, str]:
    """Options for navigator.credentials.get() with no account named: the passkey says whose."""
    rp_id, _origin = relying_party()
    challenge = _issue_challenge(SIGN_IN, None, now)
    options = generate_authentication_options(
        rp_id=rp_id, challenge=challenge, timeout=_timeout_ms(),
        user_verification=UserVerificationRequirement.REQUIRED)
    return options_to_json(options), bytes_to_base64url(challenge)


def check_sign_in(credential: dict, challenge: str | None, now: datetime) -> User:
    """Whose passkey signed this challenge, if it is right: the sign count moves on."""
    expected = _use_challenge(challenge, SIGN_IN, None, now)
    if not isinstance(credential, dict) or not isinstance(credential.get("response"), dict):
        raise DomainError("refused")
    credential_id = credential.get("id")
    passkey = db.session.scalars(select(Passkey).where(
        Passkey.credential_id == credential_id)).first() if isinstance(credential_id, str) else None
    if passkey is None or not passkey.user.active:
        raise DomainError("unknown")
    handle = credential["response"].get("userHandle")
    if handle and handle != passkey.user_handle:
        raise DomainError("refused")
    rp_id, origin = relying_party()
    try:
        verified = verify_authentication_response(
            credential=credential, expected_challenge=expected, expected_rp_id=rp_id,
            expected_origin=origin, credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count, require_user_verification=True)
    except (WebAuthnException, ValueError, KeyError, TypeError, AttributeError) as refused:
        record(None, "passkey.refused", subject=passkey.user)
        raise DomainError("refused") from refused
    first_use = passkey.last_used_at is None
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = now
    record(passkey.user, "passkey.used", subject=passkey.user)
    if first_use:  # told once per passkey, not at every sign-in (that would be noise)
        auth_services.tell_about_change(passkey.user, "passkey_first_used")
    return passkey.user


def passkey_of(user: User, passkey_id: int) -> Passkey | None:
    """One of the person's own passkeys; None for anyone else's."""
    passkey = db.session.get(Passkey, passkey_id)
    return passkey if passkey is not None and passkey.user_id == user.id else None


def remove_passkey(user: User, passkey: Passkey) -> None:
    """Remove one of the person's own passkeys; audited and told to them."""
    db.session.delete(passkey)
    record(user, "passkey.removed", subject=user)
    auth_services.tell_about_change(user, "passkey_removed")


def text_in(answer: dict, key: str) -> str | None:
    """A text the script sent (a name, a next page); anything else counts as not sent."""
    value = answer.get(key)
    return value if isinstance(value, str) else None


def parse_json(body: str | bytes | None) -> dict:
    """The browser's answer; a malformed one is a refusal, never a 500."""
    try:
        found = json.loads(body or "")
    except (ValueError, TypeError) as bad:
        raise DomainError("refused") from bad
    if not isinstance(found, dict):
        raise DomainError("refused")
    return found
