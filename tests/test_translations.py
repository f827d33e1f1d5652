"""Every UI string exists in Finnish and Swedish, and the catalogs match the source."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "peer_groups" / "translations"


def catalog(language):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


def untranslated(language):
    missing = []
    for message in catalog(language):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id)
    return missing


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_message_is_translated(language):
    assert untranslated(language) == []


def test_catalogs_hold_every_message_in_the_source(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract",
         "--ignore-dirs", ".* build .venv", "-F",
         str(ROOT / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext", "-k", "_param:3",
         "-o", str(template), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with open(template, "rb") as handle:
        source_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    for language in ("fi", "sv"):
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog(language) if m.id}
        hint = f"run `make extract-messages` and translate ({language})"
        assert source_ids - known == set(), hint
