"""Configuration: defaults here, then the environment, then a test dict.

Every environment variable the app reads is listed in `ENVIRONMENT_VARIABLES` and in the README.
"""

import os
from datetime import timedelta

from peer_groups.domain import languages

# Unprefixed names an operator expects to set; anything else can be set as PEER_GROUPS_<KEY>.
ENVIRONMENT_VARIABLES = {
    "APP_ENV": str,
    "SECRET_KEY": str,
    "DATABASE_URL": str,
    "TRUSTED_HOSTS": list,
    "PUBLIC_URL": str,
    "RATELIMIT_STORAGE_URI": str,
    "MAIL_BACKEND": str,
    "SMS_BACKEND": str,
    "MAIL_FROM": str,
    "SMTP_HOST": str,
    "SMTP_PORT": int,
    "SMTP_USERNAME": str,
    "SMTP_PASSWORD": str,
    "SMTP_STARTTLS": bool,
    "OUTBOX_DIR": str,
    "PROXY_FIX_X_FOR": int,
    "LOG_LEVEL": str,
    "REMINDERS": str,
    "RETENTION_MONTHS": int,
    "DIETARY_IDLE_DAYS": int,
    "AFTERCARE_GRACE_DAYS": int,
    "OUTBOX_RETENTION_DAYS": int,
    "NOTICE_RETENTION_DAYS": int,
    "INACTIVE_ACCOUNT_MONTHS": int,
    "ACCOUNT_REMOVAL_NOTICE_DAYS": int,
    "SMALL_NUMBER_THRESHOLD": int,
    "GROUP_MESSAGES_PER_HOUR": int,
    "REGISTER_REOPEN_DAYS": int,
    "FEEDBACK_DAYS": int,
    "COMPRESS_RESPONSES": bool,
    "BACKUP_DIR": str,
    "MAX_CONTENT_LENGTH": int,
    "METRICS_TOKEN": str,
    "LOG_FORMAT": str,
    "SSO_HTTP_TIMEOUT": int,
    "SSO_METADATA_CACHE_SECONDS": int,
    "PASSKEY_RP_ID": str,
}

# Production's SECRET_KEY signs sessions and links: at least this long, as secrets.token_* make.
MIN_SECRET_KEY_BYTES = 32


class ConfigurationError(RuntimeError):
    """Settings the app refuses to run with; its text is one line for the operator."""


