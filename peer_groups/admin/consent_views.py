"""Consent texts: each area's own versions, and the defaults new areas start from.

Publishing goes form → preview with what changed → confirm, so nobody is asked again by
mistake. Every step is for the area's admins (or the service owner) only, and asks for the
password again if it was typed a while ago.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from peer_groups import unit_of_work
from peer_groups.admin import bp
from peer_groups.areas.models import Area
from peer_groups.areas.queries import all_areas
from peer_groups.auth.guards import ask_again_unless_recent
from peer_groups.consent import services
from peer_groups.consent.forms import PURPOSE_TITLES, ConsentTextForm
from peer_groups.db import db
from peer_groups.domain.consent import Purpose
from peer_groups.domain.languages import NAMES
from peer_groups.domain.text_changes import changes, counts
from peer_groups.permissions import require

LANGUAGES = tuple(NAMES.items())


@bp.route("/consent-texts")
@login_required
def consent_texts():
    """The service owner's defaults and areas; an area's admin goes to their own area's."""
    if not current_user.is_superuser:
        require("admin.open")
        if current_user.area_id is None:
            abort(404)
        return redirect(url_for("admin.area_consent_texts", area_id=current_user.area_id))
    areas = all_areas()
    return render_template("admin/consent_texts.html", texts=services.current_texts(None),
                           area=None, areas=areas, titles=PURPOSE_TITLES)


@bp.route("/areas/<int:area_id>/consent-texts")
@login_required
def area_consent_texts(area_id):
    """The current text of each purpose in one area, with its version."""
    area = db.get_or_404(Area, area_id)
    require("consent.publish", area)
    return render_template("admin/consent_texts.html", texts=services.current_texts(area.id),
                           area=area, areas=(), titles=PURPOSE_TITLES)


@bp.route("/areas/<int:area_id>/consent-texts/<purpose>/new", methods=["GET", "POST"])
@login_required
def new_consent_text(area_id, purpose):
    """Write a new version of an area's text; sending it shows the preview."""
    return draft(db.get_or_404(Area, area_id), purpose)


@bp.route("/consent-texts/default/<purpose>/new", methods=["GET", "POST"])
@login_required
def new_default_consent_text(purpose):
    """Write a new default text, for areas made from now on."""
    return draft(None, purpose)


@bp.route("/areas/<int:area_id>/consent-texts/<purpose>/publish", methods=["POST"])
@login_required
def publish_consent_text(area_id, purpose):
    """Publish the previewed version: the area's young people are asked again."""
    return confirm(db.get_or_404(Area, area_id), purpose)


@bp.route("/consent-texts/default/<purpose>/publish", methods=["POST"])
@login_required
def publish_default_consent_text(purpose):
    """Publish the previewed default: existing areas keep their own texts."""
    return confirm(None, purpose)


def area_id_of(area) -> int | None:
    return area.id if area is not None else None  # None: the service's default texts


def allowed_purpose(area, value: str) -> Purpose:
    require("consent.publish", area)
    if value not in set(Purpose):
        abort(404)
    return Purpose(value)


def urls(area, purpose: Purpose) -> dict[str, str]:
    if area is None:
        return {"edit": url_for("admin.new_default_consent_text", purpose=purpose.value),
                "publish": url_for("admin.publish_default_consent_text", purpose=purpose.value),
                "done": url_for("admin.consent_texts")}
    return {"edit": url_for("admin.new_consent_text", area_id=area.id, purpose=purpose.value),
            "publish": url_for("admin.publish_consent_text", area_id=area.id,
                               purpose=purpose.value),
            "done": url_for("admin.area_consent_texts", area_id=area.id)}


def draft(area, value: str):
    """GET: the form with the current text. POST: the preview, or the form with its errors.
    "Back to editing" on the preview posts here too and gets the form with what was typed."""
    purpose = allowed_purpose(area, value)
    if again := ask_again_unless_recent():
        return again
    current = services.current_text(purpose, area_id_of(area))
    form = ConsentTextForm(obj=current)
    if form.is_submitted() and "edit" not in request.form and form.validate():
        if not unchanged(form, current):
            return preview(area, purpose, form, current)
        return editor(area, purpose, form, current, problem=True)
    return editor(area, purpose, form, current)


def confirm(area, value: str):
    """The confirmed POST from the preview: publish, or back to the form if anything is off."""
    purpose = allowed_purpose(area, value)
    if again := ask_again_unless_recent(back=urls(area, purpose)["edit"]):
        return again
    current = services.current_text(purpose, area_id_of(area))
    form = ConsentTextForm()
    valid = form.validate_on_submit()
    if not valid or unchanged(form, current):
        return editor(area, purpose, form, current, problem=valid)
    if form.base_version.data != str(current.version):  # not what the preview compared with
        return preview(area, purpose, form, current, moved=bool(form.base_version.data))
    try:
        services.publish(purpose, current_user, area_id_of(area),
                         text_fi=form.text_fi.data, text_sv=form.text_sv.data,
                         text_en=form.text_en.data, minor=form.minor.data)
    except IntegrityError:  # another admin published the same version number at once
        unit_of_work.rollback()
        current = services.current_text(purpose, area_id_of(area))
        return preview(area, purpose, form, current, moved=True)
    flash(_("The new version is published."), "success")
    return redirect(urls(area, purpose)["done"])


def unchanged(form, current) -> bool:
    return all(getattr(form, f"text_{code}").data == getattr(current, f"text_{code}")
               for code, _name in LANGUAGES)


def editor(area, purpose, form, current, problem=False):
    return render_template("admin/consent_text_form.html", form=form, current=current,
                           area=area, urls=urls(area, purpose), unchanged=problem,
                           title=PURPOSE_TITLES[purpose])


def preview(area, purpose, form, current, moved=False):
    form.base_version.data = str(current.version)
    languages = []
    for code, name in LANGUAGES:
        runs = changes(getattr(current, f"text_{code}"), getattr(form, f"text_{code}").data)
        languages.append({"code": code, "name": name, "text": getattr(form, f"text_{code}").data,
                          "runs": runs, "counts": counts(runs)})
    return render_template("admin/consent_text_preview.html", form=form, current=current,
                           area=area, urls=urls(area, purpose), languages=languages,
                           moved=moved, title=PURPOSE_TITLES[purpose])
