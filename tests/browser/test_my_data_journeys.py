"""My data on a phone: who looked (in words), the diet and ideas, and erasing with a proof
that it is really the young person: the password, or a fresh sign-in link. Axe on each step."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from peer_groups.auth import services as auth_services
from peer_groups.auth.models import AuthSession, TokenPurpose, User
from peer_groups.consent.models import DietaryNeeds
from peer_groups.db import db, utcnow
from peer_groups.domain.roles import Role
from peer_groups.notifications.models import OutboxMessage
from peer_groups.suggestions import services as suggestions
from tests import factories
from tests.browser.conftest import check_page, flashes, heading, sign_in
from tests.conftest import sign_in as sign_in_client

pytestmark = pytest.mark.browser

LINK = re.compile(r"http://[^/\s]+(/auth/link/[A-Za-z0-9_-]+\?next=[^\s]+)")


@pytest.fixture
def group(app, make):
    area = make.area(name="Pirkanmaa")
    worker = make.user(Role.WORKER, area=area, display_name="Olli Ohjaaja", language="fi")
    aino = make.user(Role.YOUTH, area=area, display_name="Aino Aalto", language="fi")
    lenni = make.user(Role.YOUTH, area=area, display_name="Lenni Linkki", language="fi",
                      password=None, email="lenni@example.com")
    team = make.group(area, facilitators=[worker], members=[aino, lenni],
                      name="Tampereen torstait")
    with app.app_context():
        db.session.add(DietaryNeeds(user_id=aino.id, needs="vegan", other="ei kalaa"))
        suggestions.suggest(team, db.session.get(User, aino.id), kind="activity",
                            title="Keilailu", details="Hervannassa")
        db.session.commit()
    staff = app.test_client()  # the worker opens the group page: a look at both names
    sign_in_client(staff, worker)
    assert staff.get(f"/groups/{team.id}").status_code == 200
    return {"worker": worker, "aino": aino, "lenni": lenni}


def test_my_data_and_erasing_with_the_password_on_a_phone(page, t, app, group):
    aino = group["aino"]
    sign_in(page, t, aino)
    page.goto("/account/data")
    assert heading(page) == t("My data")
    looked = page.get_by_role("region", name=t("Who has looked at your data"), exact=True)
    row = " ".join(looked.locator("tbody tr").first.inner_text().split())
    assert f"Olli Ohjaaja ({t('Worker')})" in row
    assert t("looked at the group's member list") in row
    main = page.locator("main").inner_text()
    assert str(t("Vegan")) in main and "ei kalaa" in main and "Keilailu" in main
    check_page(page)

    page.get_by_role("link", name=t("I want my account and data erased"), exact=True).click()
    page.wait_for_url("**/account/erase")
    download = page.get_by_role("region", name=t("First, save a copy"), exact=True)
    assert download.get_by_role("link", name=t("Download (JSON)"), exact=True).count() == 1
    check_page(page)
    page.get_by_label(t("Password"), exact=True).fill("not my password")
    page.get_by_role("button", name=t("Yes, erase everything"), exact=True).click()
    page.wait_for_load_state()
    assert t("This is not your current password.") in page.locator("main").inner_text()
    check_page(page)
    page.get_by_label(t("Password"), exact=True).fill(factories.PASSWORD)
    page.get_by_role("button", name=t("Yes, erase everything"), exact=True).click()
    page.wait_for_url(re.compile(r"/$"))
    assert flashes(page) == [t("Your account and your data are erased. Take care!")]
    with app.app_context():
        assert db.session.get(User, aino.id) is None


def test_without_a_password_a_fresh_link_confirms_erasing(page, t, app, group):
    lenni = group["lenni"]
    with app.app_context():
        token = auth_services.issue_token(db.session.get(User, lenni.id),
                                          TokenPurpose.SIGN_IN, timedelta(minutes=30))
        db.session.commit()
    page.goto(f"/auth/link/{token}")
    page.get_by_role("button", name=t("Sign me in"), exact=True).click()
    page.wait_for_url("**/home")
    with app.app_context():  # an hour later: the sign-in is no longer fresh
        db.session.execute(update(AuthSession).values(created_at=utcnow() - timedelta(hours=1)))
        db.session.commit()

    page.goto("/account/erase")
    assert page.get_by_role("button", name=t("Yes, erase everything")).count() == 0
    check_page(page)
    page.get_by_role("button", name=t("Send me a link"), exact=True).click()
    page.wait_for_load_state()
    assert heading(page) == t("Check your messages")
    with app.app_context():
        body = db.session.scalars(select(OutboxMessage.body)
                                  .order_by(OutboxMessage.id.desc())).first()
    page.goto(LINK.search(body).group(1))
    page.get_by_role("button", name=t("Sign me in"), exact=True).click()
    page.wait_for_url("**/account/erase")
    assert t("You signed in with a link a moment ago, so we know it is you.") in page.locator(
        "main").inner_text()
    check_page(page)
    page.get_by_role("button", name=t("Yes, erase everything"), exact=True).click()
    page.wait_for_url(re.compile(r"/$"))
    with app.app_context():
        assert db.session.get(User, lenni.id) is None
