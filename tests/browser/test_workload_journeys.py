"""The workload view, its parameters and staff hours, as coordinators and workers use them.

One area: a long-running group with a 2-hour meeting next month, ten confirmed sign-ups and
one worker assigned (docs/workload.md: expected 7, 2 staff, 9.17 h), and a meeting held last
month. Texts are compared through `t`, in Finnish. Pages are checked with axe (WCAG 2.1 A/AA),
on the phone also for sideways scrolling; any 5xx, CSP or console error fails the test. The
workload view is read on a laptop (1280x800) as well as on the phone.

Decimals are mostly typed with a point; the last test types a comma, as Finns write it (the
decimal fields are text inputs with a decimal keypad, so the browser keeps the comma). The
page writes numbers, euros and months as Finnish does: 9,17 · 63,00 € · joulukuu 2026.
"""

import csv
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from babel.dates import format_date
from flask_babel import force_locale, ngettext
from playwright.sync_api import expect
from sqlalchemy import select

from peer_groups.areas.models import Area
from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import HELSINKI
from peer_groups.meetings.models import MeetingStatus
from peer_groups.signups import services as signups
from peer_groups.signups.models import Signup
from peer_groups.workload.models import StaffAssignment, TimeLog
from tests import factories
from tests.browser.conftest import (
    LAPTOP,
    PHONE,
    assert_accessible,
    check_page,
    sign_in,
    watched_page,
)

pytestmark = pytest.mark.browser

GROUP = "Torstairyhmä"


@dataclass
class Screen:
    name: str
    page: object

    def check(self):
        """The phone gets the full `check_page`; a laptop is checked with axe only."""
        if self.name == "phone":
            check_page(self.page)
        else:
            assert_accessible(self.page)


@pytest.fixture(params=["laptop", "phone"])
def screen(request, browser, live_server):
    """A fresh browser context at the given size, failing on server, CSP or script errors."""
    problems = []
    context, page = watched_page(browser, live_server, problems,
                                 size=PHONE if request.param == "phone" else LAPTOP)
    yield Screen(request.param, page)
    context.close()
    assert not problems, "the browser saw server or page errors:\n" + "\n".join(problems)


@pytest.fixture
def nt(app):
    """`nt("%(num)s vote", "%(num)s votes", 3)` in Finnish, as the app would say it."""

    def translate(singular, plural, num, lang="fi", **variables):
        with app.test_request_context(), force_locale(lang):
            return ngettext(singular, plural, num, **variables)

    return translate


def month_label(moment):
    return moment.astimezone(HELSINKI).strftime("%Y-%m")


def fi_month(label, pattern="LLLL y"):
    """"2026-12" as the Finnish page writes it: "joulukuu 2026" (or "joulu", for the chart)."""
    year, month = (int(part) for part in label.split("-"))
    return format_date(date(year, month, 1), pattern, locale="fi")


def fi(number: str) -> str:
    """A number as the Finnish page writes it: 9.17 is 9,17."""
    return number.replace(".", ",")


def add_month(label, count):
    year, month = (int(part) for part in label.split("-"))
    index = year * 12 + month - 1 + count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@pytest.fixture
def world(app):
    with app.app_context():
        area = factories.make_area(name="Pirkanmaa")
        coordinator = factories.make_user(Role.COORDINATOR, area=area, language="fi",
                                          display_name="Kaisa Koordinaattori")
        worker = factories.make_user(Role.WORKER, area=area, language="fi",
                                     display_name="Olli Ohjaaja", monthly_peer_hours=Decimal(10))
        youth = [factories.make_user(Role.YOUTH, area=area, password=None) for _ in range(10)]
        group = factories.make_group(area, facilitators=[worker], members=youth, name=GROUP,
                                     created_at=datetime.now(UTC) - timedelta(days=400))
        first_of_month = datetime.now(HELSINKI).replace(day=1, hour=17, minute=0, second=0,
                                                        microsecond=0)
        start = (first_of_month + timedelta(days=40)).replace(day=10)
        meeting = factories.make_meeting(group, starts_at=start.astimezone(UTC), capacity=12)
        for person in youth:
            signups.sign_up(meeting.id, person)
        db.session.add(StaffAssignment(meeting_id=meeting.id, user_id=worker.id, role="lead"))
        held_start = (first_of_month - timedelta(days=20)).astimezone(UTC)
        held = factories.make_meeting(group, starts_at=held_start, status=MeetingStatus.HELD,
                                      headcount=6)
        db.session.commit()
        return {"area_id": area.id, "coordinator": coordinator, "worker": worker,
                "group_id": group.id, "meeting_id": meeting.id, "held_id": held.id,
                "month": month_label(start), "held_month": month_label(held_start),
                "this_month": month_label(datetime.now(UTC))}


