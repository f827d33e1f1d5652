"""gunicorn settings: `gunicorn wsgi:app` reads this file from the working directory.

The access log carries no personal data: no query strings, and one-time link tokens masked.
"""

import multiprocessing
import os
import re

from gunicorn.glogging import Logger

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)s'

TOKEN_IN_PATH = re.compile(r"^(/auth/(?:link|reset|welcome)/|/calendar/|/join/)[^/]+")


class PrivateLogger(Logger):
    """Masks the secret part of one-time link paths before they reach the access log."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        # A request gunicorn refuses itself (two Content-Length headers, say) is logged with an
        # environment that has no path: "-", never a crash that takes the worker down.
        atoms["U"] = TOKEN_IN_PATH.sub(r"\1…", atoms.get("U") or "-")
        atoms["r"] = TOKEN_IN_PATH.sub(r"\1…", atoms.get("r") or "-")
        return atoms


logger_class = PrivateLogger
