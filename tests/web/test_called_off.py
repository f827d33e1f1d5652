"""A called-off meeting says so everywhere; a worker can restore it, reopen a closed register
for corrections within a time limit, and a plan item is removed only after asking first."""

import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from icalendar import Calendar
from sqlalchemy import select

from peer_groups.audit.models import AuditEvent
from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.domain.signups import SignupStatus
from peer_groups.meetings.models import Meeting, MeetingStatus, PlanItem
from peer_groups.notifications.models import OutboxMessage
from peer_groups.signups import services as signups
from peer_groups.signups.models import Signup
from tests.conftest import post, sign_in
from tests.helpers import assert_redirect

REASON = "Ohjaaja sairastui"


@pytest.fixture
def crew(app, make):
    """A group of three young people (one Finnish-speaking), its worker and experience
    expert, a worker of another group in the same area, and a meeting with two places: two
    have one, the third waits. The worker has called it off."""
    area = make.area()
    worker = make.user(Role.WORKER, area=area)
    expert = make.user(Role.EXPERT, area=area)
    stranger = make.user(Role.WORKER, area=area)  # runs another group of the area
    youth = [make.user(Role.YOUTH, area=area, display_name="Aino", language="fi"),
             make.user(Role.YOUTH, area=area, display_name="Ben"),
             make.user(Role.YOUTH, area=area, display_name="Cai")]
    group = make.group(area, facilitators=[worker, expert], members=youth, name="Iltaryhmä")
    make.group(area, facilitators=[stranger], name="Toinen ryhmä")
    meeting = make.meeting(group, capacity=2)
    with app.app_context():
        for person in youth:
            signups.sign_up(meeting.id, db.session.get(User, person.id))
        db.session.commit()
    staff = app.test_client()
    sign_in(staff, worker)
    assert_redirect(post(staff, f"/meetings/{meeting.id}/call-off", {"reason": REASON}),
                    f"/meetings/{meeting.id}")
    return SimpleNamespace(area=area, worker=worker, expert=expert, stranger=stranger,
                           youth=youth, group=group, meeting=meeting, staff=staff)


def client_of(app, person):
    client = app.test_client()
    sign_in(client, person)
    return client


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def statuses(app, meeting):
    """Each sign-up's status in first-come order, and the seats taken."""
    with app.app_context():
        rows = db.session.scalars(select(Signup).where(Signup.meeting_id == meeting.id)
                                  .order_by(Signup.requested_at, Signup.id)).all()
        return ([(s.user_id, s.status) for s in rows],
                db.session.get(Meeting, meeting.id).taken)


def assert_offers_nothing(html, meeting, *had_place_texts):
    for text in had_place_texts:
        assert text not in html
    assert f'action="/meetings/{meeting.id}/signup"' not in html
    assert f'href="/meetings/{meeting.id}/cancel"' not in html
    assert f"/meetings/{meeting.id}.ics" not in html


@pytest.mark.parametrize(("who", "cancelled", "had_place", "signed_up"), [
    (0, "Tämä tapaaminen on peruttu.", "Sinulla on paikka", "Olet ilmoittautunut"),
    (1, "This meeting is cancelled.", "You have a place", "You are signed up"),
])
def test_a_called_off_meeting_says_so_and_offers_nothing(app, crew, who, cancelled,
                                                         had_place, signed_up):
    meeting = crew.meeting
    youth = client_of(app, crew.youth[who])
    shown = page(youth, f"/meetings/{meeting.id}")
    assert cancelled in shown and REASON in shown
    # First: straight under the date, before the facts and the plan.
    assert shown.index(REASON) < shown.index('class="facts"')
    assert_offers_nothing(shown, meeting, had_place, signed_up)

    home = page(youth, "/home")
    assert REASON in home
    assert_offers_nothing(home, meeting, had_place, signed_up)
    card = home[home.index('id="next-heading"'):]
    assert card.index(REASON) < card.index(meeting.venue_name or "</section>")

    listing = page(youth, f"/groups/{crew.group.id}")
    assert REASON in listing and meeting.starts_at.isoformat() in listing
    assert_offers_nothing(listing, meeting, had_place, signed_up)


def test_staff_lists_and_the_workers_page_show_the_call_off(app, crew):
    meeting = crew.meeting
    shown = page(crew.staff, f"/meetings/{meeting.id}")
    assert "This meeting is cancelled." in shown and REASON in shown
    assert f"/meetings/{meeting.id}.ics" not in shown
    assert REASON in page(crew.staff, f"/groups/{crew.group.id}")
    # "Next meeting" on the staff home is one that happens: none is left here.
    home = page(crew.staff, "/home")
    assert "Next meeting:" not in home and "No meetings planned." in home


