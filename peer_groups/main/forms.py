from wtforms import HiddenField, SelectChoice, SelectField

from peer_groups.domain.languages import IN_LANGUAGE
from peer_groups.forms import BaseForm

LANGUAGE_CHOICES = [SelectChoice(code, name, render_kw={"lang": code})
                    for code, name in IN_LANGUAGE.items()]


class LanguageForm(BaseForm):
    """The language switcher in every page's header."""

    language = SelectField(choices=LANGUAGE_CHOICES)
    next = HiddenField()
