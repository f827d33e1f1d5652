"""The results table: figures, the issue's targets (never lowered), met or MISSED, the steps
that failed and why, and the machine they were measured on. The table is rewritten after every
step, so an interrupted run still leaves what it measured."""

import os
import platform
import sqlite3
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import psycopg

from tests.conftest import PG_SERVER

RESULTS = Path(__file__).with_name("RESULTS.md")
# Targets (issue 18): throughput and p99 as ratios of the trivial route's in the same run.
RATIO, P99_RATIO, WORKLOAD_RATIO = 0.5, 5, 0.15
RATIO_PAGES = ("youth home", "meeting page")  # ≥ RATIO × trivial req/s, p99 ≤ P99_RATIO ×
P95_MS = {"workload view": 300}  # at the fixed rate; the others 100 ms
DEFAULT_P95_MS = 100
QUERIES, KILOBYTES, PERFORMANCE, ACCESSIBILITY = 6, 40, 95, 100
HEADER = ("| database | page | req/s (× trivial) | ms CPU / request (× trivial) | "
          "p50 / p95 / p99 ms (flat out; p99 × trivial) | p95 at a fixed rate | "
          "queries small / full | KB HTML + CSS + JS + images | Lighthouse perf / a11y |")
COLUMNS = HEADER.count("|") - 1


@dataclass
class PageResult:
    database: str
    page: str
    rps: float | None = None
    ratio: float | None = None
    requests: int = 0
    cpu_ms: float | None = None
    cpu_ratio: float | None = None
    latency: tuple[float, float, float] | None = None
    p99_ratio: float | None = None
    failed: int = 0
    failed_kinds: Counter = field(default_factory=Counter)  # "HTTP 500" -> count, wrk's
    fixed_failed: Counter = field(default_factory=Counter)  # and the fixed-rate client's
    restarted: int = 0  # workers that were replaced during the wrk step
    rate: int | None = None
    fixed_p95: float | None = None
    queries: tuple[int | None, int | None] = (None, None)
    sizes: dict[str, int] = field(default_factory=dict)
    encoding: str = ""
    lighthouse: tuple[int, int] | None = None
    failures: dict[str, str] = field(default_factory=dict)  # cell -> one-line reason
    # The trivial runs just before and after this page, as one (load.Flat); the trivial row
    # keeps each run's req/s instead.
    yardstick: object = None
    yardstick_runs: list[float] = field(default_factory=list)


@dataclass
class InProcessRow:
    database: str
    page: str
    figure: str = ""
    target: str = ""
    met: bool | None = None
    failure: str = ""


def reason(error: BaseException) -> str:
    """One line that says why a step failed (a command's last line of stderr if it has one)."""
    text = str(error)
    if isinstance(error, subprocess.CalledProcessError):
        output = error.stderr or error.stdout or ""
        if isinstance(output, bytes):
            output = output.decode("utf-8", "replace")
        last = [line for line in output.strip().splitlines() if line.strip()]
        text = f"{Path(str(error.cmd[0])).name} exited {error.returncode}" + (
            f": {last[-1].strip()}" if last else "")
    elif isinstance(error, FileNotFoundError) and error.filename:
        text = f"{error.filename} not found"
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    line = f"{type(error).__name__}: {first}" if first else type(error).__name__
    line = line.replace("|", "/")
    return line if len(line) <= 140 else line[:137] + "..."


def kinds(counted: Counter) -> str:
    return " (" + ", ".join(f"{kind} × {n}" for kind, n in counted.most_common()) + ")" \
        if counted else ""


def mark(figure: str, met: bool) -> str:
    return f"{figure} {'met' if met else '**MISSED**'}"


def failed(result: PageResult, cell: str) -> str | None:
    why = result.failures.get(cell)
    return None if why is None else f"failed: {why}"


def throughput_cell(result: PageResult) -> str:
    if (why := failed(result, "wrk")) is not None:
        return why
    if result.rps is None:
        return ""
    ratio = ""
    if result.ratio is not None and result.page != "trivial":
        figure = f"× {result.ratio:.2f}"
        if result.page in RATIO_PAGES:
            figure = mark(figure, result.ratio >= RATIO)
        elif result.page == "workload view":
            figure = mark(figure, result.ratio >= WORKLOAD_RATIO)
        ratio = f" ({figure})"
    elif result.page == "trivial":
        runs = result.yardstick_runs
        ratio = " (× 1.00" + (f"; mean of {len(runs)} runs, {min(runs):.0f}–{max(runs):.0f}"
                              if len(runs) > 1 else "") + ")"
    notes = []
    if result.failed:
        notes.append(f"{result.failed} failed{kinds(result.failed_kinds)}")
    if result.restarted:
        notes.append(f"{result.restarted} workers replaced")
    return f"{result.rps:.0f}{ratio}" + (f", {', '.join(notes)}" if notes else "")


