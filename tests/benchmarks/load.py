"""Load on the running app: wrk flat out (throughput and latency), and an open-loop client at
a fixed rate (latency when the server is not saturated)."""

import json
import subprocess
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from statistics import quantiles

from tests.benchmarks.dataset import Line
from tests.helpers import REDIRECTS
from tests.load.harness import NoRedirect

SCRIPT = Path(__file__).with_name("replay.lua")
CONNECTIONS, THREADS, SECONDS = 10, 2, 10
RATE, RATE_SECONDS = 50, 10


@dataclass
class Flat:
    rps: float
    p50: float
    p95: float
    p99: float
    failed: int


def write_lines(lines: list[Line], path: Path) -> Path:
    path.write_text("".join(f"{x.method}\t{x.path}\t{x.cookie}\t{x.body}\n" for x in lines))
    return path


def check(base: str, line: Line) -> None:
    """The request does what the bench means it to: a page (200), or a sign-up that
    redirects back to its meeting (not to the sign-in or second-factor page)."""
    request = urllib.request.Request(  # noqa: S310 - loopback http only
        base + line.path, data=line.body.encode() if line.method == "POST" else None,
        headers={"Cookie": line.cookie, "Content-Type": "application/x-www-form-urlencoded"},
        method=line.method)
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
            status, location = response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as error:
        status, location = error.code, error.headers.get("Location", "")
    if line.method == "POST":
        ok = status in REDIRECTS and "/meetings/" in location
    else:
        ok = status == 200
    if not ok:
        raise RuntimeError(f"{line.method} {line.path} answered {status} {location}")


def drain(base: str, seconds: float = 180) -> None:
    """Wait until the server has worked off requests whose clients gave up (a sync worker
    still answers them), so the next measurement starts on an idle server."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        with urllib.request.urlopen(base + "/healthz", timeout=seconds):  # noqa: S310
            pass
        if time.monotonic() - started < 0.2:
            return
    raise RuntimeError("the server stayed busy")


def flat_out(base: str, lines: list[Line], folder: Path, name: str) -> Flat:
    """wrk with CONNECTIONS connections for SECONDS seconds, replaying `lines` in turn."""
    file = write_lines(lines, folder / f"{name.replace(' ', '-')}.tsv")
    done = subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "10s",
         "-s", str(SCRIPT), base, "--", str(file)],
        check=True, capture_output=True, text=True)
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    return Flat(summary["rps"], summary["p50_ms"], summary["p95_ms"], summary["p99_ms"],
                summary["errors"] + summary["bad_status"])


def fixed_rate(base: str, lines: list[Line], rate: int = RATE,
               seconds: int = RATE_SECONDS) -> tuple[float, int]:
    """Open loop: request i leaves at start + i/rate whatever the earlier ones are doing, and
    its latency counts from that planned moment, so a slow server cannot hide its queue.
    Returns the p95 in milliseconds and the number of failed requests."""
    total = rate * seconds
    latencies: list[float] = [0.0] * total
    failures = []
    opener = urllib.request.build_opener(NoRedirect)
    start = time.perf_counter() + 0.2

    def fire(index: int) -> None:
        line = lines[index % len(lines)]
        planned = start + index / rate
        time.sleep(max(0.0, planned - time.perf_counter()))
        request = urllib.request.Request(  # noqa: S310 - loopback http only
            base + line.path, data=line.body.encode() if line.method == "POST" else None,
            headers={"Cookie": line.cookie,
                     "Content-Type": "application/x-www-form-urlencoded"},
            method=line.method)
        try:
            with opener.open(request, timeout=30) as response:
                response.read()
        except urllib.error.HTTPError as error:
            if error.code not in REDIRECTS:
                failures.append(error.code)
        except OSError as error:
            failures.append(str(error))
        latencies[index] = (time.perf_counter() - planned) * 1000

    threads = [threading.Thread(target=fire, args=(i,)) for i in range(total)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return quantiles(latencies, n=20)[-1], len(failures)
