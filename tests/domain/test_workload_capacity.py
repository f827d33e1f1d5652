"""Whose hours count as staff time, a group's size against its area's, and the months that
are short of staff as the page says them (pure rules, no app)."""

from decimal import Decimal as D

from peer_groups.charts import Series, bar_chart, nice_step
from peer_groups.domain.roles import Role
from peer_groups.domain.workload import (
    DEFAULTS,
    Flag,
    FlagKind,
    MeetingInput,
    PlacedMeeting,
    StaffMember,
    capacity_roles,
    effective_parameters,
    group_parameters,
    month_shortages,
    summarise,
)

DEC, JAN = (2030, 12), (2031, 1)


def test_workers_always_count_experts_as_the_area_says_coordinators_never():
    assert capacity_roles(False) == (Role.WORKER,)
    assert capacity_roles(True) == (Role.WORKER, Role.EXPERT)
    assert Role.COORDINATOR not in capacity_roles(True)


def test_a_group_without_a_size_plans_for_its_areas():
    area = effective_parameters({"target_size": "9"})
    assert group_parameters(area, None).target_size == 9
    assert group_parameters(area, 12).target_size == 12
    assert group_parameters(area, 12, {"target_size": "6"}).target_size == 6  # its settings
    assert group_parameters(DEFAULTS, None).target_size == 8  # nobody set anything


def meeting(meeting_id, month, workers=()):
    return PlacedMeeting(meeting_id, 1, month, MeetingInput(D(2), assigned_staff=len(workers)),
                         worker_ids=tuple(workers))


def test_the_short_months_in_order_with_hours_and_meetings():
    # Each meeting plans for 8: 2 workers, 2 + 2 × 3 + 8 × 10 / 60 = 9.333… h.
    meetings = [meeting(1, DEC), meeting(2, DEC, (7, 8)), meeting(3, JAN, (7,))]
    staff = [StaffMember(7, D(10)), StaffMember(8, D("12.5"))]  # 8 + 10 = 18 h a month
    summary = summarise([DEC, JAN], meetings, staff=staff)
    dec, jan = month_shortages(summary.flags)
    # December: 18.67 h needed against 18 h: 0.67 h short; meeting 1 lacks both workers.
    assert dec.month == DEC and dec.hours_short.quantize(D("0.01")) == D("0.67")
    assert [f.meeting_id for f in dec.meetings] == [1] and dec.workers_missing == 2
    # January: 9.33 h is within 18 h; meeting 3 lacks one worker.
    assert jan.month == JAN and jan.hours_short == 0 and jan.workers_missing == 1


def test_a_month_only_over_its_hours_is_short_too():
    [only] = month_shortages([Flag(FlagKind.MONTH_OVER_CAPACITY, DEC, D(3))])
    assert (only.month, only.hours_short, only.meetings) == (DEC, D(3), ())
    assert month_shortages([Flag(FlagKind.WORKER_OVER_CAPACITY, DEC, D(1), staff_id=7)]) == []


def test_the_chart_has_round_ticks_and_each_bars_value():
    assert [nice_step(top) for top in (0, 4, 18.67, 22.4, 140)] == [1, 1, 5, 5, 50]
    chart = bar_chart([DEC, JAN], [Series([D("18.67"), D(9)], css="need"),
                                   Series([D(18), D(18)], css="capacity")],
                      month_text=lambda m: f"{m[1]}", value_text=lambda v: f"{float(v):.0f}",
                      plot_height=100, bar=20, step=56)
    # Top 18.67 → ticks every 5 up to 20, so a bar of 10 is half the plot high.
    assert [t.label for t in chart.ticks] == ["0", "5", "10", "15", "20"]
    assert [r.value for c in chart.columns for r in c.rects] == ["19", "18", "9", "18"]
    assert chart.columns[1].rects[1].height == 90.0  # 18 of 20
    assert [c.year for c in chart.columns] == ["2030", "2031"]  # first column and January
