"""Signing in and out, sessions that really end, and the per-account failure limit."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from peer_groups.auth.models import AuthSession, User
from peer_groups.db import db, utcnow
from peer_groups.domain.roles import Role
from tests.conftest import csrf_token, post, sign_in
from tests.helpers import assert_redirect


def test_staff_signs_in_and_lands_on_home(client, make):
    worker = make.user(Role.WORKER)
    response = sign_in(client, worker)
    assert response.headers["Location"] == "/home"
    assert client.get("/home").status_code == 200


def test_wrong_password_is_refused_with_a_clear_message(client, make):
    worker = make.user(Role.WORKER)
    response = post(client, "/auth/sign-in", {"identifier": worker.email, "password": "nope nope"})
    assert response.status_code == 200
    assert "The details are not right" in response.get_data(as_text=True)
    assert client.get("/home").headers["Location"].startswith("/auth/sign-in")


def test_youth_signs_in_with_username(client, make):
    make.user(Role.YOUTH, username="Aino2008")
    response = post(client, "/auth/sign-in",
                    {"identifier": "aino2008", "password": "correct horse battery"})
    assert response.headers["Location"] == "/home"


def test_sign_out_ends_the_session_even_for_a_replayed_cookie(app, client, make):
    user = make.user(Role.WORKER)
    sign_in(client, user)
    stolen = client.get_cookie("session").value
    post(client, "/auth/sign-out")
    assert_redirect(client.get("/home"))

    replay = app.test_client()
    replay.set_cookie("session", stolen)
    response = replay.get("/home")
    assert_redirect(response)
    assert response.headers["Location"].startswith("/auth/sign-in")


def test_sign_in_issues_a_fresh_session(client, make):
    user = make.user(Role.WORKER)
    csrf_token(client)
    before = client.get_cookie("session").value
    sign_in(client, user)
    assert client.get_cookie("session").value != before


def test_the_session_cookie_holds_no_personal_data(app, client, make):
    user = make.user(Role.WORKER, email="very.personal@example.com", display_name="Secret Name")
    sign_in(client, user)
    # The cookie is signed, not encrypted: anyone can read it. Decode it as anyone would.
    serializer = app.session_interface.get_signing_serializer(app)
    contents = serializer.loads(client.get_cookie("session").value)
    assert set(contents) <= {"_user_id", "_fresh", "_permanent", "csrf_token", "lang"}
    assert contents["_user_id"] != str(user.id)
    assert len(contents["_user_id"]) >= 40  # an opaque random token
    assert "very.personal" not in str(contents) and "Secret Name" not in str(contents)


def test_idle_session_times_out(app, client, make):
    user = make.user(Role.WORKER)
    sign_in(client, user)
    with app.app_context():
        row = db.session.scalars(select(AuthSession)).one()
        row.last_seen_at = utcnow() - app.config["STAFF_IDLE_TIMEOUT"] - timedelta(seconds=1)
        db.session.commit()
    assert_redirect(client.get("/home"))


def test_absolute_timeout_holds_even_for_an_active_session(app, client, make):
    user = make.user(Role.WORKER)
    sign_in(client, user)
    with app.app_context():
        row = db.session.scalars(select(AuthSession)).one()
        row.created_at = utcnow() - app.config["STAFF_ABSOLUTE_TIMEOUT"]
        db.session.commit()
    assert_redirect(client.get("/home"))


@pytest.fixture
def app_config():
    return {"ACCOUNT_FAILURE_LIMIT": 3}


def test_account_locks_after_too_many_failures_even_with_the_right_password(app, client, make):
    user = make.user(Role.WORKER)
    for _ in range(3):
        post(client, "/auth/sign-in", {"identifier": user.email, "password": "wrong password"})
    response = post(client, "/auth/sign-in",
                    {"identifier": user.email, "password": "correct horse battery"})
    assert response.status_code == 200
    assert "too many wrong tries" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.failed_sign_ins).where(User.id == user.id)) == 3
        assert db.session.scalar(select(func.count(AuthSession.id))) == 0


def test_next_only_redirects_to_local_paths(client, make):
    user = make.user(Role.YOUTH)  # no second factor: the sign-in answers with `next` itself
    for target in ["https://evil.example/", "//evil.example/x", "/\\evil.example"]:
        response = post(client, f"/auth/sign-in?next={target}",
                        {"identifier": user.email, "password": "correct horse battery"})
        assert response.headers["Location"] == "/home"
        post(client, "/auth/sign-out")
    response = post(client, "/auth/sign-in?next=/account/",
                    {"identifier": user.email, "password": "correct horse battery"})
    assert response.headers["Location"] == "/account/"
