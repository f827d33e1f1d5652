"""A gunicorn worker killed with SIGKILL in the middle of a sign-up storm loses nothing.

Sixty people press "sign me up" at once on a meeting with five places; while the answers are
still coming back one worker that is serving a request is killed outright (no cleanup, as the
kernel's out-of-memory killer would), and gunicorn starts a new one. The request it was serving
breaks; its transaction is in the database whole or not at all. Afterwards every place a person
was told they have is in the database, and nothing is half written: seats taken match confirmed
sign-ups, each sign-up has its audit event and no event lacks its sign-up, no one is there
twice, and the waiting list is whole. On SQLite and on PostgreSQL (the suite runs on each).
"""

from dataclasses import dataclass, field

from sqlalchemy import func, select

from peer_groups.audit.models import AuditEvent
from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain.signups import SignupStatus
from peer_groups.meetings.models import Meeting
from peer_groups.signups.models import Signup
from peer_groups.signups.services import waitlist_positions
from tests.helpers import REDIRECTS
from tests.load.harness import flashes, gunicorn_server, server_env, signed_in_crowd, storm_answers

PEOPLE, CAPACITY, ROUNDS, WORKERS = 60, 5, 3, 4
KILL_AFTER = 6  # answers back before the kill: the other 54 are queued or being served

CONFIRMED_TEXT = "You are signed up. See you there!"
WAITLISTED_TEXT = "The meeting is full, so you are on the waiting list."


@dataclass
class Seen:
    """What the clients were told: a place, a turn in the queue, or a broken connection."""

    confirmed: set[int] = field(default_factory=set)
    waitlisted: set[int] = field(default_factory=set)
    broken: int = 0


def what_clients_saw(app, user_ids, answers) -> Seen:
    seen = Seen()
    for user_id, answer in zip(user_ids, answers, strict=True):
        if answer.status is None:
            seen.broken += 1
            continue
        assert answer.status in REDIRECTS, (answer.status, answer.body[:500])
        messages = [message for category, message in flashes(app, answer)
                    if category == "success"]
        if len(messages) == 1 and messages[0].startswith(CONFIRMED_TEXT):
            seen.confirmed.add(user_id)
        else:
            assert len(messages) == 1 and messages[0].startswith(WAITLISTED_TEXT), messages
            seen.waitlisted.add(user_id)
    return seen


def check_invariants(app, meeting_id: int, seen: Seen) -> None:
    with app.app_context():
        rows = db.session.execute(select(Signup.user_id, Signup.status)
                                  .where(Signup.meeting_id == meeting_id)).all()
        taken = db.session.scalar(select(Meeting.taken).where(Meeting.id == meeting_id))
        positions = waitlist_positions(meeting_id)
        created = db.session.scalars(select(AuditEvent.subject_user_id).where(
            AuditEvent.action == "signup.created", AuditEvent.object_type == "meeting",
            AuditEvent.object_id == meeting_id)).all()
    confirmed = {user_id for user_id, status in rows if status is SignupStatus.CONFIRMED}
    waitlisted = {user_id for user_id, status in rows if status is SignupStatus.WAITLISTED}

    # No told-you-have-a-place is lost, and no told-you-wait became anything else.
    assert seen.confirmed <= confirmed
    assert seen.waitlisted <= waitlisted
    # Everyone who got an answer is in; only a broken request may or may not have committed.
    answered = len(seen.confirmed) + len(seen.waitlisted)
    assert answered <= len(rows) <= answered + seen.broken
    # One row per person; seats counted right; never over capacity.
    assert len({user_id for user_id, _ in rows}) == len(rows)
    assert len(confirmed) == taken <= CAPACITY
    # The queue is whole: 1..N, and nobody waits while a place is free.
    assert sorted(positions.values()) == list(range(1, len(waitlisted) + 1))
    assert set(positions) == waitlisted
    assert not waitlisted or taken == CAPACITY
    # Nothing half written: each sign-up has exactly its one audit event, and the reverse.
    assert sorted(created) == sorted(user_id for user_id, _ in rows)


def check_no_orphans(app) -> None:
    """Every sign-up points at a meeting and a person that exist; every meeting's seat count
    matches its confirmed sign-ups."""
    with app.app_context():
        orphans = db.session.scalar(
            select(func.count(Signup.id))
            .outerjoin(Meeting, Meeting.id == Signup.meeting_id)
            .outerjoin(User, User.id == Signup.user_id)
            .where((Meeting.id.is_(None)) | (User.id.is_(None))))
        confirmed = (select(func.count(Signup.id))
                     .where(Signup.meeting_id == Meeting.id,
                            Signup.status == SignupStatus.CONFIRMED)
                     .correlate(Meeting).scalar_subquery())
        miscounted = db.session.scalar(
            select(func.count(Meeting.id)).where(Meeting.taken != confirmed))
    assert orphans == 0
    assert miscounted == 0


def test_a_worker_killed_mid_storm_loses_no_confirmed_signup(app):
    crowd = signed_in_crowd(app, PEOPLE, ROUNDS, CAPACITY)
    broken, kills = 0, []
    with gunicorn_server("wsgi:app", server_env(app), workers=WORKERS) as server:
        workers: set[int] = set()  # this round's, known before the storm

        def kill_one():
            kills.append(server.kill_a_worker(workers))

        for meeting_id in crowd.meeting_ids:
            workers = server.wait_for_workers(WORKERS)
            answers = storm_answers(*crowd.signup_requests(meeting_id, [server.base]),
                                    after=(KILL_AFTER, kill_one))
            seen = what_clients_saw(app, crowd.user_ids, answers)
            check_invariants(app, meeting_id, seen)
            broken += seen.broken
            # gunicorn replaced the worker: the service goes on at full strength.
            victim, _ = kills[-1]
            server.wait_for_workers(WORKERS, gone=victim)
    check_no_orphans(app)
    # The kills hit workers mid-request and broke requests: a crash was really exercised.
    assert len(kills) == ROUNDS and any(mid_request for _, mid_request in kills)
    assert broken >= 1
