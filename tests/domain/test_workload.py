"""The workload model of docs/workload.md: estimates, start-up, capacity, flags and the check."""

from dataclasses import replace
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peer_groups.domain.workload import (
    DEFAULTS,
    PARAMETER_HELP,
    PARAMETER_NAMES,
    PARAMETER_UNITS,
    Basis,
    FlagKind,
    GroupStart,
    MeetingInput,
    ParameterProblem,
    PlacedMeeting,
    StaffMember,
    Suggestion,
    WorkloadParameters,
    actual_meeting,
    add_months,
    check_estimates,
    effective_parameters,
    estimate_meeting,
    expected_attendance,
    group_month_hours,
    month_capacity,
    month_loads,
    parameter_problems,
    staff_capacity,
    startup_spread,
    summarise,
    two_places,
    with_overrides,
    worker_month_hours,
    worker_shares,
    workload_flags,
)

TEN = MeetingInput(duration_hours=D(2), confirmed=10)  # docs/workload.md's example
EMPTY = MeetingInput(duration_hours=D(2))
SIX = replace(EMPTY, group_average_attendance=D(6))  # 2 + 2 × 3 + 6 × 10 / 60 = exactly 9 h
JAN, FEB, MAR = (2027, 1), (2027, 2), (2027, 3)


def params(**values) -> WorkloadParameters:
    return with_overrides(DEFAULTS, values)


def test_the_design_example():
    estimate = estimate_meeting(TEN)
    assert estimate.expected == 7
    assert estimate.basis is Basis.SIGNUPS
    assert estimate.staff_needed == 2
    assert estimate.hours == 2 + 2 * (2 + D("0.5") + D("0.5")) + D(7) * 10 / 60
    assert two_places(estimate.hours) == D("9.17")
    assert estimate.expert_hours == 0
    assert estimate.cost_eur == 7 * 4 + 7 * 5


# Each parameter: (a changed value, what it changes, that with the default, that when changed).
EFFECTS = {
    "show_rate": (D("0.5"), lambda p: estimate_meeting(TEN, p).expected, 7, 5),
    "min_staff": (3, lambda p: estimate_meeting(TEN, p).staff_needed, 2, 3),
    "youth_per_staff": (2, lambda p: estimate_meeting(TEN, p).staff_needed, 2, 4),
    "prep_hours": (3, lambda p: two_places(estimate_meeting(TEN, p).hours), D("9.17"),
                   D("10.17")),
    "setup_hours": (1, lambda p: two_places(estimate_meeting(TEN, p).hours), D("9.17"),
                    D("10.17")),
    "debrief_hours": (1, lambda p: two_places(estimate_meeting(TEN, p).hours), D("9.17"),
                      D("10.17")),
    "travel_hours": (D("0.25"), lambda p: two_places(estimate_meeting(TEN, p).hours),
                     D("9.17"), D("9.67")),
    "outing_travel_hours": (
        2, lambda p: two_places(estimate_meeting(replace(TEN, is_outing=True), p).hours),
        D("11.17"), D("13.17")),
    "doc_minutes": (20, lambda p: two_places(estimate_meeting(TEN, p).documentation_hours),
                    D("1.17"), D("2.33")),
    "expert_hours": (
        4, lambda p: estimate_meeting(replace(TEN, expert_assigned=True), p).expert_hours, 3, 4),
    "startup_hours": (30, lambda p: startup_spread(JAN, p)[JAN], 8, 10),
    "snack_cost_eur": (6, lambda p: estimate_meeting(TEN, p).snack_cost_eur, 28, 42),
    "activity_cost_eur": (6, lambda p: estimate_meeting(TEN, p).activity_cost_eur, 35, 42),
    "absence_buffer": (D("0.5"), lambda p: staff_capacity(StaffMember(1, D(40)), JAN, p),
                       32, 20),
    "target_size": (12, lambda p: estimate_meeting(EMPTY, p).expected, 8, 12),
}


def test_every_parameter_has_an_effect_test_a_help_line_and_a_unit():
    assert set(EFFECTS) == set(PARAMETER_NAMES)
    for name in PARAMETER_NAMES:
        assert PARAMETER_HELP[name].strip() and "\n" not in PARAMETER_HELP[name]
        assert name in PARAMETER_UNITS


@pytest.mark.parametrize("name", sorted(EFFECTS))
def test_each_parameter_changes_the_estimate(name):
    value, observe, with_default, with_changed = EFFECTS[name]
    assert observe(DEFAULTS) == with_default
    assert observe(params(**{name: value})) == with_changed


def test_without_sign_ups_the_group_average_then_the_target_size():
    assert expected_attendance(EMPTY) == (8, Basis.TARGET_SIZE)
    history = replace(EMPTY, group_average_attendance=D("5.5"))
    assert expected_attendance(history) == (D("5.5"), Basis.AVERAGE_ATTENDANCE)
    assert expected_attendance(replace(history, confirmed=2)) == (D("1.4"), Basis.SIGNUPS)


