"""The database setup: WAL and a busy timeout on SQLite, writes that never lose an update."""

import threading

import pytest
from sqlalchemy import select, text, update

from peer_groups import create_app
from peer_groups.areas.models import Area
from peer_groups.auth.models import User
from peer_groups.db import db
from tests import factories
from tests.conftest import BACKEND


@pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite settings")
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(ctx):
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_read_then_write_from_many_threads_loses_no_update(app):
    """Each thread reads a number and writes it back plus one: only serialised writes hold.

    SQLite gets this from BEGIN IMMEDIATE; PostgreSQL from FOR UPDATE.
    """
    with app.app_context():
        user_id = factories.make_user().id
        db.session.commit()
    workers, rounds = 6, 5
    barrier = threading.Barrier(workers)
    errors = []
    counter = select(User.failed_sign_ins).where(User.id == user_id).with_for_update()

    def bump():
        try:
            with app.app_context():
                barrier.wait()
                for _ in range(rounds):
                    current = db.session.scalar(counter)
                    db.session.execute(update(User).where(User.id == user_id)
                                       .values(failed_sign_ins=current + 1))
                    db.session.commit()
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - surfaced below
            errors.append(error)

    threads = [threading.Thread(target=bump) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with app.app_context():
        assert db.session.get(User, user_id).failed_sign_ins == workers * rounds


def test_timestamps_come_back_aware_and_in_utc(ctx):
    area = factories.make_area()
    db.session.commit()
    db.session.expire_all()
    fresh = db.session.get(Area, area.id)
    assert fresh.created_at.tzinfo is not None
    assert fresh.created_at.utcoffset().total_seconds() == 0


def test_naive_datetimes_are_refused(ctx):
    from datetime import datetime

    area = factories.make_area()
    area.created_at = datetime(2026, 1, 1, 12, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(Exception, match="naive"):
        db.session.flush()
    db.session.rollback()


def test_a_second_app_sees_committed_data(app):
    with app.app_context():
        factories.make_area(name="Shared")
        db.session.commit()
    other = create_app({**app.config})
    with other.app_context():
        assert db.session.scalar(select(Area.name).where(Area.name == "Shared")) == "Shared"
        db.session.remove()
        db.engine.dispose()
