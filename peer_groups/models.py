"""Every feature's models, imported in one place for Alembic and the app."""

from peer_groups.areas.models import Area, Team
from peer_groups.audit.models import AuditEvent
from peer_groups.auth.models import AuthSession, OneTimeToken, TokenPurpose, User
from peer_groups.groups.models import (
    CalendarFeed,
    Group,
    GroupFacilitator,
    GroupMember,
    Meeting,
    MeetingStatus,
    PlanItem,
    PlanKind,
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
    SuggestionVote,
)
from peer_groups.notifications.models import Channel, MessageStatus, OutboxMessage

__all__ = [
    "Area",
    "CalendarFeed",
    "AuditEvent",
    "AuthSession",
    "Channel",
    "Group",
    "GroupFacilitator",
    "GroupMember",
    "Meeting",
    "MeetingStatus",
    "MessageStatus",
    "OneTimeToken",
    "OutboxMessage",
    "PlanItem",
    "PlanKind",
    "Suggestion",
    "SuggestionKind",
    "SuggestionStatus",
    "SuggestionVote",
    "Team",
    "TokenPurpose",
    "User",
]
