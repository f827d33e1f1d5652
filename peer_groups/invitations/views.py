"""Invitation links and QR codes for workers; joining a group from a phone for young people."""

import io

import segno
from flask import Response, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_required
from sqlalchemy import select

from peer_groups import unit_of_work
from peer_groups.auth import sessions
from peer_groups.auth.forms import ConfirmForm
from peer_groups.db import db, utcnow
from peer_groups.domain.errors import DomainError
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import HELSINKI
from peer_groups.extensions import limiter
from peer_groups.groups.loading import group_or_404
from peer_groups.invitations import bp, services
from peer_groups.invitations.forms import FinishJoinForm, InvitationForm, JoinForm
from peer_groups.invitations.messages import MESSAGES
from peer_groups.invitations.models import Invitation
from peer_groups.permissions import require
from peer_groups.refusals import message_for
from peer_groups.urls import external_url


def join_url(invitation):
    return external_url("invitations.join", token=invitation.token)


@bp.route("/groups/<int:group_id>/invitations", methods=["GET", "POST"])
@login_required
def manage(group_id):
    """Make an invitation link and QR code; see and turn off the ones still valid."""
    group = group_or_404(group_id, "group.manage")
    form = InvitationForm()
    if form.validate_on_submit():
        services.create(group, current_user, max_uses=form.max_uses.data,
                        days_valid=form.days_valid.data)
        flash(_("The invitation is ready."), "success")
        return redirect(url_for("invitations.manage", group_id=group.id))
    live = db.session.scalars(
        select(Invitation).where(Invitation.group_id == group.id,
                                 Invitation.revoked_at.is_(None),
                                 Invitation.expires_at > utcnow(),
                                 Invitation.uses < Invitation.max_uses)
        .order_by(Invitation.created_at.desc())).all()
    return render_template("invitations/manage.html", group=group, form=form,
                           invitations=[(i, join_url(i)) for i in live],
                           revoke_form=ConfirmForm())


def invitation_or_404(invitation_id) -> Invitation:
    invitation = db.get_or_404(Invitation, invitation_id)
    require("group.manage", invitation.group)
    return invitation


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
@login_required
def revoke(invitation_id):
    """Turn an invitation off at once."""
    invitation = invitation_or_404(invitation_id)
    if ConfirmForm().validate_on_submit():
        services.revoke(invitation, current_user)
        flash(_("The invitation is turned off."), "success")
    return redirect(url_for("invitations.manage", group_id=invitation.group_id))


@bp.route("/invitations/<int:invitation_id>/qr.svg")
@login_required
def qr(invitation_id):
    """The invitation as a QR code to show on a screen or print."""
    invitation = invitation_or_404(invitation_id)
    buffer = io.BytesIO()
    segno.make(join_url(invitation), error="m").save(
        buffer, kind="svg", scale=6, border=2, title=invitation.group.name)
    return Response(buffer.getvalue(), mimetype="image/svg+xml")


@bp.route("/join/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: "30 per minute", methods=["POST"])
def join(token):
    """Open an invitation: join the group, with a new account if needed, in under a minute."""
    try:
        invitation = services.check(token)
    except DomainError as refused:
        unit_of_work.rollback()
        return not_valid(refused)
    if current_user.is_authenticated:
        return join_as_member(invitation)
    form = JoinForm(upper_age=invitation.group.area.youth_upper_age,
                    this_year=utcnow().astimezone(HELSINKI).year)
    if form.validate_on_submit():
        if not form.contact.data:
            return register_without_contact(invitation, form)
        services.start_join(
            invitation, display_name=form.display_name.data, language=form.language.data,
            birth_year=int(form.birth_year.data), contact=form.contact.data,
            password=form.password.data if form.method.data == "password" else None,
            link_for_finish=lambda link: external_url("invitations.finish", token=link),
            link_for_sign_in=lambda link: external_url("auth.use_link", token=link))
        speak(form.language.data)
        return render_template("invitations/check_messages.html", invitation=invitation)
    return render_template("invitations/join.html", invitation=invitation, form=form)


def speak(language):
    """Answer in the language the person chose on the form, before they have an account."""
    session["lang"] = language
    refresh()


def not_valid(refused, status=410):
    return render_template("invitations/not_valid.html",
                           message=message_for(refused, MESSAGES)), status


def register_without_contact(invitation, form):
    try:
        user = services.register_without_contact(
            invitation, display_name=form.display_name.data, language=form.language.data,
            birth_year=int(form.birth_year.data), password=form.password.data)
    except DomainError as refused:
        unit_of_work.rollback()
        return not_valid(refused)
    sessions.sign_in(user, remember=form.remember.data, how="invitation")
    flash(_("Welcome to %(group)s!", group=invitation.group.name), "success")
    flash(_("Your username is %(username)s. Write it down: you sign in with it and your "
            "password.", username=user.username), "success")
    return redirect(url_for("main.home"))


@bp.route("/join/finish/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: "30 per minute", methods=["POST"])
def finish(token):
    """Opening the link shows a button; pressing it makes the account (scanners only GET)."""
    pending = services.peek_pending(token)
    if pending is None:
        return not_valid(DomainError("link_expired"))
    group = pending.invitation.group
    speak(pending.language)
    form = FinishJoinForm()
    if form.validate_on_submit():
        try:
            user = services.finish_join(token)
        except DomainError as refused:
            unit_of_work.rollback()
            return not_valid(refused)
        sessions.sign_in(user, remember=form.remember.data, how="invitation")
        flash(_("Welcome to %(group)s!", group=group.name), "success")
        return redirect(url_for("main.home"))
    return render_template("invitations/finish.html", group=group, form=form)


def join_as_member(invitation):
    form = ConfirmForm()
    if current_user.role is not Role.YOUTH or current_user.area_id != invitation.group.area_id:
        return render_template("invitations/not_valid.html",
                               message=str(MESSAGES["wrong_person"])), 403
    if form.validate_on_submit():
        try:
            joined = services.join(current_user, invitation)
        except DomainError as refused:
            unit_of_work.rollback()
            return not_valid(refused)
        flash(_("You joined %(group)s!", group=invitation.group.name) if joined else
              _("You are already in %(group)s.", group=invitation.group.name), "success")
        return redirect(url_for("groups.show", group_id=invitation.group_id))
    return render_template("invitations/join_existing.html", invitation=invitation, form=form)
