"""Hostile and plausible values for form fields, URL parameters and query strings.

A form body mixes the two: most examples are plausible except for one or a few fields, so the
fuzzer reaches the code behind the validators as well as the validators themselves.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import strategies as st
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectFieldBase,
    TimeField,
)
from wtforms.validators import Length, NumberRange, Optional

from peer_groups.forms import CheckboxesField
from tests.factories import PASSWORD


@dataclass(frozen=True)
class Ref:
    """An id from the world, by name ("A.group"), filled in when the request is made."""

    name: str


# Ids that exist nowhere, or cannot exist: zero, huge, beyond 32 and 64 bits.
ABSENT_IDS = (0, 999_999, 2**31, 2**63 - 1, 2**63, 10**30)

SPECIAL_TEXT = (
    "", " ", "\x00", "a\x00b", "\u200b", "\u200f\u202eevil", "\ufeff", "e\u0301", "\r\n",
    "\t", "'", '"', "' OR 1=1 --", "<script>alert(1)</script>", "{{7*7}}", "%s%n", "\\",
    "../../etc/passwd", "🙂" * 10, "\U0010ffff", "Ω" * 81, "NaN", "Infinity", "-0", "1e309",
    "0x10", "١٢٣", "true", "null", "None", "[]", "{}", "//evil.example", "https://evil.example",
    "/\\evil.example", "javascript:alert(1)",
)
BAD_DATES = ("2024-02-30", "2023-02-29", "0000-00-00", "0001-01-01", "9999-12-31",
             "10000-01-01", "2025-13-01", "2025-1-1", "31.12.2025", "2025-12-31T25:00",
             "-2025-01-01", "2025-W01")
BAD_TIMES = ("24:00", "23:60", "25:00", "-1:00", "12", "12:00:00", "99:99", "07:5", "noon")
PIECES = ("a", "ä", "0", "\u200b", "🙂", "<", "\x00")
SIZES = (81, 121, 255, 4001, 100_000)  # just over the limits, and 100 KB


def numbers_as_text():
    return st.one_of(
        st.integers().map(str),
        st.sampled_from(ABSENT_IDS).map(str),
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
        st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    )


def huge_text():
    return st.builds(lambda piece, size: piece * size, st.sampled_from(PIECES),
                     st.sampled_from(SIZES))


# Anything a browser, a bot or a person pasting from elsewhere might send.
HOSTILE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(SPECIAL_TEXT),
    huge_text(),
    numbers_as_text(),
    st.sampled_from(BAD_DATES + BAD_TIMES),
    st.sampled_from(("A.group", "B.group", "B.youth", "A.youth", "B.meeting")).map(Ref),
)


def friendly_text(min_size=1, max_size=30):
    letters = st.characters(categories=("L", "N", "Zs", "P", "So"), exclude_characters="\x00")
    return st.text(letters, min_size=min_size, max_size=max_size).filter(str.strip)


def within(field, low=None, high=None):
    for validator in field.kwargs.get("validators", ()):
        if isinstance(validator, NumberRange):
            low = validator.min if validator.min is not None else low
            high = validator.max if validator.max is not None else high
        if isinstance(validator, Length) and validator.max and validator.max > 0:
            high = validator.max
    return low, high


def plausible(name, field, refs):
    """A value the form would accept, guessed from the field's type and validators; an
    optional field is often left blank."""
    value = typed_value(name, field, refs)
    if any(isinstance(v, Optional) for v in field.kwargs.get("validators", ())):
        return st.one_of(st.none(), value)
    return value


def typed_value(name, field, refs):
    kind = field.field_class
    low, high = within(field)
    if issubclass(kind, CheckboxesField):
        return st.lists(choice_values(field, refs), max_size=4)
    if issubclass(kind, SelectFieldBase) or issubclass(kind, RadioField):
        return choice_values(field, refs)
    if issubclass(kind, BooleanField):
        return st.sampled_from(["y", "1", "on", None])
    if issubclass(kind, IntegerField):
        return st.integers(int(low if low is not None else 0),
                           int(high if high is not None else 500)).map(str)
    if issubclass(kind, DecimalField):
        low = float(low) if low is not None else 0
        high = float(high) if high is not None else 100
        return st.decimals(low, high, places=2).map(lambda d: str(d).replace(".", ","))
    if issubclass(kind, DateField):
        return st.integers(-30, 400).map(lambda d: (date.today() + timedelta(days=d)).isoformat())
    if issubclass(kind, TimeField):
        return st.tuples(st.integers(0, 23), st.integers(0, 59)).map(
            lambda hm: f"{hm[0]:02d}:{hm[1]:02d}")
    if issubclass(kind, EmailField) or name == "email":
        return st.from_regex(r"\A[a-z]{1,12}\.[a-z]{1,12}@example\.fi\Z")
    if name == "phone":
        return st.from_regex(r"\A\+3584[0-9]{8}\Z")
    if name == "username":
        return st.from_regex(r"\A[a-z][a-z0-9._-]{3,20}\Z")
    if issubclass(kind, PasswordField):
        return st.one_of(st.just(PASSWORD), st.just("another long pass phrase 7"),
                         friendly_text(8, 40))
    return friendly_text(1, min(high or 30, 30))


def choice_values(field, refs):
    choices = field.kwargs.get("choices") or (field.args[1] if len(field.args) > 1 else None)
    values = [str(c[0]) if isinstance(c, tuple) else str(c.value if hasattr(c, "value") else c)
              for c in (choices or [])]
    options = [st.sampled_from(values)] if values else []
    if field.kwargs.get("coerce") is int or not values:
        options.append(st.sampled_from(refs).map(Ref))
        options.append(st.just("0"))
    return st.one_of(options)


@dataclass(frozen=True)
class Fields:
    """How to fill each field: (plausible strategy, hostile strategy) by name."""

    fields: dict

    @classmethod
    def of(cls, form_class, refs, prefix="", extra=None):
        fields = {}
        for name, unbound in vars(form_class).items():
            if name.startswith("_") or not hasattr(unbound, "field_class"):
                continue
            fields[prefix + name] = (plausible(name, unbound, refs), HOSTILE)
        for base in form_class.__mro__[1:]:
            for name, unbound in vars(base).items():
                if hasattr(unbound, "field_class") and prefix + name not in fields:
                    fields[prefix + name] = (plausible(name, unbound, refs), HOSTILE)
        fields.pop(prefix + "csrf_token", None)
        for name, values in (extra or {}).items():
            fields[name] = (values, HOSTILE)
        return cls(fields)

    def __add__(self, other):
        return Fields({**self.fields, **other.fields})


@st.composite
def form_body(draw, fields: Fields):
    """A list of (name, value) pairs: duplicates, missing and extra fields included."""
    names = sorted(fields.fields)
    mode = draw(st.sampled_from(("plausible", "one", "some", "all")))
    if mode == "plausible" or not names:
        hostile = set()
    elif mode == "one":
        hostile = {draw(st.sampled_from(names))}
    elif mode == "some":
        hostile = set(draw(st.lists(st.sampled_from(names), max_size=len(names))))
    else:
        hostile = set(names)
    pairs = []
    for name in names:
        good, bad = fields.fields[name]
        if name not in hostile:
            value = draw(good)
            if isinstance(value, list):
                pairs.extend((name, one) for one in value)
            elif value is not None:
                pairs.append((name, value))
            continue
        how = draw(st.sampled_from(("value", "value", "missing", "twice", "list")))
        if how == "value":
            pairs.append((name, draw(bad)))
        elif how == "twice":
            pairs += [(name, draw(good)), (name, draw(bad))]
        elif how == "list":
            pairs += [(name, value) for value in draw(st.lists(bad, min_size=2, max_size=4))]
    extra = draw(st.lists(st.tuples(st.one_of(st.sampled_from(names or ["x"]), st.text(max_size=8)),
                                    HOSTILE), max_size=2))
    return pairs + extra


def ids(*names, absent=True):
    """A URL id: one of the named world objects, or an id that exists nowhere."""
    options = [st.sampled_from(names).map(Ref)] if names else []
    if absent:
        options.append(st.sampled_from(ABSENT_IDS))
    return st.one_of(options)


def query_values():
    return st.one_of(HOSTILE, st.sampled_from(("2025-01", "2025-12", "2025-01-01",
                                                      "2026-06-30", "1", "fi", "sv", "en")))
