"""peer_groups: monthly peer groups for young people in aftercare."""

import importlib
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from peer_groups import config
from peer_groups.config import MIN_SECRET_KEY_BYTES, ConfigurationError
from peer_groups.urls import IdConverter


def create_app(test_config=None):
    """Build the app: defaults, then the environment, then `test_config`."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    app.url_map.converters["int"] = IdConverter
    load_config(app, test_config)
    configure_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_hooks(app)
    register_commands(app)
    if app.config["PROXY_FIX_X_FOR"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"], x_proto=1)
    return app


def load_config(app, test_config):
    overrides = config.read_environment()
    env_name = (test_config or {}).get("APP_ENV") or overrides.get("APP_ENV") or "production"
    if env_name not in config.PROFILES:
        raise ConfigurationError(f"APP_ENV must be one of {', '.join(config.PROFILES)}.")
    app.config.from_object(config.PROFILES[env_name])
    app.config.update(overrides)
    app.config.from_prefixed_env("PEER_GROUPS")
    if test_config:
        app.config.update(test_config)
    app.config["APP_ENV"] = env_name

    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'peer_groups.sqlite'}"
    if not app.config.get("OUTBOX_DIR"):
        app.config["OUTBOX_DIR"] = str(instance / "outbox")
    # Query parameters never reach logs or error messages: they may hold personal data.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
        "hide_parameters": True,
    }
    if env_name == "production":
        check_production(app.config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = "development-only-not-secret"  # noqa: S105


def check_production(settings) -> None:
    """Refuse to run production on settings that would make it unsafe; say which, and why."""
    if not settings.get("PUBLIC_URL"):
        # Links in emails and text messages would come from the request's Host header.
        raise ConfigurationError("set PUBLIC_URL (the address people open, e.g. "
                                 "https://vertaisryhmat.example.fi) in production; see README.")
    if len((settings.get("SECRET_KEY") or "").encode()) < MIN_SECRET_KEY_BYTES:
        raise ConfigurationError(f"SECRET_KEY must be at least {MIN_SECRET_KEY_BYTES} bytes in "
                                 "production (make one: python -c 'import secrets; "
                                 "print(secrets.token_urlsafe(32))'); see README.")


def configure_logging(app):
    from peer_groups import logs

    logs.configure(app)


def register_extensions(app):
    from peer_groups import i18n
    from peer_groups.db import configure_engine
    from peer_groups.extensions import babel, csrf, db, limiter, login_manager, migrate

    importlib.import_module("peer_groups.models")  # every table on the metadata, for Alembic
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(
        app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True
    )
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = None
    login_manager.session_protection = None  # sessions are rows: see auth/sessions.py


# Every feature's blueprint, in registration order; each package's `blueprint()` loads its routes.
BLUEPRINTS = (
    "peer_groups.main", "peer_groups.auth", "peer_groups.account", "peer_groups.admin",
    "peer_groups.groups", "peer_groups.meetings", "peer_groups.suggestions",
    "peer_groups.feedback",
    "peer_groups.calendar", "peer_groups.invitations", "peer_groups.consent",
    "peer_groups.privacy", "peer_groups.workload", "peer_groups.reports",
    "peer_groups.group_messages",
    "peer_groups.notices",
    "peer_groups.offline",
    "peer_groups.pages",
    "peer_groups.sso",
    "peer_groups.passkeys",
)


def register_blueprints(app):
    from peer_groups import metrics
    from peer_groups.notifications import views as notifications

    for name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(name).blueprint())
    notifications.init_app(app)  # the development outbox: never in production
    metrics.init_app(app)  # /metrics: only when METRICS_TOKEN is set


def register_hooks(app):
    from peer_groups import assets, compression, errors, i18n, security, unit_of_work
    from peer_groups.auth import guards, link_requests, sessions
    from peer_groups.main import layout
    from peer_groups.notifications import services as outbox
    from peer_groups.passkeys import guards as passkey_guards

    unit_of_work.init_app(app)
    compression.init_app(app)  # first, so that it runs last, on the finished answer
    sessions.init_app(app)
    guards.init_app(app)
    passkey_guards.init_app(app)  # after the second factor's guard: it asks first
    security.init_app(app)
    assets.init_app(app)
    errors.init_app(app)
    i18n.init_app(app)
    layout.init_app(app)
    # "Send me a link" becomes a message in the worker, so it takes the same time for everyone.
    outbox.answer_first(app, link_requests.answer_waiting)

    from peer_groups.notifications.channels import how_told
    from peer_groups.permissions import can

    app.jinja_env.globals["can"] = can
    app.jinja_env.globals["how_told"] = how_told  # "here in the app", "by text message to …"


def register_commands(app):
    from peer_groups import cli

    cli.init_app(app)
