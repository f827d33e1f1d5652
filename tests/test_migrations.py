"""`flask db upgrade` on an empty database gives exactly the models' schema, and downgrades."""

import uuid

import flask_migrate
import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from peer_groups import create_app
from peer_groups.db import db
from tests.conftest import BACKEND, PG_SERVER, base_config, pg_url


@pytest.fixture
def empty_database_url(tmp_path):
    if BACKEND == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    name = f"peer_groups_migrations_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield pg_url(name)
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_upgrade_gives_the_models_schema_and_downgrade_removes_it(empty_database_url, tmp_path):
    app = create_app(base_config(empty_database_url, tmp_path))
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": True}
            )
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        tables = set(inspect(db.engine).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables

        flask_migrate.downgrade(revision="base")
        db.engine.dispose()
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_upgrading_keeps_existing_rows(empty_database_url, tmp_path):
    """Rebuilding tables on SQLite must not cascade-delete children (a real trap)."""
    app = create_app(base_config(empty_database_url, tmp_path))
    with app.app_context():
        flask_migrate.upgrade(revision="fbd10ed02fc7")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO areas (id, name, youth_upper_age, created_at) "
                "VALUES (1, 'A', 23, '2026-01-01 00:00:00')"))
            connection.execute(text(
                "INSERT INTO groups (id, area_id, name, description, language, venue_name, "
                "venue_address, default_capacity, created_at) "
                "VALUES (1, 1, 'G', '', 'fi', '', '', 10, '2026-01-01 00:00:00')"))
            connection.execute(text(
                "INSERT INTO meetings (group_id, starts_at, ends_at, venue_name, venue_address, "
                "capacity, taken, status, created_at) VALUES (1, '2026-01-01 15:00:00', "
                "'2026-01-01 17:00:00', '', '', 10, 0, 'planned', '2026-01-01 00:00:00')"))
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM meetings")).scalar() == 1
            assert connection.execute(text("SELECT sequence FROM meetings")).scalar() == 0
        db.engine.dispose()


@pytest.mark.skipif(BACKEND != "postgresql", reason="a PostgreSQL trigger")
def test_the_audit_trail_cannot_be_changed_on_postgresql(empty_database_url, tmp_path):
    from sqlalchemy.exc import DBAPIError

    app = create_app(base_config(empty_database_url, tmp_path))
    with app.app_context():
        flask_migrate.upgrade()
        with db.engine.begin() as connection:
            connection.execute(text("INSERT INTO audit_events (occurred_at, action) "
                                    "VALUES (now(), 'user.viewed')"))
        for statement in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
            with pytest.raises(DBAPIError, match="append-only"):
                with db.engine.begin() as connection:
                    connection.execute(text(statement))
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT action FROM audit_events")).scalar() == (
                "user.viewed")
        db.engine.dispose()
