"""The Nu HTML Checker itself: it finds a broken page and passes a sound one, and `keep` saves
one page once however often a test shows it."""

import pytest

from tests import nu

SOUND = """<!doctype html>
<html lang="fi"><head><meta charset="utf-8"><title>Hyvä</title></head>
<body><main><h1>Hyvä</h1><p><time datetime="2026-12-01T13:39:21+00:00">1.12.</time>
alle 5 näkyy muodossa &lt; 5</p></main></body></html>
"""
BROKEN = """<!doctype html>
<html lang="fi"><head><meta charset="utf-8"><title>Rikki</title></head>
<body><main><h1 id="a">Rikki</h1>
<p id="a"><time datetime="2026-12-01T13:39:21.562320+00:00">1.12.</time></p>
<p>alle 5 näkyy muodossa < 5</p></main></body></html>
"""

pytestmark = pytest.mark.skipif(not nu.JAR.is_file(), reason="needs `make vnu`")


def test_a_broken_page_fails_with_file_line_and_message(tmp_path):
    nu.start(tmp_path)
    nu.keep("/sound", SOUND, tmp_path)
    nu.keep("/broken?x=1", BROKEN, tmp_path)
    problems = nu.check(tmp_path)
    assert {problem.page for problem in problems} == {"/broken?x=1"}
    found = {(problem.line, problem.message.split(":")[0]) for problem in problems}
    assert (4, "Duplicate ID “a”.") in found
    assert any(line == 4 and "fraction of a second" in message
               for line, message in ((p.line, p.message) for p in problems))
    assert any(line == 5 and "Unescaped “<”" in message
               for line, message in ((p.line, p.message) for p in problems))
    assert all(problem.file.startswith(str(tmp_path)) for problem in problems)
    assert "/broken?x=1 (" in str(problems[0])


def test_sound_pages_pass(tmp_path):
    nu.start(tmp_path)
    nu.keep("/sound", SOUND, tmp_path)
    assert nu.check(tmp_path) == []


def test_the_same_page_with_other_tokens_and_ids_is_kept_once(tmp_path):
    nu.start(tmp_path)
    page = '<input name="csrf_token" value="{}"><a href="/groups/{}">x</a>'
    nu.keep("/groups/1", page.format("IjRkZjM5YTU3ZmU4NGQ2NGYxMTQ", 1), tmp_path)
    nu.keep("/groups/2", page.format("ImZkZjM5YTU3ZmU4NGQ2NGYxMTQ", 2), tmp_path)
    nu.keep("/groups/2", page.format("x", 2).replace("x</a>", "y</a>"), tmp_path)
    assert len(nu.kept(tmp_path)) == 2


def test_no_pages_no_java(tmp_path):
    nu.start(tmp_path)
    assert nu.check(tmp_path, jar=tmp_path / "missing.jar") == []
