"""`make bench`: the bench dataset on SQLite, then on PostgreSQL, under gunicorn, measured.

For each database: build a small and a full dataset in fresh databases, count each page's
queries on both, start gunicorn, weigh the pages, run Lighthouse, load every page with wrk
(with the workers' CPU time per request) and at a fixed rate; then time the workload and report
pages on one 400-group area. Each step that fails is written into the table with its reason and
the run goes on; the table is rewritten after every step (build/bench/partial.md), then moved
to tests/benchmarks/RESULTS.md (a full run) or build/bench/last.md (a part). See report.NOTES.

    python -m tests.benchmarks [--database sqlite,postgresql] [--pages meeting,home,...]
                               [--seconds 10] [--warm-up 0] [--no-lighthouse]
                               [--output FILE] [--note TEXT]
    python -m tests.benchmarks --profile meeting [--database sqlite] [--requests 200]
"""

import argparse
import os
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

from peer_groups.db import db
from tests.benchmarks import big_area, dataset, lighthouse, load, pages, report
from tests.load.harness import ROOT, Server, start_gunicorn

WORKERS = 2 * (os.cpu_count() or 1) + 1
WEIGHED = ("youth home", "meeting page", "staff register", "workload view")
LIGHTHOUSE = ("youth home", "meeting page")
# Short names for --pages and --profile -> the pages' names in the table.
PAGES = {"trivial": "trivial", "home": "youth home", "meeting": "meeting page",
         "signup": "sign-up POST", "register": "staff register", "workload": "workload view"}
