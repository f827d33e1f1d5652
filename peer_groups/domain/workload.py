"""How much staff time the peer groups take, and how much there is (docs/workload.md).

Hours and euros are Decimals throughout (ints mix in freely; a float mixed in raises
TypeError, so none slips through); round only for display, with `two_places`. The defaults
live in one place, `WorkloadParameters`: an area may change them, a group the area's values.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from functools import cached_property, lru_cache
from math import ceil

from peer_groups.domain.roles import Role
from peer_groups.domain.small_numbers import counted_as

Month = tuple[int, int]  # (year, month)
ZERO = Decimal(0)
STARTUP_MONTHS = 3
_SHARE_STEP = Decimal("0.000001")
# An estimate is worth reviewing once logged hours stray this far, over this many meetings.
REVIEW_TOLERANCE = Decimal("0.2")
REVIEW_MIN_MEETINGS = 6


def _param(default, unit: str, help_text: str):
    return field(default=default, metadata={"unit": unit, "help": help_text})


@dataclass(frozen=True)
class WorkloadParameters:
    """The numbers behind every estimate; the field defaults are the service's defaults."""

    show_rate: Decimal = _param(
        Decimal("0.7"), "share", "Share of confirmed sign-ups who actually come (0 to 1).")
    min_staff: int = _param(2, "people", "Fewest workers at any meeting, however small.")
    youth_per_staff: Decimal = _param(
        Decimal(5), "people", "Young people one worker can look after at a meeting.")
    prep_hours: Decimal = _param(Decimal(2), "h", "Planning and preparing one meeting, in all.")
    setup_hours: Decimal = _param(
        Decimal("0.5"), "h", "Each worker's time setting up before a meeting.")
    debrief_hours: Decimal = _param(
        Decimal("0.5"), "h", "Each worker's time clearing up and talking it through afterwards.")
    travel_hours: Decimal = _param(
        Decimal(0), "h", "Each worker's travel time for an ordinary meeting.")
    outing_travel_hours: Decimal = _param(
        Decimal(1), "h", "Each worker's travel time for an outing.")
    doc_minutes: Decimal = _param(
        Decimal(10), "min", "Minutes of record-keeping for each young person who comes.")
    expert_hours: Decimal = _param(
        Decimal(3), "h", "Paid hours of an experience expert at a meeting, counted apart.")
    startup_hours: Decimal = _param(
        Decimal(24), "h", "Extra hours to start a new group, spread over its first 3 months.")
    snack_cost_eur: Decimal = _param(
        Decimal(4), "€", "Snacks per expected young person, when the plan gives no cost.")
    activity_cost_eur: Decimal = _param(
        Decimal(5), "€", "Activities per expected young person, when the plan gives no cost.")
    absence_buffer: Decimal = _param(
        Decimal("0.2"), "share", "Share of each worker's hours kept back for sickness and leave.")
    target_size: int = _param(
        8, "people", "Young people expected when nobody has signed up and there is no history.")


DEFAULTS = WorkloadParameters()
PARAMETER_NAMES = tuple(f.name for f in fields(WorkloadParameters))
PARAMETER_HELP = {f.name: f.metadata["help"] for f in fields(WorkloadParameters)}
PARAMETER_UNITS = {f.name: f.metadata["unit"] for f in fields(WorkloadParameters)}
WHOLE_NUMBERS = frozenset({"min_staff", "target_size"})  # counts of people
_AT_LEAST_ONE = frozenset({"min_staff", "youth_per_staff", "target_size"})


class ParameterProblem(StrEnum):
    """Why a parameter value is refused."""

    NEGATIVE = "negative"
    BELOW_ONE = "below_one"
    NOT_A_SHARE = "not_a_share"


def _coerce(name: str, value) -> Decimal | int:
    """A stored or typed value as the parameter's type: str() first, so 0.7 stays 0.7."""
    try:
        number = None if isinstance(value, bool) else Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValueError(f"{name} must be a number, not {value!r}")
    if name in WHOLE_NUMBERS:
        if number != number.to_integral_value():
            raise ValueError(f"{name} must be a whole number, not {value!r}")
        return int(number)
    return number


