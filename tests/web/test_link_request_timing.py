"""Asking for a sign-in or password link takes the same work whoever asks (issue 21).

The answer was already the same text for every address; its time was not: for an account that
exists, the request made a token, rendered a message, wrote it, a notice and an audit event,
about twice as long as finding no account. Now the request writes down what was typed (one
row, the same statements for every address) and the outbox worker answers it.
"""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from peer_groups.audit.models import AuditEvent
from peer_groups.auth import link_requests
from peer_groups.auth.models import LinkRequest, OneTimeToken, TokenPurpose
from peer_groups.db import db, utcnow
from peer_groups.domain.roles import Role
from peer_groups.notifications.models import OutboxMessage
from peer_groups.privacy.services import purge
from tests.conftest import CSRF, answer_link_requests, csrf_token, run_at_once

# Every kind of address a stranger might try: a young person's email, their phone, a worker's
# email (no link unless locked), a locked worker's email (a link), a closed account, nobody.
ADDRESSES = ("young@example.com", "040 123 4567", "staff@example.com", "locked@example.com",
             "closed@example.com", "nobody@example.com")


@pytest.fixture
def people(make):
    make.user(Role.YOUTH, email="young@example.com", phone="+358401234567")
    make.user(Role.WORKER, email="staff@example.com")
    make.user(Role.WORKER, email="locked@example.com", failed_sign_ins=50,
              failed_sign_ins_since=utcnow())
    make.user(Role.YOUTH, email="closed@example.com", active=False)


@contextmanager
def statements_of(app):
    seen = []
    with app.app_context():
        engine = db.engine

    def note(conn, cursor, statement, parameters, *args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("path", ["/auth/link", "/auth/reset"])
def test_every_address_gets_the_same_answer_from_the_same_statements(app, client, people, path):
    token = csrf_token(client, path)
    seen = {}
    for address in ADDRESSES:
        with statements_of(app) as statements:
            response = client.post(path, data={"identifier": address, "csrf_token": token})
        assert response.status_code == 200
        # The same page, but for the form tokens (signed with the time, to the second).
        page = CSRF.sub("", response.get_data(as_text=True))
        seen[address] = (page, tuple(statements))
    assert len(set(seen.values())) == 1, "the work differs by who asked"
    answer, statements = seen["nobody@example.com"]
    assert any("INSERT INTO link_requests" in s for s in statements)
    # Nothing about any account was made in the request: no link, no message, no audit event.
    assert count(app, OneTimeToken) == count(app, OutboxMessage) == count(app, AuditEvent) == 0
    assert count(app, LinkRequest) == len(ADDRESSES)


def test_the_worker_answers_each_request_by_the_rules_and_keeps_no_typed_address(
        app, client, people):
    token = csrf_token(client, "/auth/link")
    for address in ADDRESSES:
        client.post("/auth/link", data={"identifier": address, "csrf_token": token})
    assert answer_link_requests(app) == len(ADDRESSES)
    with app.app_context():
        recipients = sorted(db.session.scalars(select(OutboxMessage.recipient)))
        # The young person by email and by text message, the locked worker by email; the
        # unlocked worker, the closed account and nobody get nothing.
        assert recipients == ["+358401234567", "locked@example.com", "young@example.com"]
        assert db.session.scalars(select(LinkRequest)).all() == []  # what was typed is gone
    assert answer_link_requests(app) == 0


def test_a_request_the_worker_reaches_too_late_is_dropped_without_a_link(app, client, people):
    token = csrf_token(client, "/auth/reset")
    client.post("/auth/reset", data={"identifier": "young@example.com", "csrf_token": token})
    with app.app_context():
        link_requests.answer_waiting(now=utcnow() + app.config["PASSWORD_RESET_LIFETIME"]
                                     + timedelta(minutes=1))
        assert db.session.scalars(select(OutboxMessage)).all() == []
        assert db.session.scalars(select(LinkRequest)).all() == []


def test_the_link_in_the_message_leads_to_the_host_that_was_asked(app, client, people):
    host = "http://127.0.0.1"
    token = CSRF.search(client.get("/auth/link", base_url=host).get_data(as_text=True)).group(1)
    client.post("/auth/link", data={"identifier": "young@example.com", "csrf_token": token},
                base_url=host)
    answer_link_requests(app)
    with app.app_context():
        body = db.session.scalars(select(OutboxMessage.body)).one()
    assert "http://127.0.0.1/auth/link/" in body


def test_two_workers_at_once_answer_a_request_once(app, people):
    with app.app_context():
        for _ in range(3):
            link_requests.ask(TokenPurpose.SIGN_IN, "young@example.com")
        db.session.commit()
    assert run_at_once(app, link_requests.answer_waiting) == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 3
        assert db.session.scalars(select(LinkRequest)).all() == []


def test_the_purge_forgets_requests_no_worker_answered(app, client, people):
    token = csrf_token(client, "/auth/link")
    client.post("/auth/link", data={"identifier": "young@example.com", "csrf_token": token})
    with app.app_context():
        assert link_requests.forget_unanswered(utcnow()) == 0  # fresh: the worker may come
        later = utcnow() + app.config["PASSWORD_RESET_LIFETIME"] + timedelta(minutes=1)
        purge(later, retention_months=24, dietary_idle_days=365, grace_days=30, dry_run=False)
        db.session.commit()
        assert db.session.scalars(select(LinkRequest)).all() == []
