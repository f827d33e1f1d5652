"""A locked account on a phone: every form that asks for a password or a code says the same,
in Finnish, says when to try again, and stays accessible."""

import os
import re

import pyotp
import pytest
from flask_babel import force_locale, ngettext
from sqlalchemy import update

from peer_groups.auth.models import User
from peer_groups.db import db, utcnow
from peer_groups.domain.roles import Role
from tests.browser.conftest import check_page, fill_sign_in, sign_in
from tests.factories import PASSWORD, TOTP_SECRET

pytestmark = pytest.mark.browser
NEW_PASSWORD = "uusi pitkä salasana 42"


@pytest.fixture
def app_config():
    return {"ACCOUNT_FAILURE_LIMIT": 3}


def set_failures(app, user, count):
    with app.app_context():
        db.session.execute(update(User).where(User.id == user.id).values(
            failed_sign_ins=count, failed_sign_ins_since=utcnow() if count else None))
        db.session.commit()


def lockout_start(app):
    with app.test_request_context(), force_locale("fi"):
        return ngettext("Too many wrong tries. Wait %(num)s minute and try again.",
                        "Too many wrong tries. Wait %(num)s minutes and try again.", 2
                        ).split(".")[0]


def lockout_shown(page, start, name):
    """The lockout message on the page after a submit (and a screenshot when asked for)."""
    page.wait_for_load_state()
    message = page.get_by_text(re.compile(re.escape(start))).first
    message.wait_for()
    check_page(page)
    if shots := os.environ.get("LOCKOUT_SHOTS"):
        page.screenshot(path=f"{shots}/{name}.png", full_page=True)
    return message.inner_text().strip()


def submit(page, t, button):
    page.locator("main form").get_by_role("button", name=t(button), exact=True).click()


def test_a_locked_account_reads_one_message_on_every_form(page, phone, t, app, make):
    worker = make.user(Role.WORKER, language="fi")
    youth = make.user(Role.YOUTH, language="fi")
    texts, start = {}, lockout_start(app)

    sign_in(page, t, worker)
    set_failures(app, worker, 3)
    page.goto("/account/password")
    page.get_by_label(t("Current password"), exact=True).fill(PASSWORD)
    page.get_by_label(t("New password"), exact=True).fill(NEW_PASSWORD)
    page.get_by_label(t("New password again"), exact=True).fill(NEW_PASSWORD)
    submit(page, t, "Save the password")
    texts["password"] = lockout_shown(page, start, "change-password-locked")

    page.goto("/auth/confirm")
    page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    page.get_by_label(t("Code"), exact=True).fill("123456")
    submit(page, t, "Confirm")
    texts["confirm"] = lockout_shown(page, start, "confirm-locked")

    youth_phone = phone()
    sign_in(youth_phone, t, youth)
    set_failures(app, youth, 3)
    youth_phone.goto("/account/erase")
    youth_phone.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    submit(youth_phone, t, "Yes, erase everything")
    texts["erase"] = lockout_shown(youth_phone, start, "erase-locked")

    assert len(set(texts.values())) == 1, texts
    assert re.search(r"\d+ minuutti", texts["confirm"]), texts  # says when to try again


def test_a_locked_worker_signs_in_with_the_password_and_the_code_together(page, t, app, make):
    """Someone's wrong guesses locked the account: the page doesn't say so (it answers as for
    an unknown account), and the worker gets in by typing the code with the password."""
    worker = make.user(Role.WORKER, language="fi")
    set_failures(app, worker, 3)
    page.goto("/auth/sign-in")
    fill_sign_in(page, t, worker.email, PASSWORD)
    page.get_by_text(t("The details are not right, or there were too many wrong tries. Check "
                       "them and try again, add the code from your authenticator app, or get "
                       "a sign-in link.")).first.wait_for()
    check_page(page)
    if shots := os.environ.get("LOCKOUT_SHOTS"):
        page.screenshot(path=f"{shots}/sign-in-locked.png", full_page=True)
    page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    page.get_by_label(t("Code from your authenticator app"), exact=True).fill(
        pyotp.TOTP(TOTP_SECRET).now())
    page.locator("main form").get_by_role("button", name=t("Sign in"), exact=True).click()
    page.wait_for_url("**/home")
    check_page(page)
