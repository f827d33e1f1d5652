"""The results table: figures, the issue's targets (never lowered), met or MISSED, and the
machine they were measured on."""

import os
import platform
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import psycopg

from tests.conftest import PG_SERVER

RESULTS = Path(__file__).with_name("RESULTS.md")
RATIO, P95_MS, QUERIES, KILOBYTES, PERFORMANCE, ACCESSIBILITY = 0.3, 100, 6, 40, 95, 100
RATIO_PAGES = ("youth home", "meeting page")
HEADER = ("| database | page | req/s (× trivial) | p50 / p95 / p99 ms (flat out) | "
          "p95 at 50 req/s | queries small / full | KB HTML + CSS + JS + images | "
          "Lighthouse perf / a11y |")


@dataclass
class PageResult:
    database: str
    page: str
    rps: float = 0.0
    ratio: float | None = None
    latency: tuple[float, float, float] = (0.0, 0.0, 0.0)
    failed: int = 0
    fixed_p95: float | None = None
    queries: tuple[int, int] | None = None
    sizes: dict[str, int] = field(default_factory=dict)
    lighthouse: tuple[int, int] | None = None
    note: str = ""


def mark(figure: str, met: bool) -> str:
    return f"{figure} {'met' if met else '**MISSED**'}"


def row(result: PageResult) -> str:
    trivial = result.page == "trivial"
    ratio = "" if result.ratio is None else f" (× {result.ratio:.2f})"
    if result.page in RATIO_PAGES and result.ratio is not None:
        ratio = " (" + mark(f"× {result.ratio:.2f}", result.ratio >= RATIO) + ")"
    failed = f", {result.failed} failed" if result.failed else ""
    cells = [result.database, result.page, f"{result.rps:.0f}{ratio}{failed}",
             " / ".join(f"{ms:.0f}" for ms in result.latency)]
    cells.append("" if result.fixed_p95 is None else
                 mark(f"{result.fixed_p95:.0f} ms", result.fixed_p95 < P95_MS))
    if result.queries is None:
        cells.append("")
    else:
        small, full = result.queries
        figure = f"{small} / {full}"
        cells.append(figure if trivial else mark(figure, small == full and full <= QUERIES))
    if result.sizes:
        total = sum(result.sizes.values()) / 1024
        parts = " + ".join(f"{result.sizes.get(k, 0) / 1024:.1f}"
                           for k in ("HTML", "CSS", "JS", "images"))
        cells.append(mark(f"{parts} = {total:.1f}", total < KILOBYTES))
    else:
        cells.append("")
    if result.lighthouse:
        performance, accessibility = result.lighthouse
        cells.append(mark(f"{performance} / {accessibility}",
                          performance >= PERFORMANCE and accessibility >= ACCESSIBILITY))
    else:
        cells.append(result.note)
    return "| " + " | ".join(cells) + " |"


def in_process_row(database: str, page: str, figure: str, target: str, met: bool) -> str:
    return (f"| {database} | {page} | in process: {mark(f'{figure} (target {target})', met)} "
            "| | | | | |")


def command_version(*command: str) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except OSError:
        return "missing"
    return (done.stdout or done.stderr).strip().splitlines()[0] if (
        done.stdout or done.stderr) else "?"


def machine(lighthouse_version: str) -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text()
                     .splitlines() if line.startswith("MemTotal"))
    with psycopg.connect(PG_SERVER) as conn:
        postgres = conn.execute("SHOW server_version").fetchone()[0]
    return [
        f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"Machine: {os.cpu_count()} cores, {cpu}, {memory_kb / 1024 / 1024:.1f} GiB RAM "
        "(shared with other work: absolute figures are noisy, ratios less so)",
        f"Versions: Python {platform.python_version()}, Flask {version('flask')}, "
        f"SQLAlchemy {version('sqlalchemy')}, gunicorn {version('gunicorn')}, "
        f"SQLite {sqlite3.sqlite_version}, PostgreSQL {postgres}, "
        f"{command_version('wrk', '-v').split(' [')[0]}, Lighthouse {lighthouse_version}, "
        f"{command_version('/usr/bin/chromium', '--version')}, "
        f"Node {command_version('node', '--version')}",
    ]


def write(lines: list[str], about: list[str]) -> str:
    text = "\n".join(["# `make bench` results", "", *[f"- {a}" for a in about], "",
                      HEADER, "|" + "---|" * 8, *lines, "", *NOTES])
    RESULTS.write_text(text + "\n")
    return text


NOTES = [
    "How: the schema (`create_all`, equal to the migrations) and `flask seed-bench` into a "
    "fresh database; the app under "
    "gunicorn on 127.0.0.1 (production profile, sync workers = 2 × cores + 1).",
    "",
    "- *req/s, p50/p95/p99*: `wrk` (Debian) with 2 threads and 10 connections for 10 s, "
    "replaying requests of 200 signed-in people in turn (`replay.lua`); × trivial is the "
    "page's throughput over `/healthz`'s in the same run (target ≥ 0.3 for the youth home "
    "and the meeting page).",
    "- *p95 at 50 req/s*: an open-loop Python client (`load.fixed_rate`: one thread per request, "
    "each leaving at its planned moment, latency counted from that moment) for 10 s; "
    "target < 100 ms.",
    "- *queries*: SQL statements of one request, counted in process with a "
    "`before_cursor_execute` listener, on `seed-bench --scale 0.01` (small) and the full "
    "dataset; target: equal and ≤ 6.",
    "- *KB*: the page and the styles, scripts and images it links, as sent "
    "(`Accept-Encoding: gzip`); target < 40 KB.",
    "- *Lighthouse*: npm `lighthouse` (pinned in `package.json`), default mobile profile, "
    "headless Chromium; target performance ≥ 95, accessibility 100.",
    "- The rows marked *in process* are the earlier bench: one area of 400 groups, timed "
    "through the test client.",
]
