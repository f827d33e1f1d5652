"""Metrics for operators, in Prometheus's text format at `/metrics`: off unless METRICS_TOKEN is
set, and then only for a scraper that sends that token (`Authorization: Bearer ...`).

Request counts and latency per endpoint (the route's name, never its path: paths hold link
tokens), the outbox's depth and the age of its oldest unsent message (read from the database
at each scrape, so right whichever host sent what), reminders queued and what the purge did
(counters that `flask reminders send-due` and `flask privacy purge` add to). Under gunicorn, and
for the commands, set PROMETHEUS_MULTIPROC_DIR to one folder they share, so the counts of
every worker and command add up; without it each process counts alone. Nothing personal:
labels are endpoints, methods, status codes and what the purge removed.
"""

from flask import Blueprint

bp = Blueprint("metrics", __name__)


def init_app(app):
    from peer_groups.metrics import instruments, views

    if not app.config.get("METRICS_TOKEN"):
        return
    instruments.init_app(app)
    app.register_blueprint(views.blueprint())
