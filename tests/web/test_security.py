"""The security baseline: headers on every answer, CSRF, no state change on GET, trusted hosts,
error pages and logs that do not leak, the health check, sign-in rate limits and password rules.

Replayed session cookies after sign-out are tested in test_auth.py.
"""

import json
import logging
import re
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pyotp
import pytest
import redis
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from peer_groups import config, create_app
from peer_groups.audit.models import AuditEvent
from peer_groups.auth import services
from peer_groups.auth.models import AuthSession, OneTimeToken, TokenPurpose, User
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.notifications.models import OutboxMessage
from peer_groups.notifications.services import deliver_pending
from tests.conftest import CSRF, Builder, base_config, csrf_token, post, sign_in
from tests.factories import PASSWORD
from tests.helpers import REDIRECTS, assert_redirect

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {"APP_ENV": "production", "SECRET_KEY": "production-secret-only-for-these-tests",
              "PUBLIC_URL": "https://localhost"}
HTTPS = "https://localhost"
PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


# --- helpers --------------------------------------------------------------------------------


@pytest.fixture
def build_app(database_url, tmp_path):
    """Extra apps on the test database, each with its own configuration."""
    built = []

    def build(drop=(), **overrides):
        settings = {**base_config(database_url, tmp_path), **overrides}
        for key in drop:
            settings.pop(key, None)
        new_app = create_app(settings)
        built.append(new_app)
        return new_app

    yield build
    for new_app in built:
        with new_app.app_context():
            db.session.remove()
            db.engine.dispose()


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_security_headers(response, where, *, hsts=False):
    headers = response.headers
    policy = headers.get("Content-Security-Policy", "")
    csp = csp_directives(response)
    assert csp.get("default-src") == ["'self'"], (where, policy)
    assert csp.get("frame-ancestors") == ["'none'"], (where, policy)
    assert csp.get("base-uri") == ["'none'"], (where, policy)
    assert csp.get("object-src") == ["'none'"], (where, policy)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, (where, policy)
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    # Paths can hold one-time tokens: they must never travel to another site in a Referer. Not
    # "no-referrer" either: Flask-WTF checks the Referer of HTTPS form posts.
    assert headers.get("Referrer-Policy") == "same-origin", where
    if not where.startswith("/static/"):
        assert "no-store" in headers.get("Cache-Control", ""), (where, headers.get("Cache-Control"))
    if hsts:
        value = headers.get("Strict-Transport-Security", "")
        max_age = re.search(r"max-age=(\d+)", value)
        assert max_age and int(max_age.group(1)) >= 31536000, (where, value)
    else:
        assert "Strict-Transport-Security" not in headers, where


def fill(rule, values) -> str:
    """The rule's URL with each parameter filled from `values` (endpoint-specific first)."""
    return PARAM.sub(
        lambda m: str(values.get((rule.endpoint, m.group(1)), values.get(m.group(1)))),
        rule.rule,
    )


MISSING = {"area_id": 999999, "team_id": 999999, "user_id": 999999, "token": "no-such-token",
           "filename": "no/such/file.css", "group_id": 999999, "meeting_id": 999999,
           "item_id": 999999, "suggestion_id": 999999, "invitation_id": 999999,
           "purpose": "no-such-purpose", "notice_id": 999999, "kind": "no-such-kind",
           "provider_id": 999999, "answer_id": "00000000-0000-4000-8000-000000000000",
           "passkey_id": 999999}


