"""The workload for people's spreadsheets: an .xlsx with months, groups and staff on sheets of
their own, and a CSV in the reader's number format. The machine CSV is `views.export`."""

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from peer_groups.domain import workload as model
from peer_groups.spreadsheets import SPREADSHEET_CSV, XLSX, Column, Table, download
from peer_groups.spreadsheets import spreadsheet_csv as as_csv
from peer_groups.spreadsheets import workbook as as_workbook
from peer_groups.workload import bp, queries, report
from peer_groups.workload.views import requested_scope, small_number_threshold

MONTH_COLUMNS = [
    Column("month", _l("Month"), "month"),
    Column("meeting_hours", _l("Hours for meetings"), "hours"),
    Column("startup_hours", _l("Hours for starting groups"), "hours"),
    Column("need_hours", _l("Hours needed"), "hours"),
    Column("capacity_hours", _l("Hours available"), "hours"),
    Column("expert_hours", _l("Experience experts' hours"), "hours"),
    Column("cost_eur", _l("Costs (€)"), "euros"),
]
GROUP_COLUMNS = [
    Column("month", _l("Month"), "month"),
    Column("group_name", _l("Group")),
    Column("meetings", _l("Meetings"), "count"),
    Column("expected_attendance", _l("Young people expected"), "hours"),
    Column("staff_needed", _l("Workers needed"), "count"),
    Column("estimated_hours", _l("Hours needed"), "hours"),
    Column("expert_hours", _l("Experience experts' hours"), "hours"),
    Column("startup_hours", _l("Hours for starting the group"), "hours"),
    Column("cost_eur", _l("Costs (€)"), "euros"),
    Column("assigned_staff", _l("Workers assigned"), "count"),
]
STAFF_COLUMNS = [
    Column("name", _l("Name")),
    Column("assigned_hours", _l("Hours in meetings"), "hours"),
    Column("capacity_hours", _l("Hours available"), "hours"),
]


def tables(result: report.Report, threshold: int) -> list[Table]:
    """Each table once: a month's capacity sits on its month's row, never on a group's."""
    two = model.two_places
    months = Table(_("Months"), MONTH_COLUMNS, [
        [m.month, two(m.meeting_hours), two(m.startup_hours), two(m.need_hours),
         two(m.capacity_hours), two(m.expert_hours), two(m.cost_eur)]
        for m in result.summary.months])
    groups = Table(_("Groups"), GROUP_COLUMNS, [
        [row.month, row.group_name, row.meetings, expected(row, threshold), row.staff_needed,
         two(row.hours), two(row.expert_hours), two(row.startup_hours), two(row.cost),
         row.assigned]
        for row in result.rows])
    staff = Table(_("Staff"), STAFF_COLUMNS, [
        [name, two(assigned), two(capacity)] for name, assigned, capacity in result.workers])
    return [months, groups, staff]


def expected(row: report.GroupMonth, threshold: int):
    shown = report.shown_expected(row, threshold)
    return f"< {threshold}" if shown is None else shown


def exported():
    """The page's saved figures (never a what-if) as tables, and a file name for them."""
    area, scope, first, last, _form = requested_scope()
    small = small_number_threshold(scope)
    data = queries.load(scope, first, last, small)
    name = f"workload-{first[0]}-{first[1]:02d}-{last[0]}-{last[1]:02d}"
    period = " – ".join(format_date(date(*month, 1), "LLLL yyyy") for month in (first, last))
    return tables(report.build(data, first, last), small), name, f"{area.name}: {period}"


@bp.route("/workload.xlsx")
@login_required
def export_xlsx():
    """The workload as a spreadsheet: months, groups and staff, numbers as numbers."""
    sheets, name, title = exported()
    return download(as_workbook(sheets, title), f"{name}.xlsx", XLSX)


@bp.route("/workload-spreadsheet.csv")
@login_required
def export_spreadsheet_csv():
    """The groups' table as a CSV that opens in columns in the reader's spreadsheet."""
    sheets, name, _title = exported()
    return download(as_csv(sheets[1]), f"{name}-spreadsheet.csv", SPREADSHEET_CSV)
