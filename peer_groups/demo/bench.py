"""`flask seed-bench`: a county-sized dataset for `make bench`, built with bulk inserts.

At full scale: 20 areas, 400 groups of 20 young people (8,000 youth), staff in every area, and
two years of monthly meetings (one year held, one ahead) with plans, sign-ups, waiting lists,
consents and attendance: about 100,000 sign-up and attendance rows. Pages are measured against
it, so it keeps the rules the app keeps: never over capacity, `taken` equals the confirmed
sign-ups, a waiting list only behind a full meeting, names in the register only with consent.
The same seed gives the same rows (dates follow the current month).
"""

import random
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from decimal import Decimal

import click
from dateutil.relativedelta import relativedelta
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, insert, select, text

from peer_groups import unit_of_work
from peer_groups.areas.models import Area, Team
from peer_groups.attendance.models import Attendance
from peer_groups.auth.models import User
from peer_groups.auth.passwords import hash_password
from peer_groups.consent.default_texts import default_rows
from peer_groups.consent.models import (
    ConsentAnswer,
    ConsentText,
    DietaryNeeds,
    copy_default_texts,
)
from peer_groups.db import db, utcnow
from peer_groups.domain.consent import Purpose
from peer_groups.domain.roles import Role
from peer_groups.domain.schedule import HELSINKI
from peer_groups.domain.signups import SignupStatus
from peer_groups.groups.models import Group, GroupFacilitator, GroupMember
from peer_groups.meetings.models import Meeting, MeetingStatus, PlanItem, PlanKind
from peer_groups.signups.models import Signup
from peer_groups.workload.models import AssignmentRole, StaffAssignment, TimeLog

BENCH_PASSWORD = "vertaisryhma-bench"  # noqa: S105 - bench data only, refused in production
# Every bench staff member's authenticator secret (base32), to sign in by hand with any app.
BENCH_TOTP_SECRET = "PEERGROUPSBENCHDATAONLYNOTSECRET"  # noqa: S105 - bench data only
AREAS, GROUPS, YOUTH_PER_GROUP, WORKERS_PER_AREA = 20, 400, 20, 10
MONTHS_PAST, MONTHS_AHEAD = 12, 12
# Chance that a young person has answered yes to each purpose (and, a little more, no).
CONSENT_YES = {Purpose.ATTENDANCE: 0.6, Purpose.REMINDERS: 0.5, Purpose.DIETARY: 0.3}
CONSENT_NO = 0.15
DIETS = ("vegetarian", "vegan", "gluten_free", "lactose_free", "no_pork", "nut_allergy")


@dataclass(frozen=True)
class Sizes:
    areas: int
    groups: int

    @classmethod
    def scaled(cls, scale: float) -> "Sizes":
        """Fewer areas and groups; each group stays as big, so pages see the same shapes."""
        groups = max(1, round(GROUPS * scale))
        return cls(areas=max(1, min(groups, round(AREAS * scale))), groups=groups)


@click.command("seed-bench")
@click.option("--scale", type=click.FloatRange(0.001, 1.0), default=1.0, show_default=True,
              help="Share of the full dataset (0.01: one area with four groups).")
@click.option("--seed", default=7, show_default=True, help="Seed of the random choices.")
@with_appcontext
def seed_bench(scale, seed):
    """Fill an empty database with the benchmark dataset (never in production)."""
    if current_app.config["APP_ENV"] == "production":
        raise click.ClickException("seed-bench refuses to run with APP_ENV=production.")
    if db.session.scalar(select(func.count(User.id))):
        raise click.ClickException("The database is not empty; bench data goes in empty ones.")
    started = time.perf_counter()
    counts = unit_of_work.run(
        lambda: build(Sizes.scaled(scale), random.Random(seed), utcnow()))  # noqa: S311
    if db.engine.dialect.name == "postgresql":
        # Bulk-loaded tables have no planner statistics yet; a live database has them.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    click.echo(", ".join(f"{n} {what}" for what, n in counts.items()))
    click.echo(f"Bench data loaded in {time.perf_counter() - started:.1f} s.")


