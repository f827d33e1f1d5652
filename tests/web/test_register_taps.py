"""The register's queue from a phone: each tap applied once, whatever the order or repeats.

`POST /meetings/<id>/register/taps` takes the taps a phone queued while offline, as JSON
with the CSRF token in a header. The browser journey is tests/browser/test_offline_register.py.
"""

import threading
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from peer_groups.attendance.models import Attendance, RegisterTap
from peer_groups.auth.models import AuthSession
from peer_groups.consent import services as consent
from peer_groups.db import db
from peer_groups.domain.consent import Purpose
from peer_groups.domain.roles import Role
from peer_groups.meetings.models import Meeting, MeetingStatus
from tests.conftest import csrf_token, sign_in


@pytest.fixture
def register(app, make):
    """Today's meeting: its worker, Aino and Bea (attendance consent given), Onni (none)."""
    area = make.area()
    worker = make.user(Role.WORKER, area=area)
    coordinator = make.user(Role.COORDINATOR, area=area)
    people = [make.user(Role.YOUTH, area=area, display_name=name)
              for name in ("Aino", "Bea", "Onni")]
    group = make.group(area, facilitators=[worker], members=people)
    meeting = make.meeting(group, starts_at=datetime.now(UTC).replace(microsecond=0))
    with app.app_context():
        for person in people[:2]:
            consent.answer(db.session.merge(person), Purpose.ATTENDANCE, True)
        db.session.commit()
    return {"worker": worker, "coordinator": coordinator, "aino": people[0],
            "bea": people[1], "onni": people[2], "group": group, "meeting": meeting,
            "area": area}


def signed_in(app, user):
    client = app.test_client()
    sign_in(client, user)
    return client


def tap(kind, at=None, **fields):
    moment = at or datetime.now(UTC)
    return {"key": str(uuid.uuid4()), "kind": kind, "tapped_at": moment.isoformat(), **fields}


def send(client, meeting, taps, token=True):
    headers = {"X-CSRFToken": csrf_token(client)} if token else {}
    return client.post(f"/meetings/{meeting.id}/register/taps", json={"taps": taps},
                       headers=headers)


def state(app, meeting):
    with app.app_context():
        row = db.session.get(Meeting, meeting.id)
        marks = dict(db.session.execute(select(Attendance.user_id, Attendance.present)).all())
        keys = db.session.scalar(select(func.count(RegisterTap.id)))
        return {"headcount": row.headcount, "marks": marks, "keys": keys,
                "closed": row.status is MeetingStatus.HELD}


def test_the_same_taps_sent_twice_count_once(app, register):
    worker, aino, bea, meeting = (register[k] for k in ("worker", "aino", "bea", "meeting"))
    client = signed_in(app, worker)
    taps = [tap("mark", user_id=aino.id, present=True), tap("mark", user_id=bea.id, present=True),
            tap("headcount", delta=1), tap("headcount", delta=1)]
    first = send(client, meeting, taps)
    assert first.status_code == 200
    assert [r["outcome"] for r in first.json["results"]] == ["applied"] * 4
    assert (first.json["headcount"], first.json["total"]) == (2, 4)
    after_first = state(app, meeting)
    assert after_first == {"headcount": 2, "marks": {aino.id: True, bea.id: True}, "keys": 4,
                           "closed": False}

    again = send(client, meeting, taps)
    assert again.json["results"] == first.json["results"]  # a replay answers the same
    assert state(app, meeting) == after_first


def test_out_of_order_the_newest_mark_wins_and_the_sums_hold(app, register):
    worker, aino, meeting = register["worker"], register["aino"], register["meeting"]
    client = signed_in(app, worker)
    now = datetime.now(UTC)
    absent_later = tap("mark", at=now, user_id=aino.id, present=False)
    present_earlier = tap("mark", at=now - timedelta(minutes=5), user_id=aino.id, present=True)
    plus, minus, plus_again = (tap("headcount", delta=d) for d in (1, -1, 1))
    send(client, meeting, [absent_later, plus])
    answer = send(client, meeting, [plus_again, present_earlier, minus])
    assert [r["outcome"] for r in answer.json["results"]] == ["applied", "superseded", "applied"]
    assert state(app, meeting)["marks"] == {aino.id: False}
    assert state(app, meeting)["headcount"] == 1


