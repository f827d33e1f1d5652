"""Skipped and repeated wall-clock times in Helsinki are refused or chosen, never moved."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from peer_groups.domain.errors import DomainError
from peer_groups.domain.wall_clock import ClockTime, Which, clock_time, day_bounds, exact_utc

SPRING = date(2027, 3, 28)  # clocks jump 03:00 -> 04:00
AUTUMN = date(2026, 10, 25)  # clocks go back 04:00 -> 03:00


def test_an_ordinary_time_happens_once():
    assert clock_time(date(2026, 12, 8), time(17)) is ClockTime.ONCE
    assert exact_utc(date(2026, 12, 8), time(17)) == datetime(2026, 12, 8, 15, tzinfo=UTC)
    assert exact_utc(date(2026, 6, 9), time(17)) == datetime(2026, 6, 9, 14, tzinfo=UTC)


@pytest.mark.parametrize("at", [time(3, 0), time(3, 30), time(3, 59)])
def test_the_skipped_spring_hour_is_refused_not_moved(at):
    assert clock_time(SPRING, at) is ClockTime.SKIPPED
    with pytest.raises(DomainError) as refused:
        exact_utc(SPRING, at, Which.SECOND)  # no choice makes it exist
    assert refused.value.code == "time_skipped"


def test_the_edges_of_the_spring_change_exist():
    assert exact_utc(SPRING, time(2, 59)) == datetime(2027, 3, 28, 0, 59, tzinfo=UTC)
    assert exact_utc(SPRING, time(4, 0)) == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)


def test_the_repeated_autumn_hour_asks_which_one():
    assert clock_time(AUTUMN, time(3, 30)) is ClockTime.REPEATED
    with pytest.raises(DomainError) as refused:
        exact_utc(AUTUMN, time(3, 30))
    assert refused.value.code == "time_repeated"


def test_each_of_the_two_is_saved_exactly():
    first = exact_utc(AUTUMN, time(3, 30), Which.FIRST)
    second = exact_utc(AUTUMN, time(3, 30), Which.SECOND)
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # summer time, +3
    assert second == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # winter time, +2
    assert second - first == timedelta(hours=1)


def test_a_choice_for_an_ordinary_time_changes_nothing():
    assert exact_utc(AUTUMN, time(5), Which.SECOND) == exact_utc(AUTUMN, time(5))
    assert clock_time(AUTUMN, time(2, 59)) is ClockTime.ONCE
    assert clock_time(AUTUMN, time(4, 0)) is ClockTime.ONCE


def test_a_local_day_is_23_or_25_hours_on_the_change_days():
    start, end = day_bounds(SPRING)
    assert start == datetime(2027, 3, 27, 22, tzinfo=UTC)
    assert end - start == timedelta(hours=23)
    start, end = day_bounds(AUTUMN)
    assert end - start == timedelta(hours=25)
    start, end = day_bounds(date(2026, 12, 1))
    assert (start, end - start) == (datetime(2026, 11, 30, 22, tzinfo=UTC), timedelta(hours=24))


def test_the_usual_end_adds_the_usual_length_within_the_day():
    from peer_groups.domain.wall_clock import usual_end

    assert usual_end(time(17), 120) == time(19)
    assert usual_end(time(16, 30), 90) == time(18)
    assert usual_end(time(23), 120) is None  # past midnight: left for the worker to write
