"""Setting up the workload model: parameters and staff hours."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from peer_groups.areas.models import Area
from peer_groups.auth.models import User
from peer_groups.db import db, utcnow
from peer_groups.domain import workload as model
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import local_date_of
from peer_groups.groups.loading import group_or_404
from peer_groups.groups.services import eligible_people
from peer_groups.permissions import leads_area, require
from peer_groups.workload import bp, queries, services
from peer_groups.workload.forms import (
    PROBLEM_TEXT,
    ReducedMonthForm,
    StaffHoursForm,
    parameter_form,
)


def overrides_from(form) -> dict[str, str]:
    return {name: str(getattr(form, name).data) for name in model.PARAMETER_NAMES
            if getattr(form, name).data is not None}


def checked(form, base, overrides) -> bool:
    """Apply the values to the model's own validation; put its refusals on the fields."""
    params = model.with_overrides(base, overrides)
    problems = model.parameter_problems(params)
    for name, problem in problems:
        getattr(form, name).errors.append(str(PROBLEM_TEXT[problem.value]))
    return not problems


@bp.route("/workload/settings", methods=["GET", "POST"])
@login_required
def settings():
    """The area's parameters; each with a one-line explanation. Blank keeps the default."""
    area = db.get_or_404(Area, current_user.area_id or 0)
    require("workload.settings", area)
    form = parameter_form(model.DEFAULTS, blank_means_inherit=True, for_area=True)(
        data={**(area.workload_overrides or {}),
              "experts_count": area.experts_count_as_capacity})
    if form.validate_on_submit():
        values = overrides_from(form)
        if checked(form, model.DEFAULTS, values):
            services.set_area_parameters(current_user, area, values,
                                         experts_count=form.experts_count.data)
            flash(_("Saved."), "success")
            return redirect(url_for("workload.index"))
    return render_template("workload/settings.html", form=form, title=area.name)


@bp.route("/groups/<int:group_id>/workload", methods=["GET", "POST"])
@login_required
def group_settings(group_id):
    """Parameters for one group that differ from the area's (e.g. a smaller group)."""
    group = group_or_404(group_id, "group.manage")
    base = model.group_parameters(model.effective_parameters(group.area.workload_overrides),
                                  group.target_size)
    form = parameter_form(base, blank_means_inherit=True)(data=group.workload_overrides or {})
    if form.validate_on_submit():
        values = overrides_from(form)
        if checked(form, base, values):
            services.set_group_parameters(current_user, group, values)
            flash(_("Saved."), "success")
            return redirect(url_for("groups.show", group_id=group.id))
    return render_template("workload/settings.html", form=form, title=group.name)


@bp.route("/workload/staff")
@login_required
def staff():
    """The area's workers and their monthly hours for peer work."""
    area = db.get_or_404(Area, current_user.area_id or 0)
    require("workload.settings", area)
    people = eligible_people(area.id, (Role.WORKER, Role.EXPERT, Role.COORDINATOR))
    counted = model.capacity_roles(area.experts_count_as_capacity)
    return render_template("workload/staff.html", people=people, counted=counted,
                           experts_count=area.experts_count_as_capacity)


def coming_months(count=12):
    first = model.month_of(local_date_of(utcnow()))
    return [model.add_months(first, i) for i in range(count)]


@bp.route("/workload/staff/<int:user_id>", methods=["GET", "POST"])
@login_required
def staff_hours(user_id):
    """A worker's monthly hours, and months with fewer (the worker or the coordinator)."""
    person = db.get_or_404(User, user_id)
    if person.id != current_user.id and not leads_area(current_user, person):
        abort(403)
    if not person.is_staff:
        abort(404)
    form = StaffHoursForm(obj=person)
    reduced_form = ReducedMonthForm(months=coming_months(), prefix="reduced")
    if request.form.get("form") == "reduced" and reduced_form.validate_on_submit():
        services.set_reduced_month(current_user, person, reduced_form.chosen,
                                   reduced_form.hours.data)
        flash(_("Saved."), "success")
        return redirect(url_for("workload.staff_hours", user_id=person.id))
    if request.form.get("form") == "hours" and form.validate_on_submit():
        services.set_peer_hours(current_user, person, form.monthly_peer_hours.data)
        flash(_("Saved."), "success")
        return redirect(url_for("workload.staff_hours", user_id=person.id))
    months = queries.reduced_months(person.id)
    return render_template("workload/staff_hours.html", person=person, form=form,
                           reduced_form=reduced_form, reduced=months)
