"""The domain package holds pure rules: no Flask, no SQLAlchemy, anywhere in it."""

import ast
from pathlib import Path

import peer_groups.domain

FORBIDDEN = ("flask", "flask_", "sqlalchemy", "werkzeug", "peer_groups.db")


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_domain_imports_no_framework():
    folder = Path(peer_groups.domain.__file__).parent
    files = sorted(folder.rglob("*.py"))
    assert len(files) >= 3
    offending = [
        f"{path.name}: {module}"
        for path in files
        for module in imported_modules(path)
        if module.startswith(FORBIDDEN)
    ]
    assert offending == []


def test_the_check_sees_a_forbidden_import(tmp_path):
    planted = tmp_path / "bad.py"
    planted.write_text("from flask import request\nimport sqlalchemy.orm\n")
    assert list(imported_modules(planted)) == ["flask", "sqlalchemy.orm"]
