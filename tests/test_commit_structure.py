"""The code's shape, checked: rules a reviewer would otherwise have to remember."""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "peer_groups"

# Where `session.commit` may appear, and why. Services flush; the unit of work commits.
COMMITS_ALLOWED = {
    "unit_of_work.py": "the one commit of a request's or a command's unit of work",
}


def lines_with(text: str) -> dict[str, int]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        count = sum(text in line for line in path.read_text(encoding="utf-8").splitlines())
        if count:
            found[str(path.relative_to(PACKAGE))] = count
    return found


def test_only_the_unit_of_work_commits():
    found = lines_with("session.commit")
    assert set(found) <= set(COMMITS_ALLOWED), found
    assert len(found) <= 3 and sum(found.values()) <= 3, found


def test_no_view_rolls_back_by_hand():
    """Views that drop a failed change call `unit_of_work.rollback()`, which keeps the
    session's bookkeeping; besides the unit of work only the error pages roll back (for an
    error raised after the unit, in after_request)."""
    found = lines_with("session.rollback")
    assert set(found) <= {"unit_of_work.py", "errors.py"}, found
