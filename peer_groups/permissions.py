"""Who may do what: named predicates, asked by views and templates alike.

`can(user, action, obj)` answers; `require(action, obj)` refuses with 403 in a view.
An area is a hard boundary: every predicate that takes an object checks its area first.
"""

from collections.abc import Callable

from flask import abort
from flask_login import current_user
from sqlalchemy import exists, inspect, select

from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.groups.models import GroupFacilitator, GroupMember

Predicate = Callable[..., bool]
RULES: dict[str, Predicate] = {}


def rule(action: str):
    def register(predicate: Predicate) -> Predicate:
        RULES[action] = predicate
        return predicate

    return register


def can(user, action: str, obj=None) -> bool:
    # `current_user` is a proxy that finds the person again at each attribute a rule reads:
    # the rules get the person themselves.
    user = getattr(user, "_get_current_object", lambda: user)()
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return RULES[action](user, obj)


def require(action: str, obj=None) -> None:
    if not can(current_user, action, obj):
        abort(403)


def same_area(user, obj) -> bool:
    """The superuser crosses areas; everybody else stays in their own."""
    area_id = obj if isinstance(obj, int) else getattr(obj, "area_id", getattr(obj, "id", None))
    return user.is_superuser or (user.area_id is not None and user.area_id == area_id)


@rule("admin.manage_area")
def manage_area(user, area) -> bool:
    """Teams and users of an area: its admins, and the superuser."""
    if user.is_superuser:
        return True
    return user.role is Role.ADMIN and area is not None and same_area(user, area)


@rule("sso.connect")
def connect_sso(user, area) -> bool:
    """Connecting an area to its identity provider: its admins, and the service owner."""
    return manage_area(user, area)


@rule("admin.open")
def open_admin(user, _obj=None) -> bool:
    return user.is_superuser or user.role is Role.ADMIN


@rule("admin.manage_areas")
def manage_areas(user, _obj=None) -> bool:
    """Creating and renaming areas is for the service owner only."""
    return user.is_superuser


@rule("admin.manage_user")
def manage_user(user, other) -> bool:
    if other is None or other.is_superuser and not user.is_superuser:
        return False
    return manage_area(user, other.area_id)


@rule("account.manage_contacts")
def manage_contacts(user, _obj=None) -> bool:
    """Young people change their own email and phone; staff's are an admin's to change."""
    return not user.is_staff


@rule("account.turn_off_second_factor")
def turn_off_second_factor(user, _obj=None) -> bool:
    """Young people may turn their authenticator off again; staff always keep one."""
    return not user.is_staff and user.has_second_factor


def facilitates(user, group) -> bool:
    return _in_group(user, group, "facilitators")


def belongs_to(user, group) -> bool:
    return _in_group(user, group, "members")


def _in_group(user, group, relation: str) -> bool:
    """Asked of the loaded list if the page has it, else with one EXISTS query.

    Loading a whole group's members (and their accounts) only to find one person would make
    a sign-up cost as much as the member list.
    """
    state = inspect(group, raiseerr=False)
    if state is None or relation not in state.unloaded:  # a plain row carries its own links
        return any(link.user_id == user.id for link in getattr(group, relation))
    link = GroupMember if relation == "members" else GroupFacilitator
    return db.session.scalar(select(exists().where(link.group_id == group.id,
                                                   link.user_id == user.id)))


def leads_area(user, obj) -> bool:
    """Coordinators and admins see and change everything in their area."""
    return user.is_superuser or (
        user.role in (Role.COORDINATOR, Role.ADMIN) and same_area(user, obj)
    )


@rule("group.create")
def create_group(user, _obj=None) -> bool:
    """A group is made in the person's own area: the service owner without one has none."""
    return user.area_id is not None and (
        user.is_superuser or user.role in (Role.WORKER, Role.COORDINATOR, Role.ADMIN)
    )


@rule("group.view")
def view_group(user, group) -> bool:
    """Members, facilitators, and the area's coordinators and admins."""
    if not same_area(user, group):
        return False
    if leads_area(user, group):
        return True
    if user.role is Role.YOUTH:
        return belongs_to(user, group) and group.archived_at is None
    return facilitates(user, group)


