""""Send me a sign-in link" and "I forgot my password", answered in the same time for everyone.

Making a link and its message for an account that exists (a token, an outbox row, a notice,
an audit event) takes longer than finding that an address has no account, and an attacker
timing the answers could learn who uses the service. So the request only writes down what was
typed: one row, the same for every address. The outbox worker (`flask outbox work`, or `flask
outbox send` from cron) answers the waiting requests just before it sends, seconds later, by the
rules in auth/services.py; the row is deleted then, whatever the answer.
"""

from datetime import datetime
from functools import partial

from flask import current_app
from sqlalchemy import delete, func, select

from peer_groups import unit_of_work
from peer_groups.auth import services
from peer_groups.auth.models import LinkRequest, TokenPurpose
from peer_groups.db import db, utcnow
from peer_groups.urls import external_url, link_base

# Where each kind of link leads, and how long it may wait for the worker before it is dropped.
ENDPOINTS = {TokenPurpose.SIGN_IN: "auth.use_link", TokenPurpose.PASSWORD_RESET: "auth.reset"}
LIFETIMES = {TokenPurpose.SIGN_IN: "SIGN_IN_LINK_LIFETIME",
             TokenPurpose.PASSWORD_RESET: "PASSWORD_RESET_LIFETIME"}


def ask(purpose: TokenPurpose, identifier: str, *, now: datetime | None = None) -> None:
    """Write down a request for a link; the same single row whoever typed what."""
    db.session.add(LinkRequest(purpose=purpose, identifier=identifier.strip()[:254],
                               link_base=link_base() or "", created_at=now or utcnow()))


def waiting_count() -> int:
    """How many requests wait for the worker (the development outbox page says so)."""
    return db.session.scalar(select(func.count()).select_from(LinkRequest))


def answer_waiting(*, now: datetime | None = None, limit: int = 100) -> int:
    """Answer the waiting requests, each in a unit of work of its own; how many were taken.

    Safe from several workers at once: a request is answered by the one whose delete took it.
    """
    now = now or utcnow()
    waiting = unit_of_work.run(lambda: db.session.scalars(
        select(LinkRequest.id).order_by(LinkRequest.id).limit(limit)).all())
    return sum(unit_of_work.run(partial(_answer, request_id, now)) for request_id in waiting)


def _answer(request_id: int, now: datetime) -> bool:
    request = db.session.get(LinkRequest, request_id)
    if request is None:
        return False
    purpose, identifier, base = request.purpose, request.identifier, request.link_base or None
    asked_at = request.created_at
    taken = db.session.execute(delete(LinkRequest).where(LinkRequest.id == request_id))
    if taken.rowcount != 1:
        return False  # another worker answered it
    if now - asked_at > current_app.config[LIFETIMES[purpose]]:
        return True  # waited longer than its link would have lived: dropped, nobody told
    link_for = partial(_link, ENDPOINTS[purpose], base)
    if purpose is TokenPurpose.SIGN_IN:
        services.send_sign_in_link(identifier, link_for, now=now)
    else:
        services.send_password_reset(identifier, link_for)
    return True


def _link(endpoint: str, base: str | None, token: str) -> str | None:
    return external_url(endpoint, base=base, token=token)


def forget_unanswered(now: datetime) -> int:
    """Requests older than the longest link's life, left by a worker that was not running:
    what was typed goes (the purge runs this); how many."""
    oldest = now - max(current_app.config[name] for name in LIFETIMES.values())
    return db.session.execute(delete(LinkRequest).where(LinkRequest.created_at < oldest)).rowcount
