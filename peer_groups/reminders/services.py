"""Meeting reminders: each person gets each reminder once, even when two hosts send at once."""

from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import selectinload

from peer_groups.auth.models import User
from peer_groups.consent.services import consenting
from peer_groups.db import db, utcnow
from peer_groups.domain.consent import Purpose
from peer_groups.domain.reminders import due_reminder, parse_rules
from peer_groups.domain.signups import SignupStatus
from peer_groups.meetings.models import Meeting, MeetingStatus
from peer_groups.notifications.services import queue_message
from peer_groups.signups.models import ReminderLog, Signup
from peer_groups.signups.services import meeting_link

# Only meetings this close are looked at: the earliest reminder is a few days ahead at most.
HORIZON = timedelta(days=8)


def claim(meeting_id: int, user_id: int, kind: str, *, now=None) -> bool:
    """Note the reminder as sent; True only for the one caller that noted it first."""
    now = now or utcnow()
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    result = db.session.execute(
        insert(ReminderLog).values(meeting_id=meeting_id, user_id=user_id, kind=kind,
                                   queued_at=now)
        .on_conflict_do_nothing(index_elements=["meeting_id", "user_id", "kind"])
        .returning(ReminderLog.id))
    return result.first() is not None


def send_due(now=None) -> int:
    """Queue every reminder that is due now; safe to run again and from several hosts.

    Flushes only: the caller's unit of work commits the notes and their messages together.
    """
    now = now or utcnow()
    rules = parse_rules(current_app.config["REMINDERS"])
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.status == MeetingStatus.PLANNED,
                              Meeting.starts_at > now, Meeting.starts_at <= now + HORIZON)
        .options(selectinload(Meeting.group))).all()
    queued = 0
    for meeting in meetings:
        rule = due_reminder(rules, meeting.starts_at, now)
        if rule is None:
            continue
        people = db.session.scalars(
            select(User).join(Signup, Signup.user_id == User.id)
            .where(Signup.meeting_id == meeting.id, Signup.status == SignupStatus.CONFIRMED,
                   User.active, User.id.in_(consenting(Purpose.REMINDERS)))).all()
        for person in people:
            if claim(meeting.id, person.id, rule.name, now=now):
                queue_message(person, "reminder", meeting=meeting, link=meeting_link(meeting))
                queued += 1
    return queued
