"""`make bench`: the workload view, its export and the year's report on an area of 400 groups.

Builds the data with bulk inserts on SQLite and on PostgreSQL, then measures time and SQL
queries of GET /workload and GET /workload.csv (targets: under 300 ms, under 15 queries).
"""

import random
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import psycopg
from sqlalchemy import event, insert, text

from peer_groups import create_app
from peer_groups.areas.models import Area
from peer_groups.auth.models import AuthSession, User
from peer_groups.auth.tokens import digest
from peer_groups.db import db
from peer_groups.groups.models import Group, Meeting
from peer_groups.signups.models import Signup
from tests.conftest import PG_SERVER, base_config, pg_url
from tests.load.harness import signed_in_cookie

GROUPS, MONTHS, YOUTH, MOST_SIGNUPS = 400, 12, 2000, 12


@contextmanager
def database(kind):
    if kind == "sqlite":
        folder = tempfile.mkdtemp()
        yield f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        return
    name = f"peer_groups_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_SERVER, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield pg_url(name)
    finally:
        with psycopg.connect(PG_SERVER, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build(app):
    rng = random.Random(7)  # noqa: S311 - benchmark data
    now = datetime.now(UTC)
    with app.app_context():
        db.create_all()
        area = Area(name="Bench area")
        db.session.add(area)
        db.session.flush()
        coordinator = User(area_id=area.id, role="coordinator", display_name="Bench",
                           email="bench@example.com")
        db.session.add(coordinator)
        db.session.flush()
        db.session.execute(insert(User), [
            {"area_id": area.id, "role": "worker", "display_name": f"Worker {i}",
             "email": f"w{i}@example.com", "monthly_peer_hours": Decimal(20)}
            for i in range(80)])
        db.session.execute(insert(User), [
            {"area_id": area.id, "role": "youth", "display_name": f"Youth {i}",
             "username": f"y{i}"} for i in range(YOUTH)])
        db.session.execute(insert(Group), [
            {"area_id": area.id, "name": f"Group {i:03d}", "created_at": now
             - timedelta(days=rng.choice([30, 400]))} for i in range(GROUPS)])
        group_ids = [g.id for g in db.session.scalars(db.select(Group))]
        youth_ids = [u.id for u in db.session.scalars(db.select(User).where(
            User.role == "youth"))]
        first = now.replace(day=5, hour=15, minute=0, second=0, microsecond=0)
        sizes = {(gid, m): rng.randint(0, MOST_SIGNUPS) for gid in group_ids
                 for m in range(MONTHS)}
        db.session.execute(insert(Meeting), [
            {"group_id": gid, "starts_at": first + timedelta(days=31 * m),
             "ends_at": first + timedelta(days=31 * m, hours=rng.choice([2, 2, 3])),
             "capacity": 12, "taken": sizes[(gid, m)], "is_outing": rng.random() < 0.2}
            for gid in group_ids for m in range(MONTHS)])
        meetings = db.session.execute(db.select(Meeting.id, Meeting.taken)).all()
        db.session.execute(insert(Signup), [
            {"meeting_id": mid, "user_id": uid, "status": "confirmed", "requested_at": now}
            for mid, taken in meetings for uid in rng.sample(youth_ids, taken)])
        token = "bench-session-token-0123456789abcdef0123456789"
        db.session.add(AuthSession(token_hash=digest(token), user_id=coordinator.id))
        db.session.commit()
        # Fresh bulk-loaded tables have no planner statistics yet; a live database has them.
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        return token, len(meetings), sum(taken for _, taken in meetings)


def measure(app, token, path, rounds=7):
    cookie, _ = signed_in_cookie(app, token)
    client = app.test_client()
    client.set_cookie("session", cookie)
    counted = []

    def count(*_args):
        counted.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    timings, queries = [], []
    for _ in range(rounds):
        counted.clear()
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        queries.append(len(counted))
        assert response.status_code == 200, response.status_code
    event.remove(engine, "before_cursor_execute", count)
    return statistics.median(timings), max(queries)


def main():
    lines = ["| database | page | median ms | queries | target |", "|---|---|---|---|---|"]
    for kind in ("sqlite", "postgresql"):
        with database(kind) as url:
            app = create_app({**base_config(url, Path(tempfile.mkdtemp())),
                              "TRUSTED_HOSTS": None})
            started = time.perf_counter()
            token, meetings, signups = build(app)
            print(f"{kind}: built {GROUPS} groups, {meetings} meetings, {signups} sign-ups "
                  f"in {time.perf_counter() - started:.1f} s", file=sys.stderr)
            month = datetime.now(UTC).strftime("%Y-%m")
            today = datetime.now(UTC).date()
            year = f"from={today.isoformat()}&to={(today + timedelta(days=365)).isoformat()}"
            for path, what, limit, most in (
                    (f"/workload?from={month}", "6 months", 300, 15),
                    (f"/workload.csv?from={month}", "6 months", 300, 15),
                    (f"/reports?{year}", "a year", 500, None)):
                ms, queries = measure(app, token, path)
                ok = "met" if ms < limit and (most is None or queries < most) else "MISSED"
                target = f"<{limit} ms" + (f", <{most} queries" if most else "")
                lines.append(f"| {kind} | {path.split('?')[0]} ({what}) | {ms:.0f} | "
                             f"{queries} | {target}: {ok} |")
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
