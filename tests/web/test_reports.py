"""Reports: figures checked by hand on a small fixture, small numbers hidden, nobody named."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from peer_groups.db import db
from peer_groups.domain import workload as model
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import HELSINKI
from peer_groups.groups.models import Group
from peer_groups.meetings.models import Meeting, MeetingStatus
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
        "Share of sign-ups who came: 75%",  # 6 of 8 places
        "At least this many different young people: 3", "Came back: 1",
        "Ideas suggested: 2", "Ideas that became part of a plan: 1",
        "Meetings with a young person in charge of something: 1",
        "Meetings with an experience expert: 1",
        "Recording my attendance: 50%",
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
    values = sheet_rows(book["Groups"])[0]
    assert values["Different young people (named)"] == "< 5"
    assert values["Meetings held"] == 2 and values["Attendance"] == 6


def sheet_rows(sheet) -> list[dict]:
    """A sheet's rows by its (translated) header row."""
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


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
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    named = [cell for cell in cells if cell.value == group.name]
    assert named and all(cell.data_type == "s" for cell in named)
    assert not any(cell.data_type == "f" for cell in cells)


# Small numbers stay hidden: recompute each hidden count from what a coordinator is shown.


@pytest.fixture
def small_month(app):
    """Two months: a held meeting of 6 (headcount), then one of 3 with 3 sign-ups; 6 members,
    3 of whom consent to being named."""
    from peer_groups.attendance import services as attendance
    from peer_groups.consent import services as consent
    from peer_groups.domain.consent import Purpose
    from peer_groups.signups import services as signups

    with app.app_context():
        now = datetime.now(HELSINKI)
        first = (now.replace(day=1, hour=12, minute=0, second=0, microsecond=0)
                 - timedelta(days=70)).replace(day=10)
        second = (first + timedelta(days=31)).replace(day=10)
        area = factories.make_area()
        coordinator = factories.make_user(Role.COORDINATOR, area=area)
        worker = factories.make_user(Role.WORKER, area=area)
        youth = [factories.make_user(Role.YOUTH, area=area) for _ in range(6)]
        group = factories.make_group(area, facilitators=[worker], members=youth)
        for person in youth[:3]:
            consent.answer(person, Purpose.ATTENDANCE, True)
        big, small = (factories.make_meeting(group, starts_at=day.astimezone(UTC))
                      for day in (first, second))
        for person in youth[:3]:
            signups.sign_up(small.id, person, now=second.astimezone(UTC) - timedelta(days=2))
        for meeting, count in ((big, 6), (small, 3)):
            attendance.set_headcount(meeting, count, worker)
            attendance.close(meeting, worker)
        db.session.commit()
        period = f"?from={first.date().replace(day=1)}&to={second.date().replace(day=28)}"
        return {"coordinator": coordinator, "worker": worker, "period": period,
                "small_month": second.strftime("%B %Y"), "big_month": first.strftime("%B %Y"),
                "small_key": second.strftime("%Y-%m")}


def month_cells(page: str) -> dict[str, str]:
    """Attendance per month, as the page's table shows it."""
    rows = re.findall(r'<tr><th scope="row">([A-Z][a-z]+ \d{4})</th><td[^>]*>\d+</td>'
                      r"<td[^>]*>\d+</td><td[^>]*>([^<]*)</td>", page)
    return dict(rows)


def recovered_from_total(page: str, cells: dict[str, str]) -> set[int]:
    """Attendance in all minus the months shown: what the hidden month must be."""
    total = re.search(r"Attendance in all: (\d+)", page)
    if total is None:
        return set(range(1, 5))
    return {int(total.group(1)) - sum(int(c) for c in cells.values() if c.isdigit())}


def recovered_from_bars(page: str, cells: dict[str, str], hidden: str) -> set[int]:
    """A bar's height against a bar whose month is shown gives the hidden month's number."""
    heights = [float(h) for h in re.findall(  # the bars, not the legend's swatch
        r'<rect x="[^"]*" y="[^"]*" width="[^"]*" height="([\d.]+)" class="bar-need"', page)]
    by_month = dict(zip(cells, heights, strict=True))
    shown = next(m for m, c in cells.items() if c.isdigit() and int(c) > 0)
    return {round(by_month[hidden] / by_month[shown] * int(cells[shown]), 6)}


def recovered_sign_ups(row) -> set[Decimal]:
    """Estimated hours of a 2-hour meeting worked back to sign-ups (docs/workload.md, defaults)."""
    p = model.DEFAULTS
    expected = ((Decimal(row["estimated_hours"]) - p.prep_hours
                 - 2 * (2 + p.setup_hours + p.debrief_hours)) * 60 / p.doc_minutes)
    return {(expected / p.show_rate).quantize(Decimal("0.1"))}


def test_no_figure_gives_back_a_hidden_count(app, small_month):
    client = app.test_client()
    sign_in(client, small_month["coordinator"])
    page = client.get("/reports" + small_month["period"]).get_data(as_text=True)
    cells = month_cells(page)
    hidden = small_month["small_month"]
    assert cells[hidden] == "&lt; 5" and cells[small_month["big_month"]] == "6"
    # Exactly recovered means one candidate, the real 3: more candidates, or a wrong one, is safe.
    assert recovered_from_total(page, cells) != {3}
    assert recovered_from_bars(page, cells, hidden) != {3}
    assert "Average per meeting: –" in page  # 9 / 2 meetings would give the total back
    assert "Recording my attendance: –" in page  # 50 % of 6 members would name 3
    assert "Rounded to protect small groups" in page
    rows = {r["month"]: r for r in csv.DictReader(io.StringIO(
        client.get("/reports.csv" + small_month["period"]).get_data(as_text=True)))}
    key = small_month["small_key"]  # the exports keep their machine month, 2026-10
    assert rows[key]["signups_of_held"] == "< 5"
    assert recovered_sign_ups(rows[key]) != {Decimal(3)}
    book = load_workbook(io.BytesIO(client.get("/reports.xlsx" + small_month["period"]).data))
    by_month = {r["Month"].strftime("%Y-%m"): r for r in sheet_rows(book["Groups"])}
    assert by_month[key]["Attendance"] == "< 5"
    assert recovered_sign_ups({"estimated_hours": str(by_month[key]["Staff hours estimated"])}
                              ) != {Decimal(3)}


def test_the_groups_own_worker_still_sees_the_real_numbers(app, small_month):
    client = app.test_client()
    sign_in(client, small_month["worker"])
    page = client.get("/reports" + small_month["period"]).get_data(as_text=True)
    cells = month_cells(page)
    assert cells[small_month["small_month"]] == "3" and "Attendance in all: 9" in page
    assert "Recording my attendance: 50%" in page and "Rounded to protect" not in page
    rows = {r["month"]: r for r in csv.DictReader(io.StringIO(
        client.get("/reports.csv" + small_month["period"]).get_data(as_text=True)))}
    assert recovered_sign_ups(rows[small_month["small_key"]]) == {Decimal(3)}