# --- helpers ---------------------------------------------------------------------------------


def heading(page):
    return page.get_by_role("heading", level=1).inner_text().strip()


def flashes(page):
    return [text.strip() for text in page.locator(".flashes .flash").all_inner_texts()]


def open_workload(page, t):
    page.get_by_role("navigation", name=t("Main menu")).get_by_role(
        "link", name=t("Workload"), exact=True).click()
    page.wait_for_url(re.compile(r"/workload$"))
    assert heading(page) == t("Workload")


def hours(text):
    """The number a cell starts with ("9,17 ylittyy" is 9.17, "63,00 €" is 63.00)."""
    number = re.match(r"-?[\d\u00a0]+(,\d+)?", text.strip()).group(0)
    return Decimal(number.replace("\u00a0", "").replace(",", "."))


def table_rows(table):
    """{row header: {column header: cell text}} for a table with a header row."""
    return table.evaluate("""table => {
      const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
      const rows = {};
      for (const tr of table.querySelectorAll('tbody tr')) {
        const cells = [...tr.children].map(cell => cell.textContent.trim());
        if (cells.length === heads.length) {
          rows[cells[0]] = Object.fromEntries(heads.map((head, i) => [head, cells[i]]));
        }
      }
      return rows;
    }""")


def month_table(page, t):
    return table_rows(page.get_by_role("table", name=t("Per month"), exact=True))


def group_table(page, t):
    section = page.get_by_role("region", name=t("Per group"), exact=True)
    return table_rows(section.get_by_role("table"))


def needed(page, t, month):
    return hours(month_table(page, t)[fi_month(month)][t("Needed (h)")])


def download_csv(page, t):
    with page.expect_download() as info:
        page.get_by_role("link", name=t("CSV for other programs"), exact=True).click()
    download = info.value
    with open(download.path(), newline="", encoding="utf-8") as handle:
        return download.suggested_filename, list(csv.DictReader(handle))


# --- 1. The workload view, on a laptop and on a phone ----------------------------------------


