"""Command-line tools, registered by `init_app`.

- `flask create-admin`: the first admin, or another one, with a password you choose.
- `flask seed-demo`: demo areas, staff, young people, groups and meetings (not in production).
- `flask demo-code`: the demo staff accounts' current sign-in code (not in production).
- `flask seed-bench`: a county-sized dataset for `make bench` (in `demo/bench.py`).
- `flask outbox send`: send waiting messages; safe from several hosts at once.
- `flask outbox work`: keep sending as messages come (every 2 s), until SIGTERM; `make run`
  starts it beside the development server (in `notifications/worker.py`).
- `flask reminders send-due`: queue the reminders due now; for cron, idempotent.
- `flask privacy purge`: anonymise and remove what is too old to keep (`--dry-run` to look).
- `flask backup` and `flask restore`: the whole database to a file and back (in `backup.py`).
- `flask sso connect` and `flask sso disconnect`: an area's identity provider for single
  sign-on, from the configuration (the secret from `SSO_CLIENT_SECRET`; in `sso/commands.py`).

`flask db ...` is Flask-Migrate's.

Each command runs its work as one unit of work (`unit_of_work.run`): committed when it
succeeds, rolled back on any error, run again on lock contention. It prints after the commit.
"""

import dataclasses

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from peer_groups import unit_of_work
from peer_groups.admin import services as admin_services
from peer_groups.areas.models import Area
from peer_groups.audit.services import record
from peer_groups.auth.models import User
from peer_groups.auth.passwords import hash_password, problems_with
from peer_groups.backup import backup_command, restore_command
from peer_groups.db import db
from peer_groups.demo.bench import seed_bench
from peer_groups.domain.roles import Role
from peer_groups.metrics import instruments
from peer_groups.notifications.services import deliver_pending
from peer_groups.notifications.worker import Worker
from peer_groups.sso.commands import sso_cli

outbox_cli = AppGroup("outbox", help="The outbox of email and SMS messages.")
reminders_cli = AppGroup("reminders", help="Meeting reminders.")
privacy_cli = AppGroup("privacy", help="Retention: anonymise what is too old to keep.")


@click.command("create-admin")
@with_appcontext
@click.option("--email", required=True, help="The admin's email; they sign in with it.")
@click.option("--name", "display_name", required=True, help="The admin's name.")
@click.option("--area", "area_name", help="The area they administer (created if missing).")
@click.option("--superuser", is_flag=True, help="The service owner: manages every area.")
@click.password_option(help="Asked for interactively when not given.")
def create_admin(email, display_name, area_name, superuser, password):
    """Create the first admin (or another one), with a password you choose."""
    if not superuser and not area_name:
        raise click.UsageError("Give --area, or --superuser for the service owner.")
    problems = problems_with(password, email, display_name)
    if problems:
        raise click.BadParameter(", ".join(p.value for p in problems), param_hint="password")
    user = unit_of_work.run(lambda: add_admin(email, display_name, area_name, superuser,
                                              password))
    click.echo(f"Created admin account {user.id}.")