def cpu_cell(result: PageResult) -> str:
    if (why := failed(result, "wrk")) is not None:
        return why
    if result.cpu_ms is None:
        return ""
    ratio = "" if result.cpu_ratio is None else f" (× {result.cpu_ratio:.1f})"
    return f"{result.cpu_ms:.2f}{ratio}"


def latency_cell(result: PageResult) -> str:
    if (why := failed(result, "wrk")) is not None:
        return why
    if result.latency is None:
        return ""
    text = " / ".join(f"{ms:.0f}" for ms in result.latency)
    if result.p99_ratio is not None and result.page != "trivial":
        figure = f"p99 × {result.p99_ratio:.1f}"
        if result.page in RATIO_PAGES:
            figure = mark(figure, result.p99_ratio <= P99_RATIO)
        text += f" ({figure})"
    return text


def fixed_cell(result: PageResult) -> str:
    if (why := failed(result, "fixed")) is not None:
        return why
    if result.fixed_p95 is None:
        return ""
    limit = P95_MS.get(result.page, DEFAULT_P95_MS)
    failures = sum(result.fixed_failed.values())
    return mark(f"{result.fixed_p95:.0f} ms at {result.rate}/s", result.fixed_p95 < limit) + (
        f", {failures} failed{kinds(result.fixed_failed)}" if failures else "")


def queries_cell(result: PageResult) -> str:
    small, full = result.queries
    parts = [failed(result, "small queries") or ("" if small is None else str(small)),
             failed(result, "queries") or ("" if full is None else str(full))]
    if small is None and full is None:
        return " / ".join(parts) if any(parts) else ""
    figure = " / ".join(part or "?" for part in parts)
    if result.page == "trivial" or small is None or full is None:
        return figure
    return f"{figure} ({mark('equal', small == full)}, {mark(f'≤ {QUERIES}', full <= QUERIES)})"


def sizes_cell(result: PageResult) -> str:
    if (why := failed(result, "sizes")) is not None:
        return why
    if not result.sizes:
        return ""
    total = sum(result.sizes.values()) / 1024
    parts = " + ".join(f"{result.sizes.get(k, 0) / 1024:.1f}"
                       for k in ("HTML", "CSS", "JS", "images"))
    encoding = f" ({result.encoding})" if result.encoding else ""
    return mark(f"{parts} = {total:.1f}{encoding}", total < KILOBYTES)


def lighthouse_cell(result: PageResult) -> str:
    if (why := failed(result, "lighthouse")) is not None:
        return why
    if not result.lighthouse:
        return ""
    performance, accessibility = result.lighthouse
    return mark(f"{performance} / {accessibility}",
                performance >= PERFORMANCE and accessibility >= ACCESSIBILITY)


def row(result: PageResult) -> str:
    cells = [result.database, result.page, throughput_cell(result), cpu_cell(result),
             latency_cell(result), fixed_cell(result), queries_cell(result),
             sizes_cell(result), lighthouse_cell(result)]
    seen = []  # a reason is written out once a row; the cells after it point back to it
    for index, cell in enumerate(cells):
        for why in dict.fromkeys(result.failures.values()):
            if f"failed: {why}" in cell:
                if why in seen:
                    cell = cell.replace(f"failed: {why}", "failed (as on the left)")
                else:
                    seen.append(why)
        cells[index] = cell
    return "| " + " | ".join(cells) + " |"


def in_process_row(result: InProcessRow) -> str:
    if result.failure:
        figure = f"failed: {result.failure}"
    elif result.met is None:
        figure = ""
    else:
        figure = "in process: " + mark(f"{result.figure} (target {result.target})", result.met)
    return f"| {result.database} | {result.page} | {figure} |" + " |" * (COLUMNS - 3)


def command_version(*command: str) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except OSError:
        return "missing"
    return (done.stdout or done.stderr).strip().splitlines()[0] if (
        done.stdout or done.stderr) else "?"


def postgres_version() -> str:
    try:
        with psycopg.connect(PG_SERVER, connect_timeout=5) as conn:
            return conn.execute("SHOW server_version").fetchone()[0]
    except psycopg.Error as error:
        return f"not reachable ({reason(error)})"


def machine(lighthouse_version: str) -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text()
                     .splitlines() if line.startswith("MemTotal"))
    return [
        f"Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"Machine: {os.cpu_count()} cores, {cpu}, {memory_kb / 1024 / 1024:.1f} GiB RAM "
        "(shared with other work: absolute figures are noisy, ratios less so)",
        f"Versions: Python {platform.python_version()}, Flask {version('flask')}, "
        f"SQLAlchemy {version('sqlalchemy')}, gunicorn {version('gunicorn')}, "
        f"SQLite {sqlite3.sqlite_version}, PostgreSQL {postgres_version()}, "
        f"{command_version('wrk', '-v').split(' [')[0]}, Lighthouse {lighthouse_version}, "
        f"{command_version('/usr/bin/chromium', '--version')}, "
        f"Node {command_version('node', '--version')}",
    ]


