"""Joining by invitation: the only way in, in under a minute, with kind answers when it fails."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.groups.models import GroupMember
from peer_groups.invitations.models import Invitation
from tests.conftest import post, sign_in


@pytest.fixture
def invite(make):
    area = make.area()
    worker = make.user(Role.WORKER, area=area)
    group = make.group(area, facilitators=[worker], name="Iltaryhmä")
    return area, worker, group


def members(app, group):
    with app.app_context():
        return set(db.session.scalars(select(GroupMember.user_id)
                                      .where(GroupMember.group_id == group.id)))


def test_worker_makes_an_invitation_with_a_link_and_qr_code(app, client, invite):
    _, worker, group = invite
    sign_in(client, worker)
    post(client, f"/groups/{group.id}/invitations", {"max_uses": "10", "days_valid": "7"})
    with app.app_context():
        invitation = db.session.scalars(select(Invitation)).one()
    page = client.get(f"/groups/{group.id}/invitations").get_data(as_text=True)
    assert f"http://localhost/join/{invitation.token}" in page
    svg = client.get(f"/invitations/{invitation.id}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    bad = post(client, f"/groups/{group.id}/invitations", {"max_uses": "0", "days_valid": "999"})
    assert "from 1 to 100" in bad.get_data(as_text=True)


def test_a_new_young_person_joins_with_a_sign_in_link_account(app, make, invite):
    _, _, group = invite
    invitation = make.invitation(group)
    phone = app.test_client()
    page = phone.get(f"/join/{invitation.token}").get_data(as_text=True)
    assert "Join Iltaryhmä" in page
    response = post(phone, f"/join/{invitation.token}", {
        "display_name": "Aino", "language": "sv", "email": "aino@example.com", "phone": "",
        "method": "link", "username": "", "password": ""})
    assert response.headers["Location"] == "/home"
    with app.app_context():
        aino = db.session.scalars(select(User).where(User.email == "aino@example.com")).one()
        assert (aino.role, aino.language, aino.password_hash) == (Role.YOUTH, "sv", None)
        assert db.session.get(Invitation, invitation.id).uses == 1
    assert members(app, group) == {aino.id}
    assert phone.get("/home").status_code == 200  # signed in straight away
    # A single-use link is now used up, with a kind page.
    other = app.test_client()
    used = other.get(f"/join/{invitation.token}")
    assert used.status_code == 410 and "already been used" in used.get_data(as_text=True)


def test_joining_with_a_password_needs_a_username_or_email(app, make, invite):
    _, _, group = invite
    invitation = make.invitation(group)
    client = app.test_client()
    form = {"display_name": "Onni", "language": "fi", "email": "", "phone": "",
            "method": "password", "username": "", "password": "password1"}
    page = post(client, f"/join/{invitation.token}", form).get_data(as_text=True)
    assert "Choose a username, or write your email." in page
    assert "easy to guess" in page
    assert 'value="Onni"' in page  # nothing typed is lost
    form.update(username="onni_2008", password="pitkä salasana tähän")
    assert post(client, f"/join/{invitation.token}", form).headers["Location"] == "/home"
    post(client, "/auth/sign-out")
    sign_in(client, User(username="onni_2008"), password="pitkä salasana tähän")


def test_a_link_account_needs_somewhere_to_send_the_link(app, make, invite):
    _, _, group = invite
    invitation = make.invitation(group)
    page = post(app.test_client(), f"/join/{invitation.token}", {
        "display_name": "Veeti", "language": "fi", "email": "", "phone": "",
        "method": "link"}).get_data(as_text=True)
    assert "write your email or phone number" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id)).where(User.role == Role.YOUTH)) == 0


def test_expired_revoked_and_tampered_links_get_a_kind_page(app, make, invite):
    _, _, group = invite
    expired = make.invitation(group, days=-1)
    revoked = make.invitation(group, revoked_at=datetime.now(UTC))
    client = app.test_client()
    for token, words in [(expired.token, "no longer valid"), (revoked.token, "turned off"),
                         (expired.token + "x", "could not find")]:
        response = client.get(f"/join/{token}")
        assert response.status_code == 410 and words in response.get_data(as_text=True)


def test_an_existing_member_of_another_group_simply_joins(app, make, invite):
    area, _, group = invite
    youth = make.user(Role.YOUTH, area=area)
    invitation = make.invitation(group, max_uses=5)
    client = app.test_client()
    sign_in(client, youth)
    assert "Join the group" in client.get(f"/join/{invitation.token}").get_data(as_text=True)
    response = post(client, f"/join/{invitation.token}")
    assert response.headers["Location"] == f"/groups/{group.id}"
    assert members(app, group) == {youth.id}
    post(client, f"/join/{invitation.token}")  # again: nothing doubles, no use counted
    with app.app_context():
        assert db.session.get(Invitation, invitation.id).uses == 1


def test_taken_identifiers_are_explained(app, make, invite):
    area, _, group = invite
    make.user(Role.YOUTH, area=area, email="taken@example.com", username="taken")
    invitation = make.invitation(group)
    page = post(app.test_client(), f"/join/{invitation.token}", {
        "display_name": "X", "language": "fi", "email": "Taken@example.com", "phone": "",
        "method": "password", "username": "TAKEN", "password": "a fine long phrase"}
    ).get_data(as_text=True)
    assert "Somebody already uses this email" in page and "This username is taken" in page


def test_staff_and_other_areas_cannot_use_it(app, make, invite):
    _, worker, group = invite
    invitation = make.invitation(group, max_uses=5)
    stranger = make.user(Role.YOUTH)  # another area
    for person in (worker, stranger):
        client = app.test_client()
        sign_in(client, person)
        assert post(client, f"/join/{invitation.token}").status_code == 403
    assert members(app, group) == set()
