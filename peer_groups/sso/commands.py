"""`flask sso connect` and `flask sso disconnect`: the service owner's way to connect an area
to its identity provider from the configuration, without the admin pages."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from peer_groups import unit_of_work
from peer_groups.areas.models import Area
from peer_groups.db import db
from peer_groups.domain.errors import DomainError
from peer_groups.sso import services

sso_cli = AppGroup("sso", help="Single sign-on: an area's OpenID Connect provider.")


def area_named(name: str) -> Area:
    area = db.session.scalars(select(Area).where(Area.name == name)).first()
    if area is None:
        raise click.BadParameter(f"no area named {name!r}", param_hint="--area")
    return area


@sso_cli.command("connect")
@click.option("--area", "area_name", required=True, help="The area's name.")
@click.option("--name", "display_name", required=True, help='Shown as "Sign in with <name>".')
@click.option("--issuer", required=True, help="The provider's issuer URL (https).")
@click.option("--client-id", required=True)
@click.option("--domains", required=True, help="Email domains it covers, comma-separated.")
@click.option("--mfa-acr", default="", help="acr values that mean multi-factor, space-separated.")
@click.option("--client-secret", envvar="SSO_CLIENT_SECRET", prompt=True, hide_input=True,
              help="Read from SSO_CLIENT_SECRET, else asked (never give it on a command line).")
def connect(area_name, display_name, issuer, client_id, domains, mfa_acr, client_secret):
    """Connect an area to its identity provider, or change the connection."""

    def work():
        return services.save_provider(
            area_named(area_name), None, display_name=display_name, issuer=issuer,
            client_id=client_id, client_secret=client_secret, email_domains=domains,
            mfa_acr_values=mfa_acr)

    try:
        unit_of_work.run(work)
    except DomainError as refused:
        raise click.UsageError(f"refused: {refused.code}") from None
    click.echo(f"Connected {area_name} to {issuer}.")


@sso_cli.command("disconnect")
@click.option("--area", "area_name", required=True, help="The area's name.")
def disconnect(area_name):
    """Disconnect an area's identity provider: its staff sign in with passwords again."""
    unit_of_work.run(lambda: services.disconnect(area_named(area_name), None))
    click.echo(f"Disconnected {area_name}.")
