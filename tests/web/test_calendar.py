"""Calendar files and private feeds that calendar apps import correctly (RFC 5545)."""

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from peer_groups.calendar.models import CalendarFeed
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import HELSINKI
from tests.conftest import post, sign_in


@pytest.fixture
def member_world(make):
    area = make.area()
    worker = make.user(Role.WORKER, area=area)
    youth = make.user(Role.YOUTH, area=area)
    group = make.group(area, facilitators=[worker], members=[youth], name="Iltaryhmä")
    # 29 March 2027 is the Monday after summer time starts; 1 November after it ends.
    spring = make.meeting(group, starts_at=datetime(2027, 3, 29, 14, 0, tzinfo=UTC),
                          venue_name="Kulma", venue_address="Katu 1")
    autumn = make.meeting(group, starts_at=datetime(2027, 11, 1, 15, 0, tzinfo=UTC))
    return worker, youth, group, spring, autumn


def events(body: bytes):
    calendar = Calendar.from_ical(body)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_a_meeting_downloads_as_a_valid_calendar_file(client, member_world):
    _, youth, _, spring, _ = member_world
    sign_in(client, youth)
    response = client.get(f"/meetings/{spring.id}.ics")
    assert response.mimetype == "text/calendar"
    event = events(response.data)[f"meeting-{spring.id}@peer-groups"]
    start = event.decoded("DTSTART").astimezone(HELSINKI)
    assert (start.hour, start.minute) == (17, 0)
    assert str(event["SUMMARY"]) == "Iltaryhmä" and "Kulma" in str(event["LOCATION"])


def test_the_feed_follows_changes_and_cancellations(app, client, member_world):
    worker, youth, _, spring, autumn = member_world
    sign_in(client, youth)
    post(client, "/account/calendar", {"action": "renew"})
    with app.app_context():
        token = db.session.scalar(select(CalendarFeed.token))
    url = f"/calendar/{token}.ics"
    assert f"/calendar/{token}.ics" in client.get("/account/calendar").get_data(as_text=True)
    feed = app.test_client()  # a calendar app has no session
    before = events(feed.get(url).data)
    assert len(before) == 2
    for uid, event in before.items():
        local = event.decoded("DTSTART").astimezone(HELSINKI)
        assert (local.hour, local.minute) == (17, 0), uid

    staff = app.test_client()
    sign_in(staff, worker)
    post(staff, f"/meetings/{spring.id}/edit", {
        "day": "2027-03-30", "starts": "18:00", "ends": "20:00", "capacity": "10",
        "venue_name": "Kirjasto", "venue_address": "", "venue_accessibility": ""})
    post(staff, f"/meetings/{autumn.id}/call-off", {"reason": "Sairastuminen"})

    after = events(feed.get(url).data)
    moved, cancelled = after[f"meeting-{spring.id}@peer-groups"], after[
        f"meeting-{autumn.id}@peer-groups"]
    assert int(moved["SEQUENCE"]) > int(before[f"meeting-{spring.id}@peer-groups"]["SEQUENCE"])
    assert moved.decoded("DTSTART").astimezone(HELSINKI).hour == 18
    assert str(cancelled["STATUS"]) == "CANCELLED" and int(cancelled["SEQUENCE"]) == 1


def test_a_renewed_or_revoked_link_stops_working(app, client, member_world):
    _, youth, _, _, _ = member_world
    sign_in(client, youth)
    post(client, "/account/calendar", {"action": "renew"})
    with app.app_context():
        old = db.session.scalar(select(CalendarFeed.token))
    post(client, "/account/calendar", {"action": "renew"})
    with app.app_context():
        new = db.session.scalar(select(CalendarFeed.token))
    assert new != old
    outsider = app.test_client()
    assert outsider.get(f"/calendar/{old}.ics").status_code == 404
    assert outsider.get(f"/calendar/{new}.ics").status_code == 200
    post(client, "/account/calendar", {"action": "off"})
    assert outsider.get(f"/calendar/{new}.ics").status_code == 404


