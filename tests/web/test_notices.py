"""Notices: every message to a young person is also read in the app, at /notices.

A person with no email or phone hears everything there; a notice never holds a live link or
code; notices are personal data (My data, the downloads, erasure and retention).
"""

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import event, func, select

from peer_groups.auth.models import User
from peer_groups.consent import services as consent
from peer_groups.db import db
from peer_groups.domain.consent import Purpose
from peer_groups.domain.roles import Role
from peer_groups.meetings.models import Meeting
from peer_groups.notices.models import Notice
from peer_groups.notices.services import notice_text
from peer_groups.notifications.models import OutboxMessage
from peer_groups.privacy.services import purge
from peer_groups.reminders.services import send_due
from peer_groups.signups import services as signups
from tests.conftest import answer_link_requests, post, sign_in
from tests.helpers import assert_redirect

TEMPLATES = Path(__file__).parents[2] / "templates"
NEW_PASSWORD = "a brand new passphrase"  # noqa: S105 - test password


@pytest.fixture
def full_meeting(make):
    """A one-place meeting: a young person with a place, and one with no email or phone."""
    area = make.area()
    worker = make.user(Role.WORKER, area=area)
    holder = make.user(Role.YOUTH, area=area)
    quiet = make.user(Role.YOUTH, area=area, email=None, phone=None, display_name="Hiljainen")
    other = make.user(Role.YOUTH, area=area)
    group = make.group(area, facilitators=[worker], members=[holder, quiet, other],
                       name="Lahden ryhmä")
    meeting = make.meeting(group, capacity=1)
    return SimpleNamespace(worker=worker, holder=holder, quiet=quiet, other=other,
                           meeting=meeting)


def signed_in(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def page(client, path="/notices/"):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def badge(html):
    """The menu's unread count as a screen reader reads it, or None without one."""
    found = re.search(r'<span class="nav-count">(\d+)</span></span>'
                      r'<span class="visually-hidden">Notices, (\d+) unread</span>', html)
    if found is None:
        return None
    assert found.group(1) == found.group(2)
    return int(found.group(1))


def notices_of(app, user):
    with app.app_context():
        return db.session.scalars(select(Notice).where(Notice.user_id == user.id)
                                  .order_by(Notice.id)).all()


def test_a_young_person_without_contact_details_is_told_of_the_promotion_in_the_app(
        app, full_meeting):
    m = full_meeting
    holder, quiet = signed_in(app, m.holder), signed_in(app, m.quiet)
    assert_redirect(post(holder, f"/meetings/{m.meeting.id}/signup"))
    assert_redirect(post(quiet, f"/meetings/{m.meeting.id}/signup"))  # waitlisted
    assert badge(page(quiet, "/home")) is None

    assert_redirect(post(holder, f"/meetings/{m.meeting.id}/cancel"))

    with app.app_context():  # no channel: nothing in the outbox for them
        assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.user_id == m.quiet.id)) == 0
    home = page(quiet, "/home")
    assert badge(home) == 1
    listing = page(quiet)
    assert "A place opened for you" in listing
    assert "Good news: a place opened up and it is yours." in listing
    assert "Lahden ryhmä" in listing and "Hi Hiljainen" not in listing
    assert f'href="/meetings/{m.meeting.id}"' in listing
    assert ">New</span>" in listing
    # Opening the page read it: the badge is gone, there and on the next page.
    assert badge(listing) is None and badge(page(quiet, "/home")) is None
    assert ">New</span>" not in page(quiet)
    assert "You have a place" in page(quiet, f"/meetings/{m.meeting.id}")


def test_opening_one_notice_reads_it_and_the_rest_stay_unread(app, full_meeting, make):
    m = full_meeting
    first, second = make.notice(m.quiet, title="First news"), make.notice(m.quiet,
                                                                          title="Second news")
    client = signed_in(app, m.quiet)
    assert badge(page(client, "/home")) == 2
    one = page(client, f"/notices/{first.id}")
    assert "First news" in one and ">New</span>" in one
    assert badge(one) == 1
    assert [n.read_at is None for n in notices_of(app, m.quiet)] == [False, True]
    assert second.id


