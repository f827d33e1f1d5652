"""Start the app under gunicorn and fire many simultaneous sign-ups at it."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from itsdangerous import URLSafeTimedSerializer

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(app_path: str, env: dict, workers: int = 4):
    """A real gunicorn with sync workers on a free loopback port; stopped afterwards."""
    port = free_port()
    environment = {**os.environ, **env, "GUNICORN_BIND": f"127.0.0.1:{port}",
                   "GUNICORN_WORKERS": str(workers)}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"),
         "--access-logfile", "/dev/null", app_path],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base, process)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()


def wait_until_up(base: str, process, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode()[-3000:])
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5):  # noqa: S310 - loopback
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
        except urllib.error.HTTPError:
            return
    raise RuntimeError("gunicorn did not start")


def signed_in_cookie(app, session_token: str) -> tuple[str, str]:
    """A session cookie and a form CSRF token, made as the app would make them at sign-in."""
    raw = secrets.token_hex(20)
    cookie = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": session_token, "_fresh": True, "csrf_token": raw})
    form_token = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)
    return cookie, form_token


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def storm(url: str, bodies: list[dict[str, str]], headers: list[dict[str, str]]) -> list[int]:
    """POST every body at the same moment (a barrier releases them together)."""
    opener = urllib.request.build_opener(NoRedirect)
    barrier = threading.Barrier(len(bodies))

    def fire(index):
        data = "&".join(f"{k}={v}" for k, v in bodies[index].items()).encode()
        request = urllib.request.Request(  # noqa: S310 - loopback http only
            url, data=data, headers=headers[index], method="POST")
        barrier.wait()
        try:
            with opener.open(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(fire, range(len(bodies))))