def with_overrides(base: WorkloadParameters,
                   *layers: Mapping[str, object] | None) -> WorkloadParameters:
    """The values a group works with: each layer (area, then group) replaces what is below.

    None in a layer means "not changed here". Unknown names and non-numbers raise ValueError.
    """
    changes = {}
    for layer in layers:
        for name, value in (layer or {}).items():
            if name not in PARAMETER_NAMES:
                raise ValueError(f"unknown workload parameter {name!r}")
            if value is not None:
                changes[name] = _coerce(name, value)
    return replace(base, **changes)


def effective_parameters(area: Mapping[str, object] | None = None,
                         group: Mapping[str, object] | None = None) -> WorkloadParameters:
    """The defaults, changed by the area's settings, then by the group's."""
    return with_overrides(DEFAULTS, area, group)


def group_parameters(area: WorkloadParameters, target_size: int | None = None,
                     overrides: Mapping[str, object] | None = None) -> WorkloadParameters:
    """A group's values: the area's, then the group's own size (None: the area's), then the
    group's own workload settings."""
    return with_overrides(area, {"target_size": target_size}, overrides)


def parameter_problems(params: WorkloadParameters) -> list[tuple[str, ParameterProblem]]:
    """Every value that makes no sense, as (name, code); an empty list means all are fine."""
    problems = []
    for name in PARAMETER_NAMES:
        value = getattr(params, name)
        if name == "show_rate":
            bad, code = not 0 <= value <= 1, ParameterProblem.NOT_A_SHARE
        elif name == "absence_buffer":  # a buffer of 1 would leave nobody any hours
            bad, code = not 0 <= value < 1, ParameterProblem.NOT_A_SHARE
        elif name in _AT_LEAST_ONE:
            bad, code = value < 1, ParameterProblem.BELOW_ONE
        else:  # hours, minutes and euros
            bad, code = value < 0, ParameterProblem.NEGATIVE
        if bad:
            problems.append((name, code))
    return problems


def two_places(value: Decimal | int) -> Decimal:
    """A number for display: hours or euros to two decimals, halves rounded up."""
    return Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# Per meeting


class Basis(StrEnum):
    """Where the expected number of young people came from."""

    SIGNUPS = "signups"
    AVERAGE_ATTENDANCE = "average_attendance"
    TARGET_SIZE = "target_size"
    ATTENDANCE = "attendance"


@dataclass(frozen=True)
class MeetingInput:
    """What the estimate needs to know about one meeting."""

    duration_hours: Decimal
    confirmed: int = 0
    is_outing: bool = False
    held: bool = False
    attendance: int | None = None  # real headcount, once held
    logged_hours: Decimal | None = None  # staff hours logged for it, once held
    assigned_staff: int = 0  # workers assigned; an experience expert is not one of them
    expert_assigned: bool = False
    plan_snack_cost: Decimal | None = None  # the plan's own costs replace the estimate
    plan_activity_cost: Decimal | None = None
    group_average_attendance: Decimal | None = None
    # Shown outside the group: fewer young people than this count as this many (small_numbers).
    count_small_as: int = 0


@dataclass(frozen=True)
class MeetingEstimate:
    """The staff hours, people and euros one meeting takes, line by line."""

    expected: Decimal
    basis: Basis
    staff_needed: int
    assigned_staff: int
    prep_hours: Decimal
    presence_hours: Decimal  # each worker: duration + setup + debrief + travel
    documentation_hours: Decimal
    expert_hours: Decimal  # paid differently, so never part of `hours`
    snack_cost_eur: Decimal
    activity_cost_eur: Decimal
    exact_expected: Decimal | None = None  # the real number, when `expected` counts it up

    @property
    def counted_up(self) -> bool:
        """Whether a small number of young people was counted as the threshold."""
        return self.exact_expected is not None

    @property
    def staff_time_hours(self) -> Decimal:
        return self.staff_needed * self.presence_hours

    @cached_property  # asked for several times per meeting by every sum of the view
    def hours(self) -> Decimal:
        return self.prep_hours + self.staff_time_hours + self.documentation_hours

    @cached_property
    def cost_eur(self) -> Decimal:
        return self.snack_cost_eur + self.activity_cost_eur

    @property
    def understaffed(self) -> bool:
        return self.assigned_staff < self.staff_needed


