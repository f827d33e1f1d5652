from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from peer_groups.forms import BaseForm, Required


class SuggestionForm(BaseForm):
    kind = RadioField(_l("My idea is"), default="activity", choices=[
        SelectChoice("activity", _l("something to do")),
        SelectChoice("snack", _l("something to eat")),
    ])
    title = StringField(_l("Your idea"), validators=[Required(_l("Write your idea.")),
                                                     Length(max=120)],
                        description=_l("For example: Bowling, Tacos, Escape room"))
    details = TextAreaField(_l("Tell more (if you want)"), validators=[Length(max=500)])


class AdoptForm(BaseForm):
    meeting_id = SelectField(_l("Which meeting's plan?"), coerce=int, choices=[])


class CloseForm(BaseForm):
    reply = TextAreaField(
        _l("Your reply"),
        validators=[Required(_l("Write a short, kind reply.")), Length(max=300)],
        description=_l("The person who suggested it sees this. Say thanks and why not now."),
    )
