"""Valid HTML, judged by the Nu HTML Checker (vnu.jar, the validator team's own build, pinned in
tests/nu/package.json and installed by `make vnu` into build/vnu/).

During a run, `keep(url, html)` saves every HTML page the browser tests check (`check_page`)
and the access and crawler tests fetch into build/html-pages/<pid>/ (the pid of the run's first
process: its workers write into the same folder), one file per distinct page
(tokens and numbers left out of the comparison, so the same page for the next test is not
kept twice). At the end of the run (`pytest_sessionfinish` in tests/conftest.py) ONE Java run
checks them all; any error fails the run, listed as page, file, line and message.

Pages are kept on SQLite only: the templates render the same HTML on both databases, so the
PostgreSQL run would only pay the time again. `python -m tests.nu [FOLDER]` checks a folder
(by default the newest run's) again by itself.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess  # nosec B404: runs the pinned checker with a fixed argument list
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
JAR = ROOT / "build" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
RUNS = ROOT / "build" / "html-pages"
# This run's own folder, so two runs at once do not mix: named by the pid of the process that
# started the run, which the suite's workers (pytest-xdist) inherit and so share.
RUN = os.environ.setdefault("HTML_CHECK_RUN", str(os.getpid()))
PAGES = RUNS / RUN
INDEX = "pages.tsv"  # file name, tab, the page it came from

# What differs between two showings of one page: CSRF tokens, nonces, hashed names, ids, dates.
_TOKENS = re.compile(rb"[A-Za-z0-9_\-.+/=]{20,}")
_DIGITS = re.compile(rb"[0-9]+")
_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


@dataclass(frozen=True)
class Problem:
    page: str
    file: str
    line: int | None
    message: str
    extract: str = ""

    def __str__(self):
        where = f"{self.file}:{self.line}" if self.line else self.file
        extract = " ".join(self.extract.split())
        return f"{self.page} ({where}): {self.message}\n    {extract}"


def enabled() -> bool:
    """Pages are kept on the SQLite run (the default): not with HTML_CHECK=off, and on
    PostgreSQL too with HTML_CHECK=on."""
    choice = os.environ.get("HTML_CHECK", "").lower()
    if choice in ("off", "on"):
        return choice == "on"
    return os.environ.get("TEST_DATABASE", "sqlite") == "sqlite"


def running(pid: str) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def start(folder: Path = PAGES):
    """A fresh folder for this run's pages; those of finished runs go."""
    if folder.parent == RUNS and RUNS.is_dir():
        for old in RUNS.iterdir():
            if old != folder and not running(old.name):
                shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / INDEX).write_text("", encoding="utf-8")


SPENT = {"keeping": 0.0}  # seconds this run spent saving pages, for the closing line


def keep(url: str, html, folder: Path = PAGES):
    """Save a page (its HTML, or a function that gives it) once: a page that differs only in
    tokens and numbers is not kept again."""
    if not folder.is_dir():
        return
    began = time.perf_counter()
    try:
        _keep(url, html() if callable(html) else html, folder)
    finally:
        SPENT["keeping"] += time.perf_counter() - began


def _keep(url, html, folder):
    body = html.encode() if isinstance(html, str) else html
    shape = _DIGITS.sub(b"0", _TOKENS.sub(b"T", body))
    digest = hashlib.sha256(shape).hexdigest()[:12]
    parts = urlsplit(url)
    url = parts.path + (f"?{parts.query}" if parts.query else "")  # not the live server's port
    path = re.sub(r"[0-9]+", "0", parts.path)
    name = f"{_UNSAFE.sub('-', path).strip('-')[:80] or 'root'}-{digest}.html"
    target = folder / name
    if target.exists():
        return
    target.write_bytes(body)
    with (folder / INDEX).open("a", encoding="utf-8") as index:
        index.write(f"{name}\t{url}\n")


def newest_run() -> Path:
    runs = [run for run in RUNS.iterdir() if run.is_dir()] if RUNS.is_dir() else []
    return max(runs, key=lambda run: run.stat().st_mtime, default=PAGES)


def kept(folder: Path = PAGES) -> list[Path]:
    return sorted(folder.glob("*.html")) if folder.is_dir() else []


def check(folder: Path = PAGES, jar: Path = JAR) -> list[Problem]:
    """Every error the Nu checker finds in the folder's pages, in one Java run."""
    files = kept(folder)
    if not files:
        return []
    java = shutil.which("java")
    if java is None or not jar.is_file():
        raise FileNotFoundError(f"the Nu HTML Checker needs java and {jar}: run `make vnu`")
    done = subprocess.run(  # nosec B603: fixed arguments, our own files
        [java, "-Xss8m", "-jar", str(jar), "--errors-only", "--format", "json",
         "--exit-zero-always", *map(str, files)],
        capture_output=True, text=True, timeout=600, check=True,
    )
    output = done.stderr  # the JSON report; Java may say something before it
    report = json.loads(output[output.find('{"'):]) if '{"' in output else {"messages": []}
    index_file = folder / INDEX
    lines = index_file.read_text(encoding="utf-8").splitlines() if index_file.exists() else []
    index = dict(line.split("\t", 1) for line in lines if "\t" in line)
    problems = []
    for message in report["messages"]:
        if message.get("type") != "error" and message.get("subType") != "fatal":
            continue
        name = Path(urlsplit(message.get("url", "")).path).name
        problems.append(Problem(page=index.get(name, name), file=str(folder / name),
                                line=message.get("lastLine"), message=message["message"],
                                extract=message.get("extract", "")))
    return problems