def test_signing_up_or_cancelling_a_called_off_meeting_is_refused(app, crew):
    meeting = crew.meeting
    before = statuses(app, meeting)
    aino, cai = client_of(app, crew.youth[0]), client_of(app, crew.youth[2])
    refused = post(aino, f"/meetings/{meeting.id}/cancel", follow_redirects=True)
    assert "Tämä tapaaminen on peruttu" in refused.get_data(as_text=True)
    assert "ilmoittautumiset pysyvät ennallaan" in refused.get_data(as_text=True)
    # The confirmation page is not offered either: back to the meeting, with the reason.
    assert_redirect(aino.get(f"/meetings/{meeting.id}/cancel"), f"/meetings/{meeting.id}")
    removed = post(crew.staff, f"/meetings/{meeting.id}/people/{crew.youth[1].id}/remove",
                   {"reason": "asked"}, follow_redirects=True)
    assert "sign-ups stay as they are" in removed.get_data(as_text=True)
    post(cai, f"/meetings/{meeting.id}/cancel")
    again = post(cai, f"/meetings/{meeting.id}/signup", follow_redirects=True)
    assert "This meeting is cancelled, so there is nothing to sign up for." in again.get_data(
        as_text=True)
    assert statuses(app, meeting) == before
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage.template).where(
            OutboxMessage.template != "meeting_cancelled")).all() == []


def test_the_calendar_feeds_mark_the_call_off(app, crew):
    body = crew.staff.get(f"/meetings/{crew.meeting.id}.ics").get_data()
    event = Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1


def test_a_worker_restores_it_and_everyone_keeps_their_place(app, crew):
    meeting, staff = crew.meeting, crew.staff
    before = statuses(app, meeting)
    shown = page(staff, f"/meetings/{meeting.id}")
    assert f'href="/meetings/{meeting.id}/restore"' in shown
    confirm = page(staff, f"/meetings/{meeting.id}/restore")
    assert "Restore this meeting?" in confirm and "2 people have a place" in confirm
    assert "1 is on the waiting list" in confirm
    assert statuses(app, meeting) == before  # asking changes nothing
    assert_redirect(post(staff, f"/meetings/{meeting.id}/restore"), f"/meetings/{meeting.id}")

    assert statuses(app, meeting) == before  # exactly the same places, the same queue
    with app.app_context():
        restored = db.session.get(Meeting, meeting.id)
        assert restored.status is MeetingStatus.PLANNED and restored.cancel_reason is None
        told = db.session.execute(select(OutboxMessage.user_id, OutboxMessage.body).where(
            OutboxMessage.template == "meeting_restored")).all()
        assert db.session.scalar(select(AuditEvent.actor_id).where(
            AuditEvent.action == "meeting.restored",
            AuditEvent.object_id == meeting.id)) == crew.worker.id
    bodies = dict(told)
    assert sorted(bodies) == sorted(p.id for p in crew.youth)
    assert "paikkasi on edelleen sinun" in bodies[crew.youth[0].id]  # in Aino's Finnish
    assert "waiting list" in bodies[crew.youth[2].id]
    assert f"/meetings/{meeting.id}" in bodies[crew.youth[1].id]

    aino = page(client_of(app, crew.youth[0]), f"/meetings/{meeting.id}")
    assert "Sinulla on paikka" in aino and REASON not in aino
    assert f"/meetings/{meeting.id}.ics" in aino
    cai = page(client_of(app, crew.youth[2]), f"/meetings/{meeting.id}")
    assert "You are number 1 on the waiting list." in cai
    event = Calendar.from_ical(staff.get(f"/meetings/{meeting.id}.ics").get_data()).walk(
        "VEVENT")[0]
    assert str(event["STATUS"]) == "CONFIRMED" and int(event["SEQUENCE"]) == 2

    twice = post(staff, f"/meetings/{meeting.id}/restore", follow_redirects=True)
    assert "This meeting is not cancelled." in twice.get_data(as_text=True)