def test_coordinator_reads_the_workload_tries_a_what_if_group_and_downloads_it(
        screen, t, nt, world):
    page, month = screen.page, world["month"]
    first, last = world["this_month"], add_month(world["this_month"], 5)
    sign_in(page, t, world["coordinator"])
    open_workload(page, t)
    assert "Pirkanmaa" in page.locator("main > p").first.inner_text()
    screen.check()

    # Six months from this one; the meeting's month has docs/workload.md's example's 9.17 h and one
    # worker's 10 h less the 20 % absence buffer: over the capacity, so marked.
    labels = [add_month(first, i) for i in range(6)]
    table = month_table(page, t)
    assert list(table) == [fi_month(m) for m in labels]
    months = {m: table[fi_month(m)] for m in labels}  # by "2026-12", as the CSV has them
    row = months[month]
    assert hours(row[t("Meetings (h)")]) == Decimal("9.17")
    assert hours(row[t("Start-up (h)")]) == 0
    assert row[t("Needed (h)")] == f"9,17 {t('over')}"
    assert hours(row[t("Available (h)")]) == Decimal("8.00")
    assert row[t("Costs")] == "63,00\u00a0€"  # (4 + 5) € × 7
    assert page.locator(f"#month-{month}").get_attribute("class") == "row-over"
    assert all(hours(months[m][t("Needed (h)")]) == 0 for m in months if m != month)
    groups = group_table(page, t)
    assert list(groups) == [GROUP]
    assert (groups[GROUP][t("Meetings")], groups[GROUP][t("Expected young people")],
            groups[GROUP][t("Staff needed")], groups[GROUP][t("Hours")]) == ("1", "7,00", "2",
                                                                            "9,17")

    # The chart is one image with a name: a value axis, a bar pair with its values and a
    # label per month (the year under the first and each January), and a legend.
    chart = page.get_by_role("img", name=t("Staff hours needed and available per month; the "
                                           "table below has the same numbers."))
    expect(chart).to_be_visible()
    expected_labels = []
    for index, m in enumerate(labels):
        expected_labels.append(fi_month(m, "LLL"))
        if index == 0 or m.endswith("-01"):
            expected_labels.append(m[:4])
    assert chart.locator("text.bar-label").all_text_contents() == expected_labels
    assert chart.locator("rect.bar-over").count() == 1
    assert chart.locator("rect.bar-capacity").count() == 6
    assert "9" in chart.locator("text.bar-value").all_text_contents()  # 9.17, rounded
    assert page.locator(".legend li").all_inner_texts() == [
        t("Needed"), t("Needed, more than available"), t("Available")]

    # At a glance: the month short of hours and of a worker in one sentence; a link jumps to
    # its row, another opens the meeting short of a worker, and back again.
    glance = page.get_by_role("region", name=t("At a glance"), exact=True)
    expect(glance.locator(".shortage-sentence")).to_have_text(nt(
        "%(month)s: %(hours)s h more needed than available: %(num)s meeting lacks a worker.",
        "%(month)s: %(hours)s h more needed than available: %(num)s meetings lack a worker.",
        1, month=fi_month(month), hours="1,2"))
    glance.get_by_role("link", name=t("The month's figures"), exact=True).click()
    page.wait_for_url(f"**/workload#month-{month}")
    assert page.locator("tr:target").get_attribute("id") == f"month-{month}"
    short = glance.locator(f"a[href='/meetings/{world['meeting_id']}']")
    expect(short).to_contain_text(GROUP)
    short.click()
    page.wait_for_url(f"**/meetings/{world['meeting_id']}")
    assert GROUP in page.locator("main").inner_text()
    page.go_back()
    page.wait_for_url(re.compile(r"/workload(#month-[\d-]+)?$"))
    assert heading(page) == t("Workload")

    if screen.name == "phone":
        # Nothing scrolls sideways: each table's row is a card of labelled values.
        tables = page.locator("table.stack-table")
        expect(tables).to_have_count(3)
        for table in tables.all():
            assert table.evaluate("t => getComputedStyle(t.querySelector('tbody tr')).display"
                                  " === 'block' && t.scrollWidth <= t.clientWidth")

    # The CSV has the page's figures, one row per group and month.
    name, rows = download_csv(page, t)
    assert name == f"workload-{first}-{last}.csv"
    assert len(rows) == 1
    csv_row = rows[0]
    assert (csv_row["month"], csv_row["group_id"], csv_row["group_name"]) == (
        month, str(world["group_id"]), GROUP)
    assert (csv_row["meetings"], csv_row["expected_attendance"], csv_row["staff_needed"],
            csv_row["estimated_hours"], csv_row["startup_hours"], csv_row["cost_eur"],
            csv_row["assigned_staff"], csv_row["capacity_hours"]) == (
        "1", "7.00", "2", "9.17", "0.00", "63.00", "1", "8.00")
    for label, cells in months.items():
        in_csv = [r for r in rows if r["month"] == label]
        assert hours(cells[t("Needed (h)")]) == sum(
            (Decimal(r["estimated_hours"]) + Decimal(r["startup_hours"]) for r in in_csv),
            Decimal(0))
        assert all(Decimal(r["capacity_hours"]) == hours(cells[t("Available (h)")])
                   for r in in_csv)
    assert hours(groups[GROUP][t("Costs")]) == Decimal(csv_row["cost_eur"])

    # A what-if group of ten for three months, 2.5 h meetings: each of its meetings takes
    # 2 + 2 × 3.5 + 7 × 10 min = 10.17 h, and 24 h start-up over three months.
    what_if = page.get_by_role("region", name=t("What if we start a new group?"), exact=True)
    what_if.get_by_label(t("Young people signed up"), exact=True).fill("10")
    what_if.get_by_label(t("Meeting length (h)"), exact=True).fill("2.5")
    what_if.get_by_label(t("Share of outings (0 to 1)"), exact=True).fill("0")
    what_if.get_by_label(t("For how many months"), exact=True).fill("3")
    what_if.get_by_role("button", name=t("Show the effect"), exact=True).click()
    page.wait_for_url(re.compile(r"/workload\?.*what_if=1"))
    expect(page.get_by_role("status")).to_have_text(
        t("Showing the figures with the what-if group added. Nothing is saved."))
    screen.check()
    assert needed(page, t, month) == Decimal("27.33")  # 9.17 + 10.17 + 8
    assert needed(page, t, first) == Decimal("18.17")  # 10.17 + 8
    assert needed(page, t, add_month(first, 3)) == 0  # after its three months
    groups = group_table(page, t)
    assert list(groups) == [GROUP, t("What-if group")]
    assert (groups[t("What-if group")][t("Meetings")],
            groups[t("What-if group")][t("Expected young people")],
            groups[t("What-if group")][t("Staff needed")],
            groups[t("What-if group")][t("Hours")]) == ("3", "21,00", "6", "54,50")
    short = glance.get_by_text(nt("What-if group: %(num)s worker short",
                                  "What-if group: %(num)s workers short", 2), exact=True)
    assert short.count() == 3 and glance.locator("li", has=short.first).get_by_role(
        "link").count() == 0  # nothing to open
    expect(what_if.get_by_label(t("Meeting length (h)"), exact=True)).to_have_value("2.5")

    # Nothing was saved: the CSV is as before, and so is the page opened afresh.
    assert download_csv(page, t)[1] == rows
    open_workload(page, t)
    assert needed(page, t, month) == Decimal("9.17")
    assert list(group_table(page, t)) == [GROUP]


