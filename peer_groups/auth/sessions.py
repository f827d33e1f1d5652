"""Server-side sessions: the cookie carries an opaque token, the database decides.

So signing out really ends a session (a replayed cookie finds no row), on every server at once,
and idle and absolute timeouts hold whatever the cookie says.
"""

from datetime import timedelta

from flask import current_app, session
from flask_login import login_user, logout_user
from sqlalchemy import bindparam, delete, select, update

from peer_groups import unit_of_work
from peer_groups.audit.services import record
from peer_groups.auth.models import AuthSession, User
from peer_groups.auth.tokens import digest, new_token
from peer_groups.db import db, utcnow
from peer_groups.domain.sign_in import SessionTimes, session_has_expired
from peer_groups.extensions import login_manager
from peer_groups.notices.queries import unread_of

# Writing last_seen on every request would make every page a write; once a minute is enough.
TOUCH_INTERVAL = timedelta(seconds=60)


def timeouts(user: User, remembered: bool) -> tuple[timedelta, timedelta]:
    cfg = current_app.config
    if user.is_staff:
        return cfg["STAFF_IDLE_TIMEOUT"], cfg["STAFF_ABSOLUTE_TIMEOUT"]
    if remembered:
        return cfg["REMEMBERED_IDLE_TIMEOUT"], cfg["REMEMBERED_ABSOLUTE_TIMEOUT"]
    return cfg["YOUTH_IDLE_TIMEOUT"], cfg["YOUTH_ABSOLUTE_TIMEOUT"]


def sign_in(user: User, remember: bool = False, second_factor_passed: bool = False,
            how: str = "password") -> None:
    """Start a fresh session for `user`: the old cookie's contents are thrown away.

    The session still has to pass the second factor unless `second_factor_passed` (a password
    change in a session that had passed it).
    """
    remembered = remember and not user.is_staff
    token = new_token()
    now = utcnow()
    auth_session = AuthSession(token_hash=digest(token), user_id=user.id, remembered=remembered,
                               created_at=now, last_seen_at=now,
                               second_factor_at=now if second_factor_passed else None)
    db.session.add(auth_session)
    record(user, "auth.signed_in", subject=user, detail=how)  # never the password or token
    user.last_sign_in_at = now
    session.clear()
    session.permanent = remembered
    user.session_token = token
    user.current_session = auth_session
    login_user(user, remember=False, fresh=True)
    # Flask-Login's "_id" is a hash of the IP address and browser: recoverable, and not
    # needed, as the server-side row decides (session_protection is off).
    session.pop("_id", None)


def sign_out(user: User) -> None:
    if user.session_token:
        db.session.execute(
            delete(AuthSession).where(AuthSession.token_hash == digest(user.session_token))
        )
    logout_user()
    session.clear()


def sessions_of(user: User) -> list[AuthSession]:
    """The person's live sessions, most recently used first."""
    now = utcnow()
    found = db.session.scalars(select(AuthSession).where(AuthSession.user_id == user.id)
                               .order_by(AuthSession.last_seen_at.desc()))
    return [one for one in found if not session_has_expired(
        SessionTimes(one.created_at, one.last_seen_at), now, *timeouts(user, one.remembered))]


def end_other_sessions(user: User) -> int:
    """Sign out every other browser of this person; how many there were."""
    ended = db.session.execute(delete(AuthSession).where(
        AuthSession.user_id == user.id, AuthSession.id != user.current_session.id))
    return ended.rowcount


def end_all_sessions(user: User) -> None:
    """Sign the user out everywhere, e.g. after a password change or by an admin."""
    db.session.execute(delete(AuthSession).where(AuthSession.user_id == user.id))


# Every signed-in request asks it: built once, its cache key is kept rather than made again.
# With the person's unread notices, which the menu of every page shows.
SESSION_AND_USER = (select(AuthSession, User, unread_of(User.id).label("unread"))
                    .join(User, AuthSession.user_id == User.id)
                    .where(AuthSession.token_hash == bindparam("token_hash")))


def resume(token: str) -> User | None:
    """The user whose live session this token is, or None if it ended or timed out."""
    found = db.session.execute(SESSION_AND_USER, {"token_hash": digest(token)}).first()
    if found is None:
        return None
    auth_session, user, unread = found
    now = utcnow()
    idle, absolute = timeouts(user, auth_session.remembered)
    times = SessionTimes(auth_session.created_at, auth_session.last_seen_at)
    # Bookkeeping that persists whatever the request does (a 403, a failed form, a crash).
    session_id = auth_session.id
    if not user.active or session_has_expired(times, now, idle, absolute):
        unit_of_work.keep(lambda: db.session.execute(
            delete(AuthSession).where(AuthSession.id == session_id)))
        return None
    if now - auth_session.last_seen_at >= TOUCH_INTERVAL:
        unit_of_work.keep(lambda: db.session.execute(
            update(AuthSession).where(AuthSession.id == session_id).values(last_seen_at=now)))
    user.session_token = token
    user.current_session = auth_session
    user.unread_notices = unread
    return user


def init_app(app):
    login_manager.user_loader(resume)