def test_notices_are_newest_first_and_paged(app, full_meeting, make):
    m = full_meeting
    start = datetime.now(UTC) - timedelta(days=30)
    for day in range(25):
        make.notice(m.quiet, title=f"Notice number {day:02d}",
                    created_at=start + timedelta(days=day))
    client = signed_in(app, m.quiet)
    first = page(client)
    titles = re.findall(r"Notice number (\d\d)", first)
    assert titles == [f"{day:02d}" for day in range(24, 4, -1)]  # 20 a page, newest first
    assert 'rel="next" href="/notices/?page=2"' in first
    second = page(client, "/notices/?page=2")
    assert re.findall(r"Notice number (\d\d)", second) == ["04", "03", "02", "01", "00"]
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert "No notices yet" in page(client, "/notices/?page=99999999999999999999")


def test_mark_all_read(app, full_meeting, make):
    m = full_meeting
    start = datetime.now(UTC) - timedelta(days=30)
    for day in range(22):
        make.notice(m.quiet, created_at=start + timedelta(days=day))
    client = signed_in(app, m.quiet)
    listing = page(client)  # reads the first 20; the two oldest are still unread
    assert badge(listing) == 2 and "Mark all read" in listing
    response = post(client, "/notices/read")
    assert_redirect(response, "/notices/")
    after = page(client)
    assert "2 notices marked read." in after and badge(after) is None
    assert "Mark all read" not in after
    assert all(n.read_at is not None for n in notices_of(app, m.quiet))


def test_nobody_else_sees_or_marks_my_notices(app, full_meeting, make):
    m = full_meeting
    mine = make.notice(m.quiet, title="Only for Hiljainen")
    other = signed_in(app, m.other)
    assert other.get(f"/notices/{mine.id}").status_code == 404
    assert "Only for Hiljainen" not in page(other)
    assert_redirect(post(other, "/notices/read"))
    assert notices_of(app, m.quiet)[0].read_at is None
    worker = signed_in(app, m.worker)
    assert worker.get("/notices/").status_code == 404  # staff are told by email only
    assert worker.get(f"/notices/{mine.id}").status_code == 404
    assert "nav-count" not in page(worker, "/home")
    assert notices_of(app, m.quiet)[0].read_at is None


def test_anonymous_visitors_are_sent_to_sign_in(app, full_meeting, make):
    mine = make.notice(full_meeting.quiet)
    client = app.test_client()
    for path in ("/notices/", f"/notices/{mine.id}"):
        response = client.get(path)
        assert_redirect(response)
        assert response.headers["Location"].startswith("/auth/sign-in")
    response = post(client, "/notices/read")
    assert_redirect(response)
    assert response.headers["Location"].startswith("/auth/sign-in")


def test_the_badge_costs_one_count_query(app, full_meeting, make):
    make.notice(full_meeting.quiet)
    client = signed_in(app, full_meeting.quiet)
    seen = []

    def note(conn, cursor, statement, *args):
        if "FROM notices" in statement:
            seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        assert badge(page(client, "/groups/")) == 1
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert len(seen) == 1 and "count(" in seen[0].lower()


def test_a_password_change_is_a_notice_without_any_link(app, full_meeting):
    m = full_meeting
    client = signed_in(app, m.holder)
    response = post(client, "/account/password", {"current": "correct horse battery",
                                                  "password": NEW_PASSWORD,
                                                  "confirm": NEW_PASSWORD})
    assert_redirect(response, "/account/")
    listing = page(client)
    assert "Your sign-in settings changed" in listing
    assert "Your password was changed." in listing
    assert "If not, tell your worker" in listing


