"""Reports as a coordinator and a group's own worker use them: period, figures, exports, print.

The world is the hand-counted `history` of tests/web/test_reports.py (two held meetings and one
cancelled, attendance 2 named + 2 headcount and 2 named = 6, three different named young people,
one of them twice), placed on the 10th, 17th and 24th of a month two months back so that the
three meetings share a month whatever the date. Coordinators see counts under 5 as "< 5";
the group's worker sees exact numbers. Texts go through `t`, in Finnish. The phone gets
`check_page` (no sideways scroll, axe WCAG 2.1 A/AA), a laptop axe; any 5xx, CSP or console
error fails the test.
"""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from babel.dates import format_date as babel_date
from flask_babel import force_locale, format_date
from openpyxl import load_workbook
from playwright.sync_api import expect

from peer_groups.db import db
from peer_groups.domain.schedule import HELSINKI
from peer_groups.meetings.models import Meeting, MeetingStatus
from tests import factories
from tests.browser.conftest import (
    LAPTOP,
    assert_accessible,
    check_page,
    heading,
    sign_in,
    watched_devices,
)

pytestmark = pytest.mark.browser

AREA = "Pirkanmaa"
CHART = "Attendance per month; the table below has the same numbers."
HOURS_CHART = "Estimated and logged staff hours per month; the table below has the same numbers."


@pytest.fixture
def history(app):
    """Three meetings in one past month: two held, one cancelled; six members, three named."""
    with app.app_context():
        this_month = datetime.now(HELSINKI).replace(day=1, hour=17, minute=0, second=0,
                                                    microsecond=0)
        base = (this_month - timedelta(days=40)).replace(day=10).astimezone(UTC)
        made = factories.make_report_history(base, area_name=AREA, staff_language="fi")
        db.session.commit()
        assert db.session.get(Meeting, made["meetings"][0].id).status is MeetingStatus.HELD
        local = base.astimezone(HELSINKI)
        return {"coordinator": made["coordinator"], "worker": made["worker"],
                "from": (local - timedelta(days=1)).date(),
                "to": (local + timedelta(days=20)).date(),
                "month": babel_date(local.date(), "LLLL y", locale="fi"),  # the page's
                "month_id": local.strftime("%Y-%m")}  # the exports' machine month


@pytest.fixture
def laptop(browser, live_server):
    """`laptop()`: a fresh 1280x800 Finnish context, failing on server, CSP or script errors."""
    with watched_devices(browser, live_server, LAPTOP, "the laptop") as open_laptop:
        yield open_laptop


def long_date(app, day):
    """A date as the Finnish page writes it (the `date("long")` filter)."""
    with app.test_request_context(), force_locale("fi"):
        return format_date(day, "long")


def open_reports(page, t):
    page.get_by_role("navigation", name=t("Main menu")).get_by_role(
        "link", name=t("Reports"), exact=True).click()
    page.wait_for_url(re.compile(r"/reports$"))
    expect(page.get_by_role("navigation", name=t("Main menu")).get_by_role(
        "link", name=t("Reports"), exact=True)).to_have_attribute("aria-current", "page")
    assert heading(page) == t("Report: %(area)s", area=AREA)


def show_period(page, t, first, last):
    """Choose the period with the date inputs and press Show, as a person would."""
    page.get_by_label(t("From"), exact=True).fill(first.isoformat())
    page.get_by_label(t("To"), exact=True).fill(last.isoformat())
    page.locator("main form").get_by_role("button", name=t("Show"), exact=True).click()
    page.wait_for_url(re.compile(rf"/reports\?from={first}&to={last}"))


def figures(page):
    """Every figure on the page, "Label: value", as its <dt> reads."""
    return [text.strip() for text in page.locator("main .figures dt").all_inner_texts()]


def month_table(page, t):
    """{"syyskuu 2026": {"Held": "2", ...}} from the per-month table, English column keys."""
    table = page.get_by_role("region", name=t("Per month"), exact=True).get_by_role("table")
    heads = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    columns = {t(name): name for name in ("Month", "Held", "Cancelled", "Attendance",
                                          "Estimated hours", "Logged hours")}
    rows = {}
    for row in table.locator("tbody tr").all():
        cells = [text.strip() for text in row.locator("th, td").all_inner_texts()]
        if len(cells) == len(heads):
            rows[cells[0]] = {columns[head]: cell for head, cell in zip(heads, cells, strict=True)}
    return rows


