"""A person's private calendar feed, and the page to turn it on, renew or turn it off."""

import secrets
from datetime import timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import selectinload

from peer_groups.audit.services import record
from peer_groups.auth.forms import ConfirmForm
from peer_groups.auth.models import User
from peer_groups.calendar import bp
from peer_groups.calendar.ics import meeting_calendar
from peer_groups.calendar.models import CalendarFeed
from peer_groups.db import db, utcnow
from peer_groups.groups.models import Group, GroupFacilitator, GroupMember
from peer_groups.meetings.models import Meeting
from peer_groups.urls import external_url

FEED_HISTORY = timedelta(days=92)


@bp.route("/account/calendar", methods=["GET", "POST"])
@login_required
def settings():
    """Show the feed address; make a new one (the old stops working) or turn it off."""
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == current_user.id))
    form = ConfirmForm()
    if form.validate_on_submit():
        db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == current_user.id))
        if request.form.get("action") == "off":
            record(current_user, "calendar_feed.revoked", subject=current_user)
            flash(_("Your calendar link is turned off."), "success")
        else:
            db.session.add(CalendarFeed(user_id=current_user.id,
                                        token=secrets.token_urlsafe(24)))
            record(current_user, "calendar_feed.created", subject=current_user)
            flash(_("Your new calendar link is ready."), "success")
        db.session.commit()
        return redirect(url_for("calendar.settings"))
    url = external_url("calendar.feed", token=feed.token) if feed else None
    return render_template("calendar/settings.html", url=url, form=form)


@bp.route("/calendar/<token>.ics")
def feed(token):
    """All meetings of the person's groups, for their calendar app (the link is the key)."""
    owner = db.session.scalar(
        select(User).join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token == token, User.active))
    if owner is None:
        abort(404)
    mine = or_(
        Meeting.group_id.in_(select(GroupMember.group_id).where(GroupMember.user_id == owner.id)),
        Meeting.group_id.in_(
            select(GroupFacilitator.group_id).where(GroupFacilitator.user_id == owner.id)),
    )
    meetings = db.session.scalars(
        select(Meeting).join(Group, Group.id == Meeting.group_id)
        .where(mine, Group.archived_at.is_(None), Meeting.starts_at >= utcnow() - FEED_HISTORY)
        .options(selectinload(Meeting.group), selectinload(Meeting.plan_items))
        .order_by(Meeting.starts_at)
    ).all()
    body = meeting_calendar(meetings, _("Peer groups"),
                            lambda m: external_url("meetings.show", meeting_id=m.id))
    return Response(body, mimetype="text/calendar")
