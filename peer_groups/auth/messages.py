"""The words for each refusal code of the credential check: one lockout message for every form."""

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

MESSAGES = {
    "locked": lambda d: ngettext("Too many wrong tries. Wait %(num)s minute and try again.",
                                 "Too many wrong tries. Wait %(num)s minutes and try again.",
                                 d["minutes"]),
    "invalid": _l("The email, username or password is not right. Check them and try again."),
    "wrong_password": _l("This is not your current password."),
    "no_code": _l("Write the code."),
    "wrong_code": _l("This code does not work. Check the app and try again."),
}
