"""Someone else's wrong guesses can't keep a staff member out, nor tell who has an account.

After the lock, the right password together with the authenticator's code still gets in, and
so does a sign-in link to the person's own address (with the code after it for staff). An
unknown account, a wrong password and a locked account get the same page, after the same
work: one argon2 verification each.
"""

import re

import pyotp
import pytest
from sqlalchemy import select

from peer_groups.audit.models import AuditEvent
from peer_groups.auth import passwords
from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain.roles import Role
from tests.conftest import answer_link_requests, csrf_token, post
from tests.factories import PASSWORD, TOTP_SECRET
from tests.helpers import assert_redirect
from tests.web.test_links_and_passwords import last_link
from tests.web.test_lockout import lock


@pytest.fixture
def app_config():
    return {"ACCOUNT_FAILURE_LIMIT": 3}


def try_sign_in(client, identifier, password, code=None):
    data = {"csrf_token": csrf_token(client, "/auth/sign-in"), "identifier": identifier,
            "password": password}
    if code is not None:
        data["code"] = code
    return client.post("/auth/sign-in", data=data, headers={"Accept-Language": "en"})


def main_part(response) -> str:
    """The page's main content without what differs by design: the token and the typed name."""
    page = response.get_data(as_text=True)
    main = page[page.index("<main"):page.index("</main>")]
    main = re.sub(r'name="csrf_token"[^>]*value="[^"]*"', "", main)
    main = re.sub(r'data-csrf="[^"]*"', "", main)  # the passkey button's copy of the token
    return re.sub(r'(id="identifier"[^>]*value=")[^"]*"', r'\1"', main)


def code_now():
    return pyotp.TOTP(TOTP_SECRET).now()


def test_unknown_wrong_and_locked_accounts_get_the_same_page(app, make):
    worker = make.user(Role.WORKER, email="olli@example.fi")
    client = app.test_client()
    unknown = try_sign_in(client, "nobody@example.fi", PASSWORD)
    wrong = try_sign_in(client, worker.email, "not the password at all")
    lock(app, worker)
    locked_right = try_sign_in(client, worker.email, PASSWORD)
    locked_wrong = try_sign_in(client, worker.email, "not the password at all")
    pages = [main_part(r) for r in (unknown, wrong, locked_right, locked_wrong)]
    assert all(r.status_code == 200 for r in (unknown, wrong, locked_right, locked_wrong))
    assert pages[0] == pages[1] == pages[2] == pages[3], "the answers differ"
    assert "too many wrong tries" in pages[0] and "Too many wrong tries. Wait" not in pages[0]
    assert 'id="code"' in pages[0]  # after a refusal the code can be typed with the password


def test_every_answer_costs_one_argon2_verification(app, make, monkeypatch):
    worker = make.user(Role.WORKER, email="olli@example.fi")
    calls = []
    original = passwords.verifies
    monkeypatch.setattr(passwords, "verifies", lambda *a: calls.append(1) or original(*a))
    client = app.test_client()
    counts = {}
    for name, identifier, password in (("unknown", "nobody@example.fi", PASSWORD),
                                       ("wrong", worker.email, "not the password at all"),
                                       ("locked", worker.email, PASSWORD)):
        if name == "locked":
            lock(app, worker)
        calls.clear()
        try_sign_in(client, identifier, password)
        counts[name] = len(calls)
    assert counts == {"unknown": 1, "wrong": 1, "locked": 1}, counts


def test_a_locked_worker_gets_in_with_the_password_and_the_code_together(app, make):
    worker = make.user(Role.WORKER, email="olli@example.fi")
    lock(app, worker)
    client = app.test_client()
    assert try_sign_in(client, worker.email, PASSWORD).status_code == 200  # refused alone
    assert client.get("/home").status_code in (302, 303)
    response = try_sign_in(client, worker.email, PASSWORD, code=code_now())
    assert_redirect(response, "/home")
    assert client.get("/home").status_code == 200  # no second step left: the code was typed
    with app.app_context():
        user = db.session.get(User, worker.id)
        assert user.failed_sign_ins == 0
        actions = db.session.scalars(select(AuditEvent.action)
                                     .where(AuditEvent.subject_user_id == worker.id)).all()
        assert "auth.sign_in_refused_locked" in actions and "auth.signed_in" in actions


def test_a_locked_worker_with_a_wrong_code_stays_out(app, make):
    worker = make.user(Role.WORKER, email="olli@example.fi")
    lock(app, worker)
    client = app.test_client()
    wrong_code = f"{(int(code_now()) + 1) % 1_000_000:06d}"
    response = try_sign_in(client, worker.email, PASSWORD, code=wrong_code)
    assert response.status_code == 200 and "too many wrong tries" in main_part(response)
    assert client.get("/home").status_code in (302, 303)


def test_a_locked_worker_gets_in_by_a_link_to_their_own_email_and_their_code(app, make):
    worker = make.user(Role.WORKER, email="olli@example.fi")
    lock(app, worker)
    client = app.test_client()
    post(client, "/auth/link", {"identifier": worker.email})
    answer_link_requests(app)  # the outbox worker, seconds later
    message, path = last_link(app)
    assert message.recipient == "olli@example.fi"
    response = post(client, path)
    assert_redirect(response, "/auth/two-factor")
    assert client.get("/home").status_code in (302, 303)  # the code is still asked
    response = client.post("/auth/two-factor", data={
        "csrf_token": csrf_token(client, "/auth/two-factor"), "code": code_now()})
    assert_redirect(response, "/home")
    assert client.get("/home").status_code == 200


def test_a_locked_young_person_gets_in_by_a_link(app, make):
    youth = make.user(Role.YOUTH, email="helmi@example.fi")
    lock(app, youth)
    client = app.test_client()
    assert try_sign_in(client, youth.email, PASSWORD).status_code == 200  # refused
    post(client, "/auth/link", {"identifier": youth.email})
    answer_link_requests(app)  # the outbox worker, seconds later
    _, path = last_link(app)
    assert_redirect(post(client, path), "/home")
    assert client.get("/home").status_code == 200
