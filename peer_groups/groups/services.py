"""Creating and changing groups and their meetings. Services flush; the view commits."""

from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, select

from peer_groups.audit.services import record
from peer_groups.auth.models import User
from peer_groups.db import db, utcnow
from peer_groups.domain.errors import DomainError
from peer_groups.domain.roles import FACILITATOR_ROLES, Role
from peer_groups.domain.schedule import (
    MonthlyRule,
    RuleKind,
    local_date_of,
    new_occurrences,
)
from peer_groups.domain.wall_clock import exact_utc
from peer_groups.groups.models import Group, GroupFacilitator, GroupMember
from peer_groups.meetings.models import Meeting, MeetingStatus
from peer_groups.signups import services as signups
from peer_groups.signups.models import Signup

GROUP_FIELDS = (
    "name", "description", "language", "venue_name", "venue_address", "venue_accessibility",
    "default_capacity", "default_start_time", "default_duration_minutes", "target_size",
    "team_id",
)


def rule_of(group: Group) -> MonthlyRule | None:
    if group.rule_kind is None:
        return None
    return MonthlyRule(
        kind=RuleKind(group.rule_kind),
        start_time=group.default_start_time,
        duration_minutes=group.default_duration_minutes,
        week=group.rule_week or 1,
        weekday=group.rule_weekday or 0,
        day=group.rule_day or 1,
        skip_months=frozenset(int(m) for m in group.skip_months.split(",") if m),
    )


def eligible_people(area_id: int, roles) -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.area_id == area_id, User.role.in_(roles), User.active)
        .order_by(User.display_name)
    ))


def save_group(group: Group | None, area_id: int, actor, *, facilitator_ids, member_ids,
               **fields) -> Group:
    """Create a group or change one, with its facilitators and members."""
    creating = group is None
    if creating:
        group = Group(area_id=area_id)
        db.session.add(group)
    for name in GROUP_FIELDS:
        if name in fields:
            setattr(group, name, fields[name])
    group.team_id = group.team_id or None
    db.session.flush()
    _set_people(group, GroupFacilitator, facilitator_ids, FACILITATOR_ROLES, actor,
                "group.facilitator")
    _set_people(group, GroupMember, member_ids, (Role.YOUTH,), actor, "group.member")
    record(actor, "group.created" if creating else "group.updated", obj=group)
    return group


def _set_people(group, link_model, wanted_ids, roles, actor, action):
    """Make the group's facilitators (or members) exactly `wanted_ids`, audited per person."""
    allowed = {u.id: u for u in eligible_people(group.area_id, roles)}
    wanted = {i for i in wanted_ids if i in allowed}
    current = set(db.session.scalars(
        select(link_model.user_id).where(link_model.group_id == group.id)))
    for user_id in wanted - current:
        db.session.add(link_model(group_id=group.id, user_id=user_id))
        record(actor, f"{action}_added", subject=allowed[user_id], obj=group)
    removed = current - wanted
    if removed:
        db.session.execute(delete(link_model).where(link_model.group_id == group.id,
                                                    link_model.user_id.in_(removed)))
        for user_id in removed:
            record(actor, f"{action}_removed", obj=group, subject_id=user_id)
    db.session.expire(group, ["facilitators", "members"])


def archive_group(group: Group, actor, *, now=None) -> None:
    """Hide a group from everyday lists; its meetings and history stay."""
    now = now or utcnow()
    group.archived_at = now
    record(actor, "group.archived", obj=group)


def coming_signups(group: Group, user, now) -> list[tuple[int, MeetingStatus]]:
    """(meeting id, its status) of the person's places and turns at the group's coming
    meetings, soonest first."""
    return list(db.session.execute(
        select(Meeting.id, Meeting.status).join(Signup, Signup.meeting_id == Meeting.id)
        .where(Meeting.group_id == group.id, Signup.user_id == user.id,
               Signup.status.in_(signups.ACTIVE), Meeting.starts_at > now,
               Meeting.status != MeetingStatus.HELD)
        .order_by(Meeting.starts_at, Meeting.id)))


