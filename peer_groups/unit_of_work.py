"""One unit of work per request and per command: commit once on success, roll back on any error.

Services only flush; nothing else in the package commits. A request's before_request hooks
and its view run as one unit: if they return an answer (any status: a redirect, a re-rendered
form, a 410 page), the unit commits before the answer is made, so nobody is told "saved" about
something that was not; if they raise (an HTTPException too), it rolls back. On lock contention
(SQLite's "database is locked", PostgreSQL's serialization or deadlock failure) it rolls back
and runs the whole request again, a few times, with jittered backoff; it may, as nothing it did
has left the process: messages are outbox rows, sent after the commit.

What runs after the commit (after_request, a streamed body, teardown) is outside the unit and
must not write, or must run a unit of its own with `run()`, as the outbox's delivery does.
CLI commands run their work with `run()` too.

A GET or HEAD only reads, or nearly: on SQLite its reads run in a transaction that takes no
lock (`db.reads_first`), and what it writes in passing (the session's last-seen time, the
audit trail's "viewed" events) waits until the page is made, then goes in a short write
transaction of its own. So pages are made side by side instead of one at a time behind the
write lock. If a GET does write in the middle (a notice marked read) and another request wrote
first, that is contention: the request runs again, its transaction IMMEDIATE.

Four helpers for the edges (and `writes_on_get` for a GET view that is really a write):
- `keep(write)`: bookkeeping that persists whatever the view does (a session's last-seen time,
  an expired session's removal): done now (in a GET: at the end), and again after a rollback.
- `at_end(write)`: a write that needs nothing the request read (a "viewed" audit event): done
  at the end of the unit, just before its commit (in a GET: in its own short transaction).
- `rollback()`: a view that caught a service error and re-renders its form drops what the
  request had changed so far (kept writes stay), so that nothing is half saved.
"""

import copy
import random
import time

from flask import g, request, session
from sqlalchemy.exc import DBAPIError

from peer_groups.db import db, is_contention, reads_first

ATTEMPTS = 5
KEPT = "unit_of_work_kept"
AT_END = "unit_of_work_at_end"
READING = "unit_of_work_reading"
RETRYING = "unit_of_work_retrying"


def run(work, attempts: int = ATTEMPTS, before_retry=None, reading: bool = False):
    """Run `work()` and commit; on any error roll back; on contention run it again.

    `work` must load what it changes by id each time, since a rollback expires every object.
    `before_retry`, if given, puts back what the failed attempt changed outside the database.
    `reading`: work that only reads, but for its bookkeeping (a GET): on SQLite its first try
    reads without taking the write lock, and writes its bookkeeping after (module docstring).
    """
    for attempt in range(1, attempts + 1):
        deferred = reading and attempt == 1 and db.engine.dialect.name == "sqlite"
        try:
            with reads_first(deferred):
                setattr(g, READING, deferred)
                result = work()
                _finish(deferred)
            return result
        except BaseException as error:
            again = attempt < attempts and _is_contention(error)
            db.session.rollback()
            g.pop(AT_END, None)
            if not again:
                _commit_kept()
                raise
        finally:
            g.pop(READING, None)
        time.sleep(0.02 * 2**attempt + random.random() * 0.02)  # noqa: S311 - jitter
        if before_retry is not None:
            before_retry()
    raise AssertionError("unreachable")


def _commit() -> None:
    db.session.commit()  # the one commit: a request's or a command's whole unit of work


def _finish(deferred: bool) -> None:
    """Commit the unit with its end writes; after deferred reads, those in a write of their own."""
    writes = g.pop(AT_END, [])
    if deferred and writes:
        _commit()  # the reads end (and whatever the request wrote in passing)
        with reads_first(False):
            for write in writes:
                write()
            _commit()
    else:
        for write in writes:
            write()
        _commit()
    g.pop(KEPT, None)  # committed with the rest


def _is_contention(error: BaseException) -> bool:
    return isinstance(error, DBAPIError) and is_contention(error)


def keep(write) -> None:
    """Do `write()` and persist it even if the request fails: bookkeeping, not content.

    Done now, or at the end of a request that reads (`run(reading=True)`). `write` must be
    safe to run twice (an UPDATE or DELETE by id).
    """
    if g.get(READING):
        at_end(write)
    else:
        write()
    g.setdefault(KEPT, []).append(write)


def at_end(write) -> None:
    """Do `write()` at the end of this unit of work, just before it commits.

    For writes that need nothing the unit read and that nothing in it reads back: a "viewed"
    audit event. Dropped with the rest if the unit fails. Outside a unit of work (a script,
    a test's own set-up) there is no end to wait for: done now.
    """
    if READING not in g:
        write()
        return
    g.setdefault(AT_END, []).append(write)


def writes_on_get(view):
    """Mark a GET view that writes for real (a sign-in coming back from a provider): it runs
    IMMEDIATE, as POSTs do, since running it again after contention could not be the same
    (a provider's code works once)."""
    view.writes_on_get = True
    return view


def rollback() -> None:
    """Drop what this request has changed so far, but not its kept bookkeeping."""
    db.session.rollback()
    if g.get(READING):
        return  # the kept writes wait for the end, untouched by the rollback
    for write in g.get(KEPT, ()):
        write()


def _commit_kept() -> None:
    """After a failed unit: the kept bookkeeping alone, best effort (the failure goes on up)."""
    if not g.get(KEPT):
        return
    try:
        for write in g.pop(KEPT):
            write()
        _commit()
    except DBAPIError:
        db.session.rollback()


def is_retrying() -> bool:
    """True while a request runs again after contention (the rate limit counted it once)."""
    return g.get(RETRYING, False)


def init_app(app):
    """Run every request's hooks and view as one unit of work (see the module's docstring)."""
    from peer_groups.extensions import limiter

    hooks, view = app.preprocess_request, app.dispatch_request

    def hooks_then_view():
        answer = hooks()
        return view() if answer is None else answer

    def dispatch_in_unit():
        # dict.copy does not mark the session as read (that would add "Vary: Cookie").
        before = copy.deepcopy(dict.copy(session._get_current_object()))

        def start_again():
            session.clear()
            session.update(copy.deepcopy(before))
            g.pop("_login_user", None)  # Flask-Login loads the person again, from the row
            g.pop(KEPT, None)
            g.setdefault(RETRYING, True)

        view = app.view_functions.get(request.endpoint)
        reading = (request.method in ("GET", "HEAD")
                   and not getattr(view, "writes_on_get", False))
        return run(hooks_then_view, before_retry=start_again, reading=reading)

    # Flask runs preprocess_request, then dispatch_request: both now run inside the unit.
    app.preprocess_request = lambda: None
    app.dispatch_request = dispatch_in_unit
    if is_retrying not in getattr(limiter, "_request_filters", ()):  # one limiter, many apps
        limiter.request_filter(is_retrying)
