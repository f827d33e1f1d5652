"""My notices: every message the service sent me, read here in the app."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required

from peer_groups.auth.forms import ConfirmForm
from peer_groups.notices import bp, queries, services
from peer_groups.permissions import can

PAGE = 20
# Far past anybody's notices (180 days of them); keeps the offset a sane number.
LAST_PAGE = 1000


@bp.app_template_global("unread_notices")
def unread_notices() -> int:
    """The menu's badge: how many of the signed-in person's notices are unread."""
    return queries.unread_count(current_user.id)


def youth_only() -> None:
    """Staff have no notices (their messages are email): nothing to find."""
    if not can(current_user, "notices.read"):
        abort(404)


@bp.route("/")
@login_required
def index():
    """My notices, newest first; those on the page count as read once I have seen them."""
    youth_only()
    page = min(max(request.args.get("page", 1, type=int), 1), LAST_PAGE)
    notices = queries.newest_first(current_user.id, limit=PAGE + 1, offset=(page - 1) * PAGE)
    notices, more = notices[:PAGE], len(notices) > PAGE
    unread = {notice.id for notice in notices if notice.read_at is None}
    services.mark_read(current_user.id, unread)
    current_user.unread_notices = None  # the session's count is old now: the menu counts again
    return render_template("notices/index.html", notices=notices, unread=unread,
                           form=ConfirmForm(), pages=page_links(page, more))


def page_links(page: int, more: bool) -> dict[str, str]:
    return {**({"prev": url_for("notices.index", page=page - 1)} if page > 1 else {}),
            **({"next": url_for("notices.index", page=page + 1)} if more else {})}


@bp.route("/<int:notice_id>")
@login_required
def show(notice_id):
    """One notice, with a link to its meeting; read now. Nobody else's: those are not found."""
    youth_only()
    notice = queries.notice_of(current_user.id, notice_id)
    if notice is None:
        abort(404)
    was_unread = notice.read_at is None
    services.mark_read(current_user.id, {notice.id})
    current_user.unread_notices = None  # the session's count is old now: the menu counts again
    return render_template("notices/show.html", notice=notice, was_unread=was_unread)


@bp.route("/read", methods=["POST"])
@login_required
def read_all():
    """Mark all my notices read."""
    youth_only()
    if ConfirmForm().validate_on_submit():
        marked = services.mark_all_read(current_user.id)
        flash(ngettext("%(num)s notice marked read.", "%(num)s notices marked read.", marked),
              "success")
    return redirect(url_for("notices.index"))
