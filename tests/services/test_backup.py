"""`flask backup` and `flask restore` on the database the suite runs on (SQLite or PostgreSQL).

Each test has a database of its own built by the migrations, as a production one is.
"""

import glob
import sqlite3
import stat
import uuid
from pathlib import Path

import flask_migrate
import psycopg
import pytest
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import column, select, table
from sqlalchemy.engine import make_url

from peer_groups import backup, create_app
from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.signups import services as signups
from tests import factories
from tests.conftest import BACKEND, PG_SERVER, base_config, pg_url, sign_in

PASSWORD_IN_URL = "Not-Printed-9f3k"  # noqa: S105 - PostgreSQL here trusts local connections


def drop_database(name):
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def live(tmp_path):
    """An app on a migrated database of its own, backing up into tmp_path/backups."""
    name = None
    if BACKEND == "sqlite":
        url = f"sqlite:///{tmp_path / 'live.sqlite'}"
    else:
        name = f"peer_groups_backup_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(PG_SERVER, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = pg_url(name)
    app = create_app({**base_config(url, tmp_path), "BACKUP_DIR": str(tmp_path / "backups")})
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if name:
        drop_database(name)


def fill(app) -> dict:
    """An area, a worker, three young people, a meeting with two places taken and one waiting."""
    with app.app_context():
        area = factories.make_area("Päijät-Häme")
        worker = factories.make_user(Role.WORKER, area=area)
        youth = [factories.make_user(Role.YOUTH, area=area) for _ in range(3)]
        group = factories.make_group(area, facilitators=[worker], members=youth)
        meeting = factories.make_meeting(group, capacity=2)
        for person in youth:
            signups.sign_up(meeting.id, person)
        db.session.commit()
        return {"meeting": meeting.id, "youth": [p.id for p in youth], "worker": worker.id}


def change(app, ids) -> None:
    """What happens after the backup: a rename, a cancellation (which promotes), a new area."""
    with app.app_context():
        first = db.session.get(User, ids["youth"][0])
        first.display_name = "Changed After The Backup"
        signups.cancel_signup(ids["meeting"], first)
        factories.make_area("Länsi-Uusimaa")
        db.session.commit()


def snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table, the migrations' version included."""
    tables = [*db.metadata.sorted_tables, table("alembic_version", column("version_num"))]
    with app.app_context():
        with db.engine.connect() as conn:
            rows = {each.name: sorted((tuple(row) for row in conn.execute(select(each))), key=repr)
                    for each in tables}
        db.engine.dispose()
    return rows


def revisions(app) -> tuple[str | None, str]:
    """What `flask db current` reports, and the newest migration."""
    with app.app_context():
        with db.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
        head = ScriptDirectory.from_config(
            app.extensions["migrate"].migrate.get_config()).get_current_head()
        db.engine.dispose()
    return current, head


def only_backup(app) -> Path:
    files = list(Path(app.config["BACKUP_DIR"]).iterdir())
    assert len(files) == 1, files
    return files[0]


def test_a_backup_restores_every_row_exactly_and_the_app_works_after(live):
    ids = fill(live)
    before = snapshot(live)
    runner = live.test_cli_runner()

    made = runner.invoke(args=["backup"])
    assert made.exit_code == 0, made.output
    path = only_backup(live)
    assert str(path) in made.output
    assert path.suffix == {"sqlite": ".sqlite", "postgresql": ".pgdump"}[BACKEND]
    assert backup.file_kind(path) == BACKEND
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it holds personal data

    change(live, ids)
    changed = snapshot(live)
    assert changed != before

    refused = runner.invoke(args=["restore", str(path)])
    assert refused.exit_code != 0 and "--yes" in refused.output
    assert snapshot(live) == changed

    restored = runner.invoke(args=["restore", str(path), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert snapshot(live) == before

    current, head = revisions(live)
    assert current == head is not None
    with live.app_context():  # new rows still get fresh ids (sequences came back too)
        factories.make_area("Kanta-Häme")
        db.session.commit()
        assert db.session.scalar(select(User.display_name).where(User.id == ids["youth"][0])) \
            != "Changed After The Backup"
    client = live.test_client()
    assert client.get("/healthz").status_code == 200
    with live.app_context():
        person = db.session.get(User, ids["youth"][1])
    sign_in(client, person)
    assert client.get("/home").status_code == 200


def test_backups_get_their_own_names_and_a_chosen_folder(live, tmp_path):
    fill(live)
    runner = live.test_cli_runner()
    for _ in range(2):
        assert runner.invoke(args=["backup"]).exit_code == 0
    names = sorted(p.name for p in Path(live.config["BACKUP_DIR"]).iterdir())
    assert len(names) == 2 and not any(name.endswith(".partial") for name in names), names
    elsewhere = tmp_path / "elsewhere"
    assert runner.invoke(args=["backup", "--dir", str(elsewhere)]).exit_code == 0
    assert [backup.file_kind(p) for p in elsewhere.iterdir()] == [BACKEND]


def test_restore_refuses_a_file_of_the_other_database_or_no_backup_at_all(live, tmp_path):
    fill(live)
    before = snapshot(live)
    other = tmp_path / "other-kind"
    if BACKEND == "sqlite":
        other.write_bytes(b"PGDMP" + bytes(200))
        expected = "is a PostgreSQL backup, but this app's database is SQLite"
    else:
        with sqlite3.connect(other) as conn:
            conn.execute("CREATE TABLE areas (id INTEGER PRIMARY KEY)")
        expected = "is a SQLite backup, but this app's database is PostgreSQL"
    runner = live.test_cli_runner()
    result = runner.invoke(args=["restore", str(other), "--yes"])
    assert result.exit_code != 0 and expected in result.output
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup")
    result = runner.invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code != 0 and "is not a backup" in result.output
    assert snapshot(live) == before


def test_the_database_password_never_reaches_a_command_line_or_the_output():
    url = make_url(f"postgresql+psycopg://peer:{PASSWORD_IN_URL}@db.internal:5433/peer_groups"
                   "?sslmode=require")
    connection, environment = backup.libpq_connection(url)
    assert PASSWORD_IN_URL not in connection
    assert connection == ("host='db.internal' port='5433' user='peer' dbname='peer_groups' "
                          "sslmode='require'")
    assert environment["PGPASSWORD"] == PASSWORD_IN_URL


@pytest.mark.skipif(BACKEND != "postgresql", reason="pg_dump")
def test_pg_dump_gets_the_password_but_never_prints_it(live, tmp_path):
    with_password = make_url(live.config["SQLALCHEMY_DATABASE_URI"]).set(password=PASSWORD_IN_URL)
    missing = with_password.set(database=f"no_such_db_{uuid.uuid4().hex[:8]}")
    for url, ok in ((with_password, True), (missing, False)):
        app = create_app({**base_config(url.render_as_string(hide_password=False), tmp_path),
                          "BACKUP_DIR": str(tmp_path / "with-password")})
        result = app.test_cli_runner().invoke(args=["backup"])
        assert (result.exit_code == 0) is ok, result.output
        assert PASSWORD_IN_URL not in result.output
        assert ok or "pg_dump failed" in result.output
        with app.app_context():
            db.engine.dispose()


@pytest.mark.skipif(not glob.glob("/usr/lib/postgresql/*/bin/pg_dump"), reason="Debian layout")
def test_pg_dump_is_found_in_debians_folder_when_not_on_the_path(monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    found = backup.postgres_program("pg_dump")
    assert found.startswith("/usr/lib/postgresql/") and found.endswith("/bin/pg_dump")