def render(rows: list[PageResult | InProcessRow], about: list[str], title: str) -> str:
    lines = [in_process_row(r) if isinstance(r, InProcessRow) else row(r) for r in rows]
    return "\n".join([f"# {title}", "", *[f"- {a}" for a in about], "",
                      HEADER, "|" + "---|" * COLUMNS, *lines, "", *NOTES]) + "\n"


def write(path: Path, text: str) -> None:
    """Replace `path` whole (write beside it, then rename), so a reader never sees half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(path.name + ".tmp")
    scratch.write_text(text)
    scratch.replace(path)


NOTES = [
    "How: the schema (`create_all`, equal to the migrations) and `flask seed-bench` into a "
    "fresh database; the app under "
    "gunicorn on 127.0.0.1 (production profile, sync workers = 2 × cores + 1). Every request "
    "sends `Accept-Encoding: gzip, deflate, br` as a phone's browser does (the app answers "
    "gzip). Each step (dataset, gunicorn, Lighthouse, wrk, ...) that fails says so in its cell "
    "(`failed: why`) and the run goes on; the table is rewritten after every step "
    "(`build/bench/partial.md` while running, then moved here).",
    "",
    "- *req/s, p50/p95/p99*: `wrk` (Debian) with 2 threads and 10 connections for 10 s, "
    "replaying requests of 200 signed-in people in turn (`replay.lua`); × trivial is the "
    "page's figure over `/healthz`'s in the same run: `/healthz` is run again after every "
    "page, and each page is set against the mean of the trivial runs just before and after "
    "it (on a shared machine the yardstick itself drifted by a third within one run); the "
    "trivial row is the mean of all its runs, with their spread. Targets: the youth home "
    "and the meeting page ≥ 0.5 × trivial req/s and p99 ≤ 5 × trivial p99; the workload "
    "view ≥ 0.15 × trivial req/s.",
    "- *ms CPU / request*: user + system CPU time of the gunicorn workers (`/proc/<pid>/stat` "
    "of the master's children) from before the wrk step to after the server is idle again, "
    "over the requests wrk counted; × trivial is over `/healthz`'s runs around it. It "
    "includes each worker's first render of the page (compiling its templates) and each "
    "person's first request of the minute (the session touch): in a short or slow step "
    "these weigh more, so compare like with like (`--warm-up 2` runs wrk unmeasured "
    "first; the full run has none, as the baseline). Failed requests are counted by kind "
    "(HTTP status, timeout).",
    "- *p95 at a fixed rate*: an open-loop Python client (`load.fixed_rate`: one thread per "
    "request, each leaving at its planned moment, latency counted from that moment) for 10 s "
    "at 50 req/s, the workload view at 10 req/s; target < 100 ms, the workload view < 300 ms.",
    "- *queries*: SQL statements of one request, counted in process with a "
    "`before_cursor_execute` listener, on `seed-bench --scale 0.01` (small) and the full "
    "dataset; target: equal and ≤ 6.",
    "- *KB*: the page and the styles, scripts and images it links, as sent to a phone "
    "(`Accept-Encoding: gzip, deflate, br`; the encoding the page came in is in brackets); "
    "target < 40 KB.",
    "- *Lighthouse*: npm `lighthouse` (pinned in `package.json`), default mobile profile, "
    "headless Chromium; target performance ≥ 95, accessibility 100.",
    "- `history/` keeps each session's before/after tables; the newest also says why each "
    "target still MISSED is missed, with its profile (`--profile PAGE` prints the split of a "
    "request between the view and the frame every signed-in page pays).",
    "- The rows marked *in process* are the earlier bench: one area of 400 groups (the largest "
    "bench area), timed through the test client; the year's report < 500 ms.",
    "",
    "A part, quickly (the table goes to `build/bench/last.md`, RESULTS.md is left alone; "
    "`/healthz` is always measured as the yardstick; about a minute and a half for this one):",
    "",
    "    .venv/bin/python -m tests.benchmarks --database sqlite --pages meeting,home "
    "--seconds 5 --warm-up 2 --no-lighthouse",
    "    make bench BENCH=\"--database postgresql --pages area-report\"",
    "",
    "Pages: `trivial home meeting signup register workload area-workload area-csv "
    "area-report` (the last three are the *in process* rows); `--output FILE` writes the "
    "table elsewhere, `--note TEXT` adds a line to its heading (the machine's load average "
    "is always there). One page profiled in process "
    "(cProfile over `--requests` requests through the test client, after a warm-up; prints "
    "ms wall and CPU per request, its queries and the top functions by own and by "
    "cumulative time; `--scale 0.1` builds a smaller dataset faster):",
    "",
    "    .venv/bin/python -m tests.benchmarks --profile meeting --database postgresql "
    "--requests 200",
]
