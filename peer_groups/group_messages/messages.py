"""The words for each refusal code of the group message service."""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "too_many_messages": _l("You have sent %(limit)s messages in the last hour, which is the "
                            "most for now. Your text is kept here: please send it a bit later."),
    "nobody_to_reach": _l("There is nobody to send this to yet."),
}
