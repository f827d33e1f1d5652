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


def test_each_area_gets_its_own_consent_texts_and_answers_keep_their_words(
        empty_database_url, tmp_path):
    """The data migration of 13c0a5e47e11 on a database where people have answered."""
    app = create_app(base_config(empty_database_url, tmp_path))
    with app.app_context():
        flask_migrate.upgrade(revision="3c1d2e4f5a6b")
        with db.engine.begin() as connection:
            def run(sql, **values):
                return connection.execute(text(sql), values)

            for area in (1, 2):
                run("INSERT INTO areas (id, name, youth_upper_age, created_at, "
                    "workload_overrides) VALUES (:id, :name, 23, '2026-01-01', '{}')",
                    id=area, name=f"Area {area}")
            for user, area, role in ((1, 1, "youth"), (2, 2, "youth"), (3, None, "admin")):
                run("INSERT INTO users (id, area_id, role, is_superuser, display_name, "
                    "language, active, failed_sign_ins, created_at) VALUES (:id, :area, "
                    ":role, :owner, :name, 'fi', true, 0, '2026-01-01')",
                    id=user, area=area, role=role, owner=area is None, name=f"Person {user}")
            run("INSERT INTO consent_texts (purpose, version, minor, text_fi, text_sv, text_en, "
                "published_at) VALUES ('attendance', 2, false, 'Toinen', 'Andra', 'Second', "
                "'2026-02-01 00:00:00')")
            first, second = (run("SELECT id FROM consent_texts WHERE purpose = 'attendance' "
                                 "AND version = :version", version=v).scalar() for v in (1, 2))
            for user, text_id in ((1, first), (2, second), (3, first)):  # 3: the owner
                run("INSERT INTO consent_answers (user_id, purpose, text_id, given, "
                    "answered_at, channel, understanding_checked) VALUES (:user, "
                    "'attendance', :text_id, true, '2026-03-01', 'self', false)",
                    user=user, text_id=text_id)
        proof = ("SELECT a.user_id, t.purpose, t.version, t.minor, t.text_fi, t.text_sv, "
                 "t.text_en, t.published_at FROM consent_answers a "
                 "JOIN consent_texts t ON t.id = a.text_id ORDER BY a.user_id")
        with db.engine.connect() as connection:
            before = connection.execute(text(proof)).all()
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            after = connection.execute(text(proof)).all()
            areas = connection.execute(text(
                "SELECT a.user_id, t.area_id FROM consent_answers a "
                "JOIN consent_texts t ON t.id = a.text_id ORDER BY a.user_id")).all()
            per_area = connection.execute(text(
                "SELECT area_id, count(*) FROM consent_texts GROUP BY area_id")).all()
        # The same words, version and time as answered, now in the person's own area.
        assert after == before
        assert areas == [(1, 1), (2, 2), (3, None)]
        # Every area has every version (4 rows each), and the defaults are still there.
        assert sorted(per_area, key=lambda row: row[0] or 0) == [(None, 4), (1, 4), (2, 4)]
        flask_migrate.downgrade(revision="3c1d2e4f5a6b")
        with db.engine.connect() as connection:
            assert connection.execute(text(proof)).all() == before
        db.engine.dispose()
