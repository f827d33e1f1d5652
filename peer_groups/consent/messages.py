"""The words for each refusal code of the consent services."""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "understanding_not_checked": _l("Tick this box first: the young person must understand."),
    "text_unchanged": _l("This is the same as the current version. Change the text first."),
}
