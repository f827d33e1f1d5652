"""What may be shown of a set of anonymous answers: nothing below the threshold, and no step
or share that gives a small number back."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from peer_groups.domain.feedback import answered_share, may_answer, reported, summarise

ENDED = datetime(2026, 11, 20, 19, tzinfo=UTC)


def test_the_ask_stands_for_the_set_days_after_the_meeting():
    assert may_answer(ENDED, 7, ENDED + timedelta(days=7))
    assert not may_answer(ENDED, 7, ENDED + timedelta(days=7, seconds=1))


def test_counts_show_only_from_the_threshold():
    four = [(5, "yes")] * 4
    assert summarise(four, 5).steps is None and summarise(four, 5).answered == 4
    five = summarise([*four, (1, "no")], 5)
    assert five.steps == {1: 1, 2: 0, 3: 0, 4: 0, 5: 4}
    assert five.again == {"yes": 4, "maybe": 0, "no": 1} and five.again_share == Decimal("0.8")


def test_a_report_hides_a_step_the_others_give_back_and_a_share_naming_few():
    one_hidden = reported([(5, "yes")] * 6 + [(1, "yes")], 5)
    assert one_hidden.steps is None  # 7 answered, 6 great: the one "bad" would be known
    assert one_hidden.again_share == 1  # all seven said yes: nobody small to name
    several = reported([(5, "yes")] * 5 + [(4, "no")] * 2 + [(3, "no")] * 3, 5)
    assert several.steps == {1: 0, 2: 0, 3: 3, 4: 2, 5: 5}  # 2 + 3 hidden: not pinned down
    assert several.again_share == Decimal("0.5")  # 5 yes, 5 no: neither is few
    assert reported([(5, "yes")] * 7 + [(4, "no")] * 2, 5).again_share is None  # 2 said no
    assert answered_share(3, 10, 5) is None and answered_share(10, 10, 5) == 1
