"""The audit trail of an area, for its admins: filter by action, person and dates."""

from flask import render_template, request
from flask_login import current_user, login_required

from peer_groups.admin import bp
from peer_groups.areas.models import Area
from peer_groups.audit.queries import area_events
from peer_groups.audit.services import record_views
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.permissions import require
from peer_groups.scope import AuditFilterForm

PAGE = 100


@bp.route("/areas/<int:area_id>/audit")
@login_required
def audit(area_id):
    """Who read or changed whose data, newest first; filters are plain GET parameters."""
    area = db.get_or_404(Area, area_id)
    require("admin.manage_area", area)
    filters = AuditFilterForm(request.args)
    action = (filters.valid("action") or "")[:64]
    rows = area_events(area.id, action=action, person=filters.valid("person"),
                       start=filters.valid("first"), end=filters.valid("last"), limit=PAGE)
    named = {e.subject_user_id for e, _, _, role in rows if role is Role.YOUTH}
    record_views(current_user, "audit.viewed", sorted(named), area_id=area.id)
    rows = [(event, actor_name, subject_name) for event, actor_name, subject_name, _ in rows]
    return render_template("admin/audit.html", area=area, rows=rows, filters=filters)