@dataclass(frozen=True)
class MeetingActual:
    """What a held meeting took: the model run on real attendance, and the hours logged."""

    by_model: MeetingEstimate
    logged_hours: Decimal | None

    @property
    def hours(self) -> Decimal:
        return self.by_model.hours if self.logged_hours is None else self.logged_hours


def expected_attendance(meeting: MeetingInput,
                        params: WorkloadParameters = DEFAULTS) -> tuple[Decimal, Basis]:
    """How many young people to plan for: sign-ups that will show, else history, else target."""
    if meeting.confirmed > 0:
        return meeting.confirmed * params.show_rate, Basis.SIGNUPS
    if meeting.group_average_attendance is not None:
        return Decimal(meeting.group_average_attendance), Basis.AVERAGE_ATTENDANCE
    return Decimal(params.target_size), Basis.TARGET_SIZE


def _for_attendance(meeting: MeetingInput, params: WorkloadParameters, expected: Decimal,
                    basis: Basis) -> MeetingEstimate:
    """The formulas of docs/workload.md for a given number of young people."""
    travel = params.outing_travel_hours if meeting.is_outing else params.travel_hours
    exact = None
    if basis is not Basis.TARGET_SIZE:  # the target is a setting, not people
        exact, expected = expected, Decimal(counted_as(expected, meeting.count_small_as))
        exact = None if exact == expected else exact
    snacks, activities = meeting.plan_snack_cost, meeting.plan_activity_cost
    return MeetingEstimate(
        expected=expected,
        basis=basis,
        staff_needed=max(params.min_staff, ceil(expected / params.youth_per_staff)),
        assigned_staff=meeting.assigned_staff,
        prep_hours=params.prep_hours,
        presence_hours=(meeting.duration_hours + params.setup_hours + params.debrief_hours
                        + travel),
        documentation_hours=expected * params.doc_minutes / 60,
        expert_hours=params.expert_hours if meeting.expert_assigned else ZERO,
        snack_cost_eur=expected * params.snack_cost_eur if snacks is None else snacks,
        activity_cost_eur=expected * params.activity_cost_eur if activities is None else activities,
        exact_expected=exact,
    )


@lru_cache(maxsize=4096)  # many meetings share the same inputs; both are frozen, so hashable
def estimate_meeting(meeting: MeetingInput,
                     params: WorkloadParameters = DEFAULTS) -> MeetingEstimate:
    """The estimate made before the meeting, from sign-ups (also for held meetings, to compare)."""
    return _for_attendance(meeting, params, *expected_attendance(meeting, params))


def actual_meeting(meeting: MeetingInput,
                   params: WorkloadParameters = DEFAULTS) -> MeetingActual | None:
    """For a held meeting, the model on its real headcount and the logged hours; else None."""
    if not meeting.held:
        return None
    if meeting.attendance is None:  # headcount not recorded yet: keep the estimate's number
        by_model = estimate_meeting(meeting, params)
    else:
        by_model = _for_attendance(meeting, params, Decimal(meeting.attendance), Basis.ATTENDANCE)
    return MeetingActual(by_model, meeting.logged_hours)


# Start-up and capacity


def month_of(day: date) -> Month:
    """The (year, month) of a date; for a meeting, pass its Helsinki date (`local_date_of`)."""
    return day.year, day.month


def add_months(month: Month, count: int) -> Month:
    """The month `count` months later (or earlier, if negative)."""
    index = month[0] * 12 + month[1] - 1 + count
    return index // 12, index % 12 + 1


def startup_spread(start: Month, params: WorkloadParameters = DEFAULTS) -> dict[Month, Decimal]:
    """A new group's start-up hours over its first three calendar months, adding up exactly."""
    # Shares cut to a millionth of an hour, the last month taking the rest: the months then
    # add up to exactly the total (24 h gives 8 + 8 + 8; 10 h gives 3.333333 twice + 3.333334).
    share = (params.startup_hours / STARTUP_MONTHS).quantize(_SHARE_STEP, rounding=ROUND_DOWN)
    spread = {add_months(start, i): share for i in range(STARTUP_MONTHS - 1)}
    spread[add_months(start, STARTUP_MONTHS - 1)] = (
        params.startup_hours - share * (STARTUP_MONTHS - 1))
    return spread


