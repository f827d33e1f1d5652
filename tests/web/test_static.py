"""Static files under content-hashed names with long caches, no web fonts, and gzip."""

import gzip
import hashlib
import io
import re
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from peer_groups import create_app
from peer_groups.assets import StaticFiles
from peer_groups.db import db
from peer_groups.domain.roles import Role
from tests.conftest import base_config, sign_in

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "static"
TEMPLATES = ROOT / "templates"
YEAR = "max-age=31536000"
GZIP = {"Accept-Encoding": "gzip, deflate, br, zstd"}
STYLESHEET = re.compile(r'<link rel="stylesheet" href="(/static/css/app\.([0-9a-f]{16})\.css)">')


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def body(response) -> bytes:
    """What the browser sees after undoing the transfer encoding."""
    if response.headers.get("Content-Encoding") == "gzip":
        return gzip.decompress(response.data)
    assert "Content-Encoding" not in response.headers
    return response.data


# --- hashed names and caches ------------------------------------------------------------------


def test_pages_link_the_stylesheet_and_icon_under_their_content_hash(client):
    page = client.get("/auth/sign-in").get_data(as_text=True)
    stylesheet = STYLESHEET.search(page)
    assert stylesheet, page[:600]
    assert stylesheet.group(2) == digest(STATIC / "css" / "app.css")
    icon = f'href="/static/img/favicon.{digest(STATIC / "img" / "favicon.svg")}.svg"'
    assert icon in page


def test_a_hashed_name_is_cached_for_a_year_and_keeps_the_security_headers(client):
    url = STYLESHEET.search(client.get("/auth/sign-in").get_data(as_text=True)).group(1)
    response = client.get(url)
    assert response.status_code == 200
    assert response.data == (STATIC / "css" / "app.css").read_bytes()
    assert response.mimetype == "text/css"
    cache = response.headers["Cache-Control"]
    assert "public" in cache and YEAR in cache and "immutable" in cache, cache
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize("path", [
    "/static/css/app.css",  # a plain name
    "/static/css/app.0123456789abcdef.css",  # a hash from before the last deployment
])
def test_plain_and_stale_names_still_work_with_a_short_cache(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.data == (STATIC / "css" / "app.css").read_bytes()
    cache = response.headers["Cache-Control"]
    assert "max-age=300" in cache and "immutable" not in cache, cache


@pytest.mark.parametrize("path", [
    "/static/css/missing.css",
    "/static/css/missing.0123456789abcdef.css",
    "/static/..%2Fpyproject.toml",
    "/static/..%2Fpyproject.0123456789abcdef.toml",
])
def test_missing_files_and_paths_outside_the_folder_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_names_that_cannot_be_files_have_no_hash():
    files = StaticFiles(str(STATIC))
    assert files.digest_of("css/app\x00.css") is None
    assert files.digest_of("../pyproject.toml") is None
    assert files.digest_of("css") is None
    assert files.hashed_name("css/missing.css") == "css/missing.css"


def test_a_changed_file_gets_a_new_name_without_a_restart(app, tmp_path):
    (tmp_path / "site.css").write_text("body { color: black; }")
    # Looked at again on each page here, not after the second a server waits.
    app.extensions["static_files"] = StaticFiles(str(tmp_path), recheck_seconds=0)
    client = app.test_client()
    with app.test_request_context():
        first = app.jinja_env.globals["static_url"]("site.css")
    (tmp_path / "site.css").write_text("body { color: navy; }")
    with app.test_request_context():
        second = app.jinja_env.globals["static_url"]("site.css")
    assert first != second
    assert re.fullmatch(r"/static/site\.[0-9a-f]{16}\.css", second)
    fresh = client.get(second)
    assert fresh.data == b"body { color: navy; }" and "immutable" in fresh.headers["Cache-Control"]
    stale = client.get(first)
    assert stale.data == b"body { color: navy; }"
    assert "immutable" not in stale.headers["Cache-Control"]


def test_templates_ask_for_static_files_through_the_hashing_helper():
    plain = [str(path.relative_to(ROOT)) for path in TEMPLATES.rglob("*.html")
             if re.search(r"""url_for\(\s*['"]static['"]""", path.read_text())]
    assert plain == [], "use static_url('...') so the file gets a long cache"


def test_no_web_fonts_the_system_font_stack_renders_at_once():
    fonts = [p.name for p in STATIC.rglob("*") if p.suffix in {".woff", ".woff2", ".ttf", ".otf"}]
    assert fonts == []
    for sheet in STATIC.rglob("*.css"):
        text = sheet.read_text()
        assert "@font-face" not in text and "@import" not in text, sheet
    assert "font-family: system-ui" in (STATIC / "css" / "app.css").read_text()
    for template in TEMPLATES.rglob("*.html"):
        assert "fonts.googleapis" not in template.read_text(), template


# --- gzip -------------------------------------------------------------------------------------


def test_pages_are_gzipped_for_browsers_that_accept_it_and_keep_their_headers(client):
    plain = client.get("/auth/sign-in")
    assert "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"]

    zipped = client.get("/auth/sign-in", headers=GZIP)
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert int(zipped.headers["Content-Length"]) == len(zipped.data) < len(plain.data) / 2
    assert b"<!doctype html>" in body(zipped)
    assert zipped.headers["Cache-Control"] == "no-store"
    assert zipped.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in zipped.headers["Content-Security-Policy"]