class Defaults:
    APP_ENV = "production"  # production | development | testing
    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = None  # set from DATABASE_URL or instance/peer_groups.sqlite
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    TRUSTED_HOSTS = None
    PUBLIC_URL = None
    LOG_LEVEL = "INFO"
    LOG_FORMAT = "text"  # or "json": one JSON object a line, with the request id
    METRICS_TOKEN = None  # set it to serve /metrics to a scraper that sends it
    PROXY_FIX_X_FOR = 0
    # No form or upload needs more; a bigger body gets a kind 413 page before it is read.
    MAX_CONTENT_LENGTH = 256 * 1024

    # Sessions: the cookie only holds an opaque session token; the row decides.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-session"
    PERMANENT_SESSION_LIFETIME = timedelta(days=30)
    STAFF_IDLE_TIMEOUT = timedelta(minutes=30)
    STAFF_ABSOLUTE_TIMEOUT = timedelta(hours=12)
    YOUTH_IDLE_TIMEOUT = timedelta(hours=2)
    YOUTH_ABSOLUTE_TIMEOUT = timedelta(days=1)
    REMEMBERED_IDLE_TIMEOUT = timedelta(days=30)
    REMEMBERED_ABSOLUTE_TIMEOUT = timedelta(days=90)
    # Email, password, second factor, consent texts and roles need the password this recently.
    REAUTHENTICATION_WINDOW = timedelta(minutes=10)
    # The name authenticator apps show next to the code.
    TOTP_ISSUER = "Vertaisryhmat"
    # Single sign-on: seconds to wait for an identity provider, how long its discovery document
    # and keys are kept, and the clock difference allowed on its ID tokens.
    SSO_HTTP_TIMEOUT = 5
    SSO_METADATA_CACHE_SECONDS = 3600
    SSO_LEEWAY = 60
    # Passkeys: the relying party id (None: the host of PUBLIC_URL), the name a phone shows
    # beside the passkey, and how long a browser has to answer a challenge.
    PASSKEY_RP_ID = None
    PASSKEY_RP_NAME = "Vertaisryhmät"
    PASSKEY_CHALLENGE_LIFETIME = timedelta(minutes=5)

    # Sign-in limits: per account in the database, per IP address through Flask-Limiter.
    ACCOUNT_FAILURE_LIMIT = 10
    ACCOUNT_FAILURE_WINDOW = timedelta(minutes=15)
    # Explicit: Flask-Limiter's one shared Limiter would otherwise keep the last app's setting.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_SIGN_IN = "20 per minute;100 per hour"
    RATELIMIT_HEADERS_ENABLED = False

    # One-time links.
    SIGN_IN_LINK_LIFETIME = timedelta(minutes=30)
    PASSWORD_RESET_LIFETIME = timedelta(hours=1)
    SET_PASSWORD_LIFETIME = timedelta(days=7)
    # The link that finishes joining a group (it also shows the email or phone is theirs).
    JOIN_LINK_LIFETIME = timedelta(hours=24)
    # The code that confirms a new email or phone number: how long it works, how many tries.
    CONTACT_CODE_LIFETIME = timedelta(minutes=15)
    CONTACT_CODE_ATTEMPTS = 5

    # argon2id parameters (OWASP minimum or above); tests lower them.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4

    # Languages and time.
    LANGUAGES = languages.LANGUAGES
    BABEL_DEFAULT_LOCALE = languages.DEFAULT
    BABEL_DEFAULT_TIMEZONE = "Europe/Helsinki"

    # Outbox.
    MAIL_BACKEND = "file"  # file | smtp
    SMS_BACKEND = "file"  # file
    MAIL_FROM = "peer-groups@localhost"
    SMTP_HOST = "localhost"
    SMTP_PORT = 587
    SMTP_USERNAME = None
    SMTP_PASSWORD = None
    SMTP_STARTTLS = True
    OUTBOX_DIR = None  # default: instance/outbox
    OUTBOX_MAX_ATTEMPTS = 5
    OUTBOX_DELIVER_AFTER_REQUEST = False

    # Retention (flask privacy purge).
    RETENTION_MONTHS = 24
    DIETARY_IDLE_DAYS = 180
    AFTERCARE_GRACE_DAYS = 90
    OUTBOX_RETENTION_DAYS = 90  # sent messages (already without their text), then deleted
    NOTICE_RETENTION_DAYS = 180  # a young person's notices in the app, read or not
    # Young people's accounts with no sign-in and no sign-up for this long, or with no birth
    # year, are told, then removed this many days later unless they come back.
    INACTIVE_ACCOUNT_MONTHS = 12
    ACCOUNT_REMOVAL_NOTICE_DAYS = 30
    SMALL_NUMBER_THRESHOLD = 5
    # A worker's messages to a group or a meeting's people: at most this many an hour.
    GROUP_MESSAGES_PER_HOUR = 5
    # A closed attendance register can be reopened for corrections this long after the meeting.
    REGISTER_REOPEN_DAYS = 14
    # Young people can say how a held meeting was for this long after it.
    FEEDBACK_DAYS = 7

    # Reminders: name=days before@local time, Europe/Helsinki.
    REMINDERS = "day_before=1@12:00,same_day=0@09:00"

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    # gzip by the app itself (Flask-Compress); peer_groups/compression.py explains why it is
    # safe with CSRF tokens over TLS. Streamed answers too: the library leaves gzip out for them.
    COMPRESS_RESPONSES = True
    COMPRESS_ALGORITHM = ["gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["gzip"]
    COMPRESS_MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript",
                          "image/svg+xml", "text/csv", "application/json", "text/calendar"]
    COMPRESS_MIN_SIZE = 500  # smaller answers fit in one packet anyway
    COMPRESS_LEVEL = 6

    # flask backup / flask restore.
    BACKUP_DIR = None  # default: instance/backups


class Development(Defaults):
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_NAME = "session"
    OUTBOX_DELIVER_AFTER_REQUEST = True


class Testing(Development):
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    OUTBOX_DELIVER_AFTER_REQUEST = False
    RATELIMIT_ENABLED = False


PROFILES = {"production": Defaults, "development": Development, "testing": Testing}


def read_environment(environ=os.environ):
    """The known unprefixed variables that are set, converted to their types."""
    values = {}
    for name, kind in ENVIRONMENT_VARIABLES.items():
        raw = environ.get(name)
        if raw is None or raw == "":
            continue
        if kind is list:
            values[name] = [part.strip() for part in raw.split(",") if part.strip()]
        elif kind is bool:
            values[name] = raw.strip().lower() in {"1", "true", "yes", "on"}
        elif kind is int:
            values[name] = int(raw)
        else:
            values[name] = raw
    if "DATABASE_URL" in values:
        values["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(values.pop("DATABASE_URL"))
    return values


def normalise_database_url(url):
    """Accept the usual postgres:// forms and use psycopg 3 for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
