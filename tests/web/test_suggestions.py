"""Young people suggest and vote; facilitators adopt an idea in one action or reply kindly."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from peer_groups.db import db
from peer_groups.domain.roles import Role
from peer_groups.meetings.models import PlanItem, PlanKind
from peer_groups.suggestions.models import Suggestion, SuggestionStatus
from tests.conftest import post, sign_in
from tests.helpers import assert_redirect


@pytest.fixture
def group_world(make):
    area = make.area()
    worker = make.user(Role.WORKER, area=area)
    youth = [make.user(Role.YOUTH, area=area) for _ in range(3)]
    group = make.group(area, facilitators=[worker], members=youth)
    meeting = make.meeting(group, starts_at=datetime.now(UTC) + timedelta(days=10))
    return worker, youth, group, meeting


def ideas(app):
    with app.app_context():
        return db.session.scalars(select(Suggestion)).all()


def test_a_member_suggests_and_others_vote_once(app, group_world):
    _, youth, group, _ = group_world
    first, second, third = (app.test_client() for _ in range(3))
    sign_in(first, youth[0])
    response = post(first, f"/groups/{group.id}/ideas",
                    {"kind": "snack", "title": "Tacot", "details": "Kasvistäytteellä"})
    assert response.headers["Location"] == f"/groups/{group.id}/ideas"
    idea = ideas(app)[0]
    page = first.get(f"/groups/{group.id}/ideas").get_data(as_text=True)
    assert "Tacot" in page and "1 vote" in page and "Take my vote back" in page

    for client, person in ((second, youth[1]), (third, youth[2])):
        sign_in(client, person)
        post(client, f"/ideas/{idea.id}/vote")
    assert "3 votes" in second.get(f"/groups/{group.id}/ideas").get_data(as_text=True)
    post(second, f"/ideas/{idea.id}/vote")  # the second tap takes the vote back
    assert "2 votes" in second.get(f"/groups/{group.id}/ideas").get_data(as_text=True)


def test_ideas_are_ranked_by_votes(app, make, group_world):
    _, youth, group, _ = group_world
    quiet = make.suggestion(group, youth[0], title="Quiet idea")
    loved = make.suggestion(group, youth[1], title="Loved idea")
    client = app.test_client()
    sign_in(client, youth[2])
    post(client, f"/ideas/{loved.id}/vote")
    page = client.get(f"/groups/{group.id}/ideas").get_data(as_text=True)
    assert page.index("Loved idea") < page.index("Quiet idea")
    assert quiet.id


def test_an_empty_idea_is_refused_kindly(app, group_world):
    _, youth, group, _ = group_world
    client = app.test_client()
    sign_in(client, youth[0])
    page = post(client, f"/groups/{group.id}/ideas",
                {"kind": "activity", "title": "", "details": "x" * 501}).get_data(as_text=True)
    assert "Write your idea." in page and "Field cannot be longer" in page
    assert ideas(app) == []


def test_staff_cannot_suggest_in_a_young_persons_name(app, group_world):
    worker, _, group, _ = group_world
    client = app.test_client()
    sign_in(client, worker)
    response = post(client, f"/groups/{group.id}/ideas", {"kind": "snack", "title": "Kahvi"})
    assert response.status_code == 403
    assert ideas(app) == []


def test_adopting_puts_the_idea_on_the_plan(app, make, group_world):
    worker, youth, group, meeting = group_world
    idea = make.suggestion(group, youth[0], kind="snack", title="Pannukakku")
    client = app.test_client()
    sign_in(client, worker)
    response = post(client, f"/ideas/{idea.id}/adopt", {"meeting_id": str(meeting.id)})
    assert response.headers["Location"] == f"/meetings/{meeting.id}#plan"
    with app.app_context():
        item = db.session.scalars(select(PlanItem)).one()
        assert (item.title, item.kind, item.suggestion_id) == ("Pannukakku", PlanKind.SNACK,
                                                              idea.id)
        assert db.session.get(Suggestion, idea.id).status is SuggestionStatus.ADOPTED
    member = app.test_client()
    sign_in(member, youth[0])
    assert "On the plan!" in member.get(f"/groups/{group.id}/ideas").get_data(as_text=True)


def test_closing_needs_a_kind_reply_that_the_author_sees(app, make, group_world):
    worker, youth, group, _ = group_world
    idea = make.suggestion(group, youth[0], title="Laskuvarjohyppy")
    client = app.test_client()
    sign_in(client, worker)
    assert "Write a short, kind reply." in post(
        client, f"/ideas/{idea.id}/close", {"reply": ""}).get_data(as_text=True)
    post(client, f"/ideas/{idea.id}/close", {"reply": "Kiitos! Liian kallis tänä vuonna."})
    member = app.test_client()
    sign_in(member, youth[0])
    page = member.get(f"/groups/{group.id}/ideas").get_data(as_text=True)
    assert "Not now" in page and "Liian kallis" in page
    assert_redirect(post(member, f"/ideas/{idea.id}/vote"))
    with app.app_context():
        assert db.session.get(Suggestion, idea.id).status is SuggestionStatus.CLOSED


def test_votes_on_a_decided_idea_stay_as_they_were(app, make, group_world):
    worker, youth, group, meeting = group_world
    idea = make.suggestion(group, youth[0], title="Keilaus")
    client = app.test_client()
    sign_in(client, youth[1])
    post(client, f"/ideas/{idea.id}/vote")
    staff = app.test_client()
    sign_in(staff, worker)
    post(staff, f"/ideas/{idea.id}/adopt", {"meeting_id": str(meeting.id)})
    answer = post(client, f"/ideas/{idea.id}/vote", follow_redirects=True)
    assert "no longer open for votes" in answer.get_data(as_text=True)
    assert "1 vote" in answer.get_data(as_text=True)
