"""Load on the running app: wrk flat out (throughput, latency and the workers' CPU time per
request), and an open-loop client at a fixed rate (latency when the server is not saturated).
Every request asks for compression as a phone's browser does."""

import json
import os
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from statistics import quantiles

from tests.benchmarks.dataset import Line
from tests.helpers import REDIRECTS
from tests.load.harness import NoRedirect, Server, worker_pids

SCRIPT = Path(__file__).with_name("replay.lua")
CONNECTIONS, THREADS, SECONDS = 10, 2, 10
RATE, RATE_SECONDS = 50, 10
RATES = {"workload view": 10}  # requests a second at the fixed rate, where not RATE
# What Chrome and Firefox on a phone send (replay.lua sends the same); the app answers gzip.
PHONE = {"Accept-Encoding": "gzip, deflate, br"}
TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Flat:
    rps: float
    p50: float
    p95: float
    p99: float
    failed: int
    requests: int = 0
    cpu_ms: float | None = None  # the workers' CPU time per request
    restarted: int = 0  # workers gone during the step (replaced by the master)
    kinds: Counter = field(default_factory=Counter)  # "HTTP 500", "timeout", ... -> count


def mean_of(runs: list[Flat]) -> Flat:
    """Several runs of one page as one: the mean of each figure, failures added up."""
    count = len(runs)
    cpu = [run.cpu_ms for run in runs if run.cpu_ms is not None]
    kinds: Counter = Counter()
    for run in runs:
        kinds += run.kinds
    return Flat(sum(run.rps for run in runs) / count, sum(run.p50 for run in runs) / count,
                sum(run.p95 for run in runs) / count, sum(run.p99 for run in runs) / count,
                sum(run.failed for run in runs), sum(run.requests for run in runs),
                sum(cpu) / len(cpu) if cpu else None, sum(run.restarted for run in runs), kinds)


def write_lines(lines: list[Line], path: Path) -> Path:
    path.write_text("".join(f"{x.method}\t{x.path}\t{x.cookie}\t{x.body}\n" for x in lines))
    return path


def check(base: str, line: Line) -> str:
    """The request does what the bench means it to: a page (200), or a sign-up that
    redirects back to its meeting (not to the sign-in or second-factor page). Returns the
    Content-Encoding it came in."""
    request = urllib.request.Request(  # noqa: S310 - loopback http only
        base + line.path, data=line.body.encode() if line.method == "POST" else None,
        headers={"Cookie": line.cookie, "Content-Type": "application/x-www-form-urlencoded",
                 **PHONE},
        method=line.method)
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=60) as response:
            status, location = response.status, response.headers.get("Location", "")
            encoding = response.headers.get("Content-Encoding", "")
    except urllib.error.HTTPError as error:
        status, location = error.code, error.headers.get("Location", "")
        encoding = ""
    if line.method == "POST":
        ok = status in REDIRECTS and "/meetings/" in location
    else:
        ok = status == 200
    if not ok:
        raise RuntimeError(f"{line.method} {line.path} answered {status} {location}")
    return encoding


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


def cpu_seconds(pids: set[int]) -> dict[int, float]:
    """User + system CPU time each process has used so far (a process gone is left out)."""
    used = {}
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        # After the command name in parentheses: state is field 3, utime 14, stime 15.
        fields = text[text.rindex(")") + 2:].split()
        used[pid] = (int(fields[11]) + int(fields[12])) / TICK
    return used


def wrk(base: str, file: Path, seconds: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(SCRIPT), base, "--", str(file)],
        check=True, capture_output=True, text=True, timeout=seconds + 120)


def flat_out(server: Server, lines: list[Line], folder: Path, name: str,
             seconds: int = SECONDS, warm_up: int = 0) -> Flat:
    """wrk with CONNECTIONS connections for `seconds` seconds, replaying `lines` in turn; and
    the CPU time the workers spent from its start until the server is idle again, per
    request wrk counted. With `warm_up`, wrk first runs that many seconds unmeasured, so that
    every worker has rendered the page once (compiled its templates) before the count."""
    file = write_lines(lines, folder / f"{name.replace(' ', '-')}.tsv")
    if warm_up:
        drain(server.base)
        wrk(server.base, file, warm_up)
    drain(server.base)
    before = cpu_seconds(worker_pids(server.process.pid))
    done = wrk(server.base, file, seconds)
    drain(server.base)  # the requests still being answered when wrk stopped count too
    after = cpu_seconds(worker_pids(server.process.pid))
    # A worker replaced meanwhile took its CPU time with it: the figure is then too low, and
    # the row says how many were replaced.
    spent = sum(used - before.get(pid, 0.0) for pid, used in after.items())
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    requests = summary["requests"]
    kinds = Counter({f"HTTP {code}": count for code, count in summary["statuses"].items()})
    kinds["timeout"] = summary["timeouts"]
    kinds["connection"] = summary["errors"] - summary["timeouts"]
    return Flat(summary["rps"], summary["p50_ms"], summary["p95_ms"], summary["p99_ms"],
                summary["errors"] + summary["bad_status"], requests,
                spent * 1000 / requests if requests else None,
                len(before.keys() - after.keys()), +kinds)


def fixed_rate(base: str, lines: list[Line], rate: int = RATE,
               seconds: int = RATE_SECONDS) -> tuple[float, Counter]:
    """Open loop: request i leaves at start + i/rate whatever the earlier ones are doing, and
    its latency counts from that planned moment, so a slow server cannot hide its queue.
    Returns the p95 in milliseconds and the failed requests by kind ("HTTP 503": 2)."""
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
                     "Content-Type": "application/x-www-form-urlencoded", **PHONE},
            method=line.method)
        try:
            with opener.open(request, timeout=30) as response:
                response.read()
        except urllib.error.HTTPError as error:
            if error.code not in REDIRECTS:
                failures.append(f"HTTP {error.code}")
        except OSError as error:
            reason = getattr(error, "reason", error)
            failures.append("timeout" if isinstance(reason, TimeoutError)
                            else type(reason).__name__)
        latencies[index] = (time.perf_counter() - planned) * 1000

    threads = [threading.Thread(target=fire, args=(i,)) for i in range(total)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return quantiles(latencies, n=20)[-1], Counter(failures)