def leave_group(group: Group, user, *, now=None) -> int:
    """The young person leaves the group; how many coming sign-ups that cancelled.

    A place at a planned meeting goes to the first in line, who is told (the same cancel as
    the person's own); at a called-off one it is only given back, so that nobody is told of a
    place at a meeting that is not held. Past sign-ups and attendance stay as they are, and
    an invitation brings the person back like anyone else.
    """
    now = now or utcnow()
    if db.session.get(GroupMember, (group.id, user.id)) is None:
        raise DomainError("not_a_member")
    coming = coming_signups(group, user, now)
    for meeting_id, _status in coming:
        # At a called-off meeting nobody is promoted (or told) until it is put back on.
        signups.cancel_signup(meeting_id, user, now=now, leaving=True)
    db.session.execute(delete(GroupMember).where(GroupMember.group_id == group.id,
                                                 GroupMember.user_id == user.id))
    db.session.expire(group, ["members"])
    record(user, "group.member_left", subject=user, obj=group)
    return len(coming)


def set_rule(group: Group, rule: MonthlyRule, actor) -> None:
    problems = rule.problems()
    if problems:
        raise DomainError(problems[0].value)
    group.rule_kind = rule.kind.value
    group.rule_week = rule.week
    group.rule_weekday = rule.weekday
    group.rule_day = rule.day
    group.skip_months = ",".join(str(m) for m in sorted(rule.skip_months))
    group.default_start_time = rule.start_time
    group.default_duration_minutes = rule.duration_minutes
    record(actor, "group.schedule_set", obj=group)


def existing_local_dates(group: Group, from_rule_only: bool = False) -> set[date]:
    query = select(Meeting.starts_at).where(Meeting.group_id == group.id)
    if from_rule_only:
        query = query.where(Meeting.from_rule)
    return {local_date_of(s) for s in db.session.scalars(query)}


def planned_occurrences(group: Group, rule: MonthlyRule, today: date, months: int = 12,
                        now=None):
    """What saving the rule would add: coming dates in months without a rule meeting yet."""
    now = now or utcnow()
    covered = {(d.year, d.month) for d in existing_local_dates(group, from_rule_only=True)}
    return [o for o in new_occurrences(rule, covered, today, months) if o.starts_at > now]


def generate_meetings(group: Group, actor, today: date, months: int = 12) -> list[Meeting]:
    """Create the rule's meetings for the coming months; never a second one on the same day."""
    rule = rule_of(group)
    if rule is None:
        raise DomainError("no_rule")
    found = planned_occurrences(group, rule, today, months)
    if not found:
        raise DomainError("no_dates")
    meetings = [
        Meeting(group_id=group.id, starts_at=o.starts_at, ends_at=o.ends_at, from_rule=True,
                venue_name=group.venue_name, venue_address=group.venue_address,
                venue_accessibility=group.venue_accessibility,
                capacity=group.default_capacity)
        for o in found
    ]
    db.session.add_all(meetings)
    db.session.flush()
    record(actor, "group.meetings_generated", obj=group)
    return meetings


def local_moment(day: date, at: time, which, field: str) -> datetime:
    """The wall-clock time exactly, never moved; a refusal names the field it is about."""
    try:
        return exact_utc(day, at, which)
    except DomainError as refused:
        raise DomainError(refused.code, field=field) from None


def meeting_times(day: date, starts: time, ends: time, *, starts_which=None,
                  ends_which=None) -> tuple[datetime, datetime]:
    """Start and end in UTC. A time the clock skips that night is refused; one it shows
    twice (the autumn change) needs `starts_which` / `ends_which` (Which.FIRST or SECOND)."""
    start_at = local_moment(day, starts, starts_which, "starts")
    end_at = local_moment(day, ends, ends_which, "ends")
    if end_at <= start_at:
        raise DomainError("ends_before_start")
    if end_at - start_at > timedelta(hours=12):
        raise DomainError("too_long")
    return start_at, end_at