def every_url(app, values):
    """Every rule of the app, filled with real values and with values that match nothing."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        for chosen in (values, MISSING):
            yield rule, fill(rule, chosen)
    yield None, "/no-such-page"


@pytest.fixture
def world(app, make):
    """An area with a team, a young person, a worker and the service owner, and live links."""
    area = make.area()
    team = make.team(area)
    youth = make.user(Role.YOUTH, area=area, phone="+358409999999")
    worker = make.user(Role.WORKER, area=area)
    owner = make.user(Role.ADMIN, area=None, is_superuser=True)
    with app.app_context():
        youth_row, worker_row = db.session.get(User, youth.id), db.session.get(User, worker.id)
        links = {
            "auth.use_link": services.issue_token(youth_row, TokenPurpose.SIGN_IN,
                                                  app.config["SIGN_IN_LINK_LIFETIME"]),
            "auth.reset": services.issue_token(worker_row, TokenPurpose.PASSWORD_RESET,
                                               app.config["PASSWORD_RESET_LIFETIME"]),
            "auth.welcome": services.issue_token(worker_row, TokenPurpose.SET_PASSWORD,
                                                 app.config["SET_PASSWORD_LIFETIME"]),
        }
        db.session.commit()
    group = make.group(area, facilitators=[worker], members=[youth])
    meeting = make.meeting(group)
    item = make.plan_item(meeting)
    idea = make.suggestion(group, youth)
    invitation = make.invitation(group)
    notice = make.notice(youth)
    values = {"area_id": area.id, "team_id": team.id, "user_id": worker.id,
              "token": "not-a-real-token", "filename": "css/app.css", "group_id": group.id,
              "meeting_id": meeting.id, "item_id": item.id, "suggestion_id": idea.id,
              "invitation_id": invitation.id, "purpose": "attendance", "kind": "email",
              "notice_id": notice.id, "provider_id": 999999,
              "answer_id": "00000000-0001-4000-8000-000000000000", "passkey_id": 1}
    values.update({(endpoint, "token"): token for endpoint, token in links.items()})
    return {"youth": youth, "worker": worker, "owner": owner}, values


def signed_in_clients(app, people):
    anonymous = app.test_client()
    clients = {"anonymous": anonymous}
    for name in ("youth", "owner"):
        clients[name] = app.test_client()
        sign_in(clients[name], people[name])
    return clients


# What a GET may change: opening one's notices marks them read, as reading a letter does.
READ_MARKS = {"notices": {"read_at"}}


def snapshot(app):
    """Every row of every table but the audit trail (which notes who viewed what), without
    the read marks."""
    with app.app_context():
        return {
            table.name: db.session.execute(
                select(*[column for column in table.columns
                         if column.name not in READ_MARKS.get(table.name, ())])
                .order_by(*table.primary_key.columns)
            ).all()
            for table in db.metadata.sorted_tables
            if table.name != "audit_events"
        }


def audit_actions(app, after_id=0):
    with app.app_context():
        return set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.id > after_id)))


def last_audit_id(app):
    with app.app_context():
        return db.session.scalar(select(func.max(AuditEvent.id))) or 0


# --- 1. security headers --------------------------------------------------------------------


def test_every_answer_of_every_route_carries_the_security_headers(app, world):
    people, values = world
    statuses = set()
    for persona, client in signed_in_clients(app, people).items():
        for rule, url in every_url(app, values):
            response = client.get(url)
            response.close()  # static files are streamed from an open file
            statuses.add(302 if response.status_code in REDIRECTS else response.status_code)
            assert_security_headers(response, url)
            if rule is not None and "GET" not in rule.methods:
                assert response.status_code == 405, (persona, url)
    # The walk really met pages, redirects, refusals, missing pages and used-up links.
    assert {200, 302, 403, 404, 405, 410} <= statuses, statuses


def test_error_answers_carry_the_security_headers_too(client, make):
    user = make.user(Role.WORKER)
    assert_security_headers(client.post("/auth/sign-in", data={}), "csrf 400")
    assert_security_headers(client.get("/", headers={"Host": "evil.example"}), "host 400")
    sign_in(client, user)
    assert_security_headers(client.get("/admin/areas"), "403")


def test_development_has_no_hsts(build_app):
    development = build_app(APP_ENV="development")
    response = development.test_client().get("/")
    assert response.status_code == 200
    assert_security_headers(response, "/", hsts=False)


def test_production_sends_hsts_on_every_route(build_app, world):
    _, values = world
    production = build_app(**PRODUCTION)
    client = production.test_client()
    statuses = set()
    for _, url in every_url(production, values):
        response = client.get(url, base_url=HTTPS)
        response.close()
        statuses.add(302 if response.status_code in REDIRECTS else response.status_code)
        assert_security_headers(response, url, hsts=True)
    assert {200, 302, 404, 405, 410} <= statuses, statuses
    # The development outbox does not exist in production.
    assert "notifications.outbox" not in production.view_functions


def https_post(client, path, data, form_page="/auth/link"):
    """A form post as a browser sends it over HTTPS: with the same-origin Referer."""
    page = client.get(form_page, base_url=HTTPS).get_data(as_text=True)
    token = CSRF.search(page).group(1)
    return client.post(path, data={"csrf_token": token, **data}, base_url=HTTPS,
                       headers={"Referer": f"{HTTPS}{path}"})


def test_production_session_cookie_is_host_only_secure_httponly_and_lax(build_app):
    production = build_app(**PRODUCTION)
    worker = Builder(production).user(Role.WORKER)
    client = production.test_client()
    response = https_post(client, "/auth/sign-in",
                          {"identifier": worker.email, "password": PASSWORD})
    assert_redirect(response)
    assert response.headers["Location"] == "/auth/two-factor?next=/home"
    cookies = response.headers.getlist("Set-Cookie")
    session_cookies = [c for c in cookies if c.startswith("__Host-session=")]
    assert len(session_cookies) == 1, cookies
    flags = [part.strip().lower() for part in session_cookies[0].split(";")[1:]]
    assert "secure" in flags
    assert "httponly" in flags
    assert "samesite=lax" in flags
    assert "path=/" in flags  # the __Host- prefix demands Path=/ and no Domain
    assert not any(flag.startswith("domain=") for flag in flags)
    assert_redirect(client.get("/home", base_url=HTTPS))  # the second factor first
    response = https_post(client, "/auth/two-factor",
                          {"code": pyotp.TOTP(worker.totp_secret).now()}, "/auth/two-factor")
    assert response.headers["Location"] == "/home"
    assert client.get("/home", base_url=HTTPS).status_code == 200


def test_production_rate_limits_are_on_even_after_a_testing_app_switched_them_off(
    app, build_app
):
    # `app` (the testing profile) turned the shared limiter off; production must not inherit it.
    assert app.config["RATELIMIT_ENABLED"] is False
    production = build_app(**PRODUCTION)
    assert production.config["RATELIMIT_ENABLED"] is True


# ASVS 14.4.1, 14.4.7, 14.5.1, 14.5.3, 10.2.2: a declared type on every answer, no framing, no
# device permissions, only the methods in use, and no other site allowed to read an answer.
UNUSED_METHODS = ("PUT", "DELETE", "PATCH", "TRACE")


def test_every_answer_declares_its_type_and_no_route_takes_unused_methods_or_origins(app, world):
    people, values = world
    for persona, client in signed_in_clients(app, people).items():
        for rule, url in every_url(app, values):
            response = client.get(url, headers={"Origin": "https://evil.example"})
            response.close()
            content_type = response.headers.get("Content-Type", "")
            assert content_type, (persona, url)
            if content_type.startswith("text/"):
                assert "charset=utf-8" in content_type.lower(), (url, content_type)
            assert not any(name.lower().startswith("access-control-")
                           for name in response.headers.keys()), url
            assert response.headers.get("X-Frame-Options") == "DENY", url
            assert "camera=()" in response.headers.get("Permissions-Policy", ""), url
            assert "geolocation=()" in response.headers.get("Permissions-Policy", ""), url
            if rule is not None and persona == "youth":
                for method in UNUSED_METHODS:
                    refused = client.open(fill(rule, values), method=method)
                    refused.close()
                    assert refused.status_code == 405, (method, url)
                    assert method not in refused.headers.get("Allow", ""), (method, url)


# --- 2. CSRF --------------------------------------------------------------------------------


def test_posts_without_a_csrf_token_are_refused_and_change_nothing(app, client, make):
    user = make.user(Role.WORKER, language="en", display_name="Original Name")
    sign_in(client, user)

    for path, data in [
        ("/language", {"language": "sv", "next": "/home"}),
        ("/account/", {"display_name": "Changed Name", "language": "fi"}),
        ("/auth/sign-out", {}),
    ]:
        response = client.post(path, data=data)
        assert response.status_code == 400, path
        assert "The form had expired" in response.get_data(as_text=True), path

    with app.app_context():
        row = db.session.get(User, user.id)
        assert (row.language, row.display_name) == ("en", "Original Name")
        assert db.session.scalar(select(func.count(AuthSession.id))) == 1
    assert client.get("/home").status_code == 200  # still signed in
    assert 'lang="en"' in client.get("/home").get_data(as_text=True)


def test_sign_in_without_or_with_a_foreign_csrf_token_is_refused(app, make):
    user = make.user(Role.WORKER)
    credentials = {"identifier": user.email, "password": PASSWORD}
    stranger, victim = app.test_client(), app.test_client()
    assert victim.post("/auth/sign-in", data=credentials).status_code == 400
    foreign = csrf_token(stranger)
    csrf_token(victim)  # the victim has a session of its own, with another token
    response = victim.post("/auth/sign-in", data={"csrf_token": foreign, **credentials})
    assert response.status_code == 400
    assert_redirect(victim.get("/home"))
    with app.app_context():
        assert db.session.scalar(select(func.count(AuthSession.id))) == 0


# --- 3. no state change on GET --------------------------------------------------------------


def test_get_never_changes_state_and_post_only_routes_refuse_get(app, world):
    people, values = world
    clients = signed_in_clients(app, people)
    post_rules = [rule for rule in app.url_map.iter_rules() if "POST" in rule.methods]
    post_only = {rule.endpoint for rule in post_rules if "GET" not in rule.methods}
    assert {"auth.sign_out", "main.set_language", "admin.sign_out_everywhere"} <= post_only

    before, signed_in = snapshot(app), last_audit_id(app)
    for persona, client in clients.items():
        for rule in post_rules:
            url = fill(rule, values)
            response = client.get(url)
            if rule.endpoint in post_only:
                assert response.status_code == 405, (persona, url)
                assert "GET" not in response.headers.get("Allow", ""), url
            else:
                assert response.status_code != 405, (persona, url)
        for _, url in every_url(app, values):
            client.get(url).close()
    # Live one-time links were opened too: none of them was used up by a GET.
    assert snapshot(app) == before
    # The only writes a GET may make are audit notes that somebody viewed (or downloaded)
    # personal data.
    written = audit_actions(app, after_id=signed_in)
    assert written and all(action.endswith((".viewed", ".exported")) for action in written), \
        written


# --- 4. trusted hosts -----------------------------------------------------------------------


def test_a_foreign_host_header_is_refused(app, client, make):
    user = make.user(Role.WORKER)
    response = client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert "evil.example" not in response.get_data(as_text=True)
    assert client.get("/").status_code == 200
    assert client.get("/", headers={"Host": "127.0.0.1"}).status_code == 200

    # A password reset asked for through a forged host sends no link to that host.
    response = post(client, "/auth/reset", {"identifier": user.email},
                    headers={"Host": "evil.example"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
        assert db.session.scalar(select(func.count(OneTimeToken.id))) == 0


def test_trusted_hosts_from_the_environment(build_app, monkeypatch):
    assert config.read_environment({"TRUSTED_HOSTS": " peer.example.fi, ,localhost "}) == {
        "TRUSTED_HOSTS": ["peer.example.fi", "localhost"]
    }
    monkeypatch.setenv("TRUSTED_HOSTS", "peer.example.fi,localhost")
    from_env = build_app(drop=("TRUSTED_HOSTS",))
    assert from_env.config["TRUSTED_HOSTS"] == ["peer.example.fi", "localhost"]
    client = from_env.test_client()
    assert client.get("/", headers={"Host": "peer.example.fi"}).status_code == 200
    assert client.get("/").status_code == 200
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


# --- 5. the 500 page ------------------------------------------------------------------------


PERSONAL = "aino@example.fi"


@pytest.mark.parametrize("app_config", [{"PROPAGATE_EXCEPTIONS": False}])
def test_a_crash_shows_a_generic_page_with_an_incident_code(app, client, caplog):
    def explode(token):
        raise ValueError(PERSONAL)

    app.add_url_rule("/explode/<token>", "explode", explode)
    caplog.set_level(logging.DEBUG)
    response = client.get("/explode/live-link-token-123")

    assert response.status_code == 500
    assert_security_headers(response, "/explode")
    body = response.get_data(as_text=True)
    incident = re.search(r'class="incident">([0-9a-f]{8,})<', body).group(1)
    for leak in ("Traceback", "ValueError", PERSONAL, "line "):
        assert leak not in body, leak

    logged = [r for r in caplog.records if incident in r.getMessage()]
    assert len(logged) == 1 and logged[0].levelno == logging.ERROR
    assert "ValueError" in logged[0].getMessage()  # enough to find the bug
    assert "explode" in logged[0].getMessage()  # the frames
    everything = caplog.text + "".join(repr(r.__dict__) for r in caplog.records)
    assert PERSONAL not in everything
    assert "live-link-token-123" not in everything  # the path's secret either


def contended(*args, **kwargs):
    raise OperationalError("INSERT ...", {}, sqlite3.OperationalError("database is locked"))


@pytest.mark.parametrize("host", ["localhost", "evil.example"])
def test_a_busy_database_answers_503_retry_after_even_for_a_refused_host(app, client, host):
    # On a refused Host no link can be built, so the busy page is plain text: it is still a 503.
    app.before_request(contended)
    response = client.get("/", headers={"Host": host})

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert "busy" in response.get_data(as_text=True)


# --- 6. health check ------------------------------------------------------------------------


def test_healthz_reports_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.is_json
    assert response.get_json() == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize("database", [
    "postgresql+psycopg://postgres@127.0.0.1:1/none",
    "sqlite:////nonexistent-directory/for/sure/peer_groups.sqlite",
])
def test_healthz_answers_503_json_when_the_database_is_unreachable(build_app, database):
    broken = build_app(SQLALCHEMY_DATABASE_URI=database)
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.is_json
    assert response.get_json()["status"] != "ok"
    assert response.get_json()["database"] != "ok"
    body = response.get_data(as_text=True)
    assert "127.0.0.1" not in body and "nonexistent" not in body


# --- 7. rate limits -------------------------------------------------------------------------


LIMITED = {"RATELIMIT_ENABLED": True, "RATELIMIT_SIGN_IN": "3 per minute"}
WRONG = {"identifier": "nobody@example.test", "password": "not the password"}


def test_sign_in_is_rate_limited_per_ip_with_a_friendly_page(build_app):
    limited = build_app(**LIMITED)
    worker = Builder(limited).user(Role.WORKER)
    client = limited.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    for _ in range(3):
        assert post(client, "/auth/sign-in", WRONG).status_code == 200

    response = post(client, "/auth/sign-in", WRONG)
    assert response.status_code == 429
    assert_security_headers(response, "429")
    body = response.get_data(as_text=True)
    assert "Too many tries" in body and "Please wait" in body
    assert "Traceback" not in body

    # Even the right password waits; no session starts.
    right = {"identifier": worker.email, "password": PASSWORD}
    assert post(client, "/auth/sign-in", right).status_code == 429
    with limited.app_context():
        assert db.session.scalar(select(func.count(AuthSession.id))) == 0
    assert client.get("/auth/sign-in").status_code == 200  # the page itself still opens

    # Another address has its own allowance.
    elsewhere = limited.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.44"
    assert_redirect(post(elsewhere, "/auth/sign-in", right))


REDIS_URL = "redis://127.0.0.1:6379/15"
KEY_PREFIX = f"peer-groups-test-{uuid.uuid4().hex[:12]}"
OUR_KEYS = f"*/{KEY_PREFIX}/*"  # limits stores LIMITS:LIMITER/<prefix>/<address>/<route>/...

OTHER_PROCESS = r"""
import json, re, sys
from peer_groups import create_app

