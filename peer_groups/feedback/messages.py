"""The words for each refusal code of the feedback services."""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "already_answered": _l("You already answered. Thank you!"),
    "not_open": _l("This meeting can't be answered now."),
    "no_line": _l("That line is no longer here."),
    "already_an_idea": _l("That is on the group's ideas already."),
}
