"""Asking the young people who came how a meeting was, keeping their answers anonymous, and
turning a "next time" line into an idea for the group.

Who came: a named attendance (present), or a confirmed place on the held meeting and not
marked absent by name. People counted in the headcount only are not known by name, so the
ask goes to everyone who held a place; one answer each, whoever they are.
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, bindparam, delete, exists, not_, or_, select, union, update

from peer_groups.attendance.models import Attendance
from peer_groups.auth.models import User
from peer_groups.db import db, utcnow
from peer_groups.domain import feedback as rules
from peer_groups.domain.errors import DomainError
from peer_groups.domain.roles import Role
from peer_groups.domain.signups import SignupStatus
from peer_groups.feedback.models import FeedbackAnswer, FeedbackDismissed, FeedbackGiven
from peer_groups.meetings.models import Meeting, MeetingStatus
from peer_groups.notices.models import Notice
from peer_groups.notices.services import keep_as_notice
from peer_groups.signups.models import Signup
from peer_groups.signups.services import lock_meeting
from peer_groups.suggestions.models import Suggestion, SuggestionKind

ASK = "feedback_ask"


def days() -> int:
    return current_app.config["FEEDBACK_DAYS"]


def threshold() -> int:
    return current_app.config["SMALL_NUMBER_THRESHOLD"]


def came(user_id):
    """A condition on Meeting: this person came (by name, or held a place and was not marked
    absent)."""
    present = exists().where(Attendance.meeting_id == Meeting.id,
                             Attendance.user_id == user_id, Attendance.present)
    absent = exists().where(Attendance.meeting_id == Meeting.id,
                            Attendance.user_id == user_id, not_(Attendance.present))
    placed = exists().where(Signup.meeting_id == Meeting.id, Signup.user_id == user_id,
                            Signup.status == SignupStatus.CONFIRMED)
    return or_(present, and_(placed, not_(absent)))


def answered(user_id):
    return exists().where(FeedbackGiven.meeting_id == Meeting.id,
                          FeedbackGiven.user_id == user_id)


def _asks_statement():
    """Built once (a young person's home asks it on every visit): its cache key is kept."""
    person = bindparam("user_id")
    dismissed = exists().where(FeedbackDismissed.meeting_id == Meeting.id,
                               FeedbackDismissed.user_id == person)
    # Only meetings the person had a place at or was marked at (by their own indexes): left
    # to `came` alone, PostgreSQL scanned every meeting of every area, and the plan's cost
    # made it compile the query first (JIT), 30-40 ms on each young person's home.
    theirs = union(select(Signup.meeting_id).where(Signup.user_id == person,
                                                   Signup.status == SignupStatus.CONFIRMED),
                   select(Attendance.meeting_id).where(Attendance.user_id == person))
    return (select(Meeting).where(Meeting.id.in_(theirs), Meeting.status == MeetingStatus.HELD,
                                  Meeting.ends_at >= bindparam("since"),
                                  came(person), ~answered(person), ~dismissed)
            .order_by(Meeting.ends_at.desc()))


ASKS = _asks_statement()


def asks_for(user, *, now=None) -> list[Meeting]:
    """Held meetings this person came to, still open for answers, not answered or put away."""
    since = (now or utcnow()) - timedelta(days=days())
    return db.session.scalars(ASKS, {"user_id": user.id, "since": since}).all()


def may_answer(user, meeting: Meeting, *, now=None) -> bool:
    """Whether this person can answer this meeting now (once, having come)."""
    now = now or utcnow()
    if meeting.status is not MeetingStatus.HELD or not rules.may_answer(
            meeting.ends_at, days(), now):
        return False
    return bool(db.session.scalar(select(Meeting.id).where(
        Meeting.id == meeting.id, came(user.id), ~answered(user.id))))


def has_answered(user, meeting: Meeting) -> bool:
    return db.session.get(FeedbackGiven, (meeting.id, user.id)) is not None


def answer(user, meeting: Meeting, *, rating: int, again: str, next_time: str = "",
           now=None) -> None:
    """Keep one anonymous answer, and that this person has answered; refuse a second one.

    The meeting is locked, so two answers at once queue. The meeting's answers are then
    written again, sorted by what they say, with new random ids: nothing on disk (row order,
    SQLite's rowid, PostgreSQL's ctid and xmin) keeps the order people answered in, which the
    `FeedbackGiven` rows could otherwise be matched against.
    """
    now = now or utcnow()
    meeting = lock_meeting(meeting.id)
    if has_answered(user, meeting):
        raise DomainError("already_answered")
    if not may_answer(user, meeting, now=now):
        raise DomainError("not_open")
    db.session.add(FeedbackGiven(meeting_id=meeting.id, user_id=user.id))
    kept = [(a.rating, a.again, a.next_time) for a in db.session.scalars(
        select(FeedbackAnswer).where(FeedbackAnswer.meeting_id == meeting.id))]
    kept.append((int(rating), rules.Again(again), (next_time or "").strip() or None))
    db.session.execute(delete(FeedbackAnswer).where(FeedbackAnswer.meeting_id == meeting.id)
                       .execution_options(synchronize_session=False))
    db.session.flush()
    db.session.add_all(FeedbackAnswer(meeting_id=meeting.id, rating=r, again=a, next_time=t)
                       for r, a, t in sorted(kept, key=lambda k: (k[0], k[1].value, k[2] or "")))
    db.session.flush()
    # Deliberately no audit event: its time and actor would tell whose answer it was.


def dismiss(user, meeting: Meeting) -> None:
    """Put the ask away from the home page; repeating it changes nothing."""
    if db.session.get(FeedbackDismissed, (meeting.id, user.id)) is None:
        db.session.add(FeedbackDismissed(meeting_id=meeting.id, user_id=user.id))


def ask_after_held(meeting: Meeting, *, now=None) -> int:
    """A notice to each young person who came to the meeting just held; once per person,
    however often the register is closed again."""
    now = now or utcnow()
    if not rules.may_answer(meeting.ends_at, days(), now):
        return 0
    told = set(db.session.scalars(select(Notice.user_id).where(
        Notice.meeting_id == meeting.id, Notice.template == ASK)))
    marks = dict(db.session.execute(select(Attendance.user_id, Attendance.present)
                                    .where(Attendance.meeting_id == meeting.id)).all())
    placed = set(db.session.scalars(select(Signup.user_id).where(
        Signup.meeting_id == meeting.id, Signup.status == SignupStatus.CONFIRMED)))
    came_ids = {uid for uid, present in marks.items() if present} | {
        uid for uid in placed if marks.get(uid, True)}
    people = db.session.scalars(select(User).where(
        User.id.in_(came_ids - told), User.role == Role.YOUTH)).all()
    for person in people:
        keep_as_notice(person, ASK, {"meeting": meeting}, now=now)
    return len(people)


def summary(meeting: Meeting) -> rules.Summary:
    """The meeting's answers as counts, only once enough people answered."""
    return rules.summarise(db.session.execute(
        select(FeedbackAnswer.rating, FeedbackAnswer.again)
        .where(FeedbackAnswer.meeting_id == meeting.id)).all(), threshold())


def next_time_lines(meeting: Meeting) -> list[FeedbackAnswer]:
    """The "next time" lines, in the order of their text; none while too few answered."""
    if not summary(meeting).shown:
        return []
    return db.session.scalars(
        select(FeedbackAnswer).where(FeedbackAnswer.meeting_id == meeting.id,
                                     FeedbackAnswer.next_time.is_not(None))
        .order_by(FeedbackAnswer.next_time)).all()


def ideas_already(meeting: Meeting) -> set[str]:
    """The titles on the group's list of ideas: a line that is one already is not made twice."""
    return set(db.session.scalars(select(Suggestion.title).where(
        Suggestion.group_id == meeting.group_id)))


def make_idea(meeting: Meeting, answer_id, actor) -> Suggestion:
    """A "next time" line becomes an idea on the group's list, by nobody (it is anonymous);
    once: a second tap, or a second tab, finds it there already."""
    line = db.session.scalar(select(FeedbackAnswer.next_time).where(
        FeedbackAnswer.id == answer_id, FeedbackAnswer.meeting_id == meeting.id))
    if not line or not summary(meeting).shown:
        raise DomainError("no_line")
    if line[:120] in ideas_already(meeting):
        raise DomainError("already_an_idea")
    idea = Suggestion(group_id=meeting.group_id, author_id=None, kind=SuggestionKind.ACTIVITY,
                      title=line[:120])
    db.session.add(idea)
    db.session.flush()
    return idea


def forget_old_lines(cutoff, dry_run: bool = False) -> int:
    """Retention: the "next time" lines of meetings that ended before `cutoff` are removed,
    and so is who answered them; the counts stay."""
    old = select(Meeting.id).where(Meeting.ends_at < cutoff)
    lines = (FeedbackAnswer.meeting_id.in_(old), FeedbackAnswer.next_time.is_not(None))
    if dry_run:
        return len(db.session.scalars(select(FeedbackAnswer.id).where(*lines)).all())
    removed = db.session.execute(update(FeedbackAnswer).where(*lines).values(next_time=None)
                                 .execution_options(synchronize_session=False)).rowcount
    for table in (FeedbackGiven, FeedbackDismissed):
        db.session.execute(delete(table).where(table.meeting_id.in_(old)))
    return removed
