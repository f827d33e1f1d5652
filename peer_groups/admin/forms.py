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
