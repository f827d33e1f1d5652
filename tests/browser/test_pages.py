"""Every page on a 360 px phone: it says the right thing, passes axe (WCAG 2.1 AA), fits."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from peer_groups.domain.roles import Role
from tests import factories
from tests.browser.conftest import check_page, fill_sign_in, html_lang, sign_in

pytestmark = pytest.mark.browser


def soon(days):
    return datetime.now(UTC).replace(microsecond=0, second=0) + timedelta(days=days)


def heading(page):
    return page.get_by_role("heading", level=1).inner_text().strip()


# --- Anonymous ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status", "h1", "title"),
    [
        ("/", 200, "Peer groups for young people in aftercare", "Welcome"),
        ("/auth/sign-in", 200, "Sign in", "Sign in"),
        ("/auth/link", 200, "Get a sign-in link", "Get a sign-in link"),
        ("/auth/reset", 200, "Forgot your password?", "Forgot your password?"),
        ("/no/such/page", 404, "Page not found", "Page not found"),
        ("/auth/link/bogus", 410, "This link no longer works", "This link no longer works"),
    ],
)
def test_anonymous_page(page, t, path, status, h1, title):
    response = page.goto(path)
    assert response.status == status
    assert html_lang(page) == "fi"  # the fi-FI browser gets Finnish
    assert heading(page) == t(h1)
    assert page.title() == f"{t(title)} · {t('Peer groups')}"
    check_page(page)


def test_landing_page_leads_to_both_ways_in(page, t):
    page.goto("/")
    page.get_by_role("link", name=t("Get a sign-in link"), exact=True).click()
    page.wait_for_url("**/auth/link")
    page.go_back()
    page.locator("main").get_by_role("link", name=t("Sign in"), exact=True).click()
    page.wait_for_url("**/auth/sign-in")
    assert heading(page) == t("Sign in")


def test_sign_in_submitted_empty_shows_each_problem(page, t):
    page.goto("/auth/sign-in")
    fill_sign_in(page, t, "", "")
    # The summary exists only on the answer page: waiting for it waits for the new page.
    expect(page.get_by_role("alert")).to_have_text(t("Please check the marked fields."))
    assert page.url.endswith("/auth/sign-in")
    identifier = page.get_by_label(t("Email or username"), exact=True)
    password = page.get_by_label(t("Password"), exact=True)
    assert identifier.get_attribute("aria-invalid") == "true"
    assert password.get_attribute("aria-invalid") == "true"
    # The error is tied to its field, so a screen reader reads it with the field.
    assert page.locator("#identifier-error").inner_text() == t("Write your email or username.")
    assert page.locator("#password-error").inner_text() == t("Write your password.")
    assert "identifier-error" in identifier.get_attribute("aria-describedby")
    check_page(page)


def test_sign_in_with_a_wrong_password_says_so(page, t, make):
    youth = make.user(Role.YOUTH)
    page.goto("/auth/sign-in")
    fill_sign_in(page, t, youth.username, "not the password")
    expect(page.locator("#password-error")).to_have_text(
        t("The details are not right, or there were too many wrong tries. Check them and try "
          "again, add the code from your authenticator app, or get a sign-in link."))
    assert page.url.endswith("/auth/sign-in")
    # The identifier stays filled in, the password does not.
    assert page.get_by_label(t("Email or username"), exact=True).input_value() == youth.username
    assert page.get_by_label(t("Password"), exact=True).input_value() == ""
    check_page(page)


def test_check_your_messages_page_after_asking_for_a_link(page, t):
    page.goto("/auth/link")
    page.get_by_label(t("Email or phone number"), exact=True).fill("nobody@example.test")
    page.get_by_role("button", name=t("Send the link"), exact=True).click()
    page.get_by_role("heading", level=1, name=t("Check your messages")).wait_for()
    # The same answer whether or not the account exists: nothing to learn from it.
    assert t("If we found an account with those details, a sign-in link is on its way. "
             "It works once, for a short while.") in page.locator("main").inner_text()
    check_page(page)


def test_asking_for_a_link_with_nothing_written_shows_the_problem(page, t):
    page.goto("/auth/link")
    page.get_by_role("button", name=t("Send the link"), exact=True).click()
    page.get_by_role("alert").wait_for()
    assert page.locator("#identifier-error").inner_text() == t(
        "Write your email or phone number.")
    check_page(page)


def test_dev_outbox_without_messages(page, t):
    page.goto("/dev/outbox/")
    assert heading(page) == t("Outbox (development)")
    assert page.locator("ol.outbox").inner_text().strip() == t("No messages yet.")
    check_page(page)


# --- A young person ------------------------------------------------------------------------


@pytest.fixture
def youth(make):
    area = make.area(name="Pirkanmaa")
    person = make.user(Role.YOUTH, area=area, display_name="Aino")
    with make.session():
        later = factories.make_group(area, members=[person], name="Tuesday cooking")
        factories.make_meeting(later, starts_at=soon(20), venue_name="Youth centre")
        sooner = factories.make_group(area, members=[person], name="Saturday hike")
        factories.make_meeting(sooner, starts_at=soon(5), venue_name="Harbour",
                               venue_address="Satamakatu 1")
        gone = factories.make_group(area, members=[person], name="Last spring")
        factories.make_meeting(gone, starts_at=soon(-30))
        factories.make_group(area, name="Not my group")
    return person


def test_youth_home_shows_the_next_meeting_first(page, t, youth):
    sign_in(page, t, youth)
    assert html_lang(page) == "en"  # the account's own language wins over the browser's
    assert heading(page) == "Hi, Aino!"
    next_card = page.locator("section.card-next")
    assert next_card.get_by_role("heading").inner_text() == "Next meeting"
    assert next_card.locator(".meeting-group").inner_text() == "Saturday hike"
    assert next_card.locator(".meeting-where").inner_text() == "Harbour, Satamakatu 1"
    later = page.get_by_role("region", name="Later meetings")
    assert later.locator(".meeting-group").all_inner_texts() == ["Tuesday cooking"]
    main = page.locator("main").inner_text()
    assert "Last spring" not in main and "Not my group" not in main
    check_page(page)


def test_youth_account_page(page, t, youth):
    sign_in(page, t, youth)
    page.get_by_role("navigation").get_by_role("link", name="My account").click()
    page.wait_for_url("**/account/")
    assert heading(page) == "My account"
    assert page.get_by_label("Name or nickname").input_value() == "Aino"
    assert page.locator("main").get_by_label("Language").input_value() == "en"
    check_page(page)


def test_youth_password_page_and_its_errors(page, t, youth):
    sign_in(page, t, youth)
    page.goto("/account/")
    page.get_by_role("link", name="Change your password").click()
    page.wait_for_url("**/account/password")
    assert heading(page) == "Change your password"
    check_page(page)

    page.get_by_label("Current password").fill("wrong current password")
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("New password again").fill("different")
    page.get_by_role("button", name="Save the password").click()
    page.get_by_role("alert").wait_for()
    assert page.locator("#password-error").inner_text() == "Use at least 8 characters."
    assert page.locator("#confirm-error").inner_text() == "The passwords are not the same."
    check_page(page)


# --- A worker ------------------------------------------------------------------------------


def test_worker_home_lists_their_own_groups(page, t, make):
    area = make.area()
    worker = make.user(Role.WORKER, area=area, display_name="Ville Worker")
    kids = [make.user(Role.YOUTH, area=area) for _ in range(3)]
    with make.session():
        alpha = factories.make_group(area, facilitators=[worker], members=kids,
                                     name="Alpha group")
        factories.make_meeting(alpha, starts_at=soon(3))
        factories.make_group(area, facilitators=[worker], members=kids[:1], name="Beta group")
        factories.make_group(area, name="Gamma group")  # somebody else's
    sign_in(page, t, worker)
    assert heading(page) == "Hi, Ville Worker!"
    # Today's meetings and the next one come first; the groups after them.
    assert page.get_by_role("heading", level=2).first.inner_text() == "Today"
    cards = page.get_by_role("region", name="My groups").locator(".card-list > li")
    assert cards.get_by_role("heading", level=3).all_inner_texts() == ["Alpha group",
                                                                         "Beta group"]
    assert "3 members" in cards.nth(0).inner_text()
    assert cards.nth(0).locator("time").count() == 1
    assert "1 member" in cards.nth(1).inner_text()
    assert "No meetings planned." in cards.nth(1).inner_text()
    check_page(page)


# --- An admin ------------------------------------------------------------------------------


@pytest.fixture
def area_with_people(make):
    area = make.area(name="Pirkanmaa")
    north = make.team(area, name="North team")
    make.team(area, name="South team")
    admin = make.user(Role.ADMIN, area=area, display_name="Anna Admin")
    worker = make.user(Role.WORKER, area=area, display_name="Ville Worker", team_id=north.id)
    make.user(Role.YOUTH, area=area, display_name="Young Ylva")
    return area, admin, worker


def test_admin_area_page_lists_teams_and_people(page, t, area_with_people):
    area, admin, worker = area_with_people
    sign_in(page, t, admin)
    page.goto(f"/admin/areas/{area.id}")
    assert heading(page) == "Pirkanmaa"
    teams = page.get_by_role("region", name="Teams")
    items = [" ".join(text.split()) for text in teams.get_by_role("listitem").all_text_contents()]
    assert items == ["North team Rename North team", "South team Rename South team"]
    # Each "Rename" link says which team it renames, for screen readers too.
    assert teams.get_by_role("link", name="Rename South team", exact=True).count() == 1
    rows = page.get_by_role("region", name="People").locator("tbody tr")
    assert [row.locator("td").first.inner_text() for row in rows.all()] == [
        "Anna Admin", "Ville Worker", "Young Ylva"]
    worker_row = rows.filter(has_text="Ville Worker")
    assert worker_row.locator("td").all_inner_texts() == ["Ville Worker", "Worker",
                                                           "North team", "In use"]
    # Staff rows link to their edit page; young people's rows do not.
    assert worker_row.get_by_role("link").get_attribute("href") == f"/admin/users/{worker.id}/edit"
    assert rows.filter(has_text="Young Ylva").get_by_role("link").count() == 0
    check_page(page)


def test_admin_new_staff_form_and_its_errors(page, t, area_with_people):
    area, admin, _ = area_with_people
    sign_in(page, t, admin)
    page.goto(f"/admin/areas/{area.id}")
    page.get_by_role("link", name="Add a staff member").click()
    page.wait_for_url(f"**/admin/areas/{area.id}/staff/new")
    assert heading(page) == "Add a staff member"
    assert page.get_by_label("Team").locator("option").all_inner_texts() == [
        "No team", "North team", "South team"]
    check_page(page)

    page.get_by_role("button", name="Save").click()
    page.get_by_role("alert").wait_for()
    assert page.locator("#display_name-error").inner_text() == "Write a name."
    assert page.locator("#email-error").inner_text() == "Write an email address."
    check_page(page)

    page.get_by_label("Name").fill("New Person")
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_role("button", name="Save").click()
    # The old page had an #email-error too: wait for the new text, not just the element.
    expect(page.locator("#email-error")).to_have_text(
        "Write a whole email address, like name@example.fi.")
    assert page.get_by_label("Name").input_value() == "New Person"
    assert page.locator("#display_name-error").count() == 0
    check_page(page)


def test_admin_edit_user_page(page, t, area_with_people):
    area, admin, worker = area_with_people
    sign_in(page, t, admin)
    page.goto(f"/admin/users/{worker.id}/edit")
    assert heading(page) == "Ville Worker"
    assert page.get_by_label("Name").input_value() == "Ville Worker"
    assert page.get_by_label("Email").input_value() == worker.email
    assert page.get_by_label("Role").input_value() == "worker"
    assert page.get_by_label("Team").input_value() == str(worker.team_id)
    assert page.get_by_label("Account is in use").is_checked()
    access = page.get_by_role("region", name="Access")
    # Ville has a password: a welcome link is not offered (tests/web/test_account_changes.py).
    assert access.get_by_role("button").all_inner_texts() == [
        "Sign out on every device", "Reset the second factor"]
    assert "Ville Worker has chosen a password." in access.inner_text()
    check_page(page)
