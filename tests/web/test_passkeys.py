"""Passkeys over HTTP: adding, signing in instead of password and code, the refusals, removing,
and an area that requires them of its admins. The answers are real WebAuthn answers made by a
software passkey (tests/authenticator.py), checked by the app's own py_webauthn verification.
"""

import json

from sqlalchemy import select

from peer_groups.audit.models import AuditEvent
from peer_groups.auth.models import AuthSession
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.notifications.models import OutboxMessage
from peer_groups.passkeys.models import Passkey
from tests.authenticator import SoftPasskey, challenge_of
from tests.conftest import csrf_token, post, sign_in
from tests.factories import PASSWORD
from tests.web.test_two_factor import make_stale


def send(client, path, body=None, page="/auth/sign-in"):
    """A JSON POST as the page's script sends it: the CSRF token in a header."""
    return client.post(path, data=json.dumps(body or {}), content_type="application/json",
                       headers={"X-CSRFToken": csrf_token(client, page)})


def add_passkey(client, passkey=None, name="My phone"):
    passkey = passkey or SoftPasskey()
    options = send(client, "/passkeys/new/options", page="/passkeys/new").get_json()
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert len(challenge_of(options)) == 32  # 256 bits from `secrets`
    response = send(client, "/passkeys/new/credential",
                    {"credential": passkey.create(options), "name": name}, page="/passkeys/new")
    assert response.status_code == 200, response.get_json()
    return passkey, response.get_json()["redirect"]


def sign_in_with(client, passkey, origin=None, next_url=None, page="/auth/sign-in"):
    options = send(client, "/passkeys/sign-in/options", page=page).get_json()
    assert options["userVerification"] == "required" and not options.get("allowCredentials")
    return send(client, "/passkeys/sign-in", {"credential": passkey.get(options, origin),
                                              "next": next_url}, page=page)


def sign_out(client):
    post(client, "/auth/sign-out")


def actions(app, user_id):
    with app.app_context():
        return [action for action, in db.session.execute(select(AuditEvent.action).where(
            AuditEvent.subject_user_id == user_id).order_by(AuditEvent.id))]


def told(app, user_id):
    with app.app_context():
        return [m.body for m in db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.user_id == user_id, OutboxMessage.template == "account_changed"))]


def test_a_young_person_adds_a_passkey_and_signs_in_with_it_instead_of_a_password(
        app, client, make):
    youth = make.user(Role.YOUTH)
    sign_in(client, youth)
    account = client.get("/account/").get_data(as_text=True)
    assert "fingerprint or face" in account
    assert "You do not have to." in account
    passkey, went = add_passkey(client)
    assert went == "/account/security"
    page = client.get("/account/security").get_data(as_text=True)
    assert "My phone" in page and "Not used yet" in page
    assert "passkey.added" in actions(app, youth.id)
    assert any("A passkey was added" in body for body in told(app, youth.id))

    sign_out(client)
    response = sign_in_with(client, passkey)
    assert response.status_code == 200 and response.get_json()["redirect"] == "/home"
    assert client.get("/home").status_code == 200
    assert "Last used" in client.get("/account/security").get_data(as_text=True)
    assert actions(app, youth.id)[-2:] == ["passkey.used", "auth.signed_in"]
    # Its first use is told (a stranger's passkey would show); later ones only in the list.
    assert sum("for the first time" in body for body in told(app, youth.id)) == 1
    sign_out(client)
    sign_in_with(client, passkey)
    assert sum("for the first time" in body for body in told(app, youth.id)) == 1


def test_a_staff_passkey_counts_as_both_factors(app, client, make):
    worker = make.user(Role.WORKER)
    sign_in(client, worker)
    passkey, _ = add_passkey(client)
    sign_out(client)
    response = sign_in_with(client, passkey, next_url="/groups/")
    assert response.get_json()["redirect"] == "/groups/"  # no code asked
    assert client.get("/groups/").status_code == 200
    with app.app_context():
        row = db.session.scalars(select(AuthSession).where(
            AuthSession.user_id == worker.id)).one()
        assert row.second_factor_at is not None


def test_answers_to_another_challenge_origin_or_an_unknown_passkey_are_refused(
        app, client, make):
    youth = make.user(Role.YOUTH)
    sign_in(client, youth)
    passkey, _ = add_passkey(client)
    sign_out(client)

    # A challenge this server never gave (or gave another browser).
    send(client, "/passkeys/sign-in/options")
    forged = send(client, "/passkeys/sign-in",
                  {"credential": passkey.get({"challenge": "AAAAAAAAAAAAAAAAAAAAAA"})})
    assert forged.status_code == 400 and "not accepted" in forged.get_json()["error"]
    # Signed on another site: the browser wrote that site's origin into the answer.
    phished = sign_in_with(client, passkey, origin="http://vertaisryhmat.example.com")
    assert phished.status_code == 400 and "not accepted" in phished.get_json()["error"]
    # A passkey this service does not know.
    stranger = sign_in_with(client, SoftPasskey())
    assert stranger.status_code == 400 and "not in use here" in stranger.get_json()["error"]
    # The right passkey claiming another account's user handle.
    handle, passkey.user_handle = passkey.user_handle, "b3RoZXItcGVyc29u"
    assert sign_in_with(client, passkey).status_code == 400
    passkey.user_handle = handle
    # Nothing, or nonsense.
    assert send(client, "/passkeys/sign-in", {"credential": "x"}).status_code == 400
    assert client.get("/home").status_code == 302  # still signed out
    assert "passkey.refused" in actions(app, youth.id)


