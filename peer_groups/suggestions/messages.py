"""The words for each refusal code of the suggestion services."""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "voting_closed": _l("This idea is no longer open for votes."),
    "already_decided": _l("This idea is already decided."),
    "other_group": _l("Choose a meeting."),
}
