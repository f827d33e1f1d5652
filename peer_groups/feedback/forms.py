from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectChoice, StringField
from wtforms.validators import Length

from peer_groups.domain.feedback import NEXT_TIME_MAX
from peer_groups.forms import BaseForm, Required

# Faces and words, never numbers alone: the face is decoration, the word is the answer.
SCALE = [
    SelectChoice(1, _l("Bad"), render_kw={"data-face": "😞"}),
    SelectChoice(2, _l("Not so good"), render_kw={"data-face": "🙁"}),
    SelectChoice(3, _l("Okay"), render_kw={"data-face": "😐"}),
    SelectChoice(4, _l("Good"), render_kw={"data-face": "🙂"}),
    SelectChoice(5, _l("Great"), render_kw={"data-face": "😄"}),
]
SCALE_WORDS = {choice.value: choice.label for choice in SCALE}
FACES = {1: "😞", 2: "🙁", 3: "😐", 4: "🙂", 5: "😄"}
AGAIN = [
    SelectChoice("yes", _l("Yes")),
    SelectChoice("maybe", _l("Maybe")),
    SelectChoice("no", _l("No")),
]


class FeedbackForm(BaseForm):
    """Ten seconds on the phone: how it was, would I come again, one line for next time."""

    rating = RadioField(_l("How was it?"), coerce=int, choices=SCALE,
                        validators=[Required(_l("Choose how it was."))])
    again = RadioField(_l("Would you come again?"), choices=AGAIN,
                       validators=[Required(_l("Choose yes, maybe or no."))])
    next_time = StringField(
        _l("Next time I'd like… (if you want)"),
        validators=[Length(max=NEXT_TIME_MAX, message=_l("Keep it to one short line."))],
        description=_l("Only the group's workers read this. Nobody sees who wrote it."))
