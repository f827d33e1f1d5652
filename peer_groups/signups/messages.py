"""The words for each refusal code of the sign-up services (see domain.signups.SignupProblem)."""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "meeting_cancelled": _l("This meeting is cancelled, so there is nothing to sign up for."),
    "list_kept": _l("This meeting is cancelled, so sign-ups stay as they are. If it is put "
                    "back on, everyone keeps their place."),
    "meeting_past": _l("This meeting has already started or is over."),
    "deadline_passed": _l("Sign-up for this meeting has closed."),
    "already_signed_up": _l("You are already signed up."),
    "not_signed_up": _l("You are not signed up for this meeting."),
}
