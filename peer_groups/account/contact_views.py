"""A young person's own email and phone number, confirmed by a code, and how they are told.

Staff have none of these pages (404): their email is an admin's to change (admin/).
"""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from peer_groups import unit_of_work
from peer_groups.account import bp, services
from peer_groups.account.forms import ChannelForm, ContactCodeForm, EmailForm, PhoneForm
from peer_groups.account.messages import MESSAGES
from peer_groups.auth.forms import ConfirmForm
from peer_groups.auth.guards import ask_again_unless_recent
from peer_groups.auth.views import sign_in_limit
from peer_groups.domain.contacts import NotifyBy, readable_phone
from peer_groups.domain.errors import DomainError
from peer_groups.extensions import limiter
from peer_groups.notifications.channels import channel_for, how_told
from peer_groups.notifications.models import Channel
from peer_groups.permissions import can
from peer_groups.refusals import flash_error, message_for

KINDS = {"email": Channel.EMAIL, "phone": Channel.SMS}
FORMS = {"email": EmailForm, "phone": PhoneForm}


def me():
    """The signed-in young person; staff find nothing here."""
    if not can(current_user, "account.manage_contacts"):
        abort(404)
    return current_user._get_current_object()


def shown(kind: str, value: str | None) -> str | None:
    """The person's own address as they would write it (it is theirs: not masked here)."""
    return readable_phone(value) if kind == "phone" and value else value


def to_contact():
    return redirect(url_for("account.contact"))


@bp.route("/contact")
@login_required
def contact():
    """My email and phone, a code waiting, and how news and reminders reach me."""
    user = me()
    used = channel_for(user)  # what happens now, chosen or not
    form = ChannelForm(offered=services.channel_choices(user),
                       data={"notify_by": used.value if used else NotifyBy.APP.value})
    pending = {kind: services.pending_of(user, channel) for kind, channel in KINDS.items()}
    return render_template(
        "account/contact.html", form=form, pending=pending,
        shown={kind: shown(kind, services.current(user, channel))
               for kind, channel in KINDS.items()},
        pending_shown={kind: shown(kind, p.value) for kind, p in pending.items() if p})


@bp.route("/contact/<any(email, phone):kind>", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
@login_required
def change_contact(kind):
    """Type a new email or phone number; a code is sent there to confirm it."""
    user = me()
    if confirm := ask_again_unless_recent():
        return confirm
    form = FORMS[kind]()
    if form.validate_on_submit():
        try:
            services.start_change(user, KINDS[kind], form[kind].data)
        except DomainError as refused:
            unit_of_work.rollback()
            form[kind].errors.append(message_for(refused, MESSAGES))
        else:
            return redirect(url_for("account.confirm_contact", kind=kind))
    return render_template("account/change_contact.html", form=form, kind=kind)


@bp.route("/contact/<any(email, phone):kind>/code", methods=["GET", "POST"])
@limiter.limit(sign_in_limit, methods=["POST"])
@login_required
def confirm_contact(kind):
    """Type the code from the message: only then is the new address mine."""
    user = me()
    pending = services.pending_of(user, KINDS[kind])
    if pending is None:
        return to_contact()
    form = ContactCodeForm()
    if form.validate_on_submit():
        try:
            services.confirm(user, KINDS[kind], form.code.data)
        except DomainError as refused:
            unit_of_work.rollback()  # the wrong try itself is kept: see services.confirm
            form.code.errors.append(message_for(refused, MESSAGES))
        else:
            flash(_("Confirmed. It is now on your account."), "success")
            return to_contact()
    return render_template("account/confirm_contact.html", form=form, kind=kind,
                           shown=shown(kind, pending.value))


@bp.route("/contact/<any(email, phone):kind>/remove", methods=["GET", "POST"])
@login_required
def remove_contact(kind):
    """Take my email or phone off the account, after a confirmation."""
    user = me()
    if services.current(user, KINDS[kind]) is None:
        return to_contact()
    if confirm := ask_again_unless_recent():
        return confirm
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            services.remove(user, KINDS[kind])
        except DomainError as refused:
            unit_of_work.rollback()
            flash_error(refused, MESSAGES)
        else:
            flash(_("Removed. Nothing is sent there any more."), "success")
        return to_contact()
    return render_template("account/remove_contact.html", form=form, kind=kind,
                           shown=shown(kind, services.current(user, KINDS[kind])),
                           can_remove=services.can_remove(user, KINDS[kind]))


@bp.route("/contact/channel", methods=["POST"])
@login_required
def choose_channel():
    """Choose how news and reminders reach me: in the app, by email or by text message."""
    user = me()
    form = ChannelForm(offered=services.channel_choices(user))
    if form.validate_on_submit():
        services.choose_channel(user, NotifyBy(form.notify_by.data))
        flash(_("Saved. From now on we tell you %(how)s.", how=how_told(user)), "success")
    else:
        flash(str(MESSAGES["not_confirmed"]), "error")
    return to_contact()
