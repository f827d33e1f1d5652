"""Which reminder is due: e.g. the day before at 12:00 and on the day at 9:00, Helsinki time."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from peer_groups.domain.schedule import HELSINKI, to_utc


@dataclass(frozen=True)
class ReminderRule:
    """`days_before` the meeting's local date, at local `at`."""

    name: str
    days_before: int
    at: time

    def send_at(self, starts_at: datetime) -> datetime:
        local_day: date = starts_at.astimezone(HELSINKI).date() - timedelta(days=self.days_before)
        return to_utc(local_day, self.at)


def parse_rules(spec: str) -> tuple[ReminderRule, ...]:
    """"day_before=1@12:00,same_day=0@09:00" -> rules, earliest first."""
    rules = []
    for part in spec.split(","):
        name, _, when = part.strip().partition("=")
        days, _, clock = when.partition("@")
        hours, _, minutes = clock.partition(":")
        rules.append(ReminderRule(name.strip(), int(days), time(int(hours), int(minutes or 0))))
    return tuple(sorted(rules, key=lambda r: (-r.days_before, r.at)))


def due_reminder(rules: tuple[ReminderRule, ...], starts_at: datetime,
                 now: datetime) -> ReminderRule | None:
    """The latest reminder whose time has come, while the meeting has not started.

    If the sender was down and two reminders are due at once, only the later one is sent: one
    message is enough, and it is the more useful one.
    """
    if now >= starts_at:
        return None
    due = [rule for rule in rules if rule.send_at(starts_at) <= now]
    return due[-1] if due else None
