"""Start the app under gunicorn and fire many simultaneous requests at it.

Also the pieces the scale-out and crash tests share: a browser that carries its cookie from
one app instance to another, the worker processes of a gunicorn master, and a crowd of signed-in
young people.
"""

import http.client
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import IO

from itsdangerous import URLSafeTimedSerializer

from peer_groups.auth.models import AuthSession
from peer_groups.auth.tokens import digest, new_token
from peer_groups.db import db
from peer_groups.domain.roles import Role
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A gunicorn we started: its address, its master process and where its log goes."""

    base: str
    process: subprocess.Popen
    log: IO[bytes]

    @property
    def port(self) -> int:
        return int(self.base.rsplit(":", 1)[1])

    def wait_until_up(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(self.log.read().decode()[-3000:])
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=5):  # noqa: S310
                    return
            except urllib.error.HTTPError:
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def wait_until_stopped(self) -> None:
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def workers(self) -> set[int]:
        return worker_pids(self.process.pid)

    def serving(self, workers: set[int] | None = None) -> set[int]:
        """The workers (of `workers`, or all) that hold a client's connection right now:
        mid-request."""
        connected = client_sockets(self.port)
        return {pid for pid in (workers or self.workers()) if open_sockets(pid) & connected}

    def kill_a_worker(self, workers: set[int] | None = None,
                      seconds: float = 2) -> tuple[int, bool]:
        """SIGKILL one worker, one that is serving a request if any is within `seconds`: its
        pid, and whether it was mid-request. Pass the worker pids if known: looking for them
        reads every process's stat, and on a fast machine a storm can be over before that."""
        workers = workers or self.workers()
        deadline = time.monotonic() + seconds
        serving = self.serving(workers)
        while not serving and time.monotonic() < deadline:
            serving = self.serving(workers)
        victim = random.choice(sorted(serving or workers))  # noqa: S311
        os.kill(victim, signal.SIGKILL)
        return victim, bool(serving)

    def wait_for_workers(self, count: int, gone: int | None = None,
                         seconds: float = 30) -> set[int]:
        """The worker pids once `count` of them are up, none of them `gone` (after gunicorn
        replaced a killed worker, say)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            pids = self.workers()
            if len(pids) == count and gone not in pids:
                return pids
            time.sleep(0.05)
        raise RuntimeError(f"gunicorn has {len(self.workers())} workers, not {count}")


def start_gunicorn(app_path: str, env: dict, workers: int) -> Server:
    """A real gunicorn with sync workers on a free loopback port, still starting up."""
    port = free_port()
    environment = {**os.environ, **env, "GUNICORN_BIND": f"127.0.0.1:{port}",
                   "GUNICORN_WORKERS": str(workers)}
    log = tempfile.TemporaryFile()  # closed by Server.wait_until_stopped
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"),
         "--access-logfile", "/dev/null", app_path],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=log)
    return Server(f"http://127.0.0.1:{port}", process, log)


@contextmanager
def gunicorn_servers(count: int, app_path: str, env: dict, workers: int = 4):
    """`count` gunicorns started together (as separate hosts); all stopped afterwards."""
    servers = [start_gunicorn(app_path, env, workers) for _ in range(count)]
    try:
        for server in servers:
            server.wait_until_up()
        yield servers
    finally:
        for server in servers:
            server.stop()
        for server in servers:
            server.wait_until_stopped()


@contextmanager
def gunicorn_server(app_path: str, env: dict, workers: int = 4):
    """One gunicorn, as a `Server`."""
    with gunicorn_servers(1, app_path, env, workers) as (server,):
        yield server


@contextmanager
def gunicorn(app_path: str, env: dict, workers: int = 4):
    """One gunicorn; gives its base URL."""
    with gunicorn_server(app_path, env, workers) as server:
        yield server.base


def worker_pids(master_pid: int) -> set[int]:
    """The processes whose parent is `master_pid`: a gunicorn master's workers."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended while we looked
            continue
        # The command name is in parentheses and may hold spaces; the parent pid follows it.
        fields = text[text.rindex(")") + 2:].split()
        if int(fields[1]) == master_pid and fields[0] != "Z":
            children.add(int(stat.parent.name))
    return children


