"""A deliberately naive sign-up: count, then insert, with nothing holding the two together.

Only for proving that the storm harness can see a race. Served by gunicorn like the real app.
"""

import os
import time
from urllib.parse import parse_qs

from sqlalchemy import create_engine, text

CAPACITY = int(os.environ.get("NAIVE_CAPACITY", "5"))
engine = create_engine(os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://"),
                       isolation_level="AUTOCOMMIT", connect_args=(
                           {"timeout": 30} if os.environ["DATABASE_URL"].startswith("sqlite")
                           else {}))


def app(environ, start_response):
    if environ["PATH_INFO"] == "/healthz":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]
    meeting_id = int(environ["PATH_INFO"].strip("/").split("/")[1])
    size = int(environ.get("CONTENT_LENGTH") or 0)
    form = parse_qs(environ["wsgi.input"].read(size).decode())
    user_id = int(form["user_id"][0])
    with engine.connect() as connection:
        confirmed = connection.execute(text(
            "SELECT count(*) FROM signups WHERE meeting_id = :m AND status = 'confirmed'"),
            {"m": meeting_id}).scalar()
        time.sleep(0.2)  # a slow request between its check and its write: the race is sure
        status = "confirmed" if confirmed < CAPACITY else "waitlisted"
        connection.execute(text(
            "INSERT INTO signups (meeting_id, user_id, status, requested_at, "
            "cancelled_by_staff) VALUES (:m, :u, :s, CURRENT_TIMESTAMP, false)"),
            {"m": meeting_id, "u": user_id, "s": status})
    start_response("302 Found", [("Location", f"/meetings/{meeting_id}")])
    return [b""]
