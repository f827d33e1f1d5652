"""Whole journeys through the real browser: a sign-in link, the language switch, signing out."""

import re

import pytest

from peer_groups.domain.roles import Role
from tests.browser.conftest import check_page, html_lang, sign_in

pytestmark = pytest.mark.browser


def heading(page):
    return page.get_by_role("heading", level=1).inner_text().strip()


def test_young_person_signs_in_with_a_link_from_the_outbox(page, t, make, live_server):
    youth = make.user(Role.YOUTH, display_name="Aino", email="aino@example.test")

    page.goto("/")
    page.get_by_role("link", name=t("Get a sign-in link"), exact=True).click()
    page.wait_for_url("**/auth/link")
    page.get_by_label(t("Email or phone number"), exact=True).fill("Aino@Example.test ")
    page.get_by_role("button", name=t("Send the link"), exact=True).click()
    page.get_by_role("heading", level=1, name=t("Check your messages")).wait_for()

    # The request waits for the outbox worker (it answers in seconds; the button does it now),
    # then the development outbox lists the message, with the link clickable.
    page.goto("/dev/outbox/")
    assert t("%(num)s request for a link waits for the outbox worker. It answers in a few "
             "seconds, or press the button.", num=1) in page.locator("main").inner_text()
    check_page(page)
    page.get_by_role("button", name=t("Send waiting messages"), exact=True).click()
    page.wait_for_url("**/dev/outbox/")
    messages = page.locator("ol.outbox > li")
    assert messages.count() == 1
    message = messages.first
    summary = message.locator("p").first.inner_text()
    assert "EMAIL" in summary and youth.email in summary and "sent" in summary
    link = message.locator('a[href*="/auth/link/"]')
    href = link.get_attribute("href")
    assert href.startswith(f"{live_server}/auth/link/")
    assert link.inner_text() == href  # the link's text is the address itself
    check_page(page)

    link.click()
    page.wait_for_url(href)
    assert heading(page) == t("Sign in")
    check_page(page)
    page.get_by_role("button", name=t("Sign me in"), exact=True).click()

    page.wait_for_url("**/home")
    assert heading(page) == "Hi, Aino!"  # in the young person's own language, English
    assert page.get_by_role("status").inner_text() == "Welcome, Aino!"
    assert html_lang(page) == "en"
    check_page(page)

    # The link worked once; opening it again explains what to do instead.
    response = page.goto(href)
    assert response.status == 410
    assert heading(page) == "This link no longer works"


@pytest.mark.parametrize(
    ("button", "lang"), [("På svenska", "sv"), ("In English", "en")]
)
def test_language_buttons_switch_the_page_language(page, t, button, lang):
    page.goto("/auth/sign-in")
    assert html_lang(page) == "fi"
    switch = page.get_by_role("group", name=t("Language"))
    assert switch.locator("[aria-current=true]").inner_text() == "Suomeksi"

    switch.get_by_role("button", name=button).click()
    page.wait_for_function(f"document.documentElement.lang === '{lang}'")
    assert page.url.endswith("/auth/sign-in")  # the same page, now in the new language
    assert heading(page) == t("Sign in", lang)
    switch = page.get_by_role("group", name=t("Language", lang))
    assert switch.locator("[aria-current=true]").inner_text() == button
    check_page(page)

    # The choice sticks for the next page too.
    page.goto("/")
    assert html_lang(page) == lang
    assert heading(page) == t("Peer groups for young people in aftercare", lang)

    switch = page.get_by_role("group", name=t("Language", lang))
    switch.get_by_role("button", name="Suomeksi").click()
    page.wait_for_function("document.documentElement.lang === 'fi'")
    assert heading(page) == t("Peer groups for young people in aftercare")


def test_staff_member_signs_out_and_back_cannot_reopen_home(page, t, make):
    worker = make.user(Role.WORKER, display_name="Ville Worker")
    sign_in(page, t, worker)
    assert heading(page) == "Hi, Ville Worker!"
    assert page.get_by_role("navigation", name="Main menu").count() == 1

    page.get_by_role("navigation").get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/$"))
    assert page.get_by_role("status").inner_text() == t("You have signed out. See you soon!")
    # No signed-in menu any more (the footer's links about the service stay).
    assert page.get_by_role("navigation", name="Main menu").count() == 0
    check_page(page)

    # Back to /home: the browser must not show the old page from its cache.
    page.go_back()
    page.wait_for_url(re.compile(r"/auth/sign-in\?next=%2Fhome$"))
    assert heading(page) == t("Sign in")
    assert "Ville Worker" not in page.content()

    page.goto("/home")
    page.wait_for_url(re.compile(r"/auth/sign-in\?next=%2Fhome$"))
    page.reload()
    assert heading(page) == t("Sign in")
    assert "Ville Worker" not in page.content()
