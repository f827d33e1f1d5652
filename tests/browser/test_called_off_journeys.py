"""A called-off meeting on a young person's phone, and the worker putting it back on.

The young person sees the call-off and its reason first, with no place, no button and no
calendar link; the worker restores it after a confirmation; the young person then sees their
place again. `check_page` (no sideways scroll, axe WCAG 2.1 A/AA) runs on every page.
Set SHOTS to a folder to keep a screenshot of each step.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.groups import services as group_services
from peer_groups.meetings.models import Meeting
from peer_groups.notifications.models import OutboxMessage
from peer_groups.signups import services as signups
from tests.browser.conftest import check_page, flashes, sign_in

pytestmark = pytest.mark.browser

REASON = "Ohjaaja on sairaana."


def shoot(page, name):
    if folder := os.environ.get("SHOTS"):
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.fixture
def called_off(app, make):
    area = make.area(name="Päijät-Häme")
    worker = make.user(Role.WORKER, area=area, display_name="Olli Ohjaaja", language="fi")
    aino = make.user(Role.YOUTH, area=area, display_name="Aino", language="fi")
    group = make.group(area, facilitators=[worker], members=[aino], name="Lahden ryhmä",
                       venue_name="Nuorisotalo")
    meeting = make.meeting(group, capacity=5, venue_name="Nuorisotalo",
                           venue_address="Kirkkokatu 1, Lahti")
    with app.app_context():
        signups.sign_up(meeting.id, db.session.get(User, aino.id))
        group_services.cancel_meeting(db.session.get(Meeting, meeting.id),
                                      db.session.get(User, worker.id), REASON)
        db.session.commit()
    return worker, aino, meeting


def test_a_young_person_sees_the_call_off_and_the_worker_restores_it(app, page, phone, t,
                                                                     called_off):
    worker, aino, meeting = called_off
    path = f"/meetings/{meeting.id}"
    ics = f"{path}.ics"

    # The young person: the call-off first on the home page, with nothing to press.
    sign_in(page, t, aino)
    card = page.get_by_role("region", name=t("Next meeting"), exact=True)
    notice = card.locator(".notice-cancelled")
    expect(notice).to_contain_text(t("This meeting is cancelled."))
    expect(notice).to_contain_text(REASON)
    assert t("You are signed up") not in card.inner_text()
    assert card.get_by_role("button").count() == 0
    check_page(page)
    shoot(page, "1-youth-home-called-off")

    # Its page: the call-off under the date, no place, no cancel, no calendar link.
    card.get_by_role("link").first.click()
    page.wait_for_url(f"**{path}")
    notice = page.locator("main .notice-cancelled")
    expect(notice).to_contain_text(REASON)
    assert notice.evaluate("n => n.previousElementSibling.tagName") == "H1"
    main = page.locator("main").inner_text()
    assert t("You have a place. See you there!") not in main
    assert page.locator(f'main a[href="{ics}"]').count() == 0
    assert page.locator(f'main a[href="{path}/cancel"]').count() == 0
    assert page.locator("main form button").count() == 0
    expect(notice).to_contain_text(t(
        "If it is put back on after all, your sign-up stays as it was and we tell you."))
    check_page(page)
    shoot(page, "2-youth-meeting-called-off")

    # The worker, on their own phone: restore, after a confirmation.
    staff = phone()
    sign_in(staff, t, worker)
    staff.goto(path)
    check_page(staff)
    shoot(staff, "3-worker-meeting-called-off")
    staff.locator("main .notice-cancelled").get_by_role(
        "link", name=t("Restore this meeting"), exact=True).click()
    staff.get_by_role("heading", level=1, name=t("Restore this meeting?")).wait_for()
    assert t("%(num)s person has a place and keeps it.", num=1) in staff.locator(
        "main").inner_text()
    check_page(staff)
    shoot(staff, "4-worker-restore-confirm")
    staff.locator("main form").get_by_role(
        "button", name=t("Yes, restore the meeting"), exact=True).click()
    staff.wait_for_url(f"**{path}")
    assert t("The meeting is on again. Everyone who was signed up keeps their place and "
             "is told.") in flashes(staff)
    assert staff.locator("main .notice-cancelled").count() == 0
    check_page(staff)
    shoot(staff, "5-worker-meeting-restored")
    with app.app_context():
        told = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.template == "meeting_restored")).one()
        assert told.user_id == aino.id and told.subject == t("A cancelled meeting is on again")

    # The young person: their place is back, with the calendar link.
    page.reload()
    box = page.get_by_role("region", name=t("My sign-up"), exact=True)
    expect(box).to_contain_text(t("You have a place. See you there!"))
    expect(page.locator(f'main a[href="{ics}"]')).to_have_text(t("Add to my calendar"))
    assert page.locator("main .notice-cancelled").count() == 0
    check_page(page)
    shoot(page, "6-youth-meeting-place-again")
    page.goto("/home")
    card = page.get_by_role("region", name=t("Next meeting"), exact=True)
    expect(card).to_contain_text(t("You are signed up"))
    check_page(page)
    shoot(page, "7-youth-home-place-again")
