"""A feature is a package: its blueprint, registered from one list, holds every route it names."""

import importlib
import inspect
from pathlib import Path

import pytest

import peer_groups

INIT = Path(peer_groups.__file__)


def test_the_factory_registers_every_blueprint_from_one_list(app):
    listed = {importlib.import_module(name).bp.name for name in peer_groups.BLUEPRINTS}
    # The development outbox registers itself outside production only, and the metrics only
    # with METRICS_TOKEN (see their init_app).
    assert set(app.blueprints) - {"notifications", "metrics"} == listed
    assert "noqa: F401" not in INIT.read_text(encoding="utf-8")


def test_each_blueprint_lives_in_the_package_of_its_name(app):
    for name, blueprint in app.blueprints.items():
        assert blueprint.import_name == f"peer_groups.{name}", name


def test_every_route_is_defined_in_its_blueprints_package(app):
    misplaced = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "." not in rule.endpoint:
            continue
        blueprint = rule.endpoint.split(".")[0]
        module = inspect.unwrap(app.view_functions[rule.endpoint]).__module__
        if not module.startswith(f"peer_groups.{blueprint}."):
            misplaced.append(f"{rule.endpoint} in {module}")
    assert misplaced == []


@pytest.fixture
def app_config():
    return {"METRICS_TOKEN": "on"}  # every optional part of the app on


def test_every_views_module_of_a_blueprint_has_its_routes_registered(app):
    """Forgetting a views module in a package's `blueprint()` would drop its routes silently."""
    loaded = {inspect.unwrap(view).__module__ for view in app.view_functions.values()}
    on_disk = {f"peer_groups.{path.parent.name}.{path.stem}"
               for path in INIT.parent.glob("*/*views.py")}
    assert on_disk - loaded == set()


def test_the_cli_docstring_names_every_command(app):
    from peer_groups import cli

    commands = set()
    for name, command in app.cli.commands.items():
        if name == "db":  # Flask-Migrate's, documented by it
            continue
        subcommands = getattr(command, "commands", {})
        commands |= {f"{name} {sub}" for sub in subcommands} or {name}
    assert {c for c in commands if f"`flask {c}`" not in cli.__doc__} == set()


def test_the_readme_layout_names_every_package():
    readme = (INIT.parents[1] / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    packages = {path.parent.name for path in INIT.parent.glob("*/__init__.py")}
    modules = {path.name for path in INIT.parent.glob("*.py")}
    assert {name for name in packages if f"{name}/" not in layout} == set()
    assert {name for name in modules if name not in layout} == set()


def test_the_workload_page_gives_the_models_defaults_and_example():
    from decimal import Decimal

    from peer_groups.domain import workload

    page = (INIT.parents[1] / "docs" / "workload.md").read_text(encoding="utf-8")
    for name in workload.PARAMETER_NAMES:
        default = f"{getattr(workload.DEFAULTS, name)} {workload.PARAMETER_UNITS[name]}"
        assert f"| `{name}` | {default} |" in page, name
    example = workload.estimate_meeting(
        workload.MeetingInput(duration_hours=Decimal(2), confirmed=10))
    assert f"**{workload.two_places(example.hours)} h**" in page
