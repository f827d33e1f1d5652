"""peer_groups: monthly peer groups for young people in aftercare."""

import logging
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from peer_groups import config
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
        raise RuntimeError(f"APP_ENV must be one of {', '.join(config.PROFILES)}")
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
    if env_name == "production" and not (app.config["TRUSTED_HOSTS"] or app.config["PUBLIC_URL"]):
        # Links in emails are built from the request's host: never let a forged Host choose it.
        raise RuntimeError("Set TRUSTED_HOSTS or PUBLIC_URL in production (see README).")
    if not app.config.get("SECRET_KEY"):
        if env_name == "production":
            raise RuntimeError("SECRET_KEY must be set in production (see README).")
        app.config["SECRET_KEY"] = "development-only-not-secret"  # noqa: S105


def configure_logging(app):
    app.logger.setLevel(app.config["LOG_LEVEL"])
    logging.getLogger("peer_groups").setLevel(app.config["LOG_LEVEL"])


def register_extensions(app):
    from peer_groups import (
        i18n,
        models,  # noqa: F401 - every table on the metadata, for Alembic
    )
    from peer_groups.db import configure_engine
    from peer_groups.extensions import babel, csrf, db, limiter, login_manager, migrate

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


def register_blueprints(app):
    from peer_groups.account.views import bp as account_bp
    from peer_groups.admin import audit_views, consent_views  # noqa: F401 - admin routes
    from peer_groups.admin.views import bp as admin_bp
    from peer_groups.attendance import views as register_views  # noqa: F401 - register routes
    from peer_groups.auth import two_factor_views  # noqa: F401 - second-factor routes
    from peer_groups.auth.views import bp as auth_bp
    from peer_groups.calendar.views import bp as calendar_bp
    from peer_groups.consent.views import bp as consent_bp
    from peer_groups.groups.views import bp as groups_bp
    from peer_groups.invitations.views import bp as invitations_bp
    from peer_groups.main.views import bp as main_bp
    from peer_groups.meetings import plan_views  # noqa: F401 - adds the plan routes
    from peer_groups.meetings.views import bp as meetings_bp
    from peer_groups.notifications import views as notifications_views
    from peer_groups.privacy.views import bp as privacy_bp
    from peer_groups.reports.views import bp as reports_bp
    from peer_groups.signups import views as signup_views  # noqa: F401 - adds sign-up routes
    from peer_groups.suggestions.views import bp as suggestions_bp
    from peer_groups.workload import settings_views  # noqa: F401 - settings routes
    from peer_groups.workload.views import bp as workload_bp

    blueprints = (main_bp, auth_bp, account_bp, admin_bp, groups_bp, meetings_bp,
                  suggestions_bp, calendar_bp, invitations_bp, consent_bp, privacy_bp,
                  workload_bp, reports_bp)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    notifications_views.init_app(app)


def register_hooks(app):
    from peer_groups import assets, compression, errors, i18n, security, unit_of_work
    from peer_groups.auth import guards, sessions

    unit_of_work.init_app(app)
    compression.init_app(app)  # first, so that it runs last, on the finished answer
    sessions.init_app(app)
    guards.init_app(app)
    security.init_app(app)
    assets.init_app(app)
    errors.init_app(app)
    i18n.init_app(app)

    from peer_groups.permissions import can

    app.jinja_env.globals["can"] = can


def register_commands(app):
    from peer_groups import cli

    cli.init_app(app)
