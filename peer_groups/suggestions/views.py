"""Ideas from young people: suggest and vote on the phone; facilitators adopt or reply."""

from flask import flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from peer_groups import unit_of_work
from peer_groups.auth.forms import ConfirmForm
from peer_groups.db import db
from peer_groups.domain.errors import DomainError
from peer_groups.groups import queries
from peer_groups.groups.loading import group_or_404
from peer_groups.permissions import can, require
from peer_groups.refusals import flash_error
from peer_groups.suggestions import bp, services
from peer_groups.suggestions.forms import AdoptForm, CloseForm, SuggestionForm
from peer_groups.suggestions.messages import MESSAGES
from peer_groups.suggestions.models import Suggestion


def suggestion_or_404(suggestion_id, action="group.view") -> Suggestion:
    suggestion = db.get_or_404(Suggestion, suggestion_id)
    require(action, suggestion.group)
    return suggestion


def adopt_form(group) -> AdoptForm:
    form = AdoptForm()
    form.meeting_id.choices = [SelectChoice(m.id, format_date(m.starts_at, "long"))
                               for m in queries.upcoming_group_meetings(group)]
    return form


def back_to(group):
    return redirect(url_for("suggestions.index", group_id=group.id))


@bp.route("/groups/<int:group_id>/ideas", methods=["GET", "POST"])
@login_required
def index(group_id):
    """The group's ideas, most votes first, and a form to suggest one."""
    group = group_or_404(group_id)
    form = SuggestionForm()
    if form.validate_on_submit():
        require("suggestion.make", group)
        services.suggest(group, current_user, kind=form.kind.data, title=form.title.data,
                         details=form.details.data)
        flash(_("Thanks! Your idea is on the list. Others can vote for it now."), "success")
        return back_to(group)
    return render_template(
        "suggestions/index.html", group=group, form=form,
        ideas=services.ranked(group, current_user), adopt=adopt_form(group),
        can_suggest=can(current_user, "suggestion.make", group),
        can_decide=can(current_user, "plan.edit", group))


@bp.route("/ideas/<int:suggestion_id>/vote", methods=["POST"])
@login_required
def vote(suggestion_id):
    """Vote for an idea, or take the vote back."""
    suggestion = suggestion_or_404(suggestion_id, "suggestion.make")
    if ConfirmForm().validate_on_submit():
        try:
            if services.has_voted(suggestion, current_user):
                services.take_back_vote(suggestion, current_user)
            else:
                services.vote(suggestion, current_user)
        except DomainError as refused:
            flash_error(refused, MESSAGES)
    return back_to(suggestion.group)


@bp.route("/ideas/<int:suggestion_id>/adopt", methods=["POST"])
@login_required
def adopt(suggestion_id):
    """Turn the idea into a plan item of the chosen meeting."""
    suggestion = suggestion_or_404(suggestion_id, "plan.edit")
    form = adopt_form(suggestion.group)
    if not form.validate_on_submit():
        flash(_("Choose a meeting."), "error")
        return back_to(suggestion.group)
    meeting = next(m for m in queries.upcoming_group_meetings(suggestion.group)
                   if m.id == form.meeting_id.data)
    try:
        services.adopt(suggestion, meeting, current_user)
    except DomainError as refused:
        unit_of_work.rollback()
        flash_error(refused, MESSAGES)
        return back_to(suggestion.group)
    flash(_("The idea is on the plan."), "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#plan")


@bp.route("/ideas/<int:suggestion_id>/close", methods=["GET", "POST"])
@login_required
def close(suggestion_id):
    """Close an idea with a kind reply."""
    suggestion = suggestion_or_404(suggestion_id, "plan.edit")
    form = CloseForm()
    if form.validate_on_submit():
        try:
            services.close(suggestion, current_user, form.reply.data)
        except DomainError as refused:
            unit_of_work.rollback()
            flash_error(refused, MESSAGES)
            return back_to(suggestion.group)
        flash(_("Your reply is saved."), "success")
        return back_to(suggestion.group)
    return render_template("suggestions/close.html", form=form, suggestion=suggestion)
