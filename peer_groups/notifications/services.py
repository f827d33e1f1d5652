"""Queueing messages in the outbox and delivering them, once each, from any number of hosts."""

import logging
import secrets
from datetime import timedelta
from functools import partial

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import delete, func, or_, select, update

from peer_groups import unit_of_work
from peer_groups.db import db, utcnow
from peer_groups.notices.services import keep_as_notice
from peer_groups.notifications.backends import backend_for
from peer_groups.notifications.channels import channel_for
from peer_groups.notifications.models import Channel, MessageStatus, OutboxMessage

log = logging.getLogger(__name__)

# A message claimed by a sender that died is tried again after this long.
STALE_CLAIM = timedelta(minutes=10)
# Functions run before each delivery round (`answer_first`), kept on app.extensions.
ANSWER_FIRST = "outbox_answer_first"


def queue_message(user, template: str, channel: Channel | None = None, to: str | None = None,
                  **context):
    """Tell `user`: a message in the outbox (returned; None if unreachable), and for a young
    person also a notice in the app, always, even with no email or phone (docs/rules.md, 12).
    """
    keep_as_notice(user, template, context)
    return _queue_outbox(user, template, channel=channel, to=to, **context)


def _queue_outbox(user, template: str, channel: Channel | None = None, to: str | None = None,
                  **context):
    """Put a message for `user` in the outbox, in their own language; None if unreachable.

    `to` sends it to another address of the channel than the person's current one.
    """
    channel = channel or channel_for(user, template)
    recipient = to or {Channel.EMAIL: user.email, Channel.SMS: user.phone}.get(channel)
    if not recipient:
        return None
    with force_locale(user.language):
        subject = render_template(f"messages/{template}.subject.txt", user=user, **context)
        body = render_template(f"messages/{template}.txt", user=user, channel=channel, **context)
    message = OutboxMessage(
        channel=channel, user_id=user.id, recipient=recipient, template=template,
        subject=" ".join(subject.split()), body=body.strip() + "\n",
    )
    db.session.add(message)
    return message


def claimable(now):
    """Waiting to be sent, or taken by a sender that has died since: free to claim."""
    return or_(
        OutboxMessage.status == MessageStatus.PENDING,
        (OutboxMessage.status == MessageStatus.SENDING)
        & (OutboxMessage.claimed_at < now - STALE_CLAIM),
    )


def claim(message_id: int, now) -> str | None:
    """Take one message for sending; exactly one sender wins, whatever runs at the same time.

    Flushes only: `deliver_pending` commits the claim before anything is sent.
    """
    token = secrets.token_hex(8)
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            claimable(now),
        )
        .values(status=MessageStatus.SENDING, claim_token=token, claimed_at=now)
    )
    return token if claimed.rowcount == 1 else None


def answer_first(app, answer) -> None:
    """Have `answer(now=...)` run before each delivery round: requests that become messages
    there, not in the request that asked (auth/link_requests.py)."""
    app.extensions.setdefault(ANSWER_FIRST, []).append(answer)


def deliver_pending(limit: int = 100, *, now=None, stop=None) -> dict[str, int]:
    """Send what waits in the outbox. Safe to run from two hosts at once: each message once.

    Each step is a unit of work of its own, so that the outbox's guarantees hold: the claim is
    committed before the message is sent (a crash leaves a stale claim, taken over later), and
    the send and its mark are committed together, never retried (that could send twice). So
    it commits: call it outside a request's changes (a command, after_request, its own page).
    `stop` (a threading.Event): once set, no further message is started.
    """
    now = now or utcnow()
    for answer in current_app.extensions.get(ANSWER_FIRST, ()):
        answer(now=now)
    candidates = unit_of_work.run(lambda: db.session.scalars(
        select(OutboxMessage.id)
        .where(claimable(now))
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all())
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    for message_id in candidates:
        if stop is not None and stop.is_set():
            break
        if unit_of_work.run(partial(claim, message_id, now)) is None:
            counts["skipped"] += 1
            continue
        counts[unit_of_work.run(partial(_send_claimed, message_id, now), attempts=1)] += 1
    return counts


def _send_claimed(message_id: int, now) -> str:
    return _send_one(db.session.get(OutboxMessage, message_id), now=now)


def _send_one(message: OutboxMessage, *, now=None) -> str:
    now = now or utcnow()
    message.attempts += 1
    try:
        backend_for(message.channel, current_app.config).send(message)
    except Exception as error:  # noqa: BLE001 - any backend failure is retried later
        # The error's text may quote the recipient: log the type and the message id only.
        log.warning("outbox message %s failed: %s", message.id, type(error).__name__)
        failed = message.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]
        message.status = MessageStatus.FAILED if failed else MessageStatus.PENDING
        message.last_error = type(error).__name__
        if failed:
            forget_text(message)
        return "failed"
    message.status = MessageStatus.SENT
    message.sent_at = now
    forget_text(message)
    return "sent"


def forget_text(message: OutboxMessage) -> None:
    """Once a message has gone (or never will), its text leaves the database.

    The text holds live sign-in, password and welcome links: a backup or a dump must not. What
    shows that it was sent stays: template, channel, recipient, subject, status and times.
    """
    message.body = ""


def delete_old_messages(now, days: int, dry_run: bool = False) -> int:
    """Delete outbox rows older than `days` (not one being sent right now); how many."""
    old = (OutboxMessage.created_at < now - timedelta(days=days),
           OutboxMessage.status != MessageStatus.SENDING)
    if dry_run:
        return db.session.scalar(select(func.count(OutboxMessage.id)).where(*old))
    return len(db.session.execute(delete(OutboxMessage).where(*old)
                                  .returning(OutboxMessage.id)).all())
