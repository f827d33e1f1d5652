"""Admins manage their own area's teams and staff; every change to a person is audited."""

from sqlalchemy import select

from peer_groups.audit.models import AuditEvent
from peer_groups.auth.models import AuthSession, User
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.notifications.models import OutboxMessage
from tests.conftest import post, sign_in
from tests.helpers import assert_redirect


def actions(app):
    with app.app_context():
        return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


def test_admin_adds_a_worker_who_gets_a_link_to_choose_a_password(app, client, make):
    area = make.area()
    team = make.team(area, name="Jälkihuolto Lahti")
    admin = make.user(Role.ADMIN, area=area)
    sign_in(client, admin)
    response = post(client, f"/admin/areas/{area.id}/staff/new",
                    {"display_name": "Uusi Ohjaaja", "email": "Uusi@Example.com",
                     "role": "worker", "team_id": str(team.id)})
    assert response.headers["Location"] == f"/admin/areas/{area.id}"
    with app.app_context():
        worker = db.session.scalars(select(User).where(User.email == "uusi@example.com")).one()
        assert (worker.role, worker.area_id, worker.team_id) == (Role.WORKER, area.id, team.id)
        assert worker.password_hash is None
        message = db.session.scalars(select(OutboxMessage)).one()
        assert message.recipient == "uusi@example.com" and "/auth/welcome/" in message.body
    assert "user.created" in actions(app)


def test_bad_staff_input_is_refused_and_kept_on_the_form(client, make):
    area = make.area()
    admin = make.user(Role.ADMIN, area=area)
    taken = make.user(Role.WORKER, area=area)
    sign_in(client, admin)
    response = post(client, f"/admin/areas/{area.id}/staff/new",
                    {"display_name": "X" * 81, "email": "not-an-email", "role": "superhero",
                     "team_id": "0"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Write a whole email address" in page and "not-an-email" in page
    assert "Not a valid choice" in page or "valid choice" in page.lower()
    again = post(client, f"/admin/areas/{area.id}/staff/new",
                 {"display_name": "Someone", "email": taken.email, "role": "worker",
                  "team_id": "0"})
    assert "Somebody already uses this email" in again.get_data(as_text=True)


def test_admin_cannot_lock_themselves_out(client, make):
    area = make.area()
    admin = make.user(Role.ADMIN, area=area)
    sign_in(client, admin)
    response = post(client, f"/admin/users/{admin.id}/edit",
                    {"display_name": admin.display_name, "email": admin.email,
                     "role": "worker", "team_id": "0", "active": "y"})
    assert "cannot change your own role" in response.get_data(as_text=True)


def test_closing_an_account_ends_its_sessions(app, client, make):
    area = make.area()
    admin = make.user(Role.ADMIN, area=area)
    worker = make.user(Role.WORKER, area=area)
    their_client = app.test_client()
    sign_in(their_client, worker)
    sign_in(client, admin)
    post(client, f"/admin/users/{worker.id}/edit",
         {"display_name": worker.display_name, "email": worker.email, "role": "worker",
          "team_id": "0"})
    assert_redirect(their_client.get("/home"))
    assert post(their_client, "/auth/sign-in", {"identifier": worker.email,
                                                "password": "correct horse battery"}
                ).status_code == 200


def test_sign_out_everywhere(app, client, make):
    area = make.area()
    admin = make.user(Role.ADMIN, area=area)
    worker = make.user(Role.WORKER, area=area)
    phone, laptop = app.test_client(), app.test_client()
    sign_in(phone, worker)
    sign_in(laptop, worker)
    sign_in(client, admin)
    post(client, f"/admin/users/{worker.id}/sign-out-everywhere")
    assert_redirect(phone.get("/home"))
    assert_redirect(laptop.get("/home"))
    with app.app_context():
        mine = db.session.scalars(select(AuthSession.user_id)).all()
    assert mine == [admin.id]
    assert "user.signed_out_everywhere" in actions(app)


def test_teams_are_added_and_renamed(app, client, make):
    area = make.area()
    admin = make.user(Role.ADMIN, area=area)
    sign_in(client, admin)
    post(client, f"/admin/areas/{area.id}/teams", {"name": "Eftervård Raseborg"})
    duplicate = post(client, f"/admin/areas/{area.id}/teams", {"name": "eftervård raseborg"},
                     follow_redirects=True)
    assert "has a team with this name" in duplicate.get_data(as_text=True)
    page = client.get(f"/admin/areas/{area.id}").get_data(as_text=True)
    assert page.count("Eftervård Raseborg") >= 1


def test_viewing_the_people_list_is_audited(app, client, make):
    area = make.area()
    admin = make.user(Role.ADMIN, area=area)
    sign_in(client, admin)
    client.get(f"/admin/areas/{area.id}")
    assert "user_list.viewed" in actions(app)


def test_superuser_adds_an_area_and_the_upper_age_is_validated(app, client, make):
    owner = make.user(Role.ADMIN, area=None, is_superuser=True)
    sign_in(client, owner)
    bad = post(client, "/admin/areas/new", {"name": "Kanta-Häme", "youth_upper_age": "40"})
    assert "from 18 to 30" in bad.get_data(as_text=True)
    good = post(client, "/admin/areas/new", {"name": "Kanta-Häme", "youth_upper_age": "25"})
    assert good.headers["Location"].startswith("/admin/areas/")


def test_the_audit_trail_pages_through_more_than_a_hundred_events(app, client, make):
    area = make.area()
    admin = make.user(Role.ADMIN, area=area)
    worker = make.user(Role.WORKER, area=area)
    with app.app_context():
        db.session.add_all([AuditEvent(area_id=area.id, action=f"test.event{n:03d}")
                            for n in range(1, 131)])
        db.session.commit()
    sign_in(client, admin)

    first = client.get(f"/admin/areas/{area.id}/audit?action=test.").get_data(as_text=True)
    assert first.count("test.event") == 100
    assert "test.event130" in first and "test.event031" in first and "test.event030" not in first
    assert 'rel="prev"' not in first
    assert f'rel="next" href="/admin/areas/{area.id}/audit?action=test.&amp;page=2"' in first

    second = client.get(f"/admin/areas/{area.id}/audit?action=test.&page=2")
    body = second.get_data(as_text=True)
    assert second.status_code == 200 and body.count("test.event") == 30
    assert "test.event030" in body and "test.event001" in body and "test.event031" not in body
    assert 'rel="next"' not in body
    assert f'rel="prev" href="/admin/areas/{area.id}/audit?action=test.&amp;page=1"' in body

    beyond = client.get(f"/admin/areas/{area.id}/audit?page=99").get_data(as_text=True)
    assert "Nothing found." in beyond and 'rel="prev"' in beyond
    assert client.get(f"/admin/areas/{area.id}/audit?page=-3").status_code == 200

    other = app.test_client()
    sign_in(other, worker)
    assert other.get(f"/admin/areas/{area.id}/audit?page=2").status_code == 403
