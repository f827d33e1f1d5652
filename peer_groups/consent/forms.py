"""Forms for consents and dietary needs."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectChoice, StringField, TextAreaField
from wtforms.validators import Length

from peer_groups.domain.consent import Purpose
from peer_groups.forms import BaseForm, CheckboxesField, Required

PURPOSE_TITLES = {
    Purpose.ATTENDANCE: _l("Recording my attendance"),
    Purpose.REMINDERS: _l("Sending me reminders"),
    Purpose.DIETARY: _l("Keeping my dietary needs"),
}

DIETS = {
    "vegetarian": _l("Vegetarian"),
    "vegan": _l("Vegan"),
    "gluten_free": _l("Gluten-free"),
    "lactose_free": _l("Lactose-free"),
    "no_pork": _l("No pork"),
    "nut_allergy": _l("Nut allergy"),
}


class DietaryForm(BaseForm):
    needs = CheckboxesField(_l("My diet"), choices=[
        SelectChoice(code, label) for code, label in DIETS.items()])
    other = StringField(_l("Something else (short)"), validators=[Length(max=60)],
                        description=_l("For example: no fish. No health details, please."))


class RecordConsentForm(BaseForm):
    """A worker records a yes given by word of mouth."""

    understanding_checked = BooleanField(
        _l("I read the text with them and checked that they understand what it means."),
        validators=[Required(_l("Tick this box first: the young person must understand."))])


def one_kind_of_line_break(value):
    """Browsers send CRLF; the texts are stored with LF so versions compare line by line."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def text_field(label):
    return TextAreaField(label, filters=[one_kind_of_line_break],
                         validators=[Required(_l("Write the text.")), Length(max=4000)])


class ConsentTextForm(BaseForm):
    text_fi = text_field(_l("Text in Finnish"))
    text_sv = text_field(_l("Text in Swedish"))
    text_en = text_field(_l("Text in English"))
    minor = BooleanField(
        _l("This is a small change (typos, clearer words)"),
        description=_l("With a small change earlier answers stay valid while people are asked "
                       "again. With a bigger change we stop doing this for each person until "
                       "they answer again."))
    # The version the preview compared against: if another one is published meanwhile, the
    # admin sees the changes again before anything is published.
    base_version = HiddenField()
