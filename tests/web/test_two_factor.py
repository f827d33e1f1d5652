"""Two-factor sign-in: staff cannot reach personal data without it; codes work once."""

import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import func, select, update

from peer_groups.audit.models import AuditEvent
from peer_groups.auth.models import AuthSession, RecoveryCode, User
from peer_groups.db import db, utcnow
from peer_groups.domain.roles import Role
from peer_groups.notifications.models import OutboxMessage
from tests.conftest import csrf_token, pass_second_factor, post, sign_in
from tests.factories import PASSWORD
from tests.helpers import assert_redirect

RECOVERY = re.compile(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>")
KEY = re.compile(r'class="secret-key" lang="en">([A-Z2-7 ]+)</code>')


def password_only(client, user):
    response = post(client, "/auth/sign-in",
                    {"identifier": user.email or user.username, "password": PASSWORD})
    assert_redirect(response)
    return response


def submit_code(client, code, path="/auth/two-factor"):
    return client.post(path, data={"csrf_token": csrf_token(client, path), "code": code})


def reload(app, user_id):
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def actions(app, user_id):
    with app.app_context():
        return set(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.subject_user_id == user_id)))


def make_stale(app, user_id, minutes=60):
    """As if the password was typed an hour ago (the session is still in use)."""
    with app.app_context():
        db.session.execute(update(AuthSession).where(AuthSession.user_id == user_id).values(
            created_at=utcnow() - timedelta(minutes=minutes), last_seen_at=utcnow(),
            reauthenticated_at=None))
        db.session.commit()


def test_a_new_staff_member_sets_up_an_authenticator_before_anything_else(app, client, make):
    worker = make.user(Role.WORKER, totp_secret=None)
    response = password_only(client, worker)
    assert response.location == "/auth/two-factor/setup?next=/home"
    for page in ("/home", "/groups/", "/workload", "/account/"):
        assert client.get(page).location.startswith("/auth/two-factor/setup"), page
    page = client.get("/auth/two-factor/setup").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    assert 'href="/groups/' not in page  # the menu waits for the second factor
    secret = KEY.search(page).group(1).replace(" ", "")
    assert client.get("/auth/two-factor/setup").get_data(as_text=True).count(
        secret[:4]) >= 1  # the same key on a second visit

    wrong = submit_code(client, "000000", "/auth/two-factor/setup")
    assert wrong.status_code == 200 and "does not work" in wrong.get_data(as_text=True)
    done = submit_code(client, pyotp.TOTP(secret).now(), "/auth/two-factor/setup")
    codes = RECOVERY.findall(done.get_data(as_text=True))
    assert len(codes) == len(set(codes)) == 10
    assert client.get("/home").status_code == 200

    stored = reload(app, worker.id)
    assert stored.totp_secret == secret
    with app.app_context():
        hashes = db.session.scalars(select(RecoveryCode.code_hash).where(
            RecoveryCode.user_id == worker.id)).all()
    assert len(hashes) == 10 and not set(codes) & set(hashes)
    assert all(h.startswith("$argon2id$") for h in hashes)  # salted, slow: ASVS 2.6.2
    assert "auth.two_factor_enabled" in actions(app, worker.id)


def test_a_pending_session_cannot_change_anything(app, client, make):
    worker = make.user(Role.WORKER)
    password_only(client, worker)
    token = csrf_token(client, "/auth/two-factor")
    response = client.post("/groups/new", data={"csrf_token": token, "name": "Not yet"})
    assert_redirect(response)
    assert response.location.startswith("/auth/two-factor")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(
            db.metadata.tables["groups"])) == 0


