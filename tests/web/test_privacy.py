"""My data, who looked at it, downloads, erasure that leaves nothing, and retention."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import String, Text, func, select, text

from peer_groups.attendance import services as attendance
from peer_groups.auth.models import User
from peer_groups.consent import services as consent
from peer_groups.db import db
from peer_groups.domain.consent import Purpose
from peer_groups.domain.roles import Role
from peer_groups.groups.models import Meeting
from peer_groups.privacy.services import purge
from peer_groups.signups import services as signups
from peer_groups.signups.models import Signup
from tests import factories
from tests.conftest import post, run_at_once, sign_in

CANARY = {"display_name": "Kanarialintu Zyx", "email": "kanaria.zyx@example.com",
          "phone": "+358401239876", "username": "kanariazyx"}


@pytest.fixture
def person(app):
    """A young person with data everywhere: sign-ups, attendance, consent, dietary, views."""
    with app.app_context():
        area = factories.make_area()
        worker = factories.make_user(Role.WORKER, area=area)
        youth = factories.make_user(Role.YOUTH, area=area, **CANARY)
        other = factories.make_user(Role.YOUTH, area=area)
        group = factories.make_group(area, facilitators=[worker], members=[youth, other])
        past = factories.make_meeting(group, starts_at=datetime.now(UTC) - timedelta(days=40))
        coming = factories.make_meeting(group, capacity=1,
                                        starts_at=datetime.now(UTC) + timedelta(days=5))
        consent.answer(youth, Purpose.ATTENDANCE, True)
        consent.answer(youth, Purpose.DIETARY, True)
        signups.sign_up(past.id, youth, now=past.starts_at - timedelta(days=2))
        signups.sign_up(coming.id, youth)
        signups.sign_up(coming.id, other)  # waits for the place
        attendance.mark(past, youth, True, worker)
        db.session.commit()
        return {"youth": youth, "worker": worker, "other": other, "past": past.id,
                "coming": coming.id, "area": area}


def test_my_data_shows_everything_and_who_looked(app, person):
    staff = app.test_client()
    sign_in(staff, person["worker"])
    staff.get(f"/meetings/{person['coming']}/people")
    staff.get(f"/meetings/{person['past']}/register")
    client = app.test_client()
    sign_in(client, person["youth"])
    page = client.get("/account/data").get_data(as_text=True)
    assert CANARY["email"] in page and "Who has looked at your data" in page
    assert person["worker"].display_name in page
    assert "looked at who is coming to a meeting" in page
    assert "opened the register of a meeting" in page
    data = json.loads(client.get("/account/data.json").data)
    assert data["profile"]["email"] == CANARY["email"]
    assert len(data["signups"]) == 2 and data["attendance"][0]["present"] == "Present"
    assert {c["purpose"] for c in data["consents"]} == {"Recording my attendance",
                                                      "Keeping my dietary needs"}
    assert "only your group" in data["consents"][0]["text"]
    rows = list(csv.reader(io.StringIO(client.get("/account/data.csv").get_data(as_text=True))))
    assert rows[0] == ["section", "item", "field", "value"]
    assert ["profile", "1", "email", CANARY["email"]] in rows


def test_other_people_cannot_reach_my_data(app, person):
    client = app.test_client()
    sign_in(client, person["worker"])
    for path in ("/account/data", "/account/data.json", "/account/data.csv", "/account/erase"):
        assert client.get(path).status_code == 404


def text_columns():
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, String | Text):
                yield table.name, column.name


def test_erasure_leaves_no_personal_data_and_keeps_the_numbers(app, person):
    with app.app_context():
        total_before = attendance.total(db.session.get(Meeting, person["past"]))
    client = app.test_client()
    sign_in(client, person["youth"])
    assert "cannot be undone" in client.get("/account/erase").get_data(as_text=True)
    response = post(client, "/account/erase", {"password": factories.PASSWORD})
    assert response.headers["Location"] == "/"
    assert client.get("/home").status_code == 302
    with app.app_context():
        for table, column in text_columns():
            for value in CANARY.values():
                found = db.session.scalar(
                    select(func.count()).select_from(text(f'"{table}"'))
                    .where(text(f'"{column}" LIKE :v')), {"v": f"%{value}%"})
                assert found == 0, (table, column, value)
        assert db.session.get(User, person["youth"].id) is None
        past = db.session.get(Meeting, person["past"])
        assert attendance.total(past) == total_before and past.headcount == 1
        assert past.anonymous_signups == 1
        # The waiting list moved up when the coming place was given back.
        other = db.session.scalar(select(Signup.status).where(
            Signup.user_id == person["other"].id))
        assert other.value == "confirmed"
        actions = db.session.execute(text("SELECT action FROM audit_events")).scalars().all()
        assert "account.erasure_requested" in actions and "account.erased" in actions


def test_retention_anonymises_old_records_idempotently(app, person):
    later = datetime.now(UTC) + timedelta(days=800)
    with app.app_context():
        dry = purge(later, retention_months=24, dietary_idle_days=180, grace_days=90,
                    dry_run=True)
        assert (dry.signups, dry.attendance) == (3, 1)
        assert db.session.scalar(select(func.count(Signup.id))) == 3  # nothing changed
        report = purge(later, retention_months=24, dietary_idle_days=180, grace_days=90,
                       dry_run=False)
        db.session.commit()
        again = purge(later, retention_months=24, dietary_idle_days=180, grace_days=90,
                      dry_run=False)
        db.session.commit()
        assert (report.signups, report.attendance) == (3, 1)
        assert (again.signups, again.attendance, again.dietary) == (0, 0, 0)
        past = db.session.get(Meeting, person["past"])
        assert past.headcount == 1 and past.anonymous_signups == 1


def test_accounts_whose_aftercare_ended_are_removed(app, person):
    with app.app_context():
        youth = db.session.get(User, person["youth"].id)
        youth.birth_year = 2000  # aftercare up to 23 in this area: ended in 2023
        db.session.commit()
        report = purge(datetime(2026, 6, 1, tzinfo=UTC), retention_months=24,
                       dietary_idle_days=180, grace_days=90, dry_run=False)
        db.session.commit()
        assert report.accounts == 1
        assert db.session.get(User, person["youth"].id) is None


def test_purge_command_has_a_dry_run(app, person):
    result = app.test_cli_runner().invoke(args=["privacy", "purge", "--dry-run"])
    assert result.exit_code == 0 and "would anonymise: 0 sign-ups" in result.output


def test_no_personal_data_reaches_the_logs(app, person, caplog):
    caplog.set_level("DEBUG")
    client = app.test_client()
    sign_in(client, person["youth"])
    client.get("/account/data.json")
    post(client, "/account/consents/reminders", {"answer": "yes"})
    staff = app.test_client()
    sign_in(staff, person["worker"])
    staff.get(f"/meetings/{person['coming']}/people")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for value in CANARY.values():
        assert value not in logged


def test_two_hosts_purging_at_once_count_each_record_once(app, person):
    later = datetime.now(UTC) + timedelta(days=800)
    errors = run_at_once(app, lambda: purge(later, retention_months=24, dietary_idle_days=180,
                                            grace_days=90, dry_run=False))
    assert errors == []
    with app.app_context():
        past = db.session.get(Meeting, person["past"])
        assert past.headcount == 1 and past.anonymous_signups == 1
