"""My data: see everything, download it, and erase the account."""

import io
import json

from flask import Response, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from peer_groups.auth import two_factor
from peer_groups.auth.forms import ConfirmForm, ReauthenticateForm
from peer_groups.auth.two_factor_views import confirm_identity
from peer_groups.auth.views import sign_in_limit
from peer_groups.domain.roles import Role
from peer_groups.extensions import limiter
from peer_groups.privacy import bp, services
from peer_groups.privacy.readable import readable
from peer_groups.spreadsheets import SafeWriter
from peer_groups.urls import external_url


def my_facts() -> dict:
    """Everything we keep about the signed-in person, in their own words and time."""
    return readable(services.everything_about(current_user))


def youth_only():
    if current_user.role is not Role.YOUTH:
        abort(404)


@bp.route("/account/data")
@login_required
def my_data():
    """Everything we keep about me, and who among staff looked at it."""
    youth_only()
    return render_template("privacy/my_data.html", data=my_facts())


@bp.route("/account/data.json")
@login_required
def my_data_json():
    """Download it all as JSON."""
    youth_only()
    body = json.dumps(my_facts(), ensure_ascii=False, indent=2,
                      default=lambda value: value.isoformat())
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="my-data.json"'})


@bp.route("/account/data.csv")
@login_required
def my_data_csv():
    """Download it all as CSV: one row per fact, for a spreadsheet."""
    youth_only()
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(["section", "item", "field", "value"])
    for section, content in my_facts().items():
        rows = content if isinstance(content, list) else [content or {}]
        for index, row in enumerate(rows, start=1):
            items = row.items() if isinstance(row, dict) else [("value", row)]
            for field, value in items:
                if hasattr(value, "isoformat"):
                    value = value.isoformat()
                writer.writerow([section, index, field, "" if value is None else value])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="my-data.csv"'})


@bp.route("/account/erase", methods=["GET", "POST"])
@login_required
def erase():
    """Erase my account, after the download and a proof that it is really me."""
    youth_only()
    user = current_user._get_current_object()
    form = proof_form(user)
    fresh = two_factor.is_recently_authenticated(user)
    if form.validate_on_submit():
        if (confirm_identity(user, form) if form.asks else fresh):
            services.erase(user)
            logout_user()
            flash(_("Your account and your data are erased. Take care!"), "success")
            return redirect(url_for("main.index"))
        # Failed tries count towards the lock: the unit of work commits this answer too.
        if not form.asks:
            flash(_("Your sign-in link is too old for this. Ask for a new one below."),
                  "error")
            return redirect(url_for("privacy.erase"))
    return render_template("privacy/erase.html", form=form, fresh=fresh,
                           minutes=window_minutes())


def proof_form(user) -> ReauthenticateForm:
    """The password (and code) the person has; with neither, a fresh sign-in link is the proof."""
    form = ReauthenticateForm()
    if user.password_hash is None:
        del form.password
    if not user.has_second_factor:
        del form.code
    form.asks = "password" in form or "code" in form
    return form


def window_minutes() -> int:
    """How long the sign-in link we send works."""
    return int(current_app.config["SIGN_IN_LINK_LIFETIME"].total_seconds() // 60)


@bp.route("/account/erase/link", methods=["POST"])
@limiter.limit(sign_in_limit)
@login_required
def erase_link():
    """Send a fresh sign-in link that brings the person back to erasing."""
    youth_only()
    if ConfirmForm().validate_on_submit():
        user = current_user._get_current_object()
        if services.send_erase_link(user, lambda token: external_url(
                "auth.use_link", token=token, next=url_for("privacy.erase"))):
            return render_template("auth/link_sent.html")
        flash(_("We have no email or phone number for you. Ask a worker for help."), "error")
    return redirect(url_for("privacy.erase"))
