"""The audit trail of an area, for its admins: filter by action, person and dates."""

from datetime import datetime, time, timedelta

from flask import render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import aliased

from peer_groups.admin import bp
from peer_groups.areas.models import Area
from peer_groups.audit.models import AuditEvent
from peer_groups.audit.services import record_views
from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import HELSINKI
from peer_groups.permissions import require

PAGE = 100


def day_of(value: str | None):
    try:
        return datetime.strptime(value or "", "%Y-%m-%d").date()
    except ValueError:
        return None


@bp.route("/areas/<int:area_id>/audit")
@login_required
def audit(area_id):
    """Who read or changed whose data, newest first; filters are plain GET parameters."""
    area = db.get_or_404(Area, area_id)
    require("admin.manage_area", area)
    actor, subject = aliased(User), aliased(User)
    query = (select(AuditEvent, actor.display_name, subject.display_name, subject.role)
             .outerjoin(actor, actor.id == AuditEvent.actor_id)
             .outerjoin(subject, subject.id == AuditEvent.subject_user_id)
             .where(AuditEvent.area_id == area.id))
    action = (request.args.get("action") or "").strip()[:64]
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    person = request.args.get("person", type=int)
    if person:
        query = query.where((AuditEvent.subject_user_id == person)
                            | (AuditEvent.actor_id == person))
    start, end = day_of(request.args.get("from")), day_of(request.args.get("to"))
    if start:
        query = query.where(AuditEvent.occurred_at >= datetime.combine(start, time(), HELSINKI))
    if end:
        query = query.where(AuditEvent.occurred_at <
                            datetime.combine(end + timedelta(days=1), time(), HELSINKI))
    page = max(request.args.get("page", 1, type=int), 1)
    # One row more than a page tells whether a next page exists, without a count query.
    rows = db.session.execute(query.order_by(AuditEvent.id.desc())
                              .offset((page - 1) * PAGE).limit(PAGE + 1)).all()
    rows, more = rows[:PAGE], len(rows) > PAGE
    named = {e.subject_user_id for e, _, _, role in rows if role is Role.YOUTH}
    record_views(current_user, "audit.viewed", sorted(named), area_id=area.id)
    db.session.commit()
    rows = [(event, actor_name, subject_name) for event, actor_name, subject_name, _ in rows]
    filters = {"action": action, "person": person, "from": start, "to": end}
    return render_template("admin/audit.html", area=area, rows=rows, action=action,
                           person=person or "", start=start, end=end,
                           pages=page_links(area, filters, page, more))


def page_links(area, filters, page, more) -> dict[str, str]:
    """The previous and next pages' addresses, keeping the filters."""
    kept = {key: value for key, value in filters.items() if value}

    def link(number):
        return url_for("admin.audit", area_id=area.id, **kept, page=number)

    return {**({"prev": link(page - 1)} if page > 1 else {}),
            **({"next": link(page + 1)} if more else {})}
