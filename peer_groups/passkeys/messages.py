"""The words for each refusal of a passkey."""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "challenge": _l("That took too long, or the page was old. Try again."),
    "refused": _l("The passkey was not accepted. Try again, or sign in another way."),
    "unknown": _l("This passkey is not in use here any more. Sign in another way, then add "
                  "a new passkey."),
    "already_added": _l("This passkey is already on your account."),
    "not_recent": _l("Confirm it is you first: open the page again."),
}
