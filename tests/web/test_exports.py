"""Exports for people's spreadsheets, and the service owner's view across areas.

The .xlsx has translated headers, numbers as numbers and one sheet per table; the CSV for
spreadsheets is in the reader's number format; the machine CSV keeps its columns."""

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import HELSINKI
from peer_groups.signups import services as signups
from peer_groups.workload.models import StaffAssignment
from tests import factories
from tests.conftest import sign_in


def meeting_with(group, start, hours, people, worker):
    meeting = factories.make_meeting(group, starts_at=start, hours=hours, capacity=12)
    for person in people:
        signups.sign_up(meeting.id, person)
    db.session.add(StaffAssignment(meeting_id=meeting.id, user_id=worker.id, role="lead"))
    return meeting


@pytest.fixture
def areas(app):
    """Area A: two groups meeting next month (10 sign-ups for 2 h, 8 for 3 h), a worker with
    10 h a month. Area B: one group with a small meeting (3 sign-ups)."""
    with app.app_context():
        start = (datetime.now(HELSINKI).replace(day=1, hour=17, minute=0, second=0,
                                                microsecond=0) + timedelta(days=40))
        start = start.replace(day=10).astimezone(UTC)
        old = datetime.now(UTC) - timedelta(days=400)
        area = factories.make_area(name="Alue A")
        coordinator = factories.make_user(Role.COORDINATOR, area=area)
        worker = factories.make_user(Role.WORKER, area=area, monthly_peer_hours=Decimal(10))
        youth = [factories.make_user(Role.YOUTH, area=area, password=None) for _ in range(10)]
        first = factories.make_group(area, name="Ryhmä Yksi", facilitators=[worker],
                                     members=youth, created_at=old)
        second = factories.make_group(area, name="Ryhmä Kaksi", facilitators=[worker],
                                      members=youth[:8], created_at=old)
        meeting_with(first, start, 2, youth, worker)
        meeting_with(second, start + timedelta(days=2), 3, youth[:8], worker)
        other = factories.make_area(name="Alue B")
        other_worker = factories.make_user(Role.WORKER, area=other)
        other_youth = [factories.make_user(Role.YOUTH, area=other, password=None)
                       for _ in range(3)]
        small = factories.make_group(other, name="Toisen alueen ryhmä",
                                     facilitators=[other_worker], members=other_youth,
                                     created_at=old)
        meeting_with(small, start, 2, other_youth, other_worker)
        owner = factories.make_user(Role.ADMIN, area=None, is_superuser=True)
        db.session.commit()
        member = factories.make_user(Role.YOUTH, area=area)
        db.session.commit()
        return {"coordinator": coordinator, "worker": worker, "youth": member,
                "owner": owner, "area": area.id, "other": other.id,
                "month": start.astimezone(HELSINKI).strftime("%Y-%m")}


def signed_in(app, user, language="en"):
    """A client signed in as `user`, whose saved language is `language`."""
    with app.app_context():
        db.session.execute(update(User).where(User.id == user.id).values(language=language))
        db.session.commit()
    client = app.test_client()
    sign_in(client, user)
    return client


def rows_of(sheet) -> list[dict]:
    header, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_workload_xlsx_has_a_sheet_per_table_and_sums(app, areas):
    client = signed_in(app, areas["coordinator"])
    answer = client.get(f"/workload.xlsx?from={areas['month']}&to={areas['month']}")
    assert answer.status_code == 200
    assert answer.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(answer.data))
    assert book.sheetnames == ["Months", "Groups", "Staff"]
    assert book.properties.title.startswith("Alue A: ")  # which area and months, by the file
    groups = rows_of(book["Groups"])
    assert {row["Group"] for row in groups} == {"Ryhmä Yksi", "Ryhmä Kaksi"}
    hours = [row["Hours needed"] for row in groups]
    assert all(isinstance(value, int | float) for value in hours)
    # 2 + 2 × 3 + 7 × 10/60 = 9.17 and 2 + 2 × 4 + 5.6 × 10/60 = 10.93, by hand.
    assert sum(Decimal(str(value)) for value in hours) == Decimal("20.10")
    hours_cell = book["Groups"]["F2"]
    assert hours_cell.number_format == "0.00" and hours_cell.data_type == "n"
    assert book["Groups"]["A2"].is_date and book["Groups"]["I2"].number_format.endswith('"€"')
    months = rows_of(book["Months"])
    assert len(months) == 1  # the capacity once, on its month, never on each group's row
    assert months[0]["Hours available"] == 8  # 10 h less the 20 % absence buffer
    assert months[0]["Hours needed"] == pytest.approx(20.10)
    assert "Hours available" not in rows_of(book["Groups"])[0]
    assert [row["Name"] for row in rows_of(book["Staff"])] == [areas["worker"].display_name]


def test_headers_and_sheets_are_in_the_readers_language(app, areas):
    client = signed_in(app, areas["coordinator"], "fi")
    book = load_workbook(io.BytesIO(client.get(
        f"/workload.xlsx?from={areas['month']}&to={areas['month']}").data))
    assert book.sheetnames == ["Kuukaudet", "Ryhmät", "Henkilöstö"]
    assert "Tunteja tarvitaan" in [cell.value for cell in book["Ryhmät"][1]]