@dataclass(frozen=True)
class StaffMember:
    """A worker's hours for peer work per month, and fewer in given months (holidays)."""

    staff_id: int
    monthly_peer_hours: Decimal
    reduced_hours: Mapping[Month, Decimal] = field(default_factory=dict, hash=False)

    def hours_in(self, month: Month) -> Decimal:
        return Decimal(self.reduced_hours.get(month, self.monthly_peer_hours))


def staff_capacity(member: StaffMember, month: Month,
                   params: WorkloadParameters = DEFAULTS) -> Decimal:
    """The hours a worker can be planned for in a month, absence buffer taken off."""
    return member.hours_in(month) * (1 - params.absence_buffer)


def capacity_roles(experts_count: bool) -> tuple[Role, ...]:
    """Whose hours are staff time for the groups: the workers who run them, and experience
    experts where the area says so. A coordinator's own hours never are (they lead, not run)."""
    return (Role.WORKER, Role.EXPERT) if experts_count else (Role.WORKER,)


def month_capacity(staff: Iterable[StaffMember], month: Month,
                   params: WorkloadParameters = DEFAULTS) -> Decimal:
    """The hours the whole staff can be planned for in a month."""
    return sum((staff_capacity(member, month, params) for member in staff), ZERO)


# For the view: need against capacity per month, per group and per worker; flags; the check


@dataclass(frozen=True)
class PlacedMeeting:
    """A meeting as the workload view sees it: its group, its local month, its workers."""

    meeting_id: int
    group_id: int
    month: Month
    meeting: MeetingInput
    params: WorkloadParameters = DEFAULTS  # the group's effective parameters
    worker_ids: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if len(self.worker_ids) != self.meeting.assigned_staff:
            raise ValueError("worker_ids must list exactly the meeting's assigned workers")

    @cached_property
    def estimate(self) -> MeetingEstimate:
        return estimate_meeting(self.meeting, self.params)

    @cached_property
    def actual(self) -> MeetingActual | None:
        return actual_meeting(self.meeting, self.params)

    @property
    def model(self) -> MeetingEstimate:
        """The model to plan with: on real attendance once held, else the estimate."""
        return self.estimate if self.actual is None else self.actual.by_model

    @property
    def need_hours(self) -> Decimal:
        """The staff hours it counts for: logged or real once held, estimated before."""
        return self.estimate.hours if self.actual is None else self.actual.hours


@dataclass(frozen=True)
class GroupStart:
    """A group's first month, from which its start-up hours are spread."""

    group_id: int
    start: Month
    params: WorkloadParameters = DEFAULTS


def worker_shares(placed: PlacedMeeting) -> dict[int, Decimal]:
    """Each assigned worker's hours: their own time there plus an equal part of the shared work.

    A held meeting's logged hours are one total, so they are split equally.
    """
    ids = placed.worker_ids
    if not ids:
        return {}
    if placed.actual is not None and placed.actual.logged_hours is not None:
        return dict.fromkeys(ids, placed.actual.logged_hours / len(ids))
    model = placed.model
    shared = (model.prep_hours + model.documentation_hours) / len(ids)
    return dict.fromkeys(ids, model.presence_hours + shared)


@dataclass(frozen=True)
class MonthLoad:
    """One month's staff hours needed against the hours the staff have."""

    month: Month
    meeting_hours: Decimal
    startup_hours: Decimal
    expert_hours: Decimal
    cost_eur: Decimal
    capacity_hours: Decimal

    @property
    def need_hours(self) -> Decimal:
        return self.meeting_hours + self.startup_hours

    @property
    def over_capacity(self) -> bool:
        return self.need_hours > self.capacity_hours


