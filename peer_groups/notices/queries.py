"""Reading a person's notices: the unread count for every page, and the list, page by page."""

from sqlalchemy import bindparam, func, select

from peer_groups.db import db
from peer_groups.notices.models import Notice


def _unread(user_id):
    return select(func.count(Notice.id)).where(Notice.user_id == user_id,
                                               Notice.read_at.is_(None))


# Built once, as the notices' own pages ask it: SQLAlchemy then keeps the statement's cache key
# instead of building and hashing the statement again each time.
UNREAD = _unread(bindparam("user_id"))


def unread_of(user_id_column):
    """The same count as a column of another query, for the person in `user_id_column`: the
    signed-in request's first query carries it (auth/sessions.py), so the menu of every page
    costs no statement of its own."""
    return _unread(user_id_column).scalar_subquery()


def unread_count(user_id: int) -> int:
    """One count on the (user_id, read_at) index: cheap enough for the menu of every page."""
    return db.session.scalar(UNREAD, {"user_id": user_id})


def newest_first(user_id: int, *, limit: int, offset: int = 0) -> list[Notice]:
    return db.session.scalars(
        select(Notice).where(Notice.user_id == user_id)
        .order_by(Notice.created_at.desc(), Notice.id.desc()).limit(limit).offset(offset)).all()


def notice_of(user_id: int, notice_id: int) -> Notice | None:
    """The person's own notice; None for anybody else's, as for one that does not exist."""
    return db.session.scalars(select(Notice).where(Notice.id == notice_id,
                                                   Notice.user_id == user_id)).first()


def all_of(user_id: int) -> list[Notice]:
    """Every notice of the person, for My data and its downloads."""
    return db.session.scalars(select(Notice).where(Notice.user_id == user_id)
                              .order_by(Notice.created_at.desc(), Notice.id.desc())).all()
