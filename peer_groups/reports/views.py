"""Reports for funders and managers: what the groups achieved, nobody named."""

import io
from datetime import date

from flask import Response, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from openpyxl import Workbook

from peer_groups import charts, i18n
from peer_groups.areas.models import Area
from peer_groups.db import db, utcnow
from peer_groups.domain.consent import suppressed
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import local_date_of
from peer_groups.domain.small_numbers import (
    counted_as,
    is_small,
    share_gives_back,
    total_gives_back,
)
from peer_groups.domain.workload import two_places
from peer_groups.groups.queries import area_teams
from peer_groups.permissions import require
from peer_groups.reports import bp
from peer_groups.reports.queries import figures, group_names
from peer_groups.scope import ScopeForm
from peer_groups.spreadsheets import SafeWriter, append_as_text
from peer_groups.workload.queries import Scope

COLUMNS = ["month", "group_id", "group_name", "meetings_planned", "meetings_held",
           "meetings_cancelled", "attendance_total", "average_attendance", "signups_of_held",
           "named_attendees", "estimated_hours", "logged_hours"]


def report_request():
    """Area or team; the period (default: this calendar year); whether to hide small counts."""
    area = db.get_or_404(Area, current_user.area_id) if current_user.area_id else abort(404)
    require("reports.view", area)
    today = local_date_of(utcnow())
    filters = ScopeForm(request.args, teams=area_teams(area.id))
    first, last = filters.period(date(today.year, 1, 1), lambda _first: date(today.year, 12, 31))
    own = current_user.role in (Role.WORKER, Role.EXPERT)
    scope = Scope(area.id, filters.team.data, current_user.id if own else None)
    # Counts leave the groups' own facilitators only when coordinators or admins read them.
    return area, scope, first, last, not own, filters


def shown(count, hide, written=str):
    """A count, "< 5" when it is small and leaves the group; the exports keep plain digits,
    the page writes it as the person's language does (`written=i18n.number`)."""
    if hide and is_small(count, current_app.config["SMALL_NUMBER_THRESHOLD"]):
        return suppressed(count, current_app.config["SMALL_NUMBER_THRESHOLD"])
    return written(count)


@bp.route("/reports")
@login_required
def index():
    """The figures of the period, each with what it means, charts and tables; prints well."""
    area, scope, first, last, hide, filters = report_request()
    threshold = current_app.config["SMALL_NUMBER_THRESHOLD"]
    small = threshold if hide else 0
    result = figures(scope, first, last, small)
    return render_template("reports/index.html", area=area, scope=scope, first=first,
                           last=last, f=result, show=lambda n: shown(n, hide, i18n.number),
                           exact=lambda n: not is_small(n, small),
                           total_hidden=total_gives_back(
                               [row.attendance for row in result.months.values()], small),
                           shares=safe_shares(result, small), threshold=threshold,
                           filters=filters, charts=bars(result.months, hide, small))


def safe_shares(result, small: int) -> dict:
    """Each consent share, or None where it would give back a small number of people."""
    return {purpose: None if share is None or share_gives_back(
                result.consent_given[purpose], result.members, small) else share
            for purpose, share in result.consent_shares.items()}


def bars(months, hide: bool, small: int = 0) -> dict[str, charts.Chart]:
    """Attendance per month, and staff hours estimated and logged: each chart on its own
    scale. A hidden month's attendance is drawn as the threshold and labelled "< 5"."""
    rows = list(months.values())
    size = {"plot_height": 140, "step": 50, "min_columns": 6, "month_text": i18n.month_short}
    return {
        "attendance": charts.bar_chart(
            list(months), [charts.Series([counted_as(r.attendance, small) for r in rows],
                                         css="bar-need",
                                         texts=[shown(r.attendance, hide, i18n.number)
                                                for r in rows])],
            value_text=i18n.number, bar=24, **size),
        "hours": charts.bar_chart(
            list(months), [charts.Series([r.estimated_hours for r in rows], css="bar-estimate"),
                           charts.Series([r.logged_hours for r in rows], css="bar-capacity")],
            value_text=lambda value: i18n.hours(value, 0), bar=18, **size),
    }


def table(scope, first, last, hide):
    result = figures(scope, first, last,
                     current_app.config["SMALL_NUMBER_THRESHOLD"] if hide else 0)
    names = group_names(scope.area_id)
    for (group_id, month), row in sorted(result.rows.items(), key=lambda kv: (kv[0][1],
                                                                             kv[0][0])):
        yield [f"{month[0]:04d}-{month[1]:02d}", group_id, names.get(group_id, ""),
               row.planned, row.held, row.cancelled, shown(row.attendance, hide),
               "" if row.average is None or hide and row.attendance < current_app.config[
                   "SMALL_NUMBER_THRESHOLD"] else two_places(row.average),
               shown(row.signups_of_held, hide), shown(len(row.named_people), hide),
               two_places(row.estimated_hours), two_places(row.logged_hours)]


def filename(first, last, suffix):
    return f"peer-groups-{first.isoformat()}-{last.isoformat()}.{suffix}"


@bp.route("/reports.csv")
@login_required
def export_csv():
    """One row per group and month, with the page's suppression."""
    _area, scope, first, last, hide, _filters = report_request()
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(COLUMNS)
    writer.writerows(table(scope, first, last, hide))
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename(first, last, "csv")}"'})


@bp.route("/reports.xlsx")
@login_required
def export_xlsx():
    """The same table as an Excel spreadsheet (openpyxl)."""
    area, scope, first, last, hide, _filters = report_request()
    book = Workbook()
    sheet = book.active
    sheet.title = _("Report")[:31]
    append_as_text(sheet, [f"{area.name}: {first.isoformat()} – {last.isoformat()}"])
    append_as_text(sheet, COLUMNS)
    for row in table(scope, first, last, hide):
        append_as_text(sheet, [float(v) if hasattr(v, "as_tuple") else v for v in row])
    out = io.BytesIO()
    book.save(out)
    return Response(out.getvalue(),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition":
                             f'attachment; filename="{filename(first, last, "xlsx")}"'})
