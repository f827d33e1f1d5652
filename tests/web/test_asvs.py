"""OWASP ASVS level-2 requirements that no other test file proves, and SECURITY.md itself.

SECURITY.md maps each requirement that applies to the test that proves it; the last test here
fails when a row points at a test that does not exist, so the table cannot drift from the suite.
"""

import ast
import hashlib
import json
import os
import re
import subprocess
import sys
import tomllib
import urllib.request
import zlib
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pyotp
import pytest
from itsdangerous.encoding import base64_decode
from sqlalchemy import func, select, update

from peer_groups import config, create_app
from peer_groups.audit.models import AuditEvent
from peer_groups.auth.models import AuthSession, OneTimeToken, User
from peer_groups.db import db, utcnow
from peer_groups.domain.roles import Role
from peer_groups.notifications.backends import as_email
from tests.conftest import Builder, answer_link_requests, base_config, csrf_token, post, sign_in
from tests.factories import PASSWORD
from tests.helpers import assert_redirect
from tests.load.harness import gunicorn
from tests.web.test_links_and_passwords import last_link
from tests.web.test_security import HTTPS, PRODUCTION, https_post

ROOT = Path(__file__).resolve().parents[2]


# --- V5.1.5: redirects go to this site only -------------------------------------------------

HOSTILE_TARGETS = [
    "https://evil.example/",
    "http://evil.example",
    "https:evil.example",
    "//evil.example",
    "///evil.example",
    " //evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "@evil.example",
]


@pytest.fixture
def youth(make):
    """Young people pass no second factor, so a sign-in answers with its final redirect."""
    return make.user(Role.YOUTH)


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_sign_in_never_redirects_to_another_site(app, youth, target):
    credentials = {"identifier": youth.username, "password": PASSWORD}
    in_query = app.test_client()
    response = post(in_query, "/auth/sign-in", credentials, query_string={"next": target})
    assert response.headers["Location"] == "/home"

    in_form = app.test_client()
    response = post(in_form, "/auth/sign-in", {**credentials, "next": target})
    assert response.headers["Location"] == "/home"

    # Already signed in, the sign-in page forwards at once: to this site only.
    response = in_form.get("/auth/sign-in", query_string={"next": target})
    assert response.headers["Location"] == "/home"

    # Nor is the target carried on in the sign-in form, to be used by a later post.
    page = app.test_client().get("/auth/sign-in", query_string={"next": target})
    [(_, form)] = password_forms(page.get_data(as_text=True))
    assert re.findall(r'name="next" value="([^"]*)"', form) == ["/home"]


def type_the_code(client, user, path, data=()):
    """Post the authenticator's current code (and `data`) to `path`, as the person would."""
    with client.application.app_context():
        db.session.execute(update(User).where(User.id == user.id).values(totp_last_step=None))
        db.session.commit()
    token = csrf_token(client, path)
    return client.post(path, data={"csrf_token": token,
                                   "code": pyotp.TOTP(user.totp_secret).now(), **dict(data)})


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_staff_sign_in_and_confirming_identity_never_leave_the_site(app, make, target):
    worker = make.user(Role.WORKER)
    client = app.test_client()
    response = post(client, "/auth/sign-in", {"identifier": worker.email, "password": PASSWORD},
                    query_string={"next": target})
    second_step = response.headers["Location"]
    assert second_step.startswith("/auth/two-factor?")
    assert type_the_code(client, worker, second_step).headers["Location"] == "/home"

    response = type_the_code(client, worker, "/auth/confirm?" + urlencode({"next": target}),
                             {"password": PASSWORD})
    assert response.headers["Location"] == "/home"


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_switching_language_never_redirects_to_another_site(client, target):
    response = post(client, "/language", {"language": "sv", "next": target})
    assert_redirect(response)
    assert response.headers["Location"] == "/"


def test_a_path_on_this_site_is_followed(app, youth):
    client = app.test_client()
    response = post(client, "/auth/sign-in",
                    {"identifier": youth.username, "password": PASSWORD, "next": "/account/"})
    assert response.headers["Location"] == "/account/"
    response = post(client, "/language", {"language": "sv", "next": "/account/?tab=1"})
    assert response.headers["Location"] == "/account/?tab=1"


