"""One app and one database per fuzz module: thousands of requests cannot each have their own.

Each test builds a fresh world (two areas) in that database, so the order of the tests does not
matter; the database is thrown away after the module.
"""

import shutil
import uuid

import psycopg
import pytest

from peer_groups import create_app
from peer_groups.db import db
from tests.conftest import BACKEND, PG_SERVER, EnglishClient, base_config, build_schema, pg_url
from tests.fuzz.watch import DatabaseWatch


@pytest.fixture(scope="module")
def fuzz_database(database_template, tmp_path_factory):
    if BACKEND == "sqlite":
        path = tmp_path_factory.mktemp("fuzz") / "fuzz.sqlite"
        shutil.copyfile(database_template, path)
        yield f"sqlite:///{path}"
        return
    name = f"peer_groups_fuzz_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    build_schema(pg_url(name), tmp_path_factory.mktemp("fuzz-schema"))
    yield pg_url(name)
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def fuzz_app(fuzz_database, tmp_path_factory):
    app = create_app(base_config(fuzz_database, tmp_path_factory.mktemp("fuzz-outbox")))
    app.test_client_class = EnglishClient
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def watch(fuzz_app, fuzz_database):
    with fuzz_app.app_context():
        db.session.remove()
    watching = DatabaseWatch(fuzz_database)
    yield watching
    watching.close()
