"""Links: local `next` targets only, and absolute links for messages."""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request
from werkzeug.routing import IntegerConverter

# Ids are INTEGER columns (32 bits on PostgreSQL): no row has a larger one.
LARGEST_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:...>` in routes: a number larger than any id is "not found" before it reaches
    the database, which would fail on it (SQLite cannot even bind a number past 64 bits)."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=LARGEST_ID, signed=False):
        super().__init__(url_map, fixed_digits, min, max, signed)


def safe_next(target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site, else `fallback`: no open redirects."""
    if not target:
        return fallback
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return fallback
    return target


def link_base() -> str | None:
    """Where emailed links point: PUBLIC_URL if set, else this request's host, else None."""
    base = current_app.config.get("PUBLIC_URL")
    if not base and has_request_context():
        base = request.host_url
    return base


def external_url(endpoint: str, *, base: str | None = None, **values) -> str | None:
    """An absolute link for an email or SMS, under `base` (default: `link_base()`).

    None outside a request when PUBLIC_URL is not set (a message then goes without a link).
    """
    base = base or link_base()
    if not base:
        return None
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path.rstrip("/") or "/",
                                       url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)
