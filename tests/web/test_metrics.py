"""Operators see the app in Prometheus: `/metrics` for the holder of METRICS_TOKEN only, with
request counts and latency per endpoint, the outbox's depth and oldest message, reminders and
purge results; never a path, a token or a person. Logs can be JSON lines with a request id."""

import json
import os
import re
import subprocess
import sys
import urllib.request

import pytest

from peer_groups.domain.roles import Role
from peer_groups.notifications.services import queue_message
from tests.conftest import answer_link_requests, post
from tests.load.harness import ROOT, gunicorn, server_env

TOKEN = "a-long-random-scrape-token-for-the-tests"
SCRAPER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def app_config():
    return {"METRICS_TOKEN": TOKEN}


def value(text: str, sample: str) -> float:
    """A sample's value in the exposition text (0 when it is not there)."""
    match = re.search(rf"^{re.escape(sample)} (\S+)$", text, re.M)
    return float(match.group(1)) if match else 0.0


def scrape(client) -> str:
    response = client.get("/metrics", headers=SCRAPER)
    assert response.status_code == 200 and response.mimetype == "text/plain"
    return response.get_data(as_text=True)


def test_without_a_token_there_are_no_metrics(database_url, tmp_path):
    from peer_groups import create_app
    from tests.conftest import base_config

    plain = create_app(base_config(database_url, tmp_path))
    assert plain.test_client().get("/metrics", headers=SCRAPER).status_code == 404


def test_only_the_holder_of_the_token_reads_them(client):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert client.get("/metrics", headers=SCRAPER).status_code == 200


def test_requests_are_counted_and_timed_per_endpoint_never_per_path(client, make, app):
    sample = 'peer_groups_requests_total{endpoint="main.healthz",method="GET",status="200"}'
    before = value(scrape(client), sample)
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    client.get("/auth/link/SECRETTOKEN123")  # a one-time link's token is in its path
    text = scrape(client)
    assert value(text, sample) == before + 3
    assert 'peer_groups_request_seconds_bucket{endpoint="main.healthz",le="0.1"}' in text
    assert 'endpoint="auth.use_link"' in text
    assert "SECRETTOKEN123" not in text and "/auth/link" not in text


def test_the_outbox_depth_and_its_oldest_message_are_read_at_each_scrape(app, client, make):
    assert value(scrape(client), "peer_groups_outbox_waiting") == 0
    assert value(scrape(client), "peer_groups_outbox_oldest_waiting_seconds") == 0
    people = [make.user(Role.YOUTH, email=f"m{n}@example.fi") for n in range(3)]
    with app.app_context():
        from peer_groups.auth.models import User
        from peer_groups.db import db

        for person in people:
            queue_message(db.session.get(User, person.id), "sign_in_link",
                          link="http://localhost/auth/link/x", minutes=15)
        db.session.commit()
    text = scrape(client)
    assert value(text, "peer_groups_outbox_waiting") == 3
    assert value(text, "peer_groups_outbox_oldest_waiting_seconds") >= 0
    assert "example.fi" not in text


def test_link_requests_waiting_for_the_worker_are_read_at_each_scrape(app, client, make):
    assert value(scrape(client), "peer_groups_link_requests_waiting") == 0
    make.user(Role.YOUTH, email="waits@example.fi")
    for _ in range(2):
        post(client, "/auth/link", {"identifier": "waits@example.fi"})
    text = scrape(client)
    assert value(text, "peer_groups_link_requests_waiting") == 2
    assert value(text, "peer_groups_link_requests_oldest_waiting_seconds") >= 0
    assert "example.fi" not in text
    answer_link_requests(app)
    assert value(scrape(client), "peer_groups_link_requests_waiting") == 0


def test_reminders_and_purge_results_are_counted(app, client):
    runner = app.test_cli_runner()
    before = scrape(client)
    assert runner.invoke(args=["reminders", "send-due"]).exit_code == 0
    assert runner.invoke(args=["privacy", "purge"]).exit_code == 0
    after = scrape(client)
    assert "peer_groups_reminders_queued_total" in after
    assert value(after, "peer_groups_reminders_queued_total") >= value(
        before, "peer_groups_reminders_queued_total")


def test_under_gunicorn_every_worker_adds_to_the_same_counts(app, tmp_path):
    shared = tmp_path / "prometheus"
    shared.mkdir()
    env = server_env(app, METRICS_TOKEN=TOKEN, PROMETHEUS_MULTIPROC_DIR=str(shared))
    with gunicorn("wsgi:app", env, workers=3) as base:
        for _ in range(30):
            with urllib.request.urlopen(base + "/healthz", timeout=10):  # noqa: S310
                pass
        request = urllib.request.Request(base + "/metrics", headers=SCRAPER)  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            text = response.read().decode()
    sample = 'peer_groups_requests_total{endpoint="main.healthz",method="GET",status="200"}'
    assert value(text, sample) >= 30  # wait_until_up's own /healthz calls count too
    assert len(list(shared.glob("*.db"))) >= 2  # more than one worker answered


def test_json_logs_carry_the_request_id_the_answer_gives(app, tmp_path):
    env = server_env(app, LOG_FORMAT="json")
    script = (
        "from wsgi import app\n"
        "client = app.test_client()\n"
        "answer = client.post('/auth/sign-in', data={'identifier': 'x'},"
        " base_url='http://127.0.0.1')\n"
        "print(answer.status_code, answer.headers['X-Request-ID'])\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT,
                          env={**os.environ, **env},
                          capture_output=True, text=True, timeout=60)
    status, request_id = done.stdout.split()
    assert status == "400"  # no CSRF token: refused, and the refusal is logged
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    refused = [line for line in lines if "csrf_refused" in line["message"]]
    assert refused and refused[0]["request_id"] == request_id, done.stderr
    assert refused[0]["level"] == "WARNING" and "x" not in refused[0]["message"].split()


def test_a_request_id_given_by_the_proxy_is_kept_and_a_bad_one_replaced(client):
    given = client.get("/healthz", headers={"X-Request-ID": "nginx-0123456789abcdef"})
    assert given.headers["X-Request-ID"] == "nginx-0123456789abcdef"
    bad = client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert re.fullmatch(r"[0-9a-f]{16}", bad.headers["X-Request-ID"])
