"""Factories that add rows and flush (never commit): the caller decides when to commit."""

import itertools
from datetime import UTC, datetime, timedelta

from peer_groups.areas.models import Area, Team
from peer_groups.auth.models import User
from peer_groups.auth.passwords import hash_password
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import HELSINKI
from peer_groups.groups.models import Group, GroupFacilitator, GroupMember
from peer_groups.invitations.models import Invitation
from peer_groups.meetings.models import Meeting, PlanItem, PlanKind
from peer_groups.notices.models import Notice
from peer_groups.suggestions.models import Suggestion, SuggestionKind

PASSWORD = "correct horse battery"  # noqa: S105 - test password, not common
# Staff have this authenticator unless a test says otherwise (totp_secret=None).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - test secret

_counter = itertools.count(1)


def make_area(name=None, **fields) -> Area:
    area = Area(name=name or f"Area {next(_counter)}", **fields)
    db.session.add(area)
    db.session.flush()
    return area


def make_team(area, name=None) -> Team:
    team = Team(area_id=area.id, name=name or f"Team {next(_counter)}")
    db.session.add(team)
    db.session.flush()
    return team


def make_user(role=Role.YOUTH, area=None, password=PASSWORD, **fields) -> User:
    n = next(_counter)
    role = Role(role)
    defaults = {
        "display_name": f"Person {n}",
        "email": f"person{n}@example.com",
        "username": f"person{n}" if role is Role.YOUTH else None,
        "language": "en",
        "totp_secret": TOTP_SECRET if role.is_staff else None,
    }
    defaults.update(fields)
    if area is None and not defaults.get("is_superuser"):
        area = make_area()
    user = User(role=role, area_id=area.id if area else None,
                password_hash=hash_password(password) if password else None, **defaults)
    db.session.add(user)
    db.session.flush()
    return user


def make_group(area, facilitators=(), members=(), **fields) -> Group:
    group = Group(area_id=area.id, name=fields.pop("name", f"Group {next(_counter)}"), **fields)
    db.session.add(group)
    db.session.flush()
    db.session.add_all(GroupFacilitator(group_id=group.id, user_id=u.id) for u in facilitators)
    db.session.add_all(GroupMember(group_id=group.id, user_id=u.id) for u in members)
    db.session.flush()
    return group


def next_week_afternoon() -> datetime:
    """A week from today at 15:00 Helsinki time, in UTC: for a test that edits a meeting's
    times in the one-day form (a meeting made at the clock's hour after 22:00 ends past
    midnight, and the form refuses its end time)."""
    day = datetime.now(HELSINKI) + timedelta(days=7)
    return day.replace(hour=15, minute=0, second=0, microsecond=0).astimezone(UTC)


def make_meeting(group, starts_at=None, hours=2, capacity=10, **fields) -> Meeting:
    starts_at = starts_at or datetime.now(UTC).replace(microsecond=0) + timedelta(days=7)
    meeting = Meeting(group_id=group.id, starts_at=starts_at,
                      ends_at=starts_at + timedelta(hours=hours), capacity=capacity, **fields)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def make_plan_item(meeting, kind="activity", title=None, **fields) -> PlanItem:
    item = PlanItem(meeting_id=meeting.id, kind=PlanKind(kind),
                    title=title or f"Item {next(_counter)}",
                    position=fields.pop("position", next(_counter)), **fields)
    db.session.add(item)
    db.session.flush()
    return item


def make_suggestion(group, author, kind="activity", title=None, **fields) -> Suggestion:
    suggestion = Suggestion(group_id=group.id, author_id=author.id, kind=SuggestionKind(kind),
                            title=title or f"Idea {next(_counter)}", **fields)
    db.session.add(suggestion)
    db.session.flush()
    return suggestion


def make_invitation(group, max_uses=1, days=14, **fields) -> Invitation:
    invitation = Invitation(group_id=group.id, token=f"invite-{next(_counter)}-token",
                            max_uses=max_uses,
                            expires_at=datetime.now(UTC) + timedelta(days=days), **fields)
    db.session.add(invitation)
    db.session.flush()
    return invitation


def make_report_history(base: datetime, area_name=None, staff_language="en") -> dict:
    """What the report tests count by hand: three meetings a week apart from `base`, the first
    two held and the third cancelled; six members, three of whom consent to being named.

    - sign-ups: members 0–3 on both held meetings;
    - attendance: first meeting members 0 and 1 named plus a headcount of 2, second meeting
      members 0 and 2 named;
    - member 3 takes care of a plan item, members 4 and 5 suggest ideas (5's is adopted);
    - the expert is assigned to the second meeting.
    """
    from peer_groups.attendance import services as attendance
    from peer_groups.consent import services as consent
    from peer_groups.domain.consent import Purpose
    from peer_groups.groups import services as group_services
    from peer_groups.signups import services as signups
    from peer_groups.workload.models import StaffAssignment

    area = make_area(name=area_name)
    staff = {role: make_user(role, area=area, language=staff_language)
             for role in (Role.COORDINATOR, Role.WORKER, Role.EXPERT)}
    worker, expert = staff[Role.WORKER], staff[Role.EXPERT]
    youth = [make_user(Role.YOUTH, area=area, display_name=f"Nimi{i} Sukunimi")
             for i in range(6)]
    group = make_group(area, facilitators=[worker, expert], members=youth)
    first, second, third = (make_meeting(group, starts_at=base + timedelta(days=d))
                            for d in (0, 7, 14))
    for person in youth[:3]:
        consent.answer(person, Purpose.ATTENDANCE, True)
    for meeting in (first, second):
        for person in youth[:4]:
            signups.sign_up(meeting.id, person, now=base - timedelta(days=2))
    attendance.mark(first, youth[0], True, worker)
    attendance.mark(first, youth[1], True, worker)
    attendance.set_headcount(first, 2, worker)
    attendance.mark(second, youth[0], True, worker)
    attendance.mark(second, youth[2], True, worker)
    for meeting in (first, second):
        attendance.close(meeting, worker)
    group_services.cancel_meeting(db.session.get(Meeting, third.id), worker, "Sairastuminen")
    make_plan_item(first, responsible_id=youth[3].id)
    make_suggestion(group, youth[4], created_at=base)
    make_suggestion(group, youth[5], status="adopted", created_at=base)
    db.session.add(StaffAssignment(meeting_id=second.id, user_id=expert.id, role="expert"))
    db.session.flush()
    return {"area": area, "coordinator": staff[Role.COORDINATOR], "worker": worker,
            "expert": expert, "youth": youth, "group": group,
            "meetings": (first, second, third)}


def make_notice(user, title="News", body="Something happened.", template="promoted",
                **fields) -> Notice:
    notice = Notice(user_id=user.id, template=template, title=title, body=body, **fields)
    db.session.add(notice)
    db.session.flush()
    return notice
