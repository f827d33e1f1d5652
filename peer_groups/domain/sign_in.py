"""When an account stops accepting passwords for a while, and when a session has ended."""

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class FailureWindow:
    count: int
    since: datetime | None


def is_locked(window: FailureWindow, now: datetime, limit: int, length: timedelta) -> bool:
    """Too many failed sign-ins inside the current window."""
    return window.since is not None and now - window.since < length and window.count >= limit


def minutes_until_unlocked(window: FailureWindow, now: datetime, length: timedelta) -> int:
    if window.since is None:
        return 0
    remaining = window.since + length - now
    return max(1, -(-int(remaining.total_seconds()) // 60))


@dataclass(frozen=True)
class SessionTimes:
    created_at: datetime
    last_seen_at: datetime


def session_has_expired(
    times: SessionTimes, now: datetime, idle: timedelta, absolute: timedelta
) -> bool:
    """A session ends after `idle` without use, and after `absolute` whatever happens."""
    return now - times.last_seen_at >= idle or now - times.created_at >= absolute
