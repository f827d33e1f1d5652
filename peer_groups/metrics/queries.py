"""What the scrape reads from the database: the outbox's depth and its oldest waiting message,
and the "send me a link" requests waiting for the outbox worker."""

from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select

from peer_groups.auth.models import LinkRequest
from peer_groups.db import db
from peer_groups.notifications.models import MessageStatus, OutboxMessage


class OutboxCollector:
    """Read at each scrape, so it is right whichever host or worker sent what."""

    def __init__(self, now):
        self.now = now  # the scrape's time

    def collect(self):
        waiting, oldest = db.session.execute(
            select(func.count(OutboxMessage.id), func.min(OutboxMessage.created_at))
            .where(OutboxMessage.status.in_((MessageStatus.PENDING, MessageStatus.SENDING)))
        ).one()
        yield GaugeMetricFamily("peer_groups_outbox_waiting",
                                "Messages in the outbox not sent yet.", value=waiting)
        age = (self.now - oldest).total_seconds() if oldest else 0.0
        yield GaugeMetricFamily("peer_groups_outbox_oldest_waiting_seconds",
                                "Age of the oldest message not sent yet (0 when none waits).",
                                value=max(age, 0.0))
        requests, first = db.session.execute(
            select(func.count(LinkRequest.id), func.min(LinkRequest.created_at))).one()
        yield GaugeMetricFamily("peer_groups_link_requests_waiting",
                                "Requests for a sign-in or password link the outbox worker has "
                                "not answered yet.", value=requests)
        age = (self.now - first).total_seconds() if first else 0.0
        yield GaugeMetricFamily("peer_groups_link_requests_oldest_waiting_seconds",
                                "Age of the oldest unanswered link request (0 when none waits).",
                                value=max(age, 0.0))