def download(page, t, link):
    with page.expect_download() as info:
        page.get_by_role("link", name=t(link), exact=True).click()
    return info.value


def download_csv(page, t):
    got = download(page, t, "CSV for other programs")
    with open(got.path(), newline="", encoding="utf-8") as handle:
        return got.suggested_filename, list(csv.DictReader(handle))


def download_xlsx(page, t):
    got = download(page, t, "Download for Excel (.xlsx)")
    # The download is kept under a name without ".xlsx": openpyxl is given the bytes.
    book = load_workbook(io.BytesIO(Path(got.path()).read_bytes()))
    assert book.sheetnames == [t("Months"), t("Groups")]
    header, *lines = book[t("Groups")].iter_rows(values_only=True)
    return got.suggested_filename, book.properties.title, [
        dict(zip(header, row, strict=True)) for row in lines]


def number(value):
    return Decimal(str(value))


def pdf_pages(data):
    """Page objects in a PDF Chromium wrote ("/Type /Pages" is the page tree, not a page)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


# --- 1. A coordinator: the default period, another period, both exports, print ----------------


def test_coordinator_opens_the_report_switches_the_period_and_downloads_both_exports(
        app, page, laptop, t, history):
    first, last, month = history["from"], history["to"], history["month"]
    sign_in(page, t, history["coordinator"])
    open_reports(page, t)

    # The default period is this year, in the inputs and in the period line under the heading.
    year = datetime.now(HELSINKI).year
    expect(page.get_by_label(t("From"), exact=True)).to_have_value(f"{year}-01-01")
    expect(page.get_by_label(t("To"), exact=True)).to_have_value(f"{year}-12-31")
    period = page.locator("main .report-period")
    expect(period).to_have_text(f"{long_date(app, date(year, 1, 1))} – "
                                f"{long_date(app, date(year, 12, 31))}")
    check_page(page)

    show_period(page, t, first, last)
    assert heading(page) == t("Report: %(area)s", area=AREA)
    expect(page.get_by_label(t("From"), exact=True)).to_have_value(first.isoformat())
    expect(page.get_by_label(t("To"), exact=True)).to_have_value(last.isoformat())
    expect(period).to_have_text(f"{long_date(app, first)} – {long_date(app, last)}")
    shown = figures(page)
    for label, value in [("Held", "2"), ("Planned", "0"), ("Cancelled", "1"),
                         ("Attendance in all", "6"),  # 5 or more: shown as it is
                         ("At least this many different young people", "< 5"),  # 3
                         ("Came back", "< 5"),  # 1
                         ("Ideas suggested", "2"), ("Ideas that became part of a plan", "1"),
                         ("Meetings with a young person in charge of something", "1"),
                         ("Meetings with an experience expert", "1")]:
        assert f"{t(label)}: {value}" in shown, (label, shown)
    expect(page.get_by_text(t("Members: %(count)s", count="6"), exact=True)).to_be_visible()
    assert "Sukunimi" not in page.locator("main").inner_text()

    table = month_table(page, t)
    assert list(table) == [month]
    assert (table[month]["Held"], table[month]["Cancelled"], table[month]["Attendance"]) == (
        "2", "1", "6")
    chart = page.get_by_role("img", name=t(CHART), exact=True)
    expect(chart).to_be_visible()
    expect(chart.locator("rect")).to_have_count(len(table))  # attendance, one bar a month
    assert chart.locator("text.bar-value").all_text_contents() == ["6"]
    hours_chart = page.get_by_role("img", name=t(HOURS_CHART), exact=True)
    expect(hours_chart.locator("rect")).to_have_count(2 * len(table))  # estimated, logged
    assert hours_chart.locator("text.tick-label").count() >= 2  # a value axis
    check_page(page)

    # The CSV: the period in its name, the page's figures (and suppression), nobody named.
    name, rows = download_csv(page, t)
    assert name == f"peer-groups-{first}-{last}.csv"
    assert [row["month"] for row in rows] == [history["month_id"]]
    assert sum(int(row["meetings_held"]) for row in rows) == 2
    assert sum(int(row["meetings_cancelled"]) for row in rows) == 1
    assert sum(int(row["attendance_total"]) for row in rows) == 6
    assert rows[0]["named_attendees"] == "< 5"
    assert rows[0]["average_attendance"] == "3.00"
    assert all("Sukunimi" not in str(row) for row in rows)

    # The spreadsheet opens and holds the same numbers as the CSV.
    name, title, sheet = download_xlsx(page, t)
    assert name == f"peer-groups-{first}-{last}.xlsx"
    assert title.startswith(AREA) and str(last.year) in title  # in the file's properties
    assert len(sheet[0]) == len(rows[0])
    assert [(row[t("Month")].strftime("%Y-%m"), row[t("Meetings held")],
             row[t("Meetings cancelled")], row[t("Attendance")],
             row[t("Different young people (named)")]) for row in sheet] == [
        (history["month_id"], 2, 1, 6, "< 5")]
    headers = {"average_attendance": "Average per meeting",
               "estimated_hours": "Staff hours estimated", "logged_hours": "Staff hours logged"}
    for row, line in zip(sheet, rows, strict=True):
        for key, header in headers.items():
            assert number(row[t(header)]) == number(line[key]), key

    # Printed: no form, no downloads, no menu; the area and the period stay.
    page.emulate_media(media="print")
    expect(page.locator("main form.filter")).to_be_hidden()
    expect(page.get_by_label(t("From"), exact=True)).to_be_hidden()
    expect(page.get_by_role("button", name=t("Show"), exact=True)).to_be_hidden()
    expect(page.get_by_role("link", name=t("CSV for other programs"), exact=True)).to_be_hidden()
    expect(page.get_by_role("link", name=t("Download for Excel (.xlsx)"),
                            exact=True)).to_be_hidden()
    expect(page.get_by_role("navigation", name=t("Main menu"))).to_be_hidden()
    expect(page.get_by_role("heading", level=1, name=t("Report: %(area)s", area=AREA))
           ).to_be_visible()
    expect(period).to_be_visible()
    expect(period).to_contain_text(long_date(app, first))
    expect(chart).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF-")
    # The figures and months on two pages, the young people's feedback (issue 20) on a third.
    assert 1 <= pdf_pages(pdf) <= 3, f"{pdf_pages(pdf)} pages"
    page.emulate_media(media="screen")
    expect(page.get_by_label(t("From"), exact=True)).to_be_visible()

    # On a laptop the same report passes axe, with the chart and table at full width.
    wide = laptop()
    sign_in(wide, t, history["coordinator"])
    wide.goto(f"/reports?from={first}&to={last}")
    expect(wide.get_by_role("img", name=t(CHART), exact=True)).to_be_visible()
    assert f"{t('Held')}: 2" in figures(wide)
    assert_accessible(wide)


# --- 2. A worker: exact numbers for their own group ------------------------------------------


def test_worker_sees_exact_numbers_for_their_own_group(page, t, history):
    first, last, month = history["from"], history["to"], history["month"]
    sign_in(page, t, history["worker"])
    open_reports(page, t)
    show_period(page, t, first, last)
    expect(page.locator("main .report-period")).to_contain_text(t("my groups"))
    # Their own groups only: no team to choose.
    expect(page.locator("main form select")).to_have_count(0)
    shown = figures(page)
    for label, value in [("Held", "2"), ("Cancelled", "1"), ("Attendance in all", "6"),
                         ("Average per meeting", "3,00"),
                         ("Share of sign-ups who came", "75\u00a0%"),  # 6 of 8 places
                         ("At least this many different young people", "3"), ("Came back", "1"),
                         ("Recording my attendance", "50\u00a0%")]:  # 3 of 6 members
        assert f"{t(label)}: {value}" in shown, (label, shown)
    assert not any("<" in text for text in shown), shown
    assert month_table(page, t)[month]["Attendance"] == "6"
    check_page(page)

    _name, rows = download_csv(page, t)
    assert [(row["meetings_held"], row["meetings_cancelled"], row["attendance_total"],
             row["named_attendees"]) for row in rows] == [("2", "1", "6", "3")]
