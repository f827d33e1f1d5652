"""Asking, giving and withdrawing consent, and what withdrawing takes back."""

from sqlalchemy import bindparam, delete, func, null, select, union_all, update
from sqlalchemy.orm import aliased

from peer_groups.attendance import services as attendance
from peer_groups.attendance.models import Attendance
from peer_groups.audit.services import record
from peer_groups.consent.models import ConsentAnswer, ConsentText, DietaryNeeds
from peer_groups.db import db, utcnow
from peer_groups.domain.consent import Answer, Purpose, TextVersion, consent_state, needs_answer
from peer_groups.domain.errors import DomainError
from peer_groups.domain.signups import SignupStatus
from peer_groups.notifications.models import MessageStatus, OutboxMessage
from peer_groups.signups.models import Signup


def of_area(area_id: int | None):
    """The texts of one area, or with None the service's default texts."""
    return ConsentText.area_id.is_(None) if area_id is None else ConsentText.area_id == area_id


def current_text(purpose: Purpose, area_id: int | None) -> ConsentText:
    return db.session.scalars(select(ConsentText)
                              .where(of_area(area_id), ConsentText.purpose == purpose)
                              .order_by(ConsentText.version.desc()).limit(1)).one()


def current_texts(area_id: int | None) -> dict[Purpose, ConsentText]:
    return {purpose: current_text(purpose, area_id) for purpose in Purpose}


def versions(purpose: Purpose, area_id: int | None) -> list[TextVersion]:
    rows = db.session.execute(select(ConsentText.version, ConsentText.minor)
                              .where(of_area(area_id), ConsentText.purpose == purpose))
    return [TextVersion(version, minor) for version, minor in rows]


def last_major_version(purpose: Purpose):
    """Consents to this version or later stand; older ones were for a text changed since.

    Correlated with the answered text's own area: an answer is always to a text of the
    person's area, so only that area's later versions can make it stale.
    """
    later = aliased(ConsentText)
    return (select(func.max(later.version))
            .where(later.purpose == purpose, later.minor.is_(False),
                   later.area_id.is_not_distinct_from(ConsentText.area_id))
            .correlate(ConsentText).scalar_subquery())


def latest_answer_ids(purpose: Purpose):
    return (select(func.max(ConsentAnswer.id)).where(ConsentAnswer.purpose == purpose)
            .group_by(ConsentAnswer.user_id))


def consenting(purpose: Purpose):
    """A query of the ids of everyone whose consent for `purpose` stands now."""
    return (select(ConsentAnswer.user_id)
            .join(ConsentText, ConsentText.id == ConsentAnswer.text_id)
            .where(ConsentAnswer.id.in_(latest_answer_ids(purpose)), ConsentAnswer.given,
                   ConsentText.version >= last_major_version(purpose)))


def stands(purpose: Purpose, user_id):
    """An SQL condition: the consent for `purpose` of `user_id` (a value or a correlated
    column) stands now. Reads only that person's answers, through their index, where
    `consenting` works out everyone's."""
    mine = aliased(ConsentAnswer)
    latest = (select(func.max(mine.id))
              .where(mine.user_id == user_id, mine.purpose == purpose)
              .correlate_except(mine).scalar_subquery())
    return (select(ConsentAnswer.id)
            .join(ConsentText, ConsentText.id == ConsentAnswer.text_id)
            .where(ConsentAnswer.id == latest, ConsentAnswer.given,
                   ConsentText.version >= last_major_version(purpose)).exists())


def consent_stands_for(user_id: int, purpose: Purpose) -> bool:
    return db.session.scalar(consenting(purpose).where(ConsentAnswer.user_id == user_id)) \
        is not None


def latest_answers(user_id: int) -> dict[Purpose, ConsentAnswer]:
    rows = db.session.scalars(select(ConsentAnswer).where(ConsentAnswer.user_id == user_id)
                              .order_by(ConsentAnswer.id)).all()
    return {row.purpose: row for row in rows}


def overview(user) -> list[tuple[Purpose, ConsentText, ConsentAnswer | None, str]]:
    """Each purpose with its area's current text, the latest answer and where they stand."""
    answers = latest_answers(user.id)
    result = []
    for purpose in Purpose:
        latest = answers.get(purpose)
        state = consent_state(Answer(latest.given, latest.text.version) if latest else None,
                              versions(purpose, user.area_id))
        result.append((purpose, current_text(purpose, user.area_id), latest, state.value))
    return result


def _answers_and_texts(texts_of):
    """The person's answers (with their `answer_id`) and the text versions of their area
    (without), in one statement: built once, as every young person's home page asks it."""
    answers = (select(ConsentAnswer.purpose, ConsentAnswer.given, ConsentText.version,
                      ConsentText.minor, ConsentAnswer.id.label("answer_id"))
               .join(ConsentText, ConsentText.id == ConsentAnswer.text_id)
               .where(ConsentAnswer.user_id == bindparam("user_id")))
    texts = select(ConsentText.purpose, null(), ConsentText.version, ConsentText.minor, null())
    return union_all(answers, texts.where(texts_of))


