"""The admin's lists on a 360 px phone, in Finnish: the people list searched and paged as
cards, the audit log in plain words filtered by a name and downloaded, and the service owner
choosing another area's report. Each page passes axe (WCAG 2.1 A/AA) and scrolls no sideways.
Screenshots go to SHOTS when it is set."""

import io
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from peer_groups.audit.models import AuditEvent
from peer_groups.db import db
from peer_groups.domain.roles import Role
from tests import factories
from tests.browser.conftest import check_page, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def area(app):
    with app.app_context():
        area = factories.make_area("Päijät-Häme")
        team = factories.make_team(area, "Lahden tiimi")
        admin = factories.make_user(Role.ADMIN, area=area, language="fi",
                                    display_name="Aino Admin")
        olli = factories.make_user(Role.WORKER, area=area, team_id=team.id,
                                   display_name="Olli Ohjaajalainen-Pitkänimi",
                                   email="olli.ohjaajalainen-pitkanimi@paijat-hame.example.fi")
        for n in range(55):
            factories.make_user(Role.YOUTH, area=area, display_name=f"Nuori {n:02d}")
        youth = factories.make_user(Role.YOUTH, area=area, display_name="Nelli Nieminen")
        group = factories.make_group(area, name="Torstain porukka", facilitators=[olli],
                                     members=[youth])
        meeting = factories.make_meeting(group, starts_at=datetime(2026, 12, 8, 15, tzinfo=UTC))
        db.session.add(AuditEvent(actor_id=olli.id, area_id=area.id, action="register.viewed",
                                  subject_user_id=youth.id, object_type="meeting",
                                  object_id=meeting.id))
        other = factories.make_area("Länsi-Uusimaa")
        factories.make_group(other, name="Espoon ilta")
        owner = factories.make_user(Role.ADMIN, area=None, is_superuser=True, language="fi")
        db.session.commit()
        return {"id": area.id, "admin": admin, "owner": owner, "other": other.id}


def shoot(page, name):
    if folder := os.environ.get("SHOTS"):
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_admin_finds_a_person_on_a_phone(page, t, area):
    sign_in(page, t, area["admin"])
    page.goto(f"/admin/areas/{area['id']}")
    check_page(page)
    expect(page.locator("#people tbody tr")).to_have_count(50)
    page.get_by_role("link", name=t("Next page")).click()
    expect(page.locator("#people tbody tr")).to_have_count(8)  # 58 people in all
    page.get_by_label(t("Find a person"), exact=True).fill("ohjaajalainen")
    page.locator("#people form").get_by_role("button", name=t("Search")).click()
    expect(page.locator("#people tbody tr")).to_have_count(1)
    expect(page.locator("#people tbody")).to_contain_text("Lahden tiimi")
    shoot(page, "admin-people-search-phone")
    check_page(page)


def test_admin_reads_and_downloads_the_audit_log_on_a_phone(page, t, area):
    sign_in(page, t, area["admin"])
    page.goto(f"/admin/areas/{area['id']}/audit")
    page.get_by_label(t("Person's name"), exact=True).fill("Olli")
    page.get_by_role("button", name=t("Filter")).click()
    expect(page.locator(".error")).to_have_count(0)  # the empty dates are no mistake
    expect(page.locator("tbody")).to_contain_text(
        "Olli Ohjaajalainen-Pitkänimi katsoi 8. joulukuuta 2026 tapaamisen läsnäololistan")
    shoot(page, "admin-audit-phone")
    check_page(page)
    with page.expect_download() as caught:
        page.get_by_role("link", name=t("Download these events (CSV)")).click()
    data = Path(caught.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "läsnäololistan".encode() in data


def test_the_service_owner_chooses_another_areas_report(page, t, area):
    sign_in(page, t, area["owner"])
    page.goto("/reports")
    page.get_by_label(t("Area"), exact=True).select_option(label="Länsi-Uusimaa")
    page.locator("main form.filter").get_by_role("button", name=t("Show")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Länsi-Uusimaa")
    shoot(page, "owner-reports-area-phone")
    check_page(page)
    with page.expect_download() as caught:
        page.get_by_role("link", name=t("Download for Excel (.xlsx)")).click()
    book = load_workbook(io.BytesIO(Path(caught.value.path()).read_bytes()))
    assert book.sheetnames == ["Kuukaudet", "Ryhmät"]
