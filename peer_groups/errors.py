"""Error pages that help and never leak: no tracebacks, an incident id for the 500 page."""

import logging
import secrets
import traceback

from flask import Response, jsonify, make_response, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError

from peer_groups.db import db, is_contention

log = logging.getLogger(__name__)


def wants_json():
    return request.path.endswith(".json") or request.path == "/healthz"


def render_error(status, title, message, **context):
    if wants_json():
        return jsonify({"error": title}), status
    if request_ctx.url_adapter is None:
        # The Host header was refused (TRUSTED_HOSTS): no link can be built, so plain text.
        return Response(f"{title}\n{message}\n", status=status, mimetype="text/plain")
    return render_template("errors/error.html", status=status, title=title, message=message,
                           **context), status


def log_refusal(what: str) -> None:
    """A refused request, for monitoring: the route and the role, never who or what data."""
    role = current_user.role.value if current_user.is_authenticated else "anonymous"
    log.warning("%s endpoint=%s method=%s role=%s", what, request.endpoint, request.method, role)


def init_app(app):
    # Flask's own log line for an unhandled exception carries the exception's message, which
    # may quote personal data; `internal_error` below logs every one of them without it.
    app.log_exception = lambda exc_info: None

    @app.errorhandler(400)
    def bad_request(error):
        return render_error(400, _("Something in the request was wrong"),
                            _("Please go back and try again."))

    @app.errorhandler(CSRFError)
    def csrf_failed(error):
        log_refusal("csrf_refused")
        return render_error(400, _("The form had expired"),
                            _("For your safety, forms expire. Go back, reload the page and "
                              "try again."))

    @app.errorhandler(403)
    def forbidden(error):
        log_refusal("access_refused")
        return render_error(403, _("This page is not for you"),
                            _("You do not have access to this page. If you think you should, "
                              "ask your worker or the service admin."))

    @app.errorhandler(404)
    def not_found(error):
        return render_error(404, _("Page not found"),
                            _("The page may have moved, or the link is wrong."))

    @app.errorhandler(405)
    def method_not_allowed(error):
        return render_error(405, _("That did not work"), _("Please go back and try again."))

    @app.errorhandler(413)
    def too_large(error):
        return render_error(413, _("That was too large"),
                            _("What you sent was too large for us. Go back, make it shorter and "
                              "try again."))

    @app.errorhandler(429)
    def too_many_requests(error):
        log_refusal("rate_limited")
        return render_error(429, _("Too many tries"),
                            _("Please wait a moment and try again."))

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def database_busy(error):
        db.session.rollback()
        if not is_contention(error):
            return internal_error(error)
        response = make_response(render_error(
            503, _("The service is busy"),
            _("Many people are using the service right now. Please try again in a moment.")))
        # `render_error` answers a tuple or, for a refused Host, a plain Response.
        response.headers["Retry-After"] = "2"
        return response

    @app.errorhandler(500)
    def internal_error(error):
        db.session.rollback()
        incident = secrets.token_hex(6)
        original = getattr(error, "original_exception", error)
        # The exception's message may quote personal data (a database's DETAIL line, say):
        # the log gets its type and the frames only. The route's pattern, not the path: paths
        # hold one-time link tokens.
        frames = "".join(traceback.format_tb(original.__traceback__))
        route = request.url_rule.rule if request.url_rule else "(no route)"
        log.error("incident %s: %s at %s %s\n%s", incident, type(original).__name__,
                  request.method, route, frames)
        return render_error(500, _("Something went wrong on our side"),
                            _("We are sorry. Please try again later."), incident=incident)