def test_an_outing_adds_travel_for_each_worker():
    outing = estimate_meeting(replace(SIX, is_outing=True))
    assert outing.hours - estimate_meeting(SIX).hours == outing.staff_needed * 1 == 2
    assert outing.presence_hours == 2 + D("0.5") + D("0.5") + 1


def test_an_experience_expert_is_a_separate_line():
    with_expert = estimate_meeting(replace(TEN, expert_assigned=True))
    assert with_expert.expert_hours == 3
    assert with_expert.hours == estimate_meeting(TEN).hours
    assert with_expert.staff_needed == 2


def test_the_plans_own_costs_replace_the_estimate():
    planned = estimate_meeting(replace(TEN, plan_snack_cost=D("12.50")))
    assert (planned.snack_cost_eur, planned.activity_cost_eur) == (D("12.50"), 35)
    free = estimate_meeting(replace(TEN, plan_snack_cost=D(0), plan_activity_cost=D(0)))
    assert free.cost_eur == 0  # a plan that costs nothing is not "no plan"


def test_understaffed_when_fewer_workers_are_assigned_than_needed():
    assert estimate_meeting(replace(TEN, assigned_staff=1)).understaffed
    assert not estimate_meeting(replace(TEN, assigned_staff=2)).understaffed


def test_a_held_meeting_keeps_its_estimate_and_has_an_actual():
    held = replace(TEN, held=True, attendance=4, logged_hours=D("8.5"), assigned_staff=2)
    assert estimate_meeting(held) == estimate_meeting(replace(TEN, assigned_staff=2))
    actual = actual_meeting(held)
    assert actual.hours == D("8.5")
    assert actual.by_model.expected == 4 and actual.by_model.basis is Basis.ATTENDANCE
    assert actual.by_model.cost_eur == 4 * 9
    not_logged = actual_meeting(replace(held, logged_hours=None))
    assert not_logged.hours == 2 + 2 * 3 + D(4) * 10 / 60
    no_headcount = actual_meeting(replace(held, attendance=None, logged_hours=None))
    assert no_headcount.hours == estimate_meeting(TEN).hours
    assert actual_meeting(TEN) is None


def test_area_values_then_group_values_and_none_keeps_the_value_below():
    area = {"show_rate": "0.6", "prep_hours": 3, "min_staff": None}
    group = {"prep_hours": D("1.5"), "target_size": 10.0, "show_rate": None}
    both = effective_parameters(area, group)
    assert (both.show_rate, both.prep_hours, both.target_size) == (D("0.6"), D("1.5"), 10)
    assert both.min_staff == 2 and isinstance(both.target_size, int)
    assert with_overrides(DEFAULTS, {"show_rate": 0.7}).show_rate == D("0.7")  # not 0.6999...
    assert effective_parameters() == DEFAULTS == WorkloadParameters()


@pytest.mark.parametrize("layer", [
    {"no_such_thing": 1}, {"no_such_thing": None}, {"min_staff": 2.5}, {"show_rate": "lots"},
    {"show_rate": True}, {"prep_hours": "NaN"}, {"prep_hours": float("inf")},
])
def test_overrides_refuse_unknown_names_and_non_numbers(layer):
    with pytest.raises(ValueError):
        with_overrides(DEFAULTS, layer)


def test_the_defaults_make_sense():
    assert parameter_problems(DEFAULTS) == []
    assert parameter_problems(params(show_rate=1, absence_buffer=0, travel_hours=0)) == []


@pytest.mark.parametrize(("name", "value", "code"), [
    ("show_rate", D("1.01"), ParameterProblem.NOT_A_SHARE),
    ("show_rate", D("-0.1"), ParameterProblem.NOT_A_SHARE),
    ("absence_buffer", D(1), ParameterProblem.NOT_A_SHARE),
    ("absence_buffer", D("-0.01"), ParameterProblem.NOT_A_SHARE),
    ("min_staff", 0, ParameterProblem.BELOW_ONE),
    ("youth_per_staff", D("0.5"), ParameterProblem.BELOW_ONE),
    ("target_size", 0, ParameterProblem.BELOW_ONE),
    *[(name, D("-0.5"), ParameterProblem.NEGATIVE) for name in (
        "prep_hours", "setup_hours", "debrief_hours", "travel_hours", "outing_travel_hours",
        "doc_minutes", "expert_hours", "startup_hours", "snack_cost_eur", "activity_cost_eur")],
])
def test_nonsense_values_are_refused_with_a_code(name, value, code):
    assert parameter_problems(params(**{name: value})) == [(name, code)]


