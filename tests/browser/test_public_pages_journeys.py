"""The accessibility statement, the privacy notice and the help page on a 360 px phone:
reached from the join form and the footer, in Finnish, passing axe; the area's admin writes
the area's own words and a young person of the area reads them."""

import os
from pathlib import Path

import pytest

from peer_groups.domain.roles import Role
from tests.browser.conftest import check_page, flashes, heading, sign_in

pytestmark = pytest.mark.browser


def shot(page, name):
    """A screenshot for a person to look at, when SHOTS_DIR is set (never in CI)."""
    if os.environ.get("SHOTS_DIR"):
        page.screenshot(path=str(Path(os.environ["SHOTS_DIR"]) / f"{name}.png"), full_page=True)


@pytest.fixture
def area(make):
    return make.area(name="Päijät-Häme", controller="Päijät-Hämeen hyvinvointialue",
                     protection_officer="Tietosuojavastaava, tietosuoja@example.fi",
                     contact="Jälkihuollon neuvonta, 044 123 4567")


def test_from_the_join_form_to_the_three_pages_by_the_footer(page, t, area, make):
    invitation = make.invitation(make.group(area, name="Lahden lauantait"))
    page.goto(f"/join/{invitation.token}")
    page.get_by_role("link", name=t("Privacy notice")).first.click()
    page.wait_for_url("**/privacy?area=*")
    assert heading(page) == t("Privacy notice")
    assert "Päijät-Hämeen hyvinvointialue" in page.inner_text("main")
    assert "24 kuukautta" in page.inner_text("main")
    check_page(page)
    shot(page, "privacy-fi-anonymous")
    footer = page.get_by_role("navigation", name=t("About the service"))
    for name, slug in (("Accessibility statement", "accessibility"),
                       ("Help and contact", "help")):
        footer.get_by_role("link", name=t(name)).click()
        page.wait_for_url(f"**/{slug}?area={area.id}")
        assert heading(page) == t(name)
        assert "Jälkihuollon neuvonta, 044 123 4567" in page.inner_text("main")
        check_page(page)
        shot(page, f"{slug}-fi-anonymous")
        footer = page.get_by_role("navigation", name=t("About the service"))


def test_the_admin_writes_the_areas_words_and_a_young_person_reads_them(page, browser,
                                                                        live_server, t, area,
                                                                        make, phone):
    admin = make.user(Role.ADMIN, area=area, language="fi")
    youth = make.user(Role.YOUTH, area=area, language="fi")
    sign_in(page, t, admin)
    page.goto(f"/admin/areas/{area.id}")
    page.get_by_role("link", name=t("Privacy, accessibility and help")).click()
    check_page(page)
    page.get_by_label(t("Data protection officer's contact")).fill(
        "Tietosuojavastaava Maija Mäki, dpo@phhyky.example")
    page.get_by_label(t("Something more from the area (optional)")).fill(
        "Ryhmät kokoontuvat Lahdessa.")
    shot(page, "admin-form-fi")
    page.get_by_role("button", name=t("Save")).click()
    page.wait_for_url(f"**/admin/areas/{area.id}")
    assert t("Saved. The privacy notice, accessibility statement and help page show it now.") \
        in flashes(page)
    young = phone()
    sign_in(young, t, youth)
    young.goto("/home")
    young.get_by_role("navigation", name=t("About the service")).get_by_role(
        "link", name=t("Privacy notice")).click()
    young.wait_for_url("**/privacy")
    text = young.inner_text("main")
    assert "dpo@phhyky.example" in text and "Ryhmät kokoontuvat Lahdessa." in text
    assert young.get_by_role("link", name=t("My data")).first.is_visible()
    check_page(young)
    shot(young, "privacy-fi-youth")
