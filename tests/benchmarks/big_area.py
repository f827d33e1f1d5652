"""The workload view, its export and the year's report on one area of 400 groups, timed in
this process (the earlier `make bench`; its targets hold: under 300 ms and 15 queries)."""

import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import event, insert, text

from peer_groups.areas.models import Area
from peer_groups.auth.models import AuthSession, User
from peer_groups.auth.tokens import digest
from peer_groups.db import db
from peer_groups.groups.models import Group
from peer_groups.meetings.models import Meeting
from peer_groups.signups.models import Signup
from tests.load.harness import signed_in_cookie

GROUPS, MONTHS, YOUTH, MOST_SIGNUPS = 400, 12, 2000, 12
TOKEN = "big-area-session-token-0123456789abcdef0123456789"


def build(app) -> None:
    """Add the big area beside the bench dataset, with bulk inserts."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    with app.app_context():
        area = Area(name="Big area")
        db.session.add(area)
        db.session.flush()
        coordinator = User(area_id=area.id, role="coordinator", display_name="Big",
                           email="big@example.com")
        db.session.add(coordinator)
        db.session.flush()
        db.session.execute(insert(User), [
            {"area_id": area.id, "role": "worker", "display_name": f"Worker {i}",
             "email": f"big-w{i}@example.com", "monthly_peer_hours": Decimal(20)}
            for i in range(80)])
        youth_ids = db.session.scalars(insert(User).returning(User.id), [
            {"area_id": area.id, "role": "youth", "display_name": f"Youth {i}",
             "username": f"big-y{i}"} for i in range(YOUTH)]).all()
        group_ids = db.session.scalars(insert(Group).returning(Group.id), [
            {"area_id": area.id, "name": f"Group {i:03d}", "created_at": now
             - timedelta(days=rng.choice([30, 400]))} for i in range(GROUPS)]).all()
        first = now.replace(day=5, hour=15, minute=0, second=0, microsecond=0)
        rows = [{"group_id": gid, "starts_at": first + timedelta(days=31 * m),
                 "ends_at": first + timedelta(days=31 * m, hours=rng.choice([2, 2, 3])),
                 "capacity": 12, "taken": rng.randint(0, MOST_SIGNUPS),
                 "is_outing": rng.random() < 0.2} for gid in group_ids for m in range(MONTHS)]
        ids = db.session.scalars(insert(Meeting).returning(Meeting.id,
                                                           sort_by_parameter_order=True), rows)
        db.session.execute(insert(Signup), [
            {"meeting_id": mid, "user_id": uid, "status": "confirmed", "requested_at": now}
            for mid, row in zip(ids.all(), rows, strict=True)
            for uid in rng.sample(youth_ids, row["taken"])])
        db.session.add(AuthSession(token_hash=digest(TOKEN), user_id=coordinator.id,
                                   second_factor_at=now))
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()


def measure(app, path: str, rounds: int = 7) -> tuple[float, int]:
    """Median milliseconds and the most queries of `rounds` requests."""
    cookie, _ = signed_in_cookie(app, TOKEN)
    client = app.test_client()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    counted = []

    def count(*_args):
        counted.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    timings, queries = [], []
    try:
        for _ in range(rounds):
            counted.clear()
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
            queries.append(len(counted))
            assert response.status_code == 200, response.status_code
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return statistics.median(timings), max(queries)


def pages() -> dict[str, tuple[str, str, int, int | None]]:
    """Page key -> (path, what it covers, target ms, most queries) for the three pages."""
    month = datetime.now(UTC).strftime("%Y-%m")
    today = datetime.now(UTC).date()
    year = f"from={today.isoformat()}&to={(today + timedelta(days=365)).isoformat()}"
    return {"area-workload": (f"/workload?from={month}", "6 months", 300, 15),
            "area-csv": (f"/workload.csv?from={month}", "6 months", 300, 15),
            "area-report": (f"/reports?{year}", "a year", 500, None)}


def name(key: str) -> str:
    path, what, _, _ = pages()[key]
    return f"{path.split('?')[0]} ({what}, {GROUPS} groups)"


def row(app, key: str) -> tuple[str, str, bool]:
    """(figure, target, met) for one of the pages, on an app where `build` has run."""
    path, _, limit, most = pages()[key]
    ms, queries = measure(app, path)
    met = ms < limit and (most is None or queries < most)
    target = f"< {limit} ms" + (f", < {most} queries" if most else "")
    return f"{ms:.0f} ms, {queries} queries", target, met
