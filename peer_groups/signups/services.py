"""Signing up, cancelling and the waiting list: never over capacity, first come first served.

Every change locks the meeting row first (FOR UPDATE on PostgreSQL; on SQLite the whole
transaction began IMMEDIATE), then takes a seat with a conditional UPDATE that the database's
CHECK constraint backs up. So confirmed sign-ups never exceed capacity, whatever runs at once.
"""

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import joinedload

from peer_groups.audit.services import record
from peer_groups.db import db, utcnow
from peer_groups.domain.errors import DomainError
from peer_groups.domain.signups import (
    MeetingWindow,
    SignupProblem,
    SignupStatus,
    cancel_problem,
    signup_problem,
)
from peer_groups.meetings.models import Meeting, MeetingStatus
from peer_groups.notifications.services import queue_message
from peer_groups.signups.models import Signup
from peer_groups.urls import external_url

ACTIVE = (SignupStatus.CONFIRMED, SignupStatus.WAITLISTED)


def meeting_link(meeting: Meeting) -> str | None:
    return external_url("meetings.show", meeting_id=meeting.id)


def lock_meeting(meeting_id: int) -> Meeting:
    """The meeting (and its group), fresh from the database, locked for this transaction."""
    return db.session.scalars(
        select(Meeting).where(Meeting.id == meeting_id)
        .options(joinedload(Meeting.group, innerjoin=True)).with_for_update(of=Meeting)
        .execution_options(populate_existing=True)
    ).one()


def window(meeting: Meeting) -> MeetingWindow:
    return MeetingWindow(meeting.starts_at, meeting.signup_deadline,
                         cancelled=meeting.status is MeetingStatus.CANCELLED,
                         held=meeting.status is MeetingStatus.HELD)


def signup_of(meeting_id: int, user_id: int) -> Signup | None:
    return db.session.scalars(
        select(Signup).where(Signup.meeting_id == meeting_id, Signup.user_id == user_id)
        .execution_options(populate_existing=True)
    ).first()


def take_seat(meeting_id: int) -> bool:
    """One seat, only if one is free: the database decides, atomically."""
    taken = db.session.execute(
        update(Meeting).where(Meeting.id == meeting_id, Meeting.taken < Meeting.capacity)
        .values(taken=Meeting.taken + 1).execution_options(synchronize_session=False))
    forget_taken(meeting_id)
    return taken.rowcount == 1


def give_back_seat(meeting_id: int) -> None:
    db.session.execute(update(Meeting).where(Meeting.id == meeting_id)
                       .values(taken=Meeting.taken - 1)
                       .execution_options(synchronize_session=False))
    forget_taken(meeting_id)


def forget_taken(meeting_id: int) -> None:
    """The count changed in the database: a loaded meeting must read it again."""
    loaded = db.session.identity_map.get(db.session.identity_key(Meeting, meeting_id))
    if loaded is not None:
        db.session.expire(loaded, ["taken"])


def sign_up(meeting_id: int, user, *, by=None, reason=None, now=None) -> Signup:
    """Give the person a place, or a turn on the waiting list when the meeting is full."""
    now = now or utcnow()
    meeting = lock_meeting(meeting_id)
    signup = signup_of(meeting.id, user.id)
    problem = signup_problem(window(meeting), signup.status if signup else None, now)
    if problem and not (by is not None and problem is SignupProblem.DEADLINE_PASSED):
        raise DomainError(problem)
    status = SignupStatus.CONFIRMED if take_seat(meeting.id) else SignupStatus.WAITLISTED
    if signup is None:
        signup = Signup(meeting_id=meeting.id, user_id=user.id, status=status)
        db.session.add(signup)
    signup.status = status
    signup.requested_at = now
    signup.confirmed_at = now if status is SignupStatus.CONFIRMED else None
    signup.cancelled_at = None
    signup.cancelled_by_staff = False
    db.session.flush()
    record(by or user, "signup.added_by_staff" if by else "signup.created", subject=user,
           obj=meeting, area_id=meeting.group.area_id, detail=reason)
    return signup


