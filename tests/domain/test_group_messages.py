"""Counting whom a worker's message reached, and the hourly limit: pure rules."""

from datetime import UTC, datetime, timedelta

from peer_groups.domain.group_messages import Reach, may_send, reach_of, window_start


def test_reach_counts_each_channel_and_none_as_the_app_only():
    reach = reach_of(["email", "sms", None, "email", None, None])
    assert reach == Reach(email=2, sms=1, app_only=3)
    assert reach.total == 6
    assert reach.code == "n=6 e=2 s=1 a=3"


def test_the_audit_code_fits_its_column_even_for_a_big_group():
    assert len(Reach(email=9999, sms=9999, app_only=9999).code) <= 32 - 4


def test_the_limit_counts_sends_within_the_last_hour():
    now = datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert window_start(now) == now - timedelta(hours=1)
    assert may_send(4, 5) and not may_send(5, 5)