@pytest.mark.parametrize("who", ["stranger", "expert", "youth", "anonymous"])
def test_only_those_who_run_the_group_may_restore(app, crew, who):
    meeting = crew.meeting
    if who == "anonymous":
        client = app.test_client()
    else:
        client = client_of(app, crew.youth[0] if who == "youth" else getattr(crew, who))
    for response in (client.get(f"/meetings/{meeting.id}/restore"),
                     post(client, f"/meetings/{meeting.id}/restore")):
        if who == "anonymous":
            assert response.headers["Location"].startswith("/auth/sign-in")
        else:
            assert response.status_code == 403
    if who != "anonymous":
        shown = client.get(f"/meetings/{meeting.id}")
        assert f"/meetings/{meeting.id}/restore" not in shown.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Meeting, meeting.id).status is MeetingStatus.CANCELLED
        assert db.session.scalar(select(OutboxMessage.id).where(
            OutboxMessage.template == "meeting_restored")) is None


def test_a_meeting_that_has_started_cannot_be_restored(app, make):
    area = make.area()
    worker = make.user(Role.WORKER, area=area)
    group = make.group(area, facilitators=[worker])
    started = make.meeting(group, starts_at=datetime.now(UTC) - timedelta(minutes=30),
                           status=MeetingStatus.CANCELLED, cancel_reason="Myrsky")
    staff = client_of(app, worker)
    assert "/restore" not in page(staff, f"/meetings/{started.id}")
    refused = post(staff, f"/meetings/{started.id}/restore", follow_redirects=True)
    assert "has already started" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Meeting, started.id).status is MeetingStatus.CANCELLED


def test_a_place_given_up_while_called_off_goes_to_the_next_in_line_on_restore(app, crew):
    """Erasing an account frees its place even while the meeting is called off; nobody is
    promoted to a meeting that is not on, but the restore fills the place from the queue."""
    from peer_groups.privacy.services import erase

    meeting = crew.meeting
    with app.app_context():
        erase(db.session.get(User, crew.youth[1].id))
        db.session.commit()
        assert db.session.scalar(select(OutboxMessage.id).where(
            OutboxMessage.template == "promoted")) is None
    post(crew.staff, f"/meetings/{meeting.id}/restore")
    assert statuses(app, meeting) == (
        [(crew.youth[0].id, SignupStatus.CONFIRMED), (crew.youth[2].id, SignupStatus.CONFIRMED)],
        2)
    with app.app_context():
        told = db.session.execute(select(OutboxMessage.user_id, OutboxMessage.template).where(
            OutboxMessage.template.in_(("promoted", "meeting_restored")))).all()
    assert sorted(told) == sorted([(crew.youth[0].id, "meeting_restored"),
                                   (crew.youth[2].id, "promoted")])


# --- reopening a closed register -----------------------------------------------------------

@pytest.fixture
def held(app, make):
    """A meeting that ended three days ago, and one that ended fifteen days ago, both with
    their registers closed; one member has given attendance consent, one has not."""
    from peer_groups.attendance import services as attendance
    from peer_groups.consent import services as consent
    from peer_groups.domain.consent import Purpose

    area = make.area()
    worker = make.user(Role.WORKER, area=area)
    expert = make.user(Role.EXPERT, area=area)
    stranger = make.user(Role.WORKER, area=area)
    yes, no = make.user(Role.YOUTH, area=area), make.user(Role.YOUTH, area=area)
    group = make.group(area, facilitators=[worker, expert], members=[yes, no])
    make.group(area, facilitators=[stranger])
    now = datetime.now(UTC).replace(microsecond=0)
    recent = make.meeting(group, starts_at=now - timedelta(days=3, hours=2))
    old = make.meeting(group, starts_at=now - timedelta(days=15, hours=2))
    with app.app_context():
        consent.answer(db.session.get(User, yes.id), Purpose.ATTENDANCE, True)
        for one in (recent, old):
            attendance.close(db.session.get(Meeting, one.id), db.session.get(User, worker.id))
        db.session.commit()
    return SimpleNamespace(worker=worker, expert=expert, stranger=stranger, yes=yes, no=no,
                           recent=recent, old=old)


def closed_at(app, meeting):
    with app.app_context():
        return db.session.get(Meeting, meeting.id).register_closed_at