def test_start_up_hours_over_the_first_three_calendar_months():
    assert startup_spread((2027, 11)) == {(2027, 11): 8, (2027, 12): 8, (2028, 1): 8}
    uneven = startup_spread(JAN, params(startup_hours=10))
    assert sum(uneven.values()) == 10
    assert uneven == {JAN: D("3.333333"), FEB: D("3.333333"), MAR: D("3.333334")}


def test_capacity_takes_off_the_absence_buffer_and_follows_reduced_months():
    july = (2027, 7)
    staff = [StaffMember(1, D(40), {july: D(10)}), StaffMember(2, D(20))]
    assert month_capacity(staff, JAN) == (40 + 20) * D("0.8")
    assert month_capacity(staff, july) == (10 + 20) * D("0.8")
    assert month_capacity([], JAN) == 0


def placed(meeting_id, month=JAN, meeting=TEN, group_id=1, workers=(), **changes):
    meeting = replace(meeting, assigned_staff=len(workers), **changes)
    return PlacedMeeting(meeting_id, group_id, month, meeting, worker_ids=tuple(workers))


def test_placed_meeting_must_name_its_assigned_workers():
    with pytest.raises(ValueError):
        PlacedMeeting(1, 1, JAN, replace(TEN, assigned_staff=2), worker_ids=(7,))


def test_month_need_counts_meetings_start_up_experts_and_costs():
    meetings = [placed(1, workers=(7, 8), expert_assigned=True),
                placed(2, workers=(7, 8), held=True, attendance=5, logged_hours=D(12)),
                placed(3, month=FEB)]
    staff = [StaffMember(7, D(20)), StaffMember(8, D(10))]
    jan, feb = month_loads([JAN, FEB], meetings, [GroupStart(1, JAN)], staff)
    assert jan.meeting_hours == estimate_meeting(TEN).hours + 12
    assert jan.startup_hours == 8 and jan.need_hours == jan.meeting_hours + 8
    assert jan.expert_hours == 3
    assert jan.cost_eur == 63 + 5 * 9  # the held meeting costs what its real headcount cost
    assert jan.capacity_hours == 24 and jan.over_capacity
    assert feb.meeting_hours == estimate_meeting(TEN).hours and feb.startup_hours == 8


def test_hours_per_group_and_per_worker():
    meetings = [placed(1, workers=(7, 8)), placed(2, group_id=2, workers=(7,)),
                placed(3, month=FEB, workers=(8, 9), held=True, logged_hours=D(10))]
    groups = group_month_hours(meetings, [GroupStart(2, JAN)])
    assert groups[(1, JAN)] == estimate_meeting(TEN).hours
    assert groups[(2, JAN)] == estimate_meeting(TEN).hours + 8
    shares = worker_shares(meetings[0])
    assert shares == {7: 3 + (2 + D(7) * 10 / 60) / 2, 8: shares[7]}  # own time + half the rest
    assert sum(worker_shares(placed(5, meeting=SIX, workers=(7, 8))).values()) == 9
    workers = worker_month_hours(meetings)
    # alone on meeting 2, worker 7 carries the shared work but only their own presence
    alone = D(3) + 2 + D(7) * 10 / 60
    assert workers[(7, JAN)] == shares[7] + alone
    assert workers[(8, FEB)] == workers[(9, FEB)] == 5  # logged hours split equally
    assert worker_shares(placed(4)) == {}


def test_flags_for_short_meetings_full_months_and_overloaded_workers():
    meetings = [placed(1, workers=(7,)), placed(2, workers=(7, 8)),
                placed(3, workers=(8,), held=True, attendance=6),  # held: too late to flag
                placed(4, month=FEB, workers=(7, 8))]
    staff = [StaffMember(7, D(10)), StaffMember(8, D(20))]  # can give 8 h and 16 h
    loads = month_loads([JAN, FEB], meetings, staff=staff)
    flags = workload_flags(loads, meetings, staff)
    kinds = [(f.kind, f.month, f.meeting_id, f.staff_id) for f in flags]
    assert kinds == [(FlagKind.UNDERSTAFFED_MEETING, JAN, 1, None),
                     (FlagKind.MONTH_OVER_CAPACITY, JAN, None, None),
                     (FlagKind.WORKER_OVER_CAPACITY, JAN, None, 7)]
    assert flags[0].amount == 1 and flags[0].group_id == 1
    assert flags[1].amount == loads[0].need_hours - 24
    assert flags[2].amount == worker_month_hours(meetings)[(7, JAN)] - 8


def test_no_flags_when_staffed_and_within_capacity():
    meetings = [placed(1, workers=(7, 8))]
    staff = [StaffMember(7, D(40)), StaffMember(8, D(40))]
    assert workload_flags(month_loads([JAN], meetings, staff=staff), meetings, staff) == []


