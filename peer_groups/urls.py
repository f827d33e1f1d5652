"""Links: local `next` targets only, and absolute links for messages."""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request


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


def external_url(endpoint: str, **values) -> str | None:
    """An absolute link for an email or SMS: PUBLIC_URL if set, else this request's host.

    None outside a request when PUBLIC_URL is not set (a message then goes without a link).
    """
    base = current_app.config.get("PUBLIC_URL")
    if not base:
        if not has_request_context():
            return None
        base = request.host_url
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path.rstrip("/") or "/",
                                       url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)