def build(sizes: Sizes, rng: random.Random, now: datetime) -> Counter:
    """Add every area's rows; return how many of each were made."""
    counts: Counter = Counter()
    ensure_default_texts()
    password = hash_password(BENCH_PASSWORD)  # one hash for all: hashing 8,000 takes minutes
    month = now.astimezone(HELSINKI).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    for index in range(sizes.areas):
        groups = len(range(index, sizes.groups, sizes.areas))
        AreaBuilder(index, groups, rng, now, month, password, counts).build()
    return counts


def ensure_default_texts() -> None:
    """The first default texts are added when the schema lacks them."""
    if not db.session.scalar(select(func.count(ConsentText.id))):
        db.session.execute(insert(ConsentText), default_rows())


def consent_text_ids(area_id: int) -> dict[Purpose, int]:
    """An area's current text of each purpose, copied from the defaults: the rows are
    inserted without the ORM, so the copy made when an area is added must be asked for."""
    copy_default_texts(db.session.connection(), area_id)
    rows = db.session.execute(select(ConsentText.purpose, ConsentText.id)
                              .where(ConsentText.area_id == area_id)
                              .order_by(ConsentText.version))
    return dict(rows.all())


def insert_ids(model, rows: list[dict]) -> list[int]:
    """Insert many rows in few statements and return their ids, in the order given."""
    if not rows:
        return []
    return list(db.session.scalars(
        insert(model).returning(model.id, sort_by_parameter_order=True), rows))


def insert_rows(model, rows: list[dict], counts: Counter, name: str) -> None:
    if rows:
        db.session.execute(insert(model), rows)
    counts[name] += len(rows)


