"""Languages: Finnish by default, Swedish and English; dates in Europe/Helsinki; numbers,
euros and months as the person's language writes them (7,50 · 35,00 € · joulukuu 2026)."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import current_app, has_request_context, request, session
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    format_time,
    get_locale,
    get_timezone,
    get_translations,
)
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

from peer_groups.domain.consent import suppressed
from peer_groups.domain.languages import IN_LANGUAGE

LANGUAGE_NAMES = IN_LANGUAGE


def select_locale():
    """The user's saved language, else this browser's choice, else the browser's own."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


def _decimal(value) -> Decimal:
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


def hours(value, places: int = 2) -> str:
    """Hours (or any amount) to a fixed number of decimals, halves up: 7,50 / 7.50."""
    step = Decimal(1).scaleb(-places)
    rounded = _decimal(value).quantize(step, rounding=ROUND_HALF_UP)
    return _formatted_decimal(language(), str(rounded), places)


# A page writes the same few numbers and months many times over (a workload page, hundreds):
# each is worked out once per language. Keyed by the number's exact text (so 0 and -0 stay
# apart), the text depends on nothing else: the caches are safe to share.
@lru_cache(maxsize=8192)
def _formatted_decimal(locale, value: str, places: int) -> str:
    return babel_numbers.format_decimal(
        Decimal(value), format="#,##0." + "0" * places if places else "#,##0", locale=locale)


def number(value) -> str:
    """A count or a setting as written in the language: 0,7 / 0.7; 1 234 / 1,234."""
    return remembered(("number", type(value), str(value)), lambda: format_decimal(value))


def language() -> str | None:
    """The page's language as its name (fi, sv, en), for the caches' keys: each request has
    its own Locale object, and comparing two of them is slower than writing most numbers."""
    locale = get_locale()
    known = LANGUAGES_SEEN.get(id(locale))
    if known is None or known[0] is not locale:  # the entry keeps its Locale, so no id reuse
        if len(LANGUAGES_SEEN) >= 64:
            LANGUAGES_SEEN.clear()
        known = LANGUAGES_SEEN[id(locale)] = (locale, None if locale is None else str(locale))
    return known[1]


LANGUAGES_SEEN: dict[int, tuple] = {}
REMEMBERED: dict = {}
REMEMBER_AT_MOST = 16384


def remembered(key: tuple, make):
    """The text `make()` gives for `key` in the page's language (and time zone), made once;
    `key` must hold everything else the text depends on, exactly (a number's type and text)."""
    key = (language(), get_timezone(), *key)
    text = REMEMBERED.get(key)
    if text is None:
        if len(REMEMBERED) >= REMEMBER_AT_MOST:
            REMEMBERED.clear()
        text = REMEMBERED[key] = make()
    return text


def money(value) -> str:
    """Euros: 35,00 € in Finnish and Swedish, €35.00 in English."""
    return _formatted_money(language(), str(_decimal(value)))


@lru_cache(maxsize=8192)
def _formatted_money(locale, value: str) -> str:
    return babel_numbers.format_currency(Decimal(value), "EUR", locale=locale)


def share(value) -> str:
    """A share as a percentage: 70 % / 70%."""
    return format_percent(value)


def month_name(month: tuple[int, int]) -> str:
    """A (year, month) in words: joulukuu 2026, december 2026, December 2026."""
    return _month_text(language(), month, "LLLL y")


def month_short(month: tuple[int, int]) -> str:
    """A month in a few letters, for a chart's axis: joulu, dec., Dec."""
    return _month_text(language(), month, "LLL")


@lru_cache(maxsize=4096)
def _month_text(locale, month: tuple[int, int], pattern: str) -> str:
    return babel_dates.format_date(date(month[0], month[1], 1), pattern, locale=locale)


def kept_format(kind: str, format_, default: str):
    """A Flask-Babel date or time formatter whose text is made once per value (`remembered`);
    None, Flask-Babel's "now", is not a value to keep."""
    def text(value, fmt=default) -> str:
        if value is None:
            return format_(value, fmt)
        return remembered((kind, type(value), value, fmt), lambda: format_(value, fmt))
    return text


# In Helsinki time, as the language writes them: 5.12.2026 / Dec 5, 2026; 18.00 / 6:00 PM.
date_text = kept_format("date", format_date, "medium")
time_text = kept_format("time", format_time, "short")
datetime_text = kept_format("datetime", format_datetime, "medium")


def machine_time(value) -> str:
    """A date or moment for `<time datetime>`: ISO 8601 to the whole second, because HTML
    allows at most three digits of a fraction and Python writes six."""
    if isinstance(value, datetime):
        value = value.replace(microsecond=0)
    return value.isoformat()


def init_app(app):
    for name, function in (("hours", hours), ("number", number), ("money", money),
                           ("share", share), ("month_name", month_name)):
        app.jinja_env.filters[name] = function
    app.jinja_env.filters["datetime"] = datetime_text
    app.jinja_env.filters["date"] = date_text
    app.jinja_env.filters["time"] = time_text
    app.jinja_env.filters["iso"] = machine_time
    # Hours and the like: "7,5" in Finnish, no needless ",00".
    app.jinja_env.filters["decimal"] = lambda value: format_decimal(value, "#,##0.##")
    app.jinja_env.filters["suppressed"] = lambda count: suppressed(
        count, app.config["SMALL_NUMBER_THRESHOLD"])

    app.context_processor(page_translations)

    @app.context_processor
    def language_context():
        return {
            "language_names": LANGUAGE_NAMES,
            "current_language": str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"]),
        }


def page_translations() -> dict:
    """`gettext` and `ngettext` (and so `_`) for one page, bound to its language once.

    Flask-Babel's own look up the request, the locale and its cache again for each of a page's
    hundred strings; these are made when the page is (so a message made under `force_locale`
    gets its own language). Imported macros, which see no page context, still use Flask-Babel's.
    Same behaviour as Jinja's "newstyle" gettext: autoescaped, always %-formatted.
    """
    translations = get_translations()

    @pass_context
    def gettext(context, string, **variables):
        return as_page_text(context, translations.ugettext(string)) % variables

    @pass_context
    def ngettext(context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        return as_page_text(context, translations.ungettext(singular, plural, num)) % variables

    return {"gettext": gettext, "ngettext": ngettext}


def as_page_text(context, text: str):
    """Our own catalog's text is trusted, as Jinja trusts it; `%` then escapes the variables."""
    return Markup(text) if context.eval_ctx.autoescape else text  # noqa: S704 # nosec B704
