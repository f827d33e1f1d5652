"""Word-by-word changes between two versions of a consent text."""

from peer_groups.domain.text_changes import Change, Kind, changes, counts


def test_an_unchanged_text_has_no_changes():
    assert changes("May we keep it?", "May we keep it?") == [Change(Kind.SAME, "May we keep it?")]


def test_a_replaced_word_reads_as_removed_then_added():
    runs = changes("Who sees it: only workers.", "Who sees it: only your workers.")
    assert runs == [Change(Kind.SAME, "Who sees it: only"), Change(Kind.ADDED, " your"),
                    Change(Kind.SAME, " workers.")]
    runs = changes("at most 2 years", "at most 1 year")
    assert [r.kind for r in runs] == [Kind.SAME, Kind.REMOVED, Kind.ADDED]
    assert "".join(r.text for r in runs if r.kind is not Kind.REMOVED) == "at most 1 year"
    assert "".join(r.text for r in runs if r.kind is not Kind.ADDED) == "at most 2 years"
    assert counts(runs) == (2, 2)


def test_line_breaks_are_kept():
    runs = changes("One.\n\nTwo.", "One.\n\nTwo.\nThree.")
    assert "".join(r.text for r in runs) == "One.\n\nTwo.\nThree."
    assert runs[-1] == Change(Kind.ADDED, "\nThree.")
