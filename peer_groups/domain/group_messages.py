"""A worker's short message to a group: how long it may be, how often, and whom it reached."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

# Short enough for two text messages with the greeting and the link around it.
MAX_LENGTH = 400
# Sends are counted over this window, per worker.
LIMIT_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Reach:
    """How many people a message reached, by the channel it went out on. Counts, no names:
    every one of them also has it as a notice in the app."""

    email: int = 0
    sms: int = 0
    app_only: int = 0

    @property
    def total(self) -> int:
        return self.email + self.sms + self.app_only

    @property
    def code(self) -> str:
        """For the audit trail: the counts only (never the text, never who)."""
        return f"n={self.total} e={self.email} s={self.sms} a={self.app_only}"


def reach_of(channels: Iterable[str | None]) -> Reach:
    """Count the channels a message was queued on; None means in the app only."""
    channels = [str(c) if c is not None else None for c in channels]
    return Reach(email=channels.count("email"), sms=channels.count("sms"),
                 app_only=channels.count(None))


def window_start(now: datetime) -> datetime:
    """Sends since this moment count towards the limit."""
    return now - LIMIT_WINDOW


def may_send(sent_in_window: int, per_hour: int) -> bool:
    return sent_in_window < per_hour