def test_a_sign_in_link_is_never_in_the_notice(app, full_meeting):
    m = full_meeting
    response = post(app.test_client(), "/auth/link", {"identifier": m.holder.email})
    answer_link_requests(app)  # the outbox worker, seconds later
    assert response.status_code in (200, 302, 303)
    with app.app_context():
        message = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.user_id == m.holder.id,
            OutboxMessage.template == "sign_in_link")).one()
        token_link = re.search(r"https?://\S+", message.body).group(0)
    notice = notices_of(app, m.holder)[-1]
    assert notice.template == "sign_in_link" and notice.meeting_id is None
    assert token_link not in notice.body and "http" not in notice.body
    assert "never shown here" in notice.body
    client = signed_in(app, m.holder)
    listing = page(client)
    assert token_link not in listing and "/auth/link/" not in listing


MESSAGE_TEMPLATES = sorted(path.name.removesuffix(".subject.txt") for path in
                           (TEMPLATES / "messages").glob("*.subject.txt"))
SECRET_LINK = "https://peer.example/auth/link/SECRET-TOKEN-abc123"
SECRET_CODE = "918273"  # a one-time code a future message might carry


@pytest.mark.parametrize("template", MESSAGE_TEMPLATES)
@pytest.mark.parametrize("change", ["password", "email_new"])
def test_no_notice_ever_holds_the_messages_link_or_code(ctx, template, change):
    """Every message template, whatever its context: the notice says what happened only."""
    starts = datetime(2026, 12, 10, 15, tzinfo=UTC)
    group = SimpleNamespace(name="Lahden ryhmä")
    meeting = SimpleNamespace(id=1, group=group, starts_at=starts,
                              ends_at=starts + timedelta(hours=2), venue_name="Nuorisotila",
                              venue_address="Katu 1", cancel_reason="Sick")
    user = SimpleNamespace(id=1, display_name="Aino", language="en", role=Role.YOUTH)
    context = {"meeting": meeting, "group": group, "link": SECRET_LINK, "code": SECRET_CODE,
               "minutes": 30, "hours": 24, "days": 7, "change": change,
               "inviter": SimpleNamespace(display_name="Worker"), "reason": "inactive",
               "sign_in_page": "https://peer.example/auth/sign-in"}
    with ctx.test_request_context():
        title, body = notice_text(user, template, context)
    assert title and body
    for secret in ("SECRET-TOKEN", SECRET_CODE, "https://"):
        assert secret not in title + body, (template, body)


def test_a_future_message_with_a_code_gets_the_generic_notice(ctx):
    """A template written later (a confirmation code, say) is safe without a notice file."""
    from jinja2 import ChoiceLoader, DictLoader

    ctx.jinja_env.loader = ChoiceLoader([DictLoader({
        "messages/confirm_phone.subject.txt": "Confirm your number",
        "messages/confirm_phone.txt": "Your code is {{ code }}.",
    }), ctx.jinja_env.loader])
    user = SimpleNamespace(id=1, display_name="Aino", language="en", role=Role.YOUTH)
    with ctx.test_request_context():
        title, body = notice_text(user, "confirm_phone", {"code": SECRET_CODE})
    assert title == "Confirm your number"
    assert SECRET_CODE not in body and "never shown here" in body


# --- personal data: My data, the downloads, erasure and retention -------------------------


def test_my_data_and_its_downloads_hold_my_notices(app, full_meeting, make):
    m = full_meeting
    make.notice(m.quiet, title="A place opened for you", body="Good news")
    make.notice(m.other, title="Somebody else's news")
    client = signed_in(app, m.quiet)
    mine = page(client, "/account/data")
    assert "Your notices (1)" in mine and "A place opened for you" in mine
    assert "not read yet" in mine and "Somebody else's news" not in mine
    data = json.loads(client.get("/account/data.json").get_data(as_text=True))
    assert [(n["title"], n["text"], n["read_at"]) for n in data["notices"]] == [
        ("A place opened for you", "Good news", None)]
    csv_text = client.get("/account/data.csv").get_data(as_text=True)
    assert "notices,1,title,A place opened for you" in csv_text


