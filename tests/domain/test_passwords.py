from hypothesis import given
from hypothesis import strategies as st

from peer_groups.domain.passwords import MAX_LENGTH, MIN_LENGTH, PasswordProblem, password_problems

COMMON = frozenset({"password1", "qwertyuiop", "salasana"})


def test_a_long_uncommon_passphrase_is_fine():
    assert password_problems("kolme pientä porsasta", COMMON) == []


def test_short_long_and_common_passwords_are_refused():
    assert password_problems("abc", COMMON) == [PasswordProblem.TOO_SHORT]
    assert password_problems("x" * (MAX_LENGTH + 1), COMMON) == [PasswordProblem.TOO_LONG]
    assert password_problems("Password1", COMMON) == [PasswordProblem.TOO_COMMON]


def test_the_persons_own_name_is_refused():
    assert password_problems("ainovirtanen99", COMMON, ("Virtanen",)) == [
        PasswordProblem.CONTAINS_NAME
    ]
    # Short fragments (initials) are not a problem.
    assert password_problems("a long walk home", COMMON, ("Al",)) == []


@given(st.text(min_size=MIN_LENGTH, max_size=MAX_LENGTH).filter(lambda p: p.lower() not in COMMON))
def test_any_uncommon_password_of_allowed_length_passes(password):
    assert password_problems(password, COMMON) == []


@given(st.text(max_size=MIN_LENGTH - 1))
def test_every_short_password_is_too_short(password):
    assert PasswordProblem.TOO_SHORT in password_problems(password, COMMON)
