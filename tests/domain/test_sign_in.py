from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from peer_groups.domain.sign_in import (
    FailureWindow,
    SessionTimes,
    is_locked,
    minutes_until_unlocked,
    session_has_expired,
)

NOW = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
WINDOW = timedelta(minutes=15)


def test_locked_only_at_the_limit_and_inside_the_window():
    assert not is_locked(FailureWindow(9, NOW - timedelta(minutes=1)), NOW, 10, WINDOW)
    assert is_locked(FailureWindow(10, NOW - timedelta(minutes=1)), NOW, 10, WINDOW)
    assert not is_locked(FailureWindow(10, NOW - WINDOW), NOW, 10, WINDOW)
    assert not is_locked(FailureWindow(0, None), NOW, 10, WINDOW)


def test_minutes_until_unlocked_rounds_up():
    window = FailureWindow(10, NOW - timedelta(minutes=14, seconds=30))
    assert minutes_until_unlocked(window, NOW, WINDOW) == 1
    assert minutes_until_unlocked(FailureWindow(10, NOW), NOW, WINDOW) == 15


def test_session_expires_when_idle_or_too_old():
    idle, absolute = timedelta(minutes=30), timedelta(hours=12)
    fresh = SessionTimes(NOW - timedelta(hours=1), NOW - timedelta(minutes=5))
    assert not session_has_expired(fresh, NOW, idle, absolute)
    assert session_has_expired(SessionTimes(NOW, NOW - idle), NOW, idle, absolute)
    busy_but_old = SessionTimes(NOW - absolute, NOW)
    assert session_has_expired(busy_but_old, NOW, idle, absolute)


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=10_000))
def test_a_session_used_within_both_limits_never_expires(age_seconds, idle_seconds):
    idle, absolute = timedelta(seconds=5_000), timedelta(seconds=8_000)
    times = SessionTimes(NOW - timedelta(seconds=age_seconds),
                         NOW - timedelta(seconds=min(idle_seconds, age_seconds)))
    expired = session_has_expired(times, NOW, idle, absolute)
    assert expired == (min(idle_seconds, age_seconds) >= 5_000 or age_seconds >= 8_000)
