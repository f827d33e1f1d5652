"""Exports: CSV and spreadsheet cells that stay text, and tables for people's spreadsheets.

No formula injection through a group's name: a cell beginning with =, +, - or @ (or a tab
or carriage return) is run as a formula by Excel and LibreOffice. Text like that is written
with a leading apostrophe in CSV, and stored as a string in .xlsx; numbers, including negative
ones, are left alone.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from babel.numbers import get_decimal_symbol
from flask import Response
from flask_babel import format_date, format_decimal, get_locale
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not is_number(value):
        return "'" + value
    return value


class SafeWriter:
    """`csv.writer` whose cells cannot turn into formulas."""

    def __init__(self, out):
        self.writer = csv.writer(out)

    def writerow(self, row):
        self.writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def append_as_text(sheet, row) -> None:
    """Append a row to an openpyxl sheet; text that looks like a formula stays text."""
    sheet.append(row)
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


# Exports for people: translated headers, numbers as numbers, one sheet per table.

NUMBER_FORMATS = {
    "count": "0",
    "hours": "0.00",
    "euros": '#,##0.00 "€"',
    "month": "mmmm yyyy",
    "date": "mm-dd-yy",  # built-in 14: the reader's own short date format
}


@dataclass(frozen=True)
class Column:
    """One column: its stable machine name, its label in the reader's language, its kind
    (text, count, hours, euros, month or date), which says how the cell is stored."""

    key: str
    label: str
    kind: str = "text"


@dataclass
class Table:
    """A table for a spreadsheet: a sheet's title, its columns and rows of plain values
    (int, Decimal, date; a hidden small count is the text "< 5")."""

    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)


def workbook(tables: list[Table], title: str = "") -> bytes:
    """An .xlsx with one sheet per table; header row first, so a column sums with SUM().
    `title` (what and which period) goes in the file's properties, not above the header."""
    book = Workbook()
    book.properties.title = title
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(sheet_title(table.title))
        append_as_text(sheet, [str(column.label) for column in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            append_as_text(sheet, [excel_value(value, column.kind)
                                   for value, column in zip(row, table.columns, strict=True)])
            for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
                if column.kind in NUMBER_FORMATS and not isinstance(cell.value, str):
                    cell.number_format = NUMBER_FORMATS[column.kind]
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(
                10, min(40, len(str(column.label)) + 2))
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_title(title: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    return "".join(" " if c in "[]:*?/\\" else c for c in str(title))[:31]


def excel_value(value, kind: str):
    if kind == "month" and isinstance(value, tuple):
        return date(value[0], value[1], 1)
    return value


def spreadsheet_csv(table: Table) -> bytes:
    """The table as a CSV that a spreadsheet in the reader's language opens into columns:
    UTF-8 with a byte order mark, translated headers, and where the decimal mark is a comma
    (fi, sv) semicolons between cells and decimal commas."""
    comma_decimals = get_decimal_symbol(get_locale()) == ","
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if comma_decimals else ",")
    writer.writerow([safe_cell(str(column.label)) for column in table.columns])
    for row in table.rows:
        writer.writerow([local_text(value, column.kind)
                         for value, column in zip(row, table.columns, strict=True)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def local_text(value, kind: str) -> str:
    """A cell's text in the reader's number format; text stays text (no formulas)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_cell(value)
    if kind == "month":
        return format_date(date(value[0], value[1], 1), "yyyy-MM")
    if kind == "date":
        return format_date(value, "yyyy-MM-dd")
    if kind in ("hours", "euros"):
        return format_decimal(value, format="0.00")
    return format_decimal(value, format="0")


def download(body: bytes | str, filename: str, mimetype: str) -> Response:
    """An attachment the browser saves under `filename`."""
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPREADSHEET_CSV = "text/csv; charset=utf-8"
