"""Consent decides what is recorded; withdrawing takes it back without breaking the numbers."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from peer_groups.attendance.models import Attendance
from peer_groups.audit.models import AuditEvent
from peer_groups.consent.models import ConsentAnswer, DietaryNeeds
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.meetings.models import Meeting, MeetingStatus
from peer_groups.signups import services as signups
from tests.conftest import post, sign_in
from tests.helpers import assert_redirect


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
    _, _, yes, _, group, _ = group_meeting
    member = youth_client(app, yes)
    post(member, "/account/consents/attendance", {"answer": "yes"})
    admin = make.user(Role.ADMIN, area=db_area(app, group.area_id))
    staff = app.test_client()
    sign_in(staff, admin)
    base = f"/admin/areas/{group.area_id}/consent-texts"
    form = {"text_fi": "Uusi teksti", "text_sv": "Ny text", "text_en": "New text"}
    publish(staff, base, texts=form, minor="y")
    page = member.get("/account/consents").get_data(as_text=True)
    assert "New: please answer" in page and "The text changed" in page
    from peer_groups.consent.services import consent_stands_for
    from peer_groups.domain.consent import Purpose

    with app.app_context():
        assert consent_stands_for(yes.id, Purpose.ATTENDANCE)  # minor: still stands
    publish(staff, base, texts={**form, "text_en": "Newer text"})  # a major change
    with app.app_context():
        assert not consent_stands_for(yes.id, Purpose.ATTENDANCE)


# --- consent texts belong to an area (docs/rules.md, rule 13) ---------------------------

NEW_TEXTS = {"text_fi": "Saammeko merkitä nimesi? Uusi teksti.", "text_sv": "Får vi? Ny text.",
             "text_en": "May we write your name down? A new text."}


BASE_VERSION = re.compile(r'name="base_version" value="(\d+)"')


def publish(client, base, purpose="attendance", texts=NEW_TEXTS, **extra):
    """The publishing flow as a browser does it: the form shows a preview, then confirm."""
    preview = post(client, f"{base}/{purpose}/new", {**texts, **extra})
    assert preview.status_code == 200, preview.status_code
    seen = BASE_VERSION.search(preview.get_data(as_text=True)).group(1)
    return post(client, f"{base}/{purpose}/publish", {**texts, **extra, "base_version": seen})


@pytest.fixture
def two_areas(app, make):
    """Areas A and B, each with an admin and a young person who said yes to attendance."""
    world = {}
    for name in ("A", "B"):
        area = make.area(name=f"Area {name}")
        person = make.user(Role.YOUTH, area=area, display_name=f"Nuori {name}")
        post(youth_client(app, person), "/account/consents/attendance", {"answer": "yes"})
        world[name] = (area, make.user(Role.ADMIN, area=area), person)
    return world


def attendance_section(app, person) -> str:
    """The attendance consent as the young person sees it on "My consents"."""
    page = youth_client(app, person).get("/account/consents").get_data(as_text=True)
    return page.split('<section id="attendance"')[1].split("</section>")[0]


def published_events(app):
    with app.app_context():
        return db.session.execute(select(AuditEvent.area_id, AuditEvent.actor_id).where(
            AuditEvent.action == "consent_text.published")).all()


def test_an_area_admin_publishes_for_their_own_area_only(app, two_areas):
    from peer_groups.auth.models import User
    from peer_groups.consent.services import consent_stands_for, stands
    from peer_groups.domain.consent import Purpose

    (area_a, admin_a, youth_a), (area_b, admin_b, youth_b) = two_areas["A"], two_areas["B"]
    staff = app.test_client()
    sign_in(staff, admin_a)
    done = publish(staff, f"/admin/areas/{area_a.id}/consent-texts")
    assert_redirect(done)
    assert done.location == f"/admin/areas/{area_a.id}/consent-texts"
    assert "New: please answer" in attendance_section(app, youth_a)
    page_b = attendance_section(app, youth_b)
    assert "New: please answer" not in page_b and "A new text" not in page_b
    assert "Your answer: yes." in page_b
    with app.app_context():
        assert not consent_stands_for(youth_a.id, Purpose.ATTENDANCE)
        assert consent_stands_for(youth_b.id, Purpose.ATTENDANCE)
        # The register's per-person check agrees: B's yes stands, A's waits for an answer.
        standing = select(User.id).where(stands(Purpose.ATTENDANCE, User.id),
                                         User.id.in_([youth_a.id, youth_b.id]))
        assert db.session.scalars(standing).all() == [youth_b.id]
    assert published_events(app) == [(area_a.id, admin_a.id)]
    audit_a = staff.get(f"/admin/areas/{area_a.id}/audit").get_data(as_text=True)
    assert "published a consent text" in audit_a
    other = app.test_client()
    sign_in(other, admin_b)
    audit_b = other.get(f"/admin/areas/{area_b.id}/audit").get_data(as_text=True)
    assert "published a consent text" not in audit_b


def test_an_area_admin_cannot_publish_for_another_area_or_the_default(app, two_areas):
    from peer_groups.consent.models import ConsentText

    (area_a, _, _), (_, admin_b, _) = two_areas["A"], two_areas["B"]
    with app.app_context():
        before = len(db.session.scalars(select(ConsentText.id)).all())
    staff = app.test_client()
    sign_in(staff, admin_b)
    base = f"/admin/areas/{area_a.id}/consent-texts"
    assert staff.get(base).status_code == 403
    assert staff.get(f"{base}/attendance/new").status_code == 403
    assert post(staff, f"{base}/attendance/new", NEW_TEXTS).status_code == 403
    assert post(staff, f"{base}/attendance/publish", NEW_TEXTS).status_code == 403
    assert staff.get("/admin/consent-texts/default/attendance/new").status_code == 403
    assert post(staff, "/admin/consent-texts/default/attendance/publish",
                NEW_TEXTS).status_code == 403
    assert staff.get("/admin/areas/999999/consent-texts/attendance/new").status_code == 404
    with app.app_context():
        assert len(db.session.scalars(select(ConsentText.id)).all()) == before
    assert published_events(app) == []


def test_publishing_shows_a_preview_with_the_changes_and_asks_to_confirm(app, two_areas):
    from peer_groups.consent.models import ConsentText

    area, admin, _ = two_areas["A"]
    staff = app.test_client()
    sign_in(staff, admin)
    base = f"/admin/areas/{area.id}/consent-texts/attendance"
    texts = {**NEW_TEXTS, "text_en": "May we write your first name on the attendance list "
                                      "of the meetings?\n\nWho sees it: only your group's workers."}
    preview = post(staff, f"{base}/new", texts).get_data(as_text=True)
    assert "Check the new version" in preview
    assert "<del>" in preview and "<ins>" in preview
    assert '<span class="visually-hidden">Added: </span>first' in preview
    assert "Removed: " in preview  # not colour alone: the change is said in words
    assert f'action="/admin/areas/{area.id}/consent-texts/attendance/publish"' in preview
    with app.app_context():  # a preview publishes nothing
        assert db.session.scalar(select(ConsentText.version).where(
            ConsentText.area_id == area.id, ConsentText.purpose == "attendance")
            .order_by(ConsentText.version.desc()).limit(1)) == 1
    assert published_events(app) == []
    back = post(staff, f"{base}/new", {**texts, "edit": "1"}).get_data(as_text=True)
    assert "your first name on the attendance list" in back and "<del>" not in back
    empty = post(staff, f"{base}/new", {**texts, "text_sv": ""}).get_data(as_text=True)
    assert "Write the text." in empty and "your first name on the attendance list" in empty
    bad = post(staff, f"{base}/publish", {**texts, "text_fi": ""}).get_data(as_text=True)
    assert "Write the text." in bad and "your first name on the attendance list" in bad
    same = post(staff, f"{base}/new", {}).get_data(as_text=True)  # nothing typed at all
    assert "Write the text." in same
    assert published_events(app) == []
    unseen = post(staff, f"{base}/publish", texts)  # a confirm without a preview: the preview
    assert "Check the new version" in unseen.get_data(as_text=True)
    assert published_events(app) == []
    assert post(staff, f"{base}/publish", {**texts, "base_version": "1"}).location == (
        f"/admin/areas/{area.id}/consent-texts")
    assert published_events(app) == [(area.id, admin.id)]


def test_a_version_published_meanwhile_is_shown_before_anything_is_published(app, make,
                                                                              two_areas):
    area, admin, _ = two_areas["A"]
    mine, theirs = app.test_client(), app.test_client()
    sign_in(mine, admin)
    sign_in(theirs, make.user(Role.ADMIN, area=area))
    base = f"/admin/areas/{area.id}/consent-texts"
    post(mine, f"{base}/attendance/new", NEW_TEXTS)  # I look at my preview of version 2 ...
    publish(theirs, base, texts={**NEW_TEXTS, "text_en": "Their text."})  # ... they publish
    again = post(mine, f"{base}/attendance/publish", {**NEW_TEXTS, "base_version": "1"})
    page = again.get_data(as_text=True)
    assert "Someone published a new version while you were checking" in page
    assert "Removed: </span>Their" in page and 'name="base_version" value="2"' in page
    assert len(published_events(app)) == 1
    done = post(mine, f"{base}/attendance/publish", {**NEW_TEXTS, "base_version": "2"})
    assert_redirect(done)
    assert len(published_events(app)) == 2


def test_publishing_the_same_text_again_is_refused(app, two_areas):
    from peer_groups.consent.default_texts import DEFAULT_TEXTS

    area, admin, _ = two_areas["A"]
    staff = app.test_client()
    sign_in(staff, admin)
    same = {f"text_{lang}": text for lang, text in DEFAULT_TEXTS["attendance"].items()}
    page = post(staff, f"/admin/areas/{area.id}/consent-texts/attendance/new", same)
    assert "This is the same as the current version" in page.get_data(as_text=True)


def test_the_service_owner_publishes_a_default_that_new_areas_start_from(app, make, two_areas):
    (area_a, _, youth_a) = two_areas["A"]
    owner = make.user(Role.ADMIN, area=None, is_superuser=True)
    staff = app.test_client()
    sign_in(staff, owner)
    assert "Area A" in staff.get("/admin/consent-texts").get_data(as_text=True)
    done = publish(staff, "/admin/consent-texts/default")
    assert done.location == "/admin/consent-texts"
    assert published_events(app) == [(None, owner.id)]
    page_a = attendance_section(app, youth_a)
    assert "A new text" not in page_a and "New: please answer" not in page_a
    created = post(staff, "/admin/areas/new", {"name": "Kanta-Häme", "youth_upper_age": "25"})
    new_area_id = int(created.location.rstrip("/").split("/")[-1])
    texts = staff.get(f"/admin/areas/{new_area_id}/consent-texts").get_data(as_text=True)
    assert "A new text" in texts
    newcomer = make.user(Role.YOUTH, area=db_area(app, new_area_id))
    assert "A new text" in attendance_section(app, newcomer)
    # The service owner may also publish for a chosen area.
    publish(staff, f"/admin/areas/{area_a.id}/consent-texts", texts={
        **NEW_TEXTS, "text_en": "Area A's own text."})
    assert "Area A&#39;s own text." in attendance_section(app, youth_a)
    assert published_events(app)[-1] == (area_a.id, owner.id)


def db_area(app, area_id):
    from peer_groups.areas.models import Area

    with app.app_context():
        return db.session.get(Area, area_id)
