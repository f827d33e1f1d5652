"""Signing in through the area's identity provider, and back."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from peer_groups import unit_of_work
from peer_groups.auth.views import after_sign_in, sign_in_limit
from peer_groups.domain.errors import DomainError
from peer_groups.extensions import limiter
from peer_groups.refusals import flash_error, message_for
from peer_groups.sso import bp, services
from peer_groups.sso.messages import MESSAGES
from peer_groups.urls import external_url, safe_next


def callback_url() -> str:
    return external_url("sso.callback")


@bp.route("/<int:provider_id>/start")
@limiter.limit(sign_in_limit)
def start(provider_id):
    """"Sign in with <provider>": off to the provider, with state, nonce and PKCE.

    A link, not a form: the page's Content-Security-Policy (form-action 'self') would stop a
    form whose answer leads to another site. It changes nothing here but this browser's own
    cookie, and the state it keeps is what makes a forged answer fail.
    """
    found = services.provider(provider_id)
    if found is None:
        return redirect(url_for("auth.sign_in"))
    next_url = safe_next(request.args.get("next"), url_for("main.home"))
    if current_user.is_authenticated:
        return redirect(next_url)
    try:
        return redirect(services.start(found, callback_url(), next_url))
    except DomainError as refused:
        flash_error(DomainError(refused.code, name=found.display_name), MESSAGES)
        return redirect(url_for("auth.sign_in"))


@bp.route("/callback")
@limiter.limit(sign_in_limit)
@unit_of_work.writes_on_get  # signs in: taken with the write lock at once, never run twice
def callback():
    """Back from the provider: its answer checked, the staff member signed in (or told why not)."""
    try:
        user, next_url = services.finish(request.args.to_dict(), callback_url())
    except DomainError as refused:
        return render_template("sso/refused.html", message=message_for(refused, MESSAGES)), 403
    flash(_("Welcome, %(name)s!", name=user.display_name), "success")
    return redirect(after_sign_in(safe_next(next_url, url_for("main.home"))))
