"""Sixty people press "sign me up" at the same moment on a meeting with five places.

The real app under gunicorn (4 workers) never confirms more than five, on SQLite and on
PostgreSQL, ten times over; the same harness aimed at a naive check-then-insert overbooks,
which shows that the harness can see a race at all.
"""

import pytest
from sqlalchemy import func, select

from peer_groups.db import db
from peer_groups.domain.signups import SignupStatus
from peer_groups.meetings.models import Meeting
from peer_groups.signups.models import Signup
from peer_groups.signups.services import waitlist_positions
from tests.helpers import REDIRECTS
from tests.load.harness import gunicorn, server_env, signed_in_crowd, storm

PEOPLE, CAPACITY, ROUNDS = 60, 5, 10


@pytest.fixture
def crowd(app):
    """An area with 60 members signed in, and ten meetings of five places each (and a spare)."""
    return signed_in_crowd(app, PEOPLE, ROUNDS + 1, CAPACITY)


def confirmed_count(app, meeting_id):
    with app.app_context():
        return db.session.scalar(select(func.count(Signup.id)).where(
            Signup.meeting_id == meeting_id, Signup.status == SignupStatus.CONFIRMED))


def test_sixty_at_once_never_overbook(app, crowd):
    with gunicorn("wsgi:app", server_env(app)) as base:
        for meeting_id in crowd.meeting_ids[:ROUNDS]:
            answers = storm(*crowd.signup_requests(meeting_id, [base]))
            assert all(code in REDIRECTS for code in answers), sorted(set(answers))
            assert confirmed_count(app, meeting_id) == CAPACITY
            with app.app_context():
                positions = waitlist_positions(meeting_id)
                taken = db.session.scalar(select(Meeting.taken).where(Meeting.id == meeting_id))
            assert sorted(positions.values()) == list(range(1, PEOPLE - CAPACITY + 1))
            assert len(positions) + CAPACITY == PEOPLE
            assert taken == CAPACITY


def test_the_harness_sees_a_naive_race(app, crowd):
    meeting_id = crowd.meeting_ids[-1]
    env = {"DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"].replace(
        "postgresql+psycopg://", "postgresql://"), "NAIVE_CAPACITY": str(CAPACITY)}
    headers = [{"Content-Type": "application/x-www-form-urlencoded"}] * PEOPLE
    bodies = [{"user_id": str(user_id)} for user_id in crowd.user_ids]
    with gunicorn("tests.load.naive_app:app", env) as base:
        storm(f"{base}/meetings/{meeting_id}/signup", bodies, headers)
    assert confirmed_count(app, meeting_id) > CAPACITY
