"""The counters and histograms, and the hooks that time each request."""

import time

from flask import g, request
from prometheus_client import Counter, Histogram

REQUESTS = Counter("peer_groups_requests", "Requests answered, by endpoint, method and status.",
                   ["endpoint", "method", "status"])
LATENCY = Histogram("peer_groups_request_seconds", "Time to answer a request, by endpoint.",
                    ["endpoint"], buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
REMINDERS = Counter("peer_groups_reminders_queued", "Reminders put in the outbox.")
PURGED = Counter("peer_groups_purged", "What `flask privacy purge` removed or anonymised.",
                 ["what"])


def reminders_queued(count: int) -> None:
    if count:
        REMINDERS.inc(count)


def purged(results: dict[str, int]) -> None:
    for what, count in results.items():
        if count:
            PURGED.labels(what=what).inc(count)


def init_app(app):
    @app.before_request
    def start_clock():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def count(response):
        started = g.pop("metrics_started", None)
        endpoint = request.endpoint or "(no route)"
        if started is not None and endpoint != "metrics.scrape":
            LATENCY.labels(endpoint=endpoint).observe(time.perf_counter() - started)
            REQUESTS.labels(endpoint=endpoint, method=request.method,
                            status=str(response.status_code)).inc()
        return response
