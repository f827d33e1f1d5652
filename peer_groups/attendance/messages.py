"""The words for each refusal code of the attendance services."""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "meeting_cancelled": _l("This meeting is cancelled."),
    "register_closed": _l("The register is closed."),
    "no_consent": _l("Without their consent this person is counted in the headcount, "
                     "not by name."),
}
