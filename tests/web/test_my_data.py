"""My data is all my data: the page holds what the downloads hold, in readable words; erasing
asks who you are, offers the download first and takes your ideas' words with it."""

import csv
import html
import io
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from peer_groups.auth import services as auth_services
from peer_groups.auth.models import AuthSession, TokenPurpose, User
from peer_groups.consent.models import DietaryNeeds
from peer_groups.db import db, utcnow
from peer_groups.domain.roles import Role
from peer_groups.meetings.models import PlanItem
from peer_groups.notifications.models import OutboxMessage
from peer_groups.suggestions import services as suggestions
from peer_groups.suggestions.models import Suggestion, SuggestionVote
from tests import factories
from tests.conftest import post, sign_in
from tests.helpers import assert_redirect

ISO_TIME = re.compile(r"^\d{4}-\d\d-\d\dT")
LINK = re.compile(r"http://localhost(/auth/link/[A-Za-z0-9_-]+\?next=[^\s]+)")


@pytest.fixture
def world(app):
    """A young person with a diet, two ideas (one already on a plan) and a vote."""
    with app.app_context():
        area = factories.make_area()
        worker = factories.make_user(Role.WORKER, area=area)
        youth = factories.make_user(Role.YOUTH, area=area, display_name="Saana Sähly",
                                    email="saana@example.com")
        linky = factories.make_user(Role.YOUTH, area=area, password=None,
                                    display_name="Lenni Linkki", email="lenni@example.com")
        friend = factories.make_user(Role.YOUTH, area=area)
        group = factories.make_group(area, facilitators=[worker], members=[youth, linky, friend])
        meeting = factories.make_meeting(group)
        db.session.add(DietaryNeeds(user_id=youth.id, needs="vegan,gluten_free",
                                    other="no fish"))
        open_idea = suggestions.suggest(group, youth, kind="activity", title="Sählyturnaus",
                                        details="Salissa torstaina, minä tuon mailat")
        adopted = suggestions.suggest(group, youth, kind="snack", title="Tacot")
        suggestions.adopt(adopted, meeting, worker)
        friends_idea = suggestions.suggest(group, friend, kind="activity", title="Keilaus")
        suggestions.vote(friends_idea, youth)
        suggestions.vote(friends_idea, linky)
        db.session.commit()
        return {"youth": youth, "linky": linky, "friend": friend, "worker": worker,
                "open_idea": open_idea.id, "adopted": adopted.id, "meeting": meeting.id,
                "friends_idea": friends_idea.id}


def leaves(value):
    if isinstance(value, dict):
        for inner in value.values():
            yield from leaves(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from leaves(inner)
    else:
        yield value


def test_the_page_shows_everything_the_downloads_hold_readably(app, world):
    client = app.test_client()
    sign_in(client, world["youth"])
    page = html.unescape(client.get("/account/data").get_data(as_text=True))
    data = json.loads(client.get("/account/data.json").data)
    assert data["dietary"] == {"needs": "Vegan, Gluten-free", "other": "no fish"}
    assert {i["title"] for i in data["ideas"]} == {"Sählyturnaus", "Tacot"}
    assert {i["status"] for i in data["ideas"]} == {"Open for votes", "On the plan!"}
    assert [v["idea"] for v in data["votes"]] == ["Sählyturnaus", "Tacot", "Keilaus"]
    # Every word the download holds is on the page too (times are shown in local format).
    for value in leaves(data):
        if isinstance(value, str) and value and not ISO_TIME.match(value):
            assert value in page, value
    rows = list(csv.reader(io.StringIO(client.get("/account/data.csv").get_data(as_text=True))))
    assert ["dietary", "1", "needs", "Vegan, Gluten-free"] in rows
    assert ["ideas", "1", "details", "Salissa torstaina, minä tuon mailat"] in rows
    assert ["votes", "3", "idea", "Keilaus"] in rows
    assert "gluten_free" not in page and "gluten_free" not in json.dumps(data)


def test_erasing_offers_the_download_and_asks_for_the_password(app, world):
    client = app.test_client()
    sign_in(client, world["youth"])
    page = client.get("/account/erase").get_data(as_text=True)
    assert page.index("/account/data.json") < page.index('name="password"')
    assert "/account/data.csv" in page
    for wrong in ({}, {"password": "not my password"}):
        response = post(client, "/account/erase", wrong)
        assert response.status_code == 200
        assert "not your current password" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, world["youth"].id) is not None
    response = post(client, "/account/erase", {"password": factories.PASSWORD})
    assert_redirect(response)
    assert response.headers["Location"] == "/"
    with app.app_context():
        assert db.session.get(User, world["youth"].id) is None


