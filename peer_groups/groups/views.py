"""Groups: the list, creating and editing one, its monthly schedule and extra meetings."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from peer_groups import unit_of_work
from peer_groups.audit.services import record_views
from peer_groups.auth.forms import ConfirmForm
from peer_groups.db import utcnow
from peer_groups.domain.errors import DomainError
from peer_groups.domain.roles import FACILITATOR_ROLES, Role
from peer_groups.domain.schedule import MonthlyRule, RuleKind, holiday_names, local_date_of
from peer_groups.domain.wall_clock import usual_end
from peer_groups.groups import bp, queries, services
from peer_groups.groups.forms import GroupForm, MeetingForm, ScheduleForm
from peer_groups.groups.loading import display_names, group_or_404
from peer_groups.groups.messages import MESSAGES
from peer_groups.permissions import can, require
from peer_groups.refusals import message_for

PAST_PAGE = 10  # past meetings per page on a group's page
MAX_PAGE = 10_000


@bp.route("/")
@login_required
def index():
    """The groups this person runs, belongs to or leads."""
    if current_user.role is Role.YOUTH:
        groups = queries.groups_with_next_meeting(member_id=current_user.id)
    elif current_user.role in FACILITATOR_ROLES:
        groups = queries.groups_with_next_meeting(facilitator_id=current_user.id)
    else:
        groups = queries.groups_with_next_meeting(area_id=current_user.area_id)
    return render_template("groups/index.html", groups=groups)


def group_form(group=None, area_id=None):
    area_id = group.area_id if group else area_id
    form = GroupForm(
        obj=group,
        teams=queries.area_teams(area_id),
        staff=services.eligible_people(area_id, FACILITATOR_ROLES),
        youth=services.eligible_people(area_id, (Role.YOUTH,)),
    )
    if group is not None and request.method == "GET":
        form.team_id.data = group.team_id or 0
        form.facilitator_ids.data = [f.user_id for f in group.facilitators]
        form.member_ids.data = [m.user_id for m in group.members]
    return form


def render_group_form(form, group, area_id):
    """The form, after logging that the member picker showed each young person's name."""
    shown = [choice.value for choice in form.member_ids.choices]
    record_views(current_user, "group_form.viewed", shown, obj=group, area_id=area_id)
    return render_template("groups/form.html", form=form, group=group)


def form_fields(form) -> dict:
    return {name: getattr(form, name).data for name in services.GROUP_FIELDS}


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """A worker or coordinator starts a group in their area."""
    require("group.create")
    form = group_form(area_id=current_user.area_id)
    if request.method == "GET" and current_user.role is Role.WORKER:
        form.facilitator_ids.data = [current_user.id]
    if form.validate_on_submit():
        group = services.save_group(None, current_user.area_id, current_user,
                                    facilitator_ids=form.facilitator_ids.data,
                                    member_ids=form.member_ids.data, **form_fields(form))
        flash(_("The group is ready. Next, plan its meetings."), "success")
        return redirect(url_for("groups.schedule", group_id=group.id))
    return render_group_form(form, None, current_user.area_id)


@bp.route("/<int:group_id>")
@login_required
def show(group_id):
    """A group's meetings, people and ideas."""
    group = group_or_404(group_id)
    meetings = meeting_lists(group, page_number())
    people = {}
    if current_user.is_staff:
        people = {"facilitators": display_names([f.user for f in group.facilitators], group),
                  "members": display_names([m.user for m in group.members], group)}
        if can(current_user, "group.see_names", group):  # experts see a count, not names
            record_views(current_user, "group_members.viewed", [m.user for m in group.members],
                         obj=group)
    return render_template("groups/show.html", group=group, people=people, **meetings)


def page_number() -> int:
    """The `page` asked for: anything but a whole number from 1 up is the first page, and a
    huge one stops at MAX_PAGE (an offset the database can hold)."""
    return min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)


def meeting_lists(group, page: int) -> dict:
    """Coming meetings, and one page of past ones (a row more tells if there is a next)."""
    now = utcnow()
    past = queries.meeting_rows(group, current_user.id, past=True, now=now,
                                limit=PAST_PAGE + 1, offset=(page - 1) * PAST_PAGE)
    return {"upcoming": queries.meeting_rows(group, current_user.id, past=False, now=now),
            "past": past[:PAST_PAGE], "page": page, "more": len(past) > PAST_PAGE}


@bp.route("/<int:group_id>/edit", methods=["GET", "POST"])
@login_required
def edit(group_id):
    """Change the group's details, facilitators and members."""
    group = group_or_404(group_id, "group.manage")
    form = group_form(group)
    if form.validate_on_submit():
        services.save_group(group, group.area_id, current_user,
                            facilitator_ids=form.facilitator_ids.data,
                            member_ids=form.member_ids.data, **form_fields(form))
        flash(_("Saved."), "success")
        return redirect(url_for("groups.show", group_id=group.id))
    return render_group_form(form, group, group.area_id)


