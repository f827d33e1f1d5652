"""On a 360 px phone with axe: a worker messages a group, a young person leaves a group, and
the calendar page's copy button (with the address still selectable without JavaScript)."""

import pytest
from flask_babel import force_locale
from playwright.sync_api import expect
from sqlalchemy import select

from peer_groups.db import db
from peer_groups.domain.group_messages import Reach
from peer_groups.domain.roles import Role
from peer_groups.domain.signups import SignupStatus
from peer_groups.group_messages.views import reach_text
from peer_groups.notifications.models import OutboxMessage
from peer_groups.signups import services as signups
from peer_groups.signups.models import Signup
from tests.browser.conftest import PHONE, check_page, flashes, heading, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def world(app, make):
    area = make.area(name="Päijät-Häme")
    worker = make.user(Role.WORKER, area=area, display_name="Wilma Ohjaaja", language="fi")
    leaver = make.user(Role.YOUTH, area=area, display_name="Lea Lähtijä", language="fi")
    waiting = make.user(Role.YOUTH, area=area, display_name="Veera Jonossa", language="fi",
                        email=None, phone="0401234567")
    quiet = make.user(Role.YOUTH, area=area, display_name="Aku Apissa", language="fi",
                      email=None)
    group = make.group(area, facilitators=[worker], members=[leaver, waiting, quiet],
                       name="Lahden vertaisryhmä")
    meeting = make.meeting(group, capacity=1, venue_name="Nuorisotalo",
                           venue_address="Kirkkokatu 5")
    with app.app_context():
        signups.sign_up(meeting.id, leaver)
        signups.sign_up(meeting.id, waiting)  # full: number 1 in line
        db.session.commit()
    return {"worker": worker, "leaver": leaver, "waiting": waiting, "group": group,
            "meeting": meeting}


def test_a_worker_messages_the_group_from_the_phone(page, t, app, world):
    sign_in(page, t, world["worker"])
    page.goto(f"/groups/{world['group'].id}")
    page.get_by_role("link", name=t("Message the group"), exact=True).click()
    assert heading(page) == t("Send a message")
    check_page(page)
    page.get_by_label(t("Your message"), exact=True).fill(
        "Menemme keilaamaan, ota sisäkengät mukaan!")
    page.get_by_role("button", name=t("Check before sending"), exact=True).click()
    assert heading(page) == t("Check your message")
    assert "sisäkengät" in page.locator(".message-preview").inner_text()
    check_page(page)
    page.get_by_role("button", name=t("Send the message"), exact=True).click()
    page.wait_for_url(f"**/groups/{world['group'].id}")
    with app.test_request_context(), force_locale("fi"):
        expected = reach_text(Reach(email=1, sms=1, app_only=1))
    assert flashes(page) == [expected]
    assert expected.startswith("Lähetetty 3 henkilölle: 1 sähköpostilla")
    check_page(page)


def test_a_young_person_leaves_and_the_next_in_line_gets_the_place(page, t, app, world):
    sign_in(page, t, world["leaver"])
    page.goto(f"/groups/{world['group'].id}")
    page.get_by_role("link", name=t("Leave this group"), exact=True).click()
    assert heading(page) == t("Leave %(group)s?", group="Lahden vertaisryhmä")
    check_page(page)
    page.get_by_role("button", name=t("Yes, leave the group"), exact=True).click()
    page.wait_for_url("**/groups/")
    assert flashes(page) == [t("You have left %(group)s. Your worker can invite you back any "
                               "time.", group="Lahden vertaisryhmä")]
    check_page(page)
    with app.app_context():
        status = db.session.scalar(select(Signup.status).where(
            Signup.meeting_id == world["meeting"].id, Signup.user_id == world["waiting"].id))
        told = db.session.scalars(select(OutboxMessage.user_id).where(
            OutboxMessage.template == "promoted")).all()
    assert status is SignupStatus.CONFIRMED and told == [world["waiting"].id]


def test_the_calendar_link_copies_and_stays_selectable_without_scripts(browser, live_server,
                                                                      page, t, world):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(page, t, world["leaver"])
    page.goto("/account/calendar")
    page.get_by_role("button", name=t("Make my calendar link"), exact=True).click()
    address = page.get_by_label(t("Your private calendar link"), exact=True)
    url = address.input_value()
    assert url.startswith(live_server) and url.endswith(".ics")
    subscribe = page.get_by_role("link", name=t("Subscribe in my calendar"), exact=True)
    assert subscribe.get_attribute("href") == "webcal://" + url.split("://", 1)[1]
    check_page(page)
    page.get_by_role("button", name=t("Copy the link"), exact=True).click()
    expect(page.locator("#feed-url-copied")).to_have_text(t("The link is copied."))
    assert page.evaluate("navigator.clipboard.readText()") == url
    check_page(page)

    # The same page without JavaScript: no copy button, the address still there to select.
    cookies = page.context.cookies()
    plain = browser.new_context(base_url=live_server, java_script_enabled=False, **PHONE)
    try:
        plain.add_cookies(cookies)
        bare = plain.new_page()
        bare.goto("/account/calendar")
        field = bare.get_by_label(t("Your private calendar link"), exact=True)
        assert field.input_value() == url and field.get_attribute("readonly") is not None
        assert bare.locator("button.copy-button").is_hidden()
    finally:
        plain.close()
