"""Fixtures: a fresh database per test on SQLite, a per-run database on PostgreSQL.

TEST_DATABASE=sqlite (the default) or TEST_DATABASE=postgresql picks the database; `make test`
runs the suite once with each.
"""

import os
import re
import shutil
import threading
import time
import uuid
from contextlib import contextmanager

import psycopg
import pyotp
import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from jinja2 import FileSystemBytecodeCache
from sqlalchemy import create_engine, text, update

from peer_groups import create_app
from peer_groups.auth import link_requests
from peer_groups.auth.models import User
from peer_groups.consent.default_texts import default_rows
from peer_groups.consent.models import ConsentText
from peer_groups.db import db
from tests import factories, nu
from tests.helpers import assert_redirect


def is_worker(session) -> bool:
    """A pytest-xdist worker (`make test` runs the suite on every core), not the run itself."""
    return hasattr(session.config, "workerinput")


def pytest_sessionstart(session):
    if nu.enabled() and not is_worker(session):
        nu.start()  # a fresh build/html-pages/ for the pages this run keeps


def pytest_sessionfinish(session, exitstatus):
    """The Nu HTML Checker over every page the run kept (by all its workers), in one Java run,
    once the workers are done; errors fail it."""
    if (not nu.enabled() or is_worker(session) or exitstatus == pytest.ExitCode.INTERRUPTED
            or not nu.kept()):
        return
    say = session.config.pluginmanager.get_plugin("terminalreporter").write_line
    began = time.monotonic()
    try:
        problems = nu.check()
    except FileNotFoundError as missing:  # a quick run without `make vnu`
        if os.environ.get("HTML_CHECK") == "required":
            raise
        say(f"HTML not checked: {missing}")
        return
    say(f"\nNu HTML Checker: {len(problems)} errors in {len(nu.kept())} pages "
        f"({time.monotonic() - began:.1f} s to check, {nu.SPENT['keeping']:.1f} s to keep; "
        f"pages in {nu.PAGES})")
    for problem in problems:
        say(str(problem))
    if problems:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.load_profile("default")

BACKEND = os.environ.get("TEST_DATABASE", "sqlite")
PG_SERVER = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def base_config(database_url, tmp_path):
    return {
        "APP_ENV": "testing",
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "OUTBOX_DIR": str(tmp_path / "outbox"),
        "TRUSTED_HOSTS": ["localhost", "127.0.0.1"],
        "SERVER_NAME": None,
    }


def pg_url(name: str) -> str:
    return re.sub(r"/[^/]*$", f"/{name}", PG_SERVER).replace(
        "postgresql://", "postgresql+psycopg://"
    )


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """The schema, built once per run: a SQLite file to copy, or a PostgreSQL database."""
    if BACKEND == "sqlite":
        path = tmp_path_factory.mktemp("template") / "template.sqlite"
        build_schema(f"sqlite:///{path}", tmp_path_factory.mktemp("t"))
        yield path
        return
    name = f"peer_groups_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    build_schema(pg_url(name), tmp_path_factory.mktemp("t"))
    yield name
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build_schema(url, tmp_path):
    app = create_app(base_config(url, tmp_path))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    insert_reference_data(url)


def insert_reference_data(url):
    """What the migrations insert besides the schema: the first consent texts."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(ConsentText.__table__.insert(), default_rows())
    engine.dispose()


@pytest.fixture
def database_url(database_template, tmp_path):
    if BACKEND == "sqlite":
        path = tmp_path / "test.sqlite"
        shutil.copyfile(database_template, path)
        yield f"sqlite:///{path}"
        return
    url = pg_url(database_template)
    yield url
    truncate_all(url)


def truncate_all(url):
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE TABLE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    insert_reference_data(url)


@pytest.fixture
def app_config():
    """Override in a test module to change the configuration."""
    return {}


class EnglishClient(FlaskClient):
    """Asserts read English text; the app's own default (Finnish) is tested separately."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture(scope="session")
def compiled_templates(tmp_path_factory):
    """Every test builds its own app, and each app's Jinja compiled every template again (a
    sixth of a web test's time); compiled once, they are shared through Jinja's own cache,
    keyed by each template's name and source, so an edited template is compiled afresh."""
    return FileSystemBytecodeCache(str(tmp_path_factory.mktemp("jinja")))


@pytest.fixture
def app(database_url, tmp_path, app_config, compiled_templates):
    app = create_app({**base_config(database_url, tmp_path), **app_config})
    app.test_client_class = EnglishClient
    app.jinja_env.bytecode_cache = compiled_templates
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def ctx(app):
    """An app context for service tests (not for tests that also use the client)."""
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


def run_at_once(app, work, hosts=2):
    """Run `work()` in `hosts` app instances (own engines, like separate servers) released
    together by a barrier; return the errors they raised."""
    apps = [app] + [create_app({**app.config}) for _ in range(hosts - 1)]
    barrier = threading.Barrier(hosts)
    errors = []

    def run(one):
        try:
            with one.app_context():
                barrier.wait()
                work()
                db.session.commit()
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - returned to the test
            errors.append(error)

    threads = [threading.Thread(target=run, args=(one,)) for one in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for other in apps[1:]:
        with other.app_context():
            db.engine.dispose()
    return errors


class Builder:
    """Creates rows for web tests in an app context of its own, and commits them."""

    def __init__(self, app):
        self.app = app

    @contextmanager
    def session(self):
        with self.app.app_context():
            yield db.session
            db.session.commit()

    def __getattr__(self, name):
        factory = getattr(factories, f"make_{name}")

        def build(*args, **kwargs):
            with self.session():
                return factory(*args, **kwargs)

        return build


@pytest.fixture
def make(app):
    return Builder(app)


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def answer_link_requests(app):
    """What the outbox worker does first, seconds after "send me a link": answer the waiting
    requests (auth/link_requests.py). The messages stay unsent, so a test can read the links."""
    with app.app_context():
        return link_requests.answer_waiting()


def csrf_token(client, path="/auth/link"):
    response = client.get(path)
    return CSRF.search(response.get_data(as_text=True)).group(1)


def post(client, path, data=None, **kwargs):
    """A form post with a valid CSRF token, as a browser would send."""
    return client.post(path, data={"csrf_token": csrf_token(client), **(data or {})}, **kwargs)


def sign_in(client, user, password=factories.PASSWORD):
    """Sign in with the password and, where the account has one, the authenticator's code."""
    response = post(client, "/auth/sign-in",
                    {"identifier": user.email or user.username, "password": password})
    assert_redirect(response)
    if response.location.split("?")[0] == "/auth/two-factor":
        response = pass_second_factor(client, user)
    return response


def pass_second_factor(client, user):
    """Type the current code, as the person would from their app.

    A code is accepted once; the test forgets the last used one, as 30 seconds passing would,
    so that a test may sign the same person in on several clients.
    """
    with client.application.app_context():
        db.session.execute(update(User).where(User.id == user.id).values(totp_last_step=None))
        db.session.commit()
    token = csrf_token(client, "/auth/two-factor")
    response = client.post("/auth/two-factor",
                           data={"csrf_token": token, "code": pyotp.TOTP(user.totp_secret).now()})
    assert_redirect(response)
    return response
