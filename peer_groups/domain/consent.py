"""Consent: specific to a purpose, tied to the exact text version, withdrawable at any time."""

from dataclasses import dataclass
from enum import StrEnum


class Purpose(StrEnum):
    ATTENDANCE = "attendance"  # recording my attendance by name
    REMINDERS = "reminders"  # sending me reminders
    DIETARY = "dietary"  # keeping my dietary needs for snack planning


class ConsentState(StrEnum):
    GIVEN = "given"
    REFUSED = "refused"
    NOT_ASKED = "not_asked"
    ASK_AGAIN = "ask_again"  # the text changed: answer again


@dataclass(frozen=True)
class TextVersion:
    version: int
    minor: bool  # the admin marked the change as minor: earlier consents still stand


@dataclass(frozen=True)
class Answer:
    given: bool
    version: int


def consent_state(latest: Answer | None, versions: list[TextVersion]) -> ConsentState:
    """Where a person stands on one purpose, given their latest answer and the text versions."""
    if latest is None:
        return ConsentState.NOT_ASKED
    newer = [v for v in versions if v.version > latest.version]
    if not newer:
        return ConsentState.GIVEN if latest.given else ConsentState.REFUSED
    if not latest.given:
        return ConsentState.REFUSED
    return ConsentState.ASK_AGAIN


def consent_stands(latest: Answer | None, versions: list[TextVersion]) -> bool:
    """May we act on this purpose now? Only with a yes to the current text, or to an older
    text when every change since was marked minor."""
    if latest is None or not latest.given:
        return False
    newer = [v for v in versions if v.version > latest.version]
    return all(v.minor for v in newer)


def needs_answer(latest: Answer | None, versions: list[TextVersion]) -> bool:
    """Should the app ask this person (again) the next time they open it?"""
    return consent_state(latest, versions) in (ConsentState.NOT_ASKED, ConsentState.ASK_AGAIN)


SMALL_NUMBER = 5


def suppressed(count: int, threshold: int = SMALL_NUMBER) -> str:
    """A count for people outside the group: below the threshold it shows only as "< 5"."""
    return f"< {threshold}" if 0 < count < threshold else str(count)
