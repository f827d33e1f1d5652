"""The admin's pages: areas, teams and staff accounts of their own area."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from peer_groups import unit_of_work
from peer_groups.admin import bp, queries, services
from peer_groups.admin.forms import (
    ROLE_LABELS,
    AreaForm,
    PeopleFilterForm,
    StaffForm,
    TeamForm,
)
from peer_groups.admin.messages import MESSAGES
from peer_groups.areas.models import Area, Team
from peer_groups.areas.queries import all_areas
from peer_groups.audit.services import record, record_views
from peer_groups.auth import two_factor
from peer_groups.auth.forms import ConfirmForm
from peer_groups.auth.guards import ask_again_unless_recent
from peer_groups.auth.models import User
from peer_groups.auth.services import send_welcome
from peer_groups.db import db
from peer_groups.domain.errors import DomainError
from peer_groups.domain.roles import Role
from peer_groups.permissions import require
from peer_groups.refusals import flash_error, message_for
from peer_groups.urls import external_url


def welcome_link(token):
    return external_url("auth.welcome", token=token)


@bp.route("/")
@login_required
def index():
    """Admins go to their area; the service owner sees every area."""
    require("admin.open")
    if current_user.is_superuser:
        return redirect(url_for("admin.areas"))
    return redirect(url_for("admin.area", area_id=current_user.area_id))


@bp.route("/areas")
@login_required
def areas():
    """All areas, for the service owner."""
    require("admin.manage_areas")
    return render_template("admin/areas.html", areas=all_areas())


@bp.route("/areas/new", methods=["GET", "POST"])
@login_required
def new_area():
    """The service owner adds an area (a wellbeing services county)."""
    require("admin.manage_areas")
    form = AreaForm()
    del form.admins_need_passkey  # chosen on the area's own settings, once it has admins
    if form.validate_on_submit():
        try:
            area = services.create_area(form.name.data, form.youth_upper_age.data, current_user)
        except DomainError as refused:
            unit_of_work.rollback()
            form.name.errors.append(message_for(refused, MESSAGES))
        else:
            return redirect(url_for("admin.area", area_id=area.id))
    return render_template("admin/area_form.html", form=form, area=None)


@bp.route("/areas/<int:area_id>/edit", methods=["GET", "POST"])
@login_required
def edit_area(area_id):
    """Rename an area, or change the age at which its aftercare ends."""
    area = db.get_or_404(Area, area_id)
    require("admin.manage_area", area)
    form = AreaForm(obj=area)
    if not current_user.is_superuser:
        form.name.render_kw = {"readonly": True}
        form.name.data = area.name
    if form.validate_on_submit():
        try:
            services.update_area(area, current_user, youth_upper_age=form.youth_upper_age.data,
                                 name=form.name.data if current_user.is_superuser else None,
                                 admins_need_passkey=form.admins_need_passkey.data)
        except DomainError as refused:
            form.name.errors.append(message_for(refused, MESSAGES))
            return render_template("admin/area_form.html", form=form, area=area)
        flash(_("Saved."), "success")
        return redirect(url_for("admin.area", area_id=area.id))
    return render_template("admin/area_form.html", form=form, area=area)


@bp.route("/areas/<int:area_id>")
@login_required
def area(area_id):
    """An area's teams and people: search by name, username or email, page by page."""
    area = db.get_or_404(Area, area_id)
    require("admin.manage_area", area)
    search = PeopleFilterForm(request.args)
    text, role = search.chosen()
    page = min(max(request.args.get("page", 1, type=int), 1), LAST_PAGE)
    # One more than a page tells whether there is a next one, without counting.
    people = queries.area_people(area.id, role, text, limit=PEOPLE_PAGE + 1,
                                 offset=(page - 1) * PEOPLE_PAGE)
    people, more = people[:PEOPLE_PAGE], len(people) > PEOPLE_PAGE
    youth = [p for p in people if p.role is Role.YOUTH]
    if youth:  # one event per young person shown, so each sees it
        record_views(current_user, "user_list.viewed", youth, area_id=area.id)
    else:
        record(current_user, "user_list.viewed", area_id=area.id)
    return render_template("admin/area.html", area=area, people=people, search=search,
                           pages=people_pages(area, page, more), role_labels=ROLE_LABELS,
                           team_form=TeamForm())


PEOPLE_PAGE, LAST_PAGE = 50, 10_000


def people_pages(area, page, more) -> dict[str, str]:
    """The people list's previous and next pages, keeping the search."""
    kept = {k: v for k, v in request.args.items() if v and k in ("q", "role")}

    def link(number):
        return url_for("admin.area", area_id=area.id, **kept, page=number, _anchor="people")

    return {**({"prev": link(page - 1)} if page > 1 else {}),
            **({"next": link(page + 1)} if more else {})}


@bp.route("/areas/<int:area_id>/teams", methods=["POST"])
@login_required
def new_team(area_id):
    """Add a team to the area."""
    area = db.get_or_404(Area, area_id)
    require("admin.manage_area", area)
    form = TeamForm()
    if form.validate_on_submit():
        try:
            services.create_team(area, form.name.data, current_user)
        except DomainError as refused:
            unit_of_work.rollback()
            flash_error(refused, MESSAGES)
        else:
            flash(_("Team added."), "success")
    else:
        for error in form.name.errors:
            flash(error, "error")
    return redirect(url_for("admin.area", area_id=area.id) + "#teams")


