"""`make bench`: the bench dataset on SQLite, then on PostgreSQL, under gunicorn, measured.

For each database: build a small and a full dataset in fresh databases, count each page's
queries on both, start gunicorn, weigh the pages, run Lighthouse, load every page with wrk and
at a fixed rate; then time the workload and report pages on one 400-group area. Prints one
table and writes it to tests/benchmarks/RESULTS.md. See report.NOTES for what each figure is.
"""

import os
import sys
import time

from peer_groups.db import db
from tests.benchmarks import big_area, dataset, lighthouse, load, pages, report
from tests.load.harness import gunicorn

WORKERS = 2 * (os.cpu_count() or 1) + 1
WEIGHED = ("youth home", "meeting page", "staff register", "workload view")


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def close(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def small_counts(kind: str) -> dict[str, int]:
    """Queries per page on the 1 % dataset."""
    with dataset.database(kind) as (url, folder):
        dataset.build(url, folder, scale=0.01)
        app = dataset.in_process_app(url, folder)
        subjects = dataset.subjects(app)
        counts = {page: pages.query_count(app, lines[-1])
                  for page, lines in subjects.pages.items()}
        close(app)
    return counts


def measure(kind: str) -> list[str]:
    say(f"{kind}: small dataset")
    small = small_counts(kind)
    with dataset.database(kind) as (url, folder):
        started = time.perf_counter()
        say(f"{kind}: " + dataset.build(url, folder))
        say(f"{kind}: built in {time.perf_counter() - started:.0f} s")
        app = dataset.in_process_app(url, folder)
        subjects = dataset.subjects(app)
        signups = subjects.pages["sign-up POST"]
        counted = signups.pop()  # a fresh sign-up for the query count
        at_fixed_rate = {"sign-up POST": signups[:load.RATE * load.RATE_SECONDS]}
        subjects.pages["sign-up POST"] = signups[load.RATE * load.RATE_SECONDS:]
        results = {}
        for page, lines in subjects.pages.items():
            line = counted if page == "sign-up POST" else lines[-1]
            results[page] = report.PageResult(
                kind, page, queries=(small[page], pages.query_count(app, line)))
        with gunicorn("wsgi:app", dataset.environment(url, folder), workers=WORKERS) as base:
            for page, lines in subjects.pages.items():
                load.check(base, lines.pop() if page == "sign-up POST" else lines[0])
            for page in WEIGHED:
                results[page].sizes = pages.page_bytes(base, subjects.pages[page][0])
            for page in ("youth home", "meeting page"):
                say(f"{kind}: Lighthouse {page}")
                line = subjects.pages[page][0]
                results[page].lighthouse = lighthouse.scores(base + line.path, line.cookie,
                                                             folder)
            for page, lines in subjects.pages.items():
                say(f"{kind}: wrk {page}")
                load.drain(base)
                flat = load.flat_out(base, lines, folder, page)
                results[page].rps, results[page].failed = flat.rps, flat.failed
                results[page].latency = (flat.p50, flat.p95, flat.p99)
            for page, lines in subjects.pages.items():
                say(f"{kind}: {load.RATE} req/s {page}")
                load.drain(base)
                results[page].fixed_p95, failed = load.fixed_rate(
                    base, at_fixed_rate.get(page, lines))
                results[page].failed += failed
        trivial = results["trivial"].rps
        for result in results.values():
            result.ratio = result.rps / trivial if trivial else None
        lines = [report.row(result) for result in results.values()]
        say(f"{kind}: the 400-group area")
        lines += [report.in_process_row(kind, *figures) for figures in big_area.rows(app)]
        close(app)
    return lines


def main() -> None:
    started = time.perf_counter()
    lines = [line for kind in ("sqlite", "postgresql") for line in measure(kind)]
    about = report.machine(lighthouse.version())
    about.append(f"Whole run: {(time.perf_counter() - started) / 60:.1f} minutes")
    print(report.write(lines, about))


if __name__ == "__main__":
    main()
