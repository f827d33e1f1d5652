"""The worker's message: one text field, shown again on the preview."""

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length

from peer_groups.domain.group_messages import MAX_LENGTH
from peer_groups.forms import BaseForm, Required


class GroupMessageForm(BaseForm):
    body = TextAreaField(
        _l("Your message"),
        validators=[Required(_l("Write the message first.")),
                    Length(max=MAX_LENGTH,
                           message=_l("Keep it to %(max)s characters: it may go as a text "
                                      "message."))],
        description=_l("Short and practical, for example: We're going bowling, bring indoor "
                       "shoes. At most %(max)s characters.", max=MAX_LENGTH),
    )
