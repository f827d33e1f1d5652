"""Taps on the register queued on a phone without a connection, and sent later.

Each tap carries an idempotency key made on the phone, so the server applies it once however
often it arrives. A tap says what the worker did and when: a mark sets a value (the newest tap
of a person wins, whatever the order they arrive in), a headcount tap adds or takes one (sums
do not depend on order), and closing the register ends it.

What the phone may keep is decided here too: only the register of the worker's own meeting,
and only until the end of the meeting's day in Helsinki.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum

from peer_groups.domain.schedule import HELSINKI

MAX_TAPS = 200  # one sending; a meeting's register never has more waiting
KEY = re.compile(r"^[A-Za-z0-9-]{8,64}$")
# A phone's clock may be off; a tap from further ahead than this is refused as nonsense.
CLOCK_SLACK = timedelta(minutes=10)


class BadTaps(ValueError):
    """The body is not a list of taps this register can read."""


class TapKind(StrEnum):
    MARK = "mark"
    HEADCOUNT = "headcount"
    CLOSE = "close"


class Outcome(StrEnum):
    APPLIED = "applied"  # done as asked
    COUNTED = "counted"  # no consent in force: in the headcount, not by name
    SUPERSEDED = "superseded"  # a newer tap for the same person was applied already
    REFUSED = "refused"  # not done: the register is closed, not a member, ...


@dataclass(frozen=True)
class Tap:
    key: str
    kind: TapKind
    tapped_at: datetime
    user_id: int | None = None
    present: bool | None = None
    delta: int = 0


def parse_taps(body, now: datetime) -> list[Tap]:
    """The taps of a JSON body `{"taps": [...]}`, or BadTaps."""
    if not isinstance(body, dict) or not isinstance(body.get("taps"), list):
        raise BadTaps
    items = body["taps"]
    if not 1 <= len(items) <= MAX_TAPS:
        raise BadTaps
    taps = [parse_tap(item, now) for item in items]
    if len({tap.key for tap in taps}) != len(taps):
        raise BadTaps
    return taps


def parse_tap(item, now: datetime) -> Tap:
    if not isinstance(item, dict):
        raise BadTaps
    key, kind = item.get("key"), item.get("kind")
    if not isinstance(key, str) or not KEY.match(key) or kind not in set(TapKind):
        raise BadTaps
    tapped_at = parse_time(item.get("tapped_at"), now)
    kind = TapKind(kind)
    if kind is TapKind.MARK:
        user_id, present = item.get("user_id"), item.get("present")
        if not is_id(user_id) or not isinstance(present, bool):
            raise BadTaps
        return Tap(key, kind, tapped_at, user_id=user_id, present=present)
    if kind is TapKind.HEADCOUNT:
        delta = item.get("delta")
        if delta not in (1, -1) or isinstance(delta, bool):
            raise BadTaps
        return Tap(key, kind, tapped_at, delta=delta)
    return Tap(key, kind, tapped_at)


def is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31


def parse_time(value, now: datetime) -> datetime:
    """A tap's time from the phone (ISO 8601 with a zone); never later than now."""
    if not isinstance(value, str) or len(value) > 40:
        raise BadTaps
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadTaps from None
    if moment.tzinfo is None or moment > now + CLOCK_SLACK:
        raise BadTaps
    return min(moment.astimezone(UTC), now)


def is_newer(tapped_at: datetime, marked_at: datetime | None) -> bool:
    """Whether a mark tapped at `tapped_at` replaces the one made at `marked_at`."""
    return marked_at is None or tapped_at >= marked_at


def keep_until(starts_at: datetime, now: datetime) -> datetime | None:
    """Until when a phone may keep this meeting's register: the end of the meeting's day in
    Helsinki, if that day is today; otherwise not at all."""
    day = starts_at.astimezone(HELSINKI).date()
    if day != now.astimezone(HELSINKI).date():
        return None
    return datetime.combine(day + timedelta(days=1), time(0), HELSINKI).astimezone(UTC)
