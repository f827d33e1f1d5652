"""Account changes by an admin are never silent; a new password ends every outstanding link."""

import re

import pytest
from sqlalchemy import select

from peer_groups.auth.models import OneTimeToken, TokenPurpose, User
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.notifications.models import OutboxMessage
from tests.conftest import answer_link_requests, post, sign_in
from tests.factories import PASSWORD
from tests.helpers import assert_redirect

LINK = re.compile(r"http://localhost(/auth/[a-z]+/[A-Za-z0-9_-]+)")
NEW = "a brand new long phrase"


def messages(app, **where):
    with app.app_context():
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        for name, value in where.items():
            query = query.where(getattr(OutboxMessage, name) == value)
        return db.session.scalars(query).all()


def link_in(message) -> str:
    return LINK.search(message.body).group(1)


def staff_form(person, **changes):
    data = {"display_name": person.display_name, "email": person.email,
            "role": person.role.value, "team_id": "0", "active": "y"}
    return {**data, **changes}


# --- An admin's changes are told to the person ----------------------------------------------


def test_an_admin_changing_an_email_tells_the_old_and_the_new_address(app, client, make):
    area = make.area()
    admin = make.user(Role.ADMIN, area=area)
    worker = make.user(Role.WORKER, area=area, email="old@example.com", display_name="Olli")
    sign_in(client, admin)
    saved = post(client, f"/admin/users/{worker.id}/edit",
                 staff_form(worker, email="New@Example.com"))
    assert_redirect(saved)

    told = messages(app, user_id=worker.id, template="account_changed")
    assert sorted(m.recipient for m in told) == ["new@example.com", "old@example.com"]
    to_old = next(m for m in told if m.recipient == "old@example.com")
    to_new = next(m for m in told if m.recipient == "new@example.com")
    assert "no longer the email of your account" in to_old.body
    assert "new@example.com" not in to_old.body  # the old address may be the stranger's
    assert "is now the email of your account" in to_new.body
    for message in told:
        assert "tell your worker or your area's admin" in message.body
        assert "/auth/" not in message.body and PASSWORD not in message.body


def test_saving_a_staff_member_without_changing_the_email_sends_nothing(app, client, make):
    area = make.area()
    admin = make.user(Role.ADMIN, area=area)
    worker = make.user(Role.WORKER, area=area)
    sign_in(client, admin)
    post(client, f"/admin/users/{worker.id}/edit", staff_form(worker, display_name="Renamed"))
    assert messages(app, user_id=worker.id) == []


def test_an_email_change_ends_the_links_sent_to_the_old_address(app, client, make):
    """A welcome link sent to a mistyped address must not let its reader choose the password."""
    area = make.area()
    admin = make.user(Role.ADMIN, area=area)
    sign_in(client, admin)
    post(client, f"/admin/areas/{area.id}/staff/new",
         {"display_name": "Uusi", "email": "typo@example.com", "role": "worker", "team_id": "0"})
    (welcome,) = messages(app, template="welcome")
    with app.app_context():
        person = db.session.scalars(select(User).where(User.email == "typo@example.com")).one()
    post(client, f"/admin/users/{person.id}/edit", staff_form(person, email="right@example.com"))

    refused = app.test_client().get(link_in(welcome))
    assert refused.status_code == 410
    # The account has no password yet: the right address gets a fresh link of its own.
    newest = messages(app, template="welcome")[-1]
    assert newest.recipient == "right@example.com"
    assert app.test_client().get(link_in(newest)).status_code == 200


