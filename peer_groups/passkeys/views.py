"""Passkey pages and the JSON exchanges the browser's script makes with them.

Each exchange is two POSTs with the CSRF token in a header: options (a fresh challenge, kept in
the session and, hashed, in the database) and the browser's signed answer.
"""

from flask import (
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from peer_groups.auth import sessions, two_factor
from peer_groups.auth.forms import ConfirmForm
from peer_groups.auth.guards import ask_again_unless_recent
from peer_groups.auth.views import after_sign_in, sign_in_limit
from peer_groups.db import utcnow
from peer_groups.domain.errors import DomainError
from peer_groups.domain.passkeys import StrongSignIn, default_name
from peer_groups.extensions import limiter
from peer_groups.passkeys import bp, guards, services
from peer_groups.passkeys.forms import PasskeyNameForm
from peer_groups.passkeys.messages import MESSAGES
from peer_groups.refusals import message_for
from peer_groups.urls import safe_next

REGISTERING, SIGNING_IN = "passkey_register", "passkey_sign_in"


def refused(error: DomainError):
    return jsonify(error=message_for(error, MESSAGES)), 400


@bp.route("/new")
@login_required
def new():
    """Add a passkey: name it, then the phone or computer asks for a fingerprint, face or PIN."""
    if confirm := ask_again_unless_recent():
        return confirm
    form = PasskeyNameForm(name=default_name(request.user_agent.string))
    return render_template("passkeys/new.html", form=form,
                           next_url=safe_next(request.args.get("next"), ""))


@bp.route("/new/options", methods=["POST"])
@limiter.limit(sign_in_limit)
@login_required
def registration_options():
    """A fresh challenge for navigator.credentials.create()."""
    if not two_factor.is_recently_authenticated(current_user):
        return refused(DomainError("not_recent"))
    options, challenge, handle = services.registration_options(current_user, utcnow())
    session[REGISTERING] = {"challenge": challenge, "handle": handle}
    return options, 200, {"Content-Type": "application/json"}


@bp.route("/new/credential", methods=["POST"])
@limiter.limit(sign_in_limit)
@login_required
def register():
    """Keep the passkey the browser made; then on to where the person was going."""
    kept = session.pop(REGISTERING, None) or {}
    try:
        answer = services.parse_json(request.get_data())
        if not two_factor.is_recently_authenticated(current_user):
            raise DomainError("not_recent")
        services.add_passkey(current_user, answer.get("credential"),
                             services.text_in(answer, "name"), kept.get("challenge"),
                             kept.get("handle"), utcnow(), request.user_agent.string)
    except DomainError as error:
        return refused(error)
    flash(_("Your passkey is added. Next time, sign in with it."), "success")
    next_url = safe_next(services.text_in(answer, "next"), "")
    if guards.step_for(current_user) is not StrongSignIn.DONE:
        return jsonify(redirect=url_for("passkeys.required", next=next_url or None))
    return jsonify(redirect=next_url or url_for("account.security"))


@bp.route("/sign-in/options", methods=["POST"])
@limiter.limit(sign_in_limit)
def sign_in_options():
    """A fresh challenge for navigator.credentials.get(), no account named."""
    options, challenge = services.sign_in_options(utcnow())
    session[SIGNING_IN] = challenge
    return options, 200, {"Content-Type": "application/json"}


@bp.route("/sign-in", methods=["POST"])
@limiter.limit(sign_in_limit)
def sign_in():
    """Sign in with a passkey: both factors at once, instead of password and code."""
    challenge = session.pop(SIGNING_IN, None)
    try:
        answer = services.parse_json(request.get_data())
        user = services.check_sign_in(answer.get("credential"), challenge, utcnow())
    except DomainError as error:
        return refused(error)
    if current_user.is_authenticated:
        sessions.sign_out(current_user)  # the same or another account: this session ends
    sessions.sign_in(user, remember=bool(answer.get("remember")), second_factor_passed=True,
                     how="passkey")
    session["sign_in_method"] = "passkey"
    flash(_("Welcome, %(name)s!", name=user.display_name), "success")
    next_url = safe_next(services.text_in(answer, "next"), url_for("main.home"))
    return jsonify(redirect=after_sign_in(next_url))


@bp.route("/required")
@login_required
def required():
    """The area asks its admins for a passkey: add one, or sign in with the one you have."""
    step = guards.step_for(current_user)
    next_url = safe_next(request.args.get("next"), url_for("main.home"))
    if step is StrongSignIn.DONE:
        return redirect(next_url)
    return render_template("passkeys/required.html", step=step.value, next_url=next_url)


@bp.route("/<int:passkey_id>/remove", methods=["POST"])
@login_required
def remove(passkey_id):
    """Remove one of my passkeys (a lost phone, say): it no longer signs anyone in."""
    passkey = services.passkey_of(current_user, passkey_id)
    if passkey is None:
        abort(404)
    if confirm := ask_again_unless_recent(back=url_for("account.security")):
        return confirm
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("account.security"))
    services.remove_passkey(current_user, passkey)
    flash(_("The passkey is removed."), "success")
    return redirect(url_for("account.security"))
