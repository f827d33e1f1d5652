"""The workload view's and the year report's figures, pinned on a county-like dataset.

The bench dataset (six groups, two years of meetings) at a fixed date, plus the cases where a
count could come from more than one place: an erased young person (past places become
anonymous counts, coming ones go to the waiting list), a called-off meeting with its sign-ups
standing, a held meeting counted by headcount only, a past meeting never marked held, and a
consent taken back (named attendance turns into headcount). Every page and download is
compared, as text, with what the code gave when this test was written: a faster way to the
same figures must give exactly these, on SQLite and on PostgreSQL.

`PIN_FIGURES=write` writes the files afresh (only for a deliberate change of figures).
"""

import html
import os
import random
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from peer_groups import unit_of_work
from peer_groups.attendance.models import Attendance
from peer_groups.auth.models import User
from peer_groups.consent import services as consent
from peer_groups.db import db
from peer_groups.demo import bench
from peer_groups.domain.consent import Purpose
from peer_groups.domain.roles import Role
from peer_groups.domain.signups import SignupStatus
from peer_groups.groups import services as group_services
from peer_groups.groups.models import Group, GroupMember
from peer_groups.meetings.models import Meeting, MeetingStatus
from peer_groups.privacy import services as privacy
from peer_groups.signups.models import Signup
from tests.conftest import sign_in

PINNED = Path(__file__).with_name("pinned_figures")
NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
MONTHS = "from=2025-03&to=2027-02"
YEAR = "from=2025-03-01&to=2026-02-28"
WHOLE = "from=2025-03-01&to=2027-02-28"


def build_world() -> dict:
    bench.build(bench.Sizes(areas=1, groups=6), random.Random(7), NOW)  # noqa: S311
    db.session.flush()
    groups = db.session.scalars(select(Group).order_by(Group.id)).all()
    coordinator = db.session.scalar(select(User).where(User.role == Role.COORDINATOR))
    worker = db.session.scalar(select(User).where(User.role == Role.WORKER).order_by(User.id))

    def meetings(group, held):
        return db.session.scalars(select(Meeting).where(
            Meeting.group_id == group.id,
            Meeting.status == (MeetingStatus.HELD if held else MeetingStatus.PLANNED))
            .order_by(Meeting.starts_at)).all()

    # An erased young person of the first group, with places in past and coming meetings.
    members = select(GroupMember.user_id).where(GroupMember.group_id == groups[0].id)
    erased = db.session.scalars(
        select(User).join(Signup, Signup.user_id == User.id)
        .where(User.id.in_(members), Signup.status == SignupStatus.CONFIRMED)
        .group_by(User.id).order_by(func.count(Signup.id).desc(), User.id)).first()
    privacy.erase(erased, now=NOW)
    # A coming meeting called off, its sign-ups standing.
    called_off = meetings(groups[1], held=False)[1]
    group_services.cancel_meeting(called_off, worker, "Flu", now=NOW)
    # A held meeting counted by headcount only.
    counted = meetings(groups[2], held=True)[3]
    db.session.execute(delete(Attendance).where(Attendance.meeting_id == counted.id))
    counted.headcount = 7
    # A past meeting nobody marked held.
    meetings(groups[3], held=True)[5].status = MeetingStatus.PLANNED
    # A consent taken back: the person's past attendance becomes headcount.
    named = db.session.scalar(
        select(Attendance.user_id).join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Meeting.group_id == groups[4].id, Attendance.present)
        .order_by(Attendance.user_id))
    consent.take_back(db.session.get(User, named), Purpose.ATTENDANCE)
    db.session.flush()
    confirmed = (select(func.count(Signup.id)).where(Signup.meeting_id == Meeting.id,
                                                     Signup.status == SignupStatus.CONFIRMED)
                 .scalar_subquery())
    # The rule the faster report leans on holds in every one of these cases.
    assert db.session.scalar(select(func.count(Meeting.id)).where(
        Meeting.taken != confirmed + Meeting.anonymous_signups)) == 0
    assert db.session.scalar(select(func.sum(Meeting.anonymous_signups))) > 0
    return {"coordinator": coordinator.id, "worker": worker.id,
            "team": groups[0].team_id}


@pytest.fixture
def world(app):
    with app.app_context():
        return unit_of_work.run(build_world)


def page_text(body: str) -> str:
    """What a reader sees, a line per cell, paragraph or item: the figures and their words."""
    body = re.sub(r"(?s)<(script|style)\b.*?</\1>", "", body)
    body = re.sub(r"(?i)<(br|/tr|/p|/li|/h\d|/dt|/dd|/td|/th|/text|/caption|/div)\b[^>]*>",
                  "\n", body)
    body = html.unescape(re.sub(r"<[^>]+>", " ", body))
    lines = (" ".join(line.split()) for line in body.splitlines())
    return "\n".join(line for line in lines if line) + "\n"


def signed_in(app, user_id):
    client = app.test_client()
    with app.app_context():
        user = db.session.get(User, user_id)
    sign_in(client, user, password=bench.BENCH_PASSWORD)
    return client


def pages(world) -> dict[str, tuple[str, str]]:
    """Who reads which page: name -> (reader, path)."""
    team = f"&team={world['team']}"
    what_if = "&what_if=1&size=9&hours=2.5&outing_share=0.5&months=6"
    return {
        "workload-coordinator": ("coordinator", f"/workload?{MONTHS}"),
        "workload-coordinator-team": ("coordinator", f"/workload?{MONTHS}{team}"),
        "workload-coordinator-what-if": ("coordinator", f"/workload?{MONTHS}{what_if}"),
        "workload-coordinator.csv": ("coordinator", f"/workload.csv?{MONTHS}"),
        "workload-worker": ("worker", f"/workload?{MONTHS}"),
        "workload-worker.csv": ("worker", f"/workload.csv?{MONTHS}"),
        "report-coordinator": ("coordinator", f"/reports?{YEAR}"),
        "report-coordinator-whole": ("coordinator", f"/reports?{WHOLE}"),
        "report-coordinator-team": ("coordinator", f"/reports?{YEAR}{team}"),
        "report-coordinator.csv": ("coordinator", f"/reports.csv?{YEAR}"),
        "report-worker": ("worker", f"/reports?{WHOLE}"),
        "report-worker.csv": ("worker", f"/reports.csv?{WHOLE}"),
    }


def test_the_figures_stay_as_they_were(app, world, tmp_path):
    clients = {who: signed_in(app, world[who]) for who in ("coordinator", "worker")}
    writing = os.environ.get("PIN_FIGURES") == "write"
    PINNED.mkdir(exist_ok=True)
    changed = []
    for name, (who, path) in pages(world).items():
        response = clients[who].get(path)
        assert response.status_code == 200, (name, response.status_code)
        text = response.get_data(as_text=True)
        text = text.replace("\r\n", "\n") if name.endswith(".csv") else page_text(text)
        pinned = PINNED / f"{name}.txt"
        if writing:
            pinned.write_text(text, encoding="utf-8")
        elif text != pinned.read_text(encoding="utf-8"):
            changed.append(name)
            (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    assert not changed, f"figures changed (now in {tmp_path}): {changed}"

