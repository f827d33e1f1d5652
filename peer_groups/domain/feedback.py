"""A young person's "how was it?" after a meeting: the scale, and what may be shown of it.

Answers are shown only as a whole meeting's (or period's) counts, and only once at least the
small-number threshold of people answered (docs/rules.md, rule 15).
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from peer_groups.domain.small_numbers import share_gives_back, total_gives_back

SCALE = (1, 2, 3, 4, 5)  # 1 bad … 5 great; the form shows faces and words, never numbers alone
NEXT_TIME_MAX = 140  # one short line


class Again(StrEnum):
    YES = "yes"
    MAYBE = "maybe"
    NO = "no"


def open_until(ends_at: datetime, days: int) -> datetime:
    """The last moment the ask stands: `days` after the meeting ended."""
    return ends_at + timedelta(days=days)


def may_answer(ends_at: datetime, days: int, now: datetime) -> bool:
    """A held meeting (its register closed, perhaps in its last minutes) can be answered until
    `days` after it ended."""
    return now <= open_until(ends_at, days)


@dataclass(frozen=True)
class Summary:
    """What a set of answers may show: nothing but their number below the threshold."""

    answered: int
    steps: dict[int, int] | None  # count per step of the scale, or None while too few
    again: dict[str, int] | None
    again_share: Decimal | None  # the share who'd come again ("yes")

    @property
    def shown(self) -> bool:
        return self.steps is not None


def summarise(answers: Iterable[tuple[int, str]], threshold: int) -> Summary:
    """Counts per step and per "again" answer, once at least `threshold` people answered."""
    answers = list(answers)
    if len(answers) < max(threshold, 1):
        return Summary(len(answers), None, None, None)
    steps = Counter(rating for rating, _again in answers)
    again = Counter(str(value) for _rating, value in answers)
    return Summary(len(answers), {step: steps.get(step, 0) for step in SCALE},
                   {value.value: again.get(value.value, 0) for value in Again},
                   Decimal(again.get(Again.YES.value, 0)) / len(answers))


@dataclass(frozen=True)
class Reported:
    """What a report outside the meeting may show: the number who answered (the page writes a
    small one as "< 5"), the steps once enough answered and no hidden step can be worked out
    from the others, and the share who'd come again unless it names a small number."""

    answered: int
    steps: dict[int, int] | None
    again_share: Decimal | None


def reported(answers: Iterable[tuple[int, str]], threshold: int) -> Reported:
    whole = summarise(answers, threshold)
    if not whole.shown:
        return Reported(whole.answered, None, None)
    steps = None if total_gives_back(whole.steps.values(), threshold) else whole.steps
    yes = whole.again[Again.YES.value]
    share = None if share_gives_back(yes, whole.answered, threshold) else whole.again_share
    return Reported(whole.answered, steps, share)


def answered_share(answered: int, came: int, threshold: int) -> Decimal | None:
    """The share of those who came who answered; None where it would name a small number."""
    if not came or share_gives_back(min(answered, came), came, threshold):
        return None
    return Decimal(min(answered, came)) / came
