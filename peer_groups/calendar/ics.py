"""Meetings as iCalendar (RFC 5545): one UID per meeting, SEQUENCE up on every change."""

from flask_babel import gettext as _
from icalendar import Calendar, Event

from peer_groups.meetings.models import MeetingStatus

PRODUCT_ID = "-//peer_groups//Vertaisryhmat//FI"


def meeting_uid(meeting) -> str:
    return f"meeting-{meeting.id}@peer-groups"


def meeting_event(meeting, url: str | None = None) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", meeting.updated_at)
    event.add("last-modified", meeting.updated_at)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.group.name)
    place = ", ".join(p for p in (meeting.venue_name, meeting.venue_address) if p)
    if place:
        event.add("location", place)
    description = describe(meeting, url)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    event.add("sequence", meeting.sequence)
    cancelled = meeting.status is MeetingStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def describe(meeting, url: str | None) -> str:
    """The plan in a few lines and the meeting's page: many calendar apps show only this.

    Titles only: who takes care of an item (a young person, maybe) stays in the app.
    """
    lines = []
    if meeting.plan_items:
        lines.append(_("What we do and eat:"))
        lines.extend(f"- {item.title}" for item in meeting.plan_items)
    if url:
        lines.extend(["", _("More in the app: %(url)s", url=url)] if lines else [url])
    return "\n".join(lines)


def meeting_calendar(meetings, name: str, url_for_meeting=None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for meeting in meetings:
        url = url_for_meeting(meeting) if url_for_meeting else None
        calendar.add_component(meeting_event(meeting, url))
    return calendar.to_ical()
