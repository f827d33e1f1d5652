"""The worker at the venue, on a 360 px phone with axe on every page: today's register one tap
from home, and a past meeting's hours logged from the group page. On the demo data, signed in
with the demo password and authenticator code, as a new worker would."""

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from peer_groups.attendance.models import Attendance
from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed
from peer_groups.workload.models import TimeLog
from tests.browser.conftest import check_page, fill_sign_in, flashes, heading, type_code

pytestmark = pytest.mark.browser

WORKER = "ohjaaja1.ph@example.fi"
GROUP = "Lahden vertaisryhmä"


@pytest.fixture
def worker_id(app):
    with app.app_context():
        seed()
        db.session.commit()
        return db.session.scalar(select(User.id).where(User.email == WORKER))


def sign_in_as_demo_worker(page, t):
    """Taps: "Sign in" and "Continue" (typing the password and code is not a tap)."""
    page.goto("/auth/sign-in")
    fill_sign_in(page, t, WORKER, DEMO_PASSWORD)
    page.wait_for_url("**/auth/two-factor**")
    type_code(page, t, DEMO_TOTP_SECRET)
    page.wait_for_url("**/home")


def test_a_demo_worker_opens_todays_register_in_one_tap_from_home(page, t, app, worker_id):
    sign_in_as_demo_worker(page, t)
    today = page.get_by_role("region", name=t("Today"), exact=True)
    open_register = today.get_by_role("link", name=re.compile(rf"^{t('Open register')}"))
    box = open_register.bounding_box()
    assert box["height"] >= 44 and box["y"] + box["height"] <= 740  # big, on the first screen
    check_page(page)

    open_register.click()  # tap 3
    page.wait_for_url(re.compile(r"/meetings/\d+/register$"))
    assert heading(page) == t("Attendance register")
    check_page(page)
    page.get_by_role("button", name=re.compile(rf"^{t('Present')}\s*:")).first.click()  # tap 4
    page.wait_for_load_state()
    assert page.locator("[aria-pressed=true]").count() == 1
    check_page(page)
    meeting_id = int(re.search(r"/meetings/(\d+)/", page.url).group(1))
    with app.app_context():
        marks = db.session.scalars(select(Attendance).where(
            Attendance.meeting_id == meeting_id)).all()
        assert [(a.present, a.marked_by_id) for a in marks] == [(True, worker_id)]


def test_a_demo_worker_logs_a_past_meetings_hours_from_the_group_page(page, t, app, worker_id):
    sign_in_as_demo_worker(page, t)
    page.get_by_role("link", name=GROUP, exact=True).click()
    page.wait_for_url(re.compile(r"/groups/\d+$"))
    past = page.get_by_role("region", name=t("Past meetings"), exact=True)
    check_page(page)
    past.get_by_role("link", name=re.compile(rf"^{t('Log my hours')}")).first.click()
    page.wait_for_url(re.compile(r"/meetings/\d+/hours$"))
    meeting_id = int(re.search(r"/meetings/(\d+)/", page.url).group(1))
    check_page(page)
    page.get_by_label(t("Hours I spent on this meeting"), exact=True).fill("6,5")
    page.get_by_role("button", name=t("Save"), exact=True).click()
    page.wait_for_url(f"**/meetings/{meeting_id}")
    assert t("Thanks! Your hours are saved.") in flashes(page)
    check_page(page)
    with app.app_context():
        assert db.session.scalar(select(TimeLog.hours).where(
            TimeLog.meeting_id == meeting_id, TimeLog.user_id == worker_id)) == Decimal("6.5")
    # Home no longer asks for these hours.
    page.goto("/home")
    needs = page.get_by_role("region", name=t("Needs you"), exact=True)
    assert needs.locator(f'a[href="/meetings/{meeting_id}/hours"]').count() == 0


def test_a_new_meetings_end_follows_its_start_by_the_usual_length(page, t, app, worker_id):
    """Without JavaScript the end is filled once (tests/web/test_meeting_forms.py); with it,
    changing the start moves the end, until the worker writes an end of their own."""
    with app.app_context():
        from peer_groups.groups.models import Group

        group_id = db.session.scalar(select(Group.id).where(Group.name == GROUP))
    sign_in_as_demo_worker(page, t)
    page.goto(f"/groups/{group_id}/meetings/new")
    starts = page.get_by_label(t("Starts at"), exact=True)
    ends = page.get_by_label(t("Ends at"), exact=True)
    assert (starts.input_value(), ends.input_value()) == ("17:00", "19:00")
    for box in (page.get_by_label(t("Date"), exact=True), starts, ends):
        assert box.bounding_box()["height"] >= 44  # as tall as the other fields
    check_page(page)
    starts.fill("18:30")
    assert ends.input_value() == "20:30"  # the demo groups' usual length: 120 minutes
    ends.fill("21:00")
    starts.fill("18:00")
    assert ends.input_value() == "21:00"  # the worker's own end stays
