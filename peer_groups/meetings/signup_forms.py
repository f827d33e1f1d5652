from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField

from peer_groups.forms import BaseForm

ADD_REASONS = [
    SelectChoice("in_person", _l("Asked me in person")),
    SelectChoice("phone", _l("Asked by phone or message")),
    SelectChoice("correction", _l("Correcting a mistake")),
]
REMOVE_REASONS = [
    SelectChoice("asked", _l("The young person asked")),
    SelectChoice("correction", _l("Correcting a mistake")),
    SelectChoice("other_reason", _l("Other reason (talk with them)")),
]


class AddPersonForm(BaseForm):
    """Staff add a member by hand; the reason is a choice, never free text about a person."""

    user_id = SelectField(_l("Who"), coerce=int, choices=[])
    reason = SelectField(_l("Why"), choices=ADD_REASONS)


class RemovePersonForm(BaseForm):
    reason = SelectField(_l("Why"), choices=REMOVE_REASONS)
