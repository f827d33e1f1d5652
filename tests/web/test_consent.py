"""Consent decides what is recorded; withdrawing takes it back without breaking the numbers."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from peer_groups.attendance.models import Attendance
from peer_groups.audit.models import AuditEvent
from peer_groups.consent.models import ConsentAnswer, DietaryNeeds
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.groups.models import Meeting, MeetingStatus
from peer_groups.signups import services as signups
from tests.conftest import post, sign_in


@pytest.fixture
def group_meeting(make):
    area = make.area()
    worker = make.user(Role.WORKER, area=area)
    expert = make.user(Role.EXPERT, area=area)
    yes, no = make.user(Role.YOUTH, area=area, display_name="Aino"), make.user(
        Role.YOUTH, area=area, display_name="Onni")
    group = make.group(area, facilitators=[worker, expert], members=[yes, no])
    meeting = make.meeting(group, starts_at=datetime.now(UTC) + timedelta(hours=1))
    return worker, expert, yes, no, group, meeting


def youth_client(app, person):
    client = app.test_client()
    sign_in(client, person)
    return client


def test_consents_are_asked_separately_and_change_with_one_tap(app, group_meeting):
    _, _, yes, _, _, _ = group_meeting
    client = youth_client(app, yes)
    assert "We have a question for you" in client.get("/home").get_data(as_text=True)
    page = client.get("/account/consents").get_data(as_text=True)
    assert "Recording my attendance" in page and "Who sees it: only your group" in page
    post(client, "/account/consents/attendance", {"answer": "yes"})
    page = client.get("/account/consents").get_data(as_text=True)
    assert "Your answer: yes." in page
    post(client, "/account/consents/attendance", {"answer": "no"})
    assert "Your answer: no." in client.get("/account/consents").get_data(as_text=True)
    with app.app_context():
        answers = db.session.scalars(select(ConsentAnswer).order_by(ConsentAnswer.id)).all()
        assert [(a.given, a.channel, a.text.version) for a in answers] == [
            (True, "self", 1), (False, "self", 1)]


def test_signing_up_never_needs_consent(app, group_meeting):
    _, _, _, no, _, meeting = group_meeting
    client = youth_client(app, no)
    post(client, f"/meetings/{meeting.id}/signup")
    assert "You have a place" in client.get(f"/meetings/{meeting.id}").get_data(as_text=True)


def test_the_register_names_only_those_who_consented(app, group_meeting):
    worker, _, yes, no, _, meeting = group_meeting
    post(youth_client(app, yes), "/account/consents/attendance", {"answer": "yes"})
    staff = app.test_client()
    sign_in(staff, worker)
    page = staff.get(f"/meetings/{meeting.id}/register").get_data(as_text=True)
    assert "No consent: count in the headcount" in page
    for _ in range(2):  # a repeated tap on a bad connection counts once
        post(staff, f"/meetings/{meeting.id}/register/{yes.id}", {"present": "1"})
    refused = post(staff, f"/meetings/{meeting.id}/register/{no.id}", {"present": "1"},
                   follow_redirects=True)
    assert "counted in the headcount, not by name" in refused.get_data(as_text=True)
    for _ in range(2):
        post(staff, f"/meetings/{meeting.id}/register/headcount", {"headcount": "2"})
    post(staff, f"/meetings/{meeting.id}/register/close")
    page = staff.get(f"/meetings/{meeting.id}/register").get_data(as_text=True)
    assert "Total: 3" in page and "The register is closed." in page
    with app.app_context():
        assert db.session.scalars(select(Attendance.user_id)).all() == [yes.id]
        meeting_row = db.session.get(Meeting, meeting.id)
        assert meeting_row.status is MeetingStatus.HELD and meeting_row.headcount == 2
        viewed = db.session.scalars(select(AuditEvent.subject_user_id).where(
            AuditEvent.action == "register.viewed")).all()
        assert set(viewed) == {yes.id, no.id}


def test_a_worker_records_a_spoken_yes_only_after_checking_understanding(app, group_meeting):
    worker, _, _, no, _, meeting = group_meeting
    staff = app.test_client()
    sign_in(staff, worker)
    url = f"/meetings/{meeting.id}/register/{no.id}/consent"
    assert "only if they say yes themselves" in staff.get(url).get_data(as_text=True)
    assert "Tick this box first" in post(staff, url, {}).get_data(as_text=True)
    post(staff, url, {"understanding_checked": "y"})
    with app.app_context():
        answer = db.session.scalars(select(ConsentAnswer)).one()
        assert (answer.channel, answer.recorded_by_id, answer.understanding_checked) == (
            "worker", worker.id, True)
    post(staff, f"/meetings/{meeting.id}/register/{no.id}", {"present": "1"})
    with app.app_context():
        assert db.session.scalars(select(Attendance.user_id)).all() == [no.id]


def test_withdrawing_turns_past_attendance_into_headcount(app, make, group_meeting):
    worker, _, yes, _, group, meeting = group_meeting
    earlier = make.meeting(group, starts_at=datetime.now(UTC) - timedelta(days=30))
    member = youth_client(app, yes)
    post(member, "/account/consents/attendance", {"answer": "yes"})
    staff = app.test_client()
    sign_in(staff, worker)
    for one in (earlier, meeting):
        post(staff, f"/meetings/{one.id}/register/{yes.id}", {"present": "1"})
        post(staff, f"/meetings/{one.id}/register/headcount", {"headcount": "1"})
    with app.app_context():
        before = {m.id: m.headcount for m in db.session.scalars(select(Meeting))}
        assert before == {earlier.id: 1, meeting.id: 1}

    post(member, "/account/consents/attendance", {"answer": "no"})

    with app.app_context():
        # No row links the person to any attendance, and every total is unchanged.
        assert db.session.scalars(select(Attendance)).all() == []
        after = {m.id: m.headcount for m in db.session.scalars(select(Meeting))}
        assert after == {earlier.id: 2, meeting.id: 2}
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert "consent.withdrawn" in actions


def test_dietary_needs_need_consent_and_show_staff_only_totals(app, group_meeting):
    worker, _, yes, no, _, meeting = group_meeting
    member = youth_client(app, yes)
    assert post(member, "/account/dietary", {"needs": ["vegan"]}).status_code == 403
    post(member, "/account/consents/dietary", {"answer": "yes"})
    post(member, "/account/dietary", {"needs": ["vegan", "nut_allergy"], "other": "ei kalaa"})
    post(member, f"/meetings/{meeting.id}/signup")
    with app.app_context():
        signups.sign_up(meeting.id, db.session.get(type(no), no.id))
        db.session.commit()
    staff = app.test_client()
    sign_in(staff, worker)
    page = staff.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "1 × vegan" in page and "1 × nut allergy" in page and "1 × other" in page
    assert "ei kalaa" not in page and "Aino" not in page.split("Diets of those")[1][:200]
    post(member, "/account/consents/dietary", {"answer": "no"})
    with app.app_context():
        assert db.session.get(DietaryNeeds, yes.id) is None
    assert "Diets of those" not in staff.get(f"/meetings/{meeting.id}").get_data(as_text=True)


def test_a_new_text_version_asks_again(app, make, group_meeting):
    _, _, yes, _, _, _ = group_meeting
    member = youth_client(app, yes)
    post(member, "/account/consents/attendance", {"answer": "yes"})
    admin = make.user(Role.ADMIN, area=None, is_superuser=True)
    staff = app.test_client()
    sign_in(staff, admin)
    form = {"text_fi": "Uusi teksti", "text_sv": "Ny text", "text_en": "New text"}
    post(staff, "/admin/consent-texts/attendance/new", {**form, "minor": "y"})
    page = member.get("/account/consents").get_data(as_text=True)
    assert "New: please answer" in page and "The text changed" in page
    from peer_groups.consent.services import consent_stands_for
    from peer_groups.domain.consent import Purpose

    with app.app_context():
        assert consent_stands_for(yes.id, Purpose.ATTENDANCE)  # minor: still stands
    post(staff, "/admin/consent-texts/attendance/new", form)  # a major change
    with app.app_context():
        assert not consent_stands_for(yes.id, Purpose.ATTENDANCE)
