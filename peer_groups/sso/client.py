"""OpenID Connect with an area's provider: discovery, the authorization code flow with PKCE,
and the ID token's signature and claims, through Authlib (its OAuth 2 request builders, PKCE,
and the OpenID Connect ID token claims) and joserfc (Authlib's JOSE); httpx does the HTTP.

Discovery documents and key sets are fetched from the issuer with a timeout and kept for
`SSO_METADATA_CACHE_SECONDS` in this process; a token signed with a key we do not have yet
fetches the key set once more (the provider rotated its keys). Nothing here logs a token.
"""

import hmac
import threading
import time
from datetime import datetime
from urllib.parse import quote

import httpx
from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from flask import current_app
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from peer_groups.domain.errors import DomainError

_cache: dict[str, tuple[float, dict]] = {}
_lock = threading.Lock()
SCOPE = "openid email profile"


def _get_json(url: str) -> dict:
    try:
        response = httpx.get(url, timeout=current_app.config["SSO_HTTP_TIMEOUT"])
        response.raise_for_status()
        found = response.json()
    except (httpx.HTTPError, ValueError):
        raise DomainError("provider_unreachable") from None
    if not isinstance(found, dict):
        raise DomainError("provider_unreachable")
    return found


def _cached(key: str, fetch, force: bool = False) -> dict:
    now = time.monotonic()
    with _lock:
        kept = _cache.get(key)
    if kept and kept[0] > now and not force:
        return kept[1]
    value = fetch()
    with _lock:
        _cache[key] = (now + current_app.config["SSO_METADATA_CACHE_SECONDS"], value)
    return value


def metadata(issuer: str, force: bool = False) -> dict:
    """The provider's discovery document; its issuer must be the one configured."""

    def fetch():
        found = _get_json(f"{issuer}/.well-known/openid-configuration")
        needed = ("authorization_endpoint", "token_endpoint", "jwks_uri")
        if str(found.get("issuer", "")).rstrip("/") != issuer or not all(
                isinstance(found.get(name), str) for name in needed):
            raise DomainError("provider_unreachable")
        return found

    return _cached(f"meta:{issuer}", fetch, force)


def key_set(issuer: str, force: bool = False) -> KeySet:
    uri = metadata(issuer)["jwks_uri"]
    try:
        return KeySet.import_key_set(_cached(f"jwks:{uri}", lambda: _get_json(uri), force))
    except (JoseError, ValueError, TypeError, KeyError):
        raise DomainError("provider_unreachable") from None


def check_connection(issuer: str) -> None:
    """Fetch discovery and keys afresh; raises "provider_unreachable" if either fails."""
    metadata(issuer, force=True)
    key_set(issuer, force=True)


def begin(provider, redirect_uri: str) -> tuple[str, dict]:
    """The provider's sign-in address, and what this browser must keep until it comes back."""
    flow = {"provider": provider.id, "state": generate_token(32), "nonce": generate_token(32),
            "verifier": generate_token(64)}
    url = prepare_grant_uri(
        metadata(provider.issuer)["authorization_endpoint"], client_id=provider.client_id,
        response_type="code", redirect_uri=redirect_uri, scope=SCOPE, state=flow["state"],
        nonce=flow["nonce"], code_challenge=create_s256_code_challenge(flow["verifier"]),
        code_challenge_method="S256")
    return url, flow


def _exchange(provider, code: str, verifier: str, redirect_uri: str) -> dict:
    """The token endpoint's answer to the code (RFC 6749 4.1.3, with the PKCE verifier)."""
    meta = metadata(provider.issuer)
    methods = meta.get("token_endpoint_auth_methods_supported")
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
            "code_verifier": verifier}
    auth = None
    if isinstance(methods, list) and "client_secret_basic" not in methods:
        form |= {"client_id": provider.client_id, "client_secret": provider.client_secret}
    else:
        auth = httpx.BasicAuth(quote(provider.client_id, safe=""),
                               quote(provider.client_secret, safe=""))
    try:
        response = httpx.post(meta["token_endpoint"], data=form, auth=auth,
                              headers={"Accept": "application/json"},
                              timeout=current_app.config["SSO_HTTP_TIMEOUT"])
    except httpx.HTTPError:
        raise DomainError("provider_unreachable") from None
    try:
        token = response.json()
    except ValueError:
        token = None
    if response.status_code >= 500 and not isinstance(token, dict):
        raise DomainError("provider_unreachable")
    if response.status_code != 200 or not isinstance(token, dict) or "error" in token:
        raise DomainError("provider_refused")
    return token


def finish(provider, flow: dict, answer: dict, redirect_uri: str, now: datetime) -> tuple:
    """The verified ID token's claims and the raw token, from the provider's answer.

    Refuses a state that is not this browser's, an error from the provider, a code the token
    endpoint will not take (a replayed one), and any token whose signature, issuer, audience,
    expiry or nonce is wrong.
    """
    state = answer.get("state")
    if not isinstance(state, str) or not hmac.compare_digest(state, flow["state"]):
        raise DomainError("state_mismatch")
    code = answer.get("code")
    if answer.get("error") or not isinstance(code, str) or not code:
        raise DomainError("provider_refused")
    token = _exchange(provider, code, flow["verifier"], redirect_uri)
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise DomainError("token_invalid")
    return verify_id_token(provider, id_token, flow["nonce"], token.get("access_token"),
                           now), id_token


def verify_id_token(provider, id_token: str, nonce: str, access_token, now: datetime) -> dict:
    algorithms = [alg for alg in metadata(provider.issuer).get(
        "id_token_signing_alg_values_supported", ["RS256"]) if alg != "none"]
    try:
        try:
            decoded = jwt.decode(id_token, key_set(provider.issuer), algorithms=algorithms)
        except InvalidKeyIdError:
            decoded = jwt.decode(id_token, key_set(provider.issuer, force=True),
                                 algorithms=algorithms)
        options = {"iss": {"essential": True, "value": provider.issuer},
                   "aud": {"essential": True, "value": provider.client_id},
                   "nonce": {"essential": True, "value": nonce}}
        params = {"nonce": nonce, "client_id": provider.client_id}
        if access_token:
            params["access_token"] = access_token
        claims = CodeIDToken(decoded.claims, decoded.header, options, params)
        claims.validate(now=int(now.timestamp()), leeway=current_app.config["SSO_LEEWAY"])
    except (JoseError, ValueError, TypeError):
        raise DomainError("token_invalid") from None
    return dict(claims)


def logout_url(provider, id_token: str, post_logout_redirect_uri: str) -> str | None:
    """The provider's own sign-out, if its discovery names one (RP-initiated logout)."""
    try:
        endpoint = metadata(provider.issuer).get("end_session_endpoint")
    except DomainError:
        return None
    if not isinstance(endpoint, str):
        return None
    return add_params_to_uri(endpoint, [("id_token_hint", id_token),
                                        ("post_logout_redirect_uri", post_logout_redirect_uri),
                                        ("client_id", provider.client_id)])