# --- V2.2.1: at most 100 failed sign-ins an hour per account, on every server ---------------

HAMMER = r"""
import json, re, sys
from datetime import timedelta
from peer_groups import create_app

settings = json.loads(sys.argv[1])
settings["ACCOUNT_FAILURE_WINDOW"] = timedelta(seconds=settings["ACCOUNT_FAILURE_WINDOW"])
app = create_app(settings)
client = app.test_client()
client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
page = client.get("/auth/sign-in").get_data(as_text=True)
token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
print("ready", flush=True)
sys.stdin.readline()  # all processes start together
answers = []
for _ in range(int(sys.argv[3])):
    response = client.post("/auth/sign-in", data={
        "csrf_token": token, "identifier": sys.argv[2], "password": "not the password"})
    body = response.get_data(as_text=True)
    # A locked account answers as a wrong password does: the audit trail tells them apart.
    answers.append("refused" if "too many wrong tries" in body else str(response.status_code))
print(json.dumps(answers), flush=True)
"""

PER_HOUR = {"ACCOUNT_FAILURE_LIMIT": 100, "ACCOUNT_FAILURE_WINDOW": timedelta(hours=1)}


def hammer_from_processes(settings, identifier, processes, tries):
    """Wrong passwords from separate OS processes at once: nothing but the database is shared."""
    settings = {**settings,
                "ACCOUNT_FAILURE_WINDOW": settings["ACCOUNT_FAILURE_WINDOW"].total_seconds()}
    started = [
        subprocess.Popen(
            [sys.executable, "-c", HAMMER, json.dumps(settings), identifier, str(tries)],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        for _ in range(processes)
    ]
    try:
        for process in started:
            assert process.stdout.readline().strip() == "ready", process.stderr.read()[-3000:]
        for process in started:
            process.stdin.write("go\n")
            process.stdin.flush()
        answers = []
        for process in started:
            out, err = process.communicate(timeout=300)
            assert process.returncode == 0, err[-3000:]
            answers += json.loads(out.strip().splitlines()[-1])
        return answers
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
                process.wait()


def test_production_allows_at_most_100_failed_sign_ins_an_hour_per_account():
    limit, window = config.Defaults.ACCOUNT_FAILURE_LIMIT, config.Defaults.ACCOUNT_FAILURE_WINDOW
    windows_per_hour = -(-timedelta(hours=1) // window)  # a window may start at any moment
    assert limit * (windows_per_hour + 1) <= 100, (limit, window)


@pytest.mark.parametrize("app_config", [PER_HOUR])
def test_the_101st_failed_sign_in_within_an_hour_is_refused_across_processes(
    app, make, database_url, tmp_path
):
    worker = make.user(Role.WORKER)
    settings = {**base_config(database_url, tmp_path), **PER_HOUR}
    answers = hammer_from_processes(settings, worker.email, processes=2, tries=60)

    # 120 wrong passwords from two servers at once: exactly 100 were counted, then the lock.
    assert answers == ["refused"] * 120, answers
    with app.app_context():
        row = db.session.get(User, worker.id)
        assert row.failed_sign_ins == 100
        actions = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.subject_user_id == worker.id)).all()
        assert actions.count("auth.sign_in_failed") == 100, actions
        assert actions.count("auth.sign_in_refused_locked") == 20, actions

    # Even the right password alone is refused now, from a third process, and no session
    # starts (only the password with the authenticator's code gets past the lock).
    client = app.test_client()
    right = {"identifier": worker.email, "password": PASSWORD}
    response = post(client, "/auth/sign-in", right)
    assert response.status_code == 200
    assert "too many wrong tries" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(AuthSession.id))) == 0

        # The hour passes.
        db.session.execute(update(User).where(User.id == worker.id).values(
            failed_sign_ins_since=utcnow() - PER_HOUR["ACCOUNT_FAILURE_WINDOW"]
            - timedelta(seconds=1)))
        db.session.commit()
    sign_in(client, worker)
    with app.app_context():
        assert db.session.get(User, worker.id).failed_sign_ins == 0


