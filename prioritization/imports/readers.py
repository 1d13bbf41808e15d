"""Read an uploaded CSV or XLSX file into a raw table of cells, without interpreting the columns.

File-level problems (empty, too large, wrong type, unreadable, malformed) are reported to an
:class:`~prioritization.imports.messages.Issues` collector; nothing here raises on bad data.
Reading stops as soon as the file has more than ``MAX_ROWS`` object rows, so a huge file is
rejected without parsing the rest of it.
"""

from __future__ import annotations

import codecs
import csv
import io
import operator
import re
import warnings
import zipfile
from dataclasses import dataclass
from itertools import repeat
from pathlib import PurePath
from typing import Any

from prioritization.imports.messages import MAX_BYTES, MAX_COLUMNS, MAX_ROWS, Issues, quote

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, and password-protected workbooks
CSV_EXTENSIONS = frozenset({".csv", ".txt", ".tsv"})
XLSX_EXTENSIONS = frozenset({".xlsx", ".xlsm"})
# Guards against "zip bombs" and slow parsing: a workbook may not unpack to more than this (a sheet
# of 5 000 objects with a dozen columns unpacks to a few MB).
MAX_XLSX_UNCOMPRESSED = 20 * 1024 * 1024
# Only the first MAX_COLUMNS + 1 columns of a workbook are read (one more than a header may have, to
# detect a too wide header); cells further right are not seen. A sheet may store at most
# XLSX_MAX_STORED_ROWS rows (rows with cells, even if only formatted and empty): openpyxl's work per
# stored row grows with the column of its last cell.
XLSX_READ_COLUMNS = MAX_COLUMNS + 1
XLSX_MAX_STORED_ROWS = 20_000
DELIMITERS = (";", ",", "\t")  # in order of preference on a tie (Swedish Excel uses ";")


@dataclass(frozen=True)
class Formula:
    """A workbook cell holding a formula (read with data_only=False, so its value is unknown)."""

    text: str


@dataclass(frozen=True)
class CellError:
    """A workbook cell holding an Excel error value such as #N/A."""

    text: str


@dataclass(frozen=True)
class RawRow:
    number: int  # spreadsheet row number, 1-based
    cells: list[Any]  # at most MAX_COLUMNS cells: str (CSV) or openpyxl values, Formula, CellError, None
    last: int  # 0-based index of the last non-empty cell (may lie beyond the stored cells)


@dataclass(frozen=True)
class RawTable:
    file_format: str  # "csv" | "xlsx"
    rows: list[RawRow]  # the non-empty rows; the first one is the header
    too_many_rows: bool  # reading stopped after MAX_ROWS + 1 object rows
    encoding: str | None = None
    delimiter: str | None = None


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def column_letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(ord("A") + r) + letters
    return letters


def _size(n: int) -> dict[str, str]:
    mb = f"{n / (1024 * 1024):.1f}"
    return {"size_sv": f"{mb.replace('.', ',')} MB", "size_en": f"{mb} MB"}


def read_table(data: bytes, filename: str, issues: Issues, sheets: tuple[str, ...] = ("Objekt",)) -> RawTable | None:
    """The raw table of ``data``, or None after reporting a file-level error. In a workbook the first
    visible sheet named in ``sheets`` is read, else the first visible sheet."""
    if not data:
        issues.add("empty_file")
        return None
    if len(data) > MAX_BYTES:
        issues.add("file_too_large", **_size(len(data)))
        return None
    ext = PurePath(filename).suffix.casefold() if filename else ""
    if ext not in CSV_EXTENSIONS | XLSX_EXTENSIONS | {"", ".xls"}:
        issues.add("wrong_file_type", ext=ext)
        return None
    if data.startswith(OLE_MAGIC) or (ext == ".xls" and not data.startswith(ZIP_MAGIC)):
        issues.add("xls_not_supported")
        return None
    if data.startswith(ZIP_MAGIC):
        table = _read_xlsx(data, issues, sheets)
    elif ext in XLSX_EXTENSIONS:
        issues.add("unreadable_xlsx")
        return None
    else:
        table = _read_csv(data, issues)
    if table is not None and not table.rows:
        issues.add("empty_file")
        return None
    return table


class _Collector:
    """Keeps the non-empty rows, numbering every row from 1, and stops after the header plus
    MAX_ROWS + 1 object rows; ``number`` is the row being read (for error messages)."""

    def __init__(self) -> None:
        self.rows: list[RawRow] = []
        self.number = 0
        self.too_many = False

    def skip(self) -> None:
        """The next row is known to be empty."""
        self.number += 1

    def add(self, cells: list[Any]) -> bool:
        """Add the next row; False when reading should stop."""
        self.number += 1
        last = len(cells) - 1
        while last >= 0 and is_blank(cells[last]):
            last -= 1
        if last < 0:
            return True  # completely empty rows are skipped silently
        self.rows.append(RawRow(self.number, list(cells[:MAX_COLUMNS]), last))
        if len(self.rows) > MAX_ROWS + 1:
            self.too_many = True
            return False
        return True


# --- CSV -----------------------------------------------------------------------------------------


def _decode(data: bytes, issues: Issues) -> tuple[str, str] | None:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            issues.add("not_text")
            return None
    body = data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:  # Excel's "CSV (semikolonavgränsad)" in a Swedish Windows: ANSI = Windows-1252
        text, encoding = body.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        text, encoding = body.decode("latin-1"), "latin-1"
    issues.add("encoding_fallback", encoding={"windows-1252": "Windows-1252", "latin-1": "Latin-1"}[encoding])
    return text, encoding


