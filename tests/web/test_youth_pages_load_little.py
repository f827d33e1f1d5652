"""A young person's meeting page loads what it shows (#18): not the group's member list.

The page shows no member; it only asks whether the young person is one. Loading all twenty
members for that was a third of the page's database work. Staff pages show names, and still
load every member with their account.
"""

import pytest
from sqlalchemy import event

from peer_groups.db import db
from peer_groups.domain.roles import Role
from tests.conftest import sign_in


@pytest.fixture
def meeting(make):
    area = make.area()
    worker = make.user(Role.WORKER, area=area)
    members = [make.user(Role.YOUTH, area=area) for _ in range(3)]
    group = make.group(area, facilitators=[worker], members=members)
    return {"meeting": make.meeting(group), "worker": worker, "youth": members[0]}


def member_queries(app, client, path):
    seen = []
    with app.app_context():
        engine = db.engine

    def note(conn, cursor, statement, *args):
        if "FROM group_members" in statement:
            seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", note)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def test_a_young_persons_meeting_page_loads_only_their_own_membership(app, client, meeting):
    sign_in(client, meeting["youth"])
    seen = member_queries(app, client, f"/meetings/{meeting['meeting'].id}")
    assert len(seen) == 1 and "group_members.user_id = " in seen[0]


def test_a_workers_meeting_page_loads_every_member_it_names(app, client, meeting):
    sign_in(client, meeting["worker"])
    seen = member_queries(app, client, f"/meetings/{meeting['meeting'].id}")
    assert len(seen) == 1 and "group_members.user_id = " not in seen[0]
