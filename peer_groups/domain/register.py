"""How long a held meeting's attendance register can still be corrected."""

from datetime import datetime, timedelta


def corrections_until(ends_at: datetime, days: int) -> datetime:
    """The last moment a closed register may be reopened, or a reopened one corrected:
    `days` after the meeting ended (later, memories and consent have moved on)."""
    return ends_at + timedelta(days=days)


def may_correct(ends_at: datetime, days: int, now: datetime) -> bool:
    return now <= corrections_until(ends_at, days)
