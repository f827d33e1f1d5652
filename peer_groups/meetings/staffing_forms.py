"""Forms of a meeting's staff: who works at it, and the hours I spent on it."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField
from wtforms.validators import NumberRange

from peer_groups.forms import BaseForm, LocalDecimalField, Required


class TimeLogForm(BaseForm):
    hours = LocalDecimalField(
        _l("Hours I spent on this meeting"), places=None,
        validators=[Required(_l("Write the hours.")),
                    NumberRange(min=0, max=48, message=_l("Write hours from 0 to 48."))],
        description=_l("All of it: preparing, the meeting, clearing up, notes."),
        render_kw={"inputmode": "decimal"})


class AssignForm(BaseForm):
    user_id = SelectField(_l("Who"), coerce=int, choices=[])
    role = SelectField(_l("Role"), choices=[
        SelectChoice("lead", _l("Lead")), SelectChoice("co_facilitator", _l("Co-facilitator")),
        SelectChoice("expert", _l("Experience expert"))])