@rule("group.manage")
def manage_group(user, group) -> bool:
    """Change the group, its schedule and meetings: its workers, coordinators and admins."""
    if not same_area(user, group):
        return False
    return leads_area(user, group) or (user.role is Role.WORKER and facilitates(user, group))


@rule("meeting.restore")
def restore_meeting(user, group) -> bool:
    """Putting a called-off meeting back on: those who may call it off."""
    return manage_group(user, group)


@rule("register.reopen")
def reopen_register(user, group) -> bool:
    """Reopening a closed register for corrections: the workers who run the group (and the
    area's coordinators and admins), never experience experts, who see no names."""
    return manage_group(user, group)


@rule("plan.edit")
def edit_plan(user, group) -> bool:
    """Experience experts plan the meetings with the workers."""
    if manage_group(user, group):
        return True
    return same_area(user, group) and user.role is Role.EXPERT and facilitates(user, group)


@rule("group.see_names")
def see_names(user, group) -> bool:
    """Young people's names and contact details: for the staff who run the group.

    Never for experience experts (docs/rules.md, rule 11): they see counts, the plan, and "a young
    person" where one takes care of something; links to pages that need this are not shown.
    """
    return manage_group(user, group)


@rule("group.message")
def message_group(user, group) -> bool:
    """A short message to the group's young people: for the workers who run it. Not for
    experience experts (they see no names or contacts) nor for coordinators from outside."""
    return (user.role is Role.WORKER and same_area(user, group) and facilitates(user, group)
            and group.archived_at is None)


@rule("group.leave")
def leave_group(user, group) -> bool:
    """A young person may leave any group they are in."""
    return user.role is Role.YOUTH and same_area(user, group) and belongs_to(user, group)


@rule("register.keep_offline")
def keep_register_offline(user, group) -> bool:
    """The register on the phone, queued taps and all: for the group's own workers only.

    Coordinators and admins may use the register online, but no copy of a group's names
    goes onto the phone of someone who does not run it.
    """
    return see_names(user, group) and user.role is Role.WORKER and facilitates(user, group)


@rule("suggestion.make")
def make_suggestion(user, group) -> bool:
    return (user.role is Role.YOUTH and same_area(user, group) and belongs_to(user, group)
            and group.archived_at is None)


@rule("meeting.sign_up")
def sign_up_for(user, group) -> bool:
    """Young people sign themselves up for their own groups' meetings."""
    return (user.role is Role.YOUTH and same_area(user, group) and belongs_to(user, group)
            and group.archived_at is None)


@rule("feedback.give")
def give_feedback(user, group) -> bool:
    """Young people answer for their own groups' meetings (whether they came is the
    service's to check)."""
    return user.role is Role.YOUTH and same_area(user, group) and belongs_to(user, group)


@rule("feedback.read")
def read_feedback(user, group) -> bool:
    """A meeting's answers, with their free text: the workers who run the group only."""
    return user.role is Role.WORKER and same_area(user, group) and facilitates(user, group)


@rule("consent.publish")
def publish_consent_texts(user, area=None) -> bool:
    """Each area is its own controller: its admins publish its consent texts. The default
    texts that new areas start from (no area) are the service owner's."""
    if area is None:
        return user.is_superuser
    return manage_area(user, area)


@rule("workload.view")
def view_workload(user, area) -> bool:
    """Coordinators and admins see their area; workers see their own groups; the service
    owner sees every area."""
    return user.is_superuser or (
        same_area(user, area) and user.role in (Role.WORKER, Role.COORDINATOR, Role.ADMIN))


@rule("workload.settings")
def change_workload_settings(user, area) -> bool:
    return leads_area(user, area)


@rule("reports.view")
def view_reports(user, area) -> bool:
    """Coordinators and admins for their area; workers and experts for their own groups."""
    return same_area(user, area) and user.is_staff


@rule("notices.read")
def read_notices(user, _obj=None) -> bool:
    """Young people read every message to them in the app; staff are told by email only."""
    return user.role is Role.YOUTH
