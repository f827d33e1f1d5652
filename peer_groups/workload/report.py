"""The workload figures as the page and the CSV show them: the same numbers for both."""

from dataclasses import dataclass, field
from decimal import Decimal

from peer_groups.domain import workload as model
from peer_groups.domain.small_numbers import is_small
from peer_groups.workload.queries import WorkloadData

CSV_COLUMNS = ["month", "group_id", "group_name", "meetings", "expected_attendance",
               "staff_needed", "estimated_hours", "expert_hours", "startup_hours", "cost_eur",
               "assigned_staff", "capacity_hours"]
WHAT_IF_GROUP = -1


@dataclass
class GroupMonth:
    month: model.Month
    group_id: int
    group_name: str
    meetings: int = 0
    expected: Decimal = Decimal(0)  # small meetings counted up, as in the hours and costs
    exact_expected: Decimal = Decimal(0)  # the real number, only to say whether it is small
    staff_needed: int = 0
    hours: Decimal = Decimal(0)
    expert_hours: Decimal = Decimal(0)
    startup_hours: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)
    assigned: int = 0


@dataclass
class Report:
    months: list[model.Month]
    summary: model.WorkloadSummary
    rows: list[GroupMonth]
    groups: list[GroupMonth]  # totals per group over the months
    workers: list[tuple[str, Decimal, Decimal]]  # name, assigned hours, capacity
    flags: list[model.Flag] = field(default_factory=list)


def months_between(first: model.Month, last: model.Month) -> list[model.Month]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = model.add_months(month, 1)
    return months


def what_if_meetings(first: model.Month, months: int, size: int, hours: Decimal,
                     outing_share: Decimal, params: model.WorkloadParameters):
    """A hypothetical group meeting monthly: nothing is saved, it only joins the sums."""
    placed, outings = [], round(outing_share * months)
    for index in range(months):
        placed.append(model.PlacedMeeting(
            meeting_id=-(index + 1), group_id=WHAT_IF_GROUP,
            month=model.add_months(first, index), params=params,
            meeting=model.MeetingInput(duration_hours=hours, confirmed=size,
                                       is_outing=index < outings)))
    return placed, model.GroupStart(WHAT_IF_GROUP, first, params)


def build(data: WorkloadData, first: model.Month, last: model.Month, what_if=None) -> Report:
    months = months_between(first, last)
    meetings, starts = list(data.meetings), list(data.starts)
    names = {gid: g.name for gid, g in data.groups.items()}
    if what_if is not None:
        extra, start = what_if_meetings(first, **what_if, params=data.area_params)
        meetings += extra
        starts.append(start)
        names[WHAT_IF_GROUP] = "what-if"
    summary = model.summarise(months, meetings, starts, data.staff, data.area_params)
    wanted = set(months)
    rows: dict[tuple[int, model.Month], GroupMonth] = {}
    for placed in meetings:
        if placed.month not in wanted:
            continue
        row = rows.setdefault((placed.group_id, placed.month), GroupMonth(
            placed.month, placed.group_id, names.get(placed.group_id, "")))
        estimate = placed.model
        row.meetings += 1
        row.expected += estimate.expected
        row.exact_expected += (estimate.expected if estimate.exact_expected is None
                               else estimate.exact_expected)
        row.staff_needed += estimate.staff_needed
        row.hours += placed.need_hours
        row.expert_hours += estimate.expert_hours
        row.cost += estimate.cost_eur
        row.assigned += estimate.assigned_staff
    for start in starts:
        for month, hours in model.startup_spread(start.start, start.params).items():
            if month in wanted:
                row = rows.setdefault((start.group_id, month), GroupMonth(
                    month, start.group_id, names.get(start.group_id, "")))
                row.startup_hours += hours
    ordered = sorted(rows.values(), key=lambda r: (r.month, r.group_name))
    totals: dict[int, GroupMonth] = {}
    for row in ordered:
        total = totals.setdefault(row.group_id, GroupMonth(first, row.group_id, row.group_name))
        for name in ("meetings", "expected", "exact_expected", "staff_needed", "hours",
                     "expert_hours", "startup_hours", "cost", "assigned"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    worker_hours: dict[int, list[Decimal]] = {}
    for (staff_id, _month), hours in summary.worker_hours.items():
        worker_hours.setdefault(staff_id, []).append(hours)
    workers = []
    for member in data.staff:
        assigned = sum(worker_hours.get(member.staff_id, ()), Decimal(0))
        capacity = sum((model.staff_capacity(member, m, data.area_params) for m in months),
                       Decimal(0))
        workers.append((data.staff_names.get(member.staff_id, ""), assigned, capacity))
    return Report(months, summary, ordered, sorted(totals.values(), key=lambda r: r.group_name),
                  sorted(workers), list(summary.flags))


def shown_expected(row: GroupMonth, threshold: int) -> Decimal | None:
    """The expected young people to show, or None for "< threshold" (0: show them exactly).

    Small meetings are already counted up in `expected`, so a row that is not hidden shows
    the number its hours and costs were worked out from, and gives no real small count back.
    """
    return None if is_small(row.exact_expected, threshold) else model.two_places(row.expected)


def csv_rows(report: Report, threshold: int):
    """One row per group and month, hours with two decimals; small counts hidden (threshold
    0 for a group's own facilitators, who see them exactly)."""
    capacity = {load.month: load.capacity_hours for load in report.summary.months}
    for row in report.rows:
        expected = shown_expected(row, threshold)
        shown = f"<{threshold}" if expected is None else expected
        yield [f"{row.month[0]:04d}-{row.month[1]:02d}", row.group_id, row.group_name,
               row.meetings, shown, row.staff_needed, model.two_places(row.hours),
               model.two_places(row.expert_hours), model.two_places(row.startup_hours),
               model.two_places(row.cost), row.assigned,
               model.two_places(capacity.get(row.month, Decimal(0)))]
