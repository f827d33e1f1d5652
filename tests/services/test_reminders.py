"""Reminders go out once, at the right Helsinki time, only to those who want them."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from peer_groups.consent import services as consent
from peer_groups.db import db
from peer_groups.domain.consent import Purpose
from peer_groups.domain.roles import Role
from peer_groups.notifications.models import OutboxMessage
from peer_groups.reminders.services import send_due
from peer_groups.signups import services as signups
from tests import factories
from tests.conftest import run_at_once

# 30 March 2027 17:00 in Helsinki (summer time): the day-before reminder is 29 March 12:00
# local, 09:00 UTC; the same-day one 30 March 09:00 local, 06:00 UTC.
START = datetime(2027, 3, 30, 14, 0, tzinfo=UTC)


def world(reminders=True):
    area = factories.make_area()
    wants = factories.make_user(Role.YOUTH, area=area, password=None)
    does_not = factories.make_user(Role.YOUTH, area=area, password=None)
    waiting = factories.make_user(Role.YOUTH, area=area, password=None)
    consent.answer(wants, Purpose.REMINDERS, reminders)
    consent.answer(does_not, Purpose.REMINDERS, False)
    consent.answer(waiting, Purpose.REMINDERS, True)  # on the waiting list: no reminder
    group = factories.make_group(area, members=[wants, does_not, waiting])
    meeting = factories.make_meeting(group, starts_at=START, capacity=2)
    now = START - timedelta(days=5)
    for person in (wants, does_not, waiting):
        signups.sign_up(meeting.id, person, now=now)
    db.session.commit()
    return wants, meeting


def reminders():
    return db.session.execute(select(OutboxMessage.user_id, OutboxMessage.template)
                              .where(OutboxMessage.template == "reminder")).all()


def test_each_reminder_once_at_its_time_only_for_those_who_want_it(ctx):
    wants, meeting = world()
    assert send_due(datetime(2027, 3, 29, 8, 59, tzinfo=UTC)) == 0
    assert send_due(datetime(2027, 3, 29, 9, 0, tzinfo=UTC)) == 1
    assert send_due(datetime(2027, 3, 29, 9, 5, tzinfo=UTC)) == 0  # run again: nothing new
    assert send_due(datetime(2027, 3, 30, 6, 0, tzinfo=UTC)) == 1  # the same-day one
    assert send_due(START) == 0  # the meeting has started
    assert reminders() == [(wants.id, "reminder"), (wants.id, "reminder")]
    body = db.session.scalars(select(OutboxMessage.body)).first()
    assert "March 30, 2027, 5:00\u202fPM" in body  # Helsinki time, in English


def test_two_hosts_at_the_same_moment_send_each_reminder_once(app):
    with app.app_context():
        wants, _ = world()
        wants_id = wants.id
    errors = run_at_once(app, lambda: send_due(datetime(2027, 3, 29, 9, 30, tzinfo=UTC)))
    assert errors == []
    with app.app_context():
        assert reminders() == [(wants_id, "reminder")]


def test_reminders_command(app):
    result = app.test_cli_runner().invoke(args=["reminders", "send-due"])
    assert result.exit_code == 0 and "queued 0 reminders" in result.output


def test_withdrawing_reminder_consent_cancels_queued_reminders(ctx):
    wants, _ = world()
    send_due(datetime(2027, 3, 29, 9, 0, tzinfo=UTC))
    consent.answer(wants, Purpose.REMINDERS, False)
    db.session.commit()
    statuses = db.session.scalars(select(OutboxMessage.status)
                                  .where(OutboxMessage.template == "reminder")).all()
    assert [s.value for s in statuses] == ["cancelled"]
    assert send_due(datetime(2027, 3, 30, 6, 0, tzinfo=UTC)) == 0
