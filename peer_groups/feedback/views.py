"""A young person answers "how was it?"; the group's workers read the answers together."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from peer_groups.auth.forms import ConfirmForm
from peer_groups.domain.errors import DomainError
from peer_groups.feedback import bp, services
from peer_groups.feedback.forms import FACES, SCALE, FeedbackForm
from peer_groups.feedback.messages import MESSAGES
from peer_groups.meetings.loading import meeting_or_404
from peer_groups.refusals import flash_error


@bp.route("/meetings/<int:meeting_id>/feedback", methods=["GET", "POST"])
@login_required
def give(meeting_id):
    """Ten seconds: how it was, would I come again, one line for next time. Once."""
    meeting = meeting_or_404(meeting_id, "feedback.give")
    if services.has_answered(current_user, meeting):
        return render_template("feedback/thanks.html", meeting=meeting)
    if not services.may_answer(current_user, meeting):
        # An old notice, a meeting not held yet, or no place at it: say so kindly.
        return render_template("feedback/closed.html", meeting=meeting)
    form = FeedbackForm()
    if form.validate_on_submit():
        try:
            services.answer(current_user, meeting, rating=form.rating.data,
                            again=form.again.data, next_time=form.next_time.data)
        except DomainError as refused:
            flash_error(refused, MESSAGES)
        return redirect(url_for("feedback.give", meeting_id=meeting.id))
    return render_template("feedback/give.html", meeting=meeting, form=form, faces=FACES,
                           dismiss_form=ConfirmForm())


@bp.route("/meetings/<int:meeting_id>/feedback/dismiss", methods=["POST"])
@login_required
def dismiss(meeting_id):
    """Not now: the ask leaves my home page (the meeting's page still has it)."""
    meeting = meeting_or_404(meeting_id, "feedback.give")
    if ConfirmForm().validate_on_submit():
        services.dismiss(current_user, meeting)
        flash(_("Okay. You can still answer on the meeting's page."), "success")
    return redirect(url_for("main.home"))


@bp.route("/meetings/<int:meeting_id>/feedback/results")
@login_required
def results(meeting_id):
    """The meeting's answers as counts and "next time" lines, once enough people answered."""
    meeting = meeting_or_404(meeting_id, "feedback.read")
    return render_template("feedback/results.html", meeting=meeting,
                           summary=services.summary(meeting), scale=SCALE, faces=FACES,
                           lines=services.next_time_lines(meeting), form=ConfirmForm(),
                           ideas=services.ideas_already(meeting),
                           threshold=services.threshold())


@bp.route("/meetings/<int:meeting_id>/feedback/ideas/<uuid:answer_id>", methods=["POST"])
@login_required
def make_idea(meeting_id, answer_id):
    """One tap: a "next time" line goes on the group's list of ideas."""
    meeting = meeting_or_404(meeting_id, "feedback.read")
    if ConfirmForm().validate_on_submit():
        try:
            services.make_idea(meeting, answer_id, current_user)
            flash(_("Added to the group's ideas."), "success")
        except DomainError as refused:
            flash_error(refused, MESSAGES)
    return redirect(url_for("feedback.results", meeting_id=meeting.id))
