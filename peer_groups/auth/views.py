"""Signing in and out, one-time sign-in links, and choosing a new password."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from peer_groups.auth import bp, credentials, link_requests, services, sessions, two_factor
from peer_groups.auth.forms import (
    LinkRequestForm,
    LinkSignInForm,
    NewPasswordForm,
    ResetRequestForm,
    SignInForm,
)
from peer_groups.auth.messages import MESSAGES
from peer_groups.auth.models import TokenPurpose
from peer_groups.domain.errors import DomainError
from peer_groups.domain.two_factor import SecondFactor
from peer_groups.extensions import limiter
from peer_groups.refusals import message_for
from peer_groups.sso import services as sso
from peer_groups.urls import external_url, safe_next


def sign_in_limit():
    return current_app.config["RATELIMIT_SIGN_IN"]


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
def sign_in():
    """Staff and young people sign in with their email or username and password."""
    next_url = safe_next(request.values.get("next"), url_for("main.home"))
    if current_user.is_authenticated:
        return redirect(next_url)
    form = SignInForm()
    refused = False
    if form.validate_on_submit():
        try:
            credentials.sign_in_with_password(form.identifier.data, form.password.data,
                                              remember=form.remember.data, code=form.code.data)
        except DomainError as refusal:
            refused = True
            form.password.errors.append(message_for(refusal, MESSAGES))
        else:
            return redirect(after_sign_in(next_url))
    return render_template("auth/sign_in.html", form=form, next_url=next_url,
                           ask_code=refused or bool(form.code.data),
                           providers=sso.providers_for_sign_in())


def after_sign_in(next_url: str) -> str:
    """Where a new session goes: its second factor first, if it needs one."""
    step = two_factor.step_for(current_user)
    if step is SecondFactor.VERIFY:
        return url_for("auth.two_factor_check", next=next_url)
    if step is SecondFactor.SET_UP:
        return url_for("auth.two_factor_setup", next=next_url)
    return next_url


@bp.route("/sign-out", methods=["POST"])
@login_required
def sign_out():
    """End this session for good: the old cookie no longer works.

    A session that began at an identity provider is offered the provider's sign-out too.
    """
    at_provider = sso.provider_sign_out(current_user, external_url("main.index"))
    sessions.sign_out(current_user)
    flash(_("You have signed out. See you soon!"), "success")
    if at_provider:
        return render_template("sso/signed_out.html", **at_provider)
    return redirect(url_for("main.index"))


@bp.route("/link", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
def request_link():
    """A sign-in link to one's own email or phone: no password needed.

    Staff get it to their email only, and still type their code after it: the way in when
    someone else's wrong guesses have locked their account.
    """
    form = LinkRequestForm()
    if form.validate_on_submit():
        link_requests.ask(TokenPurpose.SIGN_IN, form.identifier.data)
        return render_template("auth/link_sent.html")
    return render_template("auth/request_link.html", form=form)


@bp.route("/link/<token>", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
def use_link(token):
    """Opening the link shows a button; pressing it signs in (link scanners only GET).

    The session is the short one unless the person ticks "keep me signed in".
    """
    form = LinkSignInForm()
    if form.validate_on_submit():
        user = services.use_token(token, TokenPurpose.SIGN_IN)
        if user is not None:
            sessions.sign_in(user, remember=form.remember.data, how="link")
            # The link proved the person's own address: their code gets past the lock.
            session["signed_in_by_link"] = True
            flash(_("Welcome, %(name)s!", name=user.display_name), "success")
            return redirect(after_sign_in(safe_next(request.args.get("next"),
                                                    url_for("main.home"))))
    elif request.method == "GET" and services.peek_token(token, TokenPurpose.SIGN_IN):
        return render_template("auth/use_link.html", form=form)
    return render_template("auth/link_expired.html"), 410


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
def request_reset():
    """Forgot the password: a one-time link to choose a new one."""
    form = ResetRequestForm()
    if form.validate_on_submit():
        link_requests.ask(TokenPurpose.PASSWORD_RESET, form.identifier.data)
        return render_template("auth/reset_sent.html")
    return render_template("auth/request_reset.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
def reset(token):
    """Choose a new password from a reset link."""
    return choose_password(token, TokenPurpose.PASSWORD_RESET, "auth.password_reset")


@bp.route("/welcome/<token>", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
def welcome(token):
    """A new staff member chooses their first password."""
    return choose_password(token, TokenPurpose.SET_PASSWORD, "auth.password_set")


def choose_password(token, purpose, action):
    found = services.peek_token(token, purpose)
    if found is None:
        return render_template("auth/link_expired.html"), 410
    user = found.user
    if purpose is TokenPurpose.SET_PASSWORD and user.password_hash is not None:
        # A welcome link is for the first password only; a password link resets one.
        return render_template("auth/link_expired.html", has_password=True), 410
    form = NewPasswordForm(personal_words=(user.email, user.username, user.display_name))
    if form.validate_on_submit():
        if services.use_token(token, purpose) is None:
            return render_template("auth/link_expired.html"), 410
        services.set_password(user, form.password.data, action=action)
        flash(_("Your password is saved. You can sign in now."), "success")
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/new_password.html", form=form, purpose=purpose.value)