def test_a_person_without_consent_is_counted_not_named_and_the_worker_is_told(app, register):
    worker, onni, meeting = register["worker"], register["onni"], register["meeting"]
    client = signed_in(app, worker)
    answer = send(client, meeting, [tap("mark", user_id=onni.id, present=True),
                                    tap("mark", user_id=onni.id, present=False)])
    counted, not_named = answer.json["results"]
    assert (counted["outcome"], counted["code"], counted["user_id"]) == (
        "counted", "no_consent_counted", onni.id)
    assert "counted in the headcount, not by name" in counted["message"]
    assert not_named["outcome"] == "refused"  # absent without consent: nothing to record
    assert state(app, meeting)["marks"] == {}
    assert state(app, meeting)["headcount"] == 1


def test_consent_withdrawn_before_the_queue_arrives_counts_in_the_headcount(app, register):
    worker, aino, meeting = register["worker"], register["aino"], register["meeting"]
    client = signed_in(app, worker)
    queued = tap("mark", user_id=aino.id, present=True)  # tapped while she still consented
    with app.app_context():
        consent.answer(db.session.merge(aino), Purpose.ATTENDANCE, False)
        db.session.commit()
    answer = send(client, meeting, [queued])
    assert answer.json["results"][0]["outcome"] == "counted"
    assert state(app, meeting)["marks"] == {}
    assert (answer.json["headcount"], answer.json["total"]) == (1, 1)


def test_taps_after_closing_are_refused_and_closing_holds(app, register):
    worker, aino, meeting = register["worker"], register["aino"], register["meeting"]
    client = signed_in(app, worker)
    answer = send(client, meeting, [tap("headcount", delta=1), tap("close"),
                                    tap("mark", user_id=aino.id, present=True)])
    assert [(r["outcome"], r["code"]) for r in answer.json["results"]] == [
        ("applied", None), ("applied", None), ("refused", "register_closed")]
    assert answer.json["closed"] is True
    assert state(app, meeting) == {"headcount": 1, "marks": {}, "keys": 3, "closed": True}


def test_a_key_is_not_applied_again_on_another_meeting(app, make, register):
    worker, meeting = register["worker"], register["meeting"]
    other = make.meeting(register["group"], starts_at=meeting.starts_at + timedelta(hours=2))
    client = signed_in(app, worker)
    taps = [tap("headcount", delta=1)]
    send(client, meeting, taps)
    answer = send(client, other, taps)
    assert answer.json["results"][0]["code"] == "tap_key_reused"
    with app.app_context():
        assert db.session.get(Meeting, other.id).headcount == 0


def test_only_the_groups_own_worker_may_send_taps(app, make, register):
    meeting, area = register["meeting"], register["area"]
    stranger = make.user(Role.WORKER, area=area)
    taps = [tap("headcount", delta=1)]
    assert send(signed_in(app, stranger), meeting, taps).status_code == 403
    # A coordinator keeps the register online, not on a phone.
    assert send(signed_in(app, register["coordinator"]), meeting, taps).status_code == 403
    assert send(signed_in(app, register["worker"]), meeting, taps).status_code == 200
    missing = SimpleNamespace(id=meeting.id + 1000)
    assert send(signed_in(app, register["worker"]), missing, taps).status_code == 404
    assert state(app, meeting)["headcount"] == 1


def test_without_the_csrf_header_nothing_is_applied(app, register):
    client = signed_in(app, register["worker"])
    answer = send(client, register["meeting"], [tap("headcount", delta=1)], token=False)
    assert answer.status_code == 400
    assert state(app, register["meeting"])["keys"] == 0


