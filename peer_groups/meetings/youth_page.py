"""A young person's meeting page: the part every member sees alike is rendered once per
meeting version and language and kept in this process; their own part is added per request.

The shared part is keyed by the meeting's whole row (time, place, status, capacity, places
taken), its group's name, the waiting-list length and the plan's version (`plan_version`,
which every change to the plan's items bumps): a change to any of them makes a new key, read
in the same query as the page's own facts, so no write path has to remember to invalidate it.
It holds nothing about any person: no name, no token, nothing of the viewer. Their sign-up,
the feedback ask, the note on a called-off meeting and who takes care of each plan item ("you",
a worker's first name, "a young person") are slots filled from this request's own queries.
Staff pages never come here: they show tools and names.
"""

import re
from dataclasses import dataclass
from typing import NamedTuple

from flask import abort, current_app, render_template
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import bindparam, exists, func, select

from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain.signups import SignupStatus
from peer_groups.feedback import services as feedback_services
from peer_groups.groups.models import Group, GroupMember
from peer_groups.meetings.forms import PLAN_KIND_LABELS
from peer_groups.meetings.models import Meeting, PlanItem
from peer_groups.permissions import can, require
from peer_groups.rendered import kept, own_html
from peer_groups.signups import services as signup_services
from peer_groups.signups.models import Signup

MEETING_COLUMNS = tuple(Meeting.__table__.c)
_waiting = (select(func.count(Signup.id))
            .where(Signup.meeting_id == Meeting.id, Signup.status == SignupStatus.WAITLISTED)
            .scalar_subquery())
_member = exists().where(GroupMember.group_id == Meeting.group_id,
                         GroupMember.user_id == bindparam("viewer_id"))
# Built once: SQLAlchemy then keeps each statement's cache key instead of working it out again.
PAGE_ROW = (select(*MEETING_COLUMNS, Group.name.label("group_name"), Group.area_id,
                   Group.archived_at, _waiting.label("waiting"), _member.label("is_member"))
            .join(Group, Group.id == Meeting.group_id)
            .where(Meeting.id == bindparam("meeting_id")))
PLAN_ITEMS = (select(PlanItem.id, PlanItem.kind, PlanItem.title, PlanItem.details,
                     PlanItem.materials, PlanItem.cost_cents, PlanItem.responsible_id)
              .where(PlanItem.meeting_id == bindparam("meeting_id"))
              .order_by(PlanItem.position, PlanItem.id))
RESPONSIBLE = (select(PlanItem.id.label("item_id"), User.id, User.role, User.display_name)
               .join(User, User.id == PlanItem.responsible_id)
               .where(PlanItem.meeting_id == bindparam("meeting_id")))

# A slot in the shared part. Every text a person typed is escaped ("<" becomes "&lt;"), so no
# meeting's or plan's text can make one.
SLOT = re.compile(r"<!--slot:(\w+):(\d*)-->")


class MemberLink(NamedTuple):
    user_id: int


@dataclass(frozen=True)
class GroupFacts:
    """What the page and the permission rules ask of the group; `members` holds the viewer's
    own link only, when they are one (this request's, never cached)."""

    id: int
    name: str
    area_id: int
    archived_at: object
    members: tuple = ()
    facilitators: tuple = ()


class MeetingFacts:
    """The meeting's row as its page reads it, with the plan items when rendering."""

    def __init__(self, row, group: GroupFacts, plan_items=()):
        for column in MEETING_COLUMNS:
            setattr(self, column.key, getattr(row, column.key))
        self.group = group
        self.plan_items = list(plan_items)

    @property
    def spots_left(self) -> int:
        return max(0, self.capacity - self.taken)


class Responsible(NamedTuple):
    id: int
    display_name: str
    is_staff: bool


# (meeting, language) pairs kept: a few kilobytes each, a few megabytes at most per process.
CACHE_SIZE = 1000


def show(meeting_id: int):
    """The page for a young person: the shared part (cached) with their own sign-up, ask and
    plan responsibilities."""
    viewer = current_user._get_current_object()  # the person, not the proxy, for each read
    connection = db.session.connection()
    row = connection.execute(PAGE_ROW, {"meeting_id": meeting_id, "viewer_id": viewer.id}).first()
    if row is None:
        abort(404)
    group = GroupFacts(row.group_id, row.group_name, row.area_id, row.archived_at,
                       (MemberLink(viewer.id),) if row.is_member else ())
    require("group.view", group)
    meeting = MeetingFacts(row, group)
    page = shared_part(connection, meeting, row)
    context = {"meeting": meeting, "group": group, "page": page, "responsible": {},
               "current_user": viewer}
    if can(viewer, "meeting.sign_up", group):
        context["mine"] = signup_services.statuses_for(viewer, [meeting_id]).get(
            meeting_id, (None, None))
    if can(viewer, "feedback.give", group):
        context["ask"] = meeting if feedback_services.may_answer(viewer, meeting) else None
    if page.takes_care:
        context["responsible"] = {
            r.item_id: Responsible(r.id, r.display_name, r.role.is_staff)
            for r in connection.execute(RESPONSIBLE, {"meeting_id": meeting_id})}
    return render_template("meetings/show_youth.html", **context)


class SharedPart(NamedTuple):
    title: str
    parts: tuple  # Markup, and (slot name, item id or None) between them
    takes_care: bool  # some plan item had someone in charge


def shared_part(connection, meeting: MeetingFacts, row) -> SharedPart:
    """From the cache when this version of the meeting was rendered in this language, else
    rendered now (plan items loaded only then) and kept."""
    place = (meeting.id, str(get_locale()))
    version = tuple(row[:-1])  # all but `is_member`, the viewer's own
    cache = kept("youth_meeting_pages", CACHE_SIZE)
    found = cache.get(place, version)
    if found is None:
        meeting.plan_items = connection.execute(PLAN_ITEMS, {"meeting_id": meeting.id}).all()
        found = render_shared(meeting, row.waiting)
        cache.put(place, found, version)
    return found


def render_shared(meeting: MeetingFacts, waiting: int) -> SharedPart:
    """The page's content as every member sees it, with slots for each person's own parts."""
    template = current_app.jinja_env.get_template("meetings/show.html")
    context = {"meeting": meeting, "group": meeting.group, "kind_labels": PLAN_KIND_LABELS,
               "waiting": waiting, "restorable": False, "shared": True, "slot": slot,
               # Nothing of the viewer may reach the shared part: these fail if asked.
               "current_user": None, "csrf_token": no_token}
    current_app.update_template_context(context)
    rendered = template.new_context(context)
    html = "".join(template.blocks["content"](rendered))
    title = "".join(template.blocks["title"](rendered))
    pieces = SLOT.split(html)
    parts = [own_html(pieces[0])]
    for index in range(1, len(pieces), 3):
        name, item = pieces[index], pieces[index + 1]
        parts.append((name, int(item) if item else None))
        parts.append(own_html(pieces[index + 2]))
    return SharedPart(own_html(title), tuple(parts),
                      any(item.responsible_id for item in meeting.plan_items))


def slot(name: str, item_id: int | None = None) -> Markup:
    """Where a person's own part goes: a name of ours and a number, nothing typed."""
    return own_html(f"<!--slot:{name}:{'' if item_id is None else int(item_id)}-->")


def no_token():
    raise RuntimeError("a CSRF token in the shared part of a young person's page")