@bp.route("/<int:group_id>/archive", methods=["POST"])
@login_required
def archive(group_id):
    """Archive the group: it leaves the lists, its history stays."""
    group = group_or_404(group_id, "group.manage")
    if ConfirmForm().validate_on_submit():
        services.archive_group(group, current_user)
        flash(_("The group is archived. Its history is kept."), "success")
    return redirect(url_for("groups.index"))


def rule_from(form) -> MonthlyRule:
    return MonthlyRule(
        kind=RuleKind(form.kind.data), start_time=form.start_time.data,
        duration_minutes=form.duration_minutes.data, week=int(form.week.data),
        weekday=int(form.weekday.data), day=form.day.data or 1,
        skip_months=frozenset(form.skip_months.data or []),
    )


def schedule_form(group):
    rule = services.rule_of(group)
    form = ScheduleForm(start_time=group.default_start_time,
                        duration_minutes=group.default_duration_minutes)
    if rule is not None and request.method == "GET":
        form.kind.data, form.week.data = rule.kind.value, str(rule.week)
        form.weekday.data, form.day.data = str(rule.weekday), rule.day
        form.skip_months.data = sorted(rule.skip_months)
    return form


@bp.route("/<int:group_id>/schedule", methods=["GET", "POST"])
@login_required
def schedule(group_id):
    """Set the monthly rule, preview the dates, then create a year of meetings."""
    group = group_or_404(group_id, "group.manage")
    form = schedule_form(group)
    today = local_date_of(utcnow())
    preview = None
    if form.validate_on_submit():
        rule = rule_from(form)
        try:
            if "save" in request.form:
                services.set_rule(group, rule, current_user)
                created = services.generate_meetings(group, current_user, today)
                flash(ngettext("%(num)s meeting added.", "%(num)s meetings added.",
                               len(created)), "success")
                return redirect(url_for("groups.show", group_id=group.id))
            preview = preview_of(group, rule, today)
        except DomainError as refused:
            unit_of_work.rollback()
            form.kind.errors.append(message_for(refused, MESSAGES))
    return render_template("groups/schedule.html", form=form, group=group, preview=preview)


def preview_of(group, rule, today):
    problems = rule.problems()
    if problems:
        raise DomainError(problems[0].value)
    found = services.planned_occurrences(group, rule, today)
    if not found:
        raise DomainError("no_dates")
    names = holiday_names([o.local_date for o in found], str(current_user.language))
    return [(o, names.get(o.local_date)) for o in found]


@bp.route("/<int:group_id>/meetings/new", methods=["GET", "POST"])
@login_required
def new_meeting(group_id):
    """Add a meeting outside the monthly rule."""
    group = group_or_404(group_id, "group.manage")
    form = MeetingForm(obj=group, capacity=group.default_capacity,
                       starts=group.default_start_time,
                       ends=usual_end(group.default_start_time, group.default_duration_minutes))
    if form.validate_on_submit():
        fields = {k: getattr(form, k).data for k in ("venue_name", "venue_address",
                                                     "venue_accessibility", "is_outing",
                                                     "capacity")}
        try:
            meeting = services.add_meeting(group, current_user, day=form.day.data,
                                           starts=form.starts.data, ends=form.ends.data,
                                           starts_which=form.which("starts"),
                                           ends_which=form.which("ends"), **fields)
        except DomainError as refused:
            unit_of_work.rollback()
            form.show_refusal(refused, message_for(refused, MESSAGES))
        else:
            flash(_("Meeting added."), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    return render_template("groups/new_meeting.html", form=form, group=group,
                           can_manage=can(current_user, "group.manage", group))


@bp.route("/<int:group_id>/leave", methods=["GET", "POST"])
@login_required
def leave(group_id):
    """A young person leaves the group (after a confirmation); coming places are given up."""
    group = group_or_404(group_id, "group.leave")
    user = current_user._get_current_object()
    form = ConfirmForm()
    if not form.validate_on_submit():
        coming = services.coming_signups(group, user, utcnow())
        return render_template("groups/leave.html", group=group, form=form,
                               coming=len(coming))
    try:
        services.leave_group(group, user)
    except DomainError as refused:
        unit_of_work.rollback()
        flash(message_for(refused, MESSAGES), "error")
    else:
        flash(_("You have left %(group)s. Your worker can invite you back any time.",
                group=group.name), "success")
    return redirect(url_for("groups.index"))