IN_AREA = _answers_and_texts(ConsentText.area_id == bindparam("area_id"))
BY_DEFAULT = _answers_and_texts(ConsentText.area_id.is_(None))


def questions_for(user) -> list[Purpose]:
    """Purposes the person has not answered, or whose text changed in their area since.

    One query whatever the number of purposes: it runs on every young person's home page.
    """
    statement, values = ((BY_DEFAULT, {}) if user.area_id is None
                         else (IN_AREA, {"area_id": user.area_id}))
    rows = db.session.execute(statement, {"user_id": user.id, **values}).all()
    latest = {row.purpose: Answer(row.given, row.version)  # the newest answer wins
              for row in sorted((row for row in rows if row.answer_id is not None),
                                key=lambda row: row.answer_id)}
    texts: dict[Purpose, list[TextVersion]] = {purpose: [] for purpose in Purpose}
    for row in rows:
        if row.answer_id is None:
            texts[row.purpose].append(TextVersion(row.version, row.minor))
    return [p for p in Purpose if needs_answer(latest.get(p), texts[p])]


def answer(user, purpose: Purpose, given: bool, *, by=None,
           understanding_checked: bool = False, now=None) -> ConsentAnswer:
    """Record a yes or a no to the current text. A no takes back what the yes allowed."""
    now = now or utcnow()
    if by is not None and not understanding_checked:
        raise DomainError("understanding_not_checked")
    row = ConsentAnswer(user_id=user.id, purpose=purpose,
                        text_id=current_text(purpose, user.area_id).id,
                        given=given, answered_at=now,
                        channel="worker" if by else "self",
                        recorded_by_id=by.id if by else None,
                        understanding_checked=understanding_checked)
    db.session.add(row)
    db.session.flush()
    record(by or user, "consent.given" if given else "consent.withdrawn", subject=user,
           detail=purpose.value)
    if not given:  # even after a changed text: a no always takes back what a yes allowed
        take_back(user, purpose)
    return row


def take_back(user, purpose: Purpose) -> None:
    """What withdrawing means: names off attendance, dietary data gone, no more reminders."""
    if purpose is Purpose.ATTENDANCE:
        attendance.anonymise(Attendance.user_id == user.id)
    elif purpose is Purpose.DIETARY:
        db.session.execute(delete(DietaryNeeds).where(DietaryNeeds.user_id == user.id))
    elif purpose is Purpose.REMINDERS:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.user_id == user.id, OutboxMessage.template == "reminder",
                   OutboxMessage.status == MessageStatus.PENDING)
            .values(status=MessageStatus.CANCELLED)
            .execution_options(synchronize_session=False))


def publish(purpose: Purpose, actor, area_id: int | None, *, text_fi, text_sv, text_en,
            minor) -> ConsentText:
    """A new version of an area's text (None: the default that new areas start from).

    The old versions stay exactly as they were answered; only this area's young people are
    asked again. The audit event lands in the area it affects.
    """
    latest = current_text(purpose, area_id)
    if (latest.text_fi, latest.text_sv, latest.text_en) == (text_fi, text_sv, text_en):
        raise DomainError("text_unchanged")
    text = ConsentText(area_id=area_id, purpose=purpose, version=latest.version + 1,
                       minor=minor, text_fi=text_fi, text_sv=text_sv, text_en=text_en,
                       published_by_id=actor.id)
    db.session.add(text)
    db.session.flush()
    event = record(actor, "consent_text.published", obj=text, detail=purpose.value)
    event.area_id = area_id  # a new default is no area's event, whoever publishes it
    return text


def save_dietary(user, needs: list[str], other: str, *, now=None) -> DietaryNeeds:
    """A person's dietary needs, kept only while their dietary consent stands (callers check)."""
    now = now or utcnow()
    saved = db.session.get(DietaryNeeds, user.id) or DietaryNeeds(user_id=user.id)
    saved.needs = ",".join(needs)
    saved.other = other
    saved.updated_at = now
    db.session.add(saved)
    return saved


def dietary_totals(meeting) -> dict[str, int]:
    """What the confirmed, consenting people of a meeting need, as totals only."""
    rows = db.session.scalars(
        select(DietaryNeeds).join(Signup, Signup.user_id == DietaryNeeds.user_id)
        .where(Signup.meeting_id == meeting.id, Signup.status == SignupStatus.CONFIRMED,
               DietaryNeeds.user_id.in_(consenting(Purpose.DIETARY)))).all()
    totals: dict[str, int] = {}
    for row in rows:
        for code in filter(None, row.needs.split(",")):
            totals[code] = totals.get(code, 0) + 1
        if row.other:
            totals["other"] = totals.get("other", 0) + 1
    return totals
