"""The second-factor rules: who needs one, which codes count, recovery codes."""

import base64
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from peer_groups.domain.two_factor import (
    RECOVERY_CODE_COUNT,
    SecondFactor,
    code_at,
    is_recent,
    looks_like_recovery_code,
    matching_step,
    new_recovery_codes,
    normalise_code,
    second_factor_step,
    setup_secret,
    time_step,
)

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = datetime(2026, 11, 30, 12, 0, 10, tzinfo=UTC)


@pytest.mark.parametrize(("is_staff", "enrolled", "passed", "expected"), [
    (True, False, False, SecondFactor.SET_UP),
    (True, True, False, SecondFactor.VERIFY),
    (True, True, True, SecondFactor.DONE),
    (False, False, False, SecondFactor.DONE),
    (False, True, False, SecondFactor.VERIFY),
    (False, True, True, SecondFactor.DONE),
])
def test_staff_must_and_young_people_may_use_a_second_factor(is_staff, enrolled, passed,
                                                             expected):
    assert second_factor_step(is_staff, enrolled, passed) is expected


def test_a_code_counts_for_the_step_before_at_and_after_now():
    step = time_step(NOW)
    assert code_at(SECRET, step) == pyotp.TOTP(SECRET).at(NOW)
    for drift in (-1, 0, 1):
        assert matching_step(SECRET, code_at(SECRET, step + drift), NOW, None) == step + drift
    for drift in (-3, -2, 2, 3):
        assert matching_step(SECRET, code_at(SECRET, step + drift), NOW, None) is None


def test_a_used_code_and_older_ones_are_refused():
    step = time_step(NOW)
    code = code_at(SECRET, step)
    assert matching_step(SECRET, code, NOW, last_used_step=step) is None
    assert matching_step(SECRET, code_at(SECRET, step - 1), NOW, last_used_step=step) is None
    assert matching_step(SECRET, code_at(SECRET, step + 1), NOW, last_used_step=step) == step + 1


def test_typed_codes_are_forgiving_about_spaces_but_not_about_digits():
    code = code_at(SECRET, time_step(NOW))
    assert matching_step(SECRET, f" {code[:3]} {code[3:]} ", NOW, None) == time_step(NOW)
    for wrong in ("", "12345", "1234567", "abcdef", "１２３４５６"):
        assert matching_step(SECRET, wrong, NOW, None) is None


def test_recovery_codes_are_many_and_different_and_typed_forgivingly():
    codes = new_recovery_codes()
    assert len(codes) == len(set(codes)) == RECOVERY_CODE_COUNT
    for code in codes:
        assert looks_like_recovery_code(code)
        assert normalise_code(code.upper().replace("-", " ")) == normalise_code(code)
    assert not looks_like_recovery_code("123456")


def test_the_setup_secret_is_stable_per_session_and_new_when_replacing():
    key = b"server key"
    first = setup_secret(key, "token-a", None)
    assert setup_secret(key, "token-a", None) == first
    assert setup_secret(key, "token-b", None) != first
    assert setup_secret(key, "token-a", first) != first  # replacing gives a new one
    assert setup_secret(b"other key", "token-a", None) != first
    assert len(base64.b32decode(first)) == 20  # 160 bits, as RFC 4226 recommends


def test_recent_means_inside_the_window():
    window = timedelta(minutes=10)
    assert is_recent(NOW - timedelta(minutes=9), NOW, window)
    assert not is_recent(NOW - timedelta(minutes=10), NOW, window)