# --- 2. Changing a parameter ------------------------------------------------------------------


def test_coordinator_changes_the_show_rate_and_the_figures_follow(page, t, app, world):
    month = world["month"]
    sign_in(page, t, world["coordinator"])
    open_workload(page, t)
    assert needed(page, t, month) == Decimal("9.17")
    page.get_by_role("link", name=t("Change the area's parameters"), exact=True).click()
    page.wait_for_url("**/workload/settings")
    assert heading(page) == t("Workload parameters")
    check_page(page)

    show_rate = page.get_by_label(t("Share who come"), exact=True)
    expect(show_rate).to_have_value("")  # empty: the default, which the hint names
    expect(show_rate).to_have_accessible_description(
        t("Share of confirmed sign-ups who actually come (0 to 1).") + " "
        + t("Empty means %(value)s.", value="0,7"))
    show_rate.fill("1.5")
    page.get_by_role("button", name=t("Save"), exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith("/workload/settings")
    expect(page.get_by_role("alert")).to_have_text(t("Please check the marked fields."))
    show_rate = page.get_by_label(t("Share who come"), exact=True)
    expect(show_rate).to_have_attribute("aria-invalid", "true")
    expect(show_rate).to_have_accessible_description(
        re.compile(re.escape(t("Write a share from 0 to 1, like 0.7."))))
    expect(show_rate).to_have_value("1.5")  # what was typed stays
    check_page(page)
    with app.app_context():
        assert not db.session.get(Area, world["area_id"]).workload_overrides

    # Half of the ten come: 5 young people, still 2 workers, 2 + 2 × 3 + 5 × 10 min = 8.83 h.
    show_rate.fill("0.5")
    page.get_by_role("button", name=t("Save"), exact=True).click()
    page.wait_for_url(re.compile(r"/workload$"))
    assert flashes(page) == [t("Saved.")]
    assert needed(page, t, month) == Decimal("8.83")
    assert group_table(page, t)[GROUP][t("Expected young people")] == "5,00"
    params = page.get_by_role("region", name=t("How the estimate is made"), exact=True)
    expect(params.locator("dt").first).to_have_text(f"{t('Share who come')}: 0,5")
    check_page(page)
    with app.app_context():
        assert db.session.get(Area, world["area_id"]).workload_overrides == {"show_rate": "0.5"}


# --- 3. A worker's own hours ------------------------------------------------------------------


def test_worker_sets_their_hours_and_logs_a_held_meeting_on_the_phone(page, t, nt, app,
                                                                       world):
    worker = world["worker"]
    sign_in(page, t, worker)
    page.goto(f"/workload/staff/{worker.id}")
    assert heading(page) == t("Hours for peer groups")
    assert "Olli Ohjaaja" in page.locator("main").inner_text()
    check_page(page)

    own_hours = page.get_by_label(t("Hours a month for peer groups"), exact=True)
    expect(own_hours).to_have_value("10,00")  # as Finns write it
    own_hours.fill("250")
    page.get_by_role("button", name=t("Save"), exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_have_text(t("Please check the marked fields."))
    own_hours = page.get_by_label(t("Hours a month for peer groups"), exact=True)
    expect(own_hours).to_have_attribute("aria-invalid", "true")
    expect(own_hours).to_have_accessible_description(t("Write hours from 0 to 200."))
    check_page(page)

    own_hours.fill("12.5")
    page.get_by_role("button", name=t("Save"), exact=True).click()
    page.wait_for_url(f"**/workload/staff/{worker.id}")
    assert flashes(page) == [t("Saved.")]
    expect(page.get_by_label(t("Hours a month for peer groups"), exact=True)).to_have_value(
        re.compile(r"^12,50?$"))
    with app.app_context():
        assert db.session.get(User, worker.id).monthly_peer_hours == Decimal("12.5")

    # Their own view of the workload: 12.5 h less the 20 % buffer is available each month.
    open_workload(page, t)
    assert hours(month_table(page, t)[fi_month(world["month"])][t("Available (h)")]) == Decimal(
        "10.00")
    assert t("No logged hours yet.") in page.get_by_role(
        "region", name=t("Estimates against logged hours"), exact=True).inner_text()

    # Last month's meeting was held: the hours spent on it, logged from the meeting's page.
    held_id = world["held_id"]
    page.goto(f"/meetings/{held_id}")
    page.get_by_role("link", name=t("Log my hours"), exact=True).click()
    page.wait_for_url(f"**/meetings/{held_id}/hours")
    assert heading(page) == t("Log my hours")
    check_page(page)
    logged = page.get_by_label(t("Hours I spent on this meeting"), exact=True)
    expect(logged).to_have_accessible_description(
        t("All of it: preparing, the meeting, clearing up, notes."))
    logged.fill("99")
    page.get_by_role("button", name=t("Save"), exact=True).click()
    page.wait_for_load_state()
    logged = page.get_by_label(t("Hours I spent on this meeting"), exact=True)
    expect(logged).to_have_attribute("aria-invalid", "true")
    expect(logged).to_have_accessible_description(re.compile(re.escape(
        t("Write hours from 0 to 48."))))
    check_page(page)
    logged.fill("3.5")
    page.get_by_role("button", name=t("Save"), exact=True).click()
    page.wait_for_url(f"**/meetings/{held_id}")
    assert flashes(page) == [t("Thanks! Your hours are saved.")]
    check_page(page)
    with app.app_context():
        assert db.session.execute(select(TimeLog.user_id, TimeLog.hours)).all() == [
            (worker.id, Decimal("3.5"))]

    # The estimate (6 came on average: 2 + 2 × 3 + 6 × 10 min = 9 h) against the 3.5 h logged.
    page.goto(f"/workload?from={world['held_month']}&to={world['month']}")
    check = page.get_by_role("region", name=t("Estimates against logged hours"), exact=True)
    assert nt("%(num)s held meeting: estimated %(est)s h, logged %(log)s h.",
              "%(num)s held meetings: estimated %(est)s h, logged %(log)s h.", 1,
              est="9,00", log="3,50") in check.inner_text()
    check_page(page)


# --- 4. Filling the gap a flag shows ----------------------------------------------------------


def test_coordinator_fills_a_meeting_short_of_a_worker_and_sets_their_hours(page, t, nt, app,
                                                                           world):
    with app.app_context():
        ritva = factories.make_user(Role.WORKER, area=db.session.get(Area, world["area_id"]),
                                    language="fi", display_name="Ritva Rinnalla")
        db.session.commit()
    month = world["month"]
    sign_in(page, t, world["coordinator"])
    open_workload(page, t)
    glance = page.get_by_role("region", name=t("At a glance"), exact=True)
    glance.locator(f"a[href='/meetings/{world['meeting_id']}']").click()
    page.wait_for_url(f"**/meetings/{world['meeting_id']}")
    page.get_by_role("link", name=t("Staff"), exact=True).click()
    page.wait_for_url(f"**/meetings/{world['meeting_id']}/staff")
    assert heading(page) == t("Staff at the meeting")
    staff = page.locator("main ul.plain-list > li")
    expect(staff).to_have_count(1)
    expect(staff.first).to_contain_text(f"Olli Ohjaaja {t('Lead')}")
    check_page(page)

    page.get_by_label(t("Who"), exact=True).select_option(label="Ritva Rinnalla")
    page.get_by_label(t("Role"), exact=True).select_option(label=t("Co-facilitator"))
    page.get_by_role("button", name=t("Add to the meeting"), exact=True).click()
    page.wait_for_load_state()
    expect(staff).to_have_count(2)
    expect(staff.filter(has_text="Ritva Rinnalla")).to_contain_text(t("Co-facilitator"))
    check_page(page)

    # Two workers now: nobody short, but Ritva has no hours yet, so the month still is.
    open_workload(page, t)
    assert glance.get_by_role("link", name=re.compile(re.escape(GROUP))).count() == 0
    expect(glance.locator(".shortage-sentence")).to_have_text(
        t("%(month)s: %(hours)s h more needed than available.", month=fi_month(month),
          hours="1,2"))
    page.get_by_role("link", name=t("Set the staff's hours"), exact=True).click()
    page.wait_for_url("**/workload/staff")
    assert heading(page) == t("Staff hours")
    people = table_rows(page.get_by_role("table"))
    assert people["Olli Ohjaaja"][t("Hours a month for peer groups")] == "10,00"
    assert people["Ritva Rinnalla"][t("Hours a month for peer groups")] == "–"
    assert people["Olli Ohjaaja"][t("Counted")] == t("yes")
    assert people["Kaisa Koordinaattori"][t("Counted")] == t("no")  # a coordinator's own
    check_page(page)

    page.get_by_role("link", name="Ritva Rinnalla", exact=True).click()
    page.wait_for_url(f"**/workload/staff/{ritva.id}")
    page.get_by_label(t("Hours a month for peer groups"), exact=True).fill("10")
    page.get_by_role("button", name=t("Save"), exact=True).click()
    page.wait_for_url(f"**/workload/staff/{ritva.id}")
    assert flashes(page) == [t("Saved.")]

    # 2 × 10 h less the buffer: 16 h a month, enough for the 9.17 h, shared by the two.
    open_workload(page, t)
    row = month_table(page, t)[fi_month(month)]
    assert (row[t("Needed (h)")], row[t("Available (h)")]) == ("9,17", "16,00")
    expect(glance).to_contain_text(
        t("Every month has enough staff time, and every coming meeting has its workers."))
    workers = table_rows(page.get_by_role("region", name=t("Per worker"), exact=True)
                         .get_by_role("table"))
    # Each: 2 + 2 × 0.5 + 2 h there, plus half of the 2 h preparing and 70 min notes.
    assert {name: (cells[t("Assigned (h)")], cells[t("Available (h)")])
            for name, cells in workers.items()} == {"Olli Ohjaaja": ("4,58", "48,00"),
                                                    "Ritva Rinnalla": ("4,58", "48,00")}
    check_page(page)


# --- 5. A decimal comma, as Finns write it ----------------------------------------------------


def test_hours_typed_with_a_decimal_comma_are_kept(page, t, app, world):
    sign_in(page, t, world["worker"])
    page.goto(f"/meetings/{world['held_id']}/hours")
    page.get_by_label(t("Hours I spent on this meeting"), exact=True).press_sequentially("3,5")
    page.get_by_role("button", name=t("Save"), exact=True).click()
    page.wait_for_url(f"**/meetings/{world['held_id']}")
    with app.app_context():
        assert db.session.scalars(select(TimeLog.hours)).all() == [Decimal("3.5")]



SMALL_NOTE = ('Rounded to protect small groups: if fewer than %(n)s young people are expected or '
              'came, it shows "%(hidden)s", and the hours, costs and staff are counted as for '
              '%(n)s. So nobody can work out the real number.')


def test_coordinator_reads_a_small_groups_figures_rounded_on_the_phone(page, t, app, world):
    """Three sign-ups (2.1 expected) show as "< 5"; the hours are those of 5, and it says so."""
    with app.app_context():
        meeting_id = world["meeting_id"]
        for person in db.session.scalars(select(User).join(Signup, Signup.user_id == User.id)
                                         .where(Signup.meeting_id == meeting_id)
                                         .order_by(Signup.id)).all()[3:]:
            signups.cancel_signup(meeting_id, person)
        db.session.commit()
    sign_in(page, t, world["coordinator"])
    page.goto(f"/workload?from={world['month']}&to={world['month']}")
    note = page.locator("#small-numbers")
    expect(note).to_be_visible()
    assert note.inner_text().strip() == t(SMALL_NOTE, n=5, hidden="\u2060<\u00a05")
    row = page.get_by_role("region", name=re.compile(t("Per group"))).get_by_role(
        "row", name=re.compile(GROUP))
    cells = [text.strip() for text in row.get_by_role("cell").all_inner_texts()]
    assert cells[1] == "<\u00a05"  # expected young people, kept on one line
    assert hours(cells[3]) == Decimal("8.83")  # 2 + 2 × 3 + 5 × 10/60, not 2.1 × 10/60
    row.scroll_into_view_if_needed()
    check_page(page)
