"""A worker's short message to a group or to one meeting's people: who may send it, whom it
reaches by which channel (counts only), the preview, the hourly limit and the audit trail."""

import re

import pytest
from sqlalchemy import select

from peer_groups.audit.models import AuditEvent
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.notifications.models import Channel, OutboxMessage
from peer_groups.signups import services as signups
from tests.conftest import post, sign_in
from tests.helpers import assert_redirect

TEXT = "We're going bowling, bring indoor shoes!\nSee you at six."


@pytest.fixture
def world(make):
    area = make.area()
    worker = make.user(Role.WORKER, area=area, display_name="Wilma Worker")
    other_worker = make.user(Role.WORKER, area=area)
    expert = make.user(Role.EXPERT, area=area)
    # Three by email, two by text message, three with neither (in the app only).
    by_email = [make.user(Role.YOUTH, area=area) for _ in range(3)]
    by_sms = [make.user(Role.YOUTH, area=area, email=None, phone=f"04000000{i}")
              for i in range(2)]
    app_only = [make.user(Role.YOUTH, area=area, email=None) for _ in range(3)]
    members = by_email + by_sms + app_only
    group = make.group(area, facilitators=[worker, expert], members=members, name="Iltaryhmä")
    other_group = make.group(area, facilitators=[other_worker])
    meeting = make.meeting(group, capacity=2)
    return {"worker": worker, "other_worker": other_worker, "expert": expert,
            "members": members, "by_email": by_email, "by_sms": by_sms,
            "app_only": app_only, "group": group, "other_group": other_group,
            "meeting": meeting}


def signed_in(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def outbox(app, template="group_message"):
    with app.app_context():
        return [(m.user_id, m.channel, m.body) for m in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.template == template)
            .order_by(OutboxMessage.user_id))]


def flashed(response) -> str:
    """The one success line at the top of the page: counts only, no names."""
    found = re.findall(r'<p class="flash flash-success">([^<]*)</p>', response.get_data(
        as_text=True))
    assert len(found) == 1, found
    return found[0]


def send(client, path, text=TEXT):
    return post(client, path, {"body": text, "action": "send"})


def test_a_message_to_the_group_reaches_everyone_and_says_how_by_channel(app, world):
    client = signed_in(app, world["worker"])
    group = world["group"]
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert f"/groups/{group.id}/message" in page  # "Message the group" on the group page

    response = send(client, f"/groups/{group.id}/message")
    assert_redirect(response, f"/groups/{group.id}")
    shown = flashed(client.get(response.headers["Location"]))
    assert shown == "Sent to 8 people: 3 by email, 2 by text message, 3 only in the app."

    queued = outbox(app)
    assert [(u, c) for u, c, _ in queued] == sorted(
        [(p.id, Channel.EMAIL) for p in world["by_email"]]
        + [(p.id, Channel.SMS) for p in world["by_sms"]])
    body = queued[0][2]
    assert "bring indoor shoes" in body and "Wilma from Iltaryhmä writes" in body
    assert f"/groups/{group.id}" in body and "Worker" not in body  # first name only


def test_a_message_to_a_meeting_reaches_only_its_signed_up_people(app, world):
    meeting, people = world["meeting"], world["members"]
    with app.app_context():
        for person in (people[0], people[3], people[6]):  # email, text, app; the last waits
            signups.sign_up(meeting.id, person)
        db.session.commit()
    client = signed_in(app, world["worker"])
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert f"/meetings/{meeting.id}/message" in page

    response = send(client, f"/meetings/{meeting.id}/message")
    assert_redirect(response, f"/meetings/{meeting.id}")
    shown = flashed(client.get(response.headers["Location"]))
    assert shown == "Sent to 3 people: 1 by email, 1 by text message, 1 only in the app."
    assert {u for u, _, _ in outbox(app)} == {people[0].id, people[3].id}
    assert f"/meetings/{meeting.id}" in outbox(app)[0][2]


def test_the_preview_shows_the_text_and_sends_nothing_until_confirmed(app, world):
    client = signed_in(app, world["worker"])
    path = f"/groups/{world['group'].id}/message"
    form = client.get(path).get_data(as_text=True)
    assert "It goes to 8 people." in form and 'maxlength="400"' in form

    preview = post(client, path, {"body": TEXT, "action": "preview"})
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Check your message" in page
    assert "bring indoor shoes" in page and 'value="send"' in page and 'value="edit"' in page
    assert outbox(app) == []

    back = post(client, path, {"body": TEXT, "action": "edit"}).get_data(as_text=True)
    assert "Check before sending" in back and "bring indoor shoes" in back
    assert outbox(app) == []


def test_an_empty_or_too_long_message_is_refused_with_the_text_kept(app, world):
    client = signed_in(app, world["worker"])
    path = f"/groups/{world['group'].id}/message"
    empty = post(client, path, {"body": "   ", "action": "preview"}).get_data(as_text=True)
    assert "Write the message first." in empty
    long = "x" * 401
    page = send(client, path, long).get_data(as_text=True)
    assert "Keep it to 400 characters" in page and long in page
    assert outbox(app) == []


def test_the_hourly_limit_answers_429_kindly_and_keeps_the_text(app, world):
    app.config["GROUP_MESSAGES_PER_HOUR"] = 2
    client = signed_in(app, world["worker"])
    path = f"/groups/{world['group'].id}/message"
    for _ in range(2):
        assert_redirect(send(client, path))
    refused = send(client, path, "One more thing: snacks are vegan.")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429
    assert "You have sent 2 messages in the last hour" in page
    assert "One more thing: snacks are vegan." in page  # nothing lost
    assert len(outbox(app)) == 2 * 5  # two sends to five people with email or phone


def test_the_audit_trail_counts_the_send_without_its_text(app, world):
    client = signed_in(app, world["worker"])
    send(client, f"/groups/{world['group'].id}/message")
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "group_message.sent")).all()
        assert [(e.actor_id, e.object_type, e.object_id, e.detail) for e in events] == [
            (world["worker"].id, "group", world["group"].id, "n=8 e=3 s=2 a=3")]
        texts = db.session.scalars(select(AuditEvent.detail)).all()
    assert not any(t and "bowling" in t for t in texts)


@pytest.mark.parametrize("who", ["other_worker", "expert", "youth", "anonymous"])
def test_others_cannot_send(app, world, who):
    client = app.test_client()
    if who == "youth":
        sign_in(client, world["members"][0])
    elif who != "anonymous":
        sign_in(client, world[who])
    for path in (f"/groups/{world['group'].id}/message",
                 f"/meetings/{world['meeting'].id}/message"):
        page = client.get(path)
        sent = send(client, path)
        if who == "anonymous":
            assert_redirect(page)
            assert page.headers["Location"].startswith("/auth/sign-in")
            assert sent.status_code in (302, 303, 400)
        else:
            assert page.status_code == 403 and sent.status_code == 403
    assert outbox(app) == []
    if who != "anonymous":
        shown = client.get(f"/groups/{world['group'].id}").get_data(as_text=True)
        assert "/message" not in shown
