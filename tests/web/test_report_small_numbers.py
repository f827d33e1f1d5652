"""The report's exported months beside its groups give no hidden number back (rule 8).

The months sheet had each month's attendance beside the groups sheet's rows for the same
month: with 7 at one group and "< 5" at the other, a month of 10 told the other had 3.
"""

import io
from datetime import UTC, date, datetime, timedelta

from openpyxl import load_workbook

from peer_groups.domain.roles import Role
from tests.conftest import sign_in


def column(sheet, name):
    header = [cell.value for cell in sheet[1]]
    return [row[header.index(name)] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_a_month_beside_a_hidden_group_keeps_its_attendance_back(app, make):
    area = make.area()
    coordinator = make.user(Role.COORDINATOR, area=area, language="en")
    when = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    for headcount in (7, 3):
        group = make.group(area)
        make.meeting(group, starts_at=when, status="held", headcount=headcount)
    client = app.test_client()
    sign_in(client, coordinator)
    today = date.today()
    period = f"?from={today - timedelta(days=40)}&to={today}"
    book = load_workbook(io.BytesIO(client.get("/reports.xlsx" + period).data))
    months, groups = book.worksheets
    assert sorted(map(str, column(groups, "Attendance"))) == ["7", "< 5"]
    attendance = column(months, "Attendance")
    assert None in attendance and 10 not in attendance  # hidden, not 10


def test_a_month_of_groups_all_shown_keeps_its_attendance(app, make):
    area = make.area()
    coordinator = make.user(Role.COORDINATOR, area=area, language="en")
    when = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    for headcount in (7, 6):
        make.meeting(make.group(area), starts_at=when, status="held", headcount=headcount)
    client = app.test_client()
    sign_in(client, coordinator)
    today = date.today()
    book = load_workbook(io.BytesIO(client.get(
        f"/reports.xlsx?from={today - timedelta(days=40)}&to={today}").data))
    assert 13 in column(book.worksheets[0], "Attendance")
