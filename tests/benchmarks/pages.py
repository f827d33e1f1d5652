"""Per page: the SQL queries one request runs (in this process), and the bytes a browser
downloads for it (from the running server, with its linked styles, scripts and images)."""

import gzip
import re
import urllib.request
import zlib
from collections import Counter
from urllib.parse import urljoin

import brotli
from sqlalchemy import event

from peer_groups.db import db
from tests.benchmarks.dataset import Line
from tests.benchmarks.load import PHONE
from tests.helpers import REDIRECTS

ASSET = re.compile(
    r'<(?:link[^>]*\bhref|script[^>]*\bsrc|img[^>]*\bsrc)="([^"]+)"[^>]*>', re.IGNORECASE)
KINDS = {".css": "CSS", ".js": "JS", ".svg": "images", ".png": "images", ".jpg": "images",
         ".webp": "images", ".ico": "images", ".woff2": "fonts"}


def query_count(app, line: Line) -> int:
    """Queries of one request, after a warm-up request by the same person (so a once-a-minute
    session touch or a first-time audit note does not count). Sign-ups use a fresh line."""
    counted = []

    def count(*_args):
        counted.append(1)

    client = app.test_client()
    name, _, value = line.cookie.partition("=")
    if value:
        client.set_cookie(name, value)
    with app.app_context():
        engine = db.engine
    send = client.post if line.method == "POST" else client.get
    if line.method == "GET":
        send(line.path)
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = send(line.path, data=dict(part.split("=", 1) for part in
                                             line.body.split("&") if part))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code in (200, *REDIRECTS), (line.path, response.status_code)
    return len(counted)


def fetch(url: str, cookie: str) -> tuple[bytes, str]:
    """The body as sent to a phone, and its Content-Encoding."""
    request = urllib.request.Request(url, headers={  # noqa: S310 - loopback http only
        "Cookie": cookie, **PHONE})
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        return response.read(), response.headers.get("Content-Encoding", "")


def decoded(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    return body


def page_bytes(base: str, line: Line) -> Counter:
    """Bytes on the wire (compressed where the server compresses) by kind."""
    sizes: Counter = Counter()
    body, encoding = fetch(base + line.path, line.cookie)
    sizes["HTML"] = len(body)
    html = decoded(body, encoding)
    seen = set()
    for href in ASSET.findall(html.decode()):
        url = urljoin(base + line.path, href.replace("&amp;", "&"))
        suffix = "." + url.split("?")[0].rsplit(".", 1)[-1].lower()
        if suffix not in KINDS or url in seen or not url.startswith(base):
            continue
        seen.add(url)
        sizes[KINDS[suffix]] += len(fetch(url, line.cookie)[0])
    return sizes