@bp.route("/teams/<int:team_id>/edit", methods=["GET", "POST"])
@login_required
def edit_team(team_id):
    """Rename a team."""
    team = db.get_or_404(Team, team_id)
    require("admin.manage_area", team.area)
    form = TeamForm(obj=team)
    if form.validate_on_submit():
        try:
            services.rename_team(team, form.name.data, current_user)
        except DomainError as refused:
            form.name.errors.append(message_for(refused, MESSAGES))
            return render_template("admin/team_form.html", form=form, team=team)
        flash(_("Saved."), "success")
        return redirect(url_for("admin.area", area_id=team.area_id) + "#teams")
    return render_template("admin/team_form.html", form=form, team=team)


@bp.route("/areas/<int:area_id>/staff/new", methods=["GET", "POST"])
@login_required
def new_staff(area_id):
    """Add a staff member; they get a link to choose their password."""
    area = db.get_or_404(Area, area_id)
    require("admin.manage_area", area)
    if confirm := ask_again_unless_recent():
        return confirm
    form = StaffForm(teams=area.teams)
    if form.validate_on_submit():
        try:
            user = services.create_staff(area, current_user, display_name=form.display_name.data,
                                         email=form.email.data, role=form.role.data,
                                         team_id=form.team_id.data)
        except DomainError as refused:
            unit_of_work.rollback()
            form.email.errors.append(message_for(refused, MESSAGES))
        else:
            send_welcome(user, welcome_link, current_user)
            flash(_("Account added. %(name)s got a link to choose a password.",
                    name=user.display_name), "success")
            return redirect(url_for("admin.area", area_id=area.id))
    return render_template("admin/staff_form.html", form=form, area=area, person=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@login_required
def edit_user(user_id):
    """Change a staff member's name, email, role, team, or close the account."""
    person = db.get_or_404(User, user_id)
    require("admin.manage_user", person)
    if not person.is_staff or person.area is None:
        abort(404)  # young people have no staff form; the service owner is kept by the CLI
    if confirm := ask_again_unless_recent():
        return confirm
    form = StaffForm(obj=person, teams=person.area.teams)
    if request.method == "GET":
        form.role.data = person.role.value
        form.team_id.data = person.team_id or 0
        record(current_user, "user.viewed", subject=person)
    if form.validate_on_submit():
        try:
            moved = services.update_staff(
                person, current_user, display_name=form.display_name.data, email=form.email.data,
                role=form.role.data, team_id=form.team_id.data, active=form.active.data)
        except DomainError as refused:
            unit_of_work.rollback()
            target = form.email if refused.code == "email_taken" else form.role
            target.errors.append(message_for(refused, MESSAGES))
        else:
            if moved and person.password_hash is None:
                send_welcome(person, welcome_link, current_user)  # the old link no longer works
            flash(_("Saved. The old and the new email address were both told about the "
                    "change.") if moved else _("Saved."), "success")
            return redirect(url_for("admin.area", area_id=person.area_id))
    return render_template("admin/staff_form.html", form=form, area=person.area, person=person,
                           confirm_form=ConfirmForm())


@bp.route("/users/<int:user_id>/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere(user_id):
    """End every session of a person at once, e.g. after a lost phone."""
    person = db.get_or_404(User, user_id)
    require("admin.manage_user", person)
    if ConfirmForm().validate_on_submit():
        services.sign_out_everywhere(person, current_user)
        flash(_("%(name)s is now signed out on every device.", name=person.display_name),
              "success")
    return redirect(url_for("admin.edit_user", user_id=person.id))


@bp.route("/users/<int:user_id>/reset-two-factor", methods=["POST"])
@login_required
def reset_two_factor(user_id):
    """A colleague lost their phone: remove their authenticator; they set up a new one."""
    person = db.get_or_404(User, user_id)
    require("admin.manage_user", person)
    if confirm := ask_again_unless_recent():
        return confirm
    if ConfirmForm().validate_on_submit() and person.has_second_factor:
        two_factor.turn_off(person, current_user)
        flash(_("%(name)s sets up a new authenticator at the next sign-in.",
                name=person.display_name), "success")
    return redirect(url_for("admin.edit_user", user_id=person.id))


@bp.route("/users/<int:user_id>/welcome", methods=["POST"])
@login_required
def resend_welcome(user_id):
    """Send a new link to choose a password."""
    person = db.get_or_404(User, user_id)
    require("admin.manage_user", person)
    if ConfirmForm().validate_on_submit() and person.is_staff:
        try:
            services.resend_welcome(person, welcome_link, current_user)
        except DomainError as refused:
            unit_of_work.rollback()
            flash_error(refused, MESSAGES)
        else:
            flash(_("A new link is on its way to %(name)s.", name=person.display_name),
                  "success")
    return redirect(url_for("admin.edit_user", user_id=person.id))
