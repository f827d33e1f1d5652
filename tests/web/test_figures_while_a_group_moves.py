"""A group that moves between teams while a coordinator's page is being made breaks nothing.

The workload view and the report read the scope's groups and its meetings in separate
statements. On PostgreSQL each statement sees what was committed before it began, so a group
moved into or out of the team between the two (a colleague saving its settings at that moment)
had meetings without a group, and the page answered 500. The page now counts such a meeting as
it was when the groups were read: as not in the team. SQLite reads a request's statements in
one snapshot, so there the move cannot land in between.
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import create_engine, event, text

from peer_groups.db import db
from peer_groups.domain.roles import Role
from tests.conftest import BACKEND, sign_in

pytestmark = pytest.mark.skipif(BACKEND == "sqlite",
                                reason="SQLite reads all of a request's statements in one "
                                       "snapshot: a move cannot land between them")


@pytest.fixture
def teams(app, make):
    area = make.area()
    here, there = make.team(area), make.team(area)
    coordinator = make.user(Role.COORDINATOR, area=area, language="en")
    staying = make.group(area, team_id=here.id, name="Staying")
    moving = make.group(area, team_id=there.id, name="Moving")
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    past = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)
    for group in (staying, moving):
        make.meeting(group, starts_at=soon)
        make.meeting(group, starts_at=past, status="held", headcount=6)
    return coordinator, here, there, moving


def get_while_moving(app, client, url, group_id, team_id, when):
    """GET `url`, while another connection commits `UPDATE groups SET team_id`, as a colleague
    would, just before the page's first statement that `when(statement)` picks."""
    other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    moved = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if not moved and when(statement):
            with other.begin() as colleague:
                colleague.execute(text("UPDATE groups SET team_id = :team WHERE id = :id"),
                                  {"team": team_id, "id": group_id})
            moved.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", before)
        other.dispose()
    assert moved, "the move never landed between the statements"
    return response


def meetings_read(statement: str) -> bool:
    return statement.lstrip().startswith("SELECT meetings.id")


def groups_read(statement: str) -> bool:
    return statement.lstrip().startswith("SELECT groups.")


def test_the_workload_view_while_a_group_moves_into_the_team(app, teams):
    coordinator, here, there, moving = teams
    client = app.test_client()
    sign_in(client, coordinator)
    response = get_while_moving(app, client, f"/workload?team={here.id}", moving.id, here.id,
                                meetings_read)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Staying" in page and "Moving" not in page  # as the groups were read
    assert "Moving" in client.get(f"/workload?team={here.id}").get_data(as_text=True)


def test_the_report_while_a_group_moves_out_of_the_team(app, teams):
    coordinator, here, there, moving = teams
    with app.app_context():
        db.session.execute(text("UPDATE groups SET team_id = :team WHERE id = :id"),
                           {"team": here.id, "id": moving.id})
        db.session.commit()
    client = app.test_client()
    sign_in(client, coordinator)
    today = date.today()
    period = f"from={today - timedelta(days=30)}&to={today + timedelta(days=30)}"
    before = client.get(f"/reports?team={here.id}&{period}")
    assert before.status_code == 200 and "Held: 2" in before.get_data(as_text=True)
    response = get_while_moving(app, client, f"/reports?team={here.id}&{period}", moving.id,
                                there.id, groups_read)
    assert response.status_code == 200
    # Counted as the groups were read (after the meetings): the moved group's meeting is out.
    assert "Held: 1" in response.get_data(as_text=True)
