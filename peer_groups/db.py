"""Database setup: typed declarative base, UTC timestamps, SQLite made safe for concurrency."""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so that Alembic can alter and drop them on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every database (SQLite would hand back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


# Objects stay readable after a unit of work commits (see unit_of_work.py).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})


def is_contention(error) -> bool:
    """SQLite's "database is locked", or PostgreSQL's serialization and deadlock failures.

    The unit of work (unit_of_work.py) runs the request again on these; errors.py answers 503
    when they last.
    """
    text = str(getattr(error, "orig", error)).lower()
    code = getattr(getattr(error, "orig", None), "sqlstate", None)
    return "database is locked" in text or code in {"40001", "40P01"}


# How SQLite transactions begin here: IMMEDIATE (the write lock at once) unless the unit of work
# says the request only reads (`reads_first`).
_BEGIN = ContextVar("sqlite_begin", default="BEGIN IMMEDIATE")


@contextmanager
def reads_first(deferred: bool = True):
    """SQLite transactions begun inside take no lock until they write (a plain BEGIN).

    For requests that only read: many of them then run side by side, in WAL, instead of each
    waiting for the write lock that an IMMEDIATE transaction takes at its first query. A write
    that does come (a notice marked read) takes the lock then, or fails as contention if
    another request wrote first, and the unit of work runs the request again, IMMEDIATE.
    """
    token = _BEGIN.set("BEGIN" if deferred else "BEGIN IMMEDIATE")
    try:
        yield
    finally:
        _BEGIN.reset(token)


def configure_engine(engine) -> None:
    """On SQLite: WAL, a busy timeout, foreign keys, and transactions that begin IMMEDIATE.

    pysqlite's own transaction handling is switched off so that SQLAlchemy's `begin` event can
    issue `BEGIN IMMEDIATE`: the write lock is then taken at the start, so two requests never
    both read a free seat and then both write (SQLAlchemy drops FOR UPDATE on SQLite).
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 10000")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql(_BEGIN.get())