def client_sockets(port: int) -> set[str]:
    """Socket inodes of established connections to our `port` (from /proc/net/tcp)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            if local_port == port and fields[3] == "01" and fields[9] != "0":  # ESTABLISHED
                inodes.add(fields[9])
    return inodes


def open_sockets(pid: int) -> set[str]:
    """Socket inodes among the process's open files."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").glob("*"):
        try:
            target = os.readlink(fd)
        except OSError:  # closed meanwhile
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    return inodes


def server_env(app, **extra) -> dict[str, str]:
    """The environment that points a gunicorn at the test's database and outbox."""
    return {"APP_ENV": "testing", "SECRET_KEY": app.secret_key,
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "TRUSTED_HOSTS": "127.0.0.1", "OUTBOX_DIR": app.config["OUTBOX_DIR"], **extra}


def signed_in_cookie(app, session_token: str) -> tuple[str, str]:
    """A session cookie and a form CSRF token, made as the app would make them at sign-in."""
    raw = secrets.token_hex(20)
    cookie = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": session_token, "_fresh": True, "csrf_token": raw})
    form_token = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)
    return cookie, form_token


@dataclass
class Crowd:
    """Young people of one group, each signed in, and the group's meetings."""

    meeting_ids: list[int]
    user_ids: list[int]
    sessions: list[tuple[str, str]]  # (session cookie, CSRF form token), one per person

    def signup_requests(self, meeting_id: int, bases: Sequence[str]):
        """Everyone's sign-up POST for the meeting, dealt to the servers in turn."""
        urls = [f"{bases[i % len(bases)]}/meetings/{meeting_id}/signup"
                for i in range(len(self.sessions))]
        bodies = [{"csrf_token": token} for _, token in self.sessions]
        headers = [{"Cookie": f"session={cookie}", "Accept-Language": "en",
                    "Content-Type": "application/x-www-form-urlencoded"}
                   for cookie, _ in self.sessions]
        return urls, bodies, headers


def signed_in_crowd(app, people: int, meetings: int, capacity: int) -> Crowd:
    """An area with `people` members signed in, and `meetings` monthly meetings."""
    with app.app_context():
        area = factories.make_area()
        youth = [factories.make_user(Role.YOUTH, area=area, password=None)
                 for _ in range(people)]
        group = factories.make_group(area, members=youth)
        start = datetime.now(UTC) + timedelta(days=10)
        meeting_ids = [factories.make_meeting(group, starts_at=start + timedelta(days=31 * i),
                                              capacity=capacity).id for i in range(meetings)]
        tokens = []
        for person in youth:
            token = new_token()
            db.session.add(AuthSession(token_hash=digest(token), user_id=person.id))
            tokens.append(token)
        db.session.commit()
        user_ids = [person.id for person in youth]
    return Crowd(meeting_ids, user_ids, [signed_in_cookie(app, token) for token in tokens])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    """What a client got back: a status and headers, or the error that broke the connection."""

    status: int | None
    headers: dict[str, list[str]] = field(default_factory=dict)
    body: str = ""
    error: str | None = None

    @property
    def location(self) -> str | None:
        values = self.headers.get("location")
        return values[0] if values else None

    def cookie(self, name: str = "session") -> str | None:
        for header in self.headers.get("set-cookie", []):
            morsel = SimpleCookie(header).get(name)
            if morsel is not None:
                return morsel.value
        return None


_opener = urllib.request.build_opener(NoRedirect)


def send(url: str, body: dict[str, str] | None = None, headers: dict[str, str] | None = None,
         timeout: float = 60) -> Answer:
    """One request, no redirects followed; a broken connection becomes an Answer too."""
    data = urllib.parse.urlencode(body).encode() if body is not None else None
    request = urllib.request.Request(  # noqa: S310 - loopback http only
        url, data=data, headers=headers or {}, method="POST" if data is not None else "GET")
    try:
        with _opener.open(request, timeout=timeout) as response:
            return _answer(response.status, response.headers, response)
    except urllib.error.HTTPError as error:
        return _answer(error.code, error.headers, error)
    except (OSError, http.client.HTTPException) as error:  # URLError is an OSError
        reason = getattr(error, "reason", error)
        return Answer(None, error=type(reason).__name__)


