"""On SQLite, a page that only reads is made while another request holds the write lock (#18).

Every signed-in GET used to begin `BEGIN IMMEDIATE` at its first query and hold the write lock
while its page was made, so under load pages were made one at a time and waited for each
other (p99 over a second). Now a GET reads without the lock, and writes its bookkeeping (the
session's last-seen time, "viewed" audit events) after, in a short transaction of its own.
"""

import sqlite3
import threading
from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from peer_groups.audit.models import AuditEvent
from peer_groups.auth.models import AuthSession
from peer_groups.db import db, utcnow
from peer_groups.domain.roles import Role
from tests.conftest import BACKEND, sign_in

pytestmark = pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite's write lock; PostgreSQL "
                                "readers never wait for writers")


class WriteLock:
    """Another process's write transaction, held open: what a long sign-up looks like."""

    def __init__(self, app):
        with app.app_context():
            self.path = db.engine.url.database
        self.connection = sqlite3.connect(self.path, isolation_level=None, timeout=0)

    def __enter__(self):
        self.connection.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, *exc):
        self.connection.execute("ROLLBACK")
        self.connection.close()


def get_while_locked(app, client, path, *, wait=5.0):
    """GET `path` while the write lock is held; (status, whether it answered before release)."""
    answers = []
    with WriteLock(app):
        worker = threading.Thread(target=lambda: answers.append(client.get(path)))
        worker.start()
        worker.join(wait)
        answered_under_lock = not worker.is_alive()
    worker.join()
    return answers[0].status_code, answered_under_lock


def test_a_young_persons_page_is_made_while_another_request_writes(app, client, make):
    youth = make.user(Role.YOUTH)
    sign_in(client, youth)
    status, under_lock = get_while_locked(app, client, "/home")
    assert status == 200 and under_lock


def test_the_bookkeeping_write_waits_for_the_lock_and_still_lands(app, client, make):
    """A session last seen over a minute ago is touched: after the page, when the lock frees."""
    youth = make.user(Role.YOUTH)
    sign_in(client, youth)
    an_hour_ago = utcnow() - timedelta(minutes=5)
    with app.app_context():
        db.session.execute(update(AuthSession).values(last_seen_at=an_hour_ago))
        db.session.commit()
    status, under_lock = get_while_locked(app, client, "/home", wait=0.5)
    assert status == 200 and not under_lock  # it waited for the other writer to finish
    with app.app_context():
        seen = db.session.scalar(select(AuthSession.last_seen_at))
    assert seen > an_hour_ago + timedelta(minutes=4)


def test_a_staff_page_is_made_under_the_lock_and_records_who_looked_once_after(app, client,
                                                                            make):
    """The law asks for the "viewed" events: the page's reads run while another request
    writes, and its one audit INSERT waits for the lock, then lands."""
    area = make.area()
    worker = make.user(Role.WORKER, area=area)
    youth = make.user(Role.YOUTH, area=area)
    group = make.group(area, facilitators=[worker], members=[youth])
    meeting = make.meeting(group)
    sign_in(client, worker)
    statements, lock_held = [], threading.Event()
    with app.app_context():
        engine = db.engine

    def note(conn, cursor, statement, *args):
        statements.append((lock_held.is_set(), statement.split()[0].upper(), statement))

    event.listen(engine, "before_cursor_execute", note)
    try:
        answers = []
        with WriteLock(app):
            lock_held.set()
            worker_thread = threading.Thread(
                target=lambda: answers.append(client.get(f"/meetings/{meeting.id}/register")))
            worker_thread.start()
            worker_thread.join(1.0)
            lock_held.clear()
        worker_thread.join()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert answers[0].status_code == 200
    under_lock = [s for held, kind, s in statements if held and kind == "SELECT"]
    assert any("FROM meetings" in s for s in under_lock), "the page waited for the lock to read"
    inserts = [s for _held, kind, s in statements if kind == "INSERT" and "audit_events" in s]
    assert len(inserts) == 1
    with app.app_context():
        viewed = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.subject_user_id == youth.id)).all()
    assert viewed == ["register.viewed"]


def test_a_get_that_signs_in_takes_the_write_lock_at_once(app, client, make):
    """The provider's answer (a GET) signs in, and its code works once: it must never meet
    contention half-way and run again, so it begins IMMEDIATE like a POST."""
    youth = make.user(Role.YOUTH)
    sign_in(client, youth)
    begins = []
    with app.app_context():
        engine = db.engine

    def note(conn, cursor, statement, *args):
        if statement.startswith("BEGIN"):
            begins.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        client.get("/home")
        reads = list(begins)
        begins.clear()
        client.get("/auth/sso/callback?state=forged&code=x")
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert reads == ["BEGIN"]
    assert begins and set(begins) == {"BEGIN IMMEDIATE"}


def test_viewed_events_recorded_outside_a_request_are_written_at_once(app, make):
    """A script (or a test's set-up) that records who looked, then commits, keeps the events."""
    from peer_groups.audit.services import record_views
    from peer_groups.auth.models import User

    worker, youth = make.user(Role.WORKER), make.user(Role.YOUTH)
    with app.app_context():
        record_views(db.session.get(User, worker.id), "register.viewed", [youth.id])
        db.session.commit()
        assert db.session.scalars(select(AuditEvent.action)).all() == ["register.viewed"]
