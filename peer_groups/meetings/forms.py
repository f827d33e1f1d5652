"""Forms on a meeting's page: plan items and copying a plan."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from peer_groups.forms import BaseForm, LocalDecimalField, Required
from peer_groups.meetings.models import PlanKind

PLAN_KIND_LABELS = {
    PlanKind.SNACK: _l("Snack or meal"),
    PlanKind.ACTIVITY: _l("Activity"),
    PlanKind.OUTING: _l("Outing"),
    PlanKind.DISCUSSION: _l("Discussion"),
    PlanKind.OTHER: _l("Other"),
}


class PlanItemForm(BaseForm):
    kind = SelectField(_l("What kind"), choices=[
        SelectChoice(kind.value, label) for kind, label in PLAN_KIND_LABELS.items()])
    title = StringField(_l("What"), validators=[Required(_l("Write what it is.")),
                                                Length(max=120)],
                        description=_l("For example: Pizza, Bowling, Movie night"))
    details = TextAreaField(_l("Details"), validators=[Length(max=2000)])
    materials = StringField(_l("What we need"), validators=[Length(max=500)])
    cost_euros = LocalDecimalField(
        _l("Estimated cost (€)"), places=2,
        validators=[Optional(), NumberRange(min=0, max=10000,
                                            message=_l("Write a cost from 0 to 10 000 €."))])
    responsible_id = SelectField(_l("Who takes care of it"), coerce=int, choices=[])

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.responsible_id.choices = [SelectChoice(0, _l("Nobody yet"))] + [
            SelectChoice(value, label) for value, label in people]


class CopyPlanForm(BaseForm):
    source_id = SelectField(_l("Copy the plan from"), coerce=int, choices=[])
