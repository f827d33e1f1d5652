"""The bench database: a fresh one per run, filled by `flask seed-bench`,
and the signed-in people whose requests the load tools replay."""

import os
import random
import secrets
import shutil
import subprocess
import sys
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from sqlalchemy import func, insert, select

from peer_groups import create_app
from peer_groups.auth.models import AuthSession, User
from peer_groups.auth.tokens import digest
from peer_groups.db import db, utcnow
from peer_groups.domain.roles import Role
from peer_groups.domain.signups import SignupStatus
from peer_groups.groups.models import Group, GroupFacilitator, GroupMember
from peer_groups.meetings.models import Meeting, MeetingStatus
from peer_groups.signups.models import Signup
from tests.conftest import PG_SERVER, pg_url
from tests.load.harness import ROOT, signed_in_cookie

SECRET_KEY = secrets.token_urlsafe(32)
PEOPLE_PER_PAGE = 200  # sessions each page's requests rotate through


def environment(url: str, folder: Path) -> dict[str, str]:
    """How the app runs under gunicorn for the bench: the production profile, on loopback."""
    return {"APP_ENV": "production", "SECRET_KEY": SECRET_KEY, "DATABASE_URL": url,
            "TRUSTED_HOSTS": "127.0.0.1,localhost", "PUBLIC_URL": "http://127.0.0.1",
            "OUTBOX_DIR": str(folder / "outbox"),
            "LOG_LEVEL": "WARNING", "FLASK_APP": "wsgi"}


def in_process_app(url: str, folder: Path):
    """The same app in this process, for the query counts and for making cookies."""
    return create_app({"APP_ENV": "production", "SECRET_KEY": SECRET_KEY,
                       "SQLALCHEMY_DATABASE_URI": url.replace("postgresql://",
                                                              "postgresql+psycopg://"),
                       "TRUSTED_HOSTS": ["127.0.0.1", "localhost"],
                       "PUBLIC_URL": "http://127.0.0.1",
                       "OUTBOX_DIR": str(folder / "outbox")})


@contextmanager
def database(kind: str):
    """A new, empty database of `kind`; yields its URL and a scratch folder, then drops both."""
    folder = Path(tempfile.mkdtemp(prefix="peer_groups_bench_"))
    try:
        if kind == "sqlite":
            yield f"sqlite:///{folder / 'bench.sqlite'}", folder
            return
        name = f"peer_groups_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(PG_SERVER, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield pg_url(name).replace("postgresql+psycopg://", "postgresql://"), folder
        finally:
            with psycopg.connect(PG_SERVER, autocommit=True, connect_timeout=10) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def build(url: str, folder: Path, scale: float = 1.0) -> str:
    """The schema from the models (the migrations match them: tests/test_migrations.py), then
    the operator's `flask seed-bench`; returns its report."""
    app = in_process_app(url, folder)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    env = {**os.environ, **environment(url, folder), "APP_ENV": "development"}
    done = subprocess.run([sys.executable, "-m", "flask", "seed-bench", "--scale", str(scale)],
                          cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return done.stdout.strip()


@dataclass
class Line:
    """One replayable request: who sends it, where, and the form body of a POST."""

    method: str
    path: str
    cookie: str
    body: str = ""


@dataclass
class Subjects:
    pages: dict[str, list[Line]] = field(default_factory=dict)


def sessions_for(app, users: list[User]) -> dict[int, tuple[str, str]]:
    """A live session for each user (staff past the second factor): user id -> (cookie
    header, form CSRF token)."""
    now = utcnow()
    tokens = {user.id: secrets.token_urlsafe(32) for user in users}
    db.session.execute(insert(AuthSession), [
        {"token_hash": digest(tokens[u.id]), "user_id": u.id, "created_at": now,
         "last_seen_at": now, "second_factor_at": now if u.is_staff else None}
        for u in users])
    db.session.commit()
    name = app.config["SESSION_COOKIE_NAME"]
    result = {}
    for user_id, token in tokens.items():
        cookie, form_token = signed_in_cookie(app, token)
        result[user_id] = (f"{name}={cookie}", form_token)
    return result


def subjects(app) -> Subjects:
    """Who requests what: young people their home, their next meeting and sign-ups for later
    meetings of their group; workers their latest register; coordinators the workload view."""
    rng = random.Random(11)
    with app.app_context():
        now = utcnow()
        groups = db.session.scalars(select(Group.id).order_by(Group.id)).all()
        chosen = groups[:: max(1, len(groups) // 10)][:10]
        youth = db.session.scalars(
            select(User).join(GroupMember, GroupMember.user_id == User.id)
            .where(GroupMember.group_id.in_(chosen)).order_by(User.id)).all()
        youth = youth[:PEOPLE_PER_PAGE]
        member_of = dict(db.session.execute(select(GroupMember.user_id, GroupMember.group_id)
                                            .where(GroupMember.group_id.in_(chosen))).all())
        coming = db.session.execute(
            select(Meeting.group_id, Meeting.id).where(
                Meeting.group_id.in_(chosen), Meeting.starts_at > now,
                Meeting.status == MeetingStatus.PLANNED).order_by(Meeting.starts_at)).all()
        by_group: dict[int, list[int]] = {}
        for group_id, meeting_id in coming:
            by_group.setdefault(group_id, []).append(meeting_id)
        active = set(db.session.execute(select(Signup.user_id, Signup.meeting_id).where(
            Signup.status.in_((SignupStatus.CONFIRMED, SignupStatus.WAITLISTED)))).all())
        leads = db.session.execute(
            select(GroupFacilitator.user_id, func.max(Meeting.id)).join(
                Meeting, Meeting.group_id == GroupFacilitator.group_id)
            .join(User, User.id == GroupFacilitator.user_id)
            .where(User.role == Role.WORKER, Meeting.status == MeetingStatus.HELD)
            .group_by(GroupFacilitator.user_id)).all()
        workers = db.session.scalars(select(User).where(User.id.in_([u for u, _ in leads])))
        coordinators = db.session.scalars(select(User).where(User.role == Role.COORDINATOR))
        workers, coordinators = list(workers), list(coordinators)
        cookies = sessions_for(app, youth + workers + coordinators)
        result = Subjects()
        result.pages["trivial"] = [Line("GET", "/healthz", "")]
        result.pages["youth home"] = [Line("GET", "/home", cookies[u.id][0]) for u in youth]
        result.pages["meeting page"] = [
            Line("GET", f"/meetings/{by_group[member_of[u.id]][0]}", cookies[u.id][0])
            for u in youth]
        signups = [Line("POST", f"/meetings/{m}/signup", cookies[u.id][0],
                        f"csrf_token={cookies[u.id][1]}")
                   for u in youth for m in by_group[member_of[u.id]][1:]
                   if (u.id, m) not in active]
        rng.shuffle(signups)
        result.pages["sign-up POST"] = signups
        result.pages["staff register"] = [
            Line("GET", f"/meetings/{meeting_id}/register", cookies[user_id][0])
            for user_id, meeting_id in leads]
        result.pages["workload view"] = [Line("GET", "/workload", cookies[u.id][0])
                                         for u in coordinators]
        db.session.remove()
    return result

