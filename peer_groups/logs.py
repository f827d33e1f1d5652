"""Logging: plain lines, or JSON lines (LOG_FORMAT=json) for a log collector; each line of a
request carries its request id, which the answer's X-Request-ID header also gives.

What is logged never holds personal data: the app logs codes, types, ids of rows and route
names, never a person's name, address, a path (paths hold link tokens) or a query string.
"""

import json
import logging
import re
import secrets
from datetime import UTC, datetime

from flask import g, has_request_context, request
from flask.logging import default_handler

# An id a proxy in front may pass on (nginx's $request_id, say); anything else is replaced.
GIVEN_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class RequestId(logging.Filter):
    def filter(self, record):
        record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


class JsonLines(logging.Formatter):
    def format(self, record):
        line = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(),
                "level": record.levelname, "logger": record.name,
                "message": record.getMessage(), "request_id": record.request_id}
        if record.exc_info:
            # The type and the frames only: an exception's message may quote personal data.
            line["exception"] = record.exc_info[0].__name__
        return json.dumps(line, ensure_ascii=False)


def configure(app):
    level = app.config["LOG_LEVEL"]
    logger = logging.getLogger("peer_groups")  # the app's logger and every module's
    logger.setLevel(level)
    handler = default_handler
    if app.config["LOG_FORMAT"] == "json":
        logger.removeHandler(default_handler)
        handler = next((h for h in logger.handlers if isinstance(h.formatter, JsonLines)), None)
        if handler is None:
            handler = logging.StreamHandler()
            handler.setFormatter(JsonLines())
            logger.addHandler(handler)
    if not any(isinstance(f, RequestId) for f in handler.filters):
        handler.addFilter(RequestId())

    @app.before_request
    def name_the_request():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if GIVEN_ID.match(given) else secrets.token_hex(8)

    @app.after_request
    def say_the_request_id(response):
        if "request_id" in g:
            response.headers["X-Request-ID"] = g.request_id
        return response
