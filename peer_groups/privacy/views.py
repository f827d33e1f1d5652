"""My data: see everything, download it, and erase the account."""

import io
import json

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from peer_groups.auth.forms import ConfirmForm
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.privacy import bp, services
from peer_groups.privacy.readable import readable
from peer_groups.spreadsheets import SafeWriter


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
    """Erase my account: personal data goes, meeting counts stay without my name."""
    youth_only()
    form = ConfirmForm()
    if form.validate_on_submit():
        services.erase(current_user._get_current_object())
        db.session.commit()
        logout_user()
        flash(_("Your account and your data are erased. Take care!"), "success")
        return redirect(url_for("main.index"))
    return render_template("privacy/erase.html", form=form)
