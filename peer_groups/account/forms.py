"""Forms for one's own account."""

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import Length

from peer_groups.auth.forms import NewPasswordForm
from peer_groups.domain.passwords import MAX_LENGTH
from peer_groups.forms import BaseForm, Required
from peer_groups.invitations.forms import birth_year_field, birth_year_reason
from peer_groups.main.forms import LANGUAGE_CHOICES


class ProfileForm(BaseForm):
    display_name = StringField(
        _l("Name or nickname"),
        validators=[Required(_l("Write a name or nickname.")), Length(max=80)],
        description=_l("This is what others in your group see."),
        render_kw={"autocomplete": "nickname"},
    )
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    # Young people only (the view removes it for staff): their account ends with aftercare.
    birth_year = birth_year_field(optional=True)

    def __init__(self, *args, user, this_year: int, **kwargs):
        super().__init__(*args, obj=user, **kwargs)
        if user.is_staff:
            del self.birth_year
            return
        self.upper_age, self.this_year = user.area.youth_upper_age, this_year
        self.birth_year.description = birth_year_reason(self.upper_age)


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        _l("Current password"),
        validators=[Required(_l("Write your current password.")), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )

    class Meta:
        pass


# Ask for the current password first on the page.
ChangePasswordForm.current.creation_counter = 0
