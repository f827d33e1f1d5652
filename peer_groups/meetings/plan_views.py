"""Editing a meeting's plan: each change is a small form post from the meeting page."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from wtforms import SelectChoice

from peer_groups.audit.services import record_views
from peer_groups.auth.forms import ConfirmForm
from peer_groups.db import db
from peer_groups.groups import queries
from peer_groups.meetings import bp, plans
from peer_groups.meetings.forms import PLAN_KIND_LABELS, CopyPlanForm, PlanItemForm
from peer_groups.meetings.loading import meeting_or_404
from peer_groups.meetings.models import PlanItem
from peer_groups.meetings.views import A_YOUNG_PERSON, hides_responsible, responsible_people
from peer_groups.permissions import can


def back_to(meeting):
    return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#plan")


def item_or_404(meeting, item_id) -> PlanItem:
    item = db.get_or_404(PlanItem, item_id)
    if item.meeting_id != meeting.id:
        abort(404)
    return item


def render_item_form(form, meeting, item):
    """The item's form, after logging the young people its "who takes care of it" names.

    Experience experts' picker names no young person, so their look is not logged.
    """
    if can(current_user, "group.see_names", meeting.group):
        record_views(current_user, "plan_item_form.viewed",
                     [m.user_id for m in meeting.group.members], obj=meeting,
                     area_id=meeting.group.area_id)
    return render_template("meetings/plan_item.html", form=form, meeting=meeting, item=item)


def item_fields(form, item=None) -> dict:
    fields = {name: getattr(form, name).data for name in (*plans.ITEM_FIELDS, "cost_euros")}
    if item is not None and fields["responsible_id"] == A_YOUNG_PERSON:
        fields["responsible_id"] = item.responsible_id  # kept, though the expert cannot see who
    return fields


@bp.route("/<int:meeting_id>/plan", methods=["POST"])
@login_required
def add_plan_item(meeting_id):
    """Add an item to the plan."""
    meeting = meeting_or_404(meeting_id, "plan.edit")
    form = PlanItemForm(people=responsible_people(meeting))
    if form.validate_on_submit():
        plans.add_item(meeting, current_user, **item_fields(form))
        flash(_("Added to the plan."), "success")
        return back_to(meeting)
    return render_item_form(form, meeting, None)


@bp.route("/<int:meeting_id>/plan/<int:item_id>", methods=["GET", "POST"])
@login_required
def edit_plan_item(meeting_id, item_id):
    """Change a plan item."""
    meeting = meeting_or_404(meeting_id, "plan.edit")
    item = item_or_404(meeting, item_id)
    form = PlanItemForm(obj=item, people=responsible_people(meeting, item))
    if request.method == "GET":
        form.responsible_id.data = (A_YOUNG_PERSON if hides_responsible(item)
                                    else item.responsible_id or 0)
        form.kind.data = item.kind.value
        form.cost_euros.data = None if item.cost_cents is None else item.cost_cents / 100
    if form.validate_on_submit():
        plans.update_item(item, current_user, **item_fields(form, item))
        flash(_("Saved."), "success")
        return back_to(meeting)
    return render_item_form(form, meeting, item)


@bp.route("/<int:meeting_id>/plan/<int:item_id>/remove", methods=["GET", "POST"])
@login_required
def remove_plan_item(meeting_id, item_id):
    """Take an item off the plan, after asking (a page of its own, so no script is needed)."""
    meeting = meeting_or_404(meeting_id, "plan.edit")
    item = item_or_404(meeting, item_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return render_template("meetings/remove_plan_item.html", meeting=meeting, item=item,
                               form=form, kind_labels=PLAN_KIND_LABELS)
    plans.remove_item(item, current_user)
    flash(_("Removed from the plan."), "success")
    return back_to(meeting)


@bp.route("/<int:meeting_id>/plan/<int:item_id>/move", methods=["POST"])
@login_required
def move_plan_item(meeting_id, item_id):
    """Move an item up or down the plan."""
    meeting = meeting_or_404(meeting_id, "plan.edit")
    item = item_or_404(meeting, item_id)
    if ConfirmForm().validate_on_submit():
        plans.move_item(item, -1 if request.form.get("direction") == "up" else 1)
    return back_to(meeting)


@bp.route("/<int:meeting_id>/plan/copy", methods=["POST"])
@login_required
def copy_plan(meeting_id):
    """Start from the plan of an earlier meeting of the same group."""
    meeting = meeting_or_404(meeting_id, "plan.edit")
    form = CopyPlanForm()
    earlier = {m.id: m for m in queries.earlier_meetings_with_plans(meeting)}
    form.source_id.choices = [SelectChoice(meeting_id, "") for meeting_id in earlier]
    if not form.validate_on_submit():
        flash(_("Choose a meeting to copy from."), "error")
        return back_to(meeting)
    copied = plans.copy_plan(earlier[form.source_id.data], meeting, current_user)
    flash(ngettext("Copied %(num)s item.", "Copied %(num)s items.", copied), "success")
    return back_to(meeting)
