"""Phone numbers in one form, masked addresses, and when a confirming code is refused."""

from datetime import UTC, datetime, timedelta

import pytest

from peer_groups.domain.contacts import (
    CodeProblem,
    code_problem,
    mask_email,
    mask_phone,
    may_send_again,
    normalise_phone,
    readable_phone,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("typed", ["040 123 4567", "0401234567", "+358 40 123 4567",
                                   "+358401234567", "00358 40 123 4567", "040-123 4567",
                                   " (040) 123 4567 "])
def test_finnish_numbers_are_kept_in_the_international_form(typed):
    assert normalise_phone(typed) == "+358401234567"


@pytest.mark.parametrize("typed", ["", "040", "040 12", "abc", "040 123 4567 ext 2",
                                   "+358 40 123 4567 8901 2345", "++358401234567",
                                   "040\n1234567", "4012345678901234567"])
def test_what_cannot_be_a_phone_number_is_refused(typed):
    assert normalise_phone(typed) is None


def test_other_countries_keep_their_code():
    assert normalise_phone("+46 70 123 45 67") == "+46701234567"
    assert mask_phone("+46701234567") == "+46\u00a0…\u00a067"
    assert readable_phone("+46701234567") == "+46701234567"


def test_masks_show_just_enough_to_recognise_ones_own():
    # Read as one word: no line break inside on a narrow phone.
    assert mask_email("aino.aalto@example.fi") == "a…\u2060@example.fi"
    assert mask_phone("+358401234567") == "040\u00a0…\u00a067"
    assert readable_phone("+358401234567") == "040 123 4567"


def problem(**changes):
    facts = {"expires_at": NOW + timedelta(minutes=5), "attempts": 0, "max_attempts": 5,
             "matches": True, "now": NOW, **changes}
    return code_problem(**facts)


def test_a_code_confirms_only_while_it_lives_and_has_tries_left():
    assert problem() is None
    assert problem(matches=False) is CodeProblem.WRONG
    assert problem(expires_at=None) is CodeProblem.NO_CODE
    assert problem(expires_at=NOW) is CodeProblem.EXPIRED  # right, but too late
    assert problem(attempts=5) is CodeProblem.TOO_MANY  # right, but after five wrong tries
    assert problem(attempts=4, matches=False) is CodeProblem.WRONG


def test_a_new_code_to_the_same_address_waits_a_moment_a_corrected_one_does_not():
    pause = timedelta(minutes=1)
    assert may_send_again(None, True, NOW, pause)
    assert not may_send_again(NOW - timedelta(seconds=10), True, NOW, pause)
    assert may_send_again(NOW - timedelta(seconds=10), False, NOW, pause)
    assert may_send_again(NOW - pause, True, NOW, pause)
