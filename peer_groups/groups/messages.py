"""The words for each refusal code of the group and meeting services."""

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

MESSAGES = {
    "bad_week": _l("Choose which week of the month."),
    "bad_weekday": _l("Choose a weekday."),
    "bad_day": _l("Choose a day from 1 to 28: every month has them."),
    "bad_duration": _l("A meeting lasts from 15 minutes to 12 hours."),
    "all_months_skipped": _l("Leave at least one month with a meeting."),
    "no_dates": _l("These choices give no new dates in the next 12 months."),
    "no_rule": _l("Choose the monthly schedule first."),
    "ends_before_start": _l("The meeting must end after it starts."),
    "too_long": _l("A meeting lasts at most 12 hours."),
    "in_the_past": _l("Choose a time in the future."),
    "time_skipped": _l("This time does not exist on that day: the clocks jump from 03:00 "
                       "to 04:00 that night. Choose another time."),
    "time_repeated": _l("This time comes twice that night: the clocks go back from 04:00 to "
                        "03:00. Choose which one you mean."),
    "same_day": _l("The group already meets on this day."),
    "not_planned": _l("This meeting is already cancelled or held."),
    "not_a_member": _l("You are not in this group any more."),
    "not_cancelled": _l("This meeting is not cancelled."),
    "already_started": _l("This meeting has already started, so it cannot be put back on."),
    "capacity_below_confirmed": lambda d: ngettext(
        "%(num)s person has a place already. Places cannot go below that.",
        "%(num)s people have a place already. Places cannot go below that.",
        d.get("confirmed")),
}
