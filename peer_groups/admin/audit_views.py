"""The audit trail of an area, for its admins: filter by action, person and dates, page by page."""

from flask import render_template, request, url_for
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
    page = max(request.args.get("page", 1, type=int), 1)
    # One row more than a page tells whether a next page exists, without a count query.
    rows = area_events(area.id, action=action, person=filters.valid("person"),
                       start=filters.valid("first"), end=filters.valid("last"),
                       limit=PAGE + 1, offset=(page - 1) * PAGE)
    rows, more = rows[:PAGE], len(rows) > PAGE
    named = {e.subject_user_id for e, _, _, role in rows if role is Role.YOUTH}
    record_views(current_user, "audit.viewed", sorted(named), area_id=area.id)
    rows = [(event, actor_name, subject_name) for event, actor_name, subject_name, _ in rows]
    return render_template("admin/audit.html", area=area, rows=rows, filters=filters,
                           pages=page_links(area, page, more))


def page_links(area, page, more) -> dict[str, str]:
    """The previous and next pages' addresses, keeping the filters."""
    kept = {key: value for key, value in request.args.items() if value and key != "page"}

    def link(number):
        return url_for("admin.audit", area_id=area.id, **kept, page=number)

    return {**({"prev": link(page - 1)} if page > 1 else {}),
            **({"next": link(page + 1)} if more else {})}
