"""The outbox: messages in the recipient's language, each delivered exactly once."""

import threading
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from sqlalchemy import select

from peer_groups import create_app
from peer_groups.db import db, utcnow
from peer_groups.domain.roles import Role
from peer_groups.notifications import backends
from peer_groups.notifications.models import Channel, MessageStatus, OutboxMessage
from peer_groups.notifications.services import deliver_pending, queue_message
from tests import factories


def queue_link(user, link="https://example.com/auth/link/abc"):
    return queue_message(user, "sign_in_link", link=link, minutes=30)


def test_message_is_written_in_the_recipients_language(ctx):
    user = factories.make_user(Role.YOUTH, language="sv", display_name="Saga")
    message = queue_link(user)
    db.session.flush()
    assert message.channel is Channel.EMAIL
    assert message.recipient == user.email
    assert "Saga" in message.body and "https://example.com/auth/link/abc" in message.body
    assert message.subject and "\n" not in message.subject


def test_sms_when_there_is_no_email(ctx):
    user = factories.make_user(Role.YOUTH, email=None, phone="+358401112223")
    message = queue_link(user)
    assert message.channel is Channel.SMS and message.recipient == "+358401112223"


def test_nobody_to_reach_means_no_message(ctx):
    user = factories.make_user(Role.YOUTH, email=None, phone=None)
    assert queue_link(user) is None


def test_file_backend_writes_each_message_once_and_marks_it_sent(ctx):
    youth = factories.make_user(Role.YOUTH, display_name="Aino")
    texter = factories.make_user(Role.YOUTH, email=None, phone="+358401112224")
    queue_link(youth)
    queue_link(texter)
    db.session.commit()

    assert deliver_pending() == {"sent": 2, "failed": 0, "skipped": 0}
    assert deliver_pending() == {"sent": 0, "failed": 0, "skipped": 0}

    folder = Path(ctx.config["OUTBOX_DIR"])
    email_file, sms_file = sorted(folder.iterdir())
    email = message_from_bytes(email_file.read_bytes())
    assert email["To"] == youth.email
    assert "Aino" in email.get_payload(decode=True).decode()
    assert sms_file.read_text().startswith("To: +358401112224")
    statuses = db.session.scalars(select(OutboxMessage.status)).all()
    assert statuses == [MessageStatus.SENT, MessageStatus.SENT]


def test_a_failing_backend_is_retried_then_given_up(ctx, monkeypatch):
    class Broken:
        def __init__(self, config):
            pass

        def send(self, message):
            raise ConnectionError("smtp.example.com refused aino@example.com")

    monkeypatch.setitem(backends.MAIL_BACKENDS, "file", Broken)
    queue_link(factories.make_user(Role.YOUTH))
    db.session.commit()
    for _ in range(ctx.config["OUTBOX_MAX_ATTEMPTS"]):
        assert deliver_pending()["failed"] == 1
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.status is MessageStatus.FAILED
    assert message.attempts == ctx.config["OUTBOX_MAX_ATTEMPTS"]
    assert message.last_error == "ConnectionError"  # never the text, which may name a person
    assert deliver_pending() == {"sent": 0, "failed": 0, "skipped": 0}


def test_a_claim_left_by_a_dead_sender_is_taken_over(ctx):
    queue_link(factories.make_user(Role.YOUTH))
    db.session.commit()
    message = db.session.scalars(select(OutboxMessage)).one()
    message.status = MessageStatus.SENDING
    message.claimed_at = utcnow() - timedelta(minutes=11)
    db.session.commit()
    assert deliver_pending()["sent"] == 1


@pytest.mark.parametrize("senders", [2, 4])
def test_parallel_senders_send_each_message_exactly_once(app, database_url, tmp_path, senders,
                                                         monkeypatch):
    sent = []
    lock = threading.Lock()

    class Recording:
        def __init__(self, config):
            pass

        def send(self, message):
            with lock:
                sent.append(message.id)

    monkeypatch.setitem(backends.MAIL_BACKENDS, "file", Recording)
    with app.app_context():
        people = [factories.make_user(Role.YOUTH) for _ in range(30)]
        for person in people:
            queue_link(person)
        db.session.commit()

    apps = [app] + [create_app({**app.config}) for _ in range(senders - 1)]
    barrier = threading.Barrier(senders)
    errors = []

    def run(one_app):
        try:
            with one_app.app_context():
                barrier.wait()
                deliver_pending()
                db.session.remove()
                db.engine.dispose()
        except Exception as error:  # noqa: BLE001 - surfaced below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(a,)) for a in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(sent) == sorted(set(sent)) and len(sent) == 30


def test_smtp_backend_sends_through_the_configured_server(ctx, monkeypatch):
    seen = {}

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            seen["server"] = (host, port)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            seen["tls"] = True

        def login(self, username, password):
            seen["login"] = (username, password)

        def send_message(self, email):
            seen["email"] = email

    monkeypatch.setattr(backends.smtplib, "SMTP", FakeSMTP)
    ctx.config.update(MAIL_BACKEND="smtp", SMTP_HOST="smtp.example.fi", SMTP_PORT=2525,
                      SMTP_USERNAME="mailer", SMTP_PASSWORD="s3cret-value",
                      MAIL_FROM="ryhmat@example.fi")
    youth = factories.make_user(Role.YOUTH, display_name="Onni")
    queue_link(youth)
    db.session.commit()
    assert deliver_pending()["sent"] == 1
    assert seen["server"] == ("smtp.example.fi", 2525) and seen["tls"]
    assert seen["login"] == ("mailer", "s3cret-value")
    assert seen["email"]["To"] == youth.email and seen["email"]["From"] == "ryhmat@example.fi"
