"""The workload view: the formula through the app, permissions, validation, CSV = page."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from peer_groups.areas.models import Area
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import HELSINKI
from peer_groups.signups import services as signups
from peer_groups.workload.models import StaffAssignment, TimeLog
from tests import factories
from tests.conftest import post, sign_in


@pytest.fixture
def area_world(app):
    """A long-running group with a 2-hour meeting next month and ten confirmed sign-ups."""
    with app.app_context():
        area = factories.make_area()
        coordinator = factories.make_user(Role.COORDINATOR, area=area)
        worker = factories.make_user(Role.WORKER, area=area, monthly_peer_hours=Decimal(10))
        youth = [factories.make_user(Role.YOUTH, area=area, password=None) for _ in range(10)]
        group = factories.make_group(area, facilitators=[worker], members=youth,
                                     created_at=datetime.now(UTC) - timedelta(days=400))
        start = (datetime.now(HELSINKI).replace(day=1, hour=17, minute=0, second=0,
                                                microsecond=0) + timedelta(days=40))
        start = start.replace(day=10).astimezone(UTC)
        meeting = factories.make_meeting(group, starts_at=start, capacity=12)
        for person in youth:
            signups.sign_up(meeting.id, person)
        db.session.add(StaffAssignment(meeting_id=meeting.id, user_id=worker.id, role="lead"))
        other_area = factories.make_area()
        stranger = factories.make_user(Role.COORDINATOR, area=other_area)
        factories.make_group(other_area, name="Toisen alueen ryhmä")
        db.session.commit()
        month = start.astimezone(HELSINKI).strftime("%Y-%m")
        return {"coordinator": coordinator, "worker": worker, "meeting": meeting,
                "stranger": stranger, "month": month, "group": group, "area": area}


def csv_rows(client, query=""):
    text = client.get(f"/workload.csv{query}").get_data(as_text=True)
    return list(csv.DictReader(io.StringIO(text)))


def test_the_design_example_through_the_app(app, area_world):
    client = app.test_client()
    sign_in(client, area_world["coordinator"])
    month = area_world["month"]
    rows = [r for r in csv_rows(client, f"?from={month}&to={month}") if r["group_id"] != ""]
    assert list(rows[0]) == ["month", "group_id", "group_name", "meetings",
                             "expected_attendance", "staff_needed", "estimated_hours",
                             "expert_hours", "startup_hours", "cost_eur", "assigned_staff",
                             "capacity_hours"]
    row = rows[0]
    # DESIGN section 5: 10 confirmed, 2 h, defaults: expected 7, 2 staff, 9.17 h.
    assert (row["expected_attendance"], row["staff_needed"], row["estimated_hours"]) == (
        "7.00", "2", "9.17")
    assert row["cost_eur"] == "63.00"  # (4 + 5) € × 7
    assert row["assigned_staff"] == "1" and row["capacity_hours"] == "8.00"  # 10 h × 0.8
    page = client.get(f"/workload?from={month}&to={month}").get_data(as_text=True)
    assert "1 worker short" in page and "needs 1.17 h more than there is" in page
    assert "meetings with fewer workers than needed" in page


def test_the_csv_has_the_page_figures(app, area_world):
    client = app.test_client()
    sign_in(client, area_world["coordinator"])
    page = client.get("/workload").get_data(as_text=True)
    needed = {}
    for month, cells in re.findall(r'<tr id="month-(\d{4}-\d\d)"[^>]*>(.*?)</tr>', page, re.S):
        values = re.findall(r"<td>([\d.]+)", cells)
        needed[month] = Decimal(values[2])
    from_csv = {}
    for row in csv_rows(client):
        from_csv[row["month"]] = from_csv.get(row["month"], Decimal(0)) + Decimal(
            row["estimated_hours"]) + Decimal(row["startup_hours"])
    assert needed and all(needed[m] == from_csv.get(m, Decimal(0)) for m in needed)


def test_other_areas_and_young_people_see_nothing_of_it(app, area_world):
    stranger = app.test_client()
    sign_in(stranger, area_world["stranger"])
    page = stranger.get("/workload").get_data(as_text=True)
    assert area_world["group"].name not in page and "Toisen alueen ryhmä" in page
    assert area_world["group"].name not in stranger.get("/workload.csv").get_data(as_text=True)
    youth = app.test_client()
    with app.app_context():
        member = factories.make_user(Role.YOUTH, area=db.session.get(Area, area_world["area"].id))
        db.session.commit()
    sign_in(youth, member)
    assert youth.get("/workload").status_code == 403


def test_parameters_are_validated_and_change_the_figures(app, area_world):
    client = app.test_client()
    sign_in(client, area_world["coordinator"])
    bad = post(client, "/workload/settings", {"show_rate": "1.5", "prep_hours": "-1"})
    page = bad.get_data(as_text=True)
    assert "Write a share from 0 to 1" in page and "Write zero or more." in page
    post(client, "/workload/settings", {"show_rate": "0.5"})
    month = area_world["month"]
    row = csv_rows(client, f"?from={month}&to={month}")[0]
    assert row["expected_attendance"] == "5.00"


def test_small_numbers_are_hidden_outside_the_groups_own_facilitators(app, area_world):
    with app.app_context():
        area = db.session.get(Area, area_world["area"].id)
        area.workload_overrides = {"show_rate": "0.3"}
        db.session.commit()
    month = area_world["month"]
    coordinator = app.test_client()
    sign_in(coordinator, area_world["coordinator"])
    assert csv_rows(coordinator, f"?from={month}&to={month}")[0]["expected_attendance"] == "<5"
    worker = app.test_client()
    sign_in(worker, area_world["worker"])
    assert csv_rows(worker, f"?from={month}&to={month}")[0]["expected_attendance"] == "3.00"


def test_what_if_changes_the_figures_and_saves_nothing(app, area_world):
    client = app.test_client()
    sign_in(client, area_world["coordinator"])
    month = area_world["month"]
    page = client.get(f"/workload?from={month}&to={month}&what_if=1&size=10&hours=2"
                      "&outing_share=0&months=1").get_data(as_text=True)
    assert "What-if group" in page and "Nothing is saved" in page
    assert len(csv_rows(client, f"?from={month}&to={month}")) == 1


def test_workers_log_their_hours_on_a_held_meeting(app, area_world):
    client = app.test_client()
    sign_in(client, area_world["worker"])
    meeting_id = area_world["meeting"].id
    early = post(client, f"/meetings/{meeting_id}/hours", {"hours": "3"})
    assert "once the meeting is held" in early.get_data(as_text=True)
    with app.app_context():
        from peer_groups.groups.models import Meeting, MeetingStatus

        db.session.get(Meeting, meeting_id).status = MeetingStatus.HELD
        db.session.commit()
    assert "from 0 to 48" in post(client, f"/meetings/{meeting_id}/hours",
                                  {"hours": "99"}).get_data(as_text=True)
    post(client, f"/meetings/{meeting_id}/hours", {"hours": "8.5"})
    post(client, f"/meetings/{meeting_id}/hours", {"hours": "9"})  # a correction, not a second
    with app.app_context():
        assert db.session.scalars(select(TimeLog.hours)).all() == [Decimal("9.00")]
