"""Wall-clock times in Helsinki that the clock skips or shows twice, and a local day's bounds.

On the last Sunday of March the clocks jump from 03:00 to 04:00, so 03:30 never happens that
night; on the last Sunday of October they go back from 04:00 to 03:00, so 03:30 happens twice.
Python quietly moves a skipped time and quietly picks the first of a repeated one; a meeting
must do neither: a skipped time is refused and a repeated one says which it is.
"""

from datetime import UTC, date, datetime, time, timedelta
from enum import IntEnum, StrEnum
from zoneinfo import ZoneInfo

from peer_groups.domain.errors import DomainError

HELSINKI = ZoneInfo("Europe/Helsinki")


class ClockTime(StrEnum):
    ONCE = "once"
    SKIPPED = "skipped"  # inside the hour the spring change jumps over
    REPEATED = "repeated"  # inside the hour the autumn change goes through twice


class ClockProblem(StrEnum):
    """Why a wall-clock time cannot be saved as it is (codes of DomainError)."""

    SKIPPED = "time_skipped"
    REPEATED = "time_repeated"


class Which(IntEnum):
    """Of a repeated time, the first (still summer time) or the second (winter time).
    The values are Python's `fold`."""

    FIRST = 0
    SECOND = 1


def clock_time(day: date, at: time, zone: ZoneInfo = HELSINKI) -> ClockTime:
    """Does this wall-clock time happen once on that day, never, or twice?"""
    first = datetime.combine(day, at, zone)
    second = first.replace(fold=1)
    if first.utcoffset() == second.utcoffset():
        return ClockTime.ONCE
    back = first.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) != first.replace(tzinfo=None):
        return ClockTime.SKIPPED
    return ClockTime.REPEATED


def exact_utc(day: date, at: time, which: Which | None = None,
              zone: ZoneInfo = HELSINKI) -> datetime:
    """The wall-clock time as an aware UTC datetime, never moved.

    Raises DomainError "time_skipped" for a time that does not exist on that day, and
    "time_repeated" for one that happens twice when `which` does not say which one.
    """
    kind = clock_time(day, at, zone)
    if kind is ClockTime.SKIPPED:
        raise DomainError(ClockProblem.SKIPPED)
    if kind is ClockTime.REPEATED and which is None:
        raise DomainError(ClockProblem.REPEATED)
    fold = int(which) if kind is ClockTime.REPEATED else 0
    return datetime.combine(day, at, zone).replace(fold=fold).astimezone(UTC)


def day_bounds(day: date, zone: ZoneInfo = HELSINKI) -> tuple[datetime, datetime]:
    """The UTC instants where the local day starts and the next one starts (23 or 25 hours
    apart on the change days)."""
    start = datetime.combine(day, time(), zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(), zone).astimezone(UTC)
    return start, end


def usual_end(start: time, minutes: int) -> time | None:
    """The end time a meeting of the usual length would have, or None past midnight."""
    end = datetime.combine(date(2000, 1, 1), start) + timedelta(minutes=minutes)
    return end.time() if end.date() == date(2000, 1, 1) else None
