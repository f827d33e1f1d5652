"""Young people's ideas: suggest, vote (once, and take it back), adopt into a plan, or close."""

from sqlalchemy import delete, func, select

from peer_groups.audit.services import record
from peer_groups.db import db, utcnow
from peer_groups.domain.errors import DomainError
from peer_groups.meetings import plans
from peer_groups.meetings.models import Meeting, PlanKind
from peer_groups.suggestions.models import (
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
    SuggestionVote,
)


def suggest(group, author, *, kind, title, details="") -> Suggestion:
    suggestion = Suggestion(group_id=group.id, author_id=author.id, kind=SuggestionKind(kind),
                            title=title.strip(), details=(details or "").strip())
    db.session.add(suggestion)
    db.session.flush()
    db.session.add(SuggestionVote(suggestion_id=suggestion.id, user_id=author.id))
    return suggestion


def has_voted(suggestion, user) -> bool:
    return db.session.get(SuggestionVote, (suggestion.id, user.id)) is not None


def vote(suggestion, user) -> None:
    """One vote each: voting again changes nothing."""
    if suggestion.status is not SuggestionStatus.OPEN:
        raise DomainError("voting_closed")
    if not has_voted(suggestion, user):
        db.session.add(SuggestionVote(suggestion_id=suggestion.id, user_id=user.id))


def take_back_vote(suggestion, user) -> None:
    """Votes on decided ideas stay as they were when the idea was decided."""
    if suggestion.status is not SuggestionStatus.OPEN:
        raise DomainError("voting_closed")
    db.session.execute(delete(SuggestionVote).where(
        SuggestionVote.suggestion_id == suggestion.id, SuggestionVote.user_id == user.id))


def adopt(suggestion, meeting: Meeting, actor, *, now=None):
    """Put the idea on a meeting's plan with one action."""
    if suggestion.status is not SuggestionStatus.OPEN:
        raise DomainError("already_decided")
    if meeting.group_id != suggestion.group_id:
        raise DomainError("other_group")
    kind = PlanKind.SNACK if suggestion.kind is SuggestionKind.SNACK else PlanKind.ACTIVITY
    item = plans.add_item(meeting, actor, kind=kind, title=suggestion.title,
                          details=suggestion.details, suggestion_id=suggestion.id)
    _decide(suggestion, actor, SuggestionStatus.ADOPTED, None, now=now)
    return item


def close(suggestion, actor, reply: str, *, now=None) -> None:
    """Close an idea with a kind reply that its author sees."""
    if suggestion.status is not SuggestionStatus.OPEN:
        raise DomainError("already_decided")
    _decide(suggestion, actor, SuggestionStatus.CLOSED, reply.strip(), now=now)


def _decide(suggestion, actor, status, reply, *, now=None):
    now = now or utcnow()
    suggestion.status = status
    suggestion.reply = reply
    suggestion.decided_by_id = actor.id
    suggestion.decided_at = now
    record(actor, f"suggestion.{status.value}", obj=suggestion,
           area_id=suggestion.group.area_id)


def ranked(group, viewer) -> list[tuple[Suggestion, int, bool]]:
    """The group's ideas, open ones first by votes, each with its count and the viewer's vote."""
    votes = (select(SuggestionVote.suggestion_id, func.count().label("votes"))
             .group_by(SuggestionVote.suggestion_id).subquery())
    mine = select(SuggestionVote.suggestion_id).where(SuggestionVote.user_id == viewer.id)
    rows = db.session.execute(
        select(Suggestion, func.coalesce(votes.c.votes, 0), Suggestion.id.in_(mine))
        .outerjoin(votes, votes.c.suggestion_id == Suggestion.id)
        .where(Suggestion.group_id == group.id)
        .order_by((Suggestion.status != SuggestionStatus.OPEN),
                  func.coalesce(votes.c.votes, 0).desc(), Suggestion.created_at)
    ).all()
    return [(s, count, bool(voted)) for s, count, voted in rows]
