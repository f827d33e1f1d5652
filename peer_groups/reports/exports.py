"""The report's downloads: the machine CSV (stable columns, for tools), and for people an
.xlsx (months and groups on sheets of their own, numbers as numbers) and a CSV in the reader's
number format. Each with the page's suppression of small numbers."""

import io

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from peer_groups.domain.feedback import SCALE, reported
from peer_groups.domain.small_numbers import is_small, whole_gives_back
from peer_groups.domain.workload import two_places
from peer_groups.feedback.forms import SCALE_WORDS
from peer_groups.reports import bp
from peer_groups.reports.queries import by_month, feedback_answers, figures, group_names
from peer_groups.reports.views import report_request
from peer_groups.spreadsheets import SPREADSHEET_CSV, XLSX, Column, SafeWriter, Table, download
from peer_groups.spreadsheets import spreadsheet_csv as as_csv
from peer_groups.spreadsheets import workbook as as_workbook

GROUP_COLUMNS = [
    Column("month", _l("Month"), "month"),
    Column("group_id", _l("Group number"), "count"),
    Column("group_name", _l("Group")),
    Column("meetings_planned", _l("Meetings planned"), "count"),
    Column("meetings_held", _l("Meetings held"), "count"),
    Column("meetings_cancelled", _l("Meetings cancelled"), "count"),
    Column("attendance_total", _l("Attendance"), "count"),
    Column("average_attendance", _l("Average per meeting"), "hours"),
    Column("signups_of_held", _l("Sign-ups to held meetings"), "count"),
    Column("named_attendees", _l("Different young people (named)"), "count"),
    Column("estimated_hours", _l("Staff hours estimated"), "hours"),
    Column("logged_hours", _l("Staff hours logged"), "hours"),
]
# The young people's answers (docs/rules.md, rule 15): each step and the yes-to-coming-again
# only once enough answered; a small count is "< 5", a step that would give one back is empty.
FEEDBACK_COLUMNS = [
    Column("feedback_answered", _l("Feedback answers"), "count"),
    *[Column(f"feedback_{step}", word, "count") for step, word in SCALE_WORDS.items()],
    Column("feedback_again_share", _l("Share who would come again"), "hours"),
]
MONTH_COLUMNS = [
    Column("month", _l("Month"), "month"),
    Column("meetings_held", _l("Meetings held"), "count"),
    Column("meetings_cancelled", _l("Meetings cancelled"), "count"),
    Column("attendance_total", _l("Attendance"), "count"),
    Column("estimated_hours", _l("Staff hours estimated"), "hours"),
    Column("logged_hours", _l("Staff hours logged"), "hours"),
]
GROUP_COLUMNS += FEEDBACK_COLUMNS
MONTH_COLUMNS += FEEDBACK_COLUMNS


def feedback_cells(answers, threshold: int, count, *, hidden: bool = False) -> list:
    """The answers' cells; all empty where the row, beside its parts, would give them back."""
    if hidden:
        return [None] * (len(SCALE) + 2)
    shown = reported(answers, threshold)
    steps = [None] * len(SCALE) if shown.steps is None else [count(shown.steps[s]) for s in SCALE]
    share = None if shown.again_share is None else two_places(shown.again_share)
    return [count(shown.answered), *steps, share]


def tables(scope, first, last, hide) -> list[Table]:
    """Per month (as the page's table) and per group and month; a small count is "< 5"."""
    small = current_app.config["SMALL_NUMBER_THRESHOLD"] if hide else 0

    def count(n):
        return f"< {small}" if is_small(n, small) else n

    result = figures(scope, first, last, small)
    names = group_names(scope.area_id)
    threshold = current_app.config["SMALL_NUMBER_THRESHOLD"]
    answers = feedback_answers(scope, first, last)
    months_answers = by_month(answers)

    def always(n):  # feedback is anonymous only above the threshold, for every reader
        return f"< {threshold}" if is_small(n, threshold) else n

    def month_attendance(month, row):
        """A month's attendance, unless beside its groups' rows it gives a hidden one back."""
        groups = [each.attendance for (_group, each_month), each in result.rows.items()
                  if each_month == month]
        return None if hide and whole_gives_back(groups, small) else count(row.attendance)

    months = Table(_("Months"), MONTH_COLUMNS, [
        [month, row.held, row.cancelled, month_attendance(month, row),
         two_places(row.estimated_hours),
         two_places(row.logged_hours),
         *feedback_cells(months_answers.get(month, []), threshold, always,
                         hidden=whole_gives_back(answered_in_groups(answers, month), threshold))]
        for month, row in result.months.items()])
    groups = Table(_("Groups"), GROUP_COLUMNS, [
        [month, group_id, names.get(group_id, ""), row.planned, row.held, row.cancelled,
         count(row.attendance),
         None if row.average is None or is_small(row.attendance, small)
         else two_places(row.average),
         count(row.signups_of_held), count(len(row.named_people)),
         two_places(row.estimated_hours), two_places(row.logged_hours),
         *feedback_cells(answers.get((group_id, month), []), threshold, always)]
        for (group_id, month), row in sorted(result.rows.items(),
                                             key=lambda kv: (kv[0][1], kv[0][0]))])
    return [months, groups]


def answered_in_groups(answers, month) -> list[int]:
    """How many answered in each group that month: the parts the month's row sums up."""
    return [len(those) for (_group_id, each_month), those in answers.items()
            if each_month == month]


def filename(first, last, suffix):
    return f"peer-groups-{first.isoformat()}-{last.isoformat()}{suffix}"


def machine_cell(value):
    """The machine CSV's stable form: months as YYYY-MM, an empty average as ""."""
    if isinstance(value, tuple):
        return f"{value[0]:04d}-{value[1]:02d}"
    return "" if value is None else value


@bp.route("/reports.csv")
@login_required
def export_csv():
    """One row per group and month, stable column names for tools; the page's suppression."""
    _area, scope, first, last, hide, _filters = report_request()
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow([column.key for column in GROUP_COLUMNS])
    writer.writerows([machine_cell(v) for v in row] for row in tables(scope, first, last,
                                                                        hide)[1].rows)
    return download(out.getvalue(), filename(first, last, ".csv"), "text/csv")


@bp.route("/reports.xlsx")
@login_required
def export_xlsx():
    """The report as a spreadsheet: months and groups on their own sheets, numbers as numbers."""
    area, scope, first, last, hide, _filters = report_request()
    title = f"{area.name}: {format_date(first)} – {format_date(last)}"
    return download(as_workbook(tables(scope, first, last, hide), title),
                    filename(first, last, ".xlsx"), XLSX)


@bp.route("/reports-spreadsheet.csv")
@login_required
def export_spreadsheet_csv():
    """The groups' table as a CSV that opens in columns in the reader's spreadsheet."""
    _area, scope, first, last, hide, _filters = report_request()
    return download(as_csv(tables(scope, first, last, hide)[1]),
                    filename(first, last, "-spreadsheet.csv"), SPREADSHEET_CSV)
