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

Two helpers for the edges:
- `keep(write)`: bookkeeping that persists whatever the view does (a session's last-seen time,
  an expired session's removal): done now, and done again after a rollback.
- `rollback()`: a view that caught a service error and re-renders its form drops what the
  request had changed so far (kept writes stay), so that nothing is half saved.
"""

import copy
import random
import time

from flask import g, session
from sqlalchemy.exc import DBAPIError

from peer_groups.db import db, is_contention

ATTEMPTS = 5
KEPT = "unit_of_work_kept"
RETRYING = "unit_of_work_retrying"


def run(work, attempts: int = ATTEMPTS, before_retry=None):
    """Run `work()` and commit; on any error roll back; on contention run it again.

    `work` must load what it changes by id each time, since a rollback expires every object.
    `before_retry`, if given, puts back what the failed attempt changed outside the database.
    """
    for attempt in range(1, attempts + 1):
        try:
            result = work()
            _commit()
            g.pop(KEPT, None)  # committed with the rest
            return result
        except BaseException as error:
            again = attempt < attempts and _is_contention(error)
            db.session.rollback()
            if not again:
                _commit_kept()
                raise
        time.sleep(0.02 * 2**attempt + random.random() * 0.02)  # noqa: S311 - jitter
        if before_retry is not None:
            before_retry()
    raise AssertionError("unreachable")


def _commit() -> None:
    db.session.commit()  # the one commit: a request's or a command's whole unit of work


def _is_contention(error: BaseException) -> bool:
    return isinstance(error, DBAPIError) and is_contention(error)


def keep(write) -> None:
    """Do `write()` now and persist it even if the request fails: bookkeeping, not content.

    `write` must be safe to run twice (an UPDATE or DELETE by id).
    """
    write()
    g.setdefault(KEPT, []).append(write)


def rollback() -> None:
    """Drop what this request has changed so far, but not its kept bookkeeping."""
    db.session.rollback()
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

        return run(hooks_then_view, before_retry=start_again)

    # Flask runs preprocess_request, then dispatch_request: both now run inside the unit.
    app.preprocess_request = lambda: None
    app.dispatch_request = dispatch_in_unit
    if is_retrying not in getattr(limiter, "_request_filters", ()):  # one limiter, many apps
        limiter.request_filter(is_retrying)