def held_logged(count, ratio):
    assert estimate_meeting(SIX).hours == 9
    return [placed(i, meeting=SIX, held=True, attendance=5, logged_hours=9 * ratio)
            for i in range(count)]


@pytest.mark.parametrize(("count", "ratio", "suggestion"), [
    (6, D("1.25"), Suggestion.RAISE_ESTIMATES),
    (8, D("0.75"), Suggestion.LOWER_ESTIMATES),
    (5, D("1.5"), None),  # too few meetings to say
    (6, D("1.2"), None),  # exactly 20 % off is not more than 20 %
    (6, D("0.8"), None),
    (6, D("1.19"), None),
])
def test_suggest_a_review_when_estimates_are_off_by_over_20_percent_over_6_meetings(
        count, ratio, suggestion):
    check = check_estimates(held_logged(count, ratio))
    assert check.meetings == count
    assert check.ratio == ratio
    assert check.suggestion is suggestion


def test_the_check_counts_only_held_meetings_with_logged_hours():
    meetings = [*held_logged(5, D(2)), placed(9, held=True, attendance=3), placed(10)]
    assert check_estimates(meetings).meetings == 5
    assert check_estimates([]).ratio is None and check_estimates([]).suggestion is None


def test_the_summary_keeps_to_the_months_asked_for():
    meetings = [placed(1, workers=(7, 8)), placed(2, month=FEB, workers=(7, 8))]
    summary = summarise([FEB], meetings, [GroupStart(1, JAN)], [StaffMember(7, D(40))])
    assert [load.month for load in summary.months] == [FEB]
    assert set(summary.group_hours) == {(1, FEB)}
    assert set(summary.worker_hours) == {(7, FEB), (8, FEB)}
    assert summary.check.meetings == 0


def test_two_places_is_for_display_only():
    assert two_places(D("9.165")) == D("9.17")
    assert two_places(D(8)) == D("8.00")
    assert two_places(D("-0.005")) == D("-0.01")


# Properties

shares = st.decimals(min_value=0, max_value=1, places=2)
hours = st.decimals(min_value=0, max_value=50, places=2)
valid_params = st.builds(
    WorkloadParameters,
    show_rate=shares,
    min_staff=st.integers(1, 10),
    youth_per_staff=st.decimals(min_value=1, max_value=20, places=1),
    prep_hours=hours, setup_hours=hours, debrief_hours=hours, travel_hours=hours,
    outing_travel_hours=hours, doc_minutes=hours, expert_hours=hours, startup_hours=hours,
    snack_cost_eur=hours, activity_cost_eur=hours,
    absence_buffer=st.decimals(min_value=0, max_value=D("0.99"), places=2),
    target_size=st.integers(1, 40),
)
meetings = st.builds(
    MeetingInput,
    duration_hours=st.decimals(min_value=D("0.25"), max_value=12, places=2),
    confirmed=st.integers(0, 200),
    is_outing=st.booleans(),
    assigned_staff=st.integers(0, 10),
    expert_assigned=st.booleans(),
    group_average_attendance=st.none() | st.decimals(min_value=0, max_value=60, places=1),
)


@given(valid_params, meetings)
def test_hours_are_never_negative_and_staff_never_below_the_minimum(p, meeting):
    assert parameter_problems(p) == []
    estimate = estimate_meeting(meeting, p)
    assert estimate.hours >= 0 and estimate.expert_hours >= 0 and estimate.cost_eur >= 0
    assert estimate.staff_needed >= p.min_staff


@given(valid_params, meetings, st.integers(1, 200), st.integers(1, 200))
def test_more_sign_ups_never_mean_fewer_hours(p, meeting, a, b):
    fewer, more = sorted((a, b))
    assert (estimate_meeting(replace(meeting, confirmed=fewer), p).hours
            <= estimate_meeting(replace(meeting, confirmed=more), p).hours)


@given(valid_params, meetings, st.decimals(min_value=0, max_value=100, places=2),
       st.decimals(min_value=0, max_value=100, places=2))
def test_more_expected_never_means_fewer_hours(p, meeting, a, b):
    low, high = sorted((a, b))
    def at(expected):
        return estimate_meeting(replace(meeting, confirmed=0, group_average_attendance=expected), p)
    assert at(low).hours <= at(high).hours
    assert at(low).staff_needed <= at(high).staff_needed


@given(st.integers(2000, 2100), st.integers(1, 12),
       st.decimals(min_value=0, max_value=1000, places=4))
def test_start_up_is_spread_evenly_over_exactly_three_months(year, month, total):
    spread = startup_spread((year, month), params(startup_hours=total))
    assert list(spread) == [(year, month), add_months((year, month), 1),
                            add_months((year, month), 2)]
    assert len({m for _, m in spread}) == 3
    assert sum(spread.values()) == total
    assert max(spread.values()) - min(spread.values()) <= D("0.000002")
