"""Static files under content-hashed names, so browsers may keep them for a year.

Templates ask `static_url("css/app.css")` and get `/static/css/app.<hash>.css`, where the hash
is taken from the file's bytes. A changed file gets a new name, so the old copy in a phone's
cache is never used again; an unchanged one is never downloaded twice, which matters on
prepaid data. Hashes are computed when the app starts and again whenever a file's size or
modification time changes (looked at most once a second per file, as every page links the same
few), so there is no build step to forget: `make run`, the tests and a deployment all serve the
current files.

A page cached before a deployment may still ask for an old hash; it gets the current file with
a short cache, as does any plain `/static/<name>` URL.
"""

import hashlib
import mimetypes
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from stat import S_ISREG

from flask import abort, current_app, has_request_context, request, url_for
from werkzeug.security import safe_join

LONG_MAX_AGE = 365 * 24 * 3600  # a year: the name changes whenever the bytes do
SHORT_MAX_AGE = 300  # plain or stale names may change at the next deployment
DIGEST_LENGTH = 16

HASHED_NAME = re.compile(
    rf"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{DIGEST_LENGTH}}})(?P<suffix>\.[^./]+)?$"
)


@dataclass(frozen=True)
class Fingerprint:
    """A file's content hash, with the size and time it was computed for."""

    size: int
    mtime_ns: int
    digest: str


class StaticFiles:
    """Content hashes of the files in one static folder, refreshed when a file changes."""

    def __init__(self, folder: str, recheck_seconds: float = 1.0):
        self.folder = folder
        self.recheck_seconds = recheck_seconds
        self._fingerprints: dict[str, Fingerprint] = {}
        self._names: dict[str, tuple[float, str]] = {}  # name -> (when looked at, hashed name)
        self.urls: dict[tuple[str, str], str] = {}  # (script root, hashed name) -> URL
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                self.digest_of(path.relative_to(folder).as_posix())

    def digest_of(self, filename: str) -> str | None:
        """The current hash of `filename` (relative to the folder), or None if there is none."""
        path = safe_join(self.folder, filename)
        if path is None:
            return None
        try:
            stat = os.stat(path)
        except (OSError, ValueError):  # missing, unreadable, or a NUL byte in the name
            return None
        if not S_ISREG(stat.st_mode):
            return None
        known = self._fingerprints.get(filename)
        if known and (known.size, known.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            return known.digest
        with open(path, "rb") as file:
            digest = hashlib.file_digest(file, "sha256").hexdigest()[:DIGEST_LENGTH]
        self._fingerprints[filename] = Fingerprint(stat.st_size, stat.st_mtime_ns, digest)
        return digest

    def hashed_name(self, filename: str) -> str:
        """`css/app.css` → `css/app.<hash>.css`; a missing file keeps its name (and 404s).
        The file is looked at again once `recheck_seconds` have passed since the last time."""
        now = time.monotonic()
        known = self._names.get(filename)
        if known is not None and now - known[0] < self.recheck_seconds:
            return known[1]
        digest = self.digest_of(filename)
        if digest is None:
            hashed = filename
        else:
            path = PurePosixPath(filename)
            hashed = str(path.with_name(f"{path.stem}.{digest}{path.suffix}"))
        self._names[filename] = (now, hashed)
        return hashed


def static_url(filename: str, **values) -> str:
    """The URL of a static file under its content-hashed name (the one helper templates use).

    Every page links the same few files: each hashed name's URL is built once per script root
    (the hash itself is checked against the file at most once a second)."""
    files: StaticFiles = current_app.extensions["static_files"]
    hashed = files.hashed_name(filename)
    if values or not has_request_context():
        return url_for("static", filename=hashed, **values)
    key = (request.script_root, hashed)
    url = files.urls.get(key)
    if url is None:
        url = files.urls[key] = url_for("static", filename=hashed)
    return url


def send_static(filename: str):
    """Serve `/static/<name>`: a year's immutable cache only when the hash is the current one."""
    files: StaticFiles = current_app.extensions["static_files"]
    match = HASHED_NAME.match(filename)
    if match:
        original = match["stem"] + (match["suffix"] or "")
        current = files.digest_of(original)
        if current is not None:
            return file_answer(files.folder, original, fresh=current == match["digest"])
    return file_answer(files.folder, filename, fresh=False)


def file_answer(folder: str, filename: str, *, fresh: bool):
    """The whole file as one body, with an ETag and Last-Modified for conditional requests.

    Static files are small. A complete body (rather than Flask's file stream) is gzipped whole
    with a Content-Length, and leaves no open file behind for a compressing stream to forget.
    """
    path = safe_join(folder, filename)
    if path is None or not os.path.isfile(path):
        abort(404)
    with open(path, "rb") as file:
        data = file.read()
    mimetype = mimetypes.guess_type(path)[0] or "application/octet-stream"
    response = current_app.response_class(data, mimetype=mimetype)
    response.last_modified = os.path.getmtime(path)
    response.add_etag()
    response.cache_control.public = True
    response.cache_control.max_age = LONG_MAX_AGE if fresh else SHORT_MAX_AGE
    if fresh:
        response.cache_control.immutable = True
    return response.make_conditional(request)


def init_app(app):
    """Replace Flask's static view (same endpoint and URL) and give templates `static_url`."""
    app.extensions["static_files"] = StaticFiles(app.static_folder)
    app.view_functions["static"] = send_static
    app.jinja_env.globals["static_url"] = static_url
