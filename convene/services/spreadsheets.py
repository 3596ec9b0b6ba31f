"""CSV as spreadsheets open and save it: one way out for every export (UTF-8 with a
byte-order mark, CRLF line ends, formulas neutralised) and one way in for every import
(UTF-8, UTF-16 or Windows-1252; commas or semicolons; every problem listed by row)."""

import csv
import io
import re
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import TypeVar

from flask_babel import lazy_gettext as _l

from . import InvalidInput

# Excel reads a CSV as UTF-8 only when it starts with the byte-order mark.
BOM = "\ufeff"
# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_BYTES = 2 * 1024 * 1024
# Problems of the whole file are on row 0 (shown as "—"); the header is row 1.
FILE_ROW = 0
# What spreadsheets save instead of CSV, by their first bytes.
_NOT_CSV = {
    b"PK\x03\x04": _l("This looks like a workbook (.xlsx or .ods), not a CSV file."),
    b"\xd0\xcf\x11\xe0": _l("This looks like an old Excel workbook (.xls), not a CSV file."),
    b"%PDF": _l("This is a PDF document, not a CSV file."),
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
T = TypeVar("T")


class ImportRefused(InvalidInput):
    """`rows` lists (row number, column, message); nothing was imported."""

    def __init__(self, message: str, rows: list[tuple[int, str, str]]):
        super().__init__(message, {f"row {row}: {column}": [text] for row, column, text in rows})
        self.rows = rows


# Writing -----------------------------------------------------------------------------


def safe_cell(value) -> str:
    """The value as text a spreadsheet shows rather than runs."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(header: Iterable, rows: Iterable[Iterable]) -> str:
    """The whole file as every export writes it: the byte-order mark, then CRLF-ended rows
    of cells that no spreadsheet runs as a formula (None is an empty cell)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


# Reading -----------------------------------------------------------------------------


def decode(content: bytes) -> str:
    """The file's text; ImportRefused, naming what it is, for a file that is not CSV text."""
    save_as = str(_l("In your spreadsheet, choose “Save as” and the CSV format."))
    if len(content) > MAX_BYTES:
        raise ImportRefused(
            str(_l("The file is larger than 2 MB.")),
            [(FILE_ROW, "file", str(_l("Split the file into several files of at most 2 MB.")))],
        )
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        # "Unicode text" in Excel is UTF-16; if it does not decode, it is refused below.
        with suppress(UnicodeDecodeError):
            content = content.decode("utf-16").encode("utf-8")
    if not content.strip():
        raise ImportRefused(
            str(_l("The file is empty.")),
            [(FILE_ROW, "file", str(_l("Put a header row, then one item per row.")))],
        )
    for signature, message in _NOT_CSV.items():
        if content.startswith(signature):
            raise ImportRefused(str(message), [(FILE_ROW, "file", save_as)])
    if _CONTROL.search(content[:4096].decode("latin-1")):
        raise ImportRefused(
            str(_l("This file is not a CSV file: it is not text.")), [(FILE_ROW, "file", save_as)]
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheets on Windows save "CSV" in Windows-1252, a superset of Latin-1.
        return content.decode("cp1252", errors="replace")


@dataclass
class Row:
    """A row of the file: its number as the spreadsheet shows it (the header is 1), its
    cells by lower-case column name, stripped, and its problems as (column, message)."""

    number: int
    cells: dict[str, str]
    problems: list[tuple[str, str]] = field(default_factory=list)


def read_rows(
    content: bytes,
    columns: tuple[str, ...],
    required: tuple[str, ...],
    max_rows: int,
    too_many: str,
) -> list[Row]:
    """Every row of a CSV file under a header naming some of `columns` (in any order,
    `required` among them; nameless columns are ignored, as spreadsheets add them).

    ImportRefused for what spoils the whole file: not text, wrong columns, unreadable
    quotes, more than `max_rows` rows (saying `too_many`). A row with more cells than
    columns has that in its `problems`: its cells are not under their columns, so the
    caller reports that alone for the row, and checks every cell of the other rows.
    """
    text = decode(content)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    records: list[list[str]] = []
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        records.extend(reader)
    except csv.Error:
        # A runaway quote swallows the rest of the file into one oversized cell.
        raise ImportRefused(
            str(_l("The file cannot be read as CSV.")),
            [(1 if header is None else len(records) + 2, "file", str(_l("Check its quotes.")))],
        ) from None
    missing = [name for name in required if name not in header]
    unknown = [name for name in header if name and name not in columns]
    if missing or unknown:
        raise ImportRefused(
            str(_l("The columns are not the ones expected.")),
            [(1, name, str(_l("This column is missing."))) for name in missing]
            + [(1, name, str(_l("Unknown column."))) for name in unknown],
        )
    if len(records) > max_rows:
        raise ImportRefused(str(_l("Too many rows.")), [(max_rows + 2, "file", too_many)])
    rows = []
    for number, record in enumerate(records, start=2):
        cells = {name: value.strip() for name, value in zip(header, record, strict=False) if name}
        row = Row(number, cells)
        if any(value.strip() for value in record[len(header) :]):
            row.problems.append(("file", str(_l("More cells than columns: put texts in quotes."))))
        rows.append(row)
    return rows


def checked_rows(
    rows: list[Row], filled: Callable[[Row], bool], check: Callable[[Row], T]
) -> list[T]:
    """`check(row)` for every row that `filled(row)` says holds something, once every cell of
    every row is checked (`check` adds a row's problems to `row.problems`); ImportRefused
    listing every problem by row and column if there is any, so nothing is imported."""
    problems, checked = [], []
    for row in rows:
        # A row with more cells than columns has that problem alone: its cells are not
        # under their columns.
        if not row.problems and filled(row):
            value = check(row)
            if not row.problems:
                checked.append(value)
        problems += [(row.number, column, message) for column, message in row.problems]
    if problems:
        raise ImportRefused(str(_l("Nothing was imported: correct the rows listed.")), problems)
    return checked
