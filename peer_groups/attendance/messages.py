"""The words for each refusal code of the attendance services."""

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

MESSAGES = {
    "meeting_cancelled": _l("This meeting is cancelled."),
    "register_closed": _l("The register is closed."),
    "register_open": _l("The register is open already."),
    "correction_time_over": lambda d: ngettext(
        "The register can be corrected for %(num)s day after the meeting. That time is over.",
        "The register can be corrected for %(num)s days after the meeting. That time is over.",
        d["num"]),
    "no_consent": _l("Without their consent this person is counted in the headcount, "
                     "not by name."),
    # Taps sent from the phone's queue (peer_groups/attendance/taps.py).
    "no_consent_counted": _l("Their consent to recording attendance is not in force now, so "
                             "they were counted in the headcount, not by name."),
    "not_a_member": _l("This person is not a member of the group."),
    "tap_key_reused": _l("This tap was already sent for another meeting."),
    "bad_taps": _l("The phone sent taps the register could not read."),
}
