"""Form pieces shared by several screens."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

MONTH_NAMES = [
    _l("January"), _l("February"), _l("March"), _l("April"), _l("May"), _l("June"),
    _l("July"), _l("August"), _l("September"), _l("October"), _l("November"), _l("December"),
]
WEEKDAY_NAMES = [_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"),
                 _l("Saturday"), _l("Sunday")]


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes: easy to tap on a phone, works without JavaScript."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):
        # Unknown values are dropped rather than refused: a person may have left meanwhile.
        known = {str(choice.value) for choice in self.iter_choices()}
        self.data = [value for value in (self.data or []) if str(value) in known]
