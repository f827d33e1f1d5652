"""An area that requires it sends its admins to a passkey before anything else.

A session signed in with a passkey or single sign-on (`session["sign_in_method"]`) passes; an
admin who signed in with password and code is taken to add a passkey, or to use theirs.
"""

from flask import redirect, request, session, url_for
from flask_login import current_user

from peer_groups.auth import two_factor
from peer_groups.domain.passkeys import StrongSignIn, strong_sign_in_required, strong_sign_in_step
from peer_groups.domain.roles import Role
from peer_groups.domain.two_factor import SecondFactor
from peer_groups.passkeys import services

OPEN_BEFORE_STRONG_SIGN_IN = frozenset({
    "passkeys.required", "passkeys.new", "passkeys.registration_options", "passkeys.register",
    "passkeys.sign_in_options", "passkeys.sign_in", "auth.reauthenticate",
    "auth.reauthenticate_by_link", "auth.sign_out", "main.set_language",
    "main.healthz", "static",
})


def step_for(user) -> StrongSignIn:
    """What this session of `user` still has to do for their area's sign-in rule."""
    is_area_admin = user.role is Role.ADMIN and not user.is_superuser
    if not is_area_admin:  # most requests: no query for the area
        return StrongSignIn.DONE
    area_requires = bool(user.area and user.area.admins_need_passkey)
    if not strong_sign_in_required(is_area_admin, area_requires):
        return StrongSignIn.DONE
    return strong_sign_in_step(True, session.get("sign_in_method"), services.has_passkey(user))


def enforce_strong_sign_in():
    """before_request, after the second factor's: an admin whose area requires a passkey."""
    if request.endpoint in OPEN_BEFORE_STRONG_SIGN_IN or not current_user.is_authenticated:
        return None
    if two_factor.step_for(current_user) is not SecondFactor.DONE:
        return None  # the second factor's guard decides first
    if step_for(current_user) is StrongSignIn.DONE:
        return None
    next_url = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("passkeys.required", next=next_url))


def init_app(app):
    app.before_request(enforce_strong_sign_in)