def test_staff_with_an_authenticator_type_a_code_which_works_only_once(app, client, make):
    worker = make.user(Role.WORKER)
    assert password_only(client, worker).location == "/auth/two-factor?next=/home"
    assert client.get("/reports").location.startswith("/auth/two-factor?next=/reports")
    wrong = submit_code(client, "123456")
    assert "does not work" in wrong.get_data(as_text=True)
    assert reload(app, worker.id).failed_sign_ins == 1
    code = pyotp.TOTP(worker.totp_secret).now()
    assert submit_code(client, code).location == "/home"
    assert reload(app, worker.id).failed_sign_ins == 0

    # Somebody who saw the code over a shoulder, with the password too, cannot use it again.
    other = app.test_client()
    password_only(other, worker)
    replay = submit_code(other, code)
    assert replay.status_code == 200 and "does not work" in replay.get_data(as_text=True)
    assert_redirect(other.get("/home"))
    assert "auth.second_factor_failed" in actions(app, worker.id)  # the reuse is logged


def test_wrong_codes_lock_the_account_like_wrong_passwords(app, client, make):
    worker = make.user(Role.WORKER)
    password_only(client, worker)
    for _ in range(app.config["ACCOUNT_FAILURE_LIMIT"]):
        submit_code(client, "000000")
    locked = submit_code(client, pyotp.TOTP(worker.totp_secret).now())
    assert "Too many wrong tries" in locked.get_data(as_text=True)
    assert_redirect(client.get("/home"))


def test_a_recovery_code_works_once(app, client, make):
    worker = make.user(Role.WORKER)
    sign_in(client, worker)
    codes = RECOVERY.findall(post(client, "/account/security/recovery-codes").get_data(
        as_text=True))
    assert len(codes) == 10
    post(client, "/auth/sign-out")

    password_only(client, worker)
    response = client.post("/auth/two-factor", follow_redirects=True, data={
        "csrf_token": csrf_token(client, "/auth/two-factor"), "code": codes[0].upper()})
    assert "You have 9 left" in response.get_data(as_text=True)
    post(client, "/auth/sign-out")

    password_only(client, worker)
    assert submit_code(client, codes[0]).status_code == 200  # used up
    assert "auth.recovery_code_used" in actions(app, worker.id)


def test_new_recovery_codes_replace_the_old_ones(app, client, make):
    worker = make.user(Role.WORKER)
    sign_in(client, worker)
    first = RECOVERY.findall(post(client, "/account/security/recovery-codes").get_data(
        as_text=True))
    second = RECOVERY.findall(post(client, "/account/security/recovery-codes").get_data(
        as_text=True))
    assert not set(first) & set(second)
    post(client, "/auth/sign-out")
    password_only(client, worker)
    assert submit_code(client, first[0]).status_code == 200
    assert submit_code(client, second[0]).location == "/home"


def test_an_admin_resets_a_colleagues_second_factor_after_confirming(app, client, make):
    area = make.area()
    admin = make.user(Role.ADMIN, area=area)
    worker = make.user(Role.WORKER, area=area)
    colleague = app.test_client()
    sign_in(colleague, worker)
    sign_in(client, admin)
    make_stale(app, admin.id)

    asked = post(client, f"/admin/users/{worker.id}/reset-two-factor")
    assert asked.location.startswith("/auth/confirm?next=")
    assert reload(app, worker.id).totp_secret is not None

    token = csrf_token(client, "/auth/confirm")
    wrong = client.post("/auth/confirm", data={"csrf_token": token, "password": "nope nope",
                                               "code": "000000"})
    assert "not your current password" in wrong.get_data(as_text=True)
    with app.app_context():
        db.session.execute(update(User).where(User.id == admin.id).values(totp_last_step=None))
        db.session.commit()
    confirmed = client.post("/auth/confirm", data={
        "csrf_token": token, "password": PASSWORD, "code": pyotp.TOTP(admin.totp_secret).now(),
        "next": f"/admin/users/{worker.id}/edit"})
    assert confirmed.location == f"/admin/users/{worker.id}/edit"

    done = post(client, f"/admin/users/{worker.id}/reset-two-factor")
    assert done.location == f"/admin/users/{worker.id}/edit"
    assert reload(app, worker.id).totp_secret is None
    assert colleague.get("/home").location.startswith("/auth/sign-in")  # signed out
    assert "user.two_factor_reset" in actions(app, worker.id)
    fresh = app.test_client()
    assert password_only(fresh, worker).location.startswith("/auth/two-factor/setup")


