"""The files in deploy/ run what exists: every command a systemd unit starts is a real command
of the app (or gunicorn on the app's entry point), every timer has its service, and nginx
forwards to where gunicorn listens."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
WRAPPER = "/usr/local/bin/peer-groups"


def directives(unit: Path, name: str) -> list[str]:
    return [line.split("=", 1)[1].strip() for line in unit.read_text().splitlines()
            if line.startswith(f"{name}=")]


def test_there_are_units_for_the_app_the_worker_and_the_schedules():
    names = {unit.stem for unit in UNITS}
    assert {"peer-groups", "peer-groups-outbox", "peer-groups-reminders", "peer-groups-purge",
            "peer-groups-backup"} <= names


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_every_command_a_unit_starts_exists(app, unit):
    commands = directives(unit, "ExecStart") + directives(unit, "ExecStartPost")
    assert commands, unit.name
    runner = app.test_cli_runner()
    for command in commands:
        program, *args = command.split()
        assert program.startswith("/"), f"{unit.name}: {program} is not an absolute path"
        if program == WRAPPER:
            answer = runner.invoke(args=[*args, "--help"])
            assert answer.exit_code == 0, f"{unit.name}: `flask {' '.join(args)}` is no command"
        elif program.endswith("/.venv/bin/gunicorn"):
            module, attribute = args[-1].split(":")
            assert re.search(rf"^\s*{attribute} = ", (ROOT / f"{module}.py").read_text(), re.M)
            assert (ROOT / "gunicorn.conf.py").is_file()
        else:
            assert Path(program).name in ("find",), f"{unit.name}: unexpected {program}"


@pytest.mark.parametrize("timer", sorted((DEPLOY / "systemd").glob("*.timer")),
                         ids=lambda timer: timer.name)
def test_every_timer_starts_a_service_that_is_there(timer):
    assert (timer.parent / f"{timer.stem}.service").is_file()
    assert directives(timer, "OnCalendar")


def test_the_wrapper_runs_flask_on_the_apps_entry_point():
    text = (DEPLOY / "peer-groups").read_text()
    assert text.startswith("#!/bin/sh") and ". /etc/peer_groups.env" in text
    assert "exec .venv/bin/flask --app wsgi" in text
    assert (DEPLOY / "peer-groups").stat().st_mode & 0o111


def test_nginx_forwards_to_where_gunicorn_listens_and_takes_no_bigger_bodies_than_needed():
    nginx = (DEPLOY / "nginx" / "peer-groups.conf").read_text()
    bind = re.search(r'GUNICORN_BIND", "([^"]+)"', (ROOT / "gunicorn.conf.py").read_text())
    assert f"proxy_pass http://{bind.group(1)};" in nginx
    assert re.search(r"client_max_body_size \d+[km];", nginx)


def test_the_readme_points_at_the_deploy_files():
    readme = (ROOT / "README.md").read_text()
    for path in ("deploy/peer-groups", "deploy/systemd/", "deploy/nginx/peer-groups.conf"):
        assert path in readme, path
