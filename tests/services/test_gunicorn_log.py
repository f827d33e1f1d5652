"""The gunicorn access log masks one-time link tokens and drops query strings."""

import importlib.util
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config


def load_conf():
    path = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tokens_are_masked_in_the_access_log():
    conf = load_conf()
    logger = conf.PrivateLogger(Config())
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/auth/link/SECRETTOKEN123",
               "QUERY_STRING": "email=aino@example.fi", "RAW_URI": "/auth/link/SECRETTOKEN123",
               "SERVER_PROTOCOL": "HTTP/1.1"}
    request = SimpleNamespace(headers=[], method="GET", path="/auth/link/SECRETTOKEN123",
                              query="email=aino@example.fi", uri="/auth/link/SECRETTOKEN123",
                              version=(1, 1))
    response = SimpleNamespace(status="200 OK", sent=10, headers=[], response_length=10)
    atoms = logger.atoms(response, request, environ, SimpleNamespace(seconds=0, microseconds=1))
    line = conf.access_log_format % atoms
    assert "SECRETTOKEN123" not in line and "aino@example.fi" not in line
    assert "/auth/link/…" in line


def test_calendar_and_invitation_tokens_are_masked_too():
    conf = load_conf()
    for path in ("/calendar/FEEDTOKEN42.ics", "/join/INVITE42"):
        assert "42" not in conf.TOKEN_IN_PATH.sub(r"\1…", path)
