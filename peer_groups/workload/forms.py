"""Forms for workload parameters, what-if groups and staff hours."""

from flask_babel import format_decimal, gettext
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectChoice, SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from peer_groups.domain import workload as model
from peer_groups.forms import BaseForm, LocalDecimalField, Required
from peer_groups.i18n import month_name

PARAMETER_LABELS = {
    "show_rate": _l("Share who come"),
    "min_staff": _l("Minimum staff at a meeting"),
    "youth_per_staff": _l("Young people per worker"),
    "prep_hours": _l("Preparation (h per meeting)"),
    "setup_hours": _l("Setting up (h per worker)"),
    "debrief_hours": _l("Clearing up and debrief (h per worker)"),
    "travel_hours": _l("Travel (h per worker)"),
    "outing_travel_hours": _l("Travel on an outing (h per worker)"),
    "doc_minutes": _l("Record-keeping (min per young person)"),
    "expert_hours": _l("Experience expert (h per meeting)"),
    "startup_hours": _l("Starting a new group (h in all)"),
    "snack_cost_eur": _l("Snacks (€ per young person)"),
    "activity_cost_eur": _l("Activities (€ per young person)"),
    "absence_buffer": _l("Absence buffer (share of hours)"),
    "target_size": _l("Expected group size"),
}
# The words live once, in the domain, where the tests read them; here they are translated.
# (`make extract-messages` finds them there through the `_param` keyword.)
PARAMETER_HELP = {name: _l(text) for name, text in model.PARAMETER_HELP.items()}
PROBLEM_TEXT = {
    "negative": _l("Write zero or more."),
    "below_one": _l("Write at least 1."),
    "not_a_share": _l("Write a share from 0 to 1, like 0.7."),
}


def whole_number(form, field):
    """Counts of people: the model refuses 1.5 workers, so the form says it first."""
    if field.data is not None and field.data != field.data.to_integral_value():
        raise ValidationError(_l("Write a whole number."))


def parameter_form(defaults: model.WorkloadParameters, blank_means_inherit: bool,
                   for_area: bool = False):
    """A form with one field per parameter; blank keeps the inherited value. An area's form
    also says whether experience experts' hours count as staff time."""

    class ParameterForm(BaseForm):
        pass

    if for_area:
        ParameterForm.experts_count = BooleanField(
            _l("Count experience experts' hours as staff time for the groups"),
            description=_l("Workers' hours always count, coordinators' own hours never. Tick "
                           "this if experience experts run groups in this area too."))

    for name in model.PARAMETER_NAMES:
        validators = [Optional()] if blank_means_inherit else [
            Required(_l("Write a number."))]
        if name in model.WHOLE_NUMBERS:
            validators.append(whole_number)
        inherited = gettext("Empty means %(value)s.",
                            value=format_decimal(getattr(defaults, name)))
        setattr(ParameterForm, name, LocalDecimalField(
            PARAMETER_LABELS[name], places=None, validators=validators,
            description=f"{PARAMETER_HELP[name]} {inherited}",
            render_kw={"inputmode": "decimal"}))
    return ParameterForm


class WhatIfForm(BaseForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    size = IntegerField(_l("Young people signed up"), default=8,
                        validators=[Optional(), NumberRange(min=1, max=100)])
    hours = LocalDecimalField(_l("Meeting length (h)"), default=2, places=None,
                         validators=[Optional(), NumberRange(min=0.5, max=12)])
    outing_share = LocalDecimalField(_l("Share of outings (0 to 1)"), default=0, places=None,
                                validators=[Optional(), NumberRange(min=0, max=1)])
    months = IntegerField(_l("For how many months"), default=6,
                          validators=[Optional(), NumberRange(min=1, max=24)])


class StaffHoursForm(BaseForm):
    monthly_peer_hours = LocalDecimalField(
        _l("Hours a month for peer groups"), places=None,
        validators=[Optional(), NumberRange(min=0, max=200,
                                            message=_l("Write hours from 0 to 200."))])


class ReducedMonthForm(BaseForm):
    month = SelectField(_l("Month"), choices=[])
    hours = LocalDecimalField(_l("Hours that month"), places=None,
                         validators=[Required(_l("Write the hours.")),
                                     NumberRange(min=0, max=200,
                                                 message=_l("Write hours from 0 to 200."))])

    def __init__(self, *args, months=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.months = {f"{y:04d}-{m:02d}": (y, m) for y, m in months}
        self.month.choices = [SelectChoice(value, month_name(month))
                              for value, month in self.months.items()]

    @property
    def chosen(self) -> model.Month:
        """The month picked (validated against the choices, so it is one of ours)."""
        return self.months[self.month.data]
