"""Sign-in and password forms."""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import EqualTo, Length, Optional, ValidationError

from peer_groups.auth.passwords import problems_with
from peer_groups.domain.passwords import MAX_LENGTH, MIN_LENGTH, PasswordProblem
from peer_groups.forms import BaseForm, Required

PASSWORD_MESSAGES = {
    PasswordProblem.TOO_SHORT: _l("Use at least %(min)s characters.", min=MIN_LENGTH),
    PasswordProblem.TOO_LONG: _l("Use at most %(max)s characters.", max=MAX_LENGTH),
    PasswordProblem.TOO_COMMON: _l("So many people use this password that it is easy to "
                                   "guess. Choose another one."),
    PasswordProblem.CONTAINS_NAME: _l("Do not use your name or email in the password."),
}


class GoodPassword:
    """Refuses passwords that are short, overlong, common or contain the person's own name."""

    def __init__(self, personal=lambda form: ()):
        self.personal = personal

    def __call__(self, form, field):
        problems = problems_with(field.data or "", *self.personal(form))
        if problems:
            raise ValidationError(" ".join(str(PASSWORD_MESSAGES[p]) for p in problems))


class SignInForm(BaseForm):
    identifier = StringField(
        _l("Email or username"),
        validators=[Required(_l("Write your email or username.")), Length(max=254)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[Required(_l("Write your password.")), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Remember this device"),
                            description=_l("Only on your own phone or computer."))
    # Shown after a refused try: the password and the code together get past the lock.
    code = StringField(
        _l("Code from your authenticator app"),
        validators=[Optional(), Length(max=40)],
        description=_l("Only if you use an authenticator app. Otherwise leave it empty."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric",
                   "autocapitalize": "none", "spellcheck": "false"},
    )


def duration_text(length) -> str:
    """A session length in words a person reads at a glance: 2 hours, 24 hours, 30 days."""
    minutes = int(length.total_seconds() // 60)
    if minutes >= 2 * 24 * 60 and minutes % (24 * 60) == 0:
        return ngettext("%(num)s day", "%(num)s days", minutes // (24 * 60))
    if minutes % 60 == 0:
        return ngettext("%(num)s hour", "%(num)s hours", minutes // 60)
    return ngettext("%(num)s minute", "%(num)s minutes", minutes)


class RememberHint:
    """What ticking the box means and what the default is, with the configured lengths."""

    def __str__(self) -> str:
        cfg = current_app.config
        return _("Only on your own phone: then you stay signed in for %(long_idle)s after each "
                 "visit, %(long_total)s at most. Left unticked (the default), you are signed "
                 "out after %(idle)s without use, and after %(total)s at the latest.",
                 long_idle=duration_text(cfg["REMEMBERED_IDLE_TIMEOUT"]),
                 long_total=duration_text(cfg["REMEMBERED_ABSOLUTE_TIMEOUT"]),
                 idle=duration_text(cfg["YOUTH_IDLE_TIMEOUT"]),
                 total=duration_text(cfg["YOUTH_ABSOLUTE_TIMEOUT"]))


def remember_field() -> BooleanField:
    """Staying signed in for weeks is the young person's own choice, off by default."""
    return BooleanField(_l("Keep me signed in on this phone"), default=False,
                        description=RememberHint())


class LinkSignInForm(BaseForm):
    """The button behind a sign-in link, and the choice to stay signed in."""

    remember = remember_field()


class LinkRequestForm(BaseForm):
    identifier = StringField(
        _l("Email or phone number"),
        validators=[Required(_l("Write your email or phone number.")), Length(max=254)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )


class ResetRequestForm(BaseForm):
    identifier = StringField(
        _l("Email or username"),
        validators=[Required(_l("Write your email or username.")), Length(max=254)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )


class ConfirmForm(BaseForm):
    """A button and a CSRF token: used where a link must not act on a plain GET."""


class NewPasswordForm(BaseForm):
    password = PasswordField(
        _l("New password"),
        validators=[Required(_l("Write a new password.")),
                    GoodPassword(lambda form: form.personal_words)],
        description=_l("At least %(min)s characters. A few words in a row are easy to "
                       "remember and hard to guess.", min=MIN_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("New password again"),
        validators=[Required(_l("Write the new password again.")),
                    EqualTo("password", _l("The passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )

    def __init__(self, *args, personal_words=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.personal_words = personal_words


# A phone shows its number pad for the 6 digits; recovery codes have letters, so the page
# that asks for one (`?recovery=1`) gives the letter keyboard instead.
CODE_FIELD = {"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false",
              "inputmode": "numeric"}


class CodeForm(BaseForm):
    """The six digits from an authenticator app, or one recovery code."""

    code = StringField(
        _l("Code"),
        validators=[Required(_l("Write the code.")), Length(max=40)],
        description=_l("The 6 digits your authenticator app shows now, or one of your "
                       "recovery codes."),
        render_kw=CODE_FIELD,
    )

    def for_recovery_code(self) -> None:
        """The letter keyboard, for typing a recovery code like k7m2p-x9qrt."""
        self.code.render_kw = {**CODE_FIELD, "inputmode": "text"}


class SetupCodeForm(BaseForm):
    code = StringField(
        _l("Code from the app"),
        validators=[Required(_l("Write the 6 digits the app shows.")), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class ReauthenticateForm(BaseForm):
    """Type the password (and code) again before a change that matters."""

    password = PasswordField(
        _l("Password"),
        validators=[Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    code = StringField(
        _l("Code"),
        validators=[Length(max=40)],
        description=_l("The 6 digits your authenticator app shows now, or one of your "
                       "recovery codes."),
        render_kw=CODE_FIELD,
    )

    def for_recovery_code(self) -> None:
        self.code.render_kw = {**CODE_FIELD, "inputmode": "text"}