AREA = tuple(big_area.pages())
DATABASES = ("sqlite", "postgresql")
BUILD = ROOT / "build" / "bench"
PARTIAL, LAST = BUILD / "partial.md", BUILD / "last.md"


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def close(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


class Run:
    """The rows so far, written out after every step."""

    def __init__(self, title: str):
        self.rows: list[report.PageResult | report.InProcessRow] = []
        self.about: list[str] = []
        self.title = title
        self.started = time.perf_counter()
        self.load: list[str] = []  # the machine's load average as the run goes

    def note_load(self, when: str) -> None:
        self.load.append(f"{os.getloadavg()[0]:.1f} {when}")

    def save(self, path: Path = PARTIAL, status: str = "partial: still running, or stopped") -> str:
        minutes = (time.perf_counter() - self.started) / 60
        about = [*self.about, f"Whole run: {minutes:.1f} minutes" + (
            f" ({status})" if status else "")]
        if self.load:
            about.append(f"Load average (1 minute, {os.cpu_count()} cores; above the cores, "
                         "other work competed for them): " + ", ".join(self.load))
        text = report.render(self.rows, about, self.title)
        report.write(path, text)
        return text

    @contextmanager
    def step(self, what: str, results=(), cells=()):
        """Run one step; if it fails, write why into `cells` of `results` and go on."""
        say(what)
        try:
            yield
        except Exception as error:  # noqa: BLE001 - one failing step must not lose the rest
            why = report.reason(error)
            say(f"{what}: failed: {why}")
            for result in results:
                for cell in cells:
                    if isinstance(result, report.InProcessRow):
                        result.failure = result.failure or why
                    else:
                        result.failures.setdefault(cell, why)
        self.save()


def selected_lines(subjects: dataset.Subjects, names: list[str]) -> dict[str, list]:
    return {name: subjects.pages[name] for name in names}


def measure(run: Run, kind: str, names: list[str], area: list[str], seconds: int,
            with_lighthouse: bool, warm_up: int = 0) -> None:
    results = {name: report.PageResult(kind, name) for name in names}
    area_rows = {key: report.InProcessRow(kind, big_area.name(key)) for key in area}
    run.rows += [*results.values(), *area_rows.values()]
    everything = [*results.values(), *area_rows.values()]
    run.save()

    with run.step(f"{kind}: small dataset", results.values(), ("small queries",)):
        with dataset.database(kind) as (url, folder):
            dataset.build(url, folder, scale=0.01)
            app = dataset.in_process_app(url, folder)
            try:
                lines = selected_lines(dataset.subjects(app), names)
                for name, page_lines in lines.items():
                    with run.step(f"{kind}: queries {name} (small)", [results[name]],
                                  ("small queries",)):
                        small = pages.query_count(app, page_lines[-1])
                        results[name].queries = (small, results[name].queries[1])
            finally:
                close(app)

    with ExitStack() as stack:
        prepared = None
        with run.step(f"{kind}: the full dataset", everything,
                      ("queries", "wrk", "fixed", "sizes", "lighthouse")):
            url, folder = stack.enter_context(dataset.database(kind))
            started = time.perf_counter()
            say(f"{kind}: " + dataset.build(url, folder))
            say(f"{kind}: built in {time.perf_counter() - started:.0f} s")
            app = dataset.in_process_app(url, folder)
            stack.callback(close, app)
            prepared = dataset.subjects(app)
        if prepared is None:
            return
        subjects = prepared
        measure_pages(run, kind, url, folder, app, subjects, results, seconds, with_lighthouse,
                      warm_up)
        if area_rows:
            measure_area(run, kind, app, area_rows)


def measure_pages(run: Run, kind: str, url: str, folder: Path, app, subjects, results,
                  seconds: int, with_lighthouse: bool, warm_up: int) -> None:
    lines = selected_lines(subjects, list(results))
    rate_of = {name: load.RATES.get(name, load.RATE) for name in results}
    at_fixed_rate = {}
    if "sign-up POST" in lines:
        signups = lines["sign-up POST"]
        counted = signups.pop()  # a fresh sign-up for the query count
        checked = signups.pop()  # and one for the check under gunicorn
        fresh = rate_of["sign-up POST"] * seconds
        at_fixed_rate["sign-up POST"] = signups[:fresh]
        lines["sign-up POST"] = signups[fresh:]
    for name, page_lines in lines.items():
        line = counted if name == "sign-up POST" else page_lines[-1]
        with run.step(f"{kind}: queries {name}", [results[name]], ("queries",)):
            results[name].queries = (results[name].queries[0], pages.query_count(app, line))

    server_cells = ("wrk", "fixed", "sizes", "lighthouse")
    server = None
    with run.step(f"{kind}: gunicorn", results.values(), server_cells):
        server = started_gunicorn(url, folder)
    if server is None:
        return
    try:
        base = server.base
        working = {}
        for name, page_lines in lines.items():
            with run.step(f"{kind}: check {name}", [results[name]], server_cells):
                line = checked if name == "sign-up POST" else page_lines[0]
                results[name].encoding = load.check(base, line)
                working[name] = page_lines
        for name in (n for n in WEIGHED if n in working):
            with run.step(f"{kind}: bytes {name}", [results[name]], ("sizes",)):
                results[name].sizes = pages.page_bytes(base, working[name][0])
        for name in (n for n in LIGHTHOUSE if n in working and with_lighthouse):
            line = working[name][0]
            with run.step(f"{kind}: Lighthouse {name}", [results[name]], ("lighthouse",)):
                results[name].lighthouse = lighthouse.scores(base + line.path, line.cookie,
                                                              folder)
        # The yardstick is run again after each page: on a shared machine the trivial route
        # itself moved by a third within one run, so each page is set against the trivial
        # runs just before and after it, and the trivial row shows them all.
        yardsticks: list[load.Flat] = []

        def yardstick(after: str) -> load.Flat | None:
            if "trivial" not in working:
                return None
            label = f"{kind}: wrk trivial" + (f" (after {after})" if after else "")
            with run.step(label, [results["trivial"]] if not after else [], ("wrk",)):
                flat = load.flat_out(server, working["trivial"], folder, "trivial", seconds,
                                     warm_up)
                yardsticks.append(flat)
                take(results["trivial"], load.mean_of(yardsticks))
                results["trivial"].yardstick_runs = [one.rps for one in yardsticks]
                return flat
            return None

        before = yardstick("")
        for name, page_lines in working.items():
            if name == "trivial":
                continue
            flat = None
            with run.step(f"{kind}: wrk {name}", [results[name]], ("wrk",)):
                flat = load.flat_out(server, page_lines, folder, name, seconds, warm_up)
                take(results[name], flat)
            after = yardstick(name)
            around = [run for run in (before, after) if run is not None]
            if flat is not None and around:
                results[name].yardstick = load.mean_of(around)
            before = after or before
            ratios(results)
        for name, page_lines in working.items():
            rate = rate_of[name]
            with run.step(f"{kind}: {rate} req/s {name}", [results[name]], ("fixed",)):
                load.drain(base)
                results[name].fixed_p95, results[name].fixed_failed = load.fixed_rate(
                    base, at_fixed_rate.get(name, page_lines), rate, seconds)
                results[name].rate = rate
    finally:
        server.stop()
        server.wait_until_stopped()


def started_gunicorn(url: str, folder: Path) -> Server:
    """gunicorn serving the bench database, up; or an error whose first line says why not."""
    server = start_gunicorn("wsgi:app", dataset.environment(url, folder), WORKERS)
    try:
        server.wait_until_up()
    except RuntimeError as error:
        server.stop()
        server.log.seek(0)
        said = [line for line in server.log.read().decode("utf-8", "replace").splitlines()
                if line.strip()]
        server.wait_until_stopped()
        # The app's own last line says most (a worker that cannot boot is retried, so the log
        # ends in "Booting worker"): not gunicorn's "[time] [pid]" nor a traceback's indented
        # lines; failing that, gunicorn's last error, or its last line.
        raised = [line for line in said if not line.startswith(("[", " ", "Traceback"))]
        logged = [line for line in said if "[ERROR]" in line]
        why = (raised or logged or said or [""])[-1].strip()
        raise RuntimeError("gunicorn did not start" + (f": {why}" if why else "")) from error
    return server


def take(result: report.PageResult, flat: load.Flat) -> None:
    """A wrk step's figures into the page's row."""
    result.rps, result.failed, result.restarted = flat.rps, flat.failed, flat.restarted
    result.failed_kinds = flat.kinds
    result.requests, result.cpu_ms = flat.requests, flat.cpu_ms
    result.latency = (flat.p50, flat.p95, flat.p99)


def ratios(results: dict[str, report.PageResult]) -> None:
    """Each page's throughput, CPU time and p99 over the trivial route's: the trivial runs
    just before and after the page where there are, else the trivial row's."""
    trivial = results.get("trivial")
    if trivial is None or not trivial.rps or trivial.latency is None:
        return
    whole_row = load.Flat(trivial.rps, *trivial.latency, 0, cpu_ms=trivial.cpu_ms)
    trivial.cpu_ratio = 1.0 if trivial.cpu_ms else None
    for result in results.values():
        if result is trivial:
            continue
        stick = result.yardstick or whole_row
        if result.rps is not None and stick.rps:
            result.ratio = result.rps / stick.rps
        if result.cpu_ms is not None and stick.cpu_ms:
            result.cpu_ratio = result.cpu_ms / stick.cpu_ms
        if result.latency is not None and stick.p99:
            result.p99_ratio = result.latency[2] / stick.p99


def measure_area(run: Run, kind: str, app, rows: dict[str, report.InProcessRow]) -> None:
    with run.step(f"{kind}: the 400-group area", rows.values(), ("area",)):
        big_area.build(app)
        for key, result in rows.items():
            with run.step(f"{kind}: {result.page}", [result], ("area",)):
                result.figure, result.target, result.met = big_area.row(app, key)


def chosen(text: str | None, known: tuple[str, ...], what: str) -> list[str]:
    if text is None:
        return list(known)
    picked = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [part for part in picked if part not in known]
    if unknown:
        raise SystemExit(f"unknown {what}: {', '.join(unknown)} (known: {', '.join(known)})")
    return picked


def arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="sqlite, postgresql or both (comma-separated)")
    parser.add_argument("--pages", help="comma-separated, of: " + ", ".join([*PAGES, *AREA])
                        + " (trivial, the yardstick, is always measured)")
    parser.add_argument("--seconds", type=int, default=load.SECONDS,
                        help="of each wrk and fixed-rate step (default %(default)s)")
    parser.add_argument("--no-lighthouse", action="store_true", help="skip Lighthouse")
    parser.add_argument("--warm-up", type=int, default=0, metavar="SECONDS",
                        help="unmeasured wrk seconds before each wrk step, so each worker has "
                        "rendered the page once (default 0, as the baseline was measured)")
    parser.add_argument("--note", help="a line for the table's heading (say, what code "
                        "this measures); it does not make the run a part")
    parser.add_argument("--output", type=Path, help="where the table goes at the end "
                        "(default: RESULTS.md for a full run, build/bench/last.md otherwise)")
    parser.add_argument("--profile", metavar="PAGE", help="profile one page in process "
                        "instead (cProfile): " + ", ".join([*PAGES, *AREA]))
    parser.add_argument("--requests", type=int, default=200, help="with --profile")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="of the dataset, with --profile (default %(default)s)")
    parser.add_argument("--top", type=int, default=25, help="functions shown, with --profile")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    options = arguments(argv)
    databases = chosen(options.database, DATABASES, "database")
    if options.profile:
        from tests.benchmarks import profiling

        chosen(options.profile, (*PAGES, *AREA), "page")
        profiling.main(databases[0], options.profile, PAGES.get(options.profile),
                       options.requests, options.scale, options.top)
        return
    keys = chosen(options.pages, (*PAGES, *AREA), "page")
    full = (options.pages is None and options.database is None and not options.warm_up
            and options.seconds == load.SECONDS and not options.no_lighthouse)
    names = [name for key, name in PAGES.items() if key in keys or key == "trivial"]
    area = [key for key in AREA if key in keys]
    output = options.output or (report.RESULTS if full else LAST)
    run = Run("`make bench` results" if full else "`make bench`, a part: " + " ".join(
        sys.argv[1:] if argv is None else argv))
    try:
        version = lighthouse.version()
    except OSError as error:
        version = f"missing ({report.reason(error)})"
    run.about = report.machine(version)
    if options.note:
        run.about.insert(0, options.note)
    if not full:
        run.about.append(f"A part: {', '.join(databases)}; {', '.join(names + area)}; "
                         f"{options.seconds} s a step"
                         + (f" after {options.warm_up} s of warm-up" if options.warm_up else "")
                         + ("; no Lighthouse" if options.no_lighthouse else ""))
    run.note_load("at the start")
    for kind in databases:
        try:
            measure(run, kind, names, area, options.seconds, not options.no_lighthouse,
                    options.warm_up)
        except Exception as error:  # noqa: BLE001 - e.g. dropping the database; the rows stay
            run.about.append(f"{kind}: failed after the rows measured: {report.reason(error)}")
            say(run.about[-1])
        run.note_load(f"after {kind}")
    text = run.save(PARTIAL, status="")
    report.write(output, text)
    PARTIAL.unlink()
    print(text)
    say(f"written to {output}")


if __name__ == "__main__":
    main()
