"""Workload: staff time needed against staff time available, before anyone commits."""

import io
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from flask import Response, current_app, render_template, request
from flask_login import current_user, login_required

from peer_groups import charts, i18n
from peer_groups.db import utcnow
from peer_groups.domain import workload as model
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import local_date_of
from peer_groups.groups.queries import area_teams
from peer_groups.permissions import can, require
from peer_groups.scope import MonthScopeForm, viewed_area
from peer_groups.spreadsheets import SafeWriter
from peer_groups.workload import bp, queries, report
from peer_groups.workload.forms import PARAMETER_HELP, PARAMETER_LABELS, WhatIfForm


def requested_scope():
    """The area (or team) asked for, and the months; workers get their own groups only; the
    service owner chooses among all areas."""
    area, areas = viewed_area(current_user, request.args)
    require("workload.view", area)
    this_month = date(*model.month_of(local_date_of(utcnow())), 1)
    scope_form = MonthScopeForm(request.args, teams=area_teams(area.id), areas=areas, area=area)
    first, last = scope_form.period(this_month, lambda first: first + relativedelta(months=5))
    mine = current_user.id if current_user.role is Role.WORKER else None
    scope = queries.Scope(area.id, scope_form.team.data, mine)
    return area, scope, model.month_of(first), model.month_of(last), scope_form


def small_number_threshold(scope) -> int:
    """Counts below this are hidden, and counted up in what is worked out from them; 0 for a
    worker, who sees only their own groups and may see their exact numbers."""
    return 0 if scope.facilitator_id else current_app.config["SMALL_NUMBER_THRESHOLD"]


def what_if_values(form):
    if not request.args.get("what_if") or not form.validate():
        return None
    return {"months": form.months.data or 6, "size": form.size.data or 8,
            "hours": Decimal(form.hours.data or 2),
            "outing_share": Decimal(form.outing_share.data or 0)}


@bp.route("/workload")
@login_required
def index():
    """Need against capacity per month, per group and per worker; flags; a what-if group."""
    area, scope, first, last, scope_form = requested_scope()
    form = WhatIfForm(request.args)
    small = small_number_threshold(scope)
    data = queries.load(scope, first, last, small)
    base = report.build(data, first, last)
    what_if = what_if_values(form)
    trial = report.build(data, first, last, what_if) if what_if else None
    shown = trial or base
    return render_template(
        "workload/index.html", area=area, scope=scope, first=first, last=last, data=data,
        understaffed=understaffed_by_month(shown.flags),
        shortages=model.month_shortages(shown.flags),
        chosen_team=next((c.label for c in scope_form.team.choices
                          if scope.team_id is not None and c.value == scope.team_id), None),
        # The download holds the saved figures only: a what-if is never exported.
        csv_args={k: v for k, v in request.args.items() if k in ("area", "from", "to", "team")},
        report=base, trial=trial, form=form, filters=scope_form,
        chart=chart(trial or base), labels=PARAMETER_LABELS, help=PARAMETER_HELP,
        # The settings pages are the person's own area's (the service owner only reads others').
        can_settings=(can(current_user, "workload.settings", area)
                      and area.id == current_user.area_id),
        small=small, shown_expected=report.shown_expected)


@bp.route("/workload.csv")
@login_required
def export():
    """The figures of the page, one row per group and month."""
    area, scope, first, last, _form = requested_scope()
    small = small_number_threshold(scope)
    data = queries.load(scope, first, last, small)
    rows = report.csv_rows(report.build(data, first, last), small)
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(report.CSV_COLUMNS)
    writer.writerows(rows)
    name = f"workload-{first[0]}-{first[1]:02d}-{last[0]}-{last[1]:02d}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


SHOWN_PER_MONTH = 8


def understaffed_by_month(flags):
    """Meetings short of workers, per month: the first few as links, then how many more."""
    months: dict[model.Month, list[model.Flag]] = {}
    for flag in flags:
        if flag.kind is model.FlagKind.UNDERSTAFFED_MEETING:
            months.setdefault(flag.month, []).append(flag)
    return {month: (items[:SHOWN_PER_MONTH], len(items) - SHOWN_PER_MONTH)
            for month, items in months.items()}


def chart(result: report.Report) -> charts.Chart:
    """Need and capacity side by side per month, both to one scale; a month over it stands out."""
    loads = result.summary.months
    return charts.bar_chart(
        [m.month for m in loads],
        [charts.Series([m.need_hours for m in loads],
                       css=["bar-over" if m.over_capacity else "bar-need" for m in loads]),
         charts.Series([m.capacity_hours for m in loads], css="bar-capacity")],
        month_text=i18n.month_short, value_text=lambda value: i18n.hours(value, 0),
        plot_height=160, bar=20, step=56)


def month_id(month: model.Month) -> str:
    """A month as a fragment id, the same in every language: 2026-12."""
    return f"{month[0]:04d}-{month[1]:02d}"


bp.add_app_template_filter(month_id, "month_id")
