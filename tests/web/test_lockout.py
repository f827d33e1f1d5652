"""A locked account gets the same words on every form that checks a password or a code.

Except the sign-in form, where a locked account answers like an unknown one (so the lock tells
nobody who has an account): tests/web/test_lock_keeps_no_one_out.py.
"""

import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import update

from peer_groups.auth import services as auth_services
from peer_groups.auth.models import TokenPurpose, User
from peer_groups.db import db, utcnow
from peer_groups.domain.roles import Role
from tests.conftest import csrf_token, post, sign_in
from tests.factories import PASSWORD, TOTP_SECRET

LOCKED = re.compile(r"Too many wrong tries[^<]*")
NEW_PASSWORD = "a brand new passphrase 42"


@pytest.fixture
def app_config():
    return {"ACCOUNT_FAILURE_LIMIT": 3}


def lock(app, user):
    with app.app_context():
        db.session.execute(update(User).where(User.id == user.id).values(
            failed_sign_ins=3, failed_sign_ins_since=utcnow()))
        db.session.commit()


def unlock(app, user):
    with app.app_context():
        db.session.execute(update(User).where(User.id == user.id).values(
            failed_sign_ins=0, failed_sign_ins_since=None))
        db.session.commit()


def submit(client, path, data):
    response = client.post(path, data={"csrf_token": csrf_token(client, path), **data})
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def lockout_text(body, where):
    found = LOCKED.findall(body)
    assert found, f"{where}: no lockout message"
    return found[0].strip()


def code():
    return pyotp.TOTP(TOTP_SECRET).now()


def test_every_credential_form_says_the_same_when_the_account_is_locked(app, make):
    worker, youth = make.user(Role.WORKER), make.user(Role.YOUTH)
    texts = {}

    # The second step, after a password typed before the lock.
    client = app.test_client()
    post(client, "/auth/sign-in", {"identifier": worker.email, "password": PASSWORD})
    lock(app, worker)
    texts["two-factor"] = lockout_text(
        submit(client, "/auth/two-factor", {"code": code()}), "two-factor")

    unlock(app, worker)
    client = app.test_client()
    sign_in(client, worker)
    lock(app, worker)
    texts["confirm"] = lockout_text(submit(client, "/auth/confirm", {
        "password": PASSWORD, "code": code()}), "confirm")
    texts["password"] = lockout_text(submit(client, "/account/password", {
        "current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}), "password")

    client = app.test_client()
    sign_in(client, youth)
    lock(app, youth)
    texts["erase"] = lockout_text(submit(client, "/account/erase", {"password": PASSWORD}),
                                  "erase")

    assert len(set(texts.values())) == 1, texts
    assert re.search(r"\d+ minutes? ", texts["confirm"]), texts  # says when to try again


def test_a_locked_account_without_a_password_is_told_so_when_choosing_one(app, make):
    """Someone guessing a link-only young person's username locks the account; the young
    person, signed in by a fresh link, gets the lockout message rather than an error page."""
    youth = make.user(Role.YOUTH, password=None)
    client = app.test_client()
    with app.app_context():
        token = auth_services.issue_token(db.session.get(User, youth.id), TokenPurpose.SIGN_IN,
                                          timedelta(minutes=15))
        db.session.commit()
    assert post(client, f"/auth/link/{token}").status_code in (302, 303)
    lock(app, youth)
    body = submit(client, "/account/password", {"password": NEW_PASSWORD,
                                                "confirm": NEW_PASSWORD})
    assert re.search(r"Too many wrong tries. Wait \d+ minutes? and try again.", body)
    with app.app_context():
        assert db.session.get(User, youth.id).password_hash is None
