"""The monthly date rules, including the daylight-saving weekends and extension."""

from datetime import UTC, date, datetime, time

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from peer_groups.domain.schedule import (
    HELSINKI,
    LAST,
    MonthlyRule,
    RuleKind,
    ScheduleProblem,
    holiday_names,
    local_dates,
    new_occurrences,
    occurrences_for_months,
)

SECOND_TUESDAY = MonthlyRule(RuleKind.WEEKDAY, time(17), 120, week=2, weekday=1)


def test_second_tuesday_of_every_month():
    dates = local_dates(SECOND_TUESDAY, date(2027, 1, 1), date(2027, 4, 30))
    assert dates == [date(2027, 1, 12), date(2027, 2, 9), date(2027, 3, 9), date(2027, 4, 13)]


def test_last_friday_and_day_fifteen():
    last_friday = MonthlyRule(RuleKind.WEEKDAY, time(16), 90, week=LAST, weekday=4)
    assert local_dates(last_friday, date(2027, 1, 1), date(2027, 2, 28)) == [
        date(2027, 1, 29), date(2027, 2, 26)]
    fifteenth = MonthlyRule(RuleKind.DAY, time(18), 60, day=15)
    assert local_dates(fifteenth, date(2027, 1, 16), date(2027, 3, 31)) == [
        date(2027, 2, 15), date(2027, 3, 15)]


def test_skipped_months_are_left_out():
    summer_off = MonthlyRule(RuleKind.DAY, time(17), 120, day=10, skip_months=frozenset({7}))
    dates = local_dates(summer_off, date(2027, 6, 1), date(2027, 8, 31))
    assert dates == [date(2027, 6, 10), date(2027, 8, 10)]


def test_17_oclock_stays_17_oclock_across_daylight_saving_changes():
    # 2027: summer time starts 28 March, ends 31 October (last Sundays).
    rule = MonthlyRule(RuleKind.WEEKDAY, time(17), 120, week=LAST, weekday=6)
    found = occurrences_for_months(rule, date(2027, 3, 1), months=8)
    by_date = {o.local_date: o for o in found}
    march, october = by_date[date(2027, 3, 28)], by_date[date(2027, 10, 31)]
    assert march.starts_at == datetime(2027, 3, 28, 14, 0, tzinfo=UTC)  # UTC+3
    assert october.starts_at == datetime(2027, 10, 31, 15, 0, tzinfo=UTC)  # UTC+2
    for occ in found:
        assert occ.starts_at.astimezone(HELSINKI).time() == time(17)
        assert occ.ends_at.astimezone(HELSINKI).time() == time(19)


def test_twelve_months_from_today_never_includes_past_dates():
    found = occurrences_for_months(SECOND_TUESDAY, date(2027, 1, 20), months=12)
    assert found[0].local_date == date(2027, 2, 9)
    assert len(found) == 12
    assert found[-1].local_date == date(2028, 1, 11)


def test_a_rule_that_gives_no_dates_or_is_broken_says_why():
    assert MonthlyRule(RuleKind.DAY, time(17), 120, day=31).problems() == [
        ScheduleProblem.BAD_DAY]
    everything_skipped = MonthlyRule(RuleKind.DAY, time(17), 120, day=3,
                                     skip_months=frozenset(range(1, 13)))
    assert ScheduleProblem.ALL_MONTHS_SKIPPED in everything_skipped.problems()
    assert local_dates(everything_skipped, date(2027, 1, 1), date(2027, 12, 31)) == []
    assert MonthlyRule(RuleKind.WEEKDAY, time(17), 5, week=5).problems() == [
        ScheduleProblem.BAD_WEEK, ScheduleProblem.BAD_DURATION]


def test_holidays_are_named_in_the_users_language():
    independence_day = date(2027, 12, 6)
    assert holiday_names([independence_day, date(2027, 12, 7)], "fi") == {
        independence_day: "Itsenäisyyspäivä"}
    assert holiday_names([independence_day], "en") == {independence_day: "Independence Day"}
    assert holiday_names([independence_day], "sv") == {independence_day: "Självständighetsdagen"}


rules = st.builds(
    MonthlyRule,
    kind=st.sampled_from(RuleKind),
    start_time=st.times(min_value=time(6), max_value=time(21)).map(
        lambda t: t.replace(second=0, microsecond=0)),
    duration_minutes=st.integers(min_value=15, max_value=300),
    week=st.sampled_from([1, 2, 3, 4, LAST]),
    weekday=st.integers(min_value=0, max_value=6),
    day=st.integers(min_value=1, max_value=28),
    skip_months=st.frozensets(st.integers(min_value=1, max_value=12), max_size=11),
)
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2035, 12, 31))


def matches(rule: MonthlyRule, d: date) -> bool:
    if rule.kind is RuleKind.DAY:
        return d.day == rule.day
    if d.weekday() != rule.weekday:
        return False
    if rule.week == LAST:
        return (d + relativedelta(weeks=1)).month != d.month
    return (d.day - 1) // 7 + 1 == rule.week


@given(rules, days)
def test_every_date_matches_the_rule_and_no_skipped_month(rule, today):
    found = occurrences_for_months(rule, today)
    if len(rule.skip_months) <= 10:
        assert found, "with two months left, a year always holds a meeting"
    for occ in found:
        assert matches(rule, occ.local_date)
        assert occ.local_date.month not in rule.skip_months
        assert occ.local_date >= today
        assert occ.starts_at.astimezone(HELSINKI).time() == rule.start_time
        assert occ.ends_at - occ.starts_at == rule.duration
    assert len({o.local_date for o in found}) == len(found)
    # one meeting a month at most
    assert len({(o.local_date.year, o.local_date.month) for o in found}) == len(found)


@given(rules, days, st.integers(min_value=1, max_value=24))
def test_extending_never_doubles_a_month(rule, today, months):
    first = occurrences_for_months(rule, today, months=months)
    covered = {(o.local_date.year, o.local_date.month) for o in first}
    more = new_occurrences(rule, covered, today, months=24)
    assert not covered & {(o.local_date.year, o.local_date.month) for o in more}
    together = [o.local_date for o in first] + [o.local_date for o in more]
    assert len({(d.year, d.month) for d in together}) == len(together)
    # Extending after a full year's schedule only adds the months after it.
    assert all(o.local_date >= today for o in more)
