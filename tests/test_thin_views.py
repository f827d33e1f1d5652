"""Structure: views stay thin, services take the clock, and each fact is written once.

These read the source, not the running app: they hold the shape that issue 17 gave the code.
"""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "peer_groups"
TEMPLATES = PACKAGE.parent / "templates"
VIEW_MODULES = sorted(p for p in PACKAGE.rglob("*.py")
                      if p.name == "views.py" or p.name.endswith("_views.py"))
SERVICE_MODULES = sorted([*PACKAGE.rglob("services.py"), *PACKAGE.rglob("queries.py")])
STATEMENTS = {"select", "update", "delete", "insert"}
SESSION_WRITES = {"add", "add_all", "delete", "execute", "merge", "flush"}


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def statement_calls(module: ast.Module):
    """Calls that build SQL (`select(...)`, `db.select(...)`) or write through the session."""
    for node in ast.walk(module):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in STATEMENTS:
            yield node.lineno, func.id
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and (
                func.value.id == "db" and func.attr in STATEMENTS):
            yield node.lineno, f"db.{func.attr}"
        elif isinstance(func, ast.Attribute) and func.attr in SESSION_WRITES and isinstance(
                func.value, ast.Attribute) and func.value.attr == "session":
            yield node.lineno, f"session.{func.attr}"


# Views that read their own package's table (no write, nothing another package owns).
# (The health check runs `SELECT 1` on purpose: it asks the database whether it answers.)
OWN_PACKAGE_READS = {
    "main/views.py",
    "invitations/views.py",  # its Invitation rows
    "notifications/views.py",  # the outbox
}


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_views_build_no_sql_and_write_through_services(path):
    name = str(path.relative_to(PACKAGE))
    if name in OWN_PACKAGE_READS:
        pytest.skip("reads its own package's tables")
    found = list(statement_calls(tree(path)))
    assert not found, f"{name} queries or writes itself: {found}; use queries.py/services.py"


def function_reads_clock(func: ast.FunctionDef) -> list[int]:
    """Lines where a function calls utcnow() other than as `now = now or utcnow()`."""
    lines = []
    for node in ast.walk(func):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and (
                node.func.id == "utcnow"):
            lines.append(node.lineno)
    defaults = {n.lineno for n in ast.walk(func) if isinstance(n, ast.Assign)
                and [t.id for t in n.targets if isinstance(t, ast.Name)] == ["now"]
                and isinstance(n.value, ast.BoolOp)}
    return [line for line in lines if line not in defaults]


@pytest.mark.parametrize("path", SERVICE_MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_services_and_queries_take_the_clock_as_now(path):
    module = tree(path)
    found = []
    for node in ast.walk(module):
        if isinstance(node, ast.FunctionDef):
            args = [a.arg for a in node.args.args + node.args.kwonlyargs]
            lines = function_reads_clock(node)
            if lines and "now" not in args:
                found.append((node.name, lines))
            elif "now" in args and len(lines) > 1:
                found.append((node.name, lines))
    assert not found, f"read the clock instead of taking `now`: {found}"


def python_sources():
    return [p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")]


def test_each_workload_help_text_is_written_once():
    from peer_groups.domain.workload import PARAMETER_HELP

    sources = python_sources()
    for name, text in PARAMETER_HELP.items():
        first_words = text.split(",")[0][:40]
        written = sum(source.count(first_words) for source in sources)
        assert written == 1, f"the help of {name} is written {written} times"


def test_the_languages_are_listed_once():
    listed = [p.relative_to(PACKAGE) for p in PACKAGE.rglob("*.py")
              if "translations" not in p.parts and re.search(
                  r"""["']sv["'][^\n]*["']en["']""", p.read_text(encoding="utf-8"))]
    assert [str(p) for p in listed] == ["domain/languages.py"]


def test_the_outbox_claimable_condition_is_written_once():
    written = sum(source.count("claimed_at <") for source in python_sources())
    assert written == 1


def test_chart_geometry_lives_in_one_helper():
    views = [p for p in VIEW_MODULES if re.search(r"\b40 \+ \w+ \* ", p.read_text())]
    assert not views, f"bar positions worked out in views: {views}"


def test_one_date_parser_for_the_scope():
    parsers = [str(p.relative_to(PACKAGE)) for p in VIEW_MODULES if re.search(
        r"fromisoformat|strptime|split\(\"-\"\)", p.read_text())]
    assert not parsers, f"views parse dates by hand: {parsers}"


def test_scope_filters_use_the_one_macro():
    pages = ["workload/index.html", "reports/index.html", "admin/audit.html"]
    for page in pages:
        text = (TEMPLATES / page).read_text()
        assert "scope_form(" in text, page
        assert 'name="from"' not in text and 'name="team"' not in text, page
