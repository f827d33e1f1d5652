"""Every message to a young person is also a notice in the app; reading them; letting old go.

`keep_as_notice` is called by `notifications.services.queue_message` for every message,
whatever its template and whether or not the person has an email or phone: for someone with
neither, the notice is the only way they hear.

A notice never holds a live link or code (docs/rules.md, rules 12 and 14): the message's `link`
never reaches a notice's text (the notice links to its meeting itself), the templates in
`REPLACED` say what happened in their own words (templates/notices/<template>.txt), and a
message whose context carries anything in `SECRET_KEYS` without such a file gets the
generic notice, never the message's text.
"""

from datetime import timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from jinja2 import TemplateNotFound
from sqlalchemy import delete, func, select, update

from peer_groups.db import db, utcnow
from peer_groups.domain.roles import Role
from peer_groups.notices.models import Notice

# Messages that carry a sign-in, password, erase or join link: the notice says what happened.
REPLACED = frozenset({"sign_in_link", "password_reset", "welcome", "erase_link",
                      "join_attempt", "join_finish"})
# Context names that may hold a one-time secret (a confirmation code, a raw token).
SECRET_KEYS = frozenset({"code", "token", "password", "secret"})
GENERIC = "notices/_secret.txt"


def keeps_notices(user) -> bool:
    """Young people read their messages in the app; staff get theirs by email only."""
    return getattr(user, "role", None) is Role.YOUTH and getattr(user, "id", None) is not None


def keep_as_notice(user, template: str, context: dict, *, now=None) -> Notice | None:
    """The message `template` for `user` as a notice in the app, in their language.

    None for staff, and for someone who has no account yet (a join in progress).
    """
    if not keeps_notices(user):
        return None
    now = now or utcnow()
    meeting = context.get("meeting")
    title, body = notice_text(user, template, context)
    notice = Notice(user_id=user.id, template=template, meeting_id=getattr(meeting, "id", None),
                    title=title[:200], body=body, created_at=now)
    db.session.add(notice)
    return notice


def notice_text(user, template: str, context: dict) -> tuple[str, str]:
    """The notice's title (the message's subject) and its text, in the person's language,
    never with a link or code."""
    with force_locale(user.language):
        return _notice_text(user, template, context)


def _notice_text(user, template: str, context: dict) -> tuple[str, str]:
    safe = {name: value for name, value in context.items()
            if name != "link" and name not in SECRET_KEYS}
    title = " ".join(render_template(f"messages/{template}.subject.txt", user=user,
                                     **safe).split())
    own = f"notices/{template}.txt"
    if exists(own):
        body = render_template(own, user=user, **safe)
    elif template in REPLACED or SECRET_KEYS & context.keys():
        body = render_template(GENERIC, user=user)
    else:
        body = without_greeting(user, render_template(f"messages/{template}.txt", user=user,
                                                      channel=None, **safe))
    return title, body.strip()


def exists(name: str) -> bool:
    try:
        current_app.jinja_env.get_template(name)
    except TemplateNotFound:
        return False
    return True


def without_greeting(user, body: str) -> str:
    """A message's "Hi Aino," does not belong in a list of one's own notices."""
    greeting = _("Hi %(name)s,", name=user.display_name)
    body = body.strip()
    return body[len(greeting):] if body.startswith(greeting) else body


def mark_read(user_id: int, notice_ids, *, now=None) -> int:
    """The person has seen these notices of theirs (others' ids change nothing)."""
    now = now or utcnow()
    if not notice_ids:
        return 0
    return db.session.execute(
        update(Notice).where(Notice.user_id == user_id, Notice.id.in_(list(notice_ids)),
                             Notice.read_at.is_(None))
        .values(read_at=now).execution_options(synchronize_session=False)).rowcount


def mark_all_read(user_id: int, *, now=None) -> int:
    """Every unread notice of the person is read now; how many were unread."""
    now = now or utcnow()
    return db.session.execute(
        update(Notice).where(Notice.user_id == user_id, Notice.read_at.is_(None))
        .values(read_at=now).execution_options(synchronize_session=False)).rowcount


def delete_old_notices(now, days: int, dry_run: bool = False) -> int:
    """Delete notices older than `days` (read or not); how many."""
    old = Notice.created_at < now - timedelta(days=days)
    if dry_run:
        return db.session.scalar(select(func.count(Notice.id)).where(old))
    return len(db.session.execute(delete(Notice).where(old).returning(Notice.id)).all())
