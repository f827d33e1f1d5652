"""Spreadsheet cells: text that would run as a formula is written as text."""

import io

import pytest

from peer_groups.spreadsheets import SafeWriter, safe_cell


@pytest.mark.parametrize("text", ["=1+1", "+1 800", "-x", "@SUM(A1)", "\tx", "\r=1"])
def test_formula_like_text_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Tuesday cooking", "-1.50", "+3", "", "< 5", 7, -2, None])
def test_numbers_and_ordinary_text_stay_as_they_are(value):
    assert safe_cell(value) == value


def test_the_writer_applies_it_to_every_cell():
    out = io.StringIO()
    SafeWriter(out).writerows([["=evil()", "ok", -1]])
    assert out.getvalue().strip() == "'=evil(),ok,-1"
