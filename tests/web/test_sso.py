"""Single sign-on against real providers on loopback: the whole flow over HTTP, and each way a
sign-in through a provider is refused (tests/oidc.py starts the providers)."""

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import select

from peer_groups.audit.models import AuditEvent
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.sso.models import SsoProvider
from tests.conftest import post, sign_in
from tests.helpers import assert_redirect
from tests.oidc import (
    authorize,
    back,
    connect,
    free_port,
    provider_process,  # noqa: F401 - the fixture
    set_claims,
    sso_sign_in,
    start,
    variation_server,
)


def events(app, action):
    with app.app_context():
        return [(e.subject_user_id, e.detail, e.area_id) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))]


@pytest.fixture
def county(app, make, provider_process):  # noqa: F811
    area = make.area()
    return area, connect(app, area, provider_process)


def test_staff_sign_in_at_the_provider_and_out_of_it_too(app, client, make, county,
                                                       provider_process):  # noqa: F811
    area, provider_id = county
    worker = make.user(Role.WORKER, area=area)
    set_claims(provider_process, "worker-1", email=worker.email.upper(), email_verified=True,
               amr=["pwd", "mfa"])
    page = client.get("/auth/sign-in").get_data(as_text=True)
    assert "Sign in with Test County ID" in page
    to_provider = start(client, provider_id).location
    query = parse_qs(urlsplit(to_provider).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    assert query["scope"] == ["openid email profile"]
    # The provider vouched for two factors: no code of ours is asked.
    assert_redirect(back(client, authorize(to_provider, "worker-1")), "/home")
    with client.session_transaction() as cookie:
        assert cookie["sign_in_method"] == "sso"
        assert "sso_flow" not in cookie and "eyJ" not in str(dict(cookie))  # no token in it
    assert client.get("/home").status_code == 200
    assert events(app, "auth.signed_in")[-1][:2] == (worker.id, "sso")

    signed_out = post(client, "/auth/sign-out")
    text = signed_out.get_data(as_text=True)
    assert "Sign out of Test County ID too" in text
    url = next(part.split('"')[0] for part in text.split('href="')
               if part.startswith(provider_process))
    logout = parse_qs(urlsplit(url.replace("&amp;", "&")).query)
    assert logout["id_token_hint"] and logout["post_logout_redirect_uri"] == ["http://localhost/"]
    assert httpx.get(url.replace("&amp;", "&"), timeout=5).status_code == 200
    assert_redirect(client.get("/home"))  # our session is gone


def test_without_the_providers_second_factor_ours_is_asked(app, client, make, county,
                                                          provider_process):  # noqa: F811
    area, provider_id = county
    worker = make.user(Role.COORDINATOR, area=area)
    set_claims(provider_process, "coordinator-1", email=worker.email, email_verified=True,
               amr=["pwd"])
    assert_redirect(sso_sign_in(client, provider_id, "coordinator-1"), "/auth/two-factor")
    assert_redirect(client.get("/home"), "/auth/two-factor")


@pytest.mark.parametrize("case,code,words", [
    ("unverified", "email_unverified", "has not confirmed your email address"),
    ("unknown", "unknown_person", "found no staff account"),
    ("young", "unknown_person", "found no staff account"),
    ("other_area", "other_area", "belongs to another area"),
])
def test_refused_sign_ins_are_told_and_audited(app, client, make, county, provider_process,  # noqa: F811
                                               case, code, words):
    area, provider_id = county
    person = {"unverified": lambda: make.user(Role.WORKER, area=area),
              "unknown": lambda: None,
              "young": lambda: make.user(Role.YOUTH, area=area),
              "other_area": lambda: make.user(Role.WORKER)}[case]()
    email = person.email if person else "nobody@example.com"
    set_claims(provider_process, f"{case}-1", email=email,
               **({} if case == "unverified" else {"email_verified": True}))
    refused = sso_sign_in(client, provider_id, f"{case}-1")
    assert refused.status_code == 403 and words in refused.get_data(as_text=True)
    assert_redirect(client.get("/home"), "/auth/sign-in")
    subject, detail, area_id = events(app, "sso.sign_in_refused")[-1]
    assert (detail, area_id) == (code, area.id)
    assert subject == (person.id if case in ("unverified", "other_area") else None)


def test_a_tampered_state_and_a_replayed_code_are_refused(app, client, make, county,
                                                          provider_process):  # noqa: F811
    area, provider_id = county
    worker = make.user(Role.WORKER, area=area)
    set_claims(provider_process, "worker-2", email=worker.email, email_verified=True,
               amr=["mfa"])
    came_back = authorize(start(client, provider_id).location, "worker-2")
    tampered = came_back.replace("state=", "state=x")
    refused = back(client, tampered)
    assert refused.status_code == 403
    assert "did not start here" in refused.get_data(as_text=True)

    used = authorize(start(client, provider_id).location, "worker-2")
    assert_redirect(back(client, used), "/home")
    post(client, "/auth/sign-out")
    # The same answer again (a copied address): this browser started no sign-in for it.
    assert "did not start here" in back(client, used).get_data(as_text=True)
    # The used code in a new sign-in of this browser: the provider will not take it twice.
    fresh = parse_qs(urlsplit(start(client, provider_id).location).query)["state"][0]
    code = parse_qs(urlsplit(used).query)["code"][0]
    again = client.get(f"/auth/sso/callback?code={code}&state={fresh}")
    assert again.status_code == 403 and "did not sign you in" in again.get_data(as_text=True)
    assert "provider_refused" in [e[1] for e in events(app, "sso.sign_in_refused")]


@pytest.mark.parametrize("bend", [{"aud": "someone-else"}, {"exp": 1_000_000_000},
                                  {"iss": "http://127.0.0.1:1"}, {"nonce": "replayed"}])
def test_a_token_with_the_wrong_audience_or_expired_is_refused(app, client, make, bend):
    area = make.area()
    worker = make.user(Role.WORKER, area=area)
    with variation_server() as provider:
        provider.email, provider.bend = worker.email, bend
        provider_id = connect(app, area, provider.issuer)
        to_provider = start(client, provider_id).location
        came_back = httpx.get(to_provider, timeout=5).headers["Location"]
        refused = back(client, came_back)
    assert refused.status_code == 403
    assert "could not trust the answer" in refused.get_data(as_text=True)
    assert events(app, "sso.sign_in_refused")[-1][1] == "token_invalid"


def test_a_provider_that_is_down_gets_a_clear_message(app, client, make):
    area = make.area()
    provider_id = connect(app, area, f"http://127.0.0.1:{free_port()}")
    assert_redirect(start(client, provider_id), "/auth/sign-in")
    page = client.get("/auth/sign-in").get_data(as_text=True)
    assert "could not reach Test County ID" in page


def test_an_admin_connects_tests_and_disconnects_the_areas_provider(app, client, make,
                                                                   provider_process):  # noqa: F811
    admin = make.user(Role.ADMIN)
    sign_in(client, admin)
    path = f"/admin/areas/{admin.area_id}/sign-on"
    form = {"display_name": "Hyvinvointialue ID", "issuer": provider_process + "/",
            "client_id": "peer-groups", "client_secret": "very-secret-value",
            "email_domains": "Example.com, @hva.fi", "mfa_acr_values": ""}
    bad = post(client, path, {**form, "email_domains": "not a domain"})
    assert bad.status_code == 200 and "is not an email domain" in bad.get_data(as_text=True)
    assert_redirect(post(client, path, form), path)
    page = client.get(path).get_data(as_text=True)
    assert "very-secret-value" not in page and "http://localhost/auth/sso/callback" in page
    assert_redirect(post(client, path, {**form, "client_secret": ""}))  # keeps the secret
    with app.app_context():
        saved = db.session.scalars(select(SsoProvider)).one()
        assert (saved.client_secret, saved.email_domains) == ("very-secret-value",
                                                               "example.com hva.fi")
        assert saved.issuer == provider_process
    assert_redirect(post(client, path + "/check"), path)
    assert "The connection works" in client.get(path).get_data(as_text=True)
    assert_redirect(post(client, path + "/disconnect"), path)
    with app.app_context():
        assert db.session.scalars(select(SsoProvider)).first() is None
    assert [e[0] for e in events(app, "sso.provider_connected")] == [None]
    assert len(events(app, "sso.provider_changed")) == 1
    assert len(events(app, "sso.provider_disconnected")) == 1
    other = make.area()
    assert post(client, f"/admin/areas/{other.id}/sign-on", form).status_code == 403