_SEP_LINE = re.compile(r"sep=([;,\t|])[ \t]*", re.IGNORECASE)


def _sniff_delimiter(text: str) -> tuple[str, int]:
    """The delimiter and how many leading characters to skip (an Excel ``sep=;`` line).

    Only the first non-empty line (the header) is examined: data lines contain decimal commas.
    Delimiters inside quotes are not counted. With none found (one column) ``;`` is used.
    """
    end = text.find("\n")
    first = (text if end < 0 else text[:end]).rstrip("\r")
    m = _SEP_LINE.fullmatch(first)
    if m:
        return m.group(1), len(text) if end < 0 else end + 1
    for line in io.StringIO(text):
        if line.strip():
            counts = dict.fromkeys(DELIMITERS, 0)
            in_quotes = False
            for ch in line:
                if ch == '"':
                    in_quotes = not in_quotes
                elif not in_quotes and ch in counts:
                    counts[ch] += 1
            best = max(DELIMITERS, key=lambda d: counts[d])  # max keeps the first on a tie
            return best, 0
    return DELIMITERS[0], 0


def _read_csv(data: bytes, issues: Issues) -> RawTable | None:
    decoded = _decode(data, issues)
    if decoded is None:
        return None
    text, encoding = decoded
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        issues.add("not_text")
        return None
    delimiter, skip = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text[skip:], newline=""), delimiter=delimiter, strict=True)
    collector = _Collector()
    try:
        for cells in reader:
            if not collector.add(cells):
                break
    except csv.Error as e:
        issues.add("csv_malformed", row=collector.number + 1, detail=str(e))
        return None
    return RawTable("csv", collector.rows, collector.too_many, encoding=encoding, delimiter=delimiter)


# --- XLSX ----------------------------------------------------------------------------------------


_VALUE = operator.attrgetter("value")


def _xlsx_value(cell: Any) -> Any:
    value = cell.value  # EmptyCell (the filler) has value None
    if value is None:
        return None
    if cell.data_type == "f":
        return Formula(value if isinstance(value, str) else str(getattr(value, "text", "") or "="))
    if cell.data_type == "e":
        return CellError(str(value))
    return value


def _sheet_to_read(wb, issues: Issues, sheets: tuple[str, ...] = ("Objekt",)):
    """The sheet called "Objekt" (the template's), else the first visible sheet. A hidden sheet is
    never read: what Excel does not show must not become objects unseen (a hidden first sheet used
    to be read silently). Hidden sheets are mentioned, so nobody wonders where their rows went."""
    visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    hidden = [ws.title for ws in wb.worksheets if ws.sheet_state != "visible"]
    named = sorted((ws for ws in visible if ws.title in sheets), key=lambda ws: sheets.index(ws.title))
    if not visible:
        issues.add("only_hidden_sheets", hidden=", ".join(quote(t) for t in hidden))
        return None
    ws = named[0] if named else visible[0]
    if hidden:
        issues.add("hidden_sheet", hidden=", ".join(quote(t) for t in hidden), read=quote(ws.title))
    return ws


def _read_xlsx(data: bytes, issues: Issues, sheets: tuple[str, ...] = ("Objekt",)) -> RawTable | None:
    # Broad excepts below are deliberate: zipfile and openpyxl raise many different exception types
    # (BadZipFile, KeyError, ValueError, XML parse errors, ...) on damaged or foreign files, and a bad
    # upload must become an error message, not a crash. Only reading happens inside them.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
    except Exception:
        issues.add("unreadable_xlsx")
        return None
    if unpacked > MAX_XLSX_UNCOMPRESSED:
        issues.add("file_too_large", **_size(unpacked))
        return None

    import openpyxl  # imported lazily: only workbook uploads need it
    from openpyxl.cell.read_only import EMPTY_CELL

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions, styles, ...
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
        except Exception:
            issues.add("unreadable_xlsx")
            return None
        try:
            ws = _sheet_to_read(wb, issues, sheets)
            if ws is None:
                return None
            ws.reset_dimensions()  # the stored dimension may be wrong; read what is really there
            collector = _Collector()
            stored = 0
            for row in ws.iter_rows():
                # Gaps between stored rows come as empty tuples; a stored row is as wide as its last
                # cell. Cheap (C-level) checks first, for rows of formatted empty cells.
                if not row:
                    collector.skip()
                    continue
                stored += 1
                if stored > XLSX_MAX_STORED_ROWS:
                    issues.add("too_many_sheet_rows", max=f"{XLSX_MAX_STORED_ROWS:,}".replace(",", " "),
                               max_en=f"{XLSX_MAX_STORED_ROWS:,}")
                    return None
                row = row[:XLSX_READ_COLUMNS]
                if not any(map(operator.is_not, row, repeat(EMPTY_CELL))):
                    collector.skip()
                    continue
                values = list(map(_VALUE, row))
                if values.count(None) == len(values):
                    collector.skip()
                    continue
                if not collector.add([None if v is None else _xlsx_value(c) for c, v in zip(row, values, strict=True)]):
                    break
        except Exception:
            issues.add("unreadable_xlsx")
            return None
        finally:
            wb.close()
    return RawTable("xlsx", collector.rows, collector.too_many)
