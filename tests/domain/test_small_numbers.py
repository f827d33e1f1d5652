"""Small numbers stay hidden: no figure worked out from a hidden count gives it back.

Tested by recomputing: every hidden value must give the same shown figures, and a total is
kept only where, knowing the shown parts, more than one value fits each hidden part.
"""

from decimal import Decimal as D
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peer_groups.domain.small_numbers import (
    counted_as,
    is_small,
    share_gives_back,
    total_gives_back,
    whole_gives_back,
)
from peer_groups.domain.workload import (
    DEFAULTS,
    Basis,
    MeetingInput,
    PlacedMeeting,
    actual_meeting,
    estimate_meeting,
    summarise,
    two_places,
    with_overrides,
)

T = 5


def shown(estimate):
    """What the workload page and CSV show of one meeting's estimate."""
    return (estimate.hours, estimate.cost_eur, estimate.staff_needed, estimate.expert_hours,
            estimate.documentation_hours, estimate.expected)


def test_a_small_count_counts_as_the_threshold_and_zero_stays_zero():
    assert [counted_as(n, T) for n in range(7)] == [0, 5, 5, 5, 5, 5, 6]
    assert counted_as(D("4.9"), T) == 5 and counted_as(D("5.6"), T) == D("5.6")
    assert [is_small(n, T) for n in (0, 1, 4, 5)] == [False, True, True, False]
    assert counted_as(3, 0) == 3  # threshold 0: exact, for the group's own facilitators


parameters = st.fixed_dictionaries({
    "show_rate": st.decimals("0.1", "1", places=2),
    "youth_per_staff": st.integers(1, 8),
    "doc_minutes": st.integers(0, 90),
    "snack_cost_eur": st.integers(0, 20),
    "min_staff": st.integers(1, 3),
})


@given(parameters, st.booleans())
def test_every_hidden_number_of_sign_ups_gives_the_same_figures(overrides, outing):
    params = with_overrides(DEFAULTS, overrides)
    hidden = [c for c in range(1, 30) if is_small(c * params.show_rate, T)]
    figures = {shown(estimate_meeting(MeetingInput(D(2), confirmed=c, is_outing=outing,
                                                   count_small_as=T), params))
               for c in hidden}
    assert len(figures) == 1  # one shown result for all of them: nothing to recompute
    exact = {shown(estimate_meeting(MeetingInput(D(2), confirmed=c, is_outing=outing),
                                    params)) for c in hidden}
    assert len(exact) == len(hidden)  # unprotected, each count shows differently


def test_the_real_number_is_kept_only_to_say_it_is_small():
    estimate = estimate_meeting(MeetingInput(D(2), confirmed=3, count_small_as=T))
    assert estimate.expected == 5 and estimate.exact_expected == D("2.1")
    assert estimate.counted_up and estimate.hours == 2 + 2 * 3 + D(5) * 10 / 60
    big = estimate_meeting(MeetingInput(D(2), confirmed=10, count_small_as=T))
    assert big.expected == 7 and not big.counted_up
    target = estimate_meeting(MeetingInput(D(2), count_small_as=T),
                              with_overrides(DEFAULTS, {"target_size": 3}))
    assert target.basis is Basis.TARGET_SIZE and target.expected == 3  # a setting, not people


def test_held_meetings_and_group_averages_are_counted_up_too():
    held = {actual_meeting(MeetingInput(D(2), held=True, attendance=n, count_small_as=T))
            .by_model.hours for n in range(1, 5)}
    assert len(held) == 1
    averages = {estimate_meeting(MeetingInput(D(2), group_average_attendance=D(a),
                                              count_small_as=T)).hours for a in ("1.5", "4")}
    assert len(averages) == 1


def test_month_totals_and_worker_hours_are_the_same_for_every_hidden_count():
    def summary(confirmed):
        placed = [PlacedMeeting(1, 1, (2027, 1), MeetingInput(
            D(2), confirmed=confirmed, assigned_staff=1, count_small_as=T), worker_ids=(9,)),
                  PlacedMeeting(2, 2, (2027, 1), MeetingInput(
                      D(2), confirmed=12, count_small_as=T))]
        result = summarise([(2027, 1)], placed)
        return result.months, dict(result.group_hours), dict(result.worker_hours)

    first = summary(1)
    assert all(summary(c) == first for c in range(2, 8))
    # Minus the other group's hours the month gives back only the counted-up figure.
    months, groups, _ = first
    rest = two_places(months[0].meeting_hours - groups[(2, (2027, 1))])
    assert rest == two_places(2 + 2 * 3 + D(5) * 10 / 60)  # as if 5 came, whoever came


def determined(parts, threshold):
    """By brute force: is some hidden part the same in every set of values that fits?"""
    hidden = [i for i, part in enumerate(parts) if is_small(part, threshold)]
    if not hidden:
        return False
    total = sum(parts)
    fits = [values for values in product(range(1, threshold), repeat=len(hidden))
            if total - sum(parts[i] for i in range(len(parts)) if i not in hidden)
            == sum(values)]
    return any(len({values[k] for values in fits}) == 1 for k in range(len(hidden)))


def test_a_total_is_hidden_exactly_when_it_would_give_a_hidden_part_back():
    for parts in product((0, 1, 2, 3, 4, 5, 9), repeat=3):
        assert total_gives_back(parts, T) == determined(parts, T), parts
    assert not total_gives_back([3, 4], 0)  # exact numbers: nothing is hidden


def test_a_share_is_hidden_when_its_part_or_its_rest_is_a_small_number():
    assert share_gives_back(3, 6, T)  # 50 % of 6 names 3
    assert share_gives_back(18, 20, T)  # 90 % of 20 names the 2 who did not
    assert share_gives_back(2, 3, T)  # a whole below the threshold
    assert not share_gives_back(5, 10, T) and not share_gives_back(0, 8, T)
    assert not share_gives_back(8, 8, T) and not share_gives_back(3, 6, 0)


@pytest.mark.parametrize(("parts", "gives_back"), [
    ([6, 4], True),       # 10 beside "6" and "< 5": the hidden month had 4
    ([6, 3, 3], False),   # 12 - 6 = 6 between two hidden months: neither is known
    ([4, 4], True),       # 8 between two hidden months: both must be 4
    ([3, 3], False),      # 6 between two hidden months: 2 + 4, 3 + 3 or 4 + 2
    ([4], False),         # the whole is "< 5" itself
    ([6, 7], False),      # nothing hidden
    ([6, 0], False),      # an empty month is not hidden
])
def test_a_whole_beside_its_parts_is_hidden_where_it_gives_hidden_parts_back(parts, gives_back):
    assert whole_gives_back(parts, 5) is gives_back
