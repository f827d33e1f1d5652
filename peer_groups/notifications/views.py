"""The development outbox: read the messages the app would send. Never in production."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import ngettext
from sqlalchemy import select

from peer_groups.auth import link_requests
from peer_groups.auth.forms import ConfirmForm
from peer_groups.db import db
from peer_groups.notifications import bp
from peer_groups.notifications.backends import delivered_copy
from peer_groups.notifications.models import OutboxMessage
from peer_groups.notifications.services import deliver_pending


@bp.route("/")
def outbox():
    """The newest messages, with their links clickable, so the demo works offline."""
    messages = db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(50)
    ).all()
    # A sent message's text is gone from the database; the file backend kept the delivered copy.
    copies = {m.id: delivered_copy(m, current_app.config) for m in messages if not m.body}
    return render_template("notifications/outbox.html", messages=messages, copies=copies,
                           form=ConfirmForm(), link_requests=link_requests.waiting_count())


@bp.route("/send", methods=["POST"])
def send_now():
    """Deliver what waits, as `flask outbox send` would."""
    if ConfirmForm().validate_on_submit():
        counts = deliver_pending()
        flash(ngettext("%(num)s message sent.", "%(num)s messages sent.", counts["sent"]),
              "success")
    return redirect(url_for("notifications.outbox"))


def init_app(app):
    """Only outside production: the page shows everyone's messages."""
    if app.config["APP_ENV"] == "production":
        return
    app.register_blueprint(bp)
    if app.config["OUTBOX_DELIVER_AFTER_REQUEST"]:

        @app.after_request
        def deliver_after_request(response):
            deliver_pending(limit=20)
            return response