class AreaBuilder:
    """One area: its teams, staff, young people, groups and their two years of meetings."""

    def __init__(self, index, groups, rng, now, month, password, counts):
        self.index, self.groups, self.rng, self.now = index, groups, rng, now
        self.month, self.password, self.counts = month, password, counts
        self.tag = f"{index + 1:02d}"

    def build(self) -> None:
        self.area_id = insert_ids(Area, [{"name": f"Bench area {self.tag}",
                                          "youth_upper_age": 23 if self.index % 3 else 25}])[0]
        self.texts = consent_text_ids(self.area_id)
        self.team_ids = insert_ids(Team, [{"area_id": self.area_id, "name": f"Team {t}"}
                                          for t in (1, 2)])
        self.add_staff()
        group_ids = insert_ids(Group, [self.group_row(g) for g in range(self.groups)])
        self.counts.update(areas=1, teams=2, groups=len(group_ids))
        for position, group_id in enumerate(group_ids):
            members = self.add_people(position, group_id)
            self.add_meetings(position, group_id, members)

    def staff_row(self, role, local, name, hours=None) -> dict:
        return {"area_id": self.area_id, "team_id": self.team_ids[0], "role": role,
                "display_name": name, "email": f"{local}.a{self.tag}@bench.example.fi",
                "password_hash": self.password, "monthly_peer_hours": hours,
                "totp_secret": BENCH_TOTP_SECRET}

    def add_staff(self) -> None:
        rows = [self.staff_row(Role.WORKER, f"worker{w:02d}", f"Worker {self.tag}-{w:02d}",
                               Decimal(20)) for w in range(WORKERS_PER_AREA)]
        rows += [self.staff_row(Role.EXPERT, "expert", f"Expert {self.tag}"),
                 self.staff_row(Role.COORDINATOR, "coordinator", f"Coordinator {self.tag}",
                                Decimal(4)),
                 self.staff_row(Role.ADMIN, "admin", f"Admin {self.tag}")]
        ids = insert_ids(User, rows)
        self.worker_ids, self.expert_id = ids[:WORKERS_PER_AREA], ids[WORKERS_PER_AREA]
        self.counts["staff"] += len(ids)

    def group_row(self, position: int) -> dict:
        language = "sv" if position % 7 == 6 else "fi"
        new = position % 10 == 9  # a group started two months ago: it has start-up hours
        return {"area_id": self.area_id, "team_id": self.team_ids[position % 2],
                "name": f"Group {self.tag}-{position + 1:02d}", "language": language,
                "venue_name": f"Youth house {position + 1}",
                "venue_address": f"Street {position + 1}, Town {self.tag}",
                "default_capacity": 10 if position % 4 == 3 else 12,
                "created_at": self.now - timedelta(days=60 if new else 800)}

    def add_people(self, position: int, group_id: int) -> list[int]:
        """The group's young people, their consents, its facilitators; members returned."""
        base = (self.index * GROUPS + position) * YOUTH_PER_GROUP
        youth = insert_ids(User, [
            {"area_id": self.area_id, "role": Role.YOUTH, "display_name": f"Youth {n}",
             "username": f"bench{n:05d}", "password_hash": self.password,
             "email": f"youth{n:05d}@bench.example.fi" if n % 3 else None,
             "language": "sv" if n % 9 == 0 else "fi", "birth_year": 2002 + n % 7}
            for n in range(base, base + YOUTH_PER_GROUP)])
        self.counts["youth"] += len(youth)
        insert_rows(GroupMember, [{"group_id": group_id, "user_id": u} for u in youth],
                    self.counts, "group members")
        workers = [self.worker_ids[position % WORKERS_PER_AREA],
                   self.worker_ids[(position + 1) % WORKERS_PER_AREA]]
        self.lead_id = workers[0]
        self.with_expert = position % 2 == 0
        facilitators = workers + ([self.expert_id] if self.with_expert else [])
        insert_rows(GroupFacilitator, [{"group_id": group_id, "user_id": u}
                                       for u in facilitators], self.counts, "facilitators")
        self.named = self.add_consents(youth)
        return youth

    def add_consents(self, youth: list[int]) -> set[int]:
        """Each young person's answers; returns who allows attendance by name."""
        answers, diets, named = [], [], set()
        for user_id in youth:
            for purpose, yes in CONSENT_YES.items():
                draw = self.rng.random()
                if draw >= yes + CONSENT_NO:
                    continue  # not answered yet
                given = draw < yes
                answered = self.now - timedelta(days=self.rng.randint(30, 700))
                answers.append({"user_id": user_id, "purpose": purpose, "given": given,
                                "text_id": self.texts[purpose], "answered_at": answered})
                if given and purpose is Purpose.ATTENDANCE:
                    named.add(user_id)
                if given and purpose is Purpose.DIETARY:
                    diets.append({"user_id": user_id, "needs": self.rng.choice(DIETS)})
        insert_rows(ConsentAnswer, answers, self.counts, "consent answers")
        insert_rows(DietaryNeeds, diets, self.counts, "dietary needs")
        return named

    def add_meetings(self, position: int, group_id: int, members: list[int]) -> None:
        """Two years of monthly meetings; each one's sign-ups, register, plan and staff."""
        capacity = 10 if position % 4 == 3 else 12
        meetings, children = [], []
        for offset in range(-MONTHS_PAST, MONTHS_AHEAD):
            day = (self.month + relativedelta(months=offset)).date() + timedelta(
                days=3 + position % 20)
            starts = datetime.combine(day, clock(16 + position % 3), HELSINKI).astimezone(UTC)
            held = starts < self.now
            outing = offset % 6 == 0
            signups, confirmed = self.sign_ups(starts, capacity, members,
                                               ahead=0 if held else max(0, offset))
            attendance, headcount = self.attend(confirmed) if held else ([], 0)
            meetings.append({
                "group_id": group_id, "starts_at": starts, "capacity": capacity,
                "ends_at": starts + timedelta(hours=2 + (offset % 5 == 0)),
                "venue_name": f"Youth house {position + 1}", "from_rule": True,
                "status": MeetingStatus.HELD if held else MeetingStatus.PLANNED,
                "register_closed_at": starts + timedelta(hours=3) if held else None,
                "is_outing": outing, "taken": len(confirmed), "headcount": headcount})
            staff = [{"user_id": self.lead_id, "role": AssignmentRole.LEAD}]
            if self.with_expert and offset % 2 == 0:
                staff.append({"user_id": self.expert_id, "role": AssignmentRole.EXPERT})
            logs = [{"user_id": self.lead_id, "hours": Decimal(self.rng.randint(6, 9))}] \
                if held else []
            plans = self.plan(outing) if offset < 3 else []
            children.append((signups, attendance, plans, staff, logs))
        ids = insert_ids(Meeting, meetings)
        self.counts["meetings"] += len(ids)
        tables = ((Signup, "sign-ups"), (Attendance, "attendance"), (PlanItem, "plan items"),
                  (StaffAssignment, "staff assignments"), (TimeLog, "time logs"))
        for column, (model, name) in enumerate(tables):
            rows = [{**row, "meeting_id": meeting_id}
                    for meeting_id, rows_of in zip(ids, children, strict=True)
                    for row in rows_of[column]]
            insert_rows(model, rows, self.counts, name)

    def sign_ups(self, starts, capacity, members, ahead) -> tuple[list[dict], list[int]]:
        """First come, first served: seats until full, then the waiting list; a few cancel.
        Meetings far ahead have fewer sign-ups yet. Returns the rows and who has a seat."""
        wanted = max(0, self.rng.randint(6, 16) - ahead)
        days = sorted(self.rng.uniform(1, 25) for _ in range(wanted))
        rows, confirmed = [], []
        for user_id, before in zip(self.rng.sample(members, wanted), reversed(days),
                                   strict=True):
            requested = starts - timedelta(days=before)
            row = {"user_id": user_id, "requested_at": requested, "confirmed_at": None,
                   "cancelled_at": None}
            if self.rng.random() < 0.08:
                row.update(status=SignupStatus.CANCELLED,
                           cancelled_at=requested + timedelta(hours=6))
            elif len(confirmed) < capacity:
                row.update(status=SignupStatus.CONFIRMED, confirmed_at=requested)
                confirmed.append(user_id)
            else:
                row.update(status=SignupStatus.WAITLISTED)
            rows.append(row)
        return rows, confirmed

    def attend(self, confirmed: list[int]) -> tuple[list[dict], int]:
        """Named marks for those who consented, the rest and walk-ins as a headcount."""
        rows, headcount = [], self.rng.randint(0, 2)
        for user_id in confirmed:
            came = self.rng.random() < 0.8
            if user_id in self.named:
                rows.append({"user_id": user_id, "present": came, "marked_by_id": self.lead_id})
            elif came:
                headcount += 1
        return rows, headcount

    def plan(self, outing: bool) -> list[dict]:
        snack = self.rng.choice(("Pizza", "Tacos", "Pancakes", "Soup and bread"))
        second = (PlanKind.OUTING, "Bowling") if outing else self.rng.choice(
            ((PlanKind.ACTIVITY, "Board games"), (PlanKind.DISCUSSION, "Plans for spring"),
             (PlanKind.ACTIVITY, "Cooking together")))
        return [{"position": 1, "kind": PlanKind.SNACK, "title": snack,
                 "details": "Vegetarian and gluten-free too.",
                 "cost_cents": self.rng.randint(30, 50) * 100, "responsible_id": self.lead_id},
                {"position": 2, "kind": second[0], "title": second[1],
                 "details": "", "cost_cents": 6000 if outing else None, "responsible_id": None}]
