"""`/metrics`, for a Prometheus scraper that holds METRICS_TOKEN."""

import hmac
import os

from flask import abort, current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)

from peer_groups import unit_of_work
from peer_groups.db import utcnow
from peer_groups.metrics import bp
from peer_groups.metrics.queries import OutboxCollector


def blueprint():
    return bp


def registry() -> CollectorRegistry:
    """Every process's counts when they share PROMETHEUS_MULTIPROC_DIR, else this process's."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        shared = CollectorRegistry()
        multiprocess.MultiProcessCollector(shared)
        return shared
    return REGISTRY


@bp.route("/metrics")
def scrape():
    expected = f"Bearer {current_app.config['METRICS_TOKEN']}"
    if not hmac.compare_digest(request.headers.get("Authorization", "").encode(),
                               expected.encode()):
        abort(404)  # as if there were no metrics: nothing to learn without the token
    text = generate_latest(registry()) + generate_latest(_outbox_registry())
    unit_of_work.rollback()  # read only
    return text, 200, {"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"}


def _outbox_registry() -> CollectorRegistry:
    outbox = CollectorRegistry(auto_describe=False)
    outbox.register(OutboxCollector(utcnow()))
    return outbox
