"""A young person leaves a group: after a confirmation, their coming places go to the next in
line (who is told), the past stays, and an invitation brings them back."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from peer_groups.attendance.models import Attendance
from peer_groups.audit.models import AuditEvent
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.domain.signups import SignupStatus
from peer_groups.groups.models import GroupMember
from peer_groups.meetings.models import Meeting
from peer_groups.notifications.models import OutboxMessage
from peer_groups.signups import services as signups
from peer_groups.signups.models import Signup
from tests.conftest import csrf_token, post, sign_in
from tests.helpers import assert_redirect


@pytest.fixture
def world(app, make):
    area = make.area()
    worker = make.user(Role.WORKER, area=area)
    leaver = make.user(Role.YOUTH, area=area, display_name="Lea Leaver")
    waiting = make.user(Role.YOUTH, area=area, display_name="Wanda Waiting")
    other = make.user(Role.YOUTH, area=area)
    group = make.group(area, facilitators=[worker], members=[leaver, waiting, other])
    past = make.meeting(group, starts_at=datetime.now(UTC).replace(microsecond=0)
                        - timedelta(days=20), capacity=1)
    full = make.meeting(group, capacity=1)
    later = make.meeting(group, starts_at=full.starts_at + timedelta(days=30), capacity=5)
    with app.app_context():
        signups.sign_up(past.id, leaver, now=past.starts_at - timedelta(days=1))
        db.session.add(Attendance(meeting_id=past.id, user_id=leaver.id, present=True))
        signups.sign_up(full.id, leaver)
        signups.sign_up(full.id, waiting)  # the meeting is full: number 1 in line
        signups.sign_up(later.id, leaver)
        db.session.commit()
    return {"area": area, "worker": worker, "leaver": leaver, "waiting": waiting, "other": other,
            "group": group, "past": past, "full": full, "later": later}


def status_of(app, meeting, person):
    with app.app_context():
        return db.session.scalar(select(Signup.status).where(
            Signup.meeting_id == meeting.id, Signup.user_id == person.id))


def is_member(app, group, person):
    with app.app_context():
        return db.session.get(GroupMember, (group.id, person.id)) is not None


def test_leaving_asks_first_then_gives_the_places_to_the_next_in_line(app, world):
    client = app.test_client()
    sign_in(client, world["leaver"])
    group = world["group"]
    assert f"/groups/{group.id}/leave" in client.get(f"/groups/{group.id}").get_data(
        as_text=True)
    confirm = client.get(f"/groups/{group.id}/leave")
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200
    assert "Your sign-ups for 2 coming meetings are cancelled" in page
    assert is_member(app, group, world["leaver"])  # the GET changed nothing

    response = post(client, f"/groups/{group.id}/leave")
    assert_redirect(response, "/groups/")
    assert "You have left" in client.get("/groups/").get_data(as_text=True)
    assert not is_member(app, group, world["leaver"])
    assert status_of(app, world["full"], world["leaver"]) is SignupStatus.CANCELLED
    assert status_of(app, world["later"], world["leaver"]) is SignupStatus.CANCELLED
    assert status_of(app, world["full"], world["waiting"]) is SignupStatus.CONFIRMED
    with app.app_context():
        told = db.session.scalars(select(OutboxMessage.user_id).where(
            OutboxMessage.template == "promoted")).all()
        left = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "group.member_left")).all()
        attended = db.session.scalar(select(Attendance.present).where(
            Attendance.meeting_id == world["past"].id, Attendance.user_id == world["leaver"].id))
    assert told == [world["waiting"].id]
    assert [(e.actor_id, e.subject_user_id, e.object_id) for e in left] == [
        (world["leaver"].id, world["leaver"].id, group.id)]
    # The past stays as it was: the sign-up and the attendance record.
    assert status_of(app, world["past"], world["leaver"]) is SignupStatus.CONFIRMED
    assert attended is True
    assert client.get(f"/groups/{group.id}").status_code == 403  # no longer theirs


def test_an_invitation_brings_a_leaver_back(app, make, world):
    client = app.test_client()
    sign_in(client, world["leaver"])
    group = world["group"]
    post(client, f"/groups/{group.id}/leave")
    invitation = make.invitation(group)
    response = client.post(f"/join/{invitation.token}",
                           data={"csrf_token": csrf_token(client, f"/join/{invitation.token}")})
    assert_redirect(response)
    assert is_member(app, group, world["leaver"])


@pytest.mark.parametrize("who", ["worker", "other_youth", "anonymous"])
def test_nobody_else_can_make_a_person_leave(app, make, world, who):
    group = world["group"]
    client = app.test_client()
    if who == "worker":
        sign_in(client, world["worker"])
    elif who == "other_youth":
        outsider = make.user(Role.YOUTH, area=world["area"])  # same area, not in the group
        sign_in(client, outsider)
    page = client.get(f"/groups/{group.id}/leave")
    sent = post(client, f"/groups/{group.id}/leave")
    if who == "anonymous":
        assert page.headers["Location"].startswith("/auth/sign-in")
    else:
        assert page.status_code == 403 and sent.status_code == 403
    assert is_member(app, group, world["leaver"]) and is_member(app, group, world["waiting"])


def test_leaving_without_csrf_changes_nothing(app, world):
    client = app.test_client()
    sign_in(client, world["leaver"])
    response = client.post(f"/groups/{world['group'].id}/leave")
    assert response.status_code == 400
    assert is_member(app, world["group"], world["leaver"])


def test_at_a_called_off_meeting_the_place_is_given_back_and_nobody_is_told(app, world):
    worker = app.test_client()
    sign_in(worker, world["worker"])
    post(worker, f"/meetings/{world['full'].id}/call-off", {"reason": "Sairastuminen"})
    client = app.test_client()
    sign_in(client, world["leaver"])
    post(client, f"/groups/{world['group'].id}/leave")
    assert status_of(app, world["full"], world["leaver"]) is SignupStatus.CANCELLED
    assert status_of(app, world["full"], world["waiting"]) is SignupStatus.WAITLISTED
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.template == "promoted")).all() == []
        assert db.session.get(Meeting, world["full"].id).taken == 0
