"""Forms for making invitations and for joining with one."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, PasswordField, RadioField, SelectChoice, StringField
from wtforms.validators import (
    Email,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
)

from peer_groups.auth.forms import PASSWORD_MESSAGES, remember_field
from peer_groups.auth.passwords import problems_with
from peer_groups.domain.passwords import MIN_LENGTH
from peer_groups.forms import BaseForm, Required
from peer_groups.main.forms import LANGUAGE_CHOICES


class UnlessLinkChosen:
    """The username only matters for password sign-in; with links it is not checked."""

    field_flags = {}

    def __call__(self, form, field):
        if form.method.data != "password":
            field.errors[:] = []
            raise StopValidation()


class InvitationForm(BaseForm):
    max_uses = IntegerField(
        _l("How many people can use the invitation"), default=1,
        validators=[Required(_l("Write a number.")),
                    NumberRange(min=1, max=100, message=_l("Write a number from %(min)s to "
                                                           "%(max)s."))],
        description=_l("Write 1 for one person, or more if you show the code to a whole "
                       "group."))
    days_valid = IntegerField(
        _l("How many days it works"), default=14,
        validators=[Required(_l("Write a number.")),
                    NumberRange(min=1, max=90, message=_l("Write a number from %(min)s to "
                                                          "%(max)s."))])


class JoinForm(BaseForm):
    display_name = StringField(
        _l("Your name or nickname"), validators=[Required(_l("Write a name or nickname.")),
                                                 Length(max=80)],
        description=_l("Others in the group see this."), render_kw={"autocomplete": "nickname"})
    language = RadioField(_l("Language"), choices=LANGUAGE_CHOICES, default="fi")
    email = EmailField(
        _l("Email (if you want)"),
        validators=[Optional(), Length(max=254),
                    Email(_l("Write a whole email address, like name@example.fi."))],
        render_kw={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"})
    phone = StringField(
        _l("Phone number (if you want)"),
        validators=[Optional(), Length(max=20),
                    Regexp(r"^\+?[0-9 ()-]{7,20}$",
                           message=_l("Write a phone number, like 040 123 4567."))],
        description=_l("For reminders and sign-in links."), render_kw={"autocomplete": "tel"})
    method = RadioField(_l("How do you want to sign in?"), default="link", choices=[
        SelectChoice("link", _l("Send me a link each time (no password)")),
        SelectChoice("password", _l("With a username and password")),
    ])
    username = StringField(
        _l("Username"),
        validators=[UnlessLinkChosen(), Optional(), Length(min=3, max=40),
                    Regexp(r"^[A-Za-z0-9._-]+$",
                           message=_l("Use letters a-z, numbers, dots (.), dashes (-) or "
                                      "underscores (_)."))],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"})
    password = PasswordField(_l("Password"), render_kw={"autocomplete": "new-password"},
                             description=_l("At least %(min)s characters.", min=MIN_LENGTH))
    remember = remember_field()

    def validate(self, extra_validators=None):
        """Rules across fields: a link needs somewhere to go, a password needs a name."""
        valid = super().validate(extra_validators)
        if self.method.data == "link" and not self.email.data and not self.phone.data:
            self.email.errors.append(_l("For sign-in links, write your email or phone number."))
            valid = False
        if self.method.data == "password":
            if not self.username.data and not self.email.data:
                self.username.errors.append(_l("Choose a username, or write your email."))
                valid = False
            problems = problems_with(self.password.data or "", self.email.data,
                                     self.username.data, self.display_name.data)
            if problems:
                self.password.errors.append(
                    " ".join(str(PASSWORD_MESSAGES[p]) for p in problems))
                valid = False
        return valid
