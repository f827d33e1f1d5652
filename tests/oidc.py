"""Real OpenID Connect providers on loopback for the single sign-on tests.

`provider_process` starts PyPI's oidc-provider-mock as a process of its own (a real provider:
discovery, keys, authorization form, token endpoint, end-session). `Variation` is a tiny
provider of our own, served by Werkzeug in a thread, for answers the mock never gives: an ID
token for another audience, or one already expired.
"""

import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from urllib.parse import urlencode, urlsplit

import httpx
import pytest
from flask import Flask, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server

from peer_groups.db import db
from peer_groups.sso.models import SsoProvider
from tests.helpers import assert_redirect


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def provider_process():
    """oidc-provider-mock on 127.0.0.1, for the whole run; its issuer URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1"})
    issuer = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError("oidc-provider-mock did not start")
        yield issuer
    finally:
        process.terminate()
        process.wait(10)


def set_claims(issuer: str, sub: str, **claims) -> None:
    """What the provider will say about `sub` (the mock's own API)."""
    httpx.put(f"{issuer}/users/{sub}", json=claims, timeout=5).raise_for_status()


def connect(app, area, issuer, domains="example.com", acr="", name="Test County ID"):
    """An area connected to a provider; its id."""
    with app.app_context():
        provider = SsoProvider(area_id=area.id, display_name=name, issuer=issuer,
                               client_id="peer-groups", client_secret="s3cret-value",
                               email_domains=domains, mfa_acr_values=acr)
        db.session.add(provider)
        db.session.commit()
        return provider.id


def start(client, provider_id):
    """Press "Sign in with …": the answer sends the browser to the provider."""
    return assert_redirect(client.get(f"/auth/sso/{provider_id}/start"))


def authorize(location: str, sub: str) -> str:
    """At the mock provider: choose who signs in; where it sends the browser back."""
    response = httpx.post(location, data={"sub": sub}, timeout=5)
    assert response.status_code == 302, response.text[:500]
    return response.headers["Location"]


def back(client, location: str):
    """Follow the provider's redirect back to our callback."""
    parts = urlsplit(location)
    return client.get(f"{parts.path}?{parts.query}")


def sso_sign_in(client, provider_id, sub):
    return back(client, authorize(start(client, provider_id).location, sub))


class Variation:
    """A minimal provider whose ID token claims a test can bend (`self.bend`)."""

    _key = None

    def __init__(self):
        if Variation._key is None:  # one key for the run: making one takes a while
            Variation._key = RSAKey.generate_key(2048, parameters={"kid": "variation"},
                                                 private=True)
        self.key = Variation._key
        self.bend: dict = {}
        self.codes: dict[str, dict] = {}
        self.app = self._app()

    def _app(self):
        app = Flask(__name__)

        @app.get("/.well-known/openid-configuration")
        def discovery():
            base = request.host_url.rstrip("/")
            return jsonify(issuer=base, authorization_endpoint=f"{base}/authorize",
                           token_endpoint=f"{base}/token", jwks_uri=f"{base}/jwks",
                           id_token_signing_alg_values_supported=["RS256"])

        @app.get("/jwks")
        def jwks():
            return jsonify(KeySet([self.key]).as_dict(private=False))

        @app.get("/authorize")
        def authorize():
            code = secrets.token_urlsafe(16)
            self.codes[code] = dict(request.args)
            query = urlencode({"code": code, "state": request.args["state"]})
            return redirect(f"{request.args['redirect_uri']}?{query}")

        @app.post("/token")
        def token():
            asked = self.codes.pop(request.form.get("code"), None)
            if asked is None:
                return jsonify(error="invalid_grant"), 400
            now = int(time.time())
            claims = {"iss": request.host_url.rstrip("/"), "sub": "variation-user",
                      "aud": asked["client_id"], "iat": now, "exp": now + 300,
                      "nonce": asked["nonce"], "email": self.email, "email_verified": True,
                      "amr": ["mfa"], **self.bend}
            id_token = jwt.encode({"alg": "RS256", "kid": "variation"}, claims, self.key)
            return jsonify(access_token="at", token_type="Bearer", id_token=id_token)

        return app

    email = ""


@contextmanager
def variation_server():
    variation = Variation()
    server = make_server("127.0.0.1", 0, variation.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        variation.issuer = f"http://127.0.0.1:{server.server_port}"
        yield variation
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()
