"""The one form of the passkey pages: the name of a new passkey."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length, Optional

from peer_groups.domain.passkeys import NAME_LENGTH
from peer_groups.forms import BaseForm


class PasskeyNameForm(BaseForm):
    """Shown with the "Add a passkey" button; the script sends the name with the passkey."""

    name = StringField(
        _l("Name of the passkey"),
        validators=[Optional(), Length(max=NAME_LENGTH)],
        description=_l("So you know which phone or computer it is on, like \"My phone\"."),
        render_kw={"autocomplete": "off", "maxlength": NAME_LENGTH},
    )
