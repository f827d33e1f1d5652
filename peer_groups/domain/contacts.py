"""A person's own email and phone number: the rules, with no Flask and no database.

- Phone numbers are kept in the international form (+358401234567), whatever was typed
  (040 123 4567, +358 40 123 4567, 00358…).
- The "how you will be told" texts show an address or number masked (a…@example.fi,
  040 … 67): a screen may be seen over a shoulder.
- A new address or number waits, unconfirmed, until the code sent to it is typed back: a
  code works a limited time and for a limited number of tries.
"""

import re
from datetime import datetime, timedelta
from enum import StrEnum

# What may be typed: digits, spaces, dashes, brackets and dots, one leading + (or 00).
TYPED_PHONE = re.compile(r"\+?[0-9 ().-]{6,24}")
# E.164: a country code and at most 15 digits in all; a Finnish number has 7 to 12 after +358
# (09 123 456 to the longest mobile numbers), so "040 12" is not taken for one.
INTERNATIONAL = re.compile(r"\+[1-9][0-9]{7,14}")
FINLAND = "+358"
FINNISH = re.compile(r"\+358[0-9]{7,12}")
CODE_DIGITS = 6


class NotifyBy(StrEnum):
    """How news and reminders reach a person (they can always read them in the app)."""

    APP = "app"
    EMAIL = "email"
    SMS = "sms"


class CodeProblem(StrEnum):
    NO_CODE = "no_code_waiting"
    EXPIRED = "code_expired"
    TOO_MANY = "too_many_tries"
    WRONG = "wrong_code"


def normalise_phone(typed: str) -> str | None:
    """The number in the international form, or None if it cannot be a phone number."""
    typed = (typed or "").strip()
    if not TYPED_PHONE.fullmatch(typed):
        return None
    digits = ("+" if typed.startswith("+") else "") + "".join(c for c in typed if c.isdigit())
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = FINLAND + digits[1:]
    pattern = FINNISH if digits.startswith(FINLAND) else INTERNATIONAL
    return digits if pattern.fullmatch(digits) else None


def normalise_email(typed: str) -> str:
    return (typed or "").strip().lower()


# Masked addresses are read as one word: a narrow phone must not break "040 … 67" or "a…@".
NO_BREAK_SPACE, WORD_JOINER = "\u00a0", "\u2060"


def mask_email(email: str) -> str:
    """aino.aalto@example.fi -> a…@example.fi"""
    local, _, domain = email.partition("@")
    return f"{local[:1]}…{WORD_JOINER}@{domain}"


def mask_phone(phone: str) -> str:
    """+358401234567 -> 040 … 67; other countries keep their code: +46701234567 -> +46 … 67."""
    shown = "0" + phone[len(FINLAND):] if phone.startswith(FINLAND) else phone
    return f"{shown[:3]}{NO_BREAK_SPACE}…{NO_BREAK_SPACE}{shown[-2:]}"


def readable_phone(phone: str) -> str:
    """+358401234567 -> 040 123 4567, as Finns write it; other countries as stored."""
    if not phone.startswith(FINLAND):
        return phone
    local = "0" + phone[len(FINLAND):]
    return f"{local[:3]} {local[3:6]} {local[6:]}".strip()


def code_problem(*, expires_at: datetime | None, attempts: int, max_attempts: int,
                 matches: bool, now: datetime) -> CodeProblem | None:
    """Why a typed code is refused, or None when it confirms the address.

    A code that ran out of time or tries is refused even when it is right: only a new code
    (sent again to the same address) confirms it then.
    """
    if expires_at is None:
        return CodeProblem.NO_CODE
    if expires_at <= now:
        return CodeProblem.EXPIRED
    if attempts >= max_attempts:
        return CodeProblem.TOO_MANY
    return None if matches else CodeProblem.WRONG


def may_send_again(last_sent_at: datetime | None, same_value: bool, now: datetime,
                   pause: timedelta) -> bool:
    """A new code to the same address at most once a `pause`; a corrected address at once."""
    return last_sent_at is None or not same_value or now - last_sent_at >= pause
