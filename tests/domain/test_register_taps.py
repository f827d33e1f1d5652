"""Taps from a phone's queue, read without an app: what is accepted, and how long a phone
may keep a register."""

from datetime import UTC, datetime, timedelta

import pytest

from peer_groups.domain.register_taps import (
    MAX_TAPS,
    BadTaps,
    TapKind,
    is_newer,
    keep_until,
    parse_taps,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # 14:00 in Helsinki


def tap(**fields):
    return {"key": "k-1234567890", "kind": "close", "tapped_at": "2026-12-01T11:58:00Z",
            **fields}


def test_a_mark_a_headcount_and_a_close_are_read():
    taps = parse_taps({"taps": [
        tap(key="a-1234567890", kind="mark", user_id=7, present=False),
        tap(key="b-1234567890", kind="headcount", delta=-1),
        tap(key="c-1234567890")]}, NOW)
    assert [(t.kind, t.user_id, t.present, t.delta) for t in taps] == [
        (TapKind.MARK, 7, False, 0), (TapKind.HEADCOUNT, None, None, -1),
        (TapKind.CLOSE, None, None, 0)]
    assert taps[0].tapped_at == datetime(2026, 12, 1, 11, 58, tzinfo=UTC)


def test_a_phone_clock_a_little_ahead_is_taken_as_now():
    (one,) = parse_taps({"taps": [tap(tapped_at="2026-12-01T12:05:00+00:00")]}, NOW)
    assert one.tapped_at == NOW


@pytest.mark.parametrize("body", [
    None, [], {"taps": {}}, {"taps": []}, {"taps": [tap()] * (MAX_TAPS + 1)},
    {"taps": [tap(), tap()]},  # the same key twice in one sending
    {"taps": [tap(key="x")]}, {"taps": [tap(kind="undo")]},
    {"taps": [tap(kind="mark", user_id=True, present=True)]},
    {"taps": [tap(kind="mark", user_id=3, present="yes")]},
    {"taps": [tap(kind="headcount", delta=True)]}, {"taps": [tap(kind="headcount", delta=2)]},
    {"taps": [tap(tapped_at="2026-12-01T11:58:00")]},  # no zone
    {"taps": [tap(tapped_at="2026-12-01T13:00:00Z")]},  # an hour ahead
])
def test_what_it_cannot_read_is_refused(body):
    with pytest.raises(BadTaps):
        parse_taps(body, NOW)


def test_the_newest_mark_wins():
    assert is_newer(NOW, None) and is_newer(NOW, NOW)
    assert not is_newer(NOW - timedelta(seconds=1), NOW)


def test_a_register_is_kept_until_the_end_of_its_day_in_helsinki():
    evening = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)  # 18:00 in Helsinki
    assert keep_until(evening, NOW) == datetime(2026, 12, 1, 22, 0, tzinfo=UTC)
    # 23:30 UTC is already the next day in Helsinki: not today's register.
    assert keep_until(datetime(2026, 12, 1, 23, 30, tzinfo=UTC), NOW) is None
    assert keep_until(evening - timedelta(days=1), NOW) is None
    # Summer time: midnight in Helsinki is 21:00 UTC.
    june = datetime(2027, 6, 10, 9, 0, tzinfo=UTC)
    assert keep_until(june, june) == datetime(2027, 6, 10, 21, 0, tzinfo=UTC)