def add_meeting(group: Group, actor, *, day, starts, ends, now=None, starts_which=None,
                ends_which=None, **fields) -> Meeting:
    """A meeting outside the rule, e.g. a summer outing."""
    start_at, end_at = meeting_times(day, starts, ends, starts_which=starts_which,
                                     ends_which=ends_which)
    if start_at <= (now or utcnow()):
        raise DomainError("in_the_past")
    if day in existing_local_dates(group):
        raise DomainError("same_day")
    meeting = Meeting(group_id=group.id, starts_at=start_at, ends_at=end_at, **fields)
    db.session.add(meeting)
    db.session.flush()
    record(actor, "meeting.added", obj=meeting, area_id=group.area_id)
    return meeting


def update_meeting(meeting: Meeting, actor, *, day, starts, ends, capacity, now=None,
                   starts_which=None, ends_which=None, **fields) -> bool:
    """Change one occurrence; the rule stays. True when the time or the place changed."""
    now = now or utcnow()
    meeting = signups.lock_meeting(meeting.id)  # a fresh count of who has a place
    if meeting.status is not MeetingStatus.PLANNED:
        raise DomainError("not_planned")
    start_at, end_at = meeting_times(day, starts, ends, starts_which=starts_which,
                                     ends_which=ends_which)
    moved = (start_at, end_at) != (meeting.starts_at, meeting.ends_at)
    if moved and start_at <= now:
        raise DomainError("in_the_past")
    if capacity < meeting.taken:
        raise DomainError("capacity_below_confirmed", confirmed=meeting.taken)
    place_changed = any(getattr(meeting, k) != v for k, v in fields.items()
                        if k.startswith("venue_"))
    meeting.starts_at, meeting.ends_at = start_at, end_at
    meeting.capacity = capacity
    for name, value in fields.items():
        setattr(meeting, name, value)
    if moved or place_changed:
        meeting.sequence += 1
    meeting.updated_at = now
    db.session.flush()
    record(actor, "meeting.updated", obj=meeting, area_id=meeting.group.area_id)
    signups.promote_from_waitlist(meeting.id)  # more places: the waiting list moves up
    if moved or place_changed:
        signups.notify_signed_up(meeting, "meeting_changed")
    return moved or place_changed


def cancel_meeting(meeting: Meeting, actor, reason: str, *, now=None) -> None:
    """Call the meeting off with a reason. Sign-ups stay as they are (nobody can sign up or
    cancel meanwhile), so that restoring it gives everyone their place back."""
    now = now or utcnow()
    if meeting.status is not MeetingStatus.PLANNED:
        raise DomainError("not_planned")
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason.strip()
    meeting.sequence += 1
    meeting.updated_at = now
    record(actor, "meeting.cancelled", obj=meeting, area_id=meeting.group.area_id)
    signups.notify_signed_up(meeting, "meeting_cancelled")


def restore_meeting(meeting: Meeting, actor, *, now=None) -> Meeting:
    """Put a called-off meeting back on before it starts. Calling off leaves every sign-up
    as it was, so each place and each turn on the waiting list comes back in its old order;
    a place given up meanwhile by someone leaving goes to the first in line. Everyone is told,
    and calendars see the change (SEQUENCE up, CONFIRMED again)."""
    now = now or utcnow()
    meeting = signups.lock_meeting(meeting.id)
    if meeting.status is not MeetingStatus.CANCELLED:
        raise DomainError("not_cancelled")
    if meeting.starts_at <= now:
        raise DomainError("already_started")
    meeting.status = MeetingStatus.PLANNED
    meeting.cancel_reason = None
    meeting.sequence += 1
    meeting.updated_at = now
    db.session.flush()
    record(actor, "meeting.restored", obj=meeting, area_id=meeting.group.area_id)
    promoted = signups.promote_from_waitlist(meeting.id, now)  # told by their own message
    signups.notify_signed_up(meeting, "meeting_restored", skip=[s.id for s in promoted])
    return meeting