app = create_app(json.loads(sys.argv[1]))
client = app.test_client()
statuses = []
for _ in range(int(sys.argv[2])):
    page = client.get("/auth/link").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = {"csrf_token": token, "identifier": "nobody@example.test", "password": "not it"}
    statuses.append(client.post("/auth/sign-in", data=data).status_code)
print(json.dumps(statuses))
"""


def sign_ins_in_another_process(settings, count):
    """Another app instance in its own process: no Python object is shared with this one."""
    done = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, json.dumps(settings), str(count)],
        capture_output=True, text=True, timeout=120, cwd=ROOT, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def redis_keys():
    server = redis.Redis.from_url(REDIS_URL)
    server.ping()  # Redis must run on 127.0.0.1:6379 for this test

    def clean():
        for key in server.scan_iter(OUR_KEYS):
            server.delete(key)

    clean()
    yield server
    clean()
    server.close()


@pytest.mark.parametrize("storage, shared", [(REDIS_URL, True), ("memory://", False)])
def test_redis_storage_shares_the_sign_in_limit_between_app_instances(
    build_app, database_url, tmp_path, redis_keys, storage, shared
):
    settings = {**base_config(database_url, tmp_path), **LIMITED,
                "RATELIMIT_STORAGE_URI": storage, "RATELIMIT_KEY_PREFIX": KEY_PREFIX}
    assert sign_ins_in_another_process(settings, 3) == [200, 200, 200]

    here = build_app(**settings)
    response = post(here.test_client(), "/auth/sign-in", WRONG)
    if shared:
        assert response.status_code == 429
        assert list(redis_keys.scan_iter(OUR_KEYS))
    else:
        # The control: with per-process memory each instance counts on its own.
        assert response.status_code == 200
        assert not list(redis_keys.scan_iter(OUR_KEYS))


# --- 8. passwords ---------------------------------------------------------------------------


def test_production_hashes_use_argon2id_at_owasp_strength(app, make, build_app):
    defaults = config.Defaults
    assert (defaults.ARGON2_MEMORY_COST, defaults.ARGON2_TIME_COST,
            defaults.ARGON2_PARALLELISM) == (65536, 3, 4)
    production = build_app(**PRODUCTION)
    fresh = Builder(production).user(Role.WORKER)
    assert fresh.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")

    # A hash made with weaker parameters is upgraded at the next production sign-in.
    old = make.user(Role.WORKER)
    assert old.password_hash.startswith("$argon2id$v=19$m=1024,t=1,p=1$")
    client = production.test_client()
    response = https_post(client, "/auth/sign-in", {"identifier": old.email, "password": PASSWORD})
    assert_redirect(response)
    with production.app_context():
        stored = db.session.get(User, old.id).password_hash
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def change_password(client, new):
    return post(client, "/account/password",
                {"current": PASSWORD, "password": new, "confirm": new})


def stored_hash(app, user):
    with app.app_context():
        return db.session.get(User, user.id).password_hash


def test_common_and_overlong_passwords_are_refused_with_a_clear_message(app, client, make):
    user = make.user(Role.WORKER)
    sign_in(client, user)
    before = stored_hash(app, user)
    for common in ("password1", "qwertyuiop"):
        response = change_password(client, common)
        assert response.status_code == 200
        assert "So many people use this password" in response.get_data(as_text=True)
    response = change_password(client, "x" * 129)
    assert response.status_code == 200
    assert "Use at most 128 characters." in response.get_data(as_text=True)
    assert stored_hash(app, user) == before


def test_a_128_character_passphrase_is_accepted(app, client, make):
    user = make.user(Role.WORKER)
    sign_in(client, user)
    passphrase = ("seitsemän sinistä siilia soutaa salmen yli " * 4)[:128]
    assert len(passphrase) == 128
    response = change_password(client, passphrase)
    assert_redirect(response)
    assert response.headers["Location"] == "/account/"
    sign_in(app.test_client(), user, password=passphrase)


# --- 9. no personal data in logs ------------------------------------------------------------


CANARY = {
    "name": "Kerttu Kanarialintu",
    "email": "kerttu.kanarialintu@example.fi",
    "phone": "+358401234567",
    "typed_phone": "040 123 4567",
    "unknown_email": "tuntematon.kanarialintu@example.fi",
    "password": "Kanarian-Salasana-77",
}


@pytest.mark.parametrize("app_config", [{"PROPAGATE_EXCEPTIONS": False}])
def test_no_personal_data_reaches_any_log(app, client, make, caplog):
    caplog.set_level(logging.DEBUG)
    make.user(Role.YOUTH, display_name=CANARY["name"], email=CANARY["email"],
              phone=CANARY["phone"], username="kanarialintu77")

    def explode():
        raise ValueError(f"{CANARY['name']} {CANARY['email']} {CANARY['phone']}")

    app.add_url_rule("/explode", "explode", explode)

    for identifier in (CANARY["email"], CANARY["typed_phone"], CANARY["unknown_email"]):
        response = post(client, "/auth/sign-in",
                        {"identifier": identifier, "password": CANARY["password"]})
        assert response.status_code == 200
    for identifier in (CANARY["email"], CANARY["unknown_email"]):
        assert post(client, "/auth/reset", {"identifier": identifier}).status_code == 200
    for identifier in (CANARY["typed_phone"], CANARY["email"]):
        assert post(client, "/auth/link", {"identifier": identifier}).status_code == 200
    assert client.get("/explode").status_code == 500
    with app.app_context():
        # The messages really go out (to the file backend), and their sending logs nothing.
        assert deliver_pending()["sent"] == 3
        db.session.commit()

    assert any("incident" in r.getMessage() for r in caplog.records)  # capture works
    everything = caplog.text + "".join(repr(r.__dict__) for r in caplog.records)
    for label, canary in CANARY.items():
        assert canary.lower() not in everything.lower(), label
    assert "kanarialintu" not in everything.lower()


def test_refused_requests_are_logged_without_who_or_what(app, client, make, caplog):
    worker = make.user(Role.WORKER, display_name="Salla Salainen")
    sign_in(client, worker)
    with caplog.at_level(logging.WARNING, logger="peer_groups.errors"):
        assert client.get("/admin/areas").status_code == 403
        assert client.post("/auth/sign-out", data={}).status_code == 400  # no CSRF token
    lines = [record.getMessage() for record in caplog.records]
    assert "access_refused endpoint=admin.areas method=GET role=worker" in lines
    assert "csrf_refused endpoint=auth.sign_out method=POST role=worker" in lines
    assert not any("Salla" in line or worker.email in line for line in lines)