def month_loads(months: Iterable[Month], meetings: Iterable[PlacedMeeting],
                starts: Iterable[GroupStart] = (), staff: Iterable[StaffMember] = (),
                area_params: WorkloadParameters = DEFAULTS) -> list[MonthLoad]:
    """Need against capacity for each month asked for, in that order."""
    meetings, staff = tuple(meetings), tuple(staff)
    startup: dict[Month, Decimal] = {}
    for group in starts:
        for month, hours in startup_spread(group.start, group.params).items():
            startup[month] = startup.get(month, ZERO) + hours
    by_month: dict[Month, list[PlacedMeeting]] = {}
    for m in meetings:
        by_month.setdefault(m.month, []).append(m)
    loads = []
    for month in months:
        held = by_month.get(month, ())
        loads.append(MonthLoad(
            month=month,
            meeting_hours=sum((m.need_hours for m in held), ZERO),
            startup_hours=startup.get(month, ZERO),
            expert_hours=sum((m.model.expert_hours for m in held), ZERO),
            cost_eur=sum((m.model.cost_eur for m in held), ZERO),
            capacity_hours=month_capacity(staff, month, area_params),
        ))
    return loads


def group_month_hours(meetings: Iterable[PlacedMeeting],
                      starts: Iterable[GroupStart] = ()) -> dict[tuple[int, Month], Decimal]:
    """Staff hours per (group, month), start-up hours included."""
    totals: dict[tuple[int, Month], Decimal] = {}
    for m in meetings:
        key = (m.group_id, m.month)
        totals[key] = totals.get(key, ZERO) + m.need_hours
    for group in starts:
        for month, hours in startup_spread(group.start, group.params).items():
            totals[(group.group_id, month)] = totals.get((group.group_id, month), ZERO) + hours
    return totals


def worker_month_hours(meetings: Iterable[PlacedMeeting]) -> dict[tuple[int, Month], Decimal]:
    """Assigned hours per (worker, month)."""
    totals: dict[tuple[int, Month], Decimal] = {}
    for m in meetings:
        for staff_id, hours in worker_shares(m).items():
            totals[(staff_id, m.month)] = totals.get((staff_id, m.month), ZERO) + hours
    return totals


class FlagKind(StrEnum):
    UNDERSTAFFED_MEETING = "understaffed_meeting"
    MONTH_OVER_CAPACITY = "month_over_capacity"
    WORKER_OVER_CAPACITY = "worker_over_capacity"


@dataclass(frozen=True)
class Flag:
    """Something the coordinator should look at; `amount` is workers missing or hours over."""

    kind: FlagKind
    month: Month
    amount: Decimal
    meeting_id: int | None = None
    group_id: int | None = None
    staff_id: int | None = None


def workload_flags(loads: Iterable[MonthLoad], meetings: Iterable[PlacedMeeting],
                   staff: Iterable[StaffMember] = (),
                   area_params: WorkloadParameters = DEFAULTS,
                   assigned: Mapping[tuple[int, Month], Decimal] | None = None) -> list[Flag]:
    """Upcoming meetings short of workers, months and workers over capacity, month by month.

    Held meetings are not flagged (nothing can be done); workers without a capacity record in
    `staff` are not judged. `assigned`: the meetings' `worker_month_hours`, if already known.
    """
    loads, meetings = tuple(loads), tuple(meetings)
    months = {load.month for load in loads}
    flags = [Flag(FlagKind.UNDERSTAFFED_MEETING, m.month,
                  Decimal(m.estimate.staff_needed - m.estimate.assigned_staff),
                  meeting_id=m.meeting_id, group_id=m.group_id)
             for m in meetings
             if m.month in months and not m.meeting.held and m.estimate.understaffed]
    flags += [Flag(FlagKind.MONTH_OVER_CAPACITY, load.month,
                   load.need_hours - load.capacity_hours)
              for load in loads if load.over_capacity]
    if assigned is None:
        assigned = worker_month_hours(meetings)
    for member in staff:
        for month in months:
            over = (assigned.get((member.staff_id, month), ZERO)
                    - staff_capacity(member, month, area_params))
            if over > 0:
                flags.append(Flag(FlagKind.WORKER_OVER_CAPACITY, month, over,
                                  staff_id=member.staff_id))
    return sorted(flags, key=lambda flag: flag.month)  # stable: kinds stay in the order above


