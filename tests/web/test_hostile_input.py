"""Inputs the fuzzer (tests/fuzz/) found answering 500: each now gets a 404 or a clear message.

One test per finding, so each stays fixed even if the fuzzer's examples change.
"""

import io

import pytest
from sqlalchemy import select

from peer_groups.areas.models import Area, Team
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.groups.models import Group
from peer_groups.notifications.models import OutboxMessage
from tests.conftest import post, sign_in
from tests.helpers import assert_redirect


@pytest.mark.parametrize("number", [2**31, 2**63, 10**30])
def test_an_id_larger_than_any_row_is_not_found(client, make, number):
    area = make.area()
    worker = make.user(Role.WORKER, area=area)
    sign_in(client, worker)
    assert client.get(f"/groups/{number}").status_code == 404
    assert client.get(f"/meetings/{number}").status_code == 404
    assert post(client, f"/meetings/{number}/signup").status_code == 404


def test_renaming_an_area_to_a_taken_name_says_so(app, client, make):
    area = make.area("Kanta-Häme")
    make.area("Päijät-Häme")
    owner = make.user(Role.ADMIN, area=None, is_superuser=True)
    sign_in(client, owner)
    for taken in ("Päijät-Häme", "PÄIJÄT-HÄME", "päijät-häme"):
        response = post(client, f"/admin/areas/{area.id}/edit",
                        {"name": taken, "youth_upper_age": "25"})
        assert response.status_code == 200, taken
        assert "An area with this name exists already." in response.get_data(as_text=True)
    with app.app_context():
        row = db.session.get(Area, area.id)
        assert (row.name, row.youth_upper_age) == ("Kanta-Häme", 23)


def test_a_new_area_with_a_taken_name_beginning_with_a_non_ascii_letter_says_so(client, make):
    """SQLite's lower() changes only A to Z, so 'Åland' once slipped past the check."""
    make.area("Åland")
    owner = make.user(Role.ADMIN, area=None, is_superuser=True)
    sign_in(client, owner)
    response = post(client, "/admin/areas/new", {"name": "Åland", "youth_upper_age": "23"})
    assert response.status_code == 200
    assert "An area with this name exists already." in response.get_data(as_text=True)


def test_renaming_a_team_to_a_taken_name_says_so(app, client, make):
    area = make.area()
    team = make.team(area, "Lahti")
    make.team(area, "Heinola")
    admin = make.user(Role.ADMIN, area=area)
    sign_in(client, admin)
    response = post(client, f"/admin/teams/{team.id}/edit", {"name": "Heinola"})
    assert response.status_code == 200
    assert "This area has a team with this name already." in response.get_data(as_text=True)
    response = post(client, f"/admin/areas/{area.id}/teams", {"name": "HEINOLA"})
    assert_redirect(response)
    with app.app_context():
        names = db.session.scalars(select(Team.name).where(Team.area_id == area.id)).all()
        assert sorted(names) == ["Heinola", "Lahti"]


@pytest.mark.parametrize("field, value, message", [
    ("min_staff", "1,5", "Write a whole number."),
    ("target_size", "7.25", "Write a whole number."),
    ("show_rate", "NaN", "Not a valid decimal value."),
    ("prep_hours", "Infinity", "Not a valid decimal value."),
])
def test_workload_parameters_that_are_not_numbers_of_the_right_kind_are_refused(
    app, client, make, field, value, message
):
    area = make.area()
    coordinator = make.user(Role.COORDINATOR, area=area)
    sign_in(client, coordinator)
    response = post(client, "/workload/settings", {field: value})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Area, area.id).workload_overrides in (None, {})


def test_the_service_owner_without_an_area_cannot_start_a_group(app, client, make):
    """They were shown the form, and saving it failed: a group needs an area."""
    owner = make.user(Role.ADMIN, area=None, is_superuser=True)
    sign_in(client, owner)
    assert client.get("/groups/new").status_code == 403
    response = post(client, "/groups/new",
                    {"name": "Orphan", "language": "fi", "team_id": "0",
                     "default_capacity": "10", "target_size": "8",
                     "default_start_time": "17:00", "default_duration_minutes": "120"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.scalars(select(Group)).all() == []


@pytest.mark.parametrize("path, data", [
    ("/auth/sign-in", {"identifier": "aino\x00@example.fi", "password": "whatever it is"}),
    ("/auth/link", {"identifier": "\x00"}),
    ("/auth/link", {"identifier\x00": "aino@example.fi"}),
])
def test_a_nul_character_in_a_form_is_refused_before_it_reaches_the_database(
    app, client, path, data
):
    """PostgreSQL cannot store NUL, and the query failed with a 500."""
    response = post(client, path, data)
    assert response.status_code == 400
    assert "Something in the request was wrong" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(OutboxMessage)).all() == []


def test_a_nul_character_in_the_path_or_query_is_refused(client, make):
    area = make.area()
    admin = make.user(Role.ADMIN, area=area)
    sign_in(client, admin)
    assert client.get(f"/admin/areas/{area.id}/audit?action=user%00").status_code == 400
    assert client.get("/static/css/app.css%00.png").status_code == 400
    assert client.get(f"/admin/areas/{area.id}/audit?action=user").status_code == 200


def test_a_multipart_field_without_a_readable_name_is_refused(client):
    """A line break or backslash in a field name parses as no name, and CSRF checking
    crashed on it."""
    for name in ("a\r\nb", "\\"):
        response = client.post("/auth/sign-in", data={
            name: "x", "attachment": (io.BytesIO(b"not a form field"), "notes.txt")})
        assert response.status_code == 400, name


def test_the_service_owners_account_has_no_staff_form(client, make):
    """Its area is empty, and the form's team list crashed on it."""
    owner = make.user(Role.ADMIN, area=None, is_superuser=True)
    sign_in(client, owner)
    assert client.get(f"/admin/users/{owner.id}/edit").status_code == 404
    response = post(client, f"/admin/users/{owner.id}/edit",
                    {"display_name": "Owner", "email": owner.email, "role": "admin",
                     "team_id": "0", "active": "y"})
    assert response.status_code == 404
