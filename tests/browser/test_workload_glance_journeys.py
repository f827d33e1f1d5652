"""A coordinator in the demo data reads the month short of staff in one sentence and opens its
meetings, on a 360 px phone (nothing scrolls sideways; axe finds nothing) and on a laptop.

The demo (peer_groups/demo/seed.py): each area's two groups meet monthly, each meeting run
by two workers, with 14 h a month each for peer work; in the holiday month the second worker
has 4 h and works at neither group. That month, Päijät-Häme needs 2 meetings × (2 + 2 × 3 +
6 × 10 / 60) = 2 × 9 = 18 h (the groups have averaged 6 young people) against
14 × 0.8 + 4 × 0.8 = 11.2 + 3.2 = 14.4 h: 3.6 h short, and both meetings lack a worker.
Every other month has 22.4 h for the 18 h. The coordinator's own 4 h are not counted.

Set SHOTS=/some/folder to keep screenshots of the pages read.
"""

import os
from decimal import Decimal
from types import SimpleNamespace

import pytest
from flask_babel import force_locale, ngettext
from sqlalchemy import select

from peer_groups import i18n
from peer_groups.auth.models import User
from peer_groups.db import db, utcnow
from peer_groups.demo.seed import DEMO_PASSWORD, holiday_month, seed
from peer_groups.domain.schedule import local_date_of
from peer_groups.meetings.models import Meeting
from tests.browser.conftest import LAPTOP, PHONE, assert_accessible, check_page, sign_in

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("SHOTS")


@pytest.fixture
def demo(app):
    with app.app_context():
        seed()
        db.session.commit()
        user = db.session.scalars(select(User).where(
            User.email == "koordinaattori.ph@example.fi")).one()
        return SimpleNamespace(
            coordinator=SimpleNamespace(email=user.email, username=None,
                                        totp_secret=user.totp_secret, language=user.language),
            holiday=holiday_month(utcnow()))


def short_sentence(app, month) -> str:
    """The sentence the page should say, in Finnish, from the app's own catalogue."""
    with app.test_request_context(), force_locale("fi"):
        return ngettext(
            "%(month)s: %(hours)s h more needed than available: %(num)s meeting lacks a worker.",
            "%(month)s: %(hours)s h more needed than available: %(num)s meetings lack a worker.",
            2, month=i18n.month_name(month), hours=i18n.hours(Decimal("3.6"), 1))


def shoot(page, name, *sections):
    """The whole page, its first screen, and each section named (a CSS selector)."""
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}-top.png"))
        for index, selector in enumerate(sections):
            page.locator(selector).first.screenshot(
                path=os.path.join(SHOTS, f"{name}-part{index + 1}.png"))


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_the_short_month_in_one_sentence_and_its_meetings(browser, live_server, app, t, demo,
                                                          size):
    context = browser.new_context(base_url=live_server, **(PHONE if size == "phone" else LAPTOP))
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        sign_in(page, t, demo.coordinator, DEMO_PASSWORD)
        page.goto("/workload")
        check_page(page) if size == "phone" else assert_accessible(page)
        sentences = page.locator("#glance .shortage-sentence").all_inner_texts()
        assert sentences == [short_sentence(app, demo.holiday)]  # one month short, only one
        chart = page.locator("svg.chart")
        assert chart.locator("text.tick-label").count() >= 3  # a value axis
        assert chart.locator("text.bar-value").first.text_content().strip().isdigit()
        assert page.locator(".legend li").count() == 3
        shoot(page, f"workload-{size}-fi", "#glance", "section:has(#chart-heading)",
              "section:has(#groups-heading)")
        links = page.locator("#glance .shortage a[href^='/meetings/']")
        assert links.count() == 2
        first = links.first.get_attribute("href")
        links.first.click()
        page.wait_for_url(f"**{first}")
        with app.app_context():
            meeting = db.session.get(Meeting, int(first.rsplit("/", 1)[1]))
            local = local_date_of(meeting.starts_at)
        assert (local.year, local.month) == demo.holiday  # a meeting of the short month
        page.goto("/reports")
        check_page(page) if size == "phone" else assert_accessible(page)
        # Attendance and hours by month, and the feedback scale for the period (issue 20).
        assert page.locator("svg.chart").count() == 3
        shoot(page, f"reports-{size}-fi", "section:has(#months-heading)")
    finally:
        context.close()