def cancel_signup(meeting_id: int, user, *, by=None, reason=None, now=None,
                  leaving=False) -> Signup:
    """Give the place back; the first on the waiting list gets it at once and is told.

    A called-off meeting's list stands (restoring it gives every place back), so only
    someone `leaving` for good (their account or the group) gives up a place there.
    """
    now = now or utcnow()
    meeting = lock_meeting(meeting_id)
    signup = signup_of(meeting.id, user.id)
    problem = cancel_problem(window(meeting), signup.status if signup else None, now,
                             leaving=leaving)
    if problem:
        raise DomainError(problem)
    had_seat = signup.status is SignupStatus.CONFIRMED
    signup.status = SignupStatus.CANCELLED
    signup.cancelled_at = now
    signup.cancelled_by_staff = by is not None
    if had_seat:
        give_back_seat(meeting.id)
    db.session.flush()
    record(by or user, "signup.removed_by_staff" if by else "signup.cancelled", subject=user,
           obj=meeting, area_id=meeting.group.area_id, detail=reason)
    if by is not None:
        queue_message(user, "signup_cancelled_by_staff", meeting=meeting,
                      link=meeting_link(meeting))
    promote_from_waitlist(meeting.id, now)
    return signup


def promote_from_waitlist(meeting_id: int, now=None) -> list[Signup]:
    """Fill free seats from the waiting list in arrival order, telling each person.

    Not while the meeting is called off: restoring it fills the seats then.
    """
    now = now or utcnow()
    promoted = []
    if db.session.scalar(select(Meeting.status).where(Meeting.id == meeting_id)) is (
            MeetingStatus.CANCELLED):
        return promoted
    while True:
        first = db.session.scalars(
            select(Signup).where(Signup.meeting_id == meeting_id,
                                 Signup.status == SignupStatus.WAITLISTED)
            .order_by(Signup.requested_at, Signup.id).limit(1)).first()
        if first is None or not take_seat(meeting_id):
            break
        first.status = SignupStatus.CONFIRMED
        first.confirmed_at = now
        db.session.flush()
        meeting = db.session.get(Meeting, meeting_id)
        queue_message(first.user, "promoted", meeting=meeting, link=meeting_link(meeting))
        promoted.append(first)
    return promoted


def waitlist_positions(meeting_id: int) -> dict[int, int]:
    """user id -> place in the queue, 1..N."""
    queue = db.session.scalars(
        select(Signup.user_id).where(Signup.meeting_id == meeting_id,
                                     Signup.status == SignupStatus.WAITLISTED)
        .order_by(Signup.requested_at, Signup.id))
    return {user_id: position for position, user_id in enumerate(queue, start=1)}


_MEETING_IDS = bindparam("meeting_ids", expanding=True)
_QUEUE = (
    select(Signup.id, func.row_number().over(
        partition_by=Signup.meeting_id, order_by=(Signup.requested_at, Signup.id),
    ).label("position"))
    .where(Signup.meeting_id.in_(_MEETING_IDS), Signup.status == SignupStatus.WAITLISTED)
    .subquery()
)
# Built once (a young person's home asks it on every visit): its cache key is kept.
STATUSES = (select(Signup, _QUEUE.c.position).outerjoin(_QUEUE, _QUEUE.c.id == Signup.id)
            .where(Signup.user_id == bindparam("user_id"), Signup.meeting_id.in_(_MEETING_IDS)))


def statuses_for(user, meeting_ids) -> dict[int, tuple[Signup, int | None]]:
    """The person's sign-up on each meeting with their waiting-list position, in one query."""
    if not meeting_ids:
        return {}
    rows = db.session.execute(STATUSES, {"user_id": user.id, "meeting_ids": list(meeting_ids)})
    return {signup.meeting_id: (signup, place) for signup, place in rows}


def notify_signed_up(meeting: Meeting, template: str, *, skip=()) -> int:
    """Tell everyone with a place or a turn (their `signup`, for the text) that the meeting
    changed, was cancelled or is on again; not the sign-ups whose ids are in `skip`."""
    people = db.session.scalars(
        select(Signup).where(Signup.meeting_id == meeting.id, Signup.status.in_(ACTIVE),
                             Signup.id.not_in(skip))).all()
    link = meeting_link(meeting)
    for signup in people:
        queue_message(signup.user, template, meeting=meeting, link=link, signup=signup)
    return len(people)


def meeting_signups(meeting_id: int) -> list[Signup]:
    """Everyone's sign-ups for one meeting, first come first."""
    return db.session.scalars(select(Signup).where(Signup.meeting_id == meeting_id)
                              .order_by(Signup.requested_at, Signup.id)).all()
