"""Turning a person's calendar feed on, renewing it (the old link stops working) or off."""

import secrets

from sqlalchemy import delete

from peer_groups.audit.services import record
from peer_groups.calendar.models import CalendarFeed
from peer_groups.db import db


def renew_feed(user) -> CalendarFeed:
    """A new private feed link; any earlier one stops working."""
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    feed = CalendarFeed(user_id=user.id, token=secrets.token_urlsafe(24))
    db.session.add(feed)
    record(user, "calendar_feed.created", subject=user)
    return feed


def turn_off_feed(user) -> None:
    """No feed link works any more."""
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    record(user, "calendar_feed.revoked", subject=user)
