"""Reading a meeting for its page, in a fixed few queries."""

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, lazyload, selectinload

from peer_groups.db import db
from peer_groups.domain.signups import SignupStatus
from peer_groups.groups.models import Group, GroupMember
from peer_groups.meetings.models import Meeting, PlanItem
from peer_groups.signups.models import Signup


def meeting_page(meeting_id: int, *, with_accounts: bool):
    """(meeting, waiting-list length) or None: its group and the waiting list in one query,
    members (their accounts only `with_accounts`, for those who see names) and the plan with
    who takes care of each item in one more each."""
    waiting = (select(func.count(Signup.id))
               .where(Signup.meeting_id == Meeting.id, Signup.status == SignupStatus.WAITLISTED)
               .scalar_subquery())
    accounts = selectinload if with_accounts else lazyload
    return db.session.execute(
        select(Meeting, waiting).where(Meeting.id == meeting_id).options(
            joinedload(Meeting.group).selectinload(Group.members)
            .options(accounts(GroupMember.user)),
            selectinload(Meeting.plan_items).joinedload(PlanItem.responsible))).first()
