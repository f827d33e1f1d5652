"""A person's own account: name, language and password."""

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from peer_groups.account import bp
from peer_groups.account.forms import ChangePasswordForm, ProfileForm
from peer_groups.audit.services import record
from peer_groups.auth import services, sessions
from peer_groups.auth.passwords import verify_password
from peer_groups.db import db


@bp.route("/", methods=["GET", "POST"])
@login_required
def profile():
    """Change the name others see and the language of the app and messages."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        current_user.display_name = form.display_name.data.strip()
        current_user.language = form.language.data
        session["lang"] = form.language.data
        record(current_user, "account.profile_updated", subject=current_user)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("account.profile"))
    return render_template("account/profile.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password; every other device is signed out."""
    user = current_user._get_current_object()
    form = ChangePasswordForm(personal_words=(user.email, user.username, user.display_name))
    if user.password_hash is None:
        del form.current  # signed in by link so far: nothing to confirm
    if form.validate_on_submit():
        if user.password_hash and not verify_password(user.password_hash, form.current.data):
            form.current.errors.append(_("This is not your current password."))
        else:
            services.set_password(user, form.password.data)
            sessions.sign_in(user)
            db.session.commit()
            flash(_("Your password is changed. Other devices are signed out."), "success")
            return redirect(url_for("account.profile"))
    return render_template("account/password.html", form=form)
