"""The words for each refusal code of the invitation services: kind, and saying what to do."""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "unknown": _l("We could not find this invitation. Check that the whole link was copied, "
                  "or ask your worker for a new one."),
    "expired": _l("This invitation is no longer valid. Ask your worker for a new one."),
    "used_up": _l("This invitation has already been used. Ask your worker for a new one."),
    "revoked": _l("This invitation was turned off. Ask your worker for a new one."),
    "wrong_person": _l("This invitation does not work with your account. If you think it "
                       "should, ask your worker."),
    "link_expired": _l("This link to finish joining no longer works. Open the invitation "
                       "again to get a new one."),
}