def test_erasing_the_account_erases_its_notices(app, full_meeting, make):
    m = full_meeting
    make.notice(m.holder, meeting_id=m.meeting.id)
    make.notice(m.other)
    client = signed_in(app, m.holder)
    page(client, "/account/erase")
    response = post(client, "/account/erase", {"password": "correct horse battery"})
    assert_redirect(response, "/")
    with app.app_context():
        owners = db.session.scalars(select(Notice.user_id)).all()
    assert owners == [m.other.id]


def test_retention_deletes_old_notices(app, full_meeting, make):
    m = full_meeting
    now = datetime.now(UTC)
    make.notice(m.quiet, title="old", created_at=now - timedelta(days=181))
    make.notice(m.quiet, title="recent", created_at=now - timedelta(days=179))
    with app.app_context():
        dry = purge(now, retention_months=24, dietary_idle_days=180, grace_days=90,
                    dry_run=True)
        assert dry.notices == 1
        assert db.session.scalar(select(func.count(Notice.id))) == 2
        report = purge(now, retention_months=24, dietary_idle_days=180, grace_days=90,
                       dry_run=False)
        db.session.commit()
    assert report.notices == 1
    # (The purge also told these accounts without a birth year, with a new notice each.)
    assert "old" not in [n.title for n in notices_of(app, m.quiet)]
    assert "recent" in [n.title for n in notices_of(app, m.quiet)]


@pytest.mark.parametrize("app_config", [{"NOTICE_RETENTION_DAYS": 10}])
def test_the_purge_command_uses_the_configured_notice_retention(app, full_meeting, make):
    make.notice(full_meeting.quiet, created_at=datetime.now(UTC) - timedelta(days=11))
    result = app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert result.exit_code == 0 and "1 old notices" in result.output
    # What is left is the purge's own news: the account without a birth year will go.
    assert [n.template for n in notices_of(app, full_meeting.quiet)] == ["account_removal"]


def test_a_removed_meeting_leaves_its_notice_without_a_link(app, full_meeting, make):
    m = full_meeting
    make.notice(m.quiet, meeting_id=m.meeting.id, title="About a meeting")
    with app.app_context():
        db.session.delete(db.session.get(Meeting, m.meeting.id))
        db.session.commit()
    notice = notices_of(app, m.quiet)[0]
    assert notice.meeting_id is None
    assert "See the meeting" not in page(signed_in(app, m.quiet))


def test_a_called_off_meeting_and_a_reminder_reach_a_youth_without_contact_details(
        app, full_meeting):
    m = full_meeting
    with app.app_context():
        quiet = db.session.get(User, m.quiet.id)
        consent.answer(quiet, Purpose.REMINDERS, True)
        signups.sign_up(m.meeting.id, quiet)
        meeting = db.session.get(Meeting, m.meeting.id)
        assert send_due(meeting.starts_at - timedelta(hours=3)) == 1  # the same-day one
        db.session.commit()
    client = signed_in(app, m.quiet)
    assert badge(page(client, "/home")) == 1
    listing = page(client)
    assert "Reminder: peer group meeting" in listing
    assert "A reminder: you are signed up for this meeting." in listing

    worker = signed_in(app, m.worker)
    response = post(worker, f"/meetings/{m.meeting.id}/call-off",
                    {"reason": "The venue has a water leak"})
    assert_redirect(response)
    assert badge(page(client, "/home")) == 1
    listing = page(client)
    assert listing.index("A meeting is cancelled") < listing.index("Reminder: peer group")
    assert "The venue has a water leak" in listing
    assert f'href="/meetings/{m.meeting.id}"' in listing
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMessage.id)).where(
            OutboxMessage.user_id == m.quiet.id)) == 0
