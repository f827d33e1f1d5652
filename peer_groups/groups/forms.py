"""Forms for groups, their schedule and their meetings."""

from datetime import time

from flask_babel import format_time
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from peer_groups.domain.wall_clock import HELSINKI, ClockTime, Which, clock_time, exact_utc
from peer_groups.forms import MONTH_NAMES, WEEKDAY_NAMES, BaseForm, CheckboxesField, Required
from peer_groups.main.forms import LANGUAGE_CHOICES


def whole_number(low, high):
    return [Required(_l("Write a number.")),
            NumberRange(min=low, max=high, message=_l("Write a number from %(min)s to %(max)s."))]


class VenueFields:
    venue_name = StringField(_l("Place"), validators=[Length(max=120)],
                             description=_l("For example: Youth house Kulma"))
    venue_address = StringField(_l("Address"), validators=[Length(max=200)])
    venue_accessibility = TextAreaField(
        _l("Accessibility"), validators=[Length(max=500)],
        description=_l("Steps, lift, accessible toilet, how to find the door."))


class GroupForm(VenueFields, BaseForm):
    name = StringField(_l("Group name"), validators=[Required(_l("Write a name.")),
                                                     Length(max=120)])
    description = TextAreaField(_l("What the group is about"), validators=[Length(max=2000)])
    language = SelectField(_l("Language of the group"), choices=LANGUAGE_CHOICES)
    team_id = SelectField(_l("Team"), choices=[], coerce=int)
    default_capacity = IntegerField(_l("Places at a meeting"), default=12,
                                    validators=whole_number(1, 200))
    target_size = IntegerField(
        _l("Target size of the group"),
        validators=[Optional(), NumberRange(min=1, max=200, message=_l(
            "Write a number from %(min)s to %(max)s."))],
        description=_l("Used to estimate staff time before sign-ups. Leave it empty to use "
                       "the area's expected group size."))
    default_start_time = TimeField(_l("Usual start time"), default=time(17, 0),
                                   validators=[Required(_l("Write a time."))])
    default_duration_minutes = IntegerField(_l("Usual length in minutes"), default=120,
                                            validators=whole_number(15, 720))
    facilitator_ids = CheckboxesField(_l("Facilitators"), coerce=int)
    member_ids = CheckboxesField(_l("Members"), coerce=int)

    def __init__(self, *args, teams=(), staff=(), youth=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.team_id.choices = [SelectChoice(0, _l("No team"))] + [
            SelectChoice(t.id, t.name) for t in teams]
        self.facilitator_ids.choices = [SelectChoice(u.id, u.display_name) for u in staff]
        self.member_ids.choices = [SelectChoice(u.id, u.display_name) for u in youth]


WEEK_CHOICES = [
    SelectChoice("1", _l("first")), SelectChoice("2", _l("second")),
    SelectChoice("3", _l("third")), SelectChoice("4", _l("fourth")),
    SelectChoice("-1", _l("last")),
]


class ScheduleForm(BaseForm):
    kind = RadioField(_l("Which day of the month?"), default="weekday", choices=[
        SelectChoice("weekday", _l("A weekday, e.g. the second Tuesday")),
        SelectChoice("day", _l("A date, e.g. the 15th")),
    ])
    week = SelectField(_l("Which one"), choices=WEEK_CHOICES, default="2")
    weekday = SelectField(_l("Weekday"), default="1", choices=[
        SelectChoice(str(i), name) for i, name in enumerate(WEEKDAY_NAMES)])
    day = IntegerField(_l("Day of the month"), default=15, validators=[
        Optional(), NumberRange(min=1, max=28, message=_l("Choose a day from 1 to 28: every "
                                                          "month has them."))])
    start_time = TimeField(_l("Starts at"), validators=[Required(_l("Write a time."))])
    duration_minutes = IntegerField(_l("Length in minutes"), validators=whole_number(15, 720))
    skip_months = CheckboxesField(_l("Months with no meeting"), coerce=int, choices=[
        SelectChoice(i + 1, name) for i, name in enumerate(MONTH_NAMES)])

    def validate_skip_months(self, field):
        if len(field.data or []) >= 12:
            raise ValidationError(_l("Leave at least one month with a meeting."))


class MeetingForm(VenueFields, BaseForm):
    day = DateField(_l("Date"), validators=[Required(_l("Choose a date."))])
    starts = TimeField(_l("Starts at"), validators=[Required(_l("Write a time."))])
    ends = TimeField(_l("Ends at"), validators=[Required(_l("Write a time."))])
    capacity = IntegerField(_l("Places"), validators=whole_number(1, 200))
    is_outing = BooleanField(_l("This meeting is an outing"),
                             description=_l("Outings take more staff time (travel)."))
    # Asked only when the time comes twice that night (the autumn clock change).
    starts_which = RadioField(_l("Which start time?"), validate_choice=False)
    ends_which = RadioField(_l("Which end time?"), validate_choice=False)

    def validate_ends(self, field):
        if self.starts.data and field.data and field.data <= self.starts.data:
            raise ValidationError(_l("The meeting must end after it starts."))

    def which(self, name: str) -> Which | None:
        """The first or second of a repeated time, if the person chose one."""
        chosen = getattr(self, f"{name}_which").data
        return {"first": Which.FIRST, "second": Which.SECOND}.get(chosen)

    def ask_which(self, name: str) -> None:
        """Offer "the first / the second 03:30", each with its real offset, for this field."""
        day, at = self.day.data, getattr(self, name).data
        first, second = (format_time(exact_utc(day, at, w), "short") for w in Which)
        question = getattr(self, f"{name}_which")
        question.choices = [
            SelectChoice("first", _l("The first %(time)s (summer time, before the clocks go "
                                     "back)", time=first)),
            SelectChoice("second", _l("The second %(time)s (winter time, after the clocks go "
                                      "back)", time=second)),
        ]
        question.asked = True

    def load_times(self, starts_at, ends_at) -> None:
        """Fill date and times from a saved meeting; a repeated time keeps which one it is."""
        local_start, local_end = starts_at.astimezone(HELSINKI), ends_at.astimezone(HELSINKI)
        self.day.data, self.starts.data, self.ends.data = (
            local_start.date(), local_start.time(), local_end.time())
        for name, local in (("starts", local_start), ("ends", local_end)):
            if clock_time(local_start.date(), local.time()) is ClockTime.REPEATED:
                getattr(self, f"{name}_which").data = ("first", "second")[local.fold]
                self.ask_which(name)

    def show_refusal(self, refused, text: str) -> None:
        """Put the service's refusal on the field it is about; a repeated time asks which."""
        name = refused.details.get("field") or (
            "capacity" if refused.code == "capacity_below_confirmed" else "day")
        getattr(self, name).errors.append(text)
        if refused.code == "time_repeated":
            self.ask_which(name)
        for other in ("starts", "ends"):  # keep an answer given before on the page
            if self.which(other) is not None and getattr(self, other).data and self.day.data:
                self.ask_which(other)


class CancelForm(BaseForm):
    reason = TextAreaField(
        _l("Why is the meeting cancelled?"),
        validators=[Required(_l("Write a short reason: it goes to everyone signed up.")),
                    Length(max=300)],
        description=_l("Everyone signed up gets this message."),
    )
