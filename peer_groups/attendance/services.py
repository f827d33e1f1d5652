"""The register at a meeting: names only with consent, everyone else in the headcount."""

from collections import Counter

from flask import current_app
from sqlalchemy import delete, func, select, update

from peer_groups.attendance.models import Attendance
from peer_groups.audit.services import record
from peer_groups.db import db, utcnow
from peer_groups.domain.consent import Purpose
from peer_groups.domain.errors import DomainError
from peer_groups.domain.register import corrections_until, may_correct
from peer_groups.meetings.models import Meeting, MeetingStatus


def reopen_days() -> int:
    return current_app.config["REGISTER_REOPEN_DAYS"]


def correctable_until(meeting: Meeting):
    """Until when a held meeting's register can be reopened and corrected."""
    return corrections_until(meeting.ends_at, reopen_days())


def check_open(meeting: Meeting, *, now=None) -> None:
    """Refuse a change to a register that is closed, or that was reopened for corrections
    whose time is over."""
    now = now or utcnow()
    if meeting.status is MeetingStatus.CANCELLED:
        raise DomainError("meeting_cancelled")
    if meeting.register_closed_at is not None:
        raise DomainError("register_closed")
    if meeting.status is MeetingStatus.HELD and not may_correct(meeting.ends_at, reopen_days(),
                                                                now):
        raise DomainError("correction_time_over", num=reopen_days())


def reopen(meeting: Meeting, actor, *, now=None) -> None:
    """Open a closed register again for corrections, within the time allowed after the
    meeting. The consent rule stays: names are still marked only with consent in force."""
    now = now or utcnow()
    if meeting.register_closed_at is None:
        raise DomainError("register_open")
    if not may_correct(meeting.ends_at, reopen_days(), now):
        raise DomainError("correction_time_over", num=reopen_days())
    meeting.register_closed_at = None
    record(actor, "attendance.register_reopened", obj=meeting, area_id=meeting.group.area_id)


def mark(meeting: Meeting, person, present: bool, actor, *, now=None) -> None:
    """Present or absent by name: only with the person's attendance consent. Repeatable."""
    now = now or utcnow()
    from peer_groups.consent.services import consent_stands_for  # consent imports this module

    check_open(meeting, now=now)
    if not consent_stands_for(person.id, Purpose.ATTENDANCE):
        raise DomainError("no_consent")
    row = db.session.scalar(select(Attendance).where(Attendance.meeting_id == meeting.id,
                                                     Attendance.user_id == person.id))
    if row is None:
        row = Attendance(meeting_id=meeting.id, user_id=person.id, present=present)
        db.session.add(row)
    row.present = present
    row.marked_at = now
    row.marked_by_id = actor.id
    db.session.flush()
    record(actor, "attendance.marked", subject=person, obj=meeting,
           area_id=meeting.group.area_id, detail="present" if present else "absent")


def set_headcount(meeting: Meeting, value: int, actor) -> None:
    """The number of people counted without names. Setting a value is safe to repeat."""
    check_open(meeting)
    meeting.headcount = max(0, value)
    record(actor, "attendance.headcount_set", obj=meeting, area_id=meeting.group.area_id)


def close(meeting: Meeting, actor, *, now=None) -> None:
    """Close the register: the meeting is held, with its total attendance."""
    now = now or utcnow()
    check_open(meeting, now=now)
    meeting.status = MeetingStatus.HELD
    meeting.register_closed_at = now
    record(actor, "attendance.register_closed", obj=meeting, area_id=meeting.group.area_id)
    from peer_groups.feedback.services import ask_after_held  # it reads attendance

    ask_after_held(meeting, now=now)


def named_present(meeting_ids) -> dict[int, int]:
    rows = db.session.execute(
        select(Attendance.meeting_id, func.count(Attendance.id))
        .where(Attendance.meeting_id.in_(meeting_ids), Attendance.present)
        .group_by(Attendance.meeting_id))
    return dict(rows.all())


def total(meeting: Meeting) -> int:
    return named_present([meeting.id]).get(meeting.id, 0) + meeting.headcount


def anonymise(*conditions) -> int:
    """Turn personal attendance into headcount on the same meetings: totals stay the same,
    names are gone. Deleting with RETURNING means two runs at once never count a row twice."""
    removed = db.session.execute(
        delete(Attendance).where(*conditions)
        .returning(Attendance.meeting_id, Attendance.present)).all()
    present = Counter(meeting_id for meeting_id, was_present in removed if was_present)
    for meeting_id, count in present.items():
        db.session.execute(update(Meeting).where(Meeting.id == meeting_id)
                           .values(headcount=Meeting.headcount + count)
                           .execution_options(synchronize_session=False))
    for meeting in [o for o in db.session.identity_map.values() if isinstance(o, Meeting)]:
        if meeting.id in present:
            db.session.expire(meeting, ["headcount"])
    return len(removed)