def test_a_challenge_works_once_even_with_an_old_copy_of_the_cookie(app, client, make):
    youth = make.user(Role.YOUTH)
    sign_in(client, youth)
    passkey, _ = add_passkey(client)
    sign_out(client)
    options = send(client, "/passkeys/sign-in/options").get_json()
    cookie = client.get_cookie("session").value  # holds the challenge
    answer = passkey.get(options)
    token = csrf_token(client)
    first = client.post("/passkeys/sign-in", data=json.dumps({"credential": answer}),
                        content_type="application/json", headers={"X-CSRFToken": token})
    assert first.status_code == 200
    sign_out(client)
    client.set_cookie("session", cookie)  # as if someone had copied it before
    again = client.post("/passkeys/sign-in", data=json.dumps({"credential": answer}),
                        content_type="application/json", headers={"X-CSRFToken": token})
    assert again.status_code == 400 and "took too long" in again.get_json()["error"]


def test_a_copied_passkey_whose_count_does_not_move_on_is_refused(app, client, make):
    youth = make.user(Role.YOUTH)
    sign_in(client, youth)
    passkey, _ = add_passkey(client)
    sign_out(client)
    assert sign_in_with(client, passkey).status_code == 200
    sign_out(client)
    passkey.sign_count = 0  # a clone, made before that sign-in: its counter is behind
    cloned = sign_in_with(client, passkey)
    assert cloned.status_code == 400 and "not accepted" in cloned.get_json()["error"]


def test_answers_of_any_shape_are_refused_with_words_never_a_500(client, make):
    sign_in(client, make.user(Role.YOUTH))
    shapes = [None, [], "x", 5, {"credential": []}, {"credential": {"response": "x"}},
              {"credential": {"id": ["x"], "response": {}}, "next": 5, "name": ["x"]}]
    for options, path in (("/passkeys/sign-in/options", "/passkeys/sign-in"),
                          ("/passkeys/new/options", "/passkeys/new/credential")):
        for shape in shapes:
            send(client, options, page="/passkeys/new")  # a live challenge in the session
            response = send(client, path, shape, page="/passkeys/new")
            assert response.status_code == 400 and response.get_json()["error"], (path, shape)
    assert client.post("/passkeys/sign-in", data=b"\xff{", content_type="application/json",
                       headers={"X-CSRFToken": csrf_token(client, "/account/")}).status_code == 400


def test_a_passkey_sign_in_without_the_csrf_token_is_refused(client):
    response = client.post("/passkeys/sign-in/options", data="{}",
                           content_type="application/json")
    assert response.status_code == 400


def test_removing_a_passkey_asks_to_confirm_it_is_you_and_is_told(app, client, make):
    youth = make.user(Role.YOUTH)
    other = make.user(Role.YOUTH)
    sign_in(client, youth)
    add_passkey(client)
    with app.app_context():
        passkey_id = db.session.scalar(select(Passkey.id).where(Passkey.user_id == youth.id))
    make_stale(app, youth.id)
    response = post(client, f"/passkeys/{passkey_id}/remove")
    assert response.location.startswith("/auth/confirm")
    post(client, "/auth/confirm", {"password": PASSWORD})
    sign_in(client, youth)  # fresh again
    response = post(client, f"/passkeys/{passkey_id}/remove")
    assert response.location == "/account/security"
    with app.app_context():
        assert db.session.get(Passkey, passkey_id) is None
    assert "passkey.removed" in actions(app, youth.id)
    assert any("A passkey was removed" in body for body in told(app, youth.id))

    other_client = app.test_client()
    sign_in(other_client, other)
    assert post(other_client, f"/passkeys/{passkey_id}/remove").status_code == 404


def test_an_area_can_require_passkeys_of_its_admins(app, client, make):
    area = make.area()
    admin = make.user(Role.ADMIN, area=area)
    worker = make.user(Role.WORKER, area=area)
    sign_in(client, admin)
    form = {"name": area.name, "youth_upper_age": "23", "admins_need_passkey": "y"}
    assert post(client, f"/admin/areas/{area.id}/edit", form).status_code == 302

    # The admin's own next page, and every one after, asks for a passkey first.
    response = client.get("/groups/")
    assert response.location == "/passkeys/required?next=/groups/"
    assert "Add a passkey" in client.get(response.location).get_data(as_text=True)
    passkey, went = add_passkey(client)
    assert went.startswith("/passkeys/required")
    assert "use it to go on" in client.get("/passkeys/required").get_data(as_text=True)
    assert client.get("/home").location.startswith("/passkeys/required")
    assert sign_in_with(client, passkey, page="/passkeys/required").status_code == 200
    assert client.get("/groups/").status_code == 200

    # Signing in with password and code again: the passkey is asked for again.
    sign_out(client)
    sign_in(client, admin)
    assert client.get("/home").location.startswith("/passkeys/required")
    # Other staff of the area keep password and code.
    worker_client = app.test_client()
    sign_in(worker_client, worker)
    assert worker_client.get("/home").status_code == 200
