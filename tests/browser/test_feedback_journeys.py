"""Young people's feedback in a real browser at 360 px (issue 20, "Done when").

A young person answers from the notice that closing the register sent; the group's worker
reads the meeting's answers and turns a "next time" line into an idea; a coordinator sees the
period's scale, and "< 5" for the month where few answered. `check_page` (no sideways scroll,
axe WCAG 2.1 A/AA, the HTML check) runs on each page.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from playwright.sync_api import expect
from sqlalchemy import select

from peer_groups.attendance import services as attendance
from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.domain.signups import SignupStatus
from peer_groups.feedback import services as feedback
from peer_groups.feedback.models import FeedbackAnswer
from peer_groups.meetings.models import Meeting
from peer_groups.signups.models import Signup
from peer_groups.suggestions.models import Suggestion
from tests.browser.conftest import check_page, flashes, heading, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def held(app, make):
    """A meeting held an hour ago, six places taken; four have answered already. In each of
    the two months before, a meeting that only two and three answered: each month shows as
    "< 5", and the period's scale can be shown, as those two together are five."""
    area = make.area(name="Päijät-Häme")
    worker = make.user(Role.WORKER, area=area, language="fi")
    coordinator = make.user(Role.COORDINATOR, area=area, language="fi")
    youth = [make.user(Role.YOUTH, area=area, language="fi") for _ in range(6)]
    group = make.group(area, facilitators=[worker], members=youth, name="Lahden ryhmä")
    now = datetime.now(UTC).replace(microsecond=0)
    meeting = make.meeting(group, starts_at=now - timedelta(hours=3))
    mid_month = now.replace(day=15, hour=12, minute=0, second=0)
    earlier = make.meeting(group, starts_at=mid_month - relativedelta(months=2), status="held")
    later = make.meeting(group, starts_at=mid_month - relativedelta(months=1), status="held")
    with app.test_request_context():
        db.session.add_all(Signup(meeting_id=meeting.id, user_id=person.id,
                                  status=SignupStatus.CONFIRMED) for person in youth)
        row = db.session.get(Meeting, meeting.id)
        attendance.close(row, db.session.merge(worker))
        for person, rating in zip(youth[1:5], (5, 4, 4, 3), strict=True):
            feedback.answer(person, row, rating=rating, again="yes")
        db.session.add_all(FeedbackAnswer(meeting_id=earlier.id, rating=r, again="maybe")
                           for r in (2, 3))
        db.session.add_all(FeedbackAnswer(meeting_id=later.id, rating=r, again="yes")
                           for r in (3, 4, 5))
        db.session.commit()
    return {"worker": worker, "coordinator": coordinator, "youth": youth[0],
            "meeting": meeting}


def test_a_young_person_answers_the_worker_makes_an_idea_the_coordinator_reads(
        app, page, phone, t, held):
    meeting = held["meeting"]
    sign_in(page, t, held["youth"])
    page.goto("/notices/")
    page.get_by_role("link", name=t("Answer"), exact=True).first.click()
    page.wait_for_url(f"**/meetings/{meeting.id}/feedback")
    assert heading(page) == t("How was it?")
    check_page(page)
    page.locator("label.tap", has_text=t("Great")).click()
    expect(page.get_by_role("radio", name=t("Great"), exact=True)).to_be_checked()
    page.locator("label.tap", has_text=t("Yes")).click()
    page.get_by_label(t("Next time I'd like… (if you want)"), exact=True).fill("Keilaamaan")
    page.get_by_role("button", name=t("Send"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Thank you!"))
    check_page(page)

    worker = phone()
    sign_in(worker, t, held["worker"])
    worker.goto(f"/meetings/{meeting.id}")
    worker.get_by_role("link", name=t("Feedback"), exact=True).click()
    expect(worker.get_by_text("Keilaamaan")).to_be_visible()
    check_page(worker)
    worker.get_by_role("button", name=t("Make it an idea"), exact=True).click()
    worker.wait_for_load_state()
    assert t("Added to the group's ideas.") in flashes(worker)
    with app.app_context():
        assert db.session.scalars(select(Suggestion.title)).all() == ["Keilaamaan"]

    coordinator = phone()
    sign_in(coordinator, t, held["coordinator"])
    today = date.today()
    start = today.replace(day=1) - relativedelta(months=2)
    period = f"from={start}&to={today + timedelta(days=1)}"
    coordinator.goto(f"/reports?{period}")  # the three meetings, whatever the date
    report = coordinator.get_by_role("region", name=t("Young people's feedback"))
    expect(report.get_by_role("img", name=t(
        "How the meetings were, in the period; the table below has the same numbers."))
    ).to_be_visible()
    answered = report.locator(f'td[data-label="{t("Answered")}"]').all_inner_texts()
    assert "< 5" in answered and "5" in answered
    check_page(coordinator)
