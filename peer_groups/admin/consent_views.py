"""Consent texts: read the current versions and publish a new one."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from peer_groups.admin import bp
from peer_groups.auth.guards import ask_again_unless_recent
from peer_groups.consent import services
from peer_groups.consent.forms import PURPOSE_TITLES, ConsentTextForm
from peer_groups.db import db
from peer_groups.domain.consent import Purpose
from peer_groups.permissions import require


@bp.route("/consent-texts")
@login_required
def consent_texts():
    """The current text of each purpose, with its version."""
    require("consent.publish")
    return render_template("admin/consent_texts.html", texts=services.current_texts(),
                           titles=PURPOSE_TITLES)


@bp.route("/consent-texts/<purpose>/new", methods=["GET", "POST"])
@login_required
def new_consent_text(purpose):
    """Publish a new version; people are asked again the next time they open the app."""
    require("consent.publish")
    if purpose not in set(Purpose):
        abort(404)
    if confirm := ask_again_unless_recent():
        return confirm
    current = services.current_text(Purpose(purpose))
    form = ConsentTextForm(obj=current)
    if form.validate_on_submit():
        services.publish(Purpose(purpose), current_user, text_fi=form.text_fi.data,
                         text_sv=form.text_sv.data, text_en=form.text_en.data,
                         minor=form.minor.data)
        db.session.commit()
        flash(_("The new version is published."), "success")
        return redirect(url_for("admin.consent_texts"))
    return render_template("admin/consent_text_form.html", form=form, current=current,
                           title=PURPOSE_TITLES[Purpose(purpose)])
