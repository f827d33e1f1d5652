"""Staying signed in for weeks is the young person's choice, never a side effect of a link.

A session from a sign-in link or an invitation is the short one unless the person ticks
"Keep me signed in on this phone"; the page says what the default is.
"""

import re
from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import select

from peer_groups.auth.models import AuthSession
from peer_groups.db import db, utcnow
from peer_groups.domain.roles import Role
from peer_groups.notifications.models import OutboxMessage
from tests.conftest import answer_link_requests, post
from tests.helpers import assert_redirect

LINK = re.compile(r"http://localhost(/auth/link/[A-Za-z0-9_-]+)")
CHECKBOX = re.compile(r'<input[^>]*name="remember"[^>]*>')


def session_cookie(response):
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def cookie_days(header) -> int | None:
    """Days the browser keeps the session cookie; None: only until the browser closes."""
    found = re.search(r"Expires=([^;]+)", header)
    if found is None:
        return None
    return round((parsedate_to_datetime(found.group(1)) - utcnow()) / timedelta(days=1))


def sessions(app):
    with app.app_context():
        return db.session.scalars(select(AuthSession)).all()


def link_for(app, client, youth):
    post(client, "/auth/link", {"identifier": youth.email})
    answer_link_requests(app)  # the outbox worker, seconds later
    with app.app_context():
        body = db.session.scalars(select(OutboxMessage.body)).one()
    return LINK.search(body).group(1)


def test_the_link_page_offers_remembering_unticked_and_says_what_happens(app, client, make):
    youth = make.user(Role.YOUTH, password=None)
    page = client.get(link_for(app, client, youth)).get_data(as_text=True)
    (box,) = CHECKBOX.findall(page)
    assert 'type="checkbox"' in box and "checked" not in box
    assert "Keep me signed in on this phone" in page
    assert "This device will remember you" not in page
    assert "only on your own phone" in page.lower()
    assert "after 2 hours without use" in page and "24 hours at the latest" in page
    assert "30 days after each visit" in page and "90 days at most" in page


@pytest.mark.parametrize(("ticked", "remembered", "days"), [(False, False, None),
                                                           (True, True, 30)])
def test_a_sign_in_link_remembers_only_when_asked(app, client, make, ticked, remembered, days):
    youth = make.user(Role.YOUTH, password=None)
    path = link_for(app, client, youth)
    response = post(client, path, {"remember": "y"} if ticked else {})
    assert response.location == "/home"
    assert cookie_days(session_cookie(response)) == days
    (row,) = sessions(app)
    assert row.remembered is remembered
    assert client.get("/home").status_code == 200


def test_an_unremembered_link_session_ends_after_two_idle_hours(app, client, make):
    youth = make.user(Role.YOUTH, password=None)
    post(client, link_for(app, client, youth))
    with app.app_context():
        db.session.execute(AuthSession.__table__.update().values(
            last_seen_at=utcnow() - timedelta(hours=2, minutes=1)))
        db.session.commit()
    assert_redirect(client.get("/home"))


def join(client, path, ticked):
    """Joining without an email or phone signs in at once (with a password and a made
    username); with one, the finishing link asks the same question (test_invitations.py)."""
    data = {"display_name": "Uusi", "language": "en", "method": "password",
            "birth_year": str(utcnow().year - 18), "contact": "",
            "password": "pitkä salasana tähän"}
    return post(client, path, {**data, "remember": "y"} if ticked else data)


@pytest.mark.parametrize(("ticked", "remembered", "days"), [(False, False, None),
                                                           (True, True, 30)])
def test_joining_by_invitation_remembers_only_when_asked(app, client, make, ticked,
                                                         remembered, days):
    area = make.area()
    group = make.group(area)
    path = f"/join/{make.invitation(group).token}"
    page = client.get(path).get_data(as_text=True)
    (box,) = CHECKBOX.findall(page)
    assert "checked" not in box and "Keep me signed in on this phone" in page
    response = join(client, path, ticked)
    assert response.location == "/home", response.get_data(as_text=True)[:3000]
    assert cookie_days(session_cookie(response)) == days
    (row,) = sessions(app)
    assert row.remembered is remembered


FINISH = re.compile(r"http://localhost(/join/finish/[A-Za-z0-9_-]+)")


@pytest.mark.parametrize(("ticked", "remembered", "days"), [(False, False, None),
                                                           (True, True, 30)])
def test_finishing_a_join_from_its_link_remembers_only_when_asked(app, client, make, ticked,
                                                                   remembered, days):
    group = make.group(make.area())
    path = f"/join/{make.invitation(group).token}"
    post(client, path, {"display_name": "Uusi", "language": "en", "method": "link",
                        "birth_year": str(utcnow().year - 18), "contact": "uusi@example.com"})
    with app.app_context():
        body = db.session.scalars(select(OutboxMessage.body)).one()
    finish = FINISH.search(body).group(1)
    (box,) = CHECKBOX.findall(client.get(finish).get_data(as_text=True))
    assert "checked" not in box
    response = post(client, finish, {"remember": "y"} if ticked else {})
    assert response.location == "/home"
    assert cookie_days(session_cookie(response)) == days
    (row,) = sessions(app)
    assert row.remembered is remembered
