"""What a request changed in the database, row by row, cheaply enough for thousands of requests.

A full copy of every table is read once; after each request only the tables that saw an
INSERT, UPDATE or DELETE statement (and the tables whose foreign keys cascade from them) are
read again and compared with the copy. The statements only say where to look: the verdict
comes from the rows themselves, so a write that was rolled back changes nothing.
`assert_in_step()` re-reads everything and proves the shortcut missed nothing.

Some changes are the service working as designed whatever the answer, so they never count:

- `audit_events`: staff viewing personal data is logged even on a form shown again with errors.
- `auth_sessions`: every request moves its session's last-seen time; the second factor and
  re-authentication are stamped there too.
- the sign-in counters on `users` (failed tries, when the count started, last sign-in and the
  last authenticator step used): a wrong password or code must be counted, or the lock would
  never close.
- when a young person's notices were read (`notices.read_at`): opening the list or a notice
  marks it read, as a letter is read by opening it.
"""

import re
from dataclasses import dataclass

from sqlalchemy import Engine, create_engine, event, select

from peer_groups.db import db

IGNORED_TABLES = frozenset({"audit_events", "auth_sessions"})
IGNORED_COLUMNS = {
    "users": frozenset({"failed_sign_ins", "failed_sign_ins_since", "last_sign_in_at",
                        "totp_last_step"}),
    "notices": frozenset({"read_at"}),
}
WRITE = re.compile(r"\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)",
                   re.IGNORECASE)


@dataclass(frozen=True)
class Change:
    table: str
    key: tuple
    before: dict | None  # None: the row was added
    after: dict | None  # None: the row was removed

    def values(self):
        for row in (self.before, self.after):
            if row is not None:
                yield row

    def __str__(self):
        kind = "added" if self.before is None else "removed" if self.after is None else "changed"
        if kind == "changed":
            diff = {k: (self.before[k], self.after[k]) for k in self.before
                    if self.before[k] != self.after[k]}
            return f"{self.table} {self.key} changed {shorten(diff)}"
        return f"{self.table} {self.key} {kind} {shorten(self.after or self.before)}"


def shorten(value, limit=300):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


class DatabaseWatch:
    def __init__(self, url: str):
        self.engine = create_engine(url)
        self.tables = {table.name: table for table in db.metadata.sorted_tables}
        self.cascades = self._cascades()
        self.written: set[str] = set()
        self.watched = [name for name in self.tables if name not in IGNORED_TABLES]
        self.copy = {name: self._read(name) for name in self.watched}
        event.listen(Engine, "before_cursor_execute", self._note)

    def close(self):
        event.remove(Engine, "before_cursor_execute", self._note)
        self.engine.dispose()

    def _cascades(self) -> dict[str, set[str]]:
        """Tables whose rows a delete or update elsewhere may change without a statement."""
        direct: dict[str, set[str]] = {name: set() for name in self.tables}
        for table in self.tables.values():
            for key in table.foreign_keys:
                if key.ondelete or key.onupdate:
                    direct[key.column.table.name].add(table.name)
        closure = {}
        for name in direct:
            seen, todo = set(), [name]
            while todo:
                for child in direct[todo.pop()] - seen:
                    seen.add(child)
                    todo.append(child)
            closure[name] = seen
        return closure

    def _note(self, conn, cursor, statement, parameters, context, executemany):
        if conn.engine is self.engine:
            return
        for name in WRITE.findall(statement):
            if name in self.tables:
                self.written.add(name)

    def _read(self, name: str) -> dict[tuple, dict]:
        table = self.tables[name]
        keys = [column.name for column in table.primary_key.columns]
        ignored = IGNORED_COLUMNS.get(name, frozenset())
        with self.engine.connect() as conn:
            rows = conn.execute(select(table)).mappings().all()
        return {tuple(row[k] for k in keys): {k: v for k, v in row.items() if k not in ignored}
                for row in rows}

    def changes(self) -> list[Change]:
        """What changed since the last call (or since the watch began), outside the ignored."""
        touched = set(self.written)
        for name in self.written:
            touched |= self.cascades[name]
        self.written.clear()
        found = []
        for name in sorted(touched - IGNORED_TABLES):
            fresh = self._read(name)
            found.extend(diff(name, self.copy[name], fresh))
            self.copy[name] = fresh
        return found

    def assert_in_step(self):
        """The shortcut's proof: every table read afresh equals the running copy."""
        self.changes()
        for name in self.watched:
            assert self._read(name) == self.copy[name], f"{name} changed unseen"


def diff(name, before: dict, after: dict) -> list[Change]:
    changes = [Change(name, key, before[key], None) for key in before.keys() - after.keys()]
    changes += [Change(name, key, None, after[key]) for key in after.keys() - before.keys()]
    changes += [Change(name, key, before[key], after[key])
                for key in before.keys() & after.keys() if before[key] != after[key]]
    return changes
