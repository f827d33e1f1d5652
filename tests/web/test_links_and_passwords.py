"""Sign-in links and password links: work once, expire, never reveal who has an account."""

import re
from datetime import timedelta

from sqlalchemy import select

from peer_groups.audit.models import AuditEvent
from peer_groups.auth.models import AuthSession, OneTimeToken
from peer_groups.db import db, utcnow
from peer_groups.domain.roles import Role
from peer_groups.notifications.models import Channel, OutboxMessage
from tests.conftest import answer_link_requests, post, sign_in
from tests.helpers import assert_redirect

LINK = re.compile(r"http://localhost(/auth/[a-z]+/[A-Za-z0-9_-]+)")


def last_link(app):
    with app.app_context():
        newest = select(OutboxMessage).order_by(OutboxMessage.id.desc())
        message = db.session.scalars(newest).first()
        return message, LINK.search(message.body).group(1)


def test_young_person_signs_in_with_a_link_from_email(app, client, make):
    youth = make.user(Role.YOUTH, display_name="Helmi", email="helmi@example.com")
    response = post(client, "/auth/link", {"identifier": "Helmi@Example.com"})
    answer_link_requests(app)  # the outbox worker, seconds later
    assert "Check your messages" in response.get_data(as_text=True)
    message, path = last_link(app)
    assert message.channel is Channel.EMAIL and message.recipient == "helmi@example.com"

    # Opening the link (what a mail scanner does) changes nothing; pressing the button signs in.
    assert "Sign me in" in client.get(path).get_data(as_text=True)
    assert_redirect(client.get("/home"))
    response = post(client, path)
    assert response.headers["Location"] == "/home"
    assert "Helmi" in client.get("/home").get_data(as_text=True)

    # The link works once.
    other = app.test_client()
    assert post(other, path).status_code == 410
    with app.app_context():
        # Not remembered unless the person ticked the box (tests/web/test_remembering.py).
        assert db.session.scalars(select(AuthSession.remembered)).all() == [False]
    assert youth.id


def test_a_phone_number_gets_the_link_by_sms(app, client, make):
    make.user(Role.YOUTH, email=None, phone="+358401234599")
    post(client, "/auth/link", {"identifier": "040 123 4599"})
    answer_link_requests(app)  # the outbox worker, seconds later
    message, _ = last_link(app)
    assert message.channel is Channel.SMS and message.recipient == "+358401234599"


def test_unknown_people_and_staff_get_the_same_answer_and_no_link(app, client, make):
    worker = make.user(Role.WORKER)
    unknown = post(client, "/auth/link", {"identifier": "nobody@example.com"})
    staff = post(client, "/auth/link", {"identifier": worker.email})
    assert unknown.get_data(as_text=True) == staff.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage)).all() == []


def test_an_expired_link_gets_a_kind_page(app, client, make):
    make.user(Role.YOUTH, email="late@example.com")
    post(client, "/auth/link", {"identifier": "late@example.com"})
    answer_link_requests(app)  # the outbox worker, seconds later
    _, path = last_link(app)
    with app.app_context():
        token = db.session.scalars(select(OneTimeToken)).one()
        token.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = client.get(path)
    assert response.status_code == 410
    assert "Get a new sign-in link" in response.get_data(as_text=True)


def test_password_reset_sets_a_new_password_and_ends_old_sessions(app, client, make):
    worker = make.user(Role.WORKER, email="olli@example.com")
    elsewhere = app.test_client()
    sign_in(elsewhere, worker)

    post(client, "/auth/reset", {"identifier": "olli@example.com"})
    answer_link_requests(app)  # the outbox worker, seconds later
    _, path = last_link(app)
    weak = post(client, path, {"password": "password1", "confirm": "password1"})
    assert "easy to guess" in weak.get_data(as_text=True)
    mismatch = post(client, path, {"password": "a brand new phrase", "confirm": "another"})
    assert "not the same" in mismatch.get_data(as_text=True)

    done = post(client, path, {"password": "a brand new phrase", "confirm": "a brand new phrase"})
    assert done.headers["Location"] == "/auth/sign-in"
    assert_redirect(elsewhere.get("/home"))  # the other device is signed out
    assert post(client, path, {"password": "x" * 12, "confirm": "x" * 12}).status_code == 410
    sign_in(client, worker, password="a brand new phrase")
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "auth.password_reset_requested" in actions and "auth.password_reset" in actions


def test_changing_the_password_needs_the_current_one(app, client, make):
    youth = make.user(Role.YOUTH)
    sign_in(client, youth)
    wrong = post(client, "/account/password",
                 {"current": "not it at all", "password": "new pass phrase", "confirm":
                  "new pass phrase"})
    assert "not your current password" in wrong.get_data(as_text=True)
    ok = post(client, "/account/password",
              {"current": "correct horse battery", "password": "new pass phrase",
               "confirm": "new pass phrase"})
    assert ok.headers["Location"] == "/account/"
    assert client.get("/home").status_code == 200  # this device stays signed in


def test_a_young_person_without_password_can_set_one(app, client, make):
    youth = make.user(Role.YOUTH, password=None)
    post(client, "/auth/link", {"identifier": youth.email})
    answer_link_requests(app)  # the outbox worker, seconds later
    _, path = last_link(app)
    post(client, path)
    page = client.get("/account/password").get_data(as_text=True)
    assert 'name="current"' not in page
    response = post(client, "/account/password",
                    {"password": "my own pass phrase", "confirm": "my own pass phrase"})
    assert response.headers["Location"] == "/account/"
    post(client, "/auth/sign-out")
    sign_in(client, youth, password="my own pass phrase")
