"""A delivered message keeps no text (its links stay out of the database); old rows are purged."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from peer_groups.db import db, utcnow
from peer_groups.domain.roles import Role
from peer_groups.notifications import backends
from peer_groups.notifications.models import MessageStatus, OutboxMessage
from peer_groups.notifications.services import deliver_pending, queue_message
from peer_groups.privacy.services import purge
from tests import factories

LINK = "https://example.com/auth/link/SECRET-TOKEN-abcdefghijklmnopqrstuvwxyz0123"


def queue_link(user):
    return queue_message(user, "sign_in_link", link=LINK, minutes=30)


def test_a_delivered_message_keeps_what_shows_it_was_sent_and_no_text(ctx):
    youth = factories.make_user(Role.YOUTH)
    texter = factories.make_user(Role.YOUTH, email=None, phone="+358401112225")
    queue_link(youth)
    queue_link(texter)
    db.session.commit()
    assert deliver_pending()["sent"] == 2

    for message in db.session.scalars(select(OutboxMessage)):
        assert message.body == ""
        assert LINK not in message.subject
        assert message.status is MessageStatus.SENT and message.sent_at is not None
        assert message.template == "sign_in_link" and message.channel and message.created_at


def test_a_message_given_up_on_keeps_no_text_either(ctx, monkeypatch):
    class Broken:
        def __init__(self, config):
            pass

        def send(self, message):
            raise ConnectionError("no route")

    monkeypatch.setitem(backends.MAIL_BACKENDS, "file", Broken)
    queue_link(factories.make_user(Role.YOUTH))
    db.session.commit()
    for _ in range(ctx.config["OUTBOX_MAX_ATTEMPTS"] - 1):
        deliver_pending()
        assert LINK in db.session.scalars(select(OutboxMessage.body)).one()  # tried again
    deliver_pending()
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.status is MessageStatus.FAILED and message.body == ""


def test_a_waiting_message_keeps_its_text_until_it_goes(ctx):
    queue_link(factories.make_user(Role.YOUTH))
    db.session.commit()
    assert LINK in db.session.scalars(select(OutboxMessage.body)).one()


def run_purge(now, dry_run=False):
    return purge(now, retention_months=24, dietary_idle_days=180, grace_days=90, dry_run=dry_run)


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_purge_deletes_outbox_rows_older_than_the_retention(ctx, dry_run):
    youth = factories.make_user(Role.YOUTH, birth_year=2006)
    now = utcnow()
    days = ctx.config["OUTBOX_RETENTION_DAYS"]
    ages = {"old sent": (days + 1, MessageStatus.SENT), "old failed": (days + 1,
            MessageStatus.FAILED), "recent": (days - 1, MessageStatus.SENT),
            "old waiting": (days + 1, MessageStatus.PENDING)}
    for subject, (age, status) in ages.items():
        message = queue_link(youth)
        message.subject, message.status = subject, status
        message.created_at = now - timedelta(days=age)
    db.session.commit()

    report = run_purge(now, dry_run=dry_run)
    assert report.outbox == 3
    left = sorted(db.session.scalars(select(OutboxMessage.subject)))
    assert left == (sorted(ages) if dry_run else ["recent"])
    if not dry_run:
        assert run_purge(now).outbox == 0  # safe to run again


def test_the_purge_leaves_a_message_being_sent_alone(ctx):
    message = queue_link(factories.make_user(Role.YOUTH, birth_year=2006))
    message.status = MessageStatus.SENDING
    message.created_at = utcnow() - timedelta(days=ctx.config["OUTBOX_RETENTION_DAYS"] + 5)
    db.session.commit()
    assert run_purge(utcnow()).outbox == 0
    assert db.session.scalars(select(OutboxMessage)).one().status is MessageStatus.SENDING
