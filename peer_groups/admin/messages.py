"""The words for each refusal code of the admin services."""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "area_exists": _l("An area with this name exists already."),
    "team_exists": _l("This area has a team with this name already."),
    "email_taken": _l("Somebody already uses this email."),
    "not_yourself": _l("You cannot change your own role or close your own account."),
    "has_password": _l("%(name)s already has a password, so no password link was sent. If "
                       "they forgot it, they can ask for a new one with \"Forgot your "
                       "password?\" on the sign-in page."),
}
