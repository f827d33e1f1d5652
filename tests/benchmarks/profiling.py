"""One page profiled in this process: `python -m tests.benchmarks --profile meeting`.

Builds the bench dataset (`--scale`, default the full one) in a fresh database, sends the
page's requests through the test client as a phone would (`Accept-Encoding`, so gzip counts),
one warm-up each, then `--requests` of them under cProfile, and prints the wall and CPU time
per request, the queries of one, where a request's time goes (the view itself against the frame
every page pays: the hooks before and after it, the request context and the session cookie),
and the top functions by own and by cumulative time. The whole profile is kept in
build/bench/profile-<page>.prof, for `python -m pstats` (callers).
"""

import cProfile
import io
import pstats
import site
import sysconfig
import time

from peer_groups.db import db
from tests.benchmarks import big_area, dataset, load, pages
from tests.load.harness import ROOT, signed_in_cookie


def requests_for(app, key: str, name: str | None, count: int) -> list[dataset.Line]:
    """The lines to replay: the bench's own people for a page, the big area's coordinator for
    an area page (building the area first)."""
    if name is not None:
        lines = dataset.subjects(app).pages[name]
        if name == "sign-up POST":  # each sign-up once: a repeat is a different request
            return lines[:count + 1]
        return lines
    big_area.build(app)
    cookie, _ = signed_in_cookie(app, big_area.TOKEN)
    path = big_area.pages()[key][0]
    return [dataset.Line("GET", path, f"{app.config['SESSION_COOKIE_NAME']}={cookie}")]


def send(client, line: dataset.Line):
    if line.cookie:
        client.set_cookie(*line.cookie.split("=", 1))
    if line.method == "POST":
        return client.post(line.path, data=dict(part.split("=", 1) for part in
                                                  line.body.split("&") if part),
                           headers=load.PHONE)
    return client.get(line.path, headers=load.PHONE)


def main(kind: str, key: str, name: str | None, count: int, scale: float, top: int) -> None:
    with dataset.database(kind) as (url, folder):
        print(f"{kind}: " + dataset.build(url, folder, scale=scale), flush=True)
        app = dataset.in_process_app(url, folder)
        try:
            lines = requests_for(app, key, name, count)
            queries = pages.query_count(app, lines[-1])
            client = app.test_client()
            warm = lines[-1:] if lines[0].method == "POST" else lines[:count]
            for line in warm:  # a first request per person touches the session: not profiled
                send(client, line)
            profiler = cProfile.Profile()
            wall, cpu = time.perf_counter(), time.process_time()
            profiler.enable()
            for index in range(count):
                response = send(client, lines[index % len(lines)])
                assert response.status_code < 400, (lines[index % len(lines)].path,
                                                     response.status_code)
            profiler.disable()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    kept = ROOT / "build" / "bench" / f"profile-{key}.prof"
    kept.parent.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(kept)
    calls = pstats.Stats(profiler).total_calls // count  # the same whatever else runs
    print(f"{key} on {kind}: {count} requests, {wall * 1000 / count:.2f} ms wall and "
          f"{cpu * 1000 / count:.2f} ms CPU each under the profiler, {calls} Python calls "
          f"each, {queries} queries, "
          f"answered {response.status_code} {response.headers.get('Content-Encoding', '')}")
    print(phases(pstats.Stats(profiler), count))
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
        text = out.getvalue()
        for prefix in sorted({str(ROOT) + "/", *(p + "/" for p in site.getsitepackages()),
                              sysconfig.get_path("stdlib") + "/"}, key=len, reverse=True):
            text = text.replace(prefix, "")  # peer_groups/x.py, sqlalchemy/y.py: short, plain
        print(f"\n--- by {order} ---")
        print((text[text.index("   ncalls"):] if "   ncalls" in text else text).rstrip())
    print(f"\nThe whole profile: {kept.relative_to(ROOT)}")


# Flask's own steps of a request (flask/app.py), each timed with what it calls.
PHASES = (("the whole request", "wsgi_app"), ("the hooks before the view", "preprocess_request"),
          ("the view", "dispatch_request"), ("after it (headers, gzip, cookie)",
                                             "finalize_request"))


def phases(stats: pstats.Stats, count: int) -> str:
    """Milliseconds per request (under the profiler) in each of Flask's steps; what is left
    of the whole is the request context, the session cookie's reading and the unit of work."""
    found = {}
    for (path, _line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        if path.endswith("flask/app.py"):
            found[function] = row[3] * 1000 / count
    if "wsgi_app" not in found:
        return "(no Flask request in the profile)"
    whole = found["wsgi_app"]
    lines = [f"{label}: {found.get(name, 0.0):.2f} ms ({found.get(name, 0.0) / whole:.0%})"
             for label, name in PHASES]
    frame = whole - found.get("dispatch_request", 0.0)
    lines.append(f"the frame (all but the view): {frame:.2f} ms ({frame / whole:.0%})")
    heading = "\n--- where a request's time goes (ms each, under the profiler) ---\n"
    return heading + "\n".join(lines)
