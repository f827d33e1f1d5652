"""Forms for one's own account."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import Email, Length, ValidationError

from peer_groups.auth.forms import NewPasswordForm
from peer_groups.domain.contacts import NotifyBy, normalise_phone
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


class EmailForm(BaseForm):
    """A new email address: a code goes there, and it is yours once you type the code back."""

    email = EmailField(
        _l("New email address"),
        validators=[Required(_l("Write your email address.")), Length(max=254),
                    Email(_l("Write a whole email address, like name@example.fi."))],
        description=_l("We send a code there. Nothing else goes there until you type the "
                       "code here."),
        render_kw={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"})


class PhoneNumber:
    """A Finnish number (040 123 4567) or an international one (+46 70 123 4567)."""

    def __call__(self, form, field):
        if normalise_phone(field.data or "") is None:
            raise ValidationError(_l("Write a phone number, like 040 123 4567 or "
                                     "+358 40 123 4567."))


class PhoneForm(BaseForm):
    """A new phone number: a code comes by text message, and it is yours once typed back."""

    phone = StringField(
        _l("New phone number"),
        validators=[Required(_l("Write your phone number.")), Length(max=30), PhoneNumber()],
        description=_l("We send a code there by text message. Nothing else goes there until "
                       "you type the code here."),
        render_kw={"autocomplete": "tel", "inputmode": "tel", "type": "tel"})


class ContactCodeForm(BaseForm):
    code = StringField(
        _l("Code"), validators=[Required(_l("Write the code.")), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                   "autocapitalize": "none", "spellcheck": "false"})


CHANNEL_LABELS = {
    NotifyBy.APP: _l("Here in the app only"),
    NotifyBy.EMAIL: _l("By email"),
    NotifyBy.SMS: _l("By text message"),
}


class ChannelForm(BaseForm):
    """How news and reminders reach me, among the ways I have confirmed."""

    notify_by = RadioField(
        _l("News and reminders come"),
        choices=[SelectChoice(kind.value, label) for kind, label in CHANNEL_LABELS.items()])

    def __init__(self, *args, offered=(), **kwargs):
        super().__init__(*args, **kwargs)
        if offered:
            self.notify_by.choices = [SelectChoice(kind.value, CHANNEL_LABELS[kind])
                                      for kind in offered]
