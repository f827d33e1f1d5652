"""Reports for funders and managers: what the groups achieved, nobody named."""

from datetime import date

from flask import current_app, render_template, request
from flask_login import current_user, login_required

from peer_groups import charts, i18n
from peer_groups.db import utcnow
from peer_groups.domain import feedback as feedback_rules
from peer_groups.domain.consent import suppressed
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import local_date_of
from peer_groups.domain.small_numbers import (
    counted_as,
    is_small,
    share_gives_back,
    total_gives_back,
    whole_gives_back,
)
from peer_groups.feedback.forms import SCALE_WORDS
from peer_groups.groups.queries import area_teams
from peer_groups.permissions import require
from peer_groups.reports import bp
from peer_groups.reports.queries import by_month, feedback_answers, figures
from peer_groups.scope import ScopeForm, viewed_area
from peer_groups.workload.queries import Scope


def report_request():
    """Area or team; the period (default: this calendar year); whether to hide small counts."""
    area, areas = viewed_area(current_user, request.args)
    require("reports.view", area)
    today = local_date_of(utcnow())
    filters = ScopeForm(request.args, teams=area_teams(area.id), areas=areas, area=area)
    first, last = filters.period(date(today.year, 1, 1), lambda _first: date(today.year, 12, 31))
    own = not current_user.is_superuser and current_user.role in (Role.WORKER, Role.EXPERT)
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
                           filters=filters, charts=bars(result.months, hide, small),
                           **feedback_figures(scope, first, last, result, threshold))


def feedback_figures(scope, first, last, result, threshold: int) -> dict:
    """The young people's answers of the period and per month, always above the threshold
    (they are anonymous only so: docs/rules.md, rule 15), and the period's scale as a chart."""
    months = by_month(feedback_answers(scope, first, last))
    period = feedback_rules.reported(
        [answer for answers in months.values() for answer in answers], threshold)
    per_month = {month: feedback_rules.reported(months.get(month, []), threshold)
                 for month in result.months}
    # The period beside its months: hidden where it minus the shown months gives back the
    # answers of the months shown as "< 5" (their number, their steps, their "again").
    total_hidden = whole_gives_back([row.answered for row in per_month.values()], threshold)
    if total_hidden:
        period = feedback_rules.Reported(period.answered, None, None)
    share = None if total_hidden else feedback_rules.answered_share(
        period.answered, result.total.attendance, threshold)
    return {"feedback": period, "feedback_months": per_month,
            "feedback_total_hidden": total_hidden, "feedback_share": share,
            "feedback_chart": scale_chart(period, threshold),
            "fb": lambda n: shown(n, True, i18n.number), "scale_words": SCALE_WORDS}


def scale_chart(period, threshold: int) -> charts.Chart | None:
    """One bar per step of the scale; none while the steps are hidden."""
    if period.steps is None:
        return None
    steps = list(feedback_rules.SCALE)
    values = [period.steps[step] for step in steps]
    return charts.bar_chart(
        [(0, step) for step in steps],
        [charts.Series([counted_as(v, threshold) for v in values], css="bar-need",
                       texts=[shown(v, True, i18n.number) for v in values])],
        month_text=lambda month: str(SCALE_WORDS[month[1]]), value_text=i18n.number,
        bar=36, plot_height=140, step=64, years=False)


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
