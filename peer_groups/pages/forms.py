"""The area admin's form for the area's own words on the public pages."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from peer_groups.consent.forms import one_kind_of_line_break
from peer_groups.forms import BaseForm


def words(label, description, max_length=2000):
    return TextAreaField(label, filters=[one_kind_of_line_break],
                         validators=[Length(max=max_length, message=_l(
                             "Make it shorter: at most %(max)d characters.", max=max_length))],
                         description=description)


class PublicPagesForm(BaseForm):
    controller = StringField(
        _l("Controller"), validators=[Length(max=200, message=_l(
            "Make it shorter: at most %(max)d characters.", max=200))],
        description=_l("The wellbeing services county that is responsible for the data, "
                       "e.g. Pirkanmaan hyvinvointialue."))
    protection_officer = words(
        _l("Data protection officer's contact"),
        _l("Name or title, email and phone, as published by the county."))
    contact = words(
        _l("Contact for questions and feedback"),
        _l("Who young people and staff can ask, and where feedback on accessibility goes."))
    pages_note = words(
        _l("Something more from the area (optional)"),
        _l("Shown on the privacy notice and the help page."), max_length=4000)
