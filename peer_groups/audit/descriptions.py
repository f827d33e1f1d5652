"""The audit trail in words: each event as one plain sentence in the reader's language,
"Olli looked at the register of 8 December 2026", dates in the reader's format."""

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from peer_groups.domain.schedule import local_date_of

# An event about a meeting names its day; the second wording is for when it is gone.
ON_A_MEETING = {
    "register.viewed": (_l("%(who)s looked at the register of %(day)s"),
                        _l("%(who)s looked at a meeting's register")),
    "meeting.viewed": (_l("%(who)s looked at the meeting of %(day)s, with the members' names"),
                       _l("%(who)s looked at a meeting page with the members' names")),
    "signups.viewed": (_l("%(who)s looked at who is coming on %(day)s"),
                       _l("%(who)s looked at who is coming to a meeting")),
    "consent_form.viewed": (_l("%(who)s opened a consent form at the meeting of %(day)s"),
                            _l("%(who)s opened a consent form at a meeting")),
    "attendance.marked": (_l("%(who)s marked who came on %(day)s"),
                          _l("%(who)s marked who came to a meeting")),
    "attendance.headcount_set": (_l("%(who)s wrote down the headcount of %(day)s"),
                                 _l("%(who)s wrote down a meeting's headcount")),
    "attendance.register_closed": (_l("%(who)s closed the register of %(day)s"),
                                   _l("%(who)s closed a meeting's register")),
    "meeting.updated": (_l("%(who)s changed the meeting of %(day)s"),
                        _l("%(who)s changed a meeting")),
    "meeting.cancelled": (_l("%(who)s cancelled the meeting of %(day)s"),
                          _l("%(who)s cancelled a meeting")),
    "meeting.staff_assigned": (_l("%(who)s put staff on the meeting of %(day)s"),
                               _l("%(who)s put staff on a meeting")),
}
PLAIN = {
    "auth.signed_in": _l("%(who)s signed in"),
    "auth.second_factor_passed": _l("%(who)s typed the code from the authenticator app"),
    "auth.reauthenticated": _l("%(who)s confirmed it was them"),
    "auth.second_factor_failed": _l("Wrong authenticator code at sign-in"),
    "auth.sign_in_failed": _l("Wrong password at sign-in"),
    "auth.password_reset_requested": _l("A link to set a new password was asked for"),
    "auth.two_factor_enabled": _l("%(who)s turned on the second step at sign-in"),
    "sso.sign_in_refused": _l("A sign-in through the area's identity provider was refused"),
    "sso.provider_connected": _l("%(who)s connected the area to an identity provider"),
    "sso.provider_changed": _l("%(who)s changed the area's identity provider settings"),
    "sso.provider_disconnected": _l("%(who)s disconnected the area's identity provider"),
    "passkey.added": _l("%(who)s added a passkey"),
    "passkey.used": _l("%(who)s signed in with a passkey"),
    "passkey.refused": _l("A passkey was refused at sign-in"),
    "passkey.removed": _l("%(who)s removed a passkey"),
    "audit.viewed": _l("%(who)s looked at the audit log"),
    "audit.exported": _l("%(who)s downloaded the audit log"),
    "user_list.viewed": _l("%(who)s looked at the list of people in the area"),
    "group_members.viewed": _l("%(who)s looked at a group's member list"),
    "group_form.viewed": _l("%(who)s chose a group's members"),
    "plan_item_form.viewed": _l("%(who)s chose who takes care of a plan item"),
    "user.viewed": _l("%(who)s opened a person's account"),
    "user.created": _l("%(who)s made an account"),
    "user.updated": _l("%(who)s changed an account"),
    "user.welcome_sent": _l("%(who)s sent a welcome link"),
    "signup.created": _l("%(who)s signed up for a meeting"),
    "signup.cancelled": _l("%(who)s cancelled a sign-up"),
    "signup.added_by_staff": _l("%(who)s gave a young person a place"),
    "signup.removed_by_staff": _l("%(who)s took a young person off a meeting's list"),
    "consent.given": _l("%(who)s recorded a yes to a consent"),
    "consent.withdrawn": _l("%(who)s recorded that a consent was taken back"),
    "group.created": _l("%(who)s started a group"),
    "team.created": _l("%(who)s added a team"),
    "consent_text.published": _l("%(who)s published a consent text"),
    "area.public_pages_updated": _l("%(who)s changed the area's words on the privacy, "
                                    "accessibility and help pages"),
}


# The short codes kept with some events, in words; any other is shown as it is.
DETAILS = {
    "password": _l("with a password"),
    "link": _l("with a sign-in link"),
    "invitation": _l("with an invitation"),
    "password_changed": _l("after changing the password"),
    "present": _l("was there"),
    "absent": _l("was not there"),
}


def describe(event, actor_name: str | None, meeting_start=None) -> str:
    """The event as a sentence, with its detail in words where it has one."""
    sentence = what_happened(event, actor_name, meeting_start)
    if not event.detail:
        return sentence
    return f"{sentence} ({DETAILS.get(event.detail, event.detail)})"


def what_happened(event, actor_name: str | None, meeting_start=None) -> str:
    """The event as a sentence; an erased or missing actor is "someone" or "the system"."""
    who = actor_name or (_("someone") if event.actor_id else _("The system"))
    if event.action in ON_A_MEETING:
        with_day, without = ON_A_MEETING[event.action]
        if meeting_start is None:
            return str(without) % {"who": who}
        return str(with_day) % {"who": who,
                                "day": format_date(local_date_of(meeting_start), "long")}
    if event.action in PLAIN:
        return str(PLAIN[event.action]) % {"who": who}
    if event.action.endswith(".viewed"):
        return _("%(who)s looked at data (%(code)s)", who=who, code=event.action)
    return _("%(who)s changed data (%(code)s)", who=who, code=event.action)
