"""An experience expert co-plans on a phone and never sees a young person's name (rule 11).

The demo data: the Päijät-Häme expert signs in with the demo password and code, opens the
group, then its next meeting (full, with a waiting list, and a plan where a young person
takes care of the activity), and edits that item. The worker then sees who it is.
`check_page` (no sideways scroll, axe WCAG 2.1 A/AA) runs on every page visited.
"""

import re
from types import SimpleNamespace

import pytest
from flask_babel import force_locale, ngettext
from sqlalchemy import select

from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.demo.seed import DEMO_PASSWORD, seed
from peer_groups.domain.roles import Role
from peer_groups.groups.models import Group
from peer_groups.meetings.models import PlanItem
from tests.browser.conftest import check_page, flashes, heading, sign_in

pytestmark = pytest.mark.browser

GROUP = "Lahden vertaisryhmä"


@pytest.fixture
def demo(app):
    """The demo data; the two accounts this test signs in with; every young person's name,
    username, email and phone; and the name of the one who takes care of the activity."""
    with app.app_context():
        seed()
        db.session.commit()

        def account(email):
            user = db.session.scalars(select(User).where(User.email == email)).one()
            return SimpleNamespace(id=user.id, email=user.email, username=None,
                                   totp_secret=user.totp_secret, language=user.language)

        group = db.session.scalars(select(Group).where(Group.name == GROUP)).one()
        youth = db.session.scalars(select(User).where(User.role == Role.YOUTH)).all()
        in_charge = db.session.scalars(select(PlanItem).where(
            PlanItem.responsible_id.in_([m.user_id for m in group.members]))).first()
        return SimpleNamespace(
            expert=account("kokemus.ph@example.fi"), worker=account("ohjaaja1.ph@example.fi"),
            members=len(group.members), in_charge=in_charge.responsible.display_name,
            activity=in_charge.title,
            identifying=[v for p in youth for v in (p.display_name, p.username, p.email, p.phone)
                         if v])


def youth_details_in(page, identifying):
    text = page.locator("body").inner_text()
    return [v for v in identifying if re.search(rf"(?<!\w){re.escape(v)}(?!\w)", text)]


def plan_item(page, title):
    return page.locator("#plan ol.plan > li").filter(
        has=page.get_by_role("heading", level=3, name=title, exact=True))


def test_an_expert_sees_counts_and_the_plan_with_a_young_person_not_names(page, t, app, demo,
                                                                         phone):
    sign_in(page, t, demo.expert, DEMO_PASSWORD)
    page.get_by_role("link", name=GROUP, exact=True).click()
    page.wait_for_url(re.compile(r"/groups/\d+$"))
    assert heading(page) == GROUP
    people = page.get_by_role("region", name=t("People"), exact=True)
    with app.test_request_context(), force_locale("fi"):
        count = ngettext("%(num)s young person", "%(num)s young people", demo.members)
    assert count in people.inner_text()
    assert youth_details_in(page, demo.identifying) == []
    check_page(page)

    # The next meeting: full, with a waiting list; the plan names staff, not young people.
    page.get_by_role("region", name=t("Coming meetings")).get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/meetings/\d+$"))
    meeting_url = page.url
    assert "0 / 8" in page.locator("dl.facts").inner_text()
    activity = plan_item(page, demo.activity)
    assert f"{t('Takes care of it:')} {t('a young person')}" in activity.inner_text()
    assert page.get_by_role("link", name=t("Attendance register")).count() == 0
    assert youth_details_in(page, demo.identifying) == []
    check_page(page)

    # Editing the item keeps the young person in charge, still without saying who.
    activity.get_by_role("link", name=re.compile(rf"^{re.escape(t('Edit'))}")).click()
    page.get_by_role("heading", level=1, name=t("Change the plan item")).wait_for()
    picker = page.get_by_label(t("Who takes care of it"), exact=True)
    assert picker.locator("option:checked").inner_text() == t("A young person")
    assert youth_details_in(page, demo.identifying) == []
    check_page(page)
    page.get_by_label(t("Details"), exact=True).fill("Tuo oma pelisi, jos haluat.")
    page.get_by_role("button", name=t("Save"), exact=True).click()
    page.wait_for_url(meeting_url + "#plan")
    assert t("Saved.") in flashes(page)
    assert f"{t('Takes care of it:')} {t('a young person')}" in plan_item(
        page, demo.activity).inner_text()
    check_page(page)

    # The worker, on their own phone, still sees who takes care of it.
    worker = phone()
    sign_in(worker, t, demo.worker, DEMO_PASSWORD)
    worker.goto(meeting_url)
    assert f"{t('Takes care of it:')} {demo.in_charge}" in plan_item(
        worker, demo.activity).inner_text()
    check_page(worker)
