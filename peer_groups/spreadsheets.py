"""CSV and spreadsheet cells that stay text: no formula injection through a group's name.

A cell beginning with =, +, - or @ (or a tab or carriage return) is run as a formula by Excel
and LibreOffice. Text like that is written with a leading apostrophe in CSV, and stored as a
string in .xlsx; numbers, including negative ones, are left alone.
"""

import csv
from decimal import Decimal, InvalidOperation

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
