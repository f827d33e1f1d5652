"""My data, who looked at it, downloads, erasure that leaves nothing, and retention."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from sqlalchemy import String, Text, func, select, text

from peer_groups.attendance import services as attendance
from peer_groups.audit.models import AuditEvent
from peer_groups.auth.models import User
from peer_groups.consent import services as consent
from peer_groups.db import db
from peer_groups.domain.consent import Purpose
from peer_groups.domain.roles import Role
from peer_groups.meetings.models import Meeting
from peer_groups.notifications.models import OutboxMessage
from peer_groups.privacy.services import purge
from peer_groups.signups import services as signups
from peer_groups.signups.models import Signup
from tests import factories
from tests.conftest import post, run_at_once, sign_in
from tests.helpers import assert_redirect

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
    assert_redirect(client.get("/home"))
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


def purge_at(now, dry_run=False):
    return purge(now, retention_months=24, dietary_idle_days=180, grace_days=90,
                 inactive_months=12, notice_days=30, dry_run=dry_run)


def removal_notices(user_id):
    return db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.user_id == user_id, OutboxMessage.template == "account_removal")).all()


@pytest.fixture
def idle(app):
    """Young people who last came 13 months ago (one without a birth year), and one active."""
    now = datetime.now(UTC)
    with app.app_context():
        area = factories.make_area()
        long_ago = now - relativedelta(months=13)
        people = {
            "idle": factories.make_user(Role.YOUTH, area=area, birth_year=now.year - 19,
                                        created_at=long_ago, last_sign_in_at=long_ago),
            "returns": factories.make_user(Role.YOUTH, area=area, birth_year=now.year - 19,
                                           created_at=long_ago, last_sign_in_at=long_ago),
            "signed_up": factories.make_user(Role.YOUTH, area=area, birth_year=now.year - 19,
                                             created_at=long_ago, last_sign_in_at=long_ago),
            "no_year": factories.make_user(Role.YOUTH, area=area, birth_year=None),
            "active": factories.make_user(Role.YOUTH, area=area, birth_year=now.year - 19,
                                          last_sign_in_at=now - timedelta(days=3)),
            "staff": factories.make_user(Role.WORKER, area=area, created_at=long_ago),
        }
        group = factories.make_group(area, members=[people["signed_up"]])
        meeting = factories.make_meeting(group)
        signups.sign_up(meeting.id, people["signed_up"], now=now - timedelta(days=20))
        db.session.commit()
        return {name: user.id for name, user in people.items()}


def test_idle_accounts_and_those_without_a_birth_year_are_told_then_removed(app, idle):
    now = datetime.now(UTC)
    with app.app_context():
        dry = purge_at(now, dry_run=True)
        assert (dry.told, dry.removed) == (3, 0)
        assert removal_notices(idle["idle"]) == []
        report = purge_at(now)
        db.session.commit()
        assert (report.told, report.removed) == (3, 0)
        again = purge_at(now + timedelta(days=1))  # told once, not every night
        db.session.commit()
        assert (again.told, again.removed) == (0, 0)
        told = {name for name, uid in idle.items() if removal_notices(uid)}
        assert told == {"idle", "returns", "no_year"}
        [notice] = removal_notices(idle["no_year"])
        assert "birth year" in notice.body and "My account" in notice.body
        assert "30 days" in removal_notices(idle["idle"])[0].body
        assert db.session.get(User, idle["idle"]).removal_notice_sent_at is not None
    # Signing in during the notice period keeps the account.
    client = app.test_client()
    with app.app_context():
        sign_in(client, db.session.get(User, idle["returns"]))
    with app.app_context():
        assert purge_at(now + timedelta(days=29)).removed == 0
        db.session.commit()
        later = purge_at(now + timedelta(days=31))
        db.session.commit()
        assert later.removed == 2
        kept = {name for name, uid in idle.items() if db.session.get(User, uid) is not None}
        assert kept == {"returns", "signed_up", "active", "staff"}
        reasons = set(db.session.scalars(select(AuditEvent.detail).where(
            AuditEvent.action == "account.erased")))
        assert reasons == {"inactive", "no_birth_year"}
        # The one who came back is not under notice any more.
        assert db.session.get(User, idle["returns"]).removal_notice_sent_at is None


def test_a_birth_year_added_in_my_account_keeps_the_account(app, idle):
    now = datetime.now(UTC)
    with app.app_context():
        purge_at(now)
        db.session.commit()
        person = db.session.get(User, idle["no_year"])
    client = app.test_client()
    sign_in(client, person)
    assert "We need your birth year" in client.get("/home").get_data(as_text=True)  # in the app
    page = client.get("/account/").get_data(as_text=True)
    assert "Birth year" in page and "We ask only the year" in page
    response = post(client, "/account/", {"display_name": person.display_name, "language": "en",
                                          "birth_year": "1900"})
    assert "Write a year from" in response.get_data(as_text=True)
    post(client, "/account/", {"display_name": person.display_name, "language": "en",
                               "birth_year": str(now.year - 20)})
    assert "We need your birth year" not in client.get("/home").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, idle["no_year"]).birth_year == now.year - 20
        assert purge_at(now + timedelta(days=31)).removed == 2  # "idle" and "returns"
        db.session.commit()
        assert db.session.get(User, idle["no_year"]) is not None


def test_two_hosts_telling_and_removing_at_once_do_each_once(app, idle):
    now = datetime.now(UTC)
    assert run_at_once(app, lambda: purge_at(now)) == []
    with app.app_context():
        assert len(removal_notices(idle["idle"])) == 1
        assert len(removal_notices(idle["no_year"])) == 1
    assert run_at_once(app, lambda: purge_at(now + timedelta(days=31))) == []
    with app.app_context():
        assert db.session.get(User, idle["idle"]) is None
        erased = db.session.scalars(select(AuditEvent.subject_user_id).where(
            AuditEvent.action == "account.erased")).all()
        assert sorted(erased) == sorted([idle["idle"], idle["returns"], idle["no_year"]])


def test_purge_command_tells_and_removes_with_the_configured_times(app, idle):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["privacy", "purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would tell 3 accounts they will be removed, would remove 0" in result.output
    app.config["INACTIVE_ACCOUNT_MONTHS"] = 24
    assert "would tell 1 accounts" in runner.invoke(args=["privacy", "purge",
                                                          "--dry-run"]).output
    app.config.update(INACTIVE_ACCOUNT_MONTHS=12, ACCOUNT_REMOVAL_NOTICE_DAYS=0)
    assert "told 3 accounts" in runner.invoke(args=["privacy", "purge"]).output
    assert "removed 3 accounts" in runner.invoke(args=["privacy", "purge"]).output
