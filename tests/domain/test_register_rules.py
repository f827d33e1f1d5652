from datetime import UTC, datetime, timedelta

from peer_groups.domain.register import corrections_until, may_correct

ENDED = datetime(2027, 3, 30, 16, 0, tzinfo=UTC)


def test_corrections_are_possible_for_the_given_days_after_the_meeting_ends():
    assert corrections_until(ENDED, 14) == ENDED + timedelta(days=14)
    assert may_correct(ENDED, 14, ENDED + timedelta(days=14))
    assert not may_correct(ENDED, 14, ENDED + timedelta(days=14, seconds=1))
    assert not may_correct(ENDED, 0, ENDED + timedelta(seconds=1))