# --- V3.2, V3.4, V8.2.2: the session cookie -------------------------------------------------


@pytest.fixture
def production(database_url, tmp_path):
    """The production profile (Secure __Host- cookie, HSTS) on the test database."""
    made = create_app({**base_config(database_url, tmp_path), **PRODUCTION})
    yield made
    with made.app_context():
        db.session.remove()
        db.engine.dispose()


def read_without_the_key(cookie: str) -> dict:
    """What anyone holding the cookie can read: it is signed, not encrypted."""
    payload = cookie.rsplit(".", 2)[0]
    raw = base64_decode(payload.lstrip("."))
    if payload.startswith("."):
        raw = zlib.decompress(raw)
    return json.loads(raw)


def test_the_session_cookie_holds_an_opaque_token_and_nothing_personal(production):
    person = Builder(production).user(
        Role.YOUTH, username="kuikka2007", email="kerttu.kuikka@example.fi",
        phone="+358401112223", display_name="Kerttu Kuikka")
    client = production.test_client()
    response = https_post(client, "/auth/sign-in", {"identifier": "kuikka2007",
                                                    "password": PASSWORD, "remember": "y"})
    assert_redirect(response)
    cookies = [c for c in response.headers.getlist("Set-Cookie")
               if c.startswith("__Host-session=")]
    value = cookies[0].split(";")[0].split("=", 1)[1]
    contents = read_without_the_key(value)

    # Flask-Login's own keys, the opaque token and the CSRF secret: nothing else.
    assert set(contents) <= {"_user_id", "_fresh", "_permanent", "csrf_token"}, contents
    assert "_id" not in contents  # Flask-Login's hash of IP address and browser is dropped
    token = contents["_user_id"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43,}", token)  # 32 random bytes: 256 bits
    with production.app_context():
        stored = db.session.scalars(select(AuthSession.token_hash)).all()
    assert token not in stored  # the database keeps only the token's hash
    readable = json.dumps(contents).lower()
    for personal in ("kuikka", "2007", "kerttu", "+358401112223", "401112223", "youth"):
        assert personal not in readable, personal
    assert f'"{person.id}"' not in readable and f": {person.id}," not in readable
    assert client.get("/home", base_url=HTTPS).status_code == 200


# --- V14.3.2, V2.10.4: production refuses to start half-configured -------------------------


@pytest.mark.parametrize("missing", ["SECRET_KEY", "PUBLIC_URL"])
def test_production_refuses_to_start_without_a_secret_key_or_its_public_address(
    database_url, tmp_path, monkeypatch, missing
):
    for variable in ("SECRET_KEY", "TRUSTED_HOSTS", "PUBLIC_URL", "PEER_GROUPS_SECRET_KEY"):
        monkeypatch.delenv(variable, raising=False)
    settings = {**base_config(database_url, tmp_path), **PRODUCTION}
    settings.pop(missing)
    with pytest.raises(config.ConfigurationError, match=missing):
        create_app(settings)
    assert config.Defaults.SECRET_KEY is None  # no key ships with the code


def test_production_refuses_a_short_secret_key(database_url, tmp_path):
    settings = {**base_config(database_url, tmp_path), **PRODUCTION, "SECRET_KEY": "x" * 31}
    with pytest.raises(config.ConfigurationError, match="at least 32 bytes"):
        create_app(settings)
    create_app({**settings, "SECRET_KEY": "x" * 32})  # 32 is enough


def test_a_command_refused_by_the_configuration_says_why_in_one_line(tmp_path):
    """`flask demo-code` with no configuration at all: production, refused, no traceback."""
    env = {key: value for key, value in os.environ.items()
           if key not in config.ENVIRONMENT_VARIABLES and not key.startswith("PEER_GROUPS_")}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "demo-code"],
                            cwd=ROOT, env={**env, "HOME": str(tmp_path)},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines == ["peer_groups will not start: set PUBLIC_URL (the address people open, "
                     "e.g. https://vertaisryhmat.example.fi) in production; see README."], lines


