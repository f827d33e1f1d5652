"""`flask outbox work` as it runs in production: real processes on the test's database.

Two workers send forty messages, each exactly once; a sign-in link asked for over HTTP is in
the outbox folder within seconds; SIGTERM stops both cleanly; on PostgreSQL, connections cut
from under a worker, or a server that is away and comes back, cost a wait, not the worker.
"""

import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select

from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.notifications.models import MessageStatus, OutboxMessage
from peer_groups.notifications.services import queue_message
from tests import factories
from tests.conftest import BACKEND, PG_SERVER, post
from tests.load.harness import ROOT, free_port, server_env


def start_worker(app, poll="0.2", **extra):
    env = {**os.environ, **server_env(app, FLASK_APP="wsgi"), **extra}
    return subprocess.Popen([sys.executable, "-m", "flask", "outbox", "work", "--poll", poll],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def stop(workers):
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    outputs = []
    for worker in workers:
        out, err = worker.communicate(timeout=20)
        outputs.append((worker.returncode, out, err))
    return outputs


def queue(app, count, who="p"):
    with app.app_context():
        area = factories.make_area()
        for number in range(count):
            person = factories.make_user(Role.YOUTH, area=area, password=None,
                                         email=f"{who}{number}@example.fi")
            queue_message(person, "sign_in_link", link="http://localhost/auth/link/x", minutes=15)
        db.session.commit()


def wait_until(condition, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def statuses(app):
    with app.app_context():
        rows = db.session.execute(select(OutboxMessage.status, OutboxMessage.attempts)).all()
        db.session.remove()
        return rows


def outbox_files(app):
    folder = Path(app.config["OUTBOX_DIR"])
    return sorted(folder.glob("*.eml")) if folder.is_dir() else []


def test_two_workers_send_each_message_once_and_stop_cleanly(app):
    workers = [start_worker(app), start_worker(app)]
    try:
        for worker in workers:  # each has its SIGTERM handler before anything is asked of it
            assert wait_until(lambda w=worker: "sending" in (w.stdout.readline() or ""), 30)
        queue(app, 40)
        assert wait_until(lambda: all(s is MessageStatus.SENT for s, _ in statuses(app))), \
            statuses(app)
    finally:
        outputs = stop(workers)
    assert len(outbox_files(app)) == 40
    assert {attempts for _, attempts in statuses(app)} == {1}  # nobody sent one twice
    for returncode, out, err in outputs:
        assert returncode == 0, err[-2000:]
        assert "stopped" in out and "Traceback" not in err, (out, err)


def test_a_sign_in_link_is_in_the_outbox_within_seconds(app, client, make):
    make.user(Role.YOUTH, email="helmi@example.fi")
    worker = start_worker(app, poll="2")
    try:
        assert wait_until(lambda: "sending" in (worker.stdout.readline() or ""), 30)
        asked = time.monotonic()
        post(client, "/auth/link", {"identifier": "helmi@example.fi"})
        assert wait_until(lambda: outbox_files(app), 15)
        took = time.monotonic() - asked
    finally:
        stop([worker])
    print(f"\nsign-in link asked -> in the outbox folder: {took:.2f} s (poll 2 s)")
    assert "helmi@example.fi" in outbox_files(app)[0].read_text()


@pytest.mark.skipif(BACKEND != "postgresql", reason="cuts PostgreSQL connections")
def test_a_worker_outlives_its_database_connections_being_cut(app):
    worker = start_worker(app)
    try:
        queue(app, 3)
        assert wait_until(lambda: len(outbox_files(app)) == 3)
        name = app.config["SQLALCHEMY_DATABASE_URI"].rsplit("/", 1)[1]
        with psycopg.connect(PG_SERVER, autocommit=True) as admin:
            cut = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                "WHERE datname = %s AND pid <> pg_backend_pid()",
                                (name,)).fetchone()[0]
        assert cut >= 1
        with app.app_context():
            db.engine.dispose()  # our own connections were cut too
        queue(app, 3, who="after")
        assert wait_until(lambda: len(outbox_files(app)) == 6, 60)
    finally:
        (returncode, out, err), = stop([worker])
    assert returncode == 0 and "Traceback" not in err, err[-2000:]
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMessage.id))
                                 .where(OutboxMessage.status == MessageStatus.SENT)) == 6


class Forwarder:
    """A TCP relay to PostgreSQL that can be down and come back, as a restarted server does."""

    def __init__(self, port: int):
        self.port, self.server = port, None

    def start(self):
        class Relay(socketserver.BaseRequestHandler):
            def handle(self):
                with socket.create_connection(("127.0.0.1", 5432)) as upstream:
                    pipes = [threading.Thread(target=pump, args=(self.request, upstream),
                                              daemon=True),
                             threading.Thread(target=pump, args=(upstream, self.request),
                                              daemon=True)]
                    for pipe in pipes:
                        pipe.start()
                    for pipe in pipes:
                        pipe.join()

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Relay)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()


def pump(source, target):
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, target):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


@pytest.mark.skipif(BACKEND != "postgresql", reason="needs a database server to be away")
def test_a_worker_waits_for_a_database_that_is_down_and_carries_on_when_it_is_back(app):
    port = free_port()
    url = app.config["SQLALCHEMY_DATABASE_URI"].replace("127.0.0.1:5432", f"127.0.0.1:{port}")
    worker = start_worker(app, DATABASE_URL=url)
    relay = Forwarder(port)
    try:
        queue(app, 2)
        assert wait_until(lambda: "sending" in (worker.stdout.readline() or ""), 30)
        time.sleep(2)  # the server is away: nothing can be sent
        assert outbox_files(app) == [] and worker.poll() is None
        relay.start()  # ...and back
        assert wait_until(lambda: len(outbox_files(app)) == 2, 90)
    finally:
        (returncode, out, err), = stop([worker])
        relay.stop()
    assert returncode == 0, err[-2000:]
    assert "database unavailable (OperationalError)" in err and "Traceback" not in err, err
    assert "example.fi" not in err  # no personal data in the log
