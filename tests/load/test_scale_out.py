"""Two app instances on one PostgreSQL and one Redis behave exactly like one.

Each test starts two gunicorns (two sync workers each) on different ports, as two hosts behind
a load balancer would run, and sends the same people to both. The scheduled commands run as
two separate `flask` processes started together, each with an outbox folder of its own, as on
two hosts. Runs where PostgreSQL and Redis are available: the PostgreSQL run of `make test`.
"""

import re
import uuid
from collections import Counter
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from sqlalchemy import func, select

from peer_groups.consent import services as consent
from peer_groups.db import db
from peer_groups.domain.consent import Purpose
from peer_groups.domain.roles import Role
from peer_groups.domain.signups import SignupStatus
from peer_groups.meetings.models import Meeting
from peer_groups.notifications.models import MessageStatus, OutboxMessage
from peer_groups.signups import services as signups
from peer_groups.signups.models import ReminderLog, Signup
from tests import factories
from tests.conftest import BACKEND
from tests.helpers import REDIRECTS
from tests.load.harness import (
    Browser,
    gunicorn_servers,
    run_commands_at_once,
    server_env,
    signed_in_crowd,
    storm,
)

REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_answers() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.scale_out,
    pytest.mark.skipif(BACKEND != "postgresql",
                       reason="scale-out needs PostgreSQL: run with TEST_DATABASE=postgresql"),
    pytest.mark.skipif(BACKEND == "postgresql" and not redis_answers(),
                       reason=f"scale-out needs Redis answering at {REDIS_URL}"),
]


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own in the shared Redis; its keys are deleted afterwards."""
    prefix = f"peer-groups-test-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    stale = list(client.scan_iter(match=f"*{prefix}*"))
    if stale:
        client.delete(*stale)
    client.close()


def redis_keys(prefix: str) -> list[bytes]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        return list(client.scan_iter(match=f"*{prefix}*"))
    finally:
        client.close()


@contextmanager
def two_instances(app, redis_prefix, **extra):
    """Two gunicorns on one database and one Redis; yields their base URLs."""
    env = server_env(app, **{"RATELIMIT_STORAGE_URI": REDIS_URL,
                             "PEER_GROUPS_RATELIMIT_KEY_PREFIX": redis_prefix, **extra})
    with gunicorn_servers(2, "wsgi:app", env, workers=2) as servers:
        yield [server.base for server in servers]


def test_a_session_from_one_instance_works_on_the_other_and_ends_on_both(
        app, make, redis_prefix):
    person = make.user(Role.YOUTH)
    with two_instances(app, redis_prefix) as (one, two):
        browser = Browser()
        signed_in = browser.submit(f"{one}/auth/sign-in", f"{one}/auth/sign-in",
                                   {"identifier": person.username,
                                    "password": factories.PASSWORD})
        assert signed_in.status in REDIRECTS and urlsplit(signed_in.location).path == "/home"
        copied_cookie = dict(browser.cookies)

        home = browser.get(f"{two}/home")
        assert home.status == 200 and person.display_name in home.body

        signed_out = browser.submit(f"{two}/home", f"{two}/auth/sign-out", {})
        assert signed_out.status in REDIRECTS

        replayed = Browser()
        replayed.cookies = copied_cookie
        for base in (one, two):
            refused = replayed.get(f"{base}/home")
            assert refused.status in REDIRECTS, base
            assert urlsplit(refused.location).path == "/auth/sign-in", base
            sign_in_page = replayed.get(f"{base}{refused.location}")
            assert sign_in_page.status == 200 and 'name="password"' in sign_in_page.body
            assert person.display_name not in sign_in_page.body


SIGN_IN_LIMIT = 5


def failed_sign_ins(bases, count):
    """`count` wrong passwords from one address, dealt to the instances in turn."""
    browser = Browser()
    return [browser.submit(f"{bases[i % 2]}/auth/sign-in", f"{bases[i % 2]}/auth/sign-in",
                           {"identifier": "nobody", "password": "wrong password"}).status
            for i in range(count)]


def test_the_sign_in_limit_holds_across_instances(app, redis_prefix):
    limited = {"PEER_GROUPS_RATELIMIT_ENABLED": "true",
               "PEER_GROUPS_RATELIMIT_SIGN_IN": f"{SIGN_IN_LIMIT} per minute"}
    with two_instances(app, redis_prefix, **limited) as bases:
        statuses = failed_sign_ins(bases, SIGN_IN_LIMIT + 4)
        assert redis_keys(redis_prefix), "the limit was not counted in Redis"
    # Each instance saw fewer than five; the count they share refuses the sixth on either.
    assert statuses == [200] * SIGN_IN_LIMIT + [429] * 4


def test_the_harness_sees_a_limit_that_is_not_shared(app, redis_prefix):
    """Per-process counting (memory://) lets the same alternating attempts through."""
    limited = {"PEER_GROUPS_RATELIMIT_ENABLED": "true",
               "PEER_GROUPS_RATELIMIT_SIGN_IN": f"{SIGN_IN_LIMIT} per minute"}
    with two_instances(app, redis_prefix, **limited, RATELIMIT_STORAGE_URI="memory://") as bases:
        statuses = failed_sign_ins(bases, SIGN_IN_LIMIT + 1)
    assert statuses == [200] * (SIGN_IN_LIMIT + 1)


PEOPLE, CAPACITY, ROUNDS = 60, 5, 4


def test_sixty_at_once_on_two_instances_never_overbook(app, redis_prefix):
    crowd = signed_in_crowd(app, PEOPLE, ROUNDS, CAPACITY)
    with two_instances(app, redis_prefix) as bases:
        for meeting_id in crowd.meeting_ids:
            answers = storm(*crowd.signup_requests(meeting_id, bases))
            assert all(code in REDIRECTS for code in answers), sorted(set(answers), key=str)
            with app.app_context():
                confirmed = db.session.scalar(select(func.count(Signup.id)).where(
                    Signup.meeting_id == meeting_id, Signup.status == SignupStatus.CONFIRMED))
                positions = signups.waitlist_positions(meeting_id)
                taken = db.session.scalar(select(Meeting.taken).where(Meeting.id == meeting_id))
            assert confirmed == taken == CAPACITY
            assert sorted(positions.values()) == list(range(1, PEOPLE - CAPACITY + 1))


MEETINGS = 3


def reminder_world(app, people=30, meetings=MEETINGS):
    """People who want reminders, each with a place at meetings a few days from now."""
    with app.app_context():
        area = factories.make_area()
        youth = [factories.make_user(Role.YOUTH, area=area, password=None)
                 for _ in range(people)]
        for person in youth:
            consent.answer(person, Purpose.REMINDERS, True)
        group = factories.make_group(area, members=youth)
        soon = datetime.now(UTC) + timedelta(days=2)
        for i in range(meetings):
            meeting = factories.make_meeting(group, starts_at=soon + timedelta(days=i),
                                             capacity=people)
            for person in youth:
                signups.sign_up(meeting.id, person)
        db.session.commit()
    return people * meetings


def counted(outputs, word):
    """The number after `word` in each command's output, e.g. "queued 12 reminders"."""
    return [int(re.search(rf"{word} (\d+)", out).group(1)) for out in outputs]


def test_scheduled_commands_on_two_hosts_at_once_send_each_message_once(app, tmp_path):
    expected = reminder_world(app)
    hosts = [tmp_path / "host-a", tmp_path / "host-b"]  # each host writes its own outbox
    # Every reminder of the meetings above is due now: 7 days before, at midnight.
    envs = [server_env(app, FLASK_APP="wsgi", OUTBOX_DIR=str(host), REMINDERS="soon=7@00:00")
            for host in hosts]

    queued = run_commands_at_once(["reminders", "send-due"], envs)
    assert sum(counted(queued, "queued")) == expected
    with app.app_context():
        assert db.session.scalar(select(func.count(ReminderLog.id))) == expected
        reminders = db.session.execute(
            select(OutboxMessage.user_id, OutboxMessage.status)
            .where(OutboxMessage.template == "reminder")).all()
    assert len(reminders) == expected
    assert set(Counter(user_id for user_id, _ in reminders).values()) == {MEETINGS}
    assert {status for _, status in reminders} == {MessageStatus.PENDING}

    sent = run_commands_at_once(["outbox", "send"], envs)
    assert sum(counted(sent, "sent")) == expected, sent
    with app.app_context():
        messages = db.session.execute(
            select(OutboxMessage.id, OutboxMessage.status, OutboxMessage.attempts)).all()
    assert len(messages) == expected
    assert {(status, attempts) for _, status, attempts in messages} == {(MessageStatus.SENT, 1)}
    delivered = [delivered_ids(host) for host in hosts]
    assert not delivered[0] & delivered[1], "a message went out from both hosts"
    assert delivered[0] | delivered[1] == {message_id for message_id, _, _ in messages}


def delivered_ids(folder: Path) -> set[int]:
    """Message ids of the files the file backend wrote on one host (`00000012-email.eml`)."""
    return {int(path.name.split("-")[0]) for path in folder.glob("*-*")}
