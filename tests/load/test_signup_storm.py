"""Sixty people press "sign me up" at the same moment on a meeting with five places.

The real app under gunicorn (4 workers) never confirms more than five, on SQLite and on
PostgreSQL, ten times over; the same harness aimed at a naive check-then-insert overbooks,
which shows that the harness can see a race at all.
"""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from peer_groups.auth.models import AuthSession
from peer_groups.auth.tokens import digest, new_token
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.domain.signups import SignupStatus
from peer_groups.groups.models import Meeting
from peer_groups.signups.models import Signup
from peer_groups.signups.services import waitlist_positions
from tests import factories
from tests.load.harness import gunicorn, signed_in_cookie, storm

PEOPLE, CAPACITY, ROUNDS = 60, 5, 10


@pytest.fixture
def crowd(app):
    """An area with 60 members signed in, and ten meetings of five places each."""
    with app.app_context():
        area = factories.make_area()
        youth = [factories.make_user(Role.YOUTH, area=area, password=None)
                 for _ in range(PEOPLE)]
        group = factories.make_group(area, members=youth)
        start = datetime.now(UTC) + timedelta(days=10)
        meetings = [factories.make_meeting(group, starts_at=start + timedelta(days=31 * i),
                                           capacity=CAPACITY).id for i in range(ROUNDS + 1)]
        tokens = []
        for person in youth:
            token = new_token()
            db.session.add(AuthSession(token_hash=digest(token), user_id=person.id))
            tokens.append(token)
        db.session.commit()
        user_ids = [person.id for person in youth]
    sessions = [signed_in_cookie(app, token) for token in tokens]
    return meetings, user_ids, sessions


def server_env(app):
    return {"APP_ENV": "testing", "SECRET_KEY": app.secret_key,
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "TRUSTED_HOSTS": "127.0.0.1", "OUTBOX_DIR": app.config["OUTBOX_DIR"]}


def confirmed_count(app, meeting_id):
    with app.app_context():
        return db.session.scalar(select(func.count(Signup.id)).where(
            Signup.meeting_id == meeting_id, Signup.status == SignupStatus.CONFIRMED))


def test_sixty_at_once_never_overbook(app, crowd):
    meetings, user_ids, sessions = crowd
    headers = [{"Cookie": f"session={cookie}",
                "Content-Type": "application/x-www-form-urlencoded"} for cookie, _ in sessions]
    bodies = [{"csrf_token": token} for _, token in sessions]
    with gunicorn("wsgi:app", server_env(app)) as base:
        for meeting_id in meetings[:ROUNDS]:
            answers = storm(f"{base}/meetings/{meeting_id}/signup", bodies, headers)
            assert all(code == 302 for code in answers), sorted(set(answers))
            assert confirmed_count(app, meeting_id) == CAPACITY
            with app.app_context():
                positions = waitlist_positions(meeting_id)
                taken = db.session.scalar(select(Meeting.taken).where(Meeting.id == meeting_id))
            assert sorted(positions.values()) == list(range(1, PEOPLE - CAPACITY + 1))
            assert len(positions) + CAPACITY == PEOPLE
            assert taken == CAPACITY


def test_the_harness_sees_a_naive_race(app, crowd):
    meetings, user_ids, _ = crowd
    meeting_id = meetings[-1]
    env = {"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"].replace(
        "postgresql+psycopg://", "postgresql://"), "NAIVE_CAPACITY": str(CAPACITY)}
    headers = [{"Content-Type": "application/x-www-form-urlencoded"}] * PEOPLE
    bodies = [{"user_id": str(user_id)} for user_id in user_ids]
    with gunicorn("tests.load.naive_app:app", env) as base:
        storm(f"{base}/meetings/{meeting_id}/signup", bodies, headers)
    assert confirmed_count(app, meeting_id) > CAPACITY
