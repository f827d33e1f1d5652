"""A worker plans a year of meetings and their plans; bad input loses nothing."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import HELSINKI
from peer_groups.groups.models import Group
from peer_groups.meetings.models import Meeting, MeetingStatus, PlanItem
from tests import factories
from tests.conftest import post, sign_in


@pytest.fixture
def team(make):
    area = make.area()
    worker = make.user(Role.WORKER, area=area, display_name="Olli Ohjaaja")
    expert = make.user(Role.EXPERT, area=area, display_name="Kalle Kokemus")
    youth = [make.user(Role.YOUTH, area=area, display_name=f"Nuori{i} Sukunimi")
             for i in range(3)]
    group = make.group(area, facilitators=[worker, expert], members=youth, name="Iltaryhmä",
                       default_capacity=8)
    return area, worker, expert, youth, group


def count(app, model, **where):
    with app.app_context():
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.session.scalar(query)


def test_worker_creates_a_group_then_previews_and_saves_a_year(app, client, make):
    area = make.area()
    worker = make.user(Role.WORKER, area=area)
    member = make.user(Role.YOUTH, area=area)
    sign_in(client, worker)
    response = post(client, "/groups/new", {
        "name": "Torstairyhmä", "description": "", "language": "fi", "team_id": "0",
        "venue_name": "Kulma", "venue_address": "Katu 1", "venue_accessibility": "",
        "default_capacity": "10", "target_size": "8", "default_start_time": "17:00",
        "default_duration_minutes": "120", "facilitator_ids": [str(worker.id)],
        "member_ids": [str(member.id)]})
    with app.app_context():
        group = db.session.scalars(select(Group)).one()
    assert response.headers["Location"] == f"/groups/{group.id}/schedule"

    schedule = {"kind": "weekday", "week": "2", "weekday": "3", "day": "15",
                "start_time": "17:00", "duration_minutes": "120", "skip_months": ["7"]}
    preview = post(client, f"/groups/{group.id}/schedule", {**schedule, "preview": "1"})
    page = preview.get_data(as_text=True)
    assert "new meetings" in page and "Save and add these meetings" in page
    assert count(app, Meeting) == 0  # a preview saves nothing

    saved = post(client, f"/groups/{group.id}/schedule", {**schedule, "save": "1"})
    assert saved.headers["Location"] == f"/groups/{group.id}"
    with app.app_context():
        starts = db.session.scalars(select(Meeting.starts_at)).all()
    assert 11 <= len(starts) <= 12
    for moment in starts:
        local = moment.astimezone(HELSINKI)
        assert local.weekday() == 3 and 8 <= local.day <= 14 and local.hour == 17
        assert local.month != 7


def test_the_preview_warns_about_public_holidays(app, client, team):
    _, worker, _, _, group = team
    sign_in(client, worker)
    # The 1st of every month includes 1 January and 1 May (New Year's Day, May Day).
    page = post(client, f"/groups/{group.id}/schedule", {
        "kind": "day", "week": "1", "weekday": "0", "day": "1", "start_time": "12:00",
        "duration_minutes": "60", "preview": "1"}).get_data(as_text=True)
    assert "Public holiday:" in page


def test_a_rule_without_months_is_refused_and_the_form_kept(app, client, team):
    _, worker, _, _, group = team
    sign_in(client, worker)
    page = post(client, f"/groups/{group.id}/schedule", {
        "kind": "day", "week": "1", "weekday": "0", "day": "12", "start_time": "17:00",
        "duration_minutes": "120", "skip_months": [str(m) for m in range(1, 13)],
        "save": "1"}).get_data(as_text=True)
    assert "Leave at least one month" in page
    assert 'value="12"' in page  # what was typed is still there
    assert count(app, Meeting) == 0


def meeting_form(meeting_day, **overrides):
    data = {"day": meeting_day.isoformat(), "starts": "17:00", "ends": "19:00", "capacity": "8",
            "venue_name": "Kulma", "venue_address": "", "venue_accessibility": ""}
    data.update(overrides)
    return data


def test_bad_meeting_input_gets_clear_messages_and_saves_nothing(app, client, team):
    _, worker, _, _, group = team
    sign_in(client, worker)
    future = (datetime.now(UTC) + timedelta(days=30)).date()
    past = (datetime.now(UTC) - timedelta(days=3)).date()
    cases = [
        (meeting_form(future, ends="16:00"), "must end after it starts"),
        (meeting_form(past), "Choose a time in the future"),
        (meeting_form(future, venue_name="x" * 10_000), "Field cannot be longer"),
        (meeting_form(future, capacity="0"), "from 1 to 200"),
        (meeting_form(future, day="not a date"), "Not a valid date"),
    ]
    for data, message in cases:
        response = post(client, f"/groups/{group.id}/meetings/new", data)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True), message
    assert count(app, Meeting) == 0


def test_capacity_below_the_confirmed_is_refused(app, client, make, team):
    _, worker, _, _, group = team
    meeting = make.meeting(group, capacity=8, starts_at=factories.next_week_afternoon())
    with app.app_context():
        db.session.get(Meeting, meeting.id).taken = 6
        db.session.commit()
    sign_in(client, worker)
    local = meeting.starts_at.astimezone(HELSINKI)
    response = post(client, f"/meetings/{meeting.id}/edit", meeting_form(
        local.date(), starts=local.strftime("%H:%M"),
        ends=(local + timedelta(hours=2)).strftime("%H:%M"), capacity="5"))
    assert "6 people have a place already" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Meeting, meeting.id).capacity == 8


def test_cancelling_needs_a_reason(app, client, make, team):
    _, worker, _, _, group = team
    meeting = make.meeting(group)
    sign_in(client, worker)
    empty = post(client, f"/meetings/{meeting.id}/call-off", {"reason": ""})
    assert "Write a short reason" in empty.get_data(as_text=True)
    done = post(client, f"/meetings/{meeting.id}/call-off", {"reason": "Sairastuminen"})
    assert done.headers["Location"] == f"/meetings/{meeting.id}"
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "This meeting is cancelled." in page and "Sairastuminen" in page
    with app.app_context():
        assert db.session.get(Meeting, meeting.id).status is MeetingStatus.CANCELLED


def test_plan_items_are_added_ordered_copied_and_removed(app, client, make, team):
    _, worker, expert, _, group = team
    earlier = make.meeting(group, starts_at=datetime.now(UTC) + timedelta(days=3))
    later = make.meeting(group, starts_at=datetime.now(UTC) + timedelta(days=33))
    sign_in(client, expert)  # experience experts plan too
    for kind, title in [("snack", "Pizza"), ("activity", "Keilaus"), ("outing", "Retki")]:
        response = post(client, f"/meetings/{earlier.id}/plan", {
            "kind": kind, "title": title, "details": "", "materials": "",
            "cost_euros": "12.50", "responsible_id": str(worker.id)})
        assert response.headers["Location"].endswith(f"/meetings/{earlier.id}#plan")
    bad = post(client, f"/meetings/{earlier.id}/plan", {
        "kind": "snack", "title": "", "cost_euros": "-3", "responsible_id": "0"})
    assert "Write what it is." in bad.get_data(as_text=True)
    with app.app_context():
        items = db.session.scalars(select(PlanItem).order_by(PlanItem.position)).all()
        assert [i.title for i in items] == ["Pizza", "Keilaus", "Retki"]
        assert items[0].cost_cents == 1250
        assert db.session.get(Meeting, earlier.id).is_outing  # an outing on the plan
        last = items[-1].id
    post(client, f"/meetings/{earlier.id}/plan/{last}/move", {"direction": "up"})
    post(client, f"/meetings/{later.id}/plan/copy", {"source_id": str(earlier.id)})
    post(client, f"/meetings/{earlier.id}/plan/{last}/remove")
    with app.app_context():
        titles = db.session.scalars(select(PlanItem.title).where(
            PlanItem.meeting_id == earlier.id).order_by(PlanItem.position)).all()
        copied = db.session.scalars(select(PlanItem).where(
            PlanItem.meeting_id == later.id).order_by(PlanItem.position)).all()
    assert titles == ["Pizza", "Keilaus"]
    assert [i.title for i in copied] == ["Pizza", "Retki", "Keilaus"]
    assert all(i.responsible_id is None for i in copied)


def test_a_member_reads_the_plan_in_plain_words(client, make, team):
    _, _, _, youth, group = team
    meeting = make.meeting(group)
    make.plan_item(meeting, kind="snack", title="Tacot", details="Myös kasvis", cost_cents=4000)
    sign_in(client, youth[0])
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Tacot" in page and "Myös kasvis" in page and "Snack or meal" in page
    assert "Places left" in page and "10 / 10" in page
    assert "40.00" not in page  # costs are for staff
    assert "Add to the plan" not in page


def test_youth_see_only_their_own_groups(client, make, team):
    area, _, _, youth, group = team
    other = make.group(area, name="Toinen ryhmä")
    meeting = make.meeting(other)
    sign_in(client, youth[0])
    assert client.get(f"/groups/{other.id}").status_code == 403
    assert client.get(f"/meetings/{meeting.id}").status_code == 403
    listing = client.get("/groups/").get_data(as_text=True)
    assert "Iltaryhmä" in listing and "Toinen ryhmä" not in listing


def test_text_of_only_spaces_counts_as_empty(app, client, make, team):
    _, worker, _, _, group = team
    meeting = make.meeting(group)
    sign_in(client, worker)
    page = post(client, f"/meetings/{meeting.id}/plan", {
        "kind": "snack", "title": "   ", "responsible_id": "0"}).get_data(as_text=True)
    assert "Write what it is." in page
    cancel = post(client, f"/meetings/{meeting.id}/call-off", {"reason": "  \t "})
    assert "Write a short reason" in cancel.get_data(as_text=True)
    post(client, f"/meetings/{meeting.id}/plan", {
        "kind": "snack", "title": "  Pizza  ", "responsible_id": "0"})
    with app.app_context():
        assert db.session.scalars(select(PlanItem.title)).all() == ["Pizza"]
        assert db.session.get(Meeting, meeting.id).status is MeetingStatus.PLANNED


def test_small_member_counts_are_hidden_from_coordinators(app, make, team):
    area, worker, _, _, _ = team
    coordinator = make.user(Role.COORDINATOR, area=area)
    client = app.test_client()
    sign_in(client, coordinator)
    assert "Members: &lt; 5" in client.get("/home").get_data(as_text=True)
    own = app.test_client()
    sign_in(own, worker)
    assert "3 members" in own.get("/home").get_data(as_text=True)
