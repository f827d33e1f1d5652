"""A young person's pages load what they show (#18), in few statements: the meeting page not
the group's member list; the home page their unread count and consent questions in the
statements it makes anyway.

The page shows no member; it only asks whether the young person is one. Loading all twenty
members for that was a third of the page's database work. Staff pages show names, and still
load every member with their account.
"""

import pytest

from peer_groups.domain.roles import Role
from tests.conftest import sign_in
from tests.helpers import statements_of


@pytest.fixture
def meeting(make):
    area = make.area()
    worker = make.user(Role.WORKER, area=area)
    members = [make.user(Role.YOUTH, area=area) for _ in range(3)]
    group = make.group(area, facilitators=[worker], members=members)
    return {"meeting": make.meeting(group), "worker": worker, "youth": members[0]}


def member_queries(app, client, path):
    return [one for one in statements_of(app, client, path) if "FROM group_members" in one]


def test_a_young_persons_meeting_page_loads_only_their_own_membership(app, client, meeting):
    sign_in(client, meeting["youth"])
    seen = member_queries(app, client, f"/meetings/{meeting['meeting'].id}")
    assert len(seen) == 1 and "group_members.user_id = " in seen[0]


def test_a_workers_meeting_page_loads_every_member_it_names(app, client, meeting):
    sign_in(client, meeting["worker"])
    seen = member_queries(app, client, f"/meetings/{meeting['meeting'].id}")
    assert len(seen) == 1 and "group_members.user_id = " not in seen[0]


def test_a_young_persons_home_and_meeting_page_ask_the_database_five_times_at_most(
        app, client, make, meeting):
    """The session (with the unread count), the groups, the sign-ups, the consent questions,
    the feedback asks: each one statement, however many notices, answers and texts there are."""
    youth = meeting["youth"]
    for number in range(4):
        make.notice(youth, title=f"News {number}")
    sign_in(client, youth)
    client.get("/home")  # the first page after signing in notes the session's use
    home = statements_of(app, client, "/home")
    assert len(home) <= 5, "\n".join(home)
    assert "4 unread" in client.get("/home").get_data(as_text=True)
    page = statements_of(app, client, f"/meetings/{meeting['meeting'].id}")
    assert len(page) <= 5, "\n".join(page)