def test_a_body_over_the_limit_gets_a_kind_413_page_and_nothing_is_done(client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert 100 * 1024 <= limit <= 512 * 1024  # a few hundred KB: no form needs more
    response = client.post("/auth/sign-in", data={"identifier": "x" * (limit + 1),
                                                  "password": "x"},
                           headers={"Accept-Language": "fi"})
    assert response.status_code == 413
    assert "Liian suuri lähetys" in response.get_data(as_text=True)
    english = client.post("/auth/sign-in", data={"identifier": "x" * (limit + 1)},
                          headers={"Accept-Language": "en"})
    assert english.status_code == 413 and "too large" in english.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id))) == 0


def test_production_runs_without_debugging_or_development_helpers(production):
    assert production.debug is False  # (TESTING is set by the test configuration only)
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert "notifications.outbox" not in production.view_functions
    response = production.test_client().get("/no-such-page", base_url=HTTPS)
    assert response.status_code == 404
    assert "Traceback" not in response.get_data(as_text=True)


# --- V2.1.3, V2.1.4, V3.3.3: passwords kept whole; a change ends other sessions -------------


def test_passwords_are_never_truncated_and_take_any_characters(app, client, youth):
    sign_in(client, youth)
    passphrase = "  kaksi 🦔 siiliä  ja  yksi 🐟 kala " * 3  # spaces, emoji, å/ä/ö
    assert len(passphrase) <= 128
    response = post(client, "/account/password",
                    {"current": PASSWORD, "password": passphrase, "confirm": passphrase})
    assert response.headers["Location"] == "/account/"
    for almost in (passphrase[:-1], passphrase.strip(), " ".join(passphrase.split()),
                   passphrase[:72]):
        response = post(app.test_client(), "/auth/sign-in",
                        {"identifier": youth.username, "password": almost})
        assert response.status_code == 200, repr(almost)
    sign_in(app.test_client(), youth, password=passphrase)


def test_a_password_change_signs_out_every_other_device(app, youth):
    phone, laptop = app.test_client(), app.test_client()
    sign_in(phone, youth)
    sign_in(laptop, youth)
    new = "uusi salasana puhelimesta"
    response = post(phone, "/account/password",
                    {"current": PASSWORD, "password": new, "confirm": new})
    assert response.headers["Location"] == "/account/"
    assert phone.get("/home").status_code == 200
    response = laptop.get("/home")
    assert_redirect(response)
    assert response.headers["Location"].startswith("/auth/sign-in")
    with app.app_context():
        assert db.session.scalar(select(func.count(AuthSession.id))) == 1


# --- V8.3.1, V2.1.11: credentials travel in the body; password managers are welcome ---------

FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)


def password_forms(html):
    return [(attributes, body) for attributes, body in FORM.findall(html)
            if 'type="password"' in body]


def test_password_forms_post_their_secrets_and_let_password_managers_help(app, client, youth):
    pages = {"/auth/sign-in": client.get("/auth/sign-in").get_data(as_text=True)}
    sign_in(client, youth)
    pages["/account/password"] = client.get("/account/password").get_data(as_text=True)
    for path, html in pages.items():
        forms = password_forms(html)
        assert forms, path
        for attributes, body in forms:
            assert re.search(r'method="post"', attributes, re.I), path
            for field in re.findall(r'<input[^>]*type="password"[^>]*>', body):
                assert re.search(r'autocomplete="(current|new)-password"', field), field
                assert "onpaste" not in field and "oncopy" not in field, field


# --- V2.7.5, V2.7.6, V7.1.3: one-time links; failed sign-ins leave a trace --------------------


def test_a_sign_in_link_is_random_and_only_its_hash_is_kept(app, client, youth):
    post(client, "/auth/link", {"identifier": youth.email})
    answer_link_requests(app)  # the outbox worker, seconds later
    _, path = last_link(app)
    token = path.rsplit("/", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43,}", token)  # 32 random bytes
    with app.app_context():
        stored = db.session.scalars(select(OneTimeToken.token_hash)).all()
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]


