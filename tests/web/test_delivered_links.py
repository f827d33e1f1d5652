"""Links don't outlive their purpose: once a message is sent, the database holds no live link.

The file backend's copy in OUTBOX_DIR is the delivered message (as a mail server's would be);
the development outbox page shows it from there, so the offline demo still works.
"""

import re
from pathlib import Path

from sqlalchemy import select

from peer_groups.auth.models import AuthSession, OneTimeToken, User
from peer_groups.auth.tokens import digest
from peer_groups.db import db
from peer_groups.demo.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed
from peer_groups.notifications.models import MessageStatus, OutboxMessage
from tests.conftest import answer_link_requests, post, sign_in
from tests.helpers import assert_redirect

LINK_PATH = re.compile(r"/auth/(?:link|reset|welcome)/[A-Za-z0-9_-]+")
# What auth/tokens.py makes: 32 random bytes, URL-safe base64, 43 characters.
TOKEN_SHAPED = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")


def load_demo(app):
    with app.app_context():
        seed()
        db.session.commit()


def person(app, **where) -> User:
    with app.app_context():
        query = select(User)
        for name, value in where.items():
            query = query.where(getattr(User, name) == value)
        return db.session.scalars(query).one()


def demo_staff_sign_in(client, app, email):
    staff = person(app, email=email)
    assert staff.totp_secret == DEMO_TOTP_SECRET
    sign_in(client, staff, password=DEMO_PASSWORD)
    return staff


def dump(app) -> str:
    """Every value of every row of every table, as text: what a database dump would hold."""
    with app.app_context():
        parts = []
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)):
                parts.extend(str(value) for value in row if value is not None)
        return "\n".join(parts)


def stored_digests(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(OneTimeToken.token_hash))) | set(
            db.session.scalars(select(AuthSession.token_hash)))


def send_every_kind_of_link(app, client):
    """A demo run: sign-in links by email and SMS, a password link, a welcome link."""
    nobody = app.test_client()
    post(nobody, "/auth/link", {"identifier": "nuori02.ph@example.fi"})
    answer_link_requests(app)  # the outbox worker, seconds later
    texter = person(app, username="nuori03ph")
    assert texter.email is None and texter.phone
    post(nobody, "/auth/link", {"identifier": texter.phone})
    answer_link_requests(app)  # the outbox worker, seconds later
    post(nobody, "/auth/reset", {"identifier": "kokemus.ph@example.fi"})
    answer_link_requests(app)  # the outbox worker, seconds later
    admin = demo_staff_sign_in(client, app, "admin.ph@example.fi")
    post(client, f"/admin/areas/{admin.area_id}/staff/new",
         {"display_name": "Uusi Ohjaaja", "email": "uusi.ph@example.fi", "role": "worker",
          "team_id": "0"})
    worker = person(app, email="ohjaaja2.ph@example.fi")
    post(client, f"/admin/users/{worker.id}/edit",
         {"display_name": worker.display_name, "email": "ohjaaja2.uusi@example.fi",
          "role": "worker", "team_id": "0", "active": "y"})
    with app.app_context():
        templates = set(db.session.scalars(select(OutboxMessage.template)))
        bodies = db.session.scalars(select(OutboxMessage.body)).all()
    assert {"sign_in_link", "password_reset", "welcome", "account_changed"} <= templates
    assert len([b for b in bodies if LINK_PATH.search(b)]) == 4  # the test would see a leak


def test_after_sending_a_dump_of_the_database_holds_no_usable_link_token(app, client):
    load_demo(app)
    send_every_kind_of_link(app, client)
    assert LINK_PATH.search(dump(app))  # before delivery the links wait in the outbox

    sent = post(app.test_client(), "/dev/outbox/send")
    assert_redirect(sent)
    with app.app_context():
        statuses = set(db.session.scalars(select(OutboxMessage.status)))
    assert statuses == {MessageStatus.SENT}

    text = dump(app)
    assert not LINK_PATH.search(text), LINK_PATH.search(text).group(0)
    live = stored_digests(app)
    usable = [found for found in TOKEN_SHAPED.findall(text) if digest(found) in live]
    assert usable == []
    # Not one of the links sent lost its power: they are in the delivered copies only.
    delivered = "\n".join(path.read_text(errors="replace")
                          for path in sorted(Path(app.config["OUTBOX_DIR"]).iterdir()))
    assert len(LINK_PATH.findall(delivered)) == 4


def test_a_newcomer_reads_a_sent_link_on_the_dev_outbox_page_and_it_works(app, client):
    load_demo(app)
    post(client, "/auth/link", {"identifier": "nuori02.ph@example.fi"})
    post(client, "/dev/outbox/send")
    with app.app_context():
        message = db.session.scalars(select(OutboxMessage)).one()
    assert message.status is MessageStatus.SENT and message.body == ""

    page = client.get("/dev/outbox/").get_data(as_text=True)
    assert "The database no longer keeps the text" in page
    path = LINK_PATH.search(page).group(0)
    assert f'href="http://localhost{path}"' in page  # clickable, as before
    assert "Sign me in" in client.get(path).get_data(as_text=True)
    assert post(client, path).location == "/home"
    youth = person(app, email="nuori02.ph@example.fi")
    assert youth.display_name in client.get("/home").get_data(as_text=True)


def test_the_dev_outbox_says_so_when_a_sent_message_has_no_copy(app, client):
    load_demo(app)
    post(client, "/auth/link", {"identifier": "nuori02.ph@example.fi"})
    post(client, "/dev/outbox/send")
    for path in Path(app.config["OUTBOX_DIR"]).iterdir():
        path.unlink()
    page = client.get("/dev/outbox/").get_data(as_text=True)
    assert "The text of this message is no longer kept" in page
    assert not LINK_PATH.search(page)