def test_a_signed_out_phone_is_told_where_to_sign_in_and_nothing_changes(app, register):
    worker, meeting = register["worker"], register["meeting"]
    client = signed_in(app, worker)
    token = csrf_token(client)
    with app.app_context():  # the session ends while the phone is offline
        db.session.execute(AuthSession.__table__.delete())
        db.session.commit()
    answer = client.post(f"/meetings/{meeting.id}/register/taps",
                         json={"taps": [tap("headcount", delta=1)]},
                         headers={"X-CSRFToken": token})
    assert answer.status_code == 401
    assert answer.json["sign_in"] == (f"/auth/sign-in?next=/meetings/{meeting.id}/register")
    assert state(app, meeting)["keys"] == 0


@pytest.mark.parametrize("body", [
    None, {}, {"taps": []}, {"taps": "x"}, {"taps": [{"key": "short", "kind": "close"}]},
    {"taps": [{"key": "a" * 10, "kind": "mark", "tapped_at": "2026-01-01T00:00:00Z",
               "user_id": "1", "present": True}]},
    {"taps": [{"key": "a" * 10, "kind": "headcount", "tapped_at": "2026-01-01T00:00:00Z",
               "delta": 5}]},
    {"taps": [{"key": "a" * 10, "kind": "close", "tapped_at": "2999-01-01T00:00:00Z"}]},
    {"taps": [{"key": "a" * 10, "kind": "close", "tapped_at": "yesterday"}]},
])
def test_taps_it_cannot_read_are_refused_with_words(app, register, body):
    client = signed_in(app, register["worker"])
    answer = client.post(f"/meetings/{register['meeting'].id}/register/taps", json=body,
                         headers={"X-CSRFToken": csrf_token(client)})
    assert answer.status_code == 400
    assert answer.json["error"] == "The phone sent taps the register could not read."
    assert state(app, register["meeting"])["keys"] == 0


def test_two_replays_at_the_same_moment_apply_each_tap_once(app, register):
    worker, aino, meeting = register["worker"], register["aino"], register["meeting"]
    taps = [tap("headcount", delta=1), tap("mark", user_id=aino.id, present=True),
            tap("headcount", delta=1)]
    clients = [signed_in(app, worker) for _ in range(3)]
    tokens = [csrf_token(client) for client in clients]
    barrier = threading.Barrier(len(clients))
    answers = []

    def replay(client, token):
        barrier.wait()
        answers.append(client.post(f"/meetings/{meeting.id}/register/taps",
                                   json={"taps": taps}, headers={"X-CSRFToken": token}))

    threads = [threading.Thread(target=replay, args=pair) for pair in zip(clients, tokens,
                                                                           strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert state(app, meeting) == {"headcount": 2, "marks": {aino.id: True}, "keys": 3,
                                   "closed": False}


def test_the_register_says_until_when_a_phone_may_keep_it(app, make, register):
    worker, meeting = register["worker"], register["meeting"]
    page = signed_in(app, worker).get(f"/meetings/{meeting.id}/register")
    until = datetime.fromisoformat(page.headers["X-Offline-Keep-Until"])
    assert datetime.now(UTC) < until <= datetime.now(UTC) + timedelta(days=1)
    assert page.headers["Cache-Control"] == "no-store"
    assert 'id="sync"' in page.get_data(as_text=True)
    # Not for a coordinator, and not on another day.
    other_day = make.meeting(register["group"], starts_at=meeting.starts_at + timedelta(days=2))
    for client, one in ((signed_in(app, register["coordinator"]), meeting),
                        (signed_in(app, worker), other_day)):
        answer = client.get(f"/meetings/{one.id}/register")
        assert answer.status_code == 200 and "X-Offline-Keep-Until" not in answer.headers
        assert 'id="sync"' not in answer.get_data(as_text=True)


def test_the_service_worker_and_manifest_are_served_from_the_root(client):
    worker = client.get("/sw.js")
    assert worker.status_code == 200
    assert worker.headers["Content-Type"] == "text/javascript; charset=utf-8"
    body = worker.get_data(as_text=True)
    assert 'const CACHE = "register-' in body and "/static/js/register." in body
    manifest = client.get("/manifest.webmanifest")
    assert manifest.headers["Content-Type"] == "application/manifest+json"
    assert manifest.json["scope"] == "/" and manifest.json["display"] == "standalone"
    assert 'rel="manifest" href="/manifest.webmanifest"' in client.get("/").get_data(
        as_text=True)