def test_another_areas_admin_cannot_reset(app, client, make):
    worker = make.user(Role.WORKER)
    sign_in(client, make.user(Role.ADMIN))
    assert post(client, f"/admin/users/{worker.id}/reset-two-factor").status_code == 403
    assert reload(app, worker.id).totp_secret is not None


@pytest.mark.parametrize("path", ["/admin/areas/{area}/staff/new", "/admin/users/{worker}/edit",
                                  "/admin/areas/{area}/consent-texts/attendance/new"])
def test_roles_emails_and_consent_texts_ask_for_the_password_again(app, client, make, path):
    area = make.area()
    admin = make.user(Role.ADMIN, area=area)
    worker = make.user(Role.WORKER, area=area)
    url = path.format(area=area.id, worker=worker.id)
    sign_in(client, admin)
    assert client.get(url).status_code == 200  # just signed in: recent enough
    make_stale(app, admin.id)
    response = client.get(url)
    assert response.location == f"/auth/confirm?next={url}"


def test_a_late_role_change_is_not_saved(app, client, make):
    area = make.area()
    admin = make.user(Role.ADMIN, area=area)
    worker = make.user(Role.WORKER, area=area)
    sign_in(client, admin)
    make_stale(app, admin.id)
    response = post(client, f"/admin/users/{worker.id}/edit", {
        "display_name": worker.display_name, "email": worker.email, "role": "admin",
        "team_id": "0", "active": "y"})
    assert response.location.startswith("/auth/confirm")
    assert reload(app, worker.id).role is Role.WORKER


def test_a_late_consent_text_is_not_published(app, client, make):
    area = make.area()
    admin = make.user(Role.ADMIN, area=area)
    sign_in(client, admin)
    base = f"/admin/areas/{area.id}/consent-texts/attendance"
    texts = {"text_fi": "Uusi", "text_sv": "Ny", "text_en": "New"}
    assert post(client, f"{base}/new", texts).status_code == 200  # the preview
    make_stale(app, admin.id)
    response = post(client, f"{base}/publish", {**texts, "base_version": "1"})
    assert response.location == f"/auth/confirm?next={base}/new"
    with app.app_context():
        assert db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "consent_text.published")) == 0


def test_young_people_may_turn_a_second_factor_on_and_off(app, client, make):
    youth = make.user(Role.YOUTH)
    sign_in(client, youth)
    assert "Off." in client.get("/account/security").get_data(as_text=True)
    page = client.get("/auth/two-factor/setup").get_data(as_text=True)
    secret = KEY.search(page).group(1).replace(" ", "")
    submit_code(client, pyotp.TOTP(secret).now(), "/auth/two-factor/setup")
    assert reload(app, youth.id).totp_secret == secret

    other = app.test_client()
    assert password_only(other, youth).location.startswith("/auth/two-factor?")
    make_stale(app, youth.id)
    assert post(client, "/account/security/turn-off").location.startswith("/auth/confirm")
    assert reload(app, youth.id).totp_secret == secret
    token = csrf_token(client, "/auth/confirm")
    client.post("/auth/confirm", data={"csrf_token": token, "password": PASSWORD,
                                       "code": pyotp.TOTP(secret).at(utcnow().timestamp() + 30)})
    assert post(client, "/account/security/turn-off").location == "/account/security"
    assert reload(app, youth.id).totp_secret is None
    assert "auth.two_factor_disabled" in actions(app, youth.id)


def test_staff_cannot_turn_their_second_factor_off(app, client, make):
    worker = make.user(Role.WORKER)
    sign_in(client, worker)
    assert post(client, "/account/security/turn-off").status_code == 403
    assert reload(app, worker.id).totp_secret is not None


