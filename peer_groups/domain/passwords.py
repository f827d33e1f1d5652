"""The password rules: long enough, not too long, not one everybody uses."""

from collections.abc import Container
from enum import StrEnum

MIN_LENGTH = 8
MAX_LENGTH = 128


class PasswordProblem(StrEnum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    TOO_COMMON = "too_common"
    CONTAINS_NAME = "contains_name"


def password_problems(
    password: str, common: Container[str], personal: tuple[str, ...] = ()
) -> list[PasswordProblem]:
    """Every rule the password breaks; an empty list means it is fine.

    Spaces and any characters are allowed (ASVS 2.1), so long passphrases work.
    """
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(PasswordProblem.TOO_SHORT)
    if len(password) > MAX_LENGTH:
        problems.append(PasswordProblem.TOO_LONG)
    if password.lower() in common or password.lower().strip() in common:
        problems.append(PasswordProblem.TOO_COMMON)
    lowered = password.lower()
    if any(len(word) >= 4 and word.lower() in lowered for word in personal if word):
        problems.append(PasswordProblem.CONTAINS_NAME)
    return problems
