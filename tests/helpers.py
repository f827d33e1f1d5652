"""Assertions shared by the tests."""

from urllib.parse import urlsplit

from sqlalchemy import event

from peer_groups.db import db

# Flask 3.1's `redirect()` answers 302; Flask 3.2 answers 303. Both mean "go there next".
REDIRECTS = (302, 303)


def assert_redirect(response, location=None):
    """Assert that `response` redirects, to the path `location` when given; return it."""
    assert response.status_code in REDIRECTS, (
        response.status_code, response.get_data(as_text=True)[:2000])
    if location is not None:
        assert urlsplit(response.headers["Location"]).path == location, response.headers
    return response


def statements_of(app, client, path) -> list[str]:
    """The SQL statements one GET of `path` sent (SQLite's BEGIN aside, which PostgreSQL's
    driver sends unseen), each on one line; the page must answer 200."""
    seen = []
    with app.app_context():
        engine = db.engine

    def note(conn, cursor, statement, *args):
        if statement.strip() != "BEGIN IMMEDIATE" and statement.strip() != "BEGIN":
            seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", note)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen
