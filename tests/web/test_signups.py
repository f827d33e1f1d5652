"""The sign-up URL contract, the confirmation, and the facilitators' list."""

import pytest
from sqlalchemy import select

from peer_groups.audit.models import AuditEvent
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.domain.signups import SignupStatus
from peer_groups.meetings.models import Meeting
from peer_groups.notifications.models import OutboxMessage
from peer_groups.signups.models import Signup
from tests.conftest import post, sign_in


@pytest.fixture
def small_meeting(make):
    area = make.area()
    worker = make.user(Role.WORKER, area=area)
    expert = make.user(Role.EXPERT, area=area)
    youth = [make.user(Role.YOUTH, area=area, display_name=f"Nuori {i}") for i in range(3)]
    group = make.group(area, facilitators=[worker, expert], members=youth)
    meeting = make.meeting(group, capacity=1)
    return worker, expert, youth, meeting


def signup_status(app, meeting, person):
    with app.app_context():
        return db.session.scalar(select(Signup.status).where(
            Signup.meeting_id == meeting.id, Signup.user_id == person.id))


def test_sign_up_wait_cancel_and_watch_the_next_person_move_up(app, small_meeting):
    _, _, youth, meeting = small_meeting
    first, second = app.test_client(), app.test_client()
    sign_in(first, youth[0])
    sign_in(second, youth[1])
    response = post(first, f"/meetings/{meeting.id}/signup")
    assert response.headers["Location"] == f"/meetings/{meeting.id}"
    assert "You have a place" in first.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    post(second, f"/meetings/{meeting.id}/signup")
    page = second.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "number 1 on the waiting list" in page
    assert "Waiting list: number 1" in second.get("/home").get_data(as_text=True)

    confirm = first.get(f"/meetings/{meeting.id}/cancel")
    assert "Cancel my sign-up?" in confirm.get_data(as_text=True)
    assert signup_status(app, meeting, youth[0]) is SignupStatus.CONFIRMED  # GET changes nothing
    post(first, f"/meetings/{meeting.id}/cancel")
    assert signup_status(app, meeting, youth[0]) is SignupStatus.CANCELLED
    assert signup_status(app, meeting, youth[1]) is SignupStatus.CONFIRMED
    assert "You have a place" in second.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    with app.app_context():
        told = db.session.scalars(select(OutboxMessage)).one()
        assert (told.user_id, told.template) == (youth[1].id, "promoted")
        assert f"/meetings/{meeting.id}" in told.body


def test_twice_gives_a_clear_message(app, small_meeting):
    _, _, youth, meeting = small_meeting
    client = app.test_client()
    sign_in(client, youth[0])
    post(client, f"/meetings/{meeting.id}/signup")
    again = post(client, f"/meetings/{meeting.id}/signup", follow_redirects=True)
    assert "already signed up" in again.get_data(as_text=True)
    post(client, f"/meetings/{meeting.id}/cancel")
    twice = post(client, f"/meetings/{meeting.id}/cancel", follow_redirects=True)
    assert "not signed up" in twice.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Meeting, meeting.id).taken == 0


def test_sign_up_without_token_is_refused(app, small_meeting):
    _, _, youth, meeting = small_meeting
    client = app.test_client()
    sign_in(client, youth[0])
    assert client.post(f"/meetings/{meeting.id}/signup").status_code == 400
    assert signup_status(app, meeting, youth[0]) is None


def test_staff_see_the_list_and_add_and_remove_with_a_reason(app, small_meeting):
    worker, expert, youth, meeting = small_meeting
    member = app.test_client()
    sign_in(member, youth[0])
    post(member, f"/meetings/{meeting.id}/signup")
    staff = app.test_client()
    sign_in(staff, worker)
    page = staff.get(f"/meetings/{meeting.id}/people").get_data(as_text=True)
    assert "Nuori 0" in page and "Have a place (1)" in page
    post(staff, f"/meetings/{meeting.id}/people", {"user_id": str(youth[2].id),
                                                  "reason": "phone"})
    assert signup_status(app, meeting, youth[2]) is SignupStatus.WAITLISTED
    post(staff, f"/meetings/{meeting.id}/people/{youth[0].id}/remove", {"reason": "asked"})
    assert signup_status(app, meeting, youth[0]) is SignupStatus.CANCELLED
    assert signup_status(app, meeting, youth[2]) is SignupStatus.CONFIRMED
    with app.app_context():
        events = db.session.execute(select(AuditEvent.action, AuditEvent.detail,
                                           AuditEvent.subject_user_id)).all()
        templates = db.session.scalars(select(OutboxMessage.template)).all()
    assert ("signup.added_by_staff", "phone", youth[2].id) in events
    assert ("signup.removed_by_staff", "asked", youth[0].id) in events
    assert any(action == "signups.viewed" for action, _, _ in events)
    assert sorted(templates) == ["promoted", "signup_cancelled_by_staff"]
    assert "Your worker cancelled" in member.get(f"/meetings/{meeting.id}").get_data(
        as_text=True)

    expert_client = app.test_client()
    sign_in(expert_client, expert)
    assert expert_client.get(f"/meetings/{meeting.id}/people").status_code == 403
    counts = expert_client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "0 / 1" in counts and "Nuori 2" not in counts
