"""The second factor at sign-in, setting up an authenticator, and confirming it is really you."""

import segno
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from peer_groups.auth import bp, credentials, services, two_factor
from peer_groups.auth.forms import CodeForm, ConfirmForm, ReauthenticateForm, SetupCodeForm
from peer_groups.auth.messages import MESSAGES
from peer_groups.auth.views import sign_in_limit
from peer_groups.domain.errors import DomainError
from peer_groups.domain.two_factor import SecondFactor, provisioning_uri
from peer_groups.extensions import limiter
from peer_groups.refusals import message_for
from peer_groups.urls import external_url, safe_next

FEW_RECOVERY_CODES = 3
# Where a refusal of "confirm it is you" is shown; any other goes above the form.
FIELD_OF = {"wrong_password": "password", "no_code": "code", "wrong_code": "code"}


def next_or_home():
    return safe_next(request.values.get("next"), url_for("main.home"))


@bp.route("/two-factor", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
@login_required
def two_factor_check():
    """After the password: the code from the authenticator app (or a recovery code)."""
    user = current_user._get_current_object()
    step = two_factor.step_for(user)
    if step is SecondFactor.SET_UP:
        return redirect(url_for("auth.two_factor_setup", next=request.values.get("next")))
    if step is SecondFactor.DONE:
        return redirect(next_or_home())
    form = CodeForm()
    if request.values.get("recovery"):
        form.for_recovery_code()
    if form.validate_on_submit():
        try:
            used = credentials.verify(user, code=form.code.data,
                                      despite_lock=session.get("signed_in_by_link", False))
        except DomainError as refused:
            form.code.errors.append(message_for(refused, MESSAGES))
        else:
            two_factor.mark_passed(user)
            if used == "recovery":
                warn_about_recovery_codes(user)
            return redirect(next_or_home())
    return render_template("auth/two_factor.html", form=form,
                           next_url=request.values.get("next", ""))


def warn_about_recovery_codes(user):
    left = two_factor.recovery_codes_left(user)
    flash(ngettext("You used a recovery code. You have %(num)s left.",
                   "You used a recovery code. You have %(num)s left.", left), "warning")
    if left <= FEW_RECOVERY_CODES:
        flash(_("Make new recovery codes on your account page, or set up a new phone."),
              "warning")


@bp.route("/two-factor/setup", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
@login_required
def two_factor_setup():
    """Set up an authenticator: scan the QR code, type the first code, keep recovery codes."""
    user = current_user._get_current_object()
    step = two_factor.step_for(user)
    if step is SecondFactor.VERIFY:
        return redirect(url_for("auth.two_factor_check", next=request.values.get("next")))
    if user.has_second_factor and not two_factor.is_recently_authenticated(user):
        return redirect(url_for("auth.reauthenticate", next=request.path))
    secret = two_factor.pending_secret(user)
    form = SetupCodeForm()
    if form.validate_on_submit():
        codes = two_factor.confirm_setup(user, form.code.data)
        if codes is not None:
            return render_template("auth/recovery_codes.html", codes=codes,
                                   next_url=next_or_home(), first_time=True)
        form.code.errors.append(_("This code does not work. Check that the app shows "
                                  "'%(issuer)s' and type the newest code.",
                                  issuer=issuer_name()))
    account = user.email or user.username or str(user.id)
    uri = provisioning_uri(secret, account, issuer_name())
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=2)
    return render_template("auth/two_factor_setup.html", form=form, qr=qr, otpauth_uri=uri,
                           secret=" ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
                           next_url=request.values.get("next", ""))


def issuer_name() -> str:
    return current_app.config["TOTP_ISSUER"]


@bp.route("/confirm", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
@login_required
def reauthenticate():
    """Before a change that matters: type the password, and the code if you have one."""
    user = current_user._get_current_object()
    form = ReauthenticateForm()
    if user.password_hash is None:
        del form.password
    if not user.has_second_factor:
        del form.code
    elif request.values.get("recovery"):
        form.for_recovery_code()
    if "password" not in form and "code" not in form:
        return render_template("auth/reauthenticate_by_link.html", form=ConfirmForm())
    if form.validate_on_submit():
        if confirm_identity(user, form):
            two_factor.mark_reauthenticated(user)
            return redirect(next_or_home())
        # Failed tries count towards the lock: the unit of work commits this answer too.
    return render_template("auth/reauthenticate.html", form=form,
                           next_url=request.values.get("next", ""))


def confirm_identity(user, form) -> bool:
    """Check the password and code typed on a "confirm it is you" form; errors go on it."""
    try:
        credentials.verify(
            user, password=(form.password.data or "") if "password" in form else None,
            code=(form.code.data or "") if "code" in form else None)
    except DomainError as refused:
        field = FIELD_OF.get(refused.code)
        errors = form[field].errors if field else form.form_errors
        errors.append(message_for(refused, MESSAGES))
        return False
    return True


@bp.route("/confirm/link", methods=["POST"])
@limiter.limit(sign_in_limit)
@login_required
def reauthenticate_by_link():
    """No password and no app: a fresh sign-in link proves the email or phone is yours."""
    user = current_user._get_current_object()
    if ConfirmForm().validate_on_submit():
        identifier = user.email or user.phone
        if identifier:
            services.send_sign_in_link(
                identifier, lambda token: external_url("auth.use_link", token=token))
            return render_template("auth/link_sent.html")
    flash(_("We have no email or phone number for you. Ask a worker for help."), "error")
    return redirect(url_for("account.profile"))

