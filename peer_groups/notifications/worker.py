"""`flask outbox work`: a long-lived sender, so a sign-in link arrives in seconds.

It sends what waits, then looks again every `poll` seconds (at once after a full batch). Two or
more may run, on one host or several: each message is claimed by exactly one of them (see
`services.claim`). SIGTERM or SIGINT lets the message being sent finish, then it exits. When
the database is away (restarted, say) it logs that without details, waits longer each time (up
to a minute) and carries on once the database is back.
"""

import logging
import signal
import threading
from dataclasses import dataclass, field

from sqlalchemy.exc import DBAPIError, OperationalError

from peer_groups.db import db
from peer_groups.notifications.services import deliver_pending

log = logging.getLogger(__name__)

MAX_BACK_OFF = 60.0


@dataclass
class Worker:
    poll: float = 2.0
    batch: int = 100
    stop: threading.Event = field(default_factory=threading.Event)
    sent: int = 0

    def run(self) -> None:
        """Send until told to stop (the app context must be pushed)."""
        back_off = self.poll
        while not self.stop.is_set():
            try:
                counts = deliver_pending(limit=self.batch, stop=self.stop)
            except (OperationalError, DBAPIError) as error:
                # The message may quote a connection string or a row: the type is enough.
                log.warning("outbox worker: database unavailable (%s); trying again in %.1f s",
                            type(error).__name__, back_off)
                db.session.remove()
                db.engine.dispose()  # reconnect afresh when the database is back
                self.stop.wait(back_off)
                back_off = min(back_off * 2, MAX_BACK_OFF)
                continue
            back_off = self.poll
            self.sent += counts["sent"]
            if counts["sent"] + counts["failed"] + counts["skipped"] < self.batch:
                self.stop.wait(self.poll)  # a full batch means more wait: go on at once

    def stop_on_signals(self) -> None:
        """SIGTERM (systemd, docker) and SIGINT (Ctrl-C) end the loop after the current send."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: self.stop.set())
