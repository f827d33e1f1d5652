"""The admin's form that connects an area to its identity provider."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import Length, Optional

from peer_groups.forms import BaseForm, Required


class ProviderForm(BaseForm):
    display_name = StringField(
        _l("Name on the sign-in button"),
        description=_l("Staff see \"Sign in with\" and this name, e.g. your county's name."),
        validators=[Required(_l("Write the name.")), Length(max=80)])
    issuer = StringField(
        _l("Issuer address"),
        description=_l("From the provider, e.g. "
                       "https://login.microsoftonline.com/TENANT-ID/v2.0"),
        validators=[Required(_l("Write the issuer's address.")), Length(max=500)],
        render_kw={"autocapitalize": "none", "spellcheck": "false", "inputmode": "url"})
    client_id = StringField(
        _l("Client ID"), validators=[Required(_l("Write the client ID.")), Length(max=255)],
        render_kw={"autocapitalize": "none", "spellcheck": "false"})
    # Never filled in when the form is shown: a secret is typed, not read back.
    client_secret = PasswordField(
        _l("Client secret"),
        description=_l("Leave empty to keep the secret that is saved."),
        validators=[Optional(), Length(max=500)], render_kw={"autocomplete": "off"})
    email_domains = StringField(
        _l("Email domains"),
        description=_l("The staff addresses this provider signs in, separated by commas, "
                       "e.g. hyvinvointialue.fi"),
        validators=[Required(_l("Write at least one email domain.")), Length(max=1000)],
        render_kw={"autocapitalize": "none", "spellcheck": "false"})
    mfa_acr_values = StringField(
        _l("acr values that mean more than one factor (optional)"),
        description=_l("Separated by spaces. Without them, only the amr claim counts."),
        validators=[Optional(), Length(max=500)],
        render_kw={"autocapitalize": "none", "spellcheck": "false"})