def test_failed_sign_ins_are_recorded_without_the_password(app, client, youth):
    post(client, "/auth/sign-in", {"identifier": youth.username, "password": "arvattu salasana"})
    with app.app_context():
        events = db.session.scalars(select(AuditEvent)).all()
        assert [(e.action, e.subject_user_id) for e in events] == [
            ("auth.sign_in_failed", youth.id)]
        assert "arvattu" not in repr([vars(e) for e in events])


# --- V5.1.2, V5.3.4: no mass assignment, no injection through the sign-in form ---------------


def test_extra_form_fields_cannot_raise_a_persons_rights(app, client, make):
    other = make.area()
    youth = make.user(Role.YOUTH, display_name="Ennallaan")
    sign_in(client, youth)
    response = post(client, "/account/", {
        "display_name": "Uusi Nimi", "language": "en", "role": "admin", "is_superuser": "y",
        "area_id": str(other.id), "active": "y", "id": "1", "password_hash": "x"})
    assert_redirect(response)
    with app.app_context():
        row = db.session.get(User, youth.id)
        assert row.display_name == "Uusi Nimi"  # the form's own field was saved
        assert (row.role, row.is_superuser, row.area_id) == (Role.YOUTH, False, youth.area_id)
        assert row.password_hash == youth.password_hash


@pytest.mark.parametrize("identifier", [
    "' OR '1'='1", "' OR 1=1 --", "admin'--", '" OR ""="', "%", "_", "*", "nuori%",
])
def test_query_syntax_in_the_sign_in_form_is_only_text(app, client, make, identifier):
    make.user(Role.YOUTH, username="nuori01")
    response = post(client, "/auth/sign-in", {"identifier": identifier, "password": PASSWORD})
    assert response.status_code == 200
    assert "The details are not right" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(AuthSession.id))) == 0


# --- V5.3.3: names and texts are shown as text, never as markup -----------------------------

MARKUP = '<img src=x onerror="alert(1)">'
SCRIPT = "<script>alert('x')</script>"


def test_markup_typed_as_a_name_is_shown_as_text(app, make):
    area = make.area()
    person = make.user(Role.YOUTH, area=area, display_name=MARKUP)
    group = make.group(area, members=[person], name=SCRIPT)
    client = app.test_client()
    sign_in(client, person)
    for path in ("/home", f"/groups/{group.id}", "/account/"):
        html = client.get(path).get_data(as_text=True)
        assert MARKUP not in html and SCRIPT not in html, path
        assert "&lt;img" in html or "&lt;script&gt;" in html, path


# --- V5.2.3: no header injection into email -------------------------------------------------


class Message:
    def __init__(self, **fields):
        self.__dict__.update(fields)


@pytest.mark.parametrize("field", ["subject", "recipient"])
def test_a_line_break_cannot_add_email_headers(field):
    values = {"recipient": "nuori@example.fi", "subject": "Muistutus", "body": "Hei!"}
    values[field] = values[field] + "\r\nBcc: everyone@evil.example"
    with pytest.raises(ValueError, match="linefeed|carriage return"):
        bytes(as_email(Message(**values), "peer-groups@example.fi"))


# --- V4.3.2, V12.5.1: no listings, no source, no dot files ----------------------------------


@pytest.mark.parametrize("path", [
    "/static/", "/static", "/static/css/", "/static/../pyproject.toml",
    "/static/%2e%2e/pyproject.toml", "/static/..%2fpeer_groups/config.py", "/.git/config",
    "/.env", "/instance/peer_groups.sqlite", "/peer_groups/config.py", "/wsgi.py",
    "/migrations/env.py", "/static/css/app.css.bak", "/static/.DS_Store",
])
def test_no_directory_listing_source_or_dot_file_is_served(client, path):
    response = client.get(path)
    response.close()
    assert response.status_code == 404, path


def test_the_static_folder_holds_only_web_assets():
    allowed = {".css", ".js", ".svg", ".png", ".ico", ".woff2", ".webmanifest", ".txt"}
    served = [p for p in (ROOT / "static").rglob("*") if p.is_file()]
    assert served
    assert [p for p in served if p.suffix not in allowed or p.name.startswith(".")] == []


