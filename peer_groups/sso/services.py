"""Connecting an area to its identity provider, and signing staff in through it.

Sign-in never makes an account: the verified email address must already be a staff
account of the provider's own area. Every refusal is audited with its reason only (never a
token, a code or the address).
"""

from datetime import datetime

from flask import session
from sqlalchemy import delete, func, select

from peer_groups.audit.services import record
from peer_groups.auth import sessions
from peer_groups.auth.models import User
from peer_groups.db import db, utcnow
from peer_groups.domain import sso as rules
from peer_groups.domain.errors import DomainError
from peer_groups.sso import client
from peer_groups.sso.models import SsoProvider, SsoSession

FLOW_KEY = "sso_flow"


def providers_for_sign_in() -> list[SsoProvider]:
    """Every connected provider, for the sign-in page's buttons."""
    return list(db.session.scalars(select(SsoProvider).order_by(SsoProvider.display_name)))


def provider(provider_id) -> SsoProvider | None:
    return db.session.get(SsoProvider, provider_id) if isinstance(provider_id, int) else None


def provider_of_area(area_id: int) -> SsoProvider | None:
    return db.session.scalars(select(SsoProvider).where(SsoProvider.area_id == area_id)).first()


def save_provider(area, actor, *, display_name: str, issuer: str, client_id: str,
                  client_secret: str | None, email_domains: str, mfa_acr_values: str = "",
                  now: datetime | None = None) -> SsoProvider:
    """Connect the area to a provider, or change its connection. An empty secret keeps the
    one saved (the form never shows it back)."""
    now = now or utcnow()
    issuer = rules.check_issuer(issuer)
    domains = rules.parse_domains(email_domains)
    found = provider_of_area(area.id)
    if found is None and not client_secret:
        raise DomainError("no_secret")
    if found is None:
        found = SsoProvider(area_id=area.id)
        db.session.add(found)
    changed = found.id is not None
    found.display_name = display_name.strip()
    found.issuer = issuer
    found.client_id = client_id.strip()
    if client_secret:
        found.client_secret = client_secret
    found.email_domains = " ".join(domains)
    found.mfa_acr_values = " ".join(rules.parse_acr_values(mfa_acr_values))
    found.updated_at = now
    db.session.flush()
    record(actor, "sso.provider_changed" if changed else "sso.provider_connected", obj=found,
           area_id=area.id)
    return found


def disconnect(area, actor) -> None:
    """Staff of the area sign in with their password and code again."""
    found = provider_of_area(area.id)
    if found is None:
        return
    db.session.execute(delete(SsoSession).where(SsoSession.provider_id == found.id))
    db.session.delete(found)
    record(actor, "sso.provider_disconnected", area_id=area.id)


def start(found: SsoProvider, redirect_uri: str, next_url: str) -> str:
    """Where to send the browser; what it must bring back is kept in its session."""
    url, flow = client.begin(found, redirect_uri)
    session[FLOW_KEY] = {**flow, "next": next_url}
    return url


def finish(answer: dict, redirect_uri: str, now: datetime | None = None) -> tuple[User, str]:
    """Check the provider's answer against this browser's flow and sign the person in.

    Returns the user and where to go next. Any refusal is audited, then raised.
    """
    now = now or utcnow()
    flow = session.pop(FLOW_KEY, None)
    found = provider(flow.get("provider")) if isinstance(flow, dict) else None
    if found is None:
        # No sign-in started in this browser: nothing to audit (anyone can open the address).
        raise DomainError("state_mismatch", name="")
    try:
        claims, id_token = client.finish(found, flow, answer, redirect_uri, now)
        user = match(found, claims)
    except DomainError as refused:
        record(None, "sso.sign_in_refused", subject=getattr(refused, "user", None),
               area_id=found.area_id, detail=refused.code)
        raise DomainError(refused.code, name=found.display_name) from None
    sign_in(user, found, claims, id_token)
    return user, flow.get("next") or "/"


def match(found: SsoProvider, claims: dict) -> User:
    """The existing staff account of the provider's area that the verified email is."""
    email = claims.get("email")
    user = None
    if isinstance(email, str) and "@" in email:
        user = db.session.scalars(select(User).where(
            func.lower(User.email) == email.strip().lower())).first()
    account = None if user is None else rules.Account(user.area_id, user.is_staff,
                                                      user.active)
    code = rules.refusal(email, claims.get("email_verified"), found.domains, found.area_id,
                         account)
    if code is not None:
        refused = DomainError(code)
        refused.user = user if account and account.is_staff else None
        raise refused
    return user


def sign_in(user: User, found: SsoProvider, claims: dict, id_token: str) -> None:
    """A session for `user`; our own second factor is skipped only where the provider
    vouches for more than one factor."""
    mfa = rules.mfa_asserted(claims.get("amr"), claims.get("acr"), found.acr_values)
    sessions.sign_in(user, second_factor_passed=mfa, how="sso")
    db.session.flush()
    db.session.add(SsoSession(auth_session_id=user.current_session.id, provider_id=found.id,
                              id_token=id_token))
    session["sign_in_method"] = "sso"


def provider_sign_out(user: User, come_back_to: str) -> dict | None:
    """The provider's own sign-out for a session that began there: its name and address."""
    current = user.current_session
    if current is None:
        return None
    kept = db.session.scalars(select(SsoSession).where(
        SsoSession.auth_session_id == current.id)).first()
    if kept is None:
        return None
    url = client.logout_url(kept.provider, kept.id_token, come_back_to)
    name = kept.provider.display_name
    db.session.delete(kept)
    return {"provider_name": name, "provider_sign_out_url": url} if url else None
