"""A young person's consents: read, say yes or no with one tap, tell dietary needs."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from peer_groups.auth.forms import ConfirmForm
from peer_groups.consent import bp, services
from peer_groups.consent.forms import PURPOSE_TITLES, DietaryForm
from peer_groups.consent.models import DietaryNeeds
from peer_groups.db import db
from peer_groups.domain.consent import Purpose
from peer_groups.domain.roles import Role


def dietary_form() -> DietaryForm | None:
    if not services.consent_stands_for(current_user.id, Purpose.DIETARY):
        return None
    saved = db.session.get(DietaryNeeds, current_user.id)
    form = DietaryForm()
    if saved is not None and request.method == "GET":
        form.needs.data = [code for code in saved.needs.split(",") if code]
        form.other.data = saved.other
    return form


@bp.route("/account/consents")
@login_required
def index():
    """Each purpose in plain words, where the person stands, and a one-tap yes or no."""
    if current_user.role is not Role.YOUTH:
        abort(404)
    return render_template("consent/index.html", purposes=services.overview(current_user),
                           titles=PURPOSE_TITLES, form=ConfirmForm(), dietary=dietary_form(),
                           questions=services.questions_for(current_user))


@bp.route("/account/consents/<purpose>", methods=["POST"])
@login_required
def answer(purpose):
    """Yes or no to one purpose; as easy to take back as to give."""
    if current_user.role is not Role.YOUTH or purpose not in set(Purpose):
        abort(404)
    if ConfirmForm().validate_on_submit():
        given = request.form.get("answer") == "yes"
        services.answer(current_user._get_current_object(), Purpose(purpose), given)
        flash(_("Thanks, saved. You can change this any time.") if given else
              _("Saved. We won't do this."), "success")
    return redirect(url_for("consent.index") + f"#{purpose}")


@bp.route("/account/dietary", methods=["POST"])
@login_required
def dietary():
    """Save dietary needs: only while the dietary consent stands."""
    form = dietary_form()
    if form is None:
        abort(403)
    if form.validate_on_submit():
        services.save_dietary(current_user, form.needs.data or [], form.other.data or "")
        flash(_("Saved."), "success")
        return redirect(url_for("consent.index") + "#dietary")
    return render_template("consent/index.html", purposes=services.overview(current_user),
                           titles=PURPOSE_TITLES, form=ConfirmForm(), dietary=form,
                           questions=services.questions_for(current_user))
