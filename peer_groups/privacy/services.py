"""What we keep about a person, erasing it on request, and anonymising what is old."""

from dataclasses import dataclass
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from flask import current_app
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import aliased

from peer_groups.account import services as contacts
from peer_groups.account.models import PendingContact
from peer_groups.areas.models import Area
from peer_groups.attendance import services as attendance
from peer_groups.attendance.models import Attendance
from peer_groups.audit.models import AuditEvent
from peer_groups.audit.services import record
from peer_groups.auth import link_requests
from peer_groups.auth.models import AuthSession, TokenPurpose, User
from peer_groups.auth.services import issue_token
from peer_groups.consent.models import ConsentAnswer, DietaryNeeds
from peer_groups.db import db, utcnow
from peer_groups.domain.roles import Role
from peer_groups.domain.signups import SignupStatus
from peer_groups.feedback import services as feedback
from peer_groups.groups.models import Group, GroupMember
from peer_groups.invitations.models import PendingJoin
from peer_groups.meetings.models import Meeting
from peer_groups.notices import queries as notices
from peer_groups.notices import services as notice_services
from peer_groups.notifications import services as outbox
from peer_groups.notifications.services import queue_message
from peer_groups.signups import services as signups
from peer_groups.signups.models import Signup
from peer_groups.suggestions.models import Suggestion, SuggestionVote
from peer_groups.urls import external_url


def everything_about(user: User) -> dict:
    """All we keep about the person, as plain data for the page and the downloads."""
    groups = db.session.scalars(select(Group.name).join(GroupMember)
                                .where(GroupMember.user_id == user.id)).all()
    signup_rows = db.session.execute(
        select(Meeting.starts_at, Group.name, Signup.status, Signup.requested_at)
        .join(Meeting, Meeting.id == Signup.meeting_id).join(Group, Group.id == Meeting.group_id)
        .where(Signup.user_id == user.id).order_by(Meeting.starts_at)).all()
    attendance_rows = db.session.execute(
        select(Meeting.starts_at, Group.name, Attendance.present)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Group, Group.id == Meeting.group_id)
        .where(Attendance.user_id == user.id).order_by(Meeting.starts_at)).all()
    consents = db.session.scalars(select(ConsentAnswer).where(ConsentAnswer.user_id == user.id)
                                  .order_by(ConsentAnswer.id)).all()
    dietary = db.session.get(DietaryNeeds, user.id)
    ideas = db.session.execute(
        select(Suggestion, Group.name).join(Group, Group.id == Suggestion.group_id)
        .where(Suggestion.author_id == user.id).order_by(Suggestion.created_at)).all()
    votes = db.session.execute(
        select(SuggestionVote.created_at, Suggestion.title, Group.name)
        .join(Suggestion, Suggestion.id == SuggestionVote.suggestion_id)
        .join(Group, Group.id == Suggestion.group_id)
        .where(SuggestionVote.user_id == user.id).order_by(SuggestionVote.created_at)).all()
    return {
        "profile": {"name": user.display_name, "username": user.username,
                    "email": user.email, "phone": user.phone, "language": user.language,
                    "birth_year": user.birth_year, "created_at": user.created_at,
                    "area": user.area.name if user.area else None,
                    "second_factor": "on" if user.has_second_factor else "off",
                    "told_by": user.notify_by.value if user.notify_by else "not_chosen",
                    "waiting_for_code": ", ".join(
                        p.value for p in db.session.scalars(select(PendingContact).where(
                            PendingContact.user_id == user.id).order_by(PendingContact.id)))
                    or None},
        "groups": list(groups),
        "signups": [{"meeting": starts, "group": group, "status": status.value, "at": at}
                    for starts, group, status, at in signup_rows],
        "attendance": [{"meeting": starts, "group": group, "present": present}
                       for starts, group, present in attendance_rows],
        "consents": [{"purpose": c.purpose.value, "answer": "yes" if c.given else "no",
                      "at": c.answered_at, "how": c.channel,
                      "text_version": c.text.version,
                      "text": c.text.text_in(user.language)} for c in consents],
        "dietary": ({"needs": [n for n in dietary.needs.split(",") if n],
                     "other": dietary.other} if dietary else None),
        "ideas": [{"group": group, "kind": idea.kind.value, "title": idea.title,
                   "details": idea.details, "status": idea.status.value, "reply": idea.reply,
                   "at": idea.created_at} for idea, group in ideas],
        "votes": [{"idea": title, "group": group, "at": at} for at, title, group in votes],
        "notices": [{"at": n.created_at, "title": n.title, "text": n.body,
                     "read_at": n.read_at} for n in notices.all_of(user.id)],
        "who_viewed_or_changed": who_looked(user),
    }