def _answer(status, headers, response) -> Answer:
    """The status and headers, and the body unless the connection broke while it came."""
    collected: dict[str, list[str]] = {}
    for name, value in headers.items():
        collected.setdefault(name.lower(), []).append(value)
    try:
        content, error = response.read(), None
    except (OSError, http.client.HTTPException) as broken:
        content, error = getattr(broken, "partial", b""), type(broken).__name__
    return Answer(status, collected, content.decode("utf-8", "replace"), error)


def storm_answers(urls: str | Sequence[str], bodies: list[dict[str, str]],
                  headers: list[dict[str, str]],
                  after: tuple[int, Callable[[], None]] | None = None) -> list[Answer]:
    """POST every body at the same moment (a barrier releases them together).

    `urls` is one URL, or one per body (to spread the storm over several servers). With
    `after=(n, action)`, `action()` runs once as soon as `n` answers have come back, while the
    rest are still on their way.
    """
    if isinstance(urls, str):
        urls = [urls] * len(bodies)
    barrier = threading.Barrier(len(bodies))
    answered = 0
    lock = threading.Lock()

    def fire(index):
        nonlocal answered
        barrier.wait()
        answer = send(urls[index], bodies[index], headers[index])
        with lock:
            answered += 1
            due = after is not None and answered == after[0]
        if due:
            after[1]()
        return answer

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(fire, range(len(bodies))))


def storm(urls: str | Sequence[str], bodies: list[dict[str, str]],
          headers: list[dict[str, str]]) -> list[int | None]:
    """The status of each simultaneous POST (None where the connection broke)."""
    return [answer.status for answer in storm_answers(urls, bodies, headers)]


def flashes(app, answer: Answer) -> list[tuple[str, str]]:
    """The (category, message) flashes the answer's session cookie carries to the next page."""
    cookie = answer.cookie(app.config["SESSION_COOKIE_NAME"])
    if cookie is None:
        return []
    data = app.session_interface.get_signing_serializer(app).loads(cookie)
    return [tuple(flash) for flash in data.get("_flashes", [])]


CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    """One person's browser: keeps its cookies whichever app instance answers (as behind a
    load balancer), and never follows redirects, so tests can assert where they point."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def get(self, url: str) -> Answer:
        return self._keep(send(url, headers=self._headers()))

    def post(self, url: str, data: dict[str, str]) -> Answer:
        headers = {**self._headers(), "Content-Type": "application/x-www-form-urlencoded"}
        return self._keep(send(url, data, headers))

    def submit(self, page_url: str, action_url: str, data: dict[str, str]) -> Answer:
        """Open the page with the form, then post it with that page's CSRF token."""
        page = self.get(page_url)
        token = CSRF_FIELD.search(page.body)
        assert token is not None, f"no form on {page_url} ({page.status})"
        return self.post(action_url, {"csrf_token": token.group(1), **data})

    def _headers(self) -> dict[str, str]:
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return {"Accept-Language": "en", **({"Cookie": cookie} if cookie else {})}

    def _keep(self, answer: Answer) -> Answer:
        for header in answer.headers.get("set-cookie", []):
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or morsel["expires"].startswith("Thu, 01 Jan 1970"):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return answer


def run_commands_at_once(arguments: list[str], envs: list[dict[str, str]]) -> list[str]:
    """Start `flask <arguments>` once per environment, all together (as cron on several
    hosts would), and return what each printed; a command that fails fails the test."""
    processes = [
        subprocess.Popen([sys.executable, "-m", "flask", *arguments], cwd=ROOT,
                         env={**os.environ, **env}, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for env in envs]
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-3000:]
        outputs.append(out)
    return outputs
