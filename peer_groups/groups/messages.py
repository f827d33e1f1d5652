"""The words for each refusal code of the group and meeting services."""

from flask_babel import gettext as _
from flask_babel import ngettext

MESSAGES = {
    "bad_week": lambda d: _("Choose which week of the month."),
    "bad_weekday": lambda d: _("Choose a weekday."),
    "bad_day": lambda d: _("Choose a day from 1 to 28: every month has them."),
    "bad_duration": lambda d: _("A meeting lasts from 15 minutes to 12 hours."),
    "all_months_skipped": lambda d: _("Leave at least one month with a meeting."),
    "no_dates": lambda d: _("These choices give no new dates in the next 12 months."),
    "no_rule": lambda d: _("Choose the monthly schedule first."),
    "ends_before_start": lambda d: _("The meeting must end after it starts."),
    "too_long": lambda d: _("A meeting lasts at most 12 hours."),
    "in_the_past": lambda d: _("Choose a time in the future."),
    "same_day": lambda d: _("The group already meets on this day."),
    "not_planned": lambda d: _("This meeting is already cancelled or held."),
    "capacity_below_confirmed": lambda d: ngettext(
        "%(num)s person has a place already. Places cannot go below that.",
        "%(num)s people have a place already. Places cannot go below that.",
        d.get("confirmed")),
}


def error_text(refused) -> str:
    return MESSAGES[refused.code](refused.details)
