"""Monthly meeting dates: "the 2nd Tuesday at 17:00 for 2 h", "the last Friday", "day 15".

Dates are computed in Europe/Helsinki, then stored in UTC, so 17:00 stays 17:00 across the
daylight-saving changes in March and October.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

import holidays
from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, rrule, weekday

from peer_groups.domain.languages import DEFAULT, HOLIDAY_LOCALES

HELSINKI = ZoneInfo("Europe/Helsinki")
LAST = -1
MAX_DURATION_MINUTES = 12 * 60


class RuleKind(StrEnum):
    WEEKDAY = "weekday"  # the nth (or last) given weekday of the month
    DAY = "day"  # a fixed day of the month


class ScheduleProblem(StrEnum):
    BAD_WEEK = "bad_week"
    BAD_WEEKDAY = "bad_weekday"
    BAD_DAY = "bad_day"
    BAD_DURATION = "bad_duration"
    ALL_MONTHS_SKIPPED = "all_months_skipped"
    NO_DATES = "no_dates"


@dataclass(frozen=True)
class MonthlyRule:
    kind: RuleKind
    start_time: time
    duration_minutes: int
    week: int = 1  # 1 to 4, or LAST; for WEEKDAY rules
    weekday: int = 0  # Monday 0 to Sunday 6; for WEEKDAY rules
    day: int = 1  # 1 to 28; for DAY rules (every month has them)
    skip_months: frozenset[int] = field(default_factory=frozenset)

    def problems(self) -> list[ScheduleProblem]:
        found = []
        if self.kind is RuleKind.WEEKDAY:
            if self.week not in (1, 2, 3, 4, LAST):
                found.append(ScheduleProblem.BAD_WEEK)
            if not 0 <= self.weekday <= 6:
                found.append(ScheduleProblem.BAD_WEEKDAY)
        elif not 1 <= self.day <= 28:
            found.append(ScheduleProblem.BAD_DAY)
        if not 15 <= self.duration_minutes <= MAX_DURATION_MINUTES:
            found.append(ScheduleProblem.BAD_DURATION)
        if set(range(1, 13)) <= set(self.skip_months):
            found.append(ScheduleProblem.ALL_MONTHS_SKIPPED)
        return found

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)


@dataclass(frozen=True)
class Occurrence:
    """One meeting the rule gives: its local date and its start and end in UTC."""

    local_date: date
    starts_at: datetime
    ends_at: datetime


def local_dates(rule: MonthlyRule, first: date, last: date) -> list[date]:
    """Every date in [first, last] that the rule gives, skipped months left out."""
    if rule.problems() or last < first:
        return []
    if rule.kind is RuleKind.WEEKDAY:
        by = {"byweekday": weekday(rule.weekday)(rule.week)}
    else:
        by = {"bymonthday": rule.day}
    start = datetime.combine(first.replace(day=1), time())
    found = rrule(MONTHLY, dtstart=start, until=datetime.combine(last, time()), **by)
    return [d.date() for d in found if first <= d.date() <= last and d.month not in
            rule.skip_months]


def to_utc(local_day: date, at: time) -> datetime:
    """A Helsinki wall-clock time as an aware UTC datetime."""
    return datetime.combine(local_day, at, HELSINKI).astimezone(UTC)


def occurrence(rule: MonthlyRule, local_day: date) -> Occurrence:
    starts = to_utc(local_day, rule.start_time)
    return Occurrence(local_day, starts, starts + rule.duration)


def occurrences_for_months(rule: MonthlyRule, today: date, months: int = 12) -> list[Occurrence]:
    """The meetings of the next `months` months, starting today (past dates are never made)."""
    end = today + relativedelta(months=months) - timedelta(days=1)
    return [occurrence(rule, d) for d in local_dates(rule, today, end)]


def new_occurrences(
    rule: MonthlyRule, covered_months: set[tuple[int, int]], today: date, months: int = 12
) -> list[Occurrence]:
    """Extending a schedule: the rule's dates in the coming months that have no meeting yet.

    A month counts as covered when it already has a meeting made from the rule, even a moved
    or cancelled one, so extending never doubles a month nor brings back a cancelled meeting;
    extra meetings added by hand do not cover a month.
    """
    end = today + relativedelta(months=months) - timedelta(days=1)
    return [occurrence(rule, d) for d in local_dates(rule, today, end)
            if (d.year, d.month) not in covered_months]


def holiday_names(days: list[date], language: str = "fi") -> dict[date, str]:
    """The Finnish public holidays among `days`, named in the given language."""
    if not days:
        return {}
    code = HOLIDAY_LOCALES.get(language, HOLIDAY_LOCALES[DEFAULT])
    calendar = holidays.Finland(years=sorted({d.year for d in days}), language=code)
    return {d: calendar[d] for d in days if d in calendar}


def local_date_of(moment: datetime) -> date:
    return moment.astimezone(HELSINKI).date()