class Suggestion(StrEnum):
    RAISE_ESTIMATES = "raise_estimates"
    LOWER_ESTIMATES = "lower_estimates"


@dataclass(frozen=True)
class EstimateCheck:
    """Logged hours against what was estimated, over the held meetings with hours logged."""

    meetings: int
    estimated_hours: Decimal
    logged_hours: Decimal

    @property
    def ratio(self) -> Decimal | None:
        """Logged hours per estimated hour; above 1 means the estimates were too low."""
        return self.logged_hours / self.estimated_hours if self.estimated_hours else None

    @property
    def suggestion(self) -> Suggestion | None:
        """Review the parameters once estimates are off by over 20 % over at least 6 meetings."""
        ratio = self.ratio
        if (ratio is None or self.meetings < REVIEW_MIN_MEETINGS
                or abs(ratio - 1) <= REVIEW_TOLERANCE):
            return None
        return Suggestion.RAISE_ESTIMATES if ratio > 1 else Suggestion.LOWER_ESTIMATES


def check_estimates(meetings: Iterable[PlacedMeeting]) -> EstimateCheck:
    """How well the estimates (made from sign-ups) matched the hours logged afterwards."""
    logged = [m for m in meetings if m.actual is not None and m.actual.logged_hours is not None]
    return EstimateCheck(
        meetings=len(logged),
        estimated_hours=sum((m.estimate.hours for m in logged), ZERO),
        logged_hours=sum((m.actual.logged_hours for m in logged), ZERO),
    )


@dataclass(frozen=True)
class WorkloadSummary:
    """Everything the workload view shows, for the months asked for."""

    months: tuple[MonthLoad, ...]
    group_hours: Mapping[tuple[int, Month], Decimal] = field(hash=False)
    worker_hours: Mapping[tuple[int, Month], Decimal] = field(hash=False)
    flags: tuple[Flag, ...]
    check: EstimateCheck


@dataclass(frozen=True)
class MonthShortage:
    """A month short of staff, as the page says it in one sentence: the hours more needed
    than there are (0 if none), and the upcoming meetings with fewer workers than needed."""

    month: Month
    hours_short: Decimal
    meetings: tuple[Flag, ...]

    @property
    def workers_missing(self) -> int:
        return int(sum((flag.amount for flag in self.meetings), ZERO))


def month_shortages(flags: Iterable[Flag]) -> list[MonthShortage]:
    """The months with too few hours or meetings short of workers, in order of month."""
    hours: dict[Month, Decimal] = {}
    meetings: dict[Month, list[Flag]] = {}
    for flag in flags:
        if flag.kind is FlagKind.MONTH_OVER_CAPACITY:
            hours[flag.month] = flag.amount
        elif flag.kind is FlagKind.UNDERSTAFFED_MEETING:
            meetings.setdefault(flag.month, []).append(flag)
    return [MonthShortage(month, hours.get(month, ZERO), tuple(meetings.get(month, ())))
            for month in sorted(hours.keys() | meetings.keys())]


def summarise(months: Iterable[Month], meetings: Iterable[PlacedMeeting],
              starts: Iterable[GroupStart] = (), staff: Iterable[StaffMember] = (),
              area_params: WorkloadParameters = DEFAULTS) -> WorkloadSummary:
    """Need against capacity per month, per group and per worker, the flags and the check."""
    months, meetings, starts, staff = tuple(months), tuple(meetings), tuple(starts), tuple(staff)
    loads = month_loads(months, meetings, starts, staff, area_params)
    wanted = set(months)
    assigned = worker_month_hours(meetings)
    return WorkloadSummary(
        months=tuple(loads),
        group_hours={key: hours for key, hours in group_month_hours(meetings, starts).items()
                     if key[1] in wanted},
        worker_hours={key: hours for key, hours in assigned.items() if key[1] in wanted},
        flags=tuple(workload_flags(loads, meetings, staff, area_params, assigned)),
        check=check_estimates(meetings),
    )
