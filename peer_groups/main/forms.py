from wtforms import HiddenField, SelectChoice, SelectField

from peer_groups.forms import BaseForm

LANGUAGE_CHOICES = [
    SelectChoice("fi", "Suomeksi", render_kw={"lang": "fi"}),
    SelectChoice("sv", "På svenska", render_kw={"lang": "sv"}),
    SelectChoice("en", "In English", render_kw={"lang": "en"}),
]


class LanguageForm(BaseForm):
    """The language switcher in every page's header."""

    language = SelectField(choices=LANGUAGE_CHOICES)
    next = HiddenField()