def test_the_feed_only_holds_the_persons_own_groups(app, make, member_world):
    _, youth, _, _, _ = member_world
    other_group = make.group(make.area(), name="Muu ryhmä")
    make.meeting(other_group, starts_at=datetime.now(UTC) + timedelta(days=2))
    client = app.test_client()
    sign_in(client, youth)
    post(client, "/account/calendar", {"action": "renew"})
    with app.app_context():
        token = db.session.scalar(select(CalendarFeed.token))
    body = app.test_client().get(f"/calendar/{token}.ics").get_data(as_text=True)
    assert "Muu ryhmä" not in body and "Iltaryhmä" in body


def test_archived_groups_leave_the_feed(app, make, member_world):
    worker, youth, group, _, _ = member_world
    client = app.test_client()
    sign_in(client, youth)
    post(client, "/account/calendar", {"action": "renew"})
    with app.app_context():
        token = db.session.scalar(select(CalendarFeed.token))
    staff = app.test_client()
    sign_in(staff, worker)
    post(staff, f"/groups/{group.id}/archive")
    assert events(app.test_client().get(f"/calendar/{token}.ics").data) == {}


def test_a_meetings_file_carries_its_address_plan_and_link_but_nobody_else(app, make,
                                                                        member_world):
    worker, youth, group, _, _ = member_world
    other = make.user(Role.YOUTH, area=make.area(), display_name="Olli Otherperson")
    # 14 June 2027 is summer time (UTC+3), 13 December winter time (UTC+2): 18:00 both.
    summer = make.meeting(group, starts_at=datetime(2027, 6, 14, 15, 0, tzinfo=UTC),
                          venue_name="Nuorisotalo Kulma", venue_address="Kirkkokatu 5, Lahti")
    winter = make.meeting(group, starts_at=datetime(2027, 12, 13, 16, 0, tzinfo=UTC))
    make.plan_item(summer, kind="snack", title="Pizza", responsible_id=other.id)
    make.plan_item(summer, kind="outing", title="Bowling", details="Bring indoor shoes")
    client = app.test_client()
    sign_in(client, youth)
    response = client.get(f"/meetings/{summer.id}.ics")
    event = events(response.data)[f"meeting-{summer.id}@peer-groups"]
    assert "attachment" in response.headers["Content-Disposition"]
    assert str(event["LOCATION"]) == "Nuorisotalo Kulma, Kirkkokatu 5, Lahti"
    description = str(event["DESCRIPTION"])
    assert "- Pizza" in description and "- Bowling" in description
    link = f"http://localhost/meetings/{summer.id}"
    assert str(event["URL"]) == link and link in description
    assert "Olli" not in response.get_data(as_text=True)
    local = event.decoded("DTSTART").astimezone(HELSINKI)
    assert (local.hour, local.minute, local.utcoffset()) == (18, 0, timedelta(hours=3))
    dark = events(client.get(f"/meetings/{winter.id}.ics").data)[f"meeting-{winter.id}@peer-groups"]
    local = dark.decoded("DTSTART").astimezone(HELSINKI)
    assert (local.hour, local.minute, local.utcoffset()) == (18, 0, timedelta(hours=2))
    assert str(dark["URL"]) == f"http://localhost/meetings/{winter.id}"


def test_the_calendar_page_offers_subscribing_copying_and_how_to(app, client, member_world):
    _, youth, _, _, _ = member_world
    sign_in(client, youth)
    before = client.get("/account/calendar").get_data(as_text=True)
    assert "webcal://" not in before  # no link yet: first "Make my calendar link"
    post(client, "/account/calendar", {"action": "renew"})
    with app.app_context():
        token = db.session.scalar(select(CalendarFeed.token))
    page = client.get("/account/calendar").get_data(as_text=True)
    assert f'href="webcal://localhost/calendar/{token}.ics"' in page
    # Without JavaScript the address is in a read-only field; the copy button waits hidden.
    assert f'readonly value="http://localhost/calendar/{token}.ics"' in page
    assert 'data-copy="feed-url" hidden' in page and "js/copy-link" in page
    assert "iPhone:" in page and "Android (Google Calendar):" in page
