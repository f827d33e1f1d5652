"""Reading the register: the meeting with who may mark it, and each member's mark."""

from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload, lazyload

from peer_groups.attendance.models import Attendance
from peer_groups.auth.models import User
from peer_groups.consent import services as consent
from peer_groups.db import db
from peer_groups.domain.consent import Purpose
from peer_groups.domain.signups import SignupStatus
from peer_groups.groups.models import Group, GroupFacilitator, GroupMember
from peer_groups.meetings.models import Meeting
from peer_groups.signups.models import Signup


def register_meeting(meeting_id: int) -> Meeting | None:
    """The meeting and its group with the facilitators' ids (for the permission check), in
    two queries; the register reads the members itself."""
    return db.session.scalars(select(Meeting).where(Meeting.id == meeting_id).options(
        joinedload(Meeting.group).selectinload(Group.facilitators)
        .options(lazyload(GroupFacilitator.user)))).first()


def register_rows(meeting):
    """Everyone expected (confirmed) first, then other members who may walk in: each member
    with whether they may be named and their mark, in one query."""
    confirmed = select(Signup.id).where(
        Signup.meeting_id == meeting.id, Signup.user_id == User.id,
        Signup.status == SignupStatus.CONFIRMED).exists()
    allowed = consent.stands(Purpose.ATTENDANCE, User.id)
    found = db.session.execute(
        select(User, confirmed, allowed, Attendance.present)
        .join(GroupMember, GroupMember.user_id == User.id)
        .outerjoin(Attendance, and_(Attendance.meeting_id == meeting.id,
                                    Attendance.user_id == User.id))
        .where(GroupMember.group_id == meeting.group_id)).all()
    found.sort(key=lambda row: row[0].display_name)
    return ([(u, may, mark) for u, expected, may, mark in found if expected],
            [(u, may, mark) for u, expected, may, mark in found if not expected])
