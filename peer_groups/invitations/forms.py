"""Forms for making invitations and for joining with one."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, PasswordField, RadioField, SelectChoice, StringField
from wtforms.validators import (
    Email,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from peer_groups.auth.forms import PASSWORD_MESSAGES, remember_field
from peer_groups.auth.passwords import problems_with
from peer_groups.domain.aftercare import MIN_AGE, birth_years
from peer_groups.domain.passwords import MIN_LENGTH
from peer_groups.forms import BaseForm, Required
from peer_groups.main.forms import LANGUAGE_CHOICES

PHONE = re.compile(r"^\+?[0-9 ()-]{7,20}$")


class EmailOrPhone:
    """One way to reach the person: an email address or a phone number."""

    message = _l("Write a whole email address, like name@example.fi, or a phone number, like "
                 "040 123 4567.")

    def __call__(self, form, field):
        if "@" in field.data:
            Email(self.message)(form, field)
        elif not PHONE.fullmatch(field.data):
            raise ValidationError(self.message)


class BirthYear:
    """A year that fits aftercare in the area; a clear message with the range.

    The form has `upper_age` and `this_year`. `optional`: an empty field is let through.
    """

    def __init__(self, optional=False):
        self.optional = optional

    def __call__(self, form, field):
        oldest, youngest = birth_years(form.this_year, form.upper_age)
        raw = str(field.data or "").strip()
        if not raw and self.optional:
            field.data = None
            raise StopValidation()
        if not raw:
            raise StopValidation(_l("Write the year you were born, like %(year)s.",
                                    year=form.this_year - 18))
        if not (raw.isascii() and raw.isdigit() and oldest <= int(raw) <= youngest):
            raise StopValidation(_l(
                "Write a year from %(oldest)s to %(youngest)s. The groups are for young "
                "people aged %(min)s to %(max)s.", oldest=oldest, youngest=youngest,
                min=MIN_AGE, max=form.upper_age))


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


def birth_year_reason(upper_age: int):
    return _l("We ask only the year, never the whole date. Aftercare lasts until you are "
              "%(age)s where you live, and your account ends with it.", age=upper_age)


def birth_year_field(optional=False):
    return StringField(
        _l("Birth year"), validators=[BirthYear(optional=optional)],
        render_kw={"inputmode": "numeric", "autocomplete": "bday-year", "maxlength": 4})


class JoinForm(BaseForm):
    """Joining by invitation. No username to choose: see `services.start_join` for why."""

    display_name = StringField(
        _l("Your name or nickname"), validators=[Required(_l("Write a name or nickname.")),
                                                 Length(max=80)],
        description=_l("Others in the group see this."), render_kw={"autocomplete": "nickname"})
    birth_year = birth_year_field()
    language = RadioField(_l("Language"), choices=LANGUAGE_CHOICES, default="fi")
    contact = StringField(
        _l("Email or phone number"),
        validators=[Optional(), Length(max=254), EmailOrPhone()],
        description=_l("We send you a link there to finish joining. News about your meetings, "
                       "and reminders if you want them, come there too; you can change this "
                       "in My account."),
        render_kw={"autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"})
    method = RadioField(_l("How do you want to sign in?"), default="link", choices=[
        SelectChoice("link", _l("Send me a link each time (no password)")),
        SelectChoice("password", _l("With a password")),
    ])
    password = PasswordField(_l("Password"), render_kw={"autocomplete": "new-password"},
                             description=_l("At least %(min)s characters.", min=MIN_LENGTH))
    remember = remember_field()

    def __init__(self, *args, upper_age: int, this_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.upper_age, self.this_year = upper_age, this_year
        self.birth_year.description = birth_year_reason(upper_age)

    def validate(self, extra_validators=None):
        """Rules across fields: a link needs somewhere to go, a password must be good."""
        valid = super().validate(extra_validators)
        if self.method.data == "link" and not self.contact.data:
            self.contact.errors.append(_l("For sign-in links, write your email or phone "
                                          "number."))
            valid = False
        if self.method.data == "password":
            problems = problems_with(self.password.data or "", self.contact.data,
                                     self.display_name.data)
            if problems:
                self.password.errors.append(
                    " ".join(str(PASSWORD_MESSAGES[p]) for p in problems))
                valid = False
        return valid


class FinishJoinForm(BaseForm):
    """The button that finishes joining; remembering the device is the person's choice."""

    remember = remember_field()
