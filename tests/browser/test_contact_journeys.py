"""On a phone: a young person with no email or phone adds a number, reads the code from the
outbox and types it back; from then on the pages say they are told by text message."""

import re

import pytest

from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain.contacts import mask_phone
from peer_groups.domain.roles import Role
from tests.browser.conftest import check_page, flashes, heading, sign_in

pytestmark = pytest.mark.browser

CODE = re.compile(r"\b(\d{6})\b")


def test_a_young_person_adds_a_phone_and_confirms_it_with_the_code(page, t, app, make):
    aino = make.user(Role.YOUTH, display_name="Aino", email=None, language="fi")
    sign_in(page, t, aino)

    page.goto("/account/")
    page.get_by_role("link", name=t("Add or change your email or phone, and choose how we "
                                     "tell you"), exact=True).click()
    page.wait_for_url("**/account/contact")
    assert heading(page) == t("Email, phone and messages")
    in_the_app = t("here in the app")
    assert t("Right now we tell you %(how)s.", how=in_the_app) in page.locator("main").inner_text()
    check_page(page)

    page.get_by_role("link", name=t("Add a phone number"), exact=True).click()
    page.wait_for_url("**/account/contact/phone")
    page.get_by_label(t("New phone number"), exact=True).fill("040 12")
    page.get_by_role("button", name=t("Send me a code"), exact=True).click()
    page.wait_for_load_state()
    assert t("Write a phone number, like 040 123 4567 or +358 40 123 4567.") in page.locator(
        "main").inner_text()
    assert page.get_by_label(t("New phone number"), exact=True).input_value() == "040 12"
    check_page(page)
    page.get_by_label(t("New phone number"), exact=True).fill("040 123 4567")
    page.get_by_role("button", name=t("Send me a code"), exact=True).click()
    page.wait_for_url("**/account/contact/phone/code")
    assert heading(page) == t("Type the code")
    check_page(page)
    with app.app_context():
        assert db.session.get(User, aino.id).phone is None  # not hers until the code is back

    # The text message waits in the development outbox, as it would on the phone.
    page.goto("/dev/outbox/")
    message = page.locator("ol.outbox > li").first
    assert "SMS" in message.inner_text() and "+358401234567" in message.inner_text()
    code = CODE.search(message.locator("pre").inner_text()).group(1)

    page.goto("/account/contact/phone/code")
    page.get_by_label(t("Code"), exact=True).fill(code)
    page.get_by_role("button", name=t("Confirm"), exact=True).click()
    page.wait_for_url("**/account/contact")
    assert flashes(page) == [t("Confirmed. It is now on your account.")]
    by_text = t("by text message to %(number)s", number=mask_phone("+358401234567"))
    main = page.locator("main").inner_text()
    assert t("Right now we tell you %(how)s.", how=by_text) in main
    assert "040 123 4567" in main
    check_page(page)

    page.get_by_label(t("By text message"), exact=True).check()
    page.get_by_role("button", name=t("Save"), exact=True).click()
    page.wait_for_url("**/account/contact")
    assert flashes(page) == [t("Saved. From now on we tell you %(how)s.", how=by_text)]
    with app.app_context():
        assert db.session.get(User, aino.id).phone == "+358401234567"
    check_page(page)
