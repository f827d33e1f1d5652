"""/accessibility, /privacy and /help, open to everyone; the area admin's form for its words."""

from datetime import date

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from peer_groups.areas.models import Area
from peer_groups.areas.queries import all_areas
from peer_groups.db import db
from peer_groups.pages import bp, services
from peer_groups.pages.forms import PublicPagesForm
from peer_groups.permissions import require


def shown_area():
    """The signed-in person's area; otherwise the one chosen (?area=, e.g. from a join link)."""
    if current_user.is_authenticated and current_user.area_id is not None:
        return db.session.get(Area, current_user.area_id)
    chosen = request.args.get("area", type=int)
    if chosen is None or not 0 < chosen < 2**31:
        return None
    return db.session.get(Area, chosen)


def render_page(template, **context):
    area = shown_area()
    # The footer's links keep a chosen area, so the visitor reads all three pages of it.
    chosen = area.id if area and not current_user.is_authenticated else None
    return render_template(template, area=area, areas=None if area else all_areas(),
                           footer_area=chosen, **context)


@bp.route("/accessibility")
def accessibility():
    """The accessibility statement the Act on the Provision of Digital Services asks for."""
    return render_page("pages/accessibility.html", stated=date(*services.STATEMENT_DATE))


@bp.route("/privacy")
def privacy():
    """The privacy notice: the area's controller, the purposes, how long, and your rights."""
    return render_page("pages/privacy.html",
                       kept=services.retention(current_app.config, shown_area()))


@bp.route("/help")
def help():
    """Plain answers for young people and staff, and who to contact."""
    return render_page("pages/help.html")


@bp.route("/admin/areas/<int:area_id>/public-pages", methods=["GET", "POST"])
@login_required
def edit_public_pages(area_id):
    """The area's admin writes the area's own words: controller, DPO, contact, a note."""
    area = db.get_or_404(Area, area_id)
    require("admin.manage_area", area)
    form = PublicPagesForm(obj=area)
    if form.validate_on_submit():
        services.update_public_pages(area, current_user, **{
            name: getattr(form, name).data for name in services.FIELDS})
        flash(_("Saved. The privacy notice, accessibility statement and help page show it now."),
              "success")
        return redirect(url_for("admin.area", area_id=area.id))
    return render_template("pages/edit.html", form=form, area=area)