def add_admin(email, display_name, area_name, superuser, password) -> User:
    """The admin account, in the area of that name (made if missing)."""
    if admin_services.email_taken(email):
        raise click.BadParameter("an account with this email exists", param_hint="--email")
    area = None
    if area_name:
        area = db.session.scalar(select(Area).where(func.lower(Area.name) == area_name.lower()))
        if area is None:
            area = Area(name=area_name)
            db.session.add(area)
            db.session.flush()
    user = User(email=email.strip().lower(), display_name=display_name, role=Role.ADMIN,
                area_id=area.id if area else None, is_superuser=superuser,
                password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    record(None, "user.created_from_cli", subject=user)
    return user


@click.command("seed-demo")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing when there are users already.")
def seed_demo(if_empty):
    """Fill the database with demo areas, staff, young people, groups and meetings."""
    from peer_groups.demo.seed import seed

    if current_app.config["APP_ENV"] == "production":
        raise click.ClickException("seed-demo refuses to run with APP_ENV=production.")
    if db.session.scalar(select(func.count(User.id))):
        if if_empty:
            click.echo("The database has users already; demo data not loaded.")
            return
        raise click.ClickException("The database is not empty; demo data goes in empty ones.")
    counts = unit_of_work.run(seed)
    click.echo("Demo data loaded: " + ", ".join(f"{n} {what}" for what, n in counts.items()))


@click.command("demo-code")
@with_appcontext
def demo_code():
    """Print the current sign-in code of the demo staff accounts (not in production)."""
    import pyotp

    from peer_groups.demo.seed import DEMO_TOTP_SECRET

    if current_app.config["APP_ENV"] == "production":
        raise click.ClickException("demo-code refuses to run with APP_ENV=production.")
    click.echo(pyotp.TOTP(DEMO_TOTP_SECRET).now())


@outbox_cli.command("send")
@click.option("--limit", default=500, show_default=True, help="At most this many messages.")
def outbox_send(limit):
    """Send waiting messages. Safe to run from several hosts at once."""
    counts = deliver_pending(limit=limit)  # a unit of work per message
    click.echo(f"sent {counts['sent']}, failed {counts['failed']}, skipped {counts['skipped']}")


@outbox_cli.command("work")
@click.option("--poll", default=2.0, show_default=True, type=click.FloatRange(0.05, 60),
              help="Seconds between looks when nothing waits.")
def outbox_work(poll):
    """Keep sending messages as they come, until SIGTERM or Ctrl-C; several may run at once."""
    worker = Worker(poll=poll)
    worker.stop_on_signals()
    click.echo(f"outbox worker: sending, looking every {poll:g} s; stop with Ctrl-C or SIGTERM")
    worker.run()
    click.echo(f"outbox worker: stopped; sent {worker.sent}")


@reminders_cli.command("send-due")
def reminders_send_due():
    """Queue the reminders that are due now (for cron, every few minutes). Idempotent."""
    from peer_groups.reminders.services import send_due

    queued = unit_of_work.run(send_due)
    instruments.reminders_queued(queued)
    click.echo(f"queued {queued} reminders")


@privacy_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only print what would change.")
def privacy_purge(dry_run):
    """Anonymise old sign-ups and attendance, drop idle dietary data, remove ended accounts;
    tell idle accounts and those without a birth year, and remove them after the notice."""
    from peer_groups.db import utcnow
    from peer_groups.privacy.services import purge

    cfg = current_app.config
    report = unit_of_work.run(lambda: purge(
        utcnow(), retention_months=cfg["RETENTION_MONTHS"],
        dietary_idle_days=cfg["DIETARY_IDLE_DAYS"], grace_days=cfg["AFTERCARE_GRACE_DAYS"],
        dry_run=dry_run, inactive_months=cfg["INACTIVE_ACCOUNT_MONTHS"],
        notice_days=cfg["ACCOUNT_REMOVAL_NOTICE_DAYS"]))
    if not dry_run:
        instruments.purged(dataclasses.asdict(report))
    verb = "would anonymise" if dry_run else "anonymised"
    click.echo(f"{verb}: {report.signups} sign-ups, {report.attendance} attendance records, "
               f"{report.dietary} dietary records, {report.accounts} ended accounts, "
               f"{report.unfinished_joins} unfinished joins; "
               f"{'would delete' if dry_run else 'deleted'} {report.outbox} old outbox messages"
               f", {report.notices} old notices and {report.feedback_lines} feedback lines")
    tell, remove = ("would tell", "would remove") if dry_run else ("told", "removed")
    click.echo(f"{tell} {report.told} accounts they will be removed, {remove} "
               f"{report.removed} accounts after the notice")


def init_app(app):
    for command in (create_admin, seed_demo, demo_code, seed_bench, outbox_cli, reminders_cli,
                    privacy_cli, backup_command, restore_command, sso_cli):
        app.cli.add_command(command)
