"""Two gates in front of the app: the second factor, and a recent password for big changes.

- A staff member who has not set up an authenticator, or anyone whose session has not yet
  passed their second factor, reaches only the second-factor pages, sign-out and the language
  switch: no personal data before both factors.
- Changes that would let someone keep or widen access (email, password, second factor, consent
  texts, roles) ask for the password and code again if they were last typed a while ago.
"""

from flask import redirect, request, url_for
from flask_login import current_user

from peer_groups.auth import two_factor
from peer_groups.domain.two_factor import SecondFactor

# Pages open to a session that has not passed its second factor yet.
OPEN_BEFORE_SECOND_FACTOR = frozenset({
    "auth.two_factor_check", "auth.two_factor_setup", "auth.sign_out", "main.set_language",
    "main.healthz", "static",
})


def second_factor_pending() -> bool:
    return (current_user.is_authenticated
            and two_factor.step_for(current_user) is not SecondFactor.DONE)


def enforce_second_factor():
    """before_request: send a session that still needs its second factor to do it first."""
    if request.endpoint in OPEN_BEFORE_SECOND_FACTOR or not current_user.is_authenticated:
        return None
    step = two_factor.step_for(current_user)
    if step is SecondFactor.DONE:
        return None
    target = "auth.two_factor_check" if step is SecondFactor.VERIFY else "auth.two_factor_setup"
    next_url = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for(target, next=next_url))


def ask_again_unless_recent(back: str | None = None):
    """A redirect to "confirm it is you" unless the password was typed in the last minutes.

    Called by a view after its permission check, so that people without the right get their
    403 or 404 rather than a password prompt. A POST that arrives too late is sent to the
    confirmation and back to the form (GET, or `back` for a POST-only step): nothing changes
    without a fresh confirmation.
    """
    if two_factor.is_recently_authenticated(current_user):
        return None
    if back is None:
        back = request.full_path.rstrip("?") if request.method == "GET" else request.path
    return redirect(url_for("auth.reauthenticate", next=back))


def init_app(app):
    app.before_request(enforce_second_factor)
    app.jinja_env.globals["second_factor_pending"] = second_factor_pending
