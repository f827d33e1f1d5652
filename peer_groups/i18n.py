"""Languages: Finnish by default, Swedish and English; dates in Europe/Helsinki."""

from flask import current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal, format_time, get_locale
from flask_login import current_user

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


def init_app(app):
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt)
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt)
    app.jinja_env.filters["time"] = lambda value, fmt="short": format_time(value, fmt)
    # Hours and the like: "7,5" in Finnish, no needless ",00".
    app.jinja_env.filters["decimal"] = lambda value: format_decimal(value, "#,##0.##")
    app.jinja_env.filters["suppressed"] = lambda count: suppressed(
        count, app.config["SMALL_NUMBER_THRESHOLD"])

    @app.context_processor
    def language_context():
        return {
            "language_names": LANGUAGE_NAMES,
            "current_language": str(get_locale() or app.config["BABEL_DEFAULT_LOCALE"]),
        }
