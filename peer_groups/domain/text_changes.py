"""What changed between two versions of a text, word by word, for a person to read."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

# A word with the spaces before it, so a changed word takes its space along.
WORDS = re.compile(r"\s*\S+|\s+$")


class Kind(StrEnum):
    SAME = "same"
    REMOVED = "removed"
    ADDED = "added"


@dataclass(frozen=True)
class Change:
    kind: Kind
    text: str

    @property
    def space(self) -> str:
        """The spaces before the words: shown outside the marking of a change."""
        return self.text[:len(self.text) - len(self.text.lstrip())]

    @property
    def words(self) -> str:
        return self.text.lstrip()


def changes(old: str, new: str) -> list[Change]:
    """The new text as runs of unchanged, removed and added words (spaces kept as they are).

    A replaced run reads as what was removed, then what came instead.
    """
    before, after = WORDS.findall(old), WORDS.findall(new)
    runs: list[Change] = []
    matcher = SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _add(runs, Kind.SAME, "".join(before[i1:i2]))
            continue
        _add(runs, Kind.REMOVED, "".join(before[i1:i2]))
        _add(runs, Kind.ADDED, "".join(after[j1:j2]))
    return runs


def _add(runs: list[Change], kind: Kind, text: str) -> None:
    if not text:
        return
    if runs and runs[-1].kind is kind:
        runs[-1] = Change(kind, runs[-1].text + text)
    else:
        runs.append(Change(kind, text))


def counts(runs: list[Change]) -> tuple[int, int]:
    """How many words were removed and added: the summary read before the details."""
    removed = sum(len(r.text.split()) for r in runs if r.kind is Kind.REMOVED)
    added = sum(len(r.text.split()) for r in runs if r.kind is Kind.ADDED)
    return removed, added
