"""The words for each refusal code of the credential check: one lockout message for every form."""

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

MESSAGES = {
    "locked": lambda d: ngettext("Too many wrong tries. Wait %(num)s minute and try again.",
                                 "Too many wrong tries. Wait %(num)s minutes and try again.",
                                 d["minutes"]),
    # The same words for an unknown account, a wrong password and a locked account.
    "invalid": _l("The details are not right, or there were too many wrong tries. Check them "
                  "and try again, add the code from your authenticator app, or get a sign-in "
                  "link."),
    "wrong_password": _l("This is not your current password."),
    "no_code": _l("Write the code."),
    "wrong_code": _l("This code does not work. Check the app and try again."),
}
