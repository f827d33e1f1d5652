"""Staff sign in with a second factor on a phone: a demo worker with an authenticator, and a
new colleague who sets one up and keeps the recovery codes."""

import re
import time
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import update

from peer_groups.auth.models import AuthSession
from peer_groups.db import db, utcnow
from peer_groups.demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed
from peer_groups.domain.roles import Role
from tests.browser.conftest import check_page, fill_sign_in, heading, sign_in, type_code

pytestmark = pytest.mark.browser


def test_a_demo_worker_signs_in_with_a_code_from_the_authenticator(page, t, app):
    with app.app_context():
        seed()
        db.session.commit()

    page.goto("/groups/")
    page.wait_for_url("**/auth/sign-in**")
    fill_sign_in(page, t, "ohjaaja1.ph@example.fi", DEMO_PASSWORD)
    page.wait_for_url("**/auth/two-factor?next=/groups/")
    assert heading(page) == t("Your code")
    # Until the code is typed, the menu offers nothing but signing out.
    assert page.get_by_role("link", name=t("Groups"), exact=True).count() == 0
    check_page(page)

    page.get_by_label(t("Code"), exact=True).fill("000000")
    page.locator("main form").get_by_role("button", name=t("Continue"), exact=True).click()
    page.get_by_text(t("This code does not work. Check the app and try again.")).wait_for()
    check_page(page)

    type_code(page, t, DEMO_TOTP_SECRET)
    page.wait_for_url("**/groups/")
    assert page.get_by_role("link", name=t("Groups"), exact=True).count() == 1


def test_a_new_colleague_sets_up_an_authenticator_and_keeps_the_recovery_codes(page, t, make):
    worker = make.user(Role.WORKER, totp_secret=None, language="fi")
    page.goto("/auth/sign-in")
    fill_sign_in(page, t, worker.email, "correct horse battery")
    page.wait_for_url("**/auth/two-factor/setup**")
    assert heading(page) == t("Set up your authenticator")
    assert page.get_by_role("img", name=t("QR code for your authenticator app")).is_visible()
    check_page(page)

    secret = page.locator(".secret-key").inner_text().replace(" ", "")
    page.get_by_label(t("Code from the app"), exact=True).fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name=t("Turn it on"), exact=True).click()
    page.wait_for_url("**/auth/two-factor/setup")
    assert heading(page) == t("Your recovery codes")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z0-9]{5}-[a-z0-9]{5}", c) for c in codes)
    check_page(page)

    page.get_by_role("link", name=t("I have saved them"), exact=True).click()
    page.wait_for_url("**/home")
    page.goto("/account/security")
    assert heading(page) == t("Second step at sign-in")
    check_page(page)


def test_a_password_can_be_shown_while_typing_it(page, t):
    page.goto("/auth/sign-in")
    password = page.get_by_label(t("Password"), exact=True)
    password.fill("salainen lause")
    show = page.get_by_role("button", name=t("Show password"), exact=True)
    assert password.get_attribute("type") == "password"
    assert show.get_attribute("aria-pressed") == "false"
    show.click()
    assert password.get_attribute("type") == "text"
    assert show.get_attribute("aria-pressed") == "true"
    check_page(page)
    show.click()
    assert password.get_attribute("type") == "password"


def test_without_javascript_the_show_button_stays_hidden(browser, live_server):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/auth/sign-in")
    assert page.locator("button.show-password").is_hidden()
    context.close()


def test_an_admin_confirms_it_is_them_before_changing_a_role(page, t, app, make):
    area = make.area()
    admin = make.user(Role.ADMIN, area=area, language="fi")
    worker = make.user(Role.WORKER, area=area, display_name="Ville Worker")
    sign_in(page, t, admin)
    with app.app_context():  # as if the password was typed an hour ago
        db.session.execute(update(AuthSession).where(AuthSession.user_id == admin.id).values(
            created_at=utcnow() - timedelta(hours=1), last_seen_at=utcnow()))
        db.session.commit()

    page.goto(f"/admin/users/{worker.id}/edit")
    page.wait_for_url("**/auth/confirm?next=**")
    assert heading(page) == t("Confirm it is you")
    check_page(page)
    page.get_by_label(t("Password"), exact=True).fill("correct horse battery")
    page.get_by_label(t("Code"), exact=True).fill(
        pyotp.TOTP(admin.totp_secret).at(time.time() + 30))  # the sign-in used the current one
    page.locator("main form").get_by_role("button", name=t("Confirm"), exact=True).click()
    page.wait_for_url(f"**/admin/users/{worker.id}/edit")
    assert heading(page) == "Ville Worker"
