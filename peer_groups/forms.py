"""Form pieces shared by several screens."""

from babel.numbers import get_decimal_symbol
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, EmailField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

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


class LocalDecimalField(DecimalField):
    """A decimal number as Finns and Swedes write it: 0,7 works as well as 0.7.

    A plain text input with the decimal keypad: a number input would let the browser drop
    the comma ("3,5" arriving as 35).
    """

    widget = TextInput()

    def __init__(self, *args, render_kw=None, **kwargs):
        super().__init__(*args, render_kw={"inputmode": "decimal", **(render_kw or {})},
                         **kwargs)

    def _value(self):
        """The stored number as the person's language writes it (7,5 in Finnish); what they
        typed is shown back as typed."""
        if self.raw_data:
            return self.raw_data[0]
        return super()._value().replace(".", get_decimal_symbol(get_locale()))

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [value.replace(",", ".").replace(" ", "") for value in valuelist]
        super().process_formdata(valuelist)
        if valuelist and self.data is not None and not self.data.is_finite():
            # "NaN" and "Infinity" parse as decimals, but no count or cost is either, and
            # comparing NaN with a limit raises instead of failing validation.
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value."))


class Required(InputRequired):
    """Something must be written: a field of only spaces counts as empty."""

    def __call__(self, form, field):
        super().__call__(form, field)
        if isinstance(field.data, str) and not field.data.strip():
            field.errors[:] = []
            raise StopValidation(self.message or _l("Write something here."))


def strip_spaces(value):
    return value.strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """Every form: text is stored without the spaces around it (passwords excepted)."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            if unbound_field.field_class in (StringField, TextAreaField, EmailField):
                options = {**options, "filters": [*unbound_field.kwargs.get("filters", ()),
                                                  strip_spaces]}
            return unbound_field.bind(form=form, **options)
