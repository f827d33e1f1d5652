"""A person's private calendar feed, and the page to turn it on, renew or turn it off."""

from datetime import timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from peer_groups.auth.forms import ConfirmForm
from peer_groups.calendar import bp, queries, services
from peer_groups.calendar.ics import meeting_calendar
from peer_groups.db import utcnow
from peer_groups.urls import external_url

FEED_HISTORY = timedelta(days=92)


@bp.route("/account/calendar", methods=["GET", "POST"])
@login_required
def settings():
    """Show the feed address; make a new one (the old stops working) or turn it off."""
    feed = queries.feed_of(current_user.id)
    form = ConfirmForm()
    if form.validate_on_submit():
        if request.form.get("action") == "off":
            services.turn_off_feed(current_user)
            flash(_("Your calendar link is turned off."), "success")
        else:
            services.renew_feed(current_user)
            flash(_("Your new calendar link is ready."), "success")
        return redirect(url_for("calendar.settings"))
    url = external_url("calendar.feed", token=feed.token) if feed else None
    return render_template("calendar/settings.html", url=url, subscribe=webcal(url), form=form)


def webcal(url: str | None) -> str | None:
    """The same address for "subscribe": phones open webcal:// links in their calendar app."""
    if url is None:
        return None
    return "webcal://" + url.split("://", 1)[1]


@bp.route("/calendar/<token>.ics")
def feed(token):
    """All meetings of the person's groups, for their calendar app (the link is the key)."""
    owner = queries.feed_owner(token)
    if owner is None:
        abort(404)
    meetings = queries.feed_meetings(owner, utcnow() - FEED_HISTORY)
    body = meeting_calendar(meetings, _("Peer groups"),
                            lambda m: external_url("meetings.show", meeting_id=m.id))
    return Response(body, mimetype="text/calendar")
