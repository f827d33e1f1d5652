"""The period/team filter on a phone: a coordinator and an admin type a wrong date, see what to
fix under the field in Finnish, and the page still works (axe WCAG 2.1 A/AA, no sideways
scroll). Screenshots go to SHOTS when it is set, for a person to look at."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from peer_groups.db import db
from peer_groups.domain.roles import Role
from tests import factories
from tests.browser.conftest import check_page, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def people(app):
    with app.app_context():
        area = factories.make_area("Päijät-Häme")
        factories.make_team(area, "Lahden tiimi")
        made = {"area_id": area.id,
                "coordinator": factories.make_user(Role.COORDINATOR, area=area, language="fi"),
                "admin": factories.make_user(Role.ADMIN, area=area, language="fi")}
        db.session.commit()
        return made


def shoot(page, name):
    if folder := os.environ.get("SHOTS"):
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def test_coordinator_types_a_wrong_month_and_is_told_under_the_field(page, t, people):
    sign_in(page, t, people["coordinator"])
    page.goto("/workload")
    shoot(page, "workload-filter")
    start = page.get_by_label(t("From"), exact=True)
    start.evaluate("field => { field.type = 'text'; }")  # as an old browser without a picker
    start.fill("2026-13")
    page.locator("main form.filter").get_by_role("button", name=t("Show"), exact=True).click()
    shoot(page, "workload-filter-typed")
    page.wait_for_url(re.compile(r"/workload\?from=2026-13&"))
    message = t("Write the month as year-month, like 2026-03.")
    expect(page.locator("#from-error")).to_have_text(message)
    expect(page.get_by_label(t("From"), exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(t("Team"), exact=True)).to_be_visible()
    shoot(page, "workload-filter-error")
    check_page(page)


def test_coordinator_asks_for_a_period_ending_before_it_starts(page, t, people):
    sign_in(page, t, people["coordinator"])
    page.goto("/reports?from=2026-05-01&to=2026-01-01")
    message = t("The end must come after the start, and at most three years later.")
    expect(page.locator("#to-error")).to_have_text(message)
    shoot(page, "reports-filter-error")
    check_page(page)


def test_admin_filters_the_audit_log_with_a_wrong_date(page, t, people):
    sign_in(page, t, people["admin"])
    page.goto(f"/admin/areas/{people['area_id']}/audit?person={'x' * 81}&from=2026-02-30")
    expect(page.locator("#person-error")).to_have_text(t("Write at most 80 letters of the name."))
    expect(page.locator("#from-error")).to_have_text(
        t("Write the date as year-month-day, like 2026-03-31."))
    shoot(page, "audit-filter-error")
    check_page(page)
