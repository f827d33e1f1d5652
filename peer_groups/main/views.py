"""The landing page, each role's home, the language switch and the health check."""

from flask import has_request_context, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

from peer_groups import unit_of_work
from peer_groups.consent import services as consent_services
from peer_groups.db import db, utcnow
from peer_groups.domain.roles import FACILITATOR_ROLES, Role
from peer_groups.domain.schedule import local_date_of
from peer_groups.domain.wall_clock import day_bounds
from peer_groups.feedback import services as feedback_services
from peer_groups.groups import queries
from peer_groups.main import bp
from peer_groups.main.forms import LanguageForm
from peer_groups.meetings import queries as meeting_queries
from peer_groups.signups import services as signup_services
from peer_groups.urls import safe_next

HOME_MEETINGS = 4


@bp.route("/")
def index():
    """What the service is, and the way in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    return render_template("main/index.html")


@bp.route("/home")
@login_required
def home():
    """Each role's own start page."""
    user = current_user
    if user.role is Role.YOUTH:
        # The next meeting and a few after it: a phone screen, not a calendar (groups list all).
        meetings = queries.upcoming_meetings_for_member(user, limit=HOME_MEETINGS)
        statuses = signup_services.statuses_for(user, [m.id for m in meetings])
        return render_template("main/home_youth.html", meetings=meetings, statuses=statuses,
                               questions=consent_services.questions_for(user),
                               asks=feedback_services.asks_for(user))
    if user.role in FACILITATOR_ROLES:
        groups = queries.groups_with_next_meeting(facilitator_id=user.id)
        return render_template("main/home_staff.html", groups=groups, **facilitator_day(user))
    if user.area_id is not None:
        groups = queries.groups_with_next_meeting(area_id=user.area_id)
    else:
        groups = []
    return render_template("main/home_staff.html", groups=groups)


def facilitator_day(user) -> dict:
    """Today's meetings and the next one, and past meetings that still wait for this person."""
    day_start, day_end = day_bounds(local_date_of(utcnow()))
    today, upcoming = meeting_queries.my_day(user.id, day_start, day_end)
    opens_register = user.role is Role.WORKER  # experts never see the register (names)
    return {"today": today, "next_meeting": upcoming, "opens_register": opens_register,
            "needs_you": meeting_queries.needs_you(user.id, day_start,
                                                   closes_registers=opens_register)}


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the language; saved to the account when signed in."""
    form = LanguageForm()
    back = safe_next(form.next.data, url_for("main.index"))
    if form.validate_on_submit():
        session["lang"] = form.language.data
        if current_user.is_authenticated:
            current_user.language = form.language.data
    return redirect(back)


@bp.route("/healthz")
def healthz():
    """For load balancers: is the app up and can it reach its database?"""
    try:
        db.session.execute(text("SELECT 1"))
        unit_of_work.rollback()
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        unit_of_work.rollback()
        return jsonify({"status": "error", "database": "unreachable"}), 503
    return jsonify({"status": "ok", "database": "ok"})


@bp.app_context_processor
def language_switch():
    """The page to come back to after switching the language."""
    if not has_request_context():  # an email or SMS being rendered
        return {}
    return {"language_next": request.full_path.rstrip("?")}
