"""Notices in the app, on a phone in a real browser (issue 14, "Done when").

A young person who joins with only a name and a password has no email or phone: when a place
opens for them, the notice in the app is how they hear. `check_page` (no sideways scroll, axe
WCAG 2.1 A/AA) runs on every page visited.
"""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask_babel import force_locale, ngettext
from sqlalchemy import select

from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.signups import services as signups
from tests.browser.conftest import check_page, flashes, heading, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "kissa kävelee kuussa"  # noqa: S105 - a test password, not a common one
SHOTS = Path("/work/wt/shots/notices")


@pytest.fixture
def nt(app):
    """`nt("%(num)s unread", "%(num)s unread", 1)` in Finnish, as the app would say it."""

    def translate(singular, plural, num, lang="fi"):
        with app.test_request_context(), force_locale(lang):
            return ngettext(singular, plural, num)

    return translate


def shot(page, name):
    """A screenshot for a person to look at, when the folder exists (not in CI)."""
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def menu(page, t):
    return page.get_by_role("navigation", name=t("Main menu"))


def test_a_young_person_without_contact_details_is_told_in_the_app(page, phone, t, nt, app,
                                                                   make):
    area = make.area(name="Pirkanmaa")
    worker = make.user(Role.WORKER, area=area, language="fi")
    aino = make.user(Role.YOUTH, area=area, display_name="Aino", language="fi")
    group = make.group(area, facilitators=[worker], members=[aino], name="Tampereen torstait")
    meeting = make.meeting(group, capacity=1, venue_name="Kulma", venue_address="Hämeenkatu 1")
    with make.session():
        signups.sign_up(meeting.id, aino)  # the only place is taken
    invitation = make.invitation(group)
    meeting_url = f"/meetings/{meeting.id}"

    # Nelli joins with a name and a password only: no email, no phone.
    page.goto(f"/join/{invitation.token}")
    page.get_by_label(t("Your name or nickname"), exact=True).fill("Nelli")
    page.get_by_label(t("Birth year"), exact=True).fill(str(datetime.now(UTC).year - 18))
    page.get_by_role("radio", name=t("With a password"), exact=True).check()
    page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t("Join the group"), exact=True).click()
    page.wait_for_url("**/home")
    assert heading(page) == t("Hi, %(name)s!", name="Nelli")
    with app.app_context():
        nelli = db.session.scalars(select(User).where(User.display_name == "Nelli")).one()
        assert (nelli.email, nelli.phone) == (None, None)
    # No unread notices yet: the menu says just "Notices".
    assert menu(page, t).get_by_role("link", name=t("Notices"), exact=True).is_visible()

    # The meeting is full: she signs up and lands on the waiting list.
    page.goto(meeting_url)
    page.get_by_role("button", name=t("Full: join the waiting list"), exact=True).click()
    page.wait_for_url(f"**{meeting_url}")
    # With no email or phone, the promise says where she will hear: here in the app.
    assert flashes(page) == [t("The meeting is full, so you are on the waiting list. We will "
                               "tell you %(how)s if a place opens.", how=t("here in the app"))]
    check_page(page)

    # Aino, on her own phone, cancels her place.
    aino_page = phone()
    sign_in(aino_page, t, aino)
    aino_page.goto(f"{meeting_url}/cancel")
    aino_page.get_by_role("button", name=t("Yes, cancel"), exact=True).click()
    aino_page.wait_for_url(f"**{meeting_url}")

    # Nelli's menu now counts one unread notice, and says so to a screen reader.
    page.goto("/home")
    unread = f"{t('Notices')}, {nt('%(num)s unread', '%(num)s unread', 1)}"
    assert unread == "Ilmoitukset, 1 lukematta"
    link = menu(page, t).get_by_role("link", name=unread, exact=True)
    assert link.locator(".nav-count").inner_text() == "1"
    check_page(page)
    shot(page, "1-home-with-unread-badge")

    link.click()
    page.wait_for_url("**/notices/")
    assert heading(page) == t("Notices")
    card = page.locator("main .card").first
    assert card.get_by_role("heading", level=2).inner_text().startswith(
        t("A place opened for you"))
    assert card.locator(".badge-new").inner_text() == t("New")
    text = card.locator(".notice-text").inner_text()
    assert text.startswith(t("Good news: a place opened up and it is yours. You are signed up "
                             "for this meeting:"))
    assert "Tampereen torstait" in text and "Kulma, Hämeenkatu 1" in text
    assert not re.search(r"https?://", text)
    # Read now: the badge is gone from the menu.
    assert menu(page, t).get_by_role("link", name=t("Notices"), exact=True).is_visible()
    assert page.locator(".nav-count").count() == 0
    check_page(page)
    shot(page, "2-notices-list")

    card.get_by_role("link", name=t("See the meeting"), exact=True).click()
    page.wait_for_url(f"**{meeting_url}")
    assert page.get_by_text(t("You have a place. See you there!"), exact=True).is_visible()
    check_page(page)
    shot(page, "3-meeting-with-place")