def test_erasing_removes_the_words_of_my_ideas_and_my_votes(app, world):
    client = app.test_client()
    sign_in(client, world["youth"])
    post(client, "/account/erase", {"password": factories.PASSWORD})
    with app.app_context():
        assert db.session.get(Suggestion, world["open_idea"]) is None
        assert db.session.get(Suggestion, world["adopted"]) is None
        assert db.session.scalar(select(func.count()).select_from(Suggestion).where(
            Suggestion.details.like("%mailat%"))) == 0
        # The idea already on the plan stays as the plan item, with no author.
        item = db.session.scalars(select(PlanItem).where(
            PlanItem.meeting_id == world["meeting"])).one()
        assert item.title == "Tacot" and item.suggestion_id is None
        assert item.responsible_id is None
        assert db.session.scalar(select(func.count()).select_from(SuggestionVote).where(
            SuggestionVote.user_id == world["youth"].id)) == 0
        # Someone else's idea stays, with their own vote.
        assert db.session.get(Suggestion, world["friends_idea"]) is not None


def sign_in_by_link(app, client, user, next_url=""):
    with app.app_context():
        token = auth_services.issue_token(db.session.get(User, user.id), TokenPurpose.SIGN_IN,
                                          timedelta(minutes=15))
        db.session.commit()
    response = post(client, f"/auth/link/{token}{next_url}")
    assert_redirect(response)
    return response


def test_without_a_password_erasing_needs_a_fresh_sign_in_link(app, world):
    client = app.test_client()
    sign_in_by_link(app, client, world["linky"])
    with app.app_context():  # signed in an hour ago: not fresh any more
        db.session.execute(update(AuthSession).values(created_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
    page = client.get("/account/erase").get_data(as_text=True)
    assert "Send me a link" in page and "Yes, erase everything" not in page
    assert "/account/data.json" in page
    refused = post(client, "/account/erase")
    assert_redirect(refused)
    with app.app_context():
        assert db.session.get(User, world["linky"].id) is not None

    sent = post(client, "/account/erase/link")
    assert "Check your messages" in sent.get_data(as_text=True)
    with app.app_context():
        message = db.session.scalars(select(OutboxMessage)
                                     .order_by(OutboxMessage.id.desc())).first()
        assert message.recipient == "lenni@example.com"
        path = LINK.search(message.body).group(1)
    phone = app.test_client()  # the link opens in the phone's own browser
    assert "Sign me in" in phone.get(path).get_data(as_text=True)
    opened = post(phone, path)
    assert opened.headers["Location"] == "/account/erase"
    page = phone.get("/account/erase").get_data(as_text=True)
    assert "Yes, erase everything" in page and 'name="password"' not in page
    erased = post(phone, "/account/erase")
    assert erased.headers["Location"] == "/"
    with app.app_context():
        assert db.session.get(User, world["linky"].id) is None


def test_a_link_sign_in_a_few_minutes_ago_is_fresh_enough(app, world):
    client = app.test_client()
    sign_in_by_link(app, client, world["linky"])
    assert "Yes, erase everything" in client.get("/account/erase").get_data(as_text=True)
    assert post(client, "/account/erase").headers["Location"] == "/"
    with app.app_context():
        assert db.session.get(User, world["linky"].id) is None


def test_the_erase_link_only_goes_to_the_person_themselves(app, world):
    client = app.test_client()
    sign_in(client, world["worker"])
    assert post(client, "/account/erase/link").status_code == 404
