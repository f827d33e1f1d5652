"""When a young person may sign up or cancel, and what their place is."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class SignupStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class SignupProblem(StrEnum):
    MEETING_CANCELLED = "meeting_cancelled"
    MEETING_PAST = "meeting_past"
    DEADLINE_PASSED = "deadline_passed"
    ALREADY_SIGNED_UP = "already_signed_up"
    NOT_SIGNED_UP = "not_signed_up"
    # Called off: the list stands as it is, so that putting the meeting back on gives every
    # place back exactly (only someone leaving for good gives theirs up).
    LIST_KEPT = "list_kept"


@dataclass(frozen=True)
class MeetingWindow:
    starts_at: datetime
    signup_deadline: datetime | None
    cancelled: bool
    held: bool = False


def signup_problem(window: MeetingWindow, current: SignupStatus | None,
                   now: datetime) -> SignupProblem | None:
    """Why signing up is not possible now, or None if it is."""
    if window.cancelled:
        return SignupProblem.MEETING_CANCELLED
    if window.held or now >= window.starts_at:
        return SignupProblem.MEETING_PAST
    if window.signup_deadline is not None and now > window.signup_deadline:
        return SignupProblem.DEADLINE_PASSED
    if current in (SignupStatus.CONFIRMED, SignupStatus.WAITLISTED):
        return SignupProblem.ALREADY_SIGNED_UP
    return None


def cancel_problem(window: MeetingWindow, current: SignupStatus | None,
                   now: datetime, *, leaving: bool = False) -> SignupProblem | None:
    """Why cancelling is not possible now: it is, until the meeting starts, unless the
    meeting is called off. Someone `leaving` (their account or the group) still may."""
    if current not in (SignupStatus.CONFIRMED, SignupStatus.WAITLISTED):
        return SignupProblem.NOT_SIGNED_UP
    if window.held or now >= window.starts_at:
        return SignupProblem.MEETING_PAST
    if window.cancelled and not leaving:
        return SignupProblem.LIST_KEPT
    return None
