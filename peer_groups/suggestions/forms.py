from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length


class SuggestionForm(FlaskForm):
    kind = RadioField(_l("My idea is"), default="activity", choices=[
        SelectChoice("activity", _l("something to do")),
        SelectChoice("snack", _l("something to eat")),
    ])
    title = StringField(_l("Your idea"), validators=[InputRequired(_l("Write your idea.")),
                                                     Length(max=120)],
                        description=_l("For example: Bowling, Tacos, Escape room"))
    details = TextAreaField(_l("Tell more (if you want)"), validators=[Length(max=500)])


class AdoptForm(FlaskForm):
    meeting_id = SelectField(_l("Which meeting's plan?"), coerce=int, choices=[])


class CloseForm(FlaskForm):
    reply = TextAreaField(
        _l("Your reply"),
        validators=[InputRequired(_l("Write a short, kind reply.")), Length(max=300)],
        description=_l("The person who suggested it sees this. Say thanks and why not now."),
    )
