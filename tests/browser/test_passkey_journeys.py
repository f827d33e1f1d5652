"""Passkeys in real Chromium, with its virtual authenticator (a phone that always says yes to
the fingerprint): add one, sign out, sign in with it; and the same passkey used on another
origin of the same app is refused by our server's own check of the browser's answer."""

import re

import pytest

from tests.browser.conftest import PHONE, TIMEOUT_MS, check_page, fill_sign_in, heading, serving
from tests.browser.test_groups_journeys import sign_out
from tests.factories import PASSWORD

VIRTUAL_PHONE = {"protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
                 "hasUserVerification": True, "isUserVerified": True}


@pytest.fixture
def servers(app):
    """The app twice: at PUBLIC_URL, and the same app at another origin (another port); on
    localhost, since a passkey's RP id must be a name, not an IP."""
    with serving(app, "localhost") as home, serving(app, "localhost") as elsewhere:
        app.config["PUBLIC_URL"] = home
        yield [home, elsewhere]


def test_a_young_person_adds_a_passkey_and_signs_in_with_their_fingerprint(
        browser, servers, make, t):
    home, elsewhere = servers
    youth = make.user("youth", language="fi", display_name="Aino")
    context = browser.new_context(base_url=home, **PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    problems = []
    context.on("response", lambda r: r.status >= 400 and problems.append(
        f"{r.status} {r.request.method} {r.url}"))
    page = context.new_page()
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": VIRTUAL_PHONE})

    page.goto("/auth/sign-in")
    fill_sign_in(page, t, youth.username, PASSWORD)
    page.wait_for_url("**/home")
    page.goto("/account/")
    page.get_by_role("link", name=t("Passkeys")).click()
    check_page(page)
    page.get_by_role("link", name=t("Add a passkey")).click()
    assert heading(page) == t("Add a passkey")
    check_page(page)
    page.get_by_label(t("Name of the passkey")).fill("Oma puhelin")
    page.locator("main form").get_by_role("button", name=t("Add a passkey")).click()
    page.wait_for_url("**/account/security")
    assert "Oma puhelin" in page.locator("#passkeys-heading + p + ul").inner_text()
    assert t("Not used yet") in page.content()
    check_page(page)  # the list, with its remove button

    sign_out(page, t)
    page.goto("/auth/sign-in")
    check_page(page)
    page.get_by_role("button", name=t("Sign in with a passkey")).click()
    page.wait_for_url("**/home")
    page.goto("/account/security")
    assert t("Not used yet") not in page.content()
    sign_out(page, t)

    # The same app at another origin: the browser signs that origin into its answer, and
    # our server, expecting PUBLIC_URL's, refuses it.
    page.goto(f"{elsewhere}/auth/sign-in")
    page.get_by_role("button", name=t("Sign in with a passkey")).click()
    status = page.locator(".passkey-status")
    status.filter(has_text=re.compile(".+")).wait_for()
    assert status.inner_text() == t("The passkey was not accepted. Try again, or sign in "
                                    "another way.")
    assert "/auth/sign-in" in page.url
    check_page(page)
    context.close()
    assert problems == [f"400 POST {elsewhere}/passkeys/sign-in"]