# --- V14.3.3: the production server names no versions ---------------------------------------


def test_the_app_server_reveals_no_version(app):
    env = {"APP_ENV": "production", "SECRET_KEY": PRODUCTION["SECRET_KEY"],
           "PUBLIC_URL": "http://127.0.0.1", "TRUSTED_HOSTS": "127.0.0.1",
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "OUTBOX_DIR": app.config["OUTBOX_DIR"]}
    with gunicorn("wsgi:app", env, workers=1) as base:
        with urllib.request.urlopen(base + "/auth/sign-in", timeout=10) as response:  # noqa: S310
            headers = dict(response.headers)
            body = response.read().decode()
    assert headers.get("Server", "") in ("", "gunicorn"), headers
    assert "X-Powered-By" not in headers
    assert not re.search(r"(?i)(werkzeug|flask|python|gunicorn)[/ ]\d", json.dumps(headers) + body)


# --- V14.2, V10: pinned dependencies, static checks and the SBOM in `make test` --------------


def make_target(name: str) -> str:
    """The prerequisites and recipe of one Makefile target."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    found = re.search(rf"^{name}:(.*?)(?=^\S|\Z)", makefile, re.M | re.S)
    assert found, name
    return found.group(1)


def test_make_test_runs_the_security_checks_and_writes_the_sbom():
    assert {"lint", "sbom"} <= set(make_target("test").splitlines()[0].split())
    lint = make_target("lint")
    assert "ruff check" in lint
    assert re.search(r"bandit .*-r peer_groups.* -ll -ii", lint)
    assert "cyclonedx-py requirements requirements.lock" in make_target("sbom")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "S" in pyproject["tool"]["ruff"]["lint"]["select"]  # flake8-bandit rules
    ignored = pyproject["tool"]["ruff"]["lint"].get("per-file-ignores", {})
    assert not any("S" in rules for path, rules in ignored.items()
                   if path.startswith("peer_groups") and "demo" not in path)
    # The audit exists, strict, and stays out of `make test` (it needs PyPI's advisory data).
    assert "pip-audit --strict" in make_target("audit")
    assert "audit" not in make_target("test").splitlines()[0].split()


def test_every_dependency_is_pinned_to_one_version():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = pyproject["project"]
    requirements = project["dependencies"] + [
        r for extra in project["optional-dependencies"].values() for r in extra]
    assert requirements
    loose = [r for r in requirements if not re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", r)]
    assert loose == []


# --- SECURITY.md: every row that claims a test points at one that exists --------------------

REFERENCE = re.compile(r"(tests/[\w/]+\.py)::(\w+)")
PENDING = ("(lead fills)", "(in progress)")


def defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_security_md_points_at_tests_that_exist():
    rows = [line for line in (ROOT / "SECURITY.md").read_text(encoding="utf-8").splitlines()
            if re.match(r"\| (\d+\.\d+\.\d+|local) \|", line)]
    assert len(rows) >= 100, len(rows)
    missing, unproven = [], []
    checked = 0
    for row in rows:
        status = row.split("|")[3].strip().lower()
        references = REFERENCE.findall(row)
        if any(marker in row for marker in PENDING):
            continue
        if status.startswith("tested") and not references:
            unproven.append(row[:60])
        for file, name in references:
            path = ROOT / file
            if not path.exists() or name not in defined_tests(path):
                missing.append(f"{file}::{name}")
            checked += 1
    assert missing == [] and unproven == [], (missing, unproven)
    assert checked >= 60, checked


def test_the_checklist_check_sees_a_missing_test(tmp_path):
    """The check above can fail: a name that is not defined is not found."""
    sample = tmp_path / "test_sample.py"
    sample.write_text("def test_there():\n    pass\n", encoding="utf-8")
    assert defined_tests(sample) == {"test_there"}
    assert REFERENCE.findall("| 1.2.3 | x | tested | `tests/web/test_x.py::test_gone` |") == [
        ("tests/web/test_x.py", "test_gone")]
