"""Finnish by default, Swedish and English on request, remembered per person."""

from sqlalchemy import select

from peer_groups.auth.models import User
from peer_groups.db import db
from peer_groups.domain.roles import Role
from tests.conftest import post, sign_in


def test_finnish_is_the_default(app):
    client = app.test_client()
    client.environ_base.pop("HTTP_ACCEPT_LANGUAGE")
    page = client.get("/auth/sign-in").get_data(as_text=True)
    assert '<html lang="fi">' in page
    assert "Kirjaudu" in page


def test_the_browser_language_is_used_when_nothing_is_chosen(app):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "sv-FI,sv;q=0.9"
    assert '<html lang="sv">' in client.get("/").get_data(as_text=True)


def test_switching_language_keeps_the_page_and_is_saved_to_the_account(app, client, make):
    user = make.user(Role.YOUTH, language="fi")
    sign_in(client, user)
    response = post(client, "/language", {"language": "sv", "next": "/account/"})
    assert response.headers["Location"] == "/account/"
    assert '<html lang="sv">' in client.get("/account/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.language).where(User.id == user.id)) == "sv"


def test_switching_language_refuses_other_sites_as_next(client):
    response = post(client, "/language", {"language": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_dates_are_shown_in_helsinki_time(app, make):
    from datetime import UTC, datetime

    area = make.area()
    youth = make.user(Role.YOUTH, area=area, language="fi")
    group = make.group(area, members=[youth])
    # 15:00 UTC on 30 March 2027 is 18:00 in Helsinki (summer time, UTC+3).
    make.meeting(group, starts_at=datetime(2027, 3, 30, 15, 0, tzinfo=UTC))
    client = app.test_client()
    sign_in(client, youth)
    page = client.get("/home").get_data(as_text=True)
    assert "18.00" in page and "30. maaliskuuta 2027" in page


def test_each_language_writes_the_same_moment_its_own_way_in_the_same_process(app, make):
    """Times are written once per language and kept: the kept text never crosses languages."""
    from datetime import UTC, datetime

    area = make.area()
    finn = make.user(Role.YOUTH, area=area, language="fi")
    swede = make.user(Role.YOUTH, area=area, language="sv")
    english = make.user(Role.YOUTH, area=area, language="en")
    group = make.group(area, members=[finn, swede, english])
    make.meeting(group, starts_at=datetime(2027, 3, 30, 15, 0, tzinfo=UTC))
    pages = {}
    for _ in range(2):  # the second round reads what the first kept
        for person in (finn, swede, english):
            client = app.test_client()
            sign_in(client, person)
            pages[person.language] = client.get("/home").get_data(as_text=True)
    assert "18.00" in pages["fi"] and "6:00 PM" not in pages["fi"]
    assert "18:00" in pages["sv"] and "18.00" not in pages["sv"]
    assert "6:00\u202fPM" in pages["en"] or "6:00 PM" in pages["en"]
