"""Every feature's models, imported in one place for Alembic and the app."""

from peer_groups.account.models import PendingContact
from peer_groups.areas.models import Area, Team
from peer_groups.attendance.models import Attendance, RegisterTap
from peer_groups.audit.models import AuditEvent
from peer_groups.auth.models import AuthSession, OneTimeToken, RecoveryCode, TokenPurpose, User
from peer_groups.calendar.models import CalendarFeed
from peer_groups.consent.models import ConsentAnswer, ConsentText, DietaryNeeds
from peer_groups.feedback.models import FeedbackAnswer, FeedbackDismissed, FeedbackGiven
from peer_groups.groups.models import Group, GroupFacilitator, GroupMember
from peer_groups.invitations.models import Invitation, PendingJoin
from peer_groups.meetings.models import Meeting, MeetingStatus, PlanItem, PlanKind
from peer_groups.notices.models import Notice
from peer_groups.notifications.models import Channel, MessageStatus, OutboxMessage
from peer_groups.passkeys.models import Passkey, PasskeyChallenge
from peer_groups.signups.models import ReminderLog, Signup
from peer_groups.sso.models import SsoProvider, SsoSession
from peer_groups.suggestions.models import (
    Suggestion,
    SuggestionKind,
    SuggestionStatus,
    SuggestionVote,
)
from peer_groups.workload.models import ReducedMonth, StaffAssignment, TimeLog

__all__ = [
    "Area",
    "Attendance",
    "RegisterTap",
    "CalendarFeed",
    "AuditEvent",
    "AuthSession",
    "Channel",
    "ConsentAnswer",
    "ConsentText",
    "DietaryNeeds",
    "FeedbackAnswer",
    "FeedbackDismissed",
    "FeedbackGiven",
    "Group",
    "GroupFacilitator",
    "GroupMember",
    "Invitation",
    "Passkey",
    "PasskeyChallenge",
    "PendingContact",
    "PendingJoin",
    "Meeting",
    "MeetingStatus",
    "MessageStatus",
    "Notice",
    "OneTimeToken",
    "OutboxMessage",
    "PlanItem",
    "PlanKind",
    "RecoveryCode",
    "ReducedMonth",
    "StaffAssignment",
    "TimeLog",
    "ReminderLog",
    "Signup",
    "SsoProvider",
    "SsoSession",
    "Suggestion",
    "SuggestionKind",
    "SuggestionStatus",
    "SuggestionVote",
    "Team",
    "TokenPurpose",
    "User",
]
