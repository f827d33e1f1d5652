"""The words for each refusal about one's own email and phone number."""

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

MESSAGES = {
    "bad_email": _l("Write a whole email address, like name@example.fi."),
    "bad_phone": _l("Write a phone number, like 040 123 4567 or +358 40 123 4567."),
    "same_as_now": _l("This is already on your account."),
    "in_use": _l("This is already used on another account. Write another one, or ask your "
                 "worker for help."),
    "sent_just_now": _l("We just sent a code there. Wait a minute before asking for a new one."),
    "no_code_waiting": _l("There is no code waiting. Ask for a new code."),
    "code_expired": _l("This code is too old. Ask for a new code."),
    "too_many_tries": lambda d: ngettext(
        "The code was typed wrong %(num)s time. Ask for a new code.",
        "The code was typed wrong %(num)s times. Ask for a new code.", d["tries"]),
    "wrong_code": _l("This code is not right. Check the message and try again."),
    "nothing_to_remove": _l("There is nothing to remove."),
    "last_way_in": _l("You sign in with links sent here, so you need it. Set a password or "
                      "add another email or phone number first."),
    "not_confirmed": _l("Choose one of the ways shown."),
}