def test_static_files_are_gzipped_and_still_answer_conditional_requests(client):
    url = STYLESHEET.search(client.get("/auth/sign-in").get_data(as_text=True)).group(1)
    response = client.get(url, headers=GZIP)
    assert response.headers["Content-Encoding"] == "gzip"
    assert body(response) == (STATIC / "css" / "app.css").read_bytes()
    assert YEAR in response.headers["Cache-Control"]
    again = client.get(url, headers={**GZIP, "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_small_answers_are_sent_as_they_are(client):
    response = client.get("/healthz", headers=GZIP)
    assert response.status_code == 200 and len(response.data) < 500
    assert "Content-Encoding" not in response.headers


def test_gzip_can_be_turned_off(database_url, tmp_path):
    app = create_app({**base_config(database_url, tmp_path), "COMPRESS_RESPONSES": False})
    try:
        response = app.test_client().get("/auth/sign-in", headers=GZIP)
        assert "Content-Encoding" not in response.headers
        assert b"<!doctype html>" in response.data
    finally:
        with app.app_context():
            db.engine.dispose()


def test_downloads_arrive_intact(app, make):
    area = make.area()
    coordinator = make.user(Role.COORDINATOR, area=area)
    youth = make.user(Role.YOUTH, area=area)
    group = make.group(area, facilitators=[coordinator], members=[youth])
    meeting = make.meeting(group)
    period = f"?from={date.today() - timedelta(days=30)}&to={date.today() + timedelta(days=30)}"

    young = app.test_client()
    sign_in(young, youth)
    ics = young.get(f"/meetings/{meeting.id}.ics", headers=GZIP)
    assert ics.status_code == 200
    assert ics.headers["Content-Disposition"] == f'attachment; filename="meeting-{meeting.id}.ics"'
    assert body(ics).startswith(b"BEGIN:VCALENDAR")

    staff = app.test_client()
    sign_in(staff, coordinator)
    xlsx = staff.get("/reports.xlsx" + period, headers=GZIP)
    assert xlsx.status_code == 200 and "Content-Encoding" not in xlsx.headers  # a zip already
    assert zipfile.ZipFile(io.BytesIO(xlsx.data)).testzip() is None
    csv = staff.get("/reports.csv" + period, headers=GZIP)
    assert csv.status_code == 200 and body(csv).decode().startswith("month,group_id")


def test_a_changed_file_is_noticed_within_a_second(tmp_path, monkeypatch):
    """Every page links the same files: each is looked at once a second, not once a link."""
    clock = [1000.0]
    monkeypatch.setattr("peer_groups.assets.time.monotonic", lambda: clock[0])
    (tmp_path / "site.css").write_text("body { color: black; }")
    files = StaticFiles(str(tmp_path))
    first = files.hashed_name("site.css")
    (tmp_path / "site.css").write_text("body { color: navy; }")
    clock[0] += 0.5
    assert files.hashed_name("site.css") == first  # not looked at again yet
    clock[0] += 0.6
    second = files.hashed_name("site.css")
    assert second != first and re.fullmatch(r"site\.[0-9a-f]{16}\.css", second)
