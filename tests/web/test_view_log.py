"""Every staff page that shows a young person's name logs one "viewed" event per person shown,
in one INSERT, and that person sees it in "who has looked at your data"."""

import csv
import html
import io
import json
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from peer_groups.audit.models import AuditEvent
from peer_groups.db import db
from peer_groups.domain.roles import Role
from tests import factories
from tests.conftest import sign_in


@pytest.fixture
def people(app):
    """One area with staff, a member (shown on the group's pages), a young person of the
    same area who is not a member, and a young person of another area (never shown)."""
    with app.app_context():
        area = factories.make_area()
        worker = factories.make_user(Role.WORKER, area=area, display_name="Wilma Worker")
        coordinator = factories.make_user(Role.COORDINATOR, area=area,
                                          display_name="Coco Coordinator")
        admin = factories.make_user(Role.ADMIN, area=area, display_name="Ada Admin")
        member = factories.make_user(Role.YOUTH, area=area, display_name="Mimi Member")
        outsider = factories.make_user(Role.YOUTH, area=area, display_name="Olli Outsider")
        elsewhere = factories.make_user(Role.YOUTH, display_name="Eero Elsewhere")
        group = factories.make_group(area, facilitators=[worker], members=[member])
        meeting = factories.make_meeting(group)
        item = factories.make_plan_item(meeting)
        db.session.commit()
        return {"area": area.id, "group": group.id, "meeting": meeting.id, "item": item.id,
                "worker": worker,
                "coordinator": coordinator, "admin": admin, "member": member,
                "outsider": outsider, "elsewhere": elsewhere}


# page, who opens it, who is shown on it (and so gets an event), the action logged
PAGES = [
    ("/groups/{group}", "worker", {"member"}, "group_members.viewed"),
    ("/groups/{group}/edit", "worker", {"member", "outsider"}, "group_form.viewed"),
    ("/groups/new", "coordinator", {"member", "outsider"}, "group_form.viewed"),
    ("/meetings/{meeting}", "worker", {"member"}, "meeting.viewed"),
    ("/meetings/{meeting}/plan/{item}", "worker", {"member"}, "plan_item_form.viewed"),
    ("/meetings/{meeting}/people", "worker", {"member"}, "signups.viewed"),
    ("/meetings/{meeting}/register", "worker", {"member"}, "register.viewed"),
    ("/meetings/{meeting}/register/{member_id}/consent", "worker", {"member"},
     "consent_form.viewed"),
    ("/admin/areas/{area}", "admin", {"member", "outsider"}, "user_list.viewed"),
    ("/admin/areas/{area}?role=youth", "admin", {"member", "outsider"}, "user_list.viewed"),
]

READABLE = {
    "group_members.viewed": "looked at the group's member list",
    "group_form.viewed": "saw your name when choosing a group's members",
    "meeting.viewed": "looked at a meeting page with the members' names",
    "plan_item_form.viewed": "saw your name when choosing who takes care of a plan item",
    "signups.viewed": "looked at who is coming to a meeting",
    "register.viewed": "opened the register of a meeting",
    "consent_form.viewed": "opened the page to record your consent at the meeting",
    "user_list.viewed": "looked at the list of people in the area",
}
ROLES = {"worker": "Worker", "coordinator": "Coordinator", "admin": "Admin"}


@contextmanager
def audit_inserts(app):
    """Count the INSERT statements into the audit trail while the block runs."""
    seen = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO AUDIT_EVENTS"):
            seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def viewed_by(app, action, actor):
    with app.app_context():
        return set(db.session.scalars(select(AuditEvent.subject_user_id).where(
            AuditEvent.action == action, AuditEvent.actor_id == actor.id)))


@pytest.mark.parametrize(("path", "role", "shown", "action"), PAGES)
def test_each_staff_page_logs_every_person_shown_in_one_insert(app, people, path, role,
                                                               shown, action):
    staff = app.test_client()
    sign_in(staff, people[role])
    url = path.format(member_id=people["member"].id, **people)
    with audit_inserts(app) as inserts:
        response = staff.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert len(inserts) == 1, inserts
    page = response.get_data(as_text=True)
    assert people["elsewhere"].display_name not in page
    logged = viewed_by(app, action, people[role])
    assert logged == {people[name].id for name in shown}
    assert people["elsewhere"].id not in logged

    youth = app.test_client()
    sign_in(youth, people["member"])
    mine = html.unescape(youth.get("/account/data").get_data(as_text=True))
    assert READABLE[action] in mine
    assert people[role].display_name in mine and ROLES[role] in mine
    data = json.loads(youth.get("/account/data.json").data)
    entry = next(e for e in data["who_viewed_or_changed"] if e["page"] == READABLE[action])
    assert entry["who"] == people[role].display_name and entry["role"] == ROLES[role]
    assert entry["at"].endswith(("+02:00", "+03:00"))  # Helsinki time
    rows = list(csv.reader(io.StringIO(youth.get("/account/data.csv").get_data(as_text=True))))
    assert any(r[0] == "who_viewed_or_changed" and r[2] == "page" and r[3] == READABLE[action]
               for r in rows)


def test_a_young_person_not_shown_gets_no_event(app, people):
    staff = app.test_client()
    sign_in(staff, people["worker"])
    for path in ("/groups/{group}", "/meetings/{meeting}", "/meetings/{meeting}/people",
                 "/meetings/{meeting}/register"):
        assert staff.get(path.format(**people)).status_code == 200
    youth = app.test_client()
    sign_in(youth, people["outsider"])
    data = json.loads(youth.get("/account/data.json").data)
    assert data["who_viewed_or_changed"] == []
    assert "Nobody yet." in youth.get("/account/data").get_data(as_text=True)


def test_the_admin_audit_trail_logs_the_young_people_it_names(app, people):
    staff = app.test_client()
    sign_in(staff, people["worker"])
    staff.get("/groups/{group}".format(**people))  # an event that names the member
    admin = app.test_client()
    sign_in(admin, people["admin"])
    with audit_inserts(app) as inserts:
        page = admin.get("/admin/areas/{area}/audit".format(**people))
    assert page.status_code == 200 and len(inserts) == 1
    assert people["member"].display_name in page.get_data(as_text=True)
    assert viewed_by(app, "audit.viewed", people["admin"]) == {people["member"].id}


def test_the_young_person_reads_it_in_their_own_language(app, people):
    staff = app.test_client()
    sign_in(staff, people["worker"])
    staff.get("/groups/{group}".format(**people))
    youth = app.test_client()
    youth.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fi"
    with app.app_context():
        db.session.get(type(people["member"]), people["member"].id).language = "fi"
        db.session.commit()
    sign_in(youth, people["member"])
    page = html.unescape(youth.get("/account/data").get_data(as_text=True))
    assert "katsoi ryhmän jäsenlistaa" in page and "Ohjaaja" in page
