"""Forms that help: the usual length fills the end time, and the clock changes are asked about,
never guessed (the spring's skipped hour is refused, the autumn's repeated hour is chosen)."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.meetings.models import Meeting
from tests.conftest import post, sign_in
from tests.web.test_groups import meeting_form

SKIPPED = "does not exist on that day"
REPEATED = "comes twice that night"


@pytest.fixture
def crew(make):
    area = make.area()
    worker = make.user(Role.WORKER, area=area)
    expert = make.user(Role.EXPERT, area=area)
    youth = make.user(Role.YOUTH, area=area)
    group = make.group(area, facilitators=[worker, expert], members=[youth],
                       default_start_time=datetime(2000, 1, 1, 16, 30).time(),
                       default_duration_minutes=90)
    return worker, expert, youth, group


def meetings(app):
    with app.app_context():
        return [(m.starts_at, m.ends_at) for m in db.session.scalars(select(Meeting))]


def test_a_new_meetings_end_time_comes_from_the_groups_usual_length(client, crew):
    worker, _, _, group = crew
    sign_in(client, worker)
    page = client.get(f"/groups/{group.id}/meetings/new").get_data(as_text=True)
    assert 'name="starts" required type="time" value="16:30"' in page
    assert 'name="ends" required type="time" value="18:00"' in page  # 16:30 + 90 minutes


@pytest.mark.parametrize("role_index", [1, 2])
def test_only_those_who_manage_the_group_add_meetings(client, crew, role_index):
    sign_in(client, crew[role_index])  # the expert and the young person
    assert client.get(f"/groups/{crew[3].id}/meetings/new").status_code == 403


def test_the_skipped_spring_hour_is_refused_with_a_clear_message(app, client, crew):
    worker, _, _, group = crew
    sign_in(client, worker)
    response = post(client, f"/groups/{group.id}/meetings/new",
                    meeting_form(datetime(2027, 3, 28).date(), starts="03:30", ends="05:00"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert SKIPPED in page
    assert 'value="Kulma"' in page  # nothing the worker typed is lost
    assert meetings(app) == []


def test_the_skipped_hour_is_refused_in_finnish_too(app, client, crew):
    worker, _, _, group = crew
    sign_in(client, worker)
    post(client, "/language", {"language": "fi", "next": "/home"})
    response = post(client, f"/groups/{group.id}/meetings/new",
                    meeting_form(datetime(2027, 3, 28).date(), starts="03:30", ends="05:00"))
    assert "Tätä kellonaikaa ei ole" in response.get_data(as_text=True)
    assert meetings(app) == []


def test_the_repeated_autumn_hour_asks_which_one_then_saves_it_exactly(app, client, crew):
    worker, _, _, group = crew
    sign_in(client, worker)
    autumn = datetime(2027, 10, 31).date()  # clocks go back 04:00 -> 03:00
    data = meeting_form(autumn, starts="03:30", ends="05:00")
    response = post(client, f"/groups/{group.id}/meetings/new", data)
    page = response.get_data(as_text=True)
    assert REPEATED in page
    assert 'name="starts_which" type="radio" value="first"' in page
    assert 'name="starts_which" type="radio" value="second"' in page
    assert "The first 3:30" in page and "The second 3:30" in page
    assert meetings(app) == []

    response = post(client, f"/groups/{group.id}/meetings/new", {**data, "starts_which": "second"})
    assert response.status_code in (302, 303)
    # The second 03:30 is winter time (+2): 01:30 UTC; 05:00 is 03:00 UTC.
    assert meetings(app) == [(datetime(2027, 10, 31, 1, 30, tzinfo=UTC),
                              datetime(2027, 10, 31, 3, 0, tzinfo=UTC))]


def test_the_first_of_the_repeated_hour_is_kept_when_the_meeting_is_edited(app, client, crew):
    worker, _, _, group = crew
    sign_in(client, worker)
    autumn = datetime(2027, 10, 31).date()
    data = meeting_form(autumn, starts="03:30", ends="05:00", starts_which="first")
    assert post(client, f"/groups/{group.id}/meetings/new", data).status_code in (302, 303)
    [(starts_at, _)] = meetings(app)
    assert starts_at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # summer time, +3
    with app.app_context():
        meeting_id = db.session.scalar(select(Meeting.id))
    page = client.get(f"/meetings/{meeting_id}/edit").get_data(as_text=True)
    assert 'checked id="starts_which-0" name="starts_which" type="radio" value="first"' in page
    response = post(client, f"/meetings/{meeting_id}/edit",
                    {**data, "venue_name": "Paja"})
    assert response.status_code in (302, 303)
    assert meetings(app)[0][0] == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_code_fields_bring_up_the_number_pad_and_recovery_codes_the_letters(app, client, make):
    from tests.web.test_two_factor import password_only

    worker = make.user(Role.WORKER)
    password_only(client, worker)
    page = client.get("/auth/two-factor").get_data(as_text=True)
    code = re.search(r'<input[^>]*name="code"[^>]*>', page).group(0)
    assert 'inputmode="numeric"' in code and 'autocomplete="one-time-code"' in code
    assert 'href="/auth/two-factor?recovery=1"' in page
    page = client.get("/auth/two-factor?recovery=1").get_data(as_text=True)
    code = re.search(r'<input[^>]*name="code"[^>]*>', page).group(0)
    assert 'inputmode="text"' in code and 'autocomplete="one-time-code"' in code


def test_the_authenticator_set_up_offers_an_otpauth_link_beside_the_qr_code(client, make):
    from tests.web.test_two_factor import password_only

    worker = make.user(Role.WORKER, totp_secret=None)
    password_only(client, worker)
    page = client.get("/auth/two-factor/setup").get_data(as_text=True)
    link = re.search(r'<a class="button" href="(otpauth://totp/[^"]+)">([^<]+)</a>', page)
    assert link is not None
    assert "secret=" in link.group(1) and "issuer=" in link.group(1)
    assert link.group(2) == "Open in an authenticator on this phone"
    code = re.search(r'<input[^>]*name="code"[^>]*>', page).group(0)
    assert 'inputmode="numeric"' in code and 'autocomplete="one-time-code"' in code


def test_time_inputs_are_as_tall_as_the_other_fields(app):
    css = (app.static_folder + "/css/app.css")
    with open(css, encoding="utf-8") as sheet:
        rule = next(line for line in sheet if 'input[type="text"]' in line)
    for kind in ("date", "time", "month"):
        assert f'.field input[type="{kind}"]' in rule, kind
    # The rule's block sets min-height: 2.75rem (44 px).
    with open(css, encoding="utf-8") as sheet:
        text = sheet.read()
    block = text[text.index(rule):text.index("}", text.index(rule))]
    assert "min-height: 2.75rem" in block