def test_a_welcome_link_is_refused_for_an_account_that_has_a_password(app, client, make):
    area = make.area()
    admin = make.user(Role.ADMIN, area=area)
    worker = make.user(Role.WORKER, area=area, display_name="Olli")
    sign_in(client, admin)
    answer = post(client, f"/admin/users/{worker.id}/welcome", follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert "Olli already has a password" in page
    assert "A new link is on its way" not in page
    assert messages(app, template="welcome") == []
    with app.app_context():
        assert db.session.scalars(select(OneTimeToken)).all() == []
    # The edit page does not offer the button either.
    edit = client.get(f"/admin/users/{worker.id}/edit").get_data(as_text=True)
    assert f"/admin/users/{worker.id}/welcome" not in edit


def test_a_welcome_link_from_before_the_password_was_chosen_is_refused(app, client, make):
    area = make.area()
    admin = make.user(Role.ADMIN, area=area)
    worker = make.user(Role.WORKER, area=area, password=None)
    sign_in(client, admin)
    post(client, f"/admin/users/{worker.id}/welcome")
    post(client, f"/admin/users/{worker.id}/welcome")
    first, second = messages(app, template="welcome")
    newcomer = app.test_client()
    done = post(newcomer, link_in(second), {"password": NEW, "confirm": NEW})
    assert done.headers["Location"] == "/auth/sign-in"

    late = newcomer.get(link_in(first))
    assert late.status_code == 410
    assert "stops working when the account's password is changed" in late.get_data(as_text=True)


def test_an_admin_resetting_a_second_factor_tells_the_person(app, client, make):
    area = make.area()
    admin = make.user(Role.ADMIN, area=area)
    worker = make.user(Role.WORKER, area=area, email="olli@example.com")
    sign_in(client, admin)
    post(client, f"/admin/users/{worker.id}/reset-two-factor")
    (told,) = messages(app, user_id=worker.id)
    assert told.recipient == "olli@example.com" and told.template == "account_changed"
    assert "An admin reset the second step" in told.body
    assert worker.totp_secret not in told.body


# --- A new password ends every outstanding link of the account ------------------------------


def ask_for_links(app, person):
    """A sign-in link and a password link, as a stranger with the inbox could have asked."""
    stranger = app.test_client()
    post(stranger, "/auth/link", {"identifier": person.email})
    answer_link_requests(app)  # the outbox worker, seconds later
    post(stranger, "/auth/reset", {"identifier": person.email})
    answer_link_requests(app)  # the outbox worker, seconds later
    found = [m for m in messages(app, user_id=person.id)
             if m.template in ("sign_in_link", "password_reset")]
    assert [m.template for m in found] == ["sign_in_link", "password_reset"]
    return [link_in(m) for m in found]


@pytest.mark.parametrize("how", ["change", "reset"])
def test_a_new_password_ends_every_outstanding_link(app, client, make, how):
    youth = make.user(Role.YOUTH)
    links = ask_for_links(app, youth)
    if how == "change":
        sign_in(client, youth)
        done = post(client, "/account/password",
                    {"current": PASSWORD, "password": NEW, "confirm": NEW})
        assert done.headers["Location"] == "/account/"
    else:
        post(client, "/auth/reset", {"identifier": youth.email})
        answer_link_requests(app)  # the outbox worker, seconds later
        reset = link_in(messages(app, template="password_reset")[-1])
        done = post(client, reset, {"password": NEW, "confirm": NEW})
        assert done.headers["Location"] == "/auth/sign-in"

    for path in links:
        stranger = app.test_client()
        opened = stranger.get(path)
        assert opened.status_code == 410, path
        text = opened.get_data(as_text=True)
        assert "This link no longer works" in text
        assert "stops working when the account's password is changed" in text
        pressed = post(stranger, path, {"password": "x" * 20, "confirm": "x" * 20})
        assert pressed.status_code == 410
        assert_redirect(stranger.get("/home"))  # nobody signed in
    with app.app_context():
        live = db.session.scalars(select(OneTimeToken).where(
            OneTimeToken.user_id == youth.id, OneTimeToken.used_at.is_(None))).all()
        assert live == []


def test_a_new_password_leaves_other_peoples_links_alone(app, client, make):
    youth = make.user(Role.YOUTH)
    friend = make.user(Role.YOUTH)
    (friends_link, _) = ask_for_links(app, friend)
    sign_in(client, youth)
    post(client, "/account/password", {"current": PASSWORD, "password": NEW, "confirm": NEW})
    assert app.test_client().get(friends_link).status_code == 200
    with app.app_context():
        purposes = db.session.scalars(select(OneTimeToken.purpose).where(
            OneTimeToken.user_id == friend.id, OneTimeToken.used_at.is_(None))).all()
    assert sorted(purposes) == sorted([TokenPurpose.SIGN_IN, TokenPurpose.PASSWORD_RESET])