def test_the_finnish_spreadsheet_csv_opens_in_columns(app, areas):
    client = signed_in(app, areas["coordinator"], "fi")
    answer = client.get(f"/workload-spreadsheet.csv?from={areas['month']}&to={areas['month']}")
    assert answer.status_code == 200
    assert answer.data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads it as UTF-8
    rows = list(csv.DictReader(io.StringIO(answer.data.decode("utf-8-sig")), delimiter=";"))
    assert {row["Ryhmä"] for row in rows} == {"Ryhmä Yksi", "Ryhmä Kaksi"}
    hours = sorted(row["Tunteja tarvitaan"] for row in rows)
    assert hours == ["10,93", "9,17"]
    assert sum(Decimal(h.replace(",", ".")) for h in hours) == Decimal("20.10")


def test_the_swedish_and_english_variants(app, areas):
    period = f"?from={areas['month']}&to={areas['month']}"
    swedish = signed_in(app, areas["coordinator"], "sv").get("/workload-spreadsheet.csv" + period)
    assert swedish.data.startswith(b"\xef\xbb\xbf") and b";" in swedish.data
    assert "9,17" in swedish.data.decode("utf-8-sig")
    english = signed_in(app, areas["coordinator"]).get("/workload-spreadsheet.csv" + period)
    rows = list(csv.DictReader(io.StringIO(english.data.decode("utf-8-sig"))))
    assert sorted(row["Hours needed"] for row in rows) == ["10.93", "9.17"]


def test_the_machine_csv_keeps_its_columns(app, areas):
    client = signed_in(app, areas["coordinator"], "fi")
    text = client.get(f"/workload.csv?from={areas['month']}&to={areas['month']}").get_data(
        as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0])[:3] == ["month", "group_id", "group_name"]
    assert sorted(row["estimated_hours"] for row in rows) == ["10.93", "9.17"]


def test_the_report_xlsx_and_csv_for_spreadsheets(app, areas):
    client = signed_in(app, areas["coordinator"], "fi")
    book = load_workbook(io.BytesIO(client.get("/reports.xlsx").data))
    assert book.sheetnames == ["Kuukaudet", "Ryhmät"]
    assert len(rows_of(book["Kuukaudet"])) == 12  # this year, month by month
    answer = client.get("/reports-spreadsheet.csv")
    assert answer.data.startswith(b"\xef\xbb\xbf")
    header = answer.data.decode("utf-8-sig").splitlines()[0].split(";")
    assert "Ryhmä" in header and "Kuukausi" in header


def test_young_people_download_nothing(app, areas):
    client = signed_in(app, areas["youth"])
    for path in ("/workload.xlsx", "/workload-spreadsheet.csv", "/reports.xlsx",
                 "/reports-spreadsheet.csv"):
        assert client.get(path).status_code == 403, path


# The service owner across areas; everyone else in their own.

def test_the_service_owner_chooses_any_area(app, areas):
    client = signed_in(app, areas["owner"])
    home = client.get("/home").get_data(as_text=True)
    assert 'href="/workload"' in home and 'href="/reports"' in home  # in the menu
    period = f"from={areas['month']}&to={areas['month']}"
    page = client.get(f"/workload?{period}&area={areas['other']}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'name="area"' in text and "Alue A" in text and "Alue B" in text
    book = load_workbook(io.BytesIO(client.get(
        f"/workload.xlsx?{period}&area={areas['other']}").data))
    groups = rows_of(book["Groups"])
    assert [row["Group"] for row in groups] == ["Toisen alueen ryhmä"]
    assert groups[0]["Young people expected"] == "< 5"  # small numbers hidden, as for coordinators
    report = client.get(f"/reports?area={areas['other']}")
    assert report.status_code == 200 and "Alue B" in report.get_data(as_text=True)


def test_the_service_owner_is_told_of_an_area_that_is_not_there(app, areas):
    client = signed_in(app, areas["owner"])
    page = client.get("/workload?area=999999").get_data(as_text=True)
    assert "Choose an area from the list." in page


def test_a_coordinator_cannot_read_another_area_by_changing_a_parameter(app, areas):
    client = signed_in(app, areas["coordinator"])
    period = f"from={areas['month']}&to={areas['month']}"
    page = client.get(f"/workload?{period}&area={areas['other']}").get_data(as_text=True)
    assert "Toisen alueen ryhmä" not in page and 'name="area"' not in page
    rows = list(csv.DictReader(io.StringIO(client.get(
        f"/workload.csv?{period}&area={areas['other']}").get_data(as_text=True))))
    assert {row["group_name"] for row in rows} == {"Ryhmä Yksi", "Ryhmä Kaksi"}
    book = load_workbook(io.BytesIO(client.get(
        f"/reports.xlsx?area={areas['other']}").data))
    assert all(row["Group"] != "Toisen alueen ryhmä"
               for row in rows_of(book["Groups"]))


def test_a_worker_sees_only_their_own_groups_in_the_export(app, areas):
    client = signed_in(app, areas["worker"])
    book = load_workbook(io.BytesIO(client.get(
        f"/workload.xlsx?from={areas['month']}&to={areas['month']}&area={areas['other']}").data))
    assert {row["Group"] for row in rows_of(book["Groups"])} == {"Ryhmä Yksi", "Ryhmä Kaksi"}
