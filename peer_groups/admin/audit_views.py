"""The audit trail of an area, for its admins: each event in plain words; filter by action,
by a person's name and by dates; page by page; the filtered rows as CSV."""

from flask import render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from peer_groups.admin import bp
from peer_groups.areas.models import Area
from peer_groups.audit.descriptions import describe
from peer_groups.audit.queries import area_events
from peer_groups.audit.services import record, record_views
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.permissions import require
from peer_groups.scope import AuditFilterForm
from peer_groups.spreadsheets import SPREADSHEET_CSV, Column, Table, download, spreadsheet_csv

PAGE = 100
LAST_PAGE = 10_000  # a page number beyond this is a typo: the last page is shown instead
EXPORTED = 5_000  # the newest rows a download holds; narrow the filters for older ones
COLUMNS = [Column("when", _l("When")), Column("what", _l("What happened")),
           Column("whose", _l("Whose data"))]


def filtered(area, limit, offset=0):
    """The rows the filters ask for, each (event, sentence, whose name, whether young)."""
    filters = AuditFilterForm(request.args)
    rows = area_events(area.id, action=(filters.valid("action") or "")[:64],
                       person=(filters.valid("person") or "").strip(),
                       start=filters.valid("first"), end=filters.valid("last"),
                       limit=limit, offset=offset)
    return filters, [(event, describe(event, actor, meeting_start),
                      subject or (event.subject_user_id and _("an erased account")),
                      role is Role.YOUTH)
                     for event, actor, subject, role, meeting_start in rows]


def note_the_reading(area, action, rows) -> None:
    """One event per young person shown, so each sees who looked; else one for the page."""
    young = sorted({event.subject_user_id for event, _s, _w, youth in rows if youth})
    if young:
        record_views(current_user, action, young, area_id=area.id)
    elif action == "audit.exported":
        record(current_user, action, area_id=area.id)


@bp.route("/areas/<int:area_id>/audit")
@login_required
def audit(area_id):
    """Who read or changed whose data, newest first; filters are plain GET parameters."""
    area = db.get_or_404(Area, area_id)
    require("admin.manage_area", area)
    page = min(max(request.args.get("page", 1, type=int), 1), LAST_PAGE)
    # One row more than a page tells whether a next page exists, without a count query.
    filters, rows = filtered(area, PAGE + 1, (page - 1) * PAGE)
    rows, more = rows[:PAGE], len(rows) > PAGE
    note_the_reading(area, "audit.viewed", rows)
    return render_template("admin/audit.html", area=area, rows=rows, filters=filters,
                           pages=page_links(area, page, more),
                           download=url_for("admin.audit_csv", area_id=area.id,
                                            **kept_filters()))


@bp.route("/areas/<int:area_id>/audit.csv")
@login_required
def audit_csv(area_id):
    """The filtered events as a CSV for a spreadsheet; the download is in the trail too."""
    area = db.get_or_404(Area, area_id)
    require("admin.manage_area", area)
    _filters, rows = filtered(area, EXPORTED)
    note_the_reading(area, "audit.exported", rows)
    table = Table(_("Audit log"), COLUMNS, [
        [format_datetime(event.occurred_at, "short"), sentence, whose or ""]
        for event, sentence, whose, _youth in rows])
    return download(spreadsheet_csv(table), f"audit-{area.id}.csv", SPREADSHEET_CSV)


def kept_filters() -> dict[str, str]:
    return {key: value for key, value in request.args.items() if value and key != "page"}


def page_links(area, page, more) -> dict[str, str]:
    """The previous and next pages' addresses, keeping the filters."""
    kept = kept_filters()

    def link(number):
        return url_for("admin.audit", area_id=area.id, **kept, page=number)

    return {**({"prev": link(page - 1)} if page > 1 else {}),
            **({"next": link(page + 1)} if more else {})}
