"""Who aftercare is for, by birth year, and the usernames the service makes for people."""

import unicodedata

# Peer groups are for young people from 16 (docs/glossary.md) to the area's upper age.
MIN_AGE = 16
USERNAME_BASE_LENGTH = 20


def birth_years(this_year: int, upper_age: int) -> tuple[int, int]:
    """The oldest and the youngest birth year that fit aftercare this year, both included.

    The purge removes an account once birth year + upper age falls behind the current year
    (plus a grace), so someone turning `upper_age` this year may still join.
    """
    return this_year - upper_age, this_year - MIN_AGE


def username_base(display_name: str) -> str:
    """A short, typeable start for a username from the person's name: 'Äijä Ö' -> 'aija.o'."""
    plain = unicodedata.normalize("NFKD", display_name).encode("ascii", "ignore").decode()
    words = ["".join(ch for ch in word.lower() if ch.isalnum()) for word in plain.split()]
    base = ".".join(word for word in words if word)[:USERNAME_BASE_LENGTH].strip(".")
    return base or "member"


def username(base: str, number: int) -> str:
    """The base with a number that makes it the person's own: 'aino' + 42 -> 'aino.0042'."""
    return f"{base}.{number:04d}"
