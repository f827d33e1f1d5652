"""The worker at the venue: today in one tap from home, the meeting page's tools first, and
every meeting of a group within reach (past ones page by page)."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event

from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import HELSINKI
from peer_groups.meetings.models import MeetingStatus
from peer_groups.workload.models import AssignmentRole, StaffAssignment, TimeLog
from tests.conftest import sign_in


def today_at(hour, minute=0):
    """Today in Helsinki at `hour`, whatever the time now."""
    local = datetime.now(HELSINKI).replace(hour=hour, minute=minute, second=0, microsecond=0)
    return local.astimezone(UTC)


def later_today():
    """Today at 17, or, once that has passed, in a few minutes: still today and still to come,
    whenever the suite runs (it failed each evening after 19, when 17's meeting had ended)."""
    return min(max(today_at(17), datetime.now(UTC) + timedelta(minutes=5)), today_at(23, 59))


@pytest.fixture
def venue(make, app):
    """A worker's group with a meeting today, one next week, and three past ones: register
    left open, held without the worker's hours, and held and done."""
    area = make.area()
    worker = make.user(Role.WORKER, area=area)
    expert = make.user(Role.EXPERT, area=area)
    youth = make.user(Role.YOUTH, area=area, display_name="Aino Nuori")
    coordinator = make.user(Role.COORDINATOR, area=area)
    group = make.group(area, facilitators=[worker, expert], members=[youth], name="Iltaryhmä")
    now = datetime.now(UTC)
    m = {
        "today": make.meeting(group, starts_at=later_today(), capacity=8),
        "next": make.meeting(group, starts_at=now + timedelta(days=7)),
        "open": make.meeting(group, starts_at=now - timedelta(days=30)),
        "hours": make.meeting(group, starts_at=now - timedelta(days=60),
                              status=MeetingStatus.HELD,
                              register_closed_at=now - timedelta(days=60)),
        "done": make.meeting(group, starts_at=now - timedelta(days=90),
                             status=MeetingStatus.HELD,
                             register_closed_at=now - timedelta(days=90)),
    }
    with app.app_context():
        for key in ("hours", "done"):
            for person, role in ((worker, AssignmentRole.LEAD), (expert, AssignmentRole.EXPERT)):
                db.session.add(StaffAssignment(meeting_id=m[key].id, user_id=person.id,
                                               role=role))
        db.session.add(TimeLog(meeting_id=m["done"].id, user_id=worker.id, hours=Decimal(6)))
        db.session.add(TimeLog(meeting_id=m["done"].id, user_id=expert.id, hours=Decimal(3)))
        db.session.commit()
    return {"worker": worker, "expert": expert, "youth": youth, "coordinator": coordinator,
            "group": group, **{k: v.id for k, v in m.items()}}


def section(page, heading_id):
    """The HTML of the <section> labelled by `heading_id`, or ''."""
    found = re.search(rf'<section aria-labelledby="{heading_id}".*?</section>', page, re.S)
    return found.group(0) if found else ""


def test_the_workers_home_shows_today_with_one_big_register_button(client, venue):
    sign_in(client, venue["worker"])
    page = client.get("/home").get_data(as_text=True)
    today = section(page, "today-heading")
    assert (f'class="button button-primary button-big" href="/meetings/{venue["today"]}/register"'
            in today)
    assert f'href="/meetings/{venue["next"]}"' in today  # the next meeting after today
    assert page.index("today-heading") < page.index("My groups")  # today comes first


def test_needs_you_lists_the_open_register_and_the_missing_hours_with_links(client, venue):
    sign_in(client, venue["worker"])
    needs = section(client.get("/home").get_data(as_text=True), "needs-you-heading")
    assert f'href="/meetings/{venue["open"]}/register"' in needs
    assert f'href="/meetings/{venue["hours"]}/hours"' in needs
    assert f'/meetings/{venue["done"]}' not in needs  # closed and logged: nothing to do
    assert f'/meetings/{venue["today"]}' not in needs  # today's is above, not "past"


def test_an_expert_is_asked_for_hours_but_never_sent_to_the_register(client, venue):
    sign_in(client, venue["expert"])
    page = client.get("/home").get_data(as_text=True)
    assert "/register" not in page  # the register names young people
    assert f'href="/meetings/{venue["today"]}"' in section(page, "today-heading")
    needs = section(page, "needs-you-heading")
    assert f'href="/meetings/{venue["hours"]}/hours"' in needs
    assert f'/meetings/{venue["open"]}' not in needs  # only a worker can close that register


@pytest.mark.parametrize("role", ["youth", "coordinator"])
def test_others_get_no_today_section(client, venue, role):
    sign_in(client, venue[role])
    page = client.get("/home").get_data(as_text=True)
    assert 'id="today-heading"' not in page and 'id="needs-you-heading"' not in page


def queries_for(app, client, path):
    """How many statements the database runs for one page."""
    statements = []

    def count(*_args):
        statements.append(1)
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def same_area(app, group):
    from peer_groups.areas.models import Area

    with app.app_context():
        area = db.session.get(Area, group.area_id)
        db.session.expunge(area)
        return area


def test_the_home_asks_the_database_a_fixed_few_times(app, client, make, venue):
    """No N+1: more meetings and groups waiting for the worker cost no more queries."""
    sign_in(client, venue["worker"])
    before = queries_for(app, client, "/home")
    other = make.group(same_area(app, venue["group"]), facilitators=[venue["worker"]],
                       name="Toinen")
    for days in (10, 20, 40):
        make.meeting(other, starts_at=datetime.now(UTC) - timedelta(days=days))
    make.meeting(other, starts_at=today_at(12))
    assert queries_for(app, client, "/home") == before


def test_the_group_page_asks_the_database_a_fixed_few_times(app, client, make, venue):
    sign_in(client, venue["worker"])
    path = f"/groups/{venue['group'].id}"
    before = queries_for(app, client, path)
    for weeks in range(15, 20):
        make.meeting(venue["group"], starts_at=datetime.now(UTC) - timedelta(weeks=weeks))
        make.meeting(venue["group"], starts_at=datetime.now(UTC) + timedelta(weeks=weeks))
    assert queries_for(app, client, path) == before


def test_the_meeting_page_puts_the_workers_tools_first_and_the_plan_form_behind_a_button(
        client, venue):
    sign_in(client, venue["worker"])
    page = client.get(f"/meetings/{venue['today']}").get_data(as_text=True)
    bar = re.search(r'<nav class="action-bar".*?</nav>', page, re.S).group(0)
    for path in ("register", "people", "staff"):
        assert f'href="/meetings/{venue["today"]}/{path}"' in bar
    assert page.index('class="action-bar"') < page.index('id="plan-heading"')
    assert page.index('id="plan-heading"') < page.index('<details class="add-plan"')
    held = client.get(f"/meetings/{venue['hours']}").get_data(as_text=True)
    assert f'href="/meetings/{venue["hours"]}/hours"' in re.search(
        r'<nav class="action-bar".*?</nav>', held, re.S).group(0)


def test_an_expert_sees_the_bar_without_the_register_and_youth_see_no_bar(client, app, venue):
    sign_in(client, venue["expert"])
    page = client.get(f"/meetings/{venue['hours']}").get_data(as_text=True)
    bar = re.search(r'<nav class="action-bar".*?</nav>', page, re.S).group(0)
    assert "/register" not in bar and "/people" not in bar
    assert f'href="/meetings/{venue["hours"]}/hours"' in bar
    coming = client.get(f"/meetings/{venue['today']}").get_data(as_text=True)
    assert 'class="action-bar"' not in coming  # nothing for an expert before it is held
    young = app.test_client()
    sign_in(young, venue["youth"])
    page = young.get(f"/meetings/{venue['today']}").get_data(as_text=True)
    assert 'class="action-bar"' not in page and "/register" not in page


def test_the_group_page_lists_past_meetings_with_attendance_and_hours(client, venue):
    sign_in(client, venue["worker"])
    page = client.get(f"/groups/{venue['group'].id}").get_data(as_text=True)
    past = section(page, "past-heading")
    assert past.index(f'/meetings/{venue["open"]}"') < past.index(f'/meetings/{venue["done"]}"')
    assert f'href="/meetings/{venue["hours"]}/hours"' in past
    assert f'href="/meetings/{venue["open"]}/register"' in past
    assert "Hours logged: 9 h" in past  # 6 + 3 on the one done
    assert "Came: 0" in past
    coming = section(page, "meetings-heading")
    assert "Signed up: 0 / 8" in coming and "Plan: still open" in coming
    assert f'/meetings/{venue["done"]}' not in coming


def test_youth_see_past_meetings_without_the_staff_columns(client, venue):
    sign_in(client, venue["youth"])
    page = client.get(f"/groups/{venue['group'].id}").get_data(as_text=True)
    past = section(page, "past-heading")
    assert f'href="/meetings/{venue["done"]}"' in past
    for staff_only in ("Came:", "Hours", "/register", "/hours", "Register not closed"):
        assert staff_only not in past, staff_only


def test_experts_see_counts_and_hours_but_no_register_link(client, venue):
    sign_in(client, venue["expert"])
    past = section(client.get(f"/groups/{venue['group'].id}").get_data(as_text=True),
                   "past-heading")
    assert "Came: 0" in past and f'href="/meetings/{venue["hours"]}/hours"' in past
    assert "/register" not in past and "Aino" not in past


def test_past_meetings_come_ten_to_a_page_and_a_bad_page_number_is_the_first(
        client, make, venue):
    group = venue["group"]
    for weeks in range(15, 30):
        make.meeting(group, starts_at=datetime.now(UTC) - timedelta(weeks=weeks))
    sign_in(client, venue["worker"])
    first = section(client.get(f"/groups/{group.id}").get_data(as_text=True), "past-heading")
    assert first.count('<li class="card">') == 10
    assert f'href="/groups/{group.id}?page=2#past"' in first
    second = section(client.get(f"/groups/{group.id}?page=2").get_data(as_text=True),
                     "past-heading")
    assert second.count('<li class="card">') == 8  # 3 of the fixture + 15, 10 on page one
    assert f'href="/groups/{group.id}?page=1#past"' in second
    for bad in ("abc", "-3", "0", "1.5", "9" * 40):
        response = client.get(f"/groups/{group.id}?page={bad}")
        assert response.status_code == 200, bad
        past = section(response.get_data(as_text=True), "past-heading")
        if bad == "9" * 40:  # far past the end: said plainly, with the way back
            assert "No meetings on this page." in past
        else:
            assert past.count('<li class="card">') == 10, bad
    beyond = client.get(f"/groups/{group.id}?page=50").get_data(as_text=True)
    assert "No meetings on this page." in beyond and "Back to the newest" in beyond


def test_another_areas_worker_gets_no_group_page(client, make, venue):
    stranger = make.user(Role.WORKER, area=make.area())
    sign_in(client, stranger)
    assert client.get(f"/groups/{venue['group'].id}?page=2").status_code == 403


def test_the_add_plan_form_is_open_while_the_plan_is_empty_then_behind_its_button(
        client, make, venue):
    sign_in(client, venue["worker"])
    empty = client.get(f"/meetings/{venue['today']}").get_data(as_text=True)
    assert '<details class="add-plan" open>' in empty
    with client.application.app_context():
        from peer_groups.meetings.models import Meeting
        meeting = db.session.get(Meeting, venue["today"])
        db.session.expunge(meeting)
    make.plan_item(meeting, title="Pizza")
    planned = client.get(f"/meetings/{venue['today']}").get_data(as_text=True)
    assert '<details class="add-plan">' in planned


def test_with_nobody_on_its_staff_a_held_meeting_asks_its_facilitators_not_a_coordinator(
        app, client, make, venue):
    unstaffed = make.meeting(venue["group"], starts_at=datetime.now(UTC) - timedelta(days=120),
                             status=MeetingStatus.HELD,
                             register_closed_at=datetime.now(UTC) - timedelta(days=120))
    hours_link = f'href="/meetings/{unstaffed.id}/hours"'
    sign_in(client, venue["coordinator"])
    past = section(client.get(f"/groups/{venue['group'].id}").get_data(as_text=True),
                   "past-heading")
    assert f'href="/meetings/{unstaffed.id}"' in past  # the coordinator sees it
    assert "/hours" not in past
    worker = app.test_client()
    sign_in(worker, venue["worker"])
    assert hours_link in section(worker.get("/home").get_data(as_text=True), "needs-you-heading")
