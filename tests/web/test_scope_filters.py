"""The period/team filter of the workload, the reports and the audit log: one form, labelled
fields, and a clear error on the field (never a 500, never a silent switch) for bad input."""

import re
from html import unescape

import pytest

from peer_groups.domain.roles import Role
from tests.conftest import sign_in

MONTH = "Write the month as year-month, like 2026-03."
DAY = "Write the date as year-month-day, like 2026-03-31."
RANGE = "The end must come after the start, and at most three years later."
TEAM = "Choose a team from the list."
PERSON = "Write at most 80 letters of the name."


@pytest.fixture
def area(make):
    area = make.area()
    make.team(area, name="Itäinen tiimi")
    return area


def signed_in(app, make, area, role):
    client = app.test_client()
    sign_in(client, make.user(role, area=area, language="en"))
    return client


def error_on(page: str, field_id: str, message: str) -> bool:
    """The message is shown under the field and the field points at it for screen readers."""
    error = re.search(rf'<p class="error" id="{field_id}-error">([^<]*)</p>', page)
    field = re.search(rf'<(?:input|select)[^>]*id="{field_id}"[^>]*>', page)
    return bool(error and message in unescape(error.group(1)) and field
                and f"{field_id}-error" in field.group(0)
                and 'aria-invalid="true"' in field.group(0))


@pytest.mark.parametrize(("path", "field_id", "message"), [
    ("/workload?from=2026-13", "from", MONTH),
    ("/workload?from=2026-03&to=2031-01", "to", RANGE),
    ("/workload?team=abc", "team", TEAM),
    ("/reports?from=31.3.2026", "from", DAY),
    ("/reports?from=2026-05-01&to=2026-01-01", "to", RANGE),
    ("/reports?from=9999-12-31", "from", DAY),
    ("/reports?team=999999", "team", TEAM),
])
def test_a_coordinator_is_told_what_to_fix_in_the_period(app, make, area, path, field_id,
                                                         message):
    client = signed_in(app, make, area, Role.COORDINATOR)
    response = client.get(path)
    assert response.status_code == 200
    assert error_on(response.get_data(as_text=True), field_id, message)


@pytest.mark.parametrize(("query", "field_id", "message"), [
    ("?from=2026-02-30", "from", DAY),
    ("?to=9999-12-31", "to", DAY),  # the day after it does not exist: no 500
    ("?person=" + "x" * 81, "person", PERSON),
])
def test_an_admin_is_told_what_to_fix_in_the_audit_filters(app, make, area, query, field_id,
                                                           message):
    client = signed_in(app, make, area, Role.ADMIN)
    response = client.get(f"/admin/areas/{area.id}/audit{query}")
    assert response.status_code == 200
    assert error_on(response.get_data(as_text=True), field_id, message)


def test_the_filters_have_labels_and_keep_what_was_chosen(app, make, area):
    client = signed_in(app, make, area, Role.COORDINATOR)
    page = client.get("/reports?from=2026-02-01&to=2026-04-30").get_data(as_text=True)
    for field_id, label in (("from", "From"), ("to", "To"), ("team", "Team")):
        assert f'<label for="{field_id}">{label}</label>' in page
    assert 'value="2026-02-01"' in page and 'value="2026-04-30"' in page
    page = client.get("/workload?from=2026-02&to=2026-04").get_data(as_text=True)
    assert 'type="month" value="2026-02"' in page


@pytest.mark.parametrize("path", ["/workload?from=2026-13", "/reports?from=x"])
def test_people_who_may_not_see_the_figures_still_may_not(app, make, area, path):
    client = signed_in(app, make, area, Role.YOUTH)
    assert client.get(path).status_code in (403, 404)


def test_what_was_typed_wrong_stays_readable_in_a_text_input(app, make, area):
    """A date or month input may hold only a real date (the Nu HTML Checker refuses
    value="2026-02-30"), so an unreadable one comes back as text, next to its message."""
    admin = signed_in(app, make, area, Role.ADMIN)
    page = admin.get(f"/admin/areas/{area.id}/audit?from=2026-02-30&to=2026-03-01").get_data(
        as_text=True)
    assert re.search(r'<input[^>]*id="from"[^>]*type="text"[^>]*value="2026-02-30"', page)
    assert re.search(r'<input[^>]*id="to"[^>]*type="date"[^>]*value="2026-03-01"', page)
    coordinator = signed_in(app, make, area, Role.COORDINATOR)
    page = coordinator.get("/workload?from=2026-13").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="from"[^>]*type="text"[^>]*value="2026-13"', page)
