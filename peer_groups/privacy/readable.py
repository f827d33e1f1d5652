"""My data in words: codes become the person's own language, times become Helsinki time.

One translation for the page and both downloads, so they always say the same.
"""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from peer_groups.admin.forms import ROLE_LABELS
from peer_groups.consent.forms import DIETS, PURPOSE_TITLES
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import HELSINKI
from peer_groups.i18n import LANGUAGE_NAMES

STATUS_LABELS = {
    "confirmed": _l("Had a place"),
    "waitlisted": _l("On the waiting list"),
    "cancelled": _l("Cancelled"),
}

IDEA_KINDS = {"activity": _l("Something to do"), "snack": _l("Something to eat")}
IDEA_STATUSES = {"open": _l("Open for votes"), "adopted": _l("On the plan!"),
                 "closed": _l("Not now")}

# What a staff member did, as the young person reads it in "who has looked at your data".
ACTIONS = {
    "group_members.viewed": _l("looked at the group's member list"),
    "group_form.viewed": _l("saw your name when choosing a group's members"),
    "meeting.viewed": _l("looked at a meeting page with the members' names"),
    "plan_item_form.viewed": _l("saw your name when choosing who takes care of a plan item"),
    "signups.viewed": _l("looked at who is coming to a meeting"),
    "register.viewed": _l("opened the register of a meeting"),
    "consent_form.viewed": _l("opened the page to record your consent at the meeting"),
    "user_list.viewed": _l("looked at the list of people in the area"),
    "audit.viewed": _l("looked at the audit trail, which shows your name"),
    "attendance.marked": _l("marked whether you came to a meeting"),
    "signup.added_by_staff": _l("gave you a place in a meeting"),
    "signup.removed_by_staff": _l("took you off a meeting's list"),
    "consent.given": _l("recorded your yes to a consent"),
    "consent.withdrawn": _l("recorded that you took a consent back"),
    "group.member_added": _l("added you to a group"),
    "group.member_removed": _l("took you out of a group"),
}


def local(value):
    """A stored time as Helsinki time (the database hands back aware UTC times)."""
    return value.astimezone(HELSINKI) if isinstance(value, datetime) else value


def action_text(action: str) -> str:
    if action in ACTIONS:
        return str(ACTIONS[action])
    return _("looked at your data") if action.endswith(".viewed") else _("changed your data")


TOLD_BY = {"app": _l("Here in the app only"), "email": _l("By email"),
           "sms": _l("By text message"),
           "not_chosen": _l("Not chosen: by email if you have one, else by text message, else "
                            "here in the app")}


def readable(data: dict) -> dict:
    """The same facts as `privacy.services.everything_about`, for a person to read."""
    dietary = data["dietary"]
    return {
        "profile": {**{k: local(v) for k, v in data["profile"].items()},
                    "language": LANGUAGE_NAMES.get(data["profile"]["language"],
                                                   data["profile"]["language"]),
                    "second_factor": _("On") if data["profile"]["second_factor"] == "on"
                    else _("Off"),
                    "told_by": str(TOLD_BY[data["profile"]["told_by"]])},
        "groups": data["groups"],
        "signups": [{**s, "meeting": local(s["meeting"]), "at": local(s["at"]),
                     "status": str(STATUS_LABELS[s["status"]])} for s in data["signups"]],
        "attendance": [{**a, "meeting": local(a["meeting"]),
                        "present": _("Present") if a["present"] else _("Absent")}
                       for a in data["attendance"]],
        "consents": [{**c, "purpose": str(PURPOSE_TITLES[c["purpose"]]),
                      "answer": _("Yes") if c["answer"] == "yes" else _("No"),
                      "at": local(c["at"]),
                      "how": _("recorded by a worker") if c["how"] == "worker"
                      else _("by yourself")} for c in data["consents"]],
        "dietary": ({"needs": ", ".join(str(DIETS.get(n, n)) for n in dietary["needs"]),
                     "other": dietary["other"] or ""} if dietary else None),
        "ideas": [{**i, "kind": str(IDEA_KINDS[i["kind"]]),
                   "status": str(IDEA_STATUSES[i["status"]]), "at": local(i["at"])}
                  for i in data["ideas"]],
        "votes": [{**v, "at": local(v["at"])} for v in data["votes"]],
        "notices": [{**n, "at": local(n["at"]), "read_at": local(n["read_at"])}
                    for n in data["notices"]],
        "who_viewed_or_changed": [
            {"at": local(row["at"]), "page": action_text(row["action"]), "who": row["who"],
             "role": str(ROLE_LABELS[Role(row["role"])])}
            for row in data["who_viewed_or_changed"]],
    }
