"""Forms for areas, teams and staff accounts."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import Email, Length, NumberRange

from peer_groups.domain.roles import Role
from peer_groups.forms import BaseForm, Required

ROLE_LABELS = {
    Role.YOUTH: _l("Young person"),
    Role.WORKER: _l("Worker"),
    Role.EXPERT: _l("Experience expert"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.ADMIN: _l("Admin"),
}


class AreaForm(BaseForm):
    name = StringField(_l("Name"), validators=[Required(_l("Write a name.")),
                                               Length(max=120)])
    youth_upper_age = IntegerField(
        _l("Aftercare ends at the age of"),
        default=23,
        validators=[Required(_l("Write an age.")),
                    NumberRange(min=18, max=30, message=_l("Write an age from 18 to 30."))],
        description=_l("The law says 23; some areas keep 25."),
    )
    admins_need_passkey = BooleanField(
        _l("Admins of this area sign in with a passkey or single sign-on"),
        description=_l("Not with a password and code, which a fake sign-in page can steal. "
                       "An admin without a passkey is asked to add one at their next "
                       "sign-in, you too."),
    )


class TeamForm(BaseForm):
    name = StringField(_l("Team name"), validators=[Required(_l("Write a name.")),
                                                    Length(max=120)])


class StaffForm(BaseForm):
    display_name = StringField(
        _l("Name"), validators=[Required(_l("Write a name.")), Length(max=80)]
    )
    email = EmailField(
        _l("Email"),
        validators=[Required(_l("Write an email address.")), Length(max=254),
                    Email(_l("Write a whole email address, like name@example.fi."))],
        render_kw={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"},
    )
    role = SelectField(_l("Role"), choices=[])
    team_id = SelectField(_l("Team"), choices=[], coerce=int)
    active = BooleanField(_l("Account is in use"), default=True)

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [
            SelectChoice(role.value, ROLE_LABELS[role]) for role in Role if role.is_staff
        ]
        self.team_id.choices = [SelectChoice(0, _l("No team"))] + [
            SelectChoice(team.id, team.name) for team in teams
        ]


class PeopleFilterForm(BaseForm):
    """The people list's search and role filter, plain GET parameters; nothing is saved."""

    class Meta:
        csrf = False

    q = StringField(_l("Find a person"), validators=[
        Length(max=80, message=_l("Write at most 80 letters."))],
        description=_l("Part of a name, username or email address."))
    role = SelectField(_l("Show"), choices=[
        SelectChoice("", _l("Everybody")),
        *(SelectChoice(role.value, label) for role, label in ROLE_LABELS.items())])

    def __init__(self, formdata, **kwargs):
        super().__init__(formdata, **kwargs)
        self.validate()

    def chosen(self) -> tuple[str, Role | None]:
        """The search words and the role asked for; what cannot be used is left out."""
        text = "" if self.q.errors else (self.q.data or "").strip()
        role = None if self.role.errors or not self.role.data else Role(self.role.data)
        return text, role
