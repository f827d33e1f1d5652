"""Reports: figures checked by hand on a small fixture, small numbers hidden, nobody named."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.groups.models import Group, Meeting, MeetingStatus
from tests import factories
from tests.conftest import sign_in


@pytest.fixture
def history(app):
    """Three meetings last month: two held, one cancelled; six members, three named."""
    with app.app_context():
        base = datetime.now(UTC) - timedelta(days=40)
        made = factories.make_report_history(base)
        db.session.commit()
        assert db.session.get(Meeting, made["meetings"][0].id).status is MeetingStatus.HELD
        start, end = (base - timedelta(days=1)).date(), (base + timedelta(days=20)).date()
        period = f"?from={start}&to={end}"
        return {"coordinator": made["coordinator"], "worker": made["worker"],
                "period": period}


def test_figures_match_the_hand_count(app, history):
    client = app.test_client()
    sign_in(client, history["worker"])  # a facilitator of the group: exact numbers
    page = client.get("/reports" + history["period"]).get_data(as_text=True)
    expected = [
        "Held: 2", "Planned: 0", "Cancelled: 1",
        "Attendance in all: 6",  # 2 named + 2 headcount, then 2 named
        "Average per meeting: 3.00",
        "Share of sign-ups who came: 75 %",  # 6 of 8 places
        "At least this many different young people: 3", "Came back: 1",
        "Ideas suggested: 2", "Ideas that became part of a plan: 1",
        "Meetings with a young person in charge of something: 1",
        "Meetings with an experience expert: 1",
        "Recording my attendance: 50 %",
    ]
    for figure in expected:
        assert figure in page, figure
    assert "Sukunimi" not in page and "Nimi0" not in page


def test_small_counts_are_hidden_from_coordinators(app, history):
    client = app.test_client()
    sign_in(client, history["coordinator"])
    page = client.get("/reports" + history["period"]).get_data(as_text=True)
    assert "At least this many different young people: &lt; 5" in page
    assert "Came back: &lt; 5" in page
    assert "Attendance in all: 6" in page  # 5 or more is shown
    rows = list(csv.DictReader(io.StringIO(
        client.get("/reports.csv" + history["period"]).get_data(as_text=True))))
    assert rows[0]["named_attendees"] == "< 5" and rows[0]["attendance_total"] == "6"
    book = load_workbook(io.BytesIO(client.get("/reports.xlsx" + history["period"]).data))
    sheet = book.active
    header = [cell.value for cell in sheet[2]]
    values = dict(zip(header, [cell.value for cell in sheet[3]], strict=True))
    assert values["named_attendees"] == "< 5" and values["meetings_held"] == 2
    assert values["attendance_total"] == "6"


def test_the_exports_carry_the_page_figures(app, history):
    client = app.test_client()
    sign_in(client, history["worker"])
    rows = list(csv.DictReader(io.StringIO(
        client.get("/reports.csv" + history["period"]).get_data(as_text=True))))
    assert sum(int(r["meetings_held"]) for r in rows) == 2
    assert sum(int(r["meetings_cancelled"]) for r in rows) == 1
    assert sum(int(r["attendance_total"]) for r in rows) == 6
    assert all("Sukunimi" not in str(r) for r in rows)


def test_young_people_and_other_areas_cannot_read_it(app, history):
    youth = app.test_client()
    with app.app_context():
        member = factories.make_user(Role.YOUTH, area=db.session.get(
            factories.Area,
            history["coordinator"].area_id))
        stranger = factories.make_user(Role.COORDINATOR)
        db.session.commit()
    sign_in(youth, member)
    assert youth.get("/reports").status_code == 403
    other = app.test_client()
    sign_in(other, stranger)
    assert "Held: 0" in other.get("/reports" + history["period"]).get_data(as_text=True)


def test_a_group_name_that_looks_like_a_formula_stays_text(app, history):
    with app.app_context():
        group = db.session.scalars(select(Group)).one()
        group.name = '=HYPERLINK("https://evil.example","Open")'
        db.session.commit()
    client = app.test_client()
    sign_in(client, history["worker"])
    rows = list(csv.reader(io.StringIO(
        client.get("/reports.csv" + history["period"]).get_data(as_text=True))))
    assert all(not cell.startswith("=") for row in rows for cell in row)
    assert any(cell == "'" + group.name for row in rows for cell in row)
    book = load_workbook(io.BytesIO(client.get("/reports.xlsx" + history["period"]).data))
    cells = [cell for row in book.active.iter_rows() for cell in row]
    named = [cell for cell in cells if cell.value == group.name]
    assert named and all(cell.data_type == "s" for cell in named)
    assert not any(cell.data_type == "f" for cell in cells)