def who_looked(user: User) -> list[dict]:
    """Staff who viewed or changed the person's data, and when (from the audit trail)."""
    actor = aliased(User)
    rows = db.session.execute(
        select(AuditEvent.occurred_at, AuditEvent.action, actor.display_name, actor.role)
        .join(actor, actor.id == AuditEvent.actor_id)
        .where(AuditEvent.subject_user_id == user.id, AuditEvent.actor_id != user.id)
        .order_by(AuditEvent.occurred_at.desc()).limit(500)).all()
    return [{"at": at, "action": action, "who": name, "role": role.value}
            for at, action, name, role in rows]


def erase(user: User, *, actor=None, reason="request", now=None) -> None:
    """Remove the account and everything personal; the numbers stay, without a name.

    Places in coming meetings are given back (the waiting list moves up); past sign-ups and
    attendance become anonymous counts on their meetings.
    """
    now = now or utcnow()
    record(actor or user, "account.erasure_requested", subject=user, detail=reason)
    coming = db.session.scalars(
        select(Signup.meeting_id).join(Meeting, Meeting.id == Signup.meeting_id)
        .where(Signup.user_id == user.id, Signup.status.in_(signups.ACTIVE),
               Meeting.starts_at > now)).all()
    for meeting_id in coming:
        signups.cancel_signup(meeting_id, user, now=now, leaving=True)
    anonymise_signups(Signup.user_id == user.id)
    attendance.anonymise(Attendance.user_id == user.id)
    # The words of the person's ideas go too; one already on a plan stays as the plan item.
    db.session.execute(delete(Suggestion).where(Suggestion.author_id == user.id)
                       .execution_options(synchronize_session=False))
    subject_id = user.id
    db.session.delete(user)  # cascades to sessions, links, consents, dietary, votes, messages,
    # notices
    db.session.flush()
    record(actor, "account.erased", subject_id=subject_id, detail=reason,
           area_id=user.area_id)


