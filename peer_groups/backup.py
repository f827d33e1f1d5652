"""`flask backup` and `flask restore`: the whole database to a timestamped file, and back.

SQLite (the embedded setup) is copied with SQLite's online backup API, which is safe while the
app is writing and includes what is still in the WAL file. PostgreSQL is dumped with
`pg_dump --format=custom` and restored with `pg_restore --clean --if-exists --no-owner` in one
transaction, so a failed restore changes nothing.

Backups hold personal data: the folder is made readable by its owner only, and the database
password never appears in a command line, an error or the output (pg_dump gets it through
PGPASSWORD).
"""

import glob
import os
import shutil
import sqlite3
import subprocess  # noqa: S404 - runs pg_dump / pg_restore with an argument list, no shell
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import URL, make_url

from peer_groups.db import db

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
SUFFIXES = {SQLITE: ".sqlite", POSTGRESQL: ".pgdump"}
MAGIC = {SQLITE: b"SQLite format 3\x00", POSTGRESQL: b"PGDMP"}
NAMES = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}


class BackupError(click.ClickException):
    """A backup or restore that could not be done; the message says why, without secrets."""


def database_kind(url: URL) -> str:
    if url.get_backend_name() in (SQLITE, POSTGRESQL):
        return url.get_backend_name()
    raise BackupError(f"Backups of {url.get_backend_name()} databases are not supported.")


def file_kind(path: Path) -> str | None:
    """Which database a backup file is of, from its first bytes; None if neither."""
    with open(path, "rb") as file:
        head = file.read(16)
    return next((kind for kind, magic in MAGIC.items() if head.startswith(magic)), None)


# --- SQLite -----------------------------------------------------------------------------------


def sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    path = Path(url.database)
    if not path.is_file():
        raise BackupError(f"There is no SQLite database at {path}.")
    return path


def backup_sqlite(url: URL, target: Path) -> None:
    """Copy page by page under SQLite's own locking; the copy needs no WAL file beside it."""
    with closing(sqlite3.connect(sqlite_path(url), timeout=30)) as source, \
            closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
        if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError("The copy failed SQLite's check; the database may be damaged.")


def restore_sqlite(url: URL, backup: Path) -> None:
    """Copy the backup's pages over the live database in one step, under its write lock."""
    read_only = f"{backup.resolve().as_uri()}?mode=ro"
    with closing(sqlite3.connect(read_only, uri=True)) as source, \
            closing(sqlite3.connect(sqlite_path(url), timeout=30)) as live:
        source.backup(live)


# --- PostgreSQL -------------------------------------------------------------------------------


def postgres_program(name: str) -> str:
    """pg_dump or pg_restore from PATH, else the newest in Debian's /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found
    candidates = glob.glob(f"/usr/lib/postgresql/*/bin/{name}")
    if not candidates:
        raise BackupError(f"{name} was not found: install the PostgreSQL client programs.")
    return max(candidates, key=lambda path: int(Path(path).parts[-3]))


def libpq_connection(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string without the password, and an environment that carries it."""
    values = {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database}
    values.update({key: value for key, value in url.query.items() if isinstance(value, str)})
    quoted = (f"{key}='{quote_libpq(str(value))}'" for key, value in values.items() if value)
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    return " ".join(quoted), environment


def quote_libpq(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


def run_postgres(program: str, arguments: list[str], url: URL) -> None:
    connection, environment = libpq_connection(url)
    command = [postgres_program(program), *arguments, "--dbname", connection]
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from this module
        command, env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed:\n{result.stderr.strip()}")


def backup_postgresql(url: URL, target: Path) -> None:
    run_postgres("pg_dump", ["--format=custom", "--file", str(target)], url)


def restore_postgresql(url: URL, backup: Path) -> None:
    run_postgres("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction",
                                str(backup)], url)


# --- both -------------------------------------------------------------------------------------


def backup_folder(chosen: Path | None = None) -> Path:
    """The folder given, else BACKUP_DIR, else instance/backups; made private if new."""
    default = current_app.config.get("BACKUP_DIR") or Path(current_app.instance_path) / "backups"
    folder = Path(chosen or default)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def new_backup_path(folder: Path, kind: str, now: datetime) -> Path:
    """`peer_groups-20261130T051500Z.sqlite`, with `-2`, `-3`… if that second is taken."""
    stem = f"peer_groups-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    path, n = folder / f"{stem}{SUFFIXES[kind]}", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}{SUFFIXES[kind]}"
    return path


def make_backup(url: URL, folder: Path, now: datetime) -> Path:
    """Write the backup under a temporary name, readable by the owner only, then rename it:
    a file with the final name is always complete."""
    kind = database_kind(url)
    path = new_backup_path(folder, kind, now)
    partial = path.with_name(path.name + ".partial")
    os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    try:
        if kind == SQLITE:
            backup_sqlite(url, partial)
        else:
            backup_postgresql(url, partial)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def restore_backup(url: URL, backup: Path) -> None:
    """Replace every row of the database with the backup's; refuses a file of the other kind."""
    kind = database_kind(url)
    found = file_kind(backup)
    if found is None:
        raise BackupError(f"{backup} is not a backup made by `flask backup`.")
    if found != kind:
        raise BackupError(f"{backup} is a {NAMES[found]} backup, but this app's database is "
                          f"{NAMES[kind]}.")
    if kind == SQLITE:
        restore_sqlite(url, backup)
    else:
        restore_postgresql(url, backup)


def app_database_url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def release_connections() -> None:
    """Nothing of this process may hold a table while it is dropped or overwritten."""
    db.session.remove()
    db.engine.dispose()


@click.command("backup")
@with_appcontext
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the file (default: BACKUP_DIR, or instance/backups).")
def backup_command(folder):
    """Back up the database to a timestamped file; safe while the app runs."""
    url = app_database_url()
    path = make_backup(url, backup_folder(folder), datetime.now(UTC))
    click.echo(f"Backed up {url.render_as_string(hide_password=True)} to {path} "
               f"({path.stat().st_size:,} bytes).")


@click.command("restore")
@with_appcontext
@click.argument("backup", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm: every row now in the database is replaced.")
def restore_command(backup, yes):
    """Replace the whole database with a backup made by `flask backup`. Stop the app first."""
    url = app_database_url()
    if not yes:
        raise click.UsageError(
            f"This replaces every row in {url.render_as_string(hide_password=True)} with the "
            f"contents of {backup}. Stop the app, take a `flask backup` of the present state, "
            "then run again with --yes.")
    release_connections()
    restore_backup(url, backup)
    click.echo(f"Restored {url.render_as_string(hide_password=True)} from {backup}. "
               "Run `flask db upgrade` if the backup is from an older version of the app.")
