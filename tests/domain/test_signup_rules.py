from datetime import UTC, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from peer_groups.domain.reminders import ReminderRule, due_reminder, parse_rules
from peer_groups.domain.signups import (
    MeetingWindow,
    SignupProblem,
    SignupStatus,
    cancel_problem,
    signup_problem,
)

START = datetime(2027, 3, 30, 14, 0, tzinfo=UTC)  # 17:00 in Helsinki (summer time)


def window(**overrides):
    values = {"starts_at": START, "signup_deadline": None, "cancelled": False}
    values.update(overrides)
    return MeetingWindow(**values)


def test_sign_up_until_the_deadline_or_the_start():
    before = START - timedelta(hours=1)
    assert signup_problem(window(), None, before) is None
    assert signup_problem(window(), SignupStatus.CANCELLED, before) is None
    assert signup_problem(window(), None, START) is SignupProblem.MEETING_PAST
    deadline = window(signup_deadline=START - timedelta(days=1))
    assert signup_problem(deadline, None, before) is SignupProblem.DEADLINE_PASSED
    assert signup_problem(window(cancelled=True), None, before) is SignupProblem.MEETING_CANCELLED
    assert signup_problem(window(), SignupStatus.WAITLISTED, before) is (
        SignupProblem.ALREADY_SIGNED_UP)


def test_cancel_until_the_start():
    assert cancel_problem(window(), SignupStatus.CONFIRMED, START - timedelta(minutes=1)) is None
    assert cancel_problem(window(), SignupStatus.CONFIRMED, START) is SignupProblem.MEETING_PAST
    assert cancel_problem(window(), SignupStatus.CANCELLED, START - timedelta(days=1)) is (
        SignupProblem.NOT_SIGNED_UP)


def test_a_called_off_meetings_list_stands_unless_the_person_leaves():
    before = START - timedelta(days=1)
    called_off = window(cancelled=True)
    assert cancel_problem(called_off, SignupStatus.CONFIRMED, before) is SignupProblem.LIST_KEPT
    assert cancel_problem(called_off, SignupStatus.WAITLISTED, before) is SignupProblem.LIST_KEPT
    assert cancel_problem(called_off, SignupStatus.CONFIRMED, before, leaving=True) is None
    assert cancel_problem(called_off, None, before) is SignupProblem.NOT_SIGNED_UP


RULES = parse_rules("day_before=1@12:00,same_day=0@09:00")


def test_reminder_rules_parse_and_fall_at_helsinki_times():
    assert RULES == (ReminderRule("day_before", 1, time(12)), ReminderRule("same_day", 0, time(9)))
    assert RULES[0].send_at(START) == datetime(2027, 3, 29, 9, 0, tzinfo=UTC)
    assert RULES[1].send_at(START) == datetime(2027, 3, 30, 6, 0, tzinfo=UTC)


def test_the_latest_due_reminder_is_chosen():
    assert due_reminder(RULES, START, datetime(2027, 3, 29, 8, 59, tzinfo=UTC)) is None
    assert due_reminder(RULES, START, datetime(2027, 3, 29, 9, 0, tzinfo=UTC)) is RULES[0]
    assert due_reminder(RULES, START, datetime(2027, 3, 30, 7, 0, tzinfo=UTC)) is RULES[1]
    assert due_reminder(RULES, START, START) is None


@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2030, 1, 1),
                    timezones=st.just(UTC)),
       st.integers(min_value=-3 * 24 * 60, max_value=3 * 24 * 60))
def test_a_due_reminder_is_never_after_the_start_nor_before_its_time(starts_at, offset):
    now = starts_at + timedelta(minutes=offset)
    rule = due_reminder(RULES, starts_at, now)
    if rule is not None:
        assert rule.send_at(starts_at) <= now < starts_at
