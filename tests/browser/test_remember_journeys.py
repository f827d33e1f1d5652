"""On a phone: a sign-in link asks whether to stay signed in (off unless ticked), and a sent
message's link is read from the delivered copy on the development outbox page."""

import time

import pytest

from peer_groups.domain.roles import Role
from tests.browser.conftest import check_page, heading

pytestmark = pytest.mark.browser


def session_cookie(page):
    return next(c for c in page.context.cookies() if c["name"] == "session")


def open_sent_link(page, t, email):
    """Ask for a link, send it from the dev outbox, and open it from the delivered copy."""
    page.goto("/auth/link")
    page.get_by_label(t("Email or phone number"), exact=True).fill(email)
    page.get_by_role("button", name=t("Send the link"), exact=True).click()
    page.get_by_role("heading", level=1, name=t("Check your messages")).wait_for()
    page.goto("/dev/outbox/")
    page.get_by_role("button", name=t("Send waiting messages"), exact=True).click()
    page.wait_for_url("**/dev/outbox/")
    message = page.locator("ol.outbox > li").first
    assert "sent" in message.locator("p").first.inner_text()
    assert t("Sent. The database no longer keeps the text, so its links are not in backups. "
             "This is the copy in the outbox folder:") in message.inner_text()
    check_page(page)
    message.locator('a[href*="/auth/link/"]').click()
    page.wait_for_url("**/auth/link/**")


@pytest.mark.parametrize("ticked", [False, True])
def test_the_link_page_lets_a_young_person_choose_to_stay_signed_in(page, t, make, ticked):
    make.user(Role.YOUTH, display_name="Aino", email="aino@example.test", password=None,
              language="fi")
    open_sent_link(page, t, "aino@example.test")

    assert heading(page) == t("Sign in")
    box = page.get_by_label(t("Keep me signed in on this phone"), exact=True)
    assert box.get_attribute("type") == "checkbox" and not box.is_checked()
    hint = page.locator(f"#{box.get_attribute('aria-describedby').split()[0]}")
    assert t("Only on your own phone: then you stay signed in for %(long_idle)s after each "
             "visit, %(long_total)s at most. Left unticked (the default), you are signed out "
             "after %(idle)s without use, and after %(total)s at the latest.",
             long_idle="30 päivää", long_total="90 päivää", idle="2 tuntia",
             total="24 tuntia") == hint.inner_text()
    check_page(page)
    if ticked:
        box.check()  # tapping the label works as well as the box
    page.get_by_role("button", name=t("Sign me in"), exact=True).click()
    page.wait_for_url("**/home")
    assert heading(page) == "Hei, Aino!"
    check_page(page)

    expires = session_cookie(page)["expires"]
    if ticked:
        assert round((expires - time.time()) / 86400) == 30
    else:
        assert expires == -1  # gone when the browser closes


def test_the_join_form_offers_staying_signed_in_unticked(page, t, make):
    area = make.area()
    group = make.group(area, name="Lahden ryhmä")
    invitation = make.invitation(group)
    page.goto(f"/join/{invitation.token}")
    box = page.get_by_label(t("Keep me signed in on this phone"), exact=True)
    assert not box.is_checked()
    check_page(page)
