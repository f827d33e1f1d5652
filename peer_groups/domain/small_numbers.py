"""Small numbers stay hidden (docs/rules.md, rule 8), and every figure that gives one back.

Outside a group's own facilitators a count below the threshold shows as "< 5". That alone is
not enough: hours and costs are worked out from the number of young people (docs/workload.md),
so with the shown parameters they would give the hidden count back, and a total shown next to
its parts gives back the one part that is hidden. The rules here say what may be shown:

- figures *worked out from* a count (hours, costs, staff needed, chart bars) use the count as
  `counted_as` gives it: a small count counts as the threshold itself, so every hidden value
  gives the same figures and nothing can be recomputed from them;
- a total or a share is hidden when it, with what else is shown, pins a hidden count down.

A threshold of 0 means "exact": the group's own facilitators see real numbers.
"""

from collections.abc import Iterable
from decimal import Decimal

Number = int | Decimal


def is_small(count: Number, threshold: int) -> bool:
    """A count that outside readers see only as "< threshold" (zero is not hidden)."""
    return 0 < count < threshold


def counted_as(count: Number, threshold: int) -> Number:
    """The count that figures worked out from it use: a small count counts as the threshold.

    Rounding a small count up to the threshold makes the hours, costs and staff built on it the
    same for every hidden value, and errs on the side of enough staff and money.
    """
    return threshold if is_small(count, threshold) else count


def total_gives_back(parts: Iterable[Number], threshold: int) -> bool:
    """Whether a total shown beside these parts (small ones hidden) gives a hidden part back.

    Total minus the shown parts is the sum of the hidden ones. One hidden part is then known
    exactly; several are known exactly only if they must all be 1 or all threshold - 1.
    """
    hidden = [part for part in parts if is_small(part, threshold)]
    if not hidden:
        return False
    rest = sum(hidden)
    return len(hidden) == 1 or rest in (len(hidden), len(hidden) * (threshold - 1))


def share_gives_back(part: int, whole: int, threshold: int) -> bool:
    """Whether a share part / whole, with the whole known or hidden, gives back a small count.

    A share of a whole below the threshold is hidden with the whole; a share whose part, or
    whose rest, is a small number of people would name that number.
    """
    return (is_small(whole, threshold) or is_small(part, threshold)
            or is_small(whole - part, threshold))


def whole_gives_back(parts: Iterable[Number], threshold: int) -> bool:
    """Whether a whole (a period, a month) shown beside its parts (its months, its groups)
    gives back the hidden parts: the whole minus the shown parts is the hidden parts together,
    so it is hidden when that is itself a small number, or pins each hidden part down."""
    parts = list(parts)
    if is_small(sum(parts), threshold):
        return False  # the whole shows as "< 5" itself
    hidden = sum(part for part in parts if is_small(part, threshold))
    return is_small(hidden, threshold) or total_gives_back(parts, threshold)
