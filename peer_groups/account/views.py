"""A person's own account: name, language, password and second factor."""

from flask import abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from peer_groups.account import bp
from peer_groups.account.forms import ChangePasswordForm, ProfileForm
from peer_groups.audit.services import record
from peer_groups.auth import credentials, services, sessions, two_factor
from peer_groups.auth.forms import ConfirmForm
from peer_groups.auth.guards import ask_again_unless_recent
from peer_groups.auth.messages import MESSAGES
from peer_groups.auth.views import sign_in_limit
from peer_groups.db import utcnow
from peer_groups.domain.errors import DomainError
from peer_groups.domain.schedule import HELSINKI
from peer_groups.extensions import limiter
from peer_groups.passkeys import services as passkey_services
from peer_groups.permissions import require
from peer_groups.refusals import message_for


@bp.route("/", methods=["GET", "POST"])
@login_required
def profile():
    """Change the name others see, the language of the app and messages, the birth year."""
    form = ProfileForm(user=current_user, this_year=utcnow().astimezone(HELSINKI).year)
    if form.validate_on_submit():
        current_user.display_name = form.display_name.data.strip()
        current_user.language = form.language.data
        if "birth_year" in form:
            current_user.birth_year = int(form.birth_year.data) if form.birth_year.data else None
        session["lang"] = form.language.data
        record(current_user, "account.profile_updated", subject=current_user)
        flash(_("Saved."), "success")
        return redirect(url_for("account.profile"))
    return render_template("account/profile.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
@login_required
def change_password():
    """Change the password; every other device is signed out."""
    user = current_user._get_current_object()
    form = ChangePasswordForm(personal_words=(user.email, user.username, user.display_name))
    if user.password_hash is None:
        # Signed in by link so far: no password to confirm, so the link must be recent.
        if confirm := ask_again_unless_recent():
            return confirm
        del form.current
    if form.validate_on_submit():
        try:
            credentials.verify(user, password=form.current.data if "current" in form else None)
        except DomainError as refused:
            errors = form.current.errors if "current" in form else form.form_errors
            errors.append(message_for(refused, MESSAGES))
        else:
            passed = user.current_session.second_factor_at is not None
            services.set_password(user, form.password.data)
            sessions.sign_in(user, second_factor_passed=passed, how="password_changed")
            flash(_("Your password is changed. Other devices are signed out."), "success")
            return redirect(url_for("account.profile"))
    return render_template("account/password.html", form=form)


@bp.route("/security")
@login_required
def security():
    """The second factor (set up, replace, recovery codes, off), passkeys, and where one is
    signed in."""
    user = current_user._get_current_object()
    codes_left = two_factor.recovery_codes_left(user) if user.has_second_factor else 0
    return render_template("account/security.html", codes_left=codes_left, form=ConfirmForm(),
                           devices=sessions.sessions_of(user),
                           passkeys=passkey_services.passkeys_of(user))


@bp.route("/security/sign-out-elsewhere", methods=["POST"])
@login_required
def sign_out_elsewhere():
    """End every session of mine but this one, e.g. after signing in on a friend's phone."""
    if ConfirmForm().validate_on_submit():
        user = current_user._get_current_object()
        ended = sessions.end_other_sessions(user)
        record(user, "auth.signed_out_elsewhere", subject=user)
        flash(ngettext("Signed out on %(num)s other device.",
                       "Signed out on %(num)s other devices.", ended), "success")
    return redirect(url_for("account.security"))


@bp.route("/security/recovery-codes", methods=["POST"])
@login_required
def new_recovery_codes():
    """New recovery codes, shown once; the old ones stop working."""
    user = current_user._get_current_object()
    if not user.has_second_factor:
        abort(404)
    if confirm := ask_again_unless_recent():
        return confirm
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("account.security"))
    codes = two_factor.renew_recovery_codes(user)
    return render_template("auth/recovery_codes.html", codes=codes,
                           next_url=url_for("account.security"), first_time=False)


@bp.route("/security/turn-off", methods=["POST"])
@login_required
def turn_off_second_factor():
    """A young person turns the authenticator off again."""
    require("account.turn_off_second_factor")
    if confirm := ask_again_unless_recent():
        return confirm
    if ConfirmForm().validate_on_submit():
        two_factor.turn_off(current_user._get_current_object(), current_user)
        flash(_("The second step is off. You sign in with your password or a link."),
              "success")
    return redirect(url_for("account.security"))
