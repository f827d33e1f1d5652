"""Taps sent from a phone's queue: each idempotency key applied once, in any order.

The key is written first, in a savepoint; a key seen before (a replay, or the same queue sent
from two tabs at once) fails the unique constraint and gets the stored outcome back instead,
so nothing is applied twice. On PostgreSQL a second transaction inserting the same key waits
for the first and then reads its row.
"""

from dataclasses import dataclass

from sqlalchemy import case, select, update
from sqlalchemy.exc import IntegrityError

from peer_groups.attendance import services
from peer_groups.attendance.models import Attendance, RegisterTap
from peer_groups.audit.services import record
from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain.consent import Purpose
from peer_groups.domain.errors import DomainError
from peer_groups.domain.register_taps import (
    BadTaps,
    Outcome,
    Tap,
    TapKind,
    is_newer,
    parse_taps,
)
from peer_groups.groups.models import GroupMember
from peer_groups.meetings.models import Meeting


@dataclass(frozen=True)
class TapResult:
    key: str
    outcome: Outcome
    code: str | None = None
    user_id: int | None = None  # back to the phone that sent it, which knows the name


def apply_taps(meeting: Meeting, body, worker, *, now) -> list[TapResult]:
    """Apply each tap of a phone's queue once; a replay answers what the first sending did."""
    try:
        taps = parse_taps(body, now)
    except BadTaps:
        raise DomainError("bad_taps") from None
    return [apply_once(meeting, tap, worker, now) for tap in taps]


def apply_once(meeting, tap: Tap, worker, now) -> TapResult:
    try:
        with db.session.begin_nested():
            row = RegisterTap(worker_id=worker.id, key=tap.key, meeting_id=meeting.id,
                              kind=tap.kind.value, outcome=Outcome.APPLIED.value,
                              applied_at=now)
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        return replayed(meeting, tap, worker)
    outcome, code = apply(meeting, tap, worker, now)
    row.outcome, row.code = outcome.value, code
    db.session.flush()
    return TapResult(tap.key, outcome, code, tap.user_id)


def replayed(meeting, tap: Tap, worker) -> TapResult:
    row = db.session.scalars(select(RegisterTap).where(
        RegisterTap.worker_id == worker.id, RegisterTap.key == tap.key)).one()
    if row.meeting_id != meeting.id or row.kind != tap.kind.value:
        return TapResult(tap.key, Outcome.REFUSED, "tap_key_reused", tap.user_id)
    return TapResult(tap.key, Outcome(row.outcome), row.code, tap.user_id)


def apply(meeting, tap: Tap, worker, now) -> tuple[Outcome, str | None]:
    try:
        services.check_open(meeting)
        if tap.kind is TapKind.MARK:
            return mark(meeting, tap, worker)
        if tap.kind is TapKind.HEADCOUNT:
            add_to_headcount(meeting, tap.delta, worker)
        else:
            services.close(meeting, worker, now=now)
    except DomainError as refused:
        return Outcome.REFUSED, refused.code
    return Outcome.APPLIED, None


def mark(meeting, tap: Tap, worker) -> tuple[Outcome, str | None]:
    """Present or absent by name if consent stands when the tap arrives; a present person
    without it is counted in the headcount instead (never named), and the phone is told."""
    from peer_groups.consent.services import consent_stands_for  # consent imports services

    member = db.session.scalar(select(GroupMember.user_id).where(
        GroupMember.group_id == meeting.group_id, GroupMember.user_id == tap.user_id))
    if member is None:
        raise DomainError("not_a_member")
    if not consent_stands_for(tap.user_id, Purpose.ATTENDANCE):
        if not tap.present:
            return Outcome.REFUSED, "no_consent"
        add_to_headcount(meeting, 1, worker)
        return Outcome.COUNTED, "no_consent_counted"
    marked_at = db.session.scalar(select(Attendance.marked_at).where(
        Attendance.meeting_id == meeting.id, Attendance.user_id == tap.user_id))
    if not is_newer(tap.tapped_at, marked_at):
        return Outcome.SUPERSEDED, None
    services.mark(meeting, db.session.get(User, tap.user_id), tap.present, worker,
                  now=tap.tapped_at)
    return Outcome.APPLIED, None


def add_to_headcount(meeting, delta: int, worker) -> None:
    """One more or one less, in SQL: two phones adding at once both count."""
    new = Meeting.headcount + delta
    db.session.execute(update(Meeting).where(Meeting.id == meeting.id)
                       .values(headcount=case((new < 0, 0), else_=new))
                       .execution_options(synchronize_session=False))
    db.session.expire(meeting, ["headcount"])
    record(worker, "attendance.headcount_set", obj=meeting, area_id=meeting.group.area_id)


def register_state(meeting) -> dict:
    """What the phone shows after sending: the numbers and each member's mark."""
    marks = dict(db.session.execute(select(Attendance.user_id, Attendance.present).where(
        Attendance.meeting_id == meeting.id)).all())
    return {"headcount": meeting.headcount, "total": services.total(meeting),
            "closed": meeting.register_closed_at is not None,
            "marks": {str(user_id): present for user_id, present in marks.items()}}
