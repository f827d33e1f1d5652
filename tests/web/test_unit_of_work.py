"""One unit of work per request: what a view flushed is committed if it answers, and nothing
of it is left if it raises or drops a failed change to show its form again."""

import sqlite3
from datetime import time, timedelta

import pytest
from flask import abort, flash
from flask_login import current_user
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from peer_groups.audit.models import AuditEvent
from peer_groups.auth.models import AuthSession, User
from peer_groups.db import db, utcnow
from peer_groups.domain.errors import DomainError
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import MonthlyRule, RuleKind
from peer_groups.groups import services as group_services
from peer_groups.groups.models import Group
from tests.conftest import sign_in


def rename(name):
    """What a service does: change a row, audit it, flush; never commit."""
    user = db.session.get(User, current_user.id)
    user.display_name = name
    db.session.flush()


@pytest.fixture
def routes(app):
    """Views that exist only in these tests, so each ending can be driven on purpose."""

    def answers():
        rename("Answered")
        return "saved"

    def aborts():
        rename("Aborted")
        abort(409)

    def crashes():
        rename("Crashed")
        raise RuntimeError("a bug after the flush")

    def shows_the_form_again():
        from peer_groups import unit_of_work

        group = db.session.scalars(select(Group)).one()
        rule = MonthlyRule(RuleKind.WEEKDAY, time(17), 120, week=2, weekday=1)
        group_services.set_rule(group, rule, current_user)  # writes the rule and its audit
        rename("Half saved")
        try:
            raise DomainError("no_dates")  # the next step of the service failed
        except DomainError:
            unit_of_work.rollback()
            flash("No dates", "error")
            return "the form again, with its message", 200

    attempts = []

    def meets_a_lock_once():
        attempts.append(1)
        rename(f"Attempt {len(attempts)}")
        flash("Saved once", "success")
        if len(attempts) == 1:  # another writer held the lock for longer than busy_timeout
            raise OperationalError("UPDATE users", {}, sqlite3.OperationalError(
                "database is locked"))
        return "saved"

    app.config["ATTEMPTS"] = attempts
    for view in (answers, aborts, crashes, shows_the_form_again, meets_a_lock_once):
        app.add_url_rule(f"/test/{view.__name__}", view.__name__, view)
    return app


@pytest.fixture
def worker(make):
    return make.user(Role.WORKER, display_name="Before")


def name_of(app, user):
    with app.app_context():
        return db.session.get(User, user.id).display_name


def test_a_view_that_answers_has_its_changes_committed(routes, client, worker):
    sign_in(client, worker)
    assert client.get("/test/answers").status_code == 200
    assert name_of(routes, worker) == "Answered"


def test_a_view_that_aborts_after_a_flush_leaves_nothing_written(routes, client, worker):
    sign_in(client, worker)
    assert client.get("/test/aborts").status_code == 409
    assert name_of(routes, worker) == "Before"


def test_a_view_that_crashes_after_a_flush_leaves_nothing_written(routes, client, worker):
    sign_in(client, worker)
    with pytest.raises(RuntimeError):  # tests see the error; people get the 500 page
        client.get("/test/crashes")
    assert name_of(routes, worker) == "Before"


def test_a_form_shown_again_after_a_service_error_leaves_nothing_half_saved(routes, client,
                                                                             make, worker):
    make.group(make.area(), name="Torstai")
    sign_in(client, worker)
    response = client.get("/test/shows_the_form_again")
    assert response.status_code == 200
    assert name_of(routes, worker) == "Before"
    with routes.app_context():
        group = db.session.scalars(select(Group)).one()
        assert group.rule_kind is None
        assert db.session.scalar(select(AuditEvent.id).where(
            AuditEvent.action == "group.schedule_set")) is None


def test_the_session_bookkeeping_persists_when_the_view_aborts(routes, client, worker):
    sign_in(client, worker)
    with routes.app_context():
        db.session.execute(update(AuthSession).where(AuthSession.user_id == worker.id)
                           .values(last_seen_at=utcnow() - timedelta(minutes=3)))
        db.session.commit()
    assert client.get("/test/aborts").status_code == 409
    with routes.app_context():
        seen = db.session.scalar(select(AuthSession.last_seen_at)
                                 .where(AuthSession.user_id == worker.id))
    assert utcnow() - seen < timedelta(minutes=1)  # the idle timeout starts again


def test_a_request_that_meets_a_lock_runs_again_once_and_tells_once(routes, client, worker):
    sign_in(client, worker)
    with client.session_transaction() as cookie:
        cookie.pop("_flashes", None)
    assert client.get("/test/meets_a_lock_once").status_code == 200
    assert len(routes.config["ATTEMPTS"]) == 2
    assert name_of(routes, worker) == "Attempt 2"
    with client.session_transaction() as cookie:
        assert cookie["_flashes"] == [("success", "Saved once")]
