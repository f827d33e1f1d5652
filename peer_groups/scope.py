"""The area, period and team a page covers: one GET form for the workload, the reports and the
audit log, so each parses dates the same way and says the same thing when they are wrong."""

from datetime import date

from dateutil.relativedelta import relativedelta
from flask import abort
from flask_babel import lazy_gettext as _l
from wtforms import DateField, MonthField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional, StopValidation, ValidationError

from peer_groups.areas.models import Area
from peer_groups.areas.queries import all_areas
from peer_groups.db import db
from peer_groups.forms import BaseForm

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the service's years; outside them a date is a typo


class _Parsed:
    """A field that says in its own words what to write when the value cannot be read."""

    wrong = ""

    def process_formdata(self, valuelist):
        if not any(value.strip() for value in valuelist):
            self.data = None  # left empty, as a submitted form sends it: no filter, no error
            return
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(self.wrong)) from error

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # one message is enough
        super().pre_validate(form)

    def __call__(self, **kwargs):
        if self.process_errors and getattr(self.widget, "input_type", "text") != "text":
            # A date or month input may hold only a real date (HTML): what was typed stays
            # in a text input, beside the message that says how to write it.
            kwargs.setdefault("type", "text")
        return super().__call__(**kwargs)


class _Day(_Parsed, DateField):
    """A day, year-month-day, as the browser's date input sends it."""

    wrong = _l("Write the date as year-month-day, like 2026-03-31.")

    def pre_validate(self, form):
        super().pre_validate(form)
        if self.data and not FIRST_YEAR <= self.data.year <= LAST_YEAR:
            self.data = None
            raise ValidationError(str(self.wrong))


class _Month(_Day, MonthField):
    """A month, year-month, as the browser's month input sends it (the day is the first)."""

    wrong = _l("Write the month as year-month, like 2026-03.")


class _Team(_Parsed, SelectField):
    """One of the area's teams, or the whole area; anything else is refused, never used."""

    wrong = _l("Choose a team from the list.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, coerce=lambda v: int(v) if v not in (None, "") else None,
                         **kwargs)

    def pre_validate(self, form):
        if self.process_errors:
            self.data = None
            raise StopValidation()
        if self.data is not None and self.data not in {c.value for c in self.choices}:
            self.data = None
            raise ValidationError(str(self.wrong))


class _Kind(SelectField):
    """What kind of event: the list's plain choices, or any other start of an event's code
    that a link carries (such as "consent_text."), which filters as it says."""

    def pre_validate(self, form):
        pass


class _Area(_Team):
    """The service owner's choice of area; anything else is refused, never used."""

    wrong = _l("Choose an area from the list.")


def viewed_area(user, args):
    """The area a page shows, and the areas to choose from: the person's own area (None to
    choose from); the service owner, who has none, picks any (the first if none is asked)."""
    if not user.is_superuser:
        return (db.get_or_404(Area, user.area_id) if user.area_id else abort(404)), None
    areas = all_areas() or abort(404)
    wanted = args.get("area", type=int)
    default = next((a for a in areas if a.id == user.area_id), areas[0])
    return next((a for a in areas if a.id == wanted), default), areas


class ScopeForm(BaseForm):
    """From, to and team, as plain GET parameters a link can carry; nothing here is saved."""

    class Meta:
        csrf = False  # a GET form that changes nothing

    longest = relativedelta(years=3)
    too_long = _l("The end must come after the start, and at most three years later.")

    area = _Area(_l("Area"))
    first = _Day(_l("From"), name="from", validators=[Optional()])
    last = _Day(_l("To"), name="to", validators=[Optional()])
    team = _Team(_l("Team"))

    def __init__(self, formdata, teams=(), areas=None, area=None, **kwargs):
        """`areas`: the service owner's choice, `area` the one shown (see `viewed_area`);
        without `areas` the page keeps to the person's own area and offers no choice."""
        super().__init__(formdata, **kwargs)
        if areas is not None:
            self.area.choices = [SelectChoice(a.id, a.name) for a in areas]
        elif self.area is not None:  # (the audit log's form has no area field at all)
            del self.area
        if self.team is not None:
            self.team.choices = [SelectChoice("", _l("Whole area")),
                                 *(SelectChoice(t.id, t.name) for t in teams)]
        self.validate()
        if areas is not None and area is not None:
            self.area.data = area.id  # the one shown, also when none or a wrong one was asked

    def valid(self, name: str):
        """A filter's value, or None where it was left empty or could not be used."""
        field = self[name]
        return None if field.errors else field.data

    def period(self, default_first: date, default_last) -> tuple[date, date]:
        """The period asked for; where it is wrong the form says so and the default is used.

        `default_last(first)` is the end when none is given (or the one given will not do).
        """
        first = self.first.data or default_first
        last = self.last.data or default_last(first)
        if not first <= last <= first + self.longest - relativedelta(days=1):
            self.last.errors.append(str(self.too_long))
            last = default_last(first)
            if not first <= last:
                first, last = default_first, default_last(default_first)
        self.first.data, self.last.data = first, last
        return first, last


class MonthScopeForm(ScopeForm):
    """The same, whole months: the workload is planned month by month."""

    first = _Month(_l("From"), name="from", validators=[Optional()])
    last = _Month(_l("To"), name="to", validators=[Optional()])
    team = _Team(_l("Team"))  # again, so that it comes after the months


class AuditFilterForm(ScopeForm):
    """The audit log's filters: what was done, by or to whom, between which days."""

    team = area = None
    action = _Kind(_l("What happened"), choices=[
        SelectChoice("", _l("Everything")),
        SelectChoice("register.", _l("Registers opened")),
        SelectChoice("attendance.", _l("Attendance marked")),
        SelectChoice("signup", _l("Sign-ups")),
        SelectChoice("consent", _l("Consents")),
        SelectChoice("meeting.", _l("Meetings")),
        SelectChoice("group", _l("Groups and their members")),
        SelectChoice("user", _l("Accounts and lists of people")),
        SelectChoice("auth.", _l("Signing in")),
        SelectChoice("audit.", _l("The audit log itself")),
    ])
    person = StringField(_l("Person's name"), validators=[
        Optional(), Length(max=80, message=_l("Write at most 80 letters of the name."))],
        description=_l("Part of the name is enough: events by them or about them are shown."))
