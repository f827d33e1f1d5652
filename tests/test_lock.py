"""The lock files are what gets installed (`requirements.lock` in production,
`requirements-dev.lock` by `make run` and `make test`): each must hold every pin of
pyproject.toml it covers, at the same version, and a hash for every package (`make lock`
refreshes them after a pin changes)."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s;]+)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(with_test_tools: bool) -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    if with_test_tools:
        wanted += project["optional-dependencies"]["test"]
    pins = {}
    for requirement in wanted:
        match = PIN.match(requirement)
        assert match, f"not pinned with ==: {requirement}"
        pins[normalise(match.group(1))] = match.group(2)
    return pins


def locked(name: str) -> dict[str, tuple[str, int]]:
    """Each locked package: its version and how many hashes it has."""
    entries, current = {}, None
    for line in (ROOT / name).read_text().splitlines():
        if match := PIN.match(line):
            current = normalise(match.group(1))
            entries[current] = (match.group(2), 0)
        elif current and "--hash=sha256:" in line:
            version, hashes = entries[current]
            entries[current] = (version, hashes + 1)
    return entries


LOCKS = pytest.mark.parametrize("name, with_test_tools", [
    ("requirements.lock", False), ("requirements-dev.lock", True)])


@LOCKS
def test_every_pin_of_pyproject_is_locked_at_its_version(name, with_test_tools):
    lock = locked(name)
    assert {package: version for package, version in pinned(with_test_tools).items()
            if lock.get(package, (None,))[0] != version} == {}, "run `make lock`"


@LOCKS
def test_every_locked_package_has_a_hash_and_the_build_backend_is_locked(name, with_test_tools):
    lock = locked(name)
    assert len(lock) > len(pinned(with_test_tools))  # transitive dependencies too
    assert [name for name, (_, hashes) in lock.items() if hashes == 0] == []
    assert "setuptools" in lock  # the project is built with --no-build-isolation from it
