"""Load a meeting for a view: 404 when it does not exist, 403 when it is not for this user."""

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from peer_groups.db import db
from peer_groups.meetings.models import Meeting
from peer_groups.permissions import require


def meeting_or_404(meeting_id: int, action: str = "group.view") -> Meeting:
    """The meeting with its group, in one query."""
    meeting = db.session.scalars(select(Meeting).where(Meeting.id == meeting_id)
                                 .options(joinedload(Meeting.group, innerjoin=True))).first()
    if meeting is None:
        abort(404)
    require(action, meeting.group)
    return meeting
