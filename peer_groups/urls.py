"""Links: local `next` targets only, and absolute links for messages."""

from urllib.parse import urljoin, urlsplit

from flask import current_app, request, url_for


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


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an email or SMS: PUBLIC_URL if set, else this request's host."""
    base = current_app.config.get("PUBLIC_URL")
    path = url_for(endpoint, **values)
    if base:
        return urljoin(base.rstrip("/") + "/", path.lstrip("/"))
    return urljoin(request.host_url, path.lstrip("/"))