def send_erase_link(user: User, link_for) -> bool:
    """A fresh one-time sign-in link that brings the person back to erasing their account."""
    lifetime = current_app.config["SIGN_IN_LINK_LIFETIME"]
    token = issue_token(user, TokenPurpose.SIGN_IN, lifetime)
    message = queue_message(user, "erase_link", link=link_for(token),
                            minutes=int(lifetime.total_seconds() // 60))
    return message is not None


def anonymise_signups(*conditions) -> int:
    """Past confirmed sign-ups become counts on their meetings; the rows go."""
    removed = db.session.execute(delete(Signup).where(*conditions)
                                 .returning(Signup.meeting_id, Signup.status)).all()
    confirmed: dict[int, int] = {}
    for meeting_id, status in removed:
        if SignupStatus(status) is SignupStatus.CONFIRMED:
            confirmed[meeting_id] = confirmed.get(meeting_id, 0) + 1
    for meeting_id, count in confirmed.items():
        db.session.execute(update(Meeting).where(Meeting.id == meeting_id)
                           .values(anonymous_signups=Meeting.anonymous_signups + count)
                           .execution_options(synchronize_session=False))
    return len(removed)


@dataclass
class PurgeReport:
    signups: int = 0
    attendance: int = 0
    dietary: int = 0
    accounts: int = 0
    outbox: int = 0
    notices: int = 0
    feedback_lines: int = 0  # "next time" lines of old meetings (the counts stay)
    told: int = 0  # told their account will be removed (no birth year, or idle)
    removed: int = 0  # removed after that notice
    unfinished_joins: int = 0


def purge(now, *, retention_months: int, dietary_idle_days: int, grace_days: int,
          dry_run: bool, inactive_months: int = 12, notice_days: int = 30) -> PurgeReport:
    """Anonymise what is older than the retention period; safe to run twice or at once."""
    report = PurgeReport()
    report.outbox = purge_outbox(now, dry_run)
    report.notices = notice_services.delete_old_notices(
        now, current_app.config["NOTICE_RETENTION_DAYS"], dry_run=dry_run)
    cutoff = now - relativedelta(months=retention_months)
    old_meetings = select(Meeting.id).where(Meeting.ends_at < cutoff)
    report.feedback_lines = feedback.forget_old_lines(cutoff, dry_run=dry_run)
    report.signups = db.session.scalar(select(func.count(Signup.id))
                                       .where(Signup.meeting_id.in_(old_meetings)))
    report.attendance = db.session.scalar(select(func.count(Attendance.id))
                                          .where(Attendance.meeting_id.in_(old_meetings)))
    recent_signup = (select(Signup.user_id).join(Meeting, Meeting.id == Signup.meeting_id)
                     .where(Meeting.ends_at > now - timedelta(days=dietary_idle_days)))
    idle_dietary = DietaryNeeds.user_id.not_in(recent_signup)
    report.dietary = db.session.scalar(select(func.count()).select_from(DietaryNeeds)
                                       .where(idle_dietary))
    ended = db.session.scalars(aftercare_ended(now, grace_days)).all()
    report.accounts = len(ended)
    expired_joins = PendingJoin.expires_at <= now
    report.unfinished_joins = db.session.scalar(select(func.count(PendingJoin.id))
                                                .where(expired_joins))
    if dry_run:
        report.told, report.removed = count_removals(now, inactive_months, notice_days)
        return report
    anonymise_signups(Signup.meeting_id.in_(old_meetings))
    attendance.anonymise(Attendance.meeting_id.in_(old_meetings))
    db.session.execute(delete(DietaryNeeds).where(idle_dietary))
    db.session.execute(delete(PendingJoin).where(expired_joins))
    contacts.forget_expired(now)  # addresses whose confirming code ran out
    link_requests.forget_unanswered(now)  # "send me a link" that no worker answered
    for person in ended:
        if claim_for_erasure(person.id) is not None:
            erase(person, reason="aftercare_ended")
    report.removed = remove_after_notice(now, inactive_months, notice_days)
    report.told = tell_before_removal(now, inactive_months, notice_days)
    return report


def purge_outbox(now, dry_run: bool) -> int:
    """Sent messages older than OUTBOX_RETENTION_DAYS go (their text went when they were sent)."""
    return outbox.delete_old_messages(now, current_app.config["OUTBOX_RETENTION_DAYS"],
                                      dry_run=dry_run)


def aftercare_ended(now, grace_days: int):
    """Young people past their area's upper age (by birth year) for longer than the grace."""
    year = (now - timedelta(days=grace_days)).year
    return (select(User).join(Area, Area.id == User.area_id)
            .where(User.role == Role.YOUTH, User.birth_year.is_not(None),
                   User.birth_year + Area.youth_upper_age < year))


def idle_since(cutoff):
    """No sign-in, no use of a remembered device and no sign-up since `cutoff`."""
    signed_up = select(Signup.id).where(Signup.user_id == User.id,
                                        Signup.requested_at >= cutoff).exists()
    seen = select(AuthSession.id).where(AuthSession.user_id == User.id,
                                        AuthSession.last_seen_at >= cutoff).exists()
    return and_(func.coalesce(User.last_sign_in_at, User.created_at) < cutoff,
                ~signed_up, ~seen)


def due_for_removal(now, inactive_months: int):
    """Young people's accounts we can't keep: no birth year (so we can't tell when aftercare
    ends), or unused for `inactive_months`."""
    idle = idle_since(now - relativedelta(months=inactive_months))
    return and_(User.role == Role.YOUTH, or_(User.birth_year.is_(None), idle))


def count_removals(now, inactive_months: int, notice_days: int) -> tuple[int, int]:
    """For a dry run: how many would be told, and how many removed after their notice."""
    due = due_for_removal(now, inactive_months)
    told = db.session.scalar(select(func.count(User.id))
                             .where(due, User.removal_notice_sent_at.is_(None)))
    removed = db.session.scalar(select(func.count(User.id)).where(
        due, User.removal_notice_sent_at <= now - timedelta(days=notice_days)))
    return told, removed


def tell_before_removal(now, inactive_months: int, notice_days: int) -> int:
    """Tell each newly due person, once: a conditional update decides who sends it.

    Someone who came back (signed in or signed up) or added a birth year is no longer
    under notice, so a later removal starts with a new one.
    """
    due = due_for_removal(now, inactive_months)
    db.session.execute(update(User).where(User.removal_notice_sent_at.is_not(None), ~due)
                       .values(removal_notice_sent_at=None)
                       .execution_options(synchronize_session=False))
    candidates = db.session.scalars(
        select(User.id).where(due, User.removal_notice_sent_at.is_(None))).all()
    told = 0
    for user_id in candidates:
        claimed = db.session.execute(
            update(User).where(User.id == user_id, User.removal_notice_sent_at.is_(None))
            .values(removal_notice_sent_at=now).execution_options(synchronize_session=False))
        if claimed.rowcount != 1:
            continue  # another host told them
        person = db.session.get(User, user_id)
        reason = removal_reason(person)
        queue_message(person, "account_removal", reason=reason, days=notice_days,
                      sign_in_page=external_url("auth.sign_in"))
        record(None, "account.removal_notice_sent", subject=person, detail=reason)
        told += 1
    return told


def remove_after_notice(now, inactive_months: int, notice_days: int) -> int:
    """Erase the accounts still due `notice_days` after they were told."""
    due = due_for_removal(now, inactive_months)
    told_before = User.removal_notice_sent_at <= now - timedelta(days=notice_days)
    removed = 0
    for user_id in db.session.scalars(select(User.id).where(due, told_before)).all():
        person = claim_for_erasure(user_id, due, told_before)
        if person is not None:
            erase(person, reason=removal_reason(person))
            removed += 1
    return removed


def claim_for_erasure(user_id: int, *conditions) -> User | None:
    """Lock the account (still matching `conditions`) before erasing it.

    A second host waits, then finds the row gone; on SQLite BEGIN IMMEDIATE already
    makes the hosts take turns.
    """
    return db.session.scalars(
        select(User).where(User.id == user_id, *conditions).with_for_update(of=User)
        .execution_options(populate_existing=True)).first()


def removal_reason(person: User) -> str:
    return "no_birth_year" if person.birth_year is None else "inactive"