def test_a_worker_reopens_a_closed_register_for_corrections(app, held):
    staff = client_of(app, held.worker)
    url = f"/meetings/{held.recent.id}/register"
    shown = page(staff, url)
    assert "The register is closed." in shown and f'action="{url}/reopen"' in shown
    assert_redirect(post(staff, f"{url}/reopen"), url)
    assert closed_at(app, held.recent) is None
    twice = post(staff, f"{url}/reopen", follow_redirects=True).get_data(as_text=True)
    assert "The register is open already." in twice and "Close it again" not in twice
    reopened = page(staff, url)
    assert "Open for corrections until" in reopened
    assert f'action="{url}/{held.yes.id}"' in reopened
    # The consent rule stays: a name only with consent in force.
    post(staff, f"{url}/{held.yes.id}", {"present": "1"})
    refused = post(staff, f"{url}/{held.no.id}", {"present": "1"}, follow_redirects=True)
    assert "Without their consent" in refused.get_data(as_text=True)
    post(staff, f"{url}/close")
    with app.app_context():
        assert db.session.get(Meeting, held.recent.id).register_closed_at is not None
        assert db.session.get(Meeting, held.recent.id).status is MeetingStatus.HELD
        actions = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.object_id == held.recent.id, AuditEvent.actor_id == held.worker.id)
            .order_by(AuditEvent.id)).all()
    assert "attendance.register_reopened" in actions
    assert actions.index("attendance.register_reopened") < actions.index("attendance.marked")


def test_after_the_time_limit_the_register_stays_closed(app, held):
    staff = client_of(app, held.worker)
    url = f"/meetings/{held.old.id}/register"
    shown = page(staff, url)
    assert f'action="{url}/reopen"' not in shown
    refused = post(staff, f"{url}/reopen", follow_redirects=True)
    assert "can be corrected for 14 days after the meeting" in refused.get_data(as_text=True)
    assert closed_at(app, held.old) is not None


@pytest.mark.parametrize("app_config", [{"REGISTER_REOPEN_DAYS": 30}])
def test_the_time_limit_is_configurable(app, held):
    staff = client_of(app, held.worker)
    assert_redirect(post(staff, f"/meetings/{held.old.id}/register/reopen"))
    assert closed_at(app, held.old) is None


def test_a_register_reopened_in_time_takes_no_corrections_after_the_limit(app, held):
    with app.app_context():
        db.session.get(Meeting, held.old.id).register_closed_at = None  # reopened back then
        db.session.commit()
    staff = client_of(app, held.worker)
    url = f"/meetings/{held.old.id}/register"
    refused = post(staff, f"{url}/{held.yes.id}", {"present": "1"}, follow_redirects=True)
    assert "can be corrected for 14 days" in refused.get_data(as_text=True)
    refused = post(staff, f"{url}/headcount", {"headcount": "3"}, follow_redirects=True)
    assert "can be corrected for 14 days" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Meeting, held.old.id).headcount == 0


@pytest.mark.parametrize("who", ["stranger", "expert", "youth", "anonymous"])
def test_only_those_who_run_the_group_may_reopen(app, held, who):
    if who == "anonymous":
        client = app.test_client()
    else:
        client = client_of(app, held.yes if who == "youth" else getattr(held, who))
    response = post(client, f"/meetings/{held.recent.id}/register/reopen")
    if who == "anonymous":
        assert response.headers["Location"].startswith("/auth/sign-in")
    else:
        assert response.status_code == 403
    assert closed_at(app, held.recent) is not None


# --- removing a plan item ------------------------------------------------------------------

def test_removing_a_plan_item_asks_first(app, make):
    area = make.area()
    worker, expert = make.user(Role.WORKER, area=area), make.user(Role.EXPERT, area=area)
    youth = make.user(Role.YOUTH, area=area)
    stranger = make.user(Role.WORKER, area=area)
    group = make.group(area, facilitators=[worker, expert], members=[youth])
    make.group(area, facilitators=[stranger])
    meeting = make.meeting(group)
    item = make.plan_item(meeting, title="Keilaus")
    url = f"/meetings/{meeting.id}/plan/{item.id}/remove"
    staff = client_of(app, expert)  # experience experts plan too
    shown = page(staff, f"/meetings/{meeting.id}")
    assert re.search(rf'<a [^>]*href="{url}"', shown)  # a link to ask, not a form that removes
    confirm = page(staff, url)
    assert "Remove from the plan?" in confirm and "Keilaus" in confirm
    assert f'action="{url}"' in confirm and "No, keep it" in confirm
    with app.app_context():
        assert db.session.get(PlanItem, item.id) is not None  # asking removes nothing
    for who in (youth, stranger):
        other = client_of(app, who)
        assert other.get(url).status_code == 403
        assert post(other, url).status_code == 403
    assert app.test_client().get(url).headers["Location"].startswith("/auth/sign-in")
    assert_redirect(post(staff, url), f"/meetings/{meeting.id}")
    with app.app_context():
        assert db.session.get(PlanItem, item.id) is None
        assert db.session.scalar(select(AuditEvent.actor_id).where(
            AuditEvent.action == "plan_item.removed")) == expert.id