def test_replacing_the_authenticator_asks_again_and_ends_other_sessions(app, client, make):
    worker = make.user(Role.WORKER)
    laptop = app.test_client()
    sign_in(laptop, worker)
    sign_in(client, worker)
    make_stale(app, worker.id)
    assert client.get("/auth/two-factor/setup").location.startswith("/auth/confirm")
    with app.app_context():
        db.session.execute(update(AuthSession).where(AuthSession.user_id == worker.id)
                           .values(reauthenticated_at=utcnow()))
        db.session.commit()
    page = client.get("/auth/two-factor/setup").get_data(as_text=True)
    secret = KEY.search(page).group(1).replace(" ", "")
    assert secret != worker.totp_secret
    submit_code(client, pyotp.TOTP(secret).now(), "/auth/two-factor/setup")
    assert reload(app, worker.id).totp_secret == secret
    assert client.get("/home").status_code == 200
    assert laptop.get("/home").location.startswith("/auth/sign-in")
    assert "auth.two_factor_replaced" in actions(app, worker.id)


def test_a_password_change_keeps_this_session_past_its_second_factor(app, client, make):
    worker = make.user(Role.WORKER)
    sign_in(client, worker)
    response = post(client, "/account/password", {
        "current": PASSWORD, "password": "a brand new long phrase", "confirm":
        "a brand new long phrase"})
    assert response.location == "/account/"
    assert client.get("/home").status_code == 200


def test_the_sign_in_helper_really_types_a_code(app, client, make):
    """The tests' own helper goes through the same page, so it cannot hide a broken step."""
    worker = make.user(Role.WORKER)
    password_only(client, worker)
    assert_redirect(client.get("/home"))
    pass_second_factor(client, worker)
    assert client.get("/home").status_code == 200


def messages_to(app, user_id):
    with app.app_context():
        return [m.body for m in db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.user_id == user_id, OutboxMessage.template == "account_changed")
            .order_by(OutboxMessage.id))]


def test_each_change_to_how_one_signs_in_is_told_to_the_person(app, client, make):
    area = make.area()
    admin = make.user(Role.ADMIN, area=area)
    worker = make.user(Role.WORKER, area=area)
    sign_in(client, worker)
    post(client, "/account/security/recovery-codes")
    post(client, "/account/password", {"current": PASSWORD, "password": "a brand new long phrase",
                                       "confirm": "a brand new long phrase"})
    admin_client = app.test_client()
    sign_in(admin_client, admin)
    post(admin_client, f"/admin/users/{worker.id}/reset-two-factor")
    bodies = messages_to(app, worker.id)
    assert len(bodies) == 3
    assert "New recovery codes were made" in bodies[0]
    assert "Your password was changed." in bodies[1]
    assert "An admin reset the second step" in bodies[2]
    assert all("tell your worker or your area's admin" in body for body in bodies)
    assert all("correct horse" not in body and "brand new" not in body for body in bodies)


def test_sign_ins_and_second_factors_are_audited_without_secrets(app, client, make):
    worker = make.user(Role.WORKER)
    sign_in(client, worker)
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.subject_user_id == worker.id).order_by(AuditEvent.id)).all()
        assert [(e.action, e.detail) for e in events] == [
            ("auth.signed_in", "password"), ("auth.second_factor_passed", None)]
        assert PASSWORD not in repr([vars(e) for e in events])
        assert worker.totp_secret not in repr([vars(e) for e in events])


def test_people_see_where_they_are_signed_in_and_can_end_the_others(app, client, make):
    youth = make.user(Role.YOUTH)
    friends_phone, laptop = app.test_client(), app.test_client()
    for other in (friends_phone, laptop):
        sign_in(other, youth)
    sign_in(client, youth)
    page = client.get("/account/security").get_data(as_text=True)
    assert page.count('<li class="card">') == 3 and page.count("This device") == 1
    response = post(client, "/account/security/sign-out-elsewhere", follow_redirects=True)
    assert "Signed out on 2 other devices." in response.get_data(as_text=True)
    assert client.get("/home").status_code == 200
    for other in (friends_phone, laptop):
        assert other.get("/home").location.startswith("/auth/sign-in")
    assert "auth.signed_out_elsewhere" in actions(app, youth.id)
    assert client.get("/account/security").get_data(as_text=True).count(
        '<li class="card">') == 1
