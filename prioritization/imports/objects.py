"""Import objects (objekt) from a CSV or Excel (.xlsx) file: parse, check, preview. No UI here.

:func:`parse_objects` turns an uploaded file into rows in the project file's object format
(``docs/project-file.md``) plus a list of errors and warnings, each with the spreadsheet row (the
header is normally row 1) and column header. It never raises on bad user data; every problem goes
into ``errors`` or ``warnings``. An import with errors must store nothing (``ImportResult.ok``).

Rules, in short:

* Texts (ids, names, descriptions, ...) are kept exactly as written except that surrounding
  whitespace is trimmed; nothing else is changed, case-folded or re-spelt.
* Numbers accept Swedish formats: decimal comma and space (also no-break space) as thousands
  separator ("1 200,5"), as well as "1200.5". Whole numbers are stored as ``int``.
* Cells that look like spreadsheet formulas (starting with ``=``, ``+``, ``-``, ``@``, tab or
  carriage return; OWASP "CSV injection") are an **error** in ``id`` and ``namn`` and a **warning**
  in other text columns. Ids and names are shown and exported everywhere (rankings, CSV/Excel
  exports, printouts), a real name practically never starts with these characters, and an id cannot
  be corrected later without breaking the scores that refer to it; so they are rejected. Free text
  such as a description legitimately starts with "-" (a list) or "+" and must not be changed
  [S0.4], so it is imported as written with a warning; whoever exports text to a spreadsheet must
  neutralise such cells at export time. Number columns are parsed as numbers and never stored as
  text, so "-5" there is simply a (negative) number.
* Real formulas in a workbook (cells whose type is formula) are an error everywhere: the file is
  read with ``data_only=False`` so their values are unknown ("klistra in värden").
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from prioritization.imports.columns import (
    BY_KEY,
    EXAMPLE_NAME,
    HEADER_LOOKUP,
    REQUIRED,
    STATUS_ALIASES,
    STATUS_LABELS,
    ColumnSpec,
    header_key,
)
from prioritization.imports.messages import LANGS, MAX_COLUMNS, ImportIssue, Issues, quote
from prioritization.imports.readers import CellError, Formula, RawRow, column_letter, is_blank, read_table
from prioritization.model import CANDIDATE, InfraObject
from prioritization.safe_text import is_dangerous

ID_PREFIX = "OBJ-"
CORE_KEYS = ("id", "name", "cost", "status")
COORDINATE_LIMITS = {"lat": 90, "lon": 180}


@dataclass(frozen=True)
class ImportResult:
    """The outcome of an import.

    ``rows`` are project-file objects (``id``, ``name``, ``cost``, ``status`` and attributes) in file
    order, with ``row_numbers`` giving each one's spreadsheet row. When ``ok`` is False the rows are
    for the preview only (cells with errors are left out) and nothing may be stored.
    """

    rows: list[dict[str, Any]]
    errors: list[ImportIssue]
    warnings: list[ImportIssue]
    row_numbers: list[int] = field(default_factory=list)
    file_format: str | None = None  # "csv" | "xlsx"
    encoding: str | None = None  # CSV only
    delimiter: str | None = None  # CSV only
    lang: str = "sv"

    @property
    def ok(self) -> bool:
        return not self.errors

    def preview(self) -> list[dict[str, Any]]:
        """The rows as flat dicts for display: the file row first, headers in ``lang``, lists joined,
        the status as a label; every dict has the same keys (missing values are None)."""
        labels = {c.key: (c.header_sv if self.lang == "sv" else c.header_en) for c in BY_KEY.values()}
        row_label = "rad i filen" if self.lang == "sv" else "file row"
        flat_rows: list[dict[str, Any]] = []
        order: dict[str, None] = {row_label: None}
        for number, obj in zip(self.row_numbers, self.rows, strict=True):
            flat: dict[str, Any] = {row_label: number}
            for key, value in obj.items():
                if key == "status":
                    value = STATUS_LABELS[self.lang].get(value, value)
                elif isinstance(value, list):
                    value = ", ".join(str(v) for v in value)
                label = labels.get(key, key)
                flat[label] = value
                order.setdefault(label)
            flat_rows.append(flat)
        return [{k: flat.get(k) for k in order} for flat in flat_rows]

    def objects(self) -> list[InfraObject]:
        """The rows as model objects. Only for a successful import."""
        if not self.ok:
            raise ValueError("the import has errors; nothing may be stored")
        return [
            InfraObject(r["id"], r["name"], r["cost"], r["status"],
                        {k: v for k, v in r.items() if k not in CORE_KEYS})
            for r in self.rows
        ]


@dataclass(frozen=True)
class _Column:
    index: int  # 0-based position in the row
    header: str  # as written, trimmed
    spec: ColumnSpec | None  # None: an unknown column, kept as a free attribute named `header`

    @property
    def key(self) -> str:
        return self.spec.key if self.spec else self.header


def parse_objects(
    data: bytes,
    filename: str,
    existing_ids: Collection[str] = frozenset(),
    lang: str = "sv",
) -> ImportResult:
    """Parse an uploaded CSV or XLSX file of objects; see the module docstring for the rules.

    ``existing_ids`` are the ids already in the project: a row using one is an error, and generated
    ids (``OBJ-001``, ``OBJ-002``, ...) skip them. ``lang`` ("sv" or "en") selects the preview's
    labels; every issue carries both languages.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"data must be bytes, got {type(data).__name__}")
    issues = Issues()
    table = read_table(bytes(data), filename, issues)
    if table is None:
        return _result(issues, lang)
    info = {"file_format": table.file_format, "encoding": table.encoding, "delimiter": table.delimiter}
    if table.too_many_rows:
        issues.add("too_many_rows")
        return _result(issues, lang, **info)
    header, *body = table.rows
    columns = _read_header(header, issues)
    if columns is None:
        return _result(issues, lang, **info)
    if not body:
        issues.add("no_data_rows")
        return _result(issues, lang, **info)
    _check_unread_cells(header, body, columns, table.file_format, issues)

    rows: list[dict[str, Any]] = []
    id_states: list[str] = []
    for raw in body:
        obj, id_state = _read_row(raw, columns, issues)
        rows.append(obj)
        id_states.append(id_state)
    numbers = [raw.number for raw in body]
    id_column = next((c for c in columns if c.key == "id"), None)
    _check_and_generate_ids(rows, numbers, id_states, id_column, set(existing_ids), issues)
    _check_names(rows, numbers, next(c for c in columns if c.key == "name"), issues)
    return _result(issues, lang, rows, numbers, **info)


def _result(issues: Issues, lang: str, rows: list[dict[str, Any]] | None = None,
            numbers: list[int] | None = None, **info: Any) -> ImportResult:
    def by_place(issue: ImportIssue) -> tuple[bool, int]:
        return issue.row is not None, issue.row or 0

    return ImportResult(rows or [], sorted(issues.errors, key=by_place), sorted(issues.warnings, key=by_place),
                        numbers or [], lang=lang, **info)


# --- header --------------------------------------------------------------------------------------


def _read_header(header: RawRow, issues: Issues) -> list[_Column] | None:
    """The columns of the header row, or None after reporting why the header cannot be used."""
    row = header.number
    if header.last >= MAX_COLUMNS:
        issues.add("too_many_columns", row=row, max=MAX_COLUMNS)
        return None
    errors_before = len(issues.errors)
    columns: list[_Column] = []
    seen: dict[str, _Column] = {}
    for i, cell in enumerate(header.cells):
        if is_blank(cell):
            continue
        letter = column_letter(i)
        if isinstance(cell, Formula):
            issues.add("formula", row=row, column=letter, formula=quote(cell.text))
            continue
        if isinstance(cell, CellError):
            issues.add("excel_error_value", row=row, column=letter, value=cell.text)
            continue
        text = _as_text(cell)
        spec = HEADER_LOOKUP.get(header_key(text))
        match = spec.key if spec else header_key(text)
        if match in seen:
            issues.add("duplicate_column", row=row, column=text, header=quote(text),
                       first=f"{column_letter(seen[match].index)} ({seen[match].header})")
            continue
        if spec is None and is_dangerous(text):
            issues.add("formula_like", row=row, column=text, char=quote(_lead(text)))
            continue
        seen[match] = _Column(i, text, spec)
        columns.append(seen[match])
    if len(issues.errors) == errors_before and not any(c.spec for c in columns):
        issues.add("no_header", row=row)
        return None
    for spec in REQUIRED:
        if spec.key not in seen:
            issues.add("missing_required_column", row=row, header_sv=spec.header_sv, header_en=spec.header_en)
    if len(issues.errors) > errors_before:
        return None
    for c in columns:
        if c.spec is None:
            issues.add("unknown_column", row=row, column=c.header, header=quote(c.header), key=quote(c.header))
    return columns


def _check_unread_cells(header: RawRow, body: list[RawRow], columns: list[_Column], file_format: str,
                        issues: Issues) -> None:
    """Values that no column takes. In a CSV file a row longer than the header is an error (typically
    a decimal comma in a comma-separated file, which shifts the cells); other values without a
    header (notes beside the table in a workbook) are reported once per column and not imported."""
    used = {c.index for c in columns}
    width = header.last + 1
    unnamed: dict[int, int] = {}
    for raw in body:
        if file_format == "csv" and raw.last >= width:
            issues.add("too_many_cells", row=raw.number)
            continue
        for i, cell in enumerate(raw.cells):
            if i not in used and not is_blank(cell):
                unnamed.setdefault(i, raw.number)
        if raw.last >= len(raw.cells):
            unnamed.setdefault(raw.last, raw.number)
    for i, first_row in sorted(unnamed.items()):
        issues.add("unnamed_column", row=first_row, letter=column_letter(i))


# --- rows ----------------------------------------------------------------------------------------


def _read_row(raw: RawRow, columns: list[_Column], issues: Issues) -> tuple[dict[str, Any], str]:
    """One object (cells with errors left out) and the state of its id: given, empty or rejected."""
    row = raw.number
    obj: dict[str, Any] = {"id": None, "name": None, "cost": None, "status": CANDIDATE}
    id_state = "empty"
    blank_coordinates = set(COORDINATE_LIMITS)
    for col in columns:
        cell = raw.cells[col.index] if col.index < len(raw.cells) else None
        kind = col.spec.kind if col.spec else "attribute"
        if is_blank(cell):
            if kind == "name":
                issues.add("empty_name", row=row, column=col.header)
            continue
        if kind in COORDINATE_LIMITS:
            blank_coordinates.discard(kind)
        if isinstance(cell, Formula):
            issues.add("formula", row=row, column=col.header, formula=quote(cell.text))
            id_state = "rejected" if kind == "id" else id_state
            continue
        if isinstance(cell, CellError):
            issues.add("excel_error_value", row=row, column=col.header, value=cell.text)
            id_state = "rejected" if kind == "id" else id_state
            continue

        if kind in ("id", "name"):
            text = _as_text(cell)
            if is_dangerous(text):
                issues.add("formula_like", row=row, column=col.header, char=quote(_lead(text)))
                id_state = "rejected" if kind == "id" else id_state
            else:
                obj[col.key] = text
                id_state = "given" if kind == "id" else id_state
        elif kind in ("cost", "lat", "lon"):
            number = _as_number(cell)
            if number is None:
                issues.add("not_a_number", row=row, column=col.header, value=quote(_as_text(cell)))
            elif kind == "cost" and number < 0:
                issues.add("negative_cost", row=row, column=col.header, value=_as_text(cell))
            elif kind in COORDINATE_LIMITS and abs(number) > COORDINATE_LIMITS[kind]:
                what = {"lat": ("Latituden", "The latitude"), "lon": ("Longituden", "The longitude")}[kind]
                issues.add("out_of_range", row=row, column=col.header, what=what[0], what_en=what[1],
                           value=_as_text(cell), limit=COORDINATE_LIMITS[kind])
            else:
                obj[col.key] = number
        elif kind == "status":
            text = _as_text(cell)
            status = STATUS_ALIASES.get(text.casefold())
            if status is None:
                issues.add("unknown_status", row=row, column=col.header, value=quote(text))
            else:
                obj["status"] = status
        elif kind == "list":
            items = [s.strip() for s in re.split(r"[;,]", _as_text(cell)) if s.strip()]
            _warn_formula_like(items, row, col, issues)
            if items:
                obj[col.key] = items
        elif kind == "text":
            text = _as_text(cell)
            _warn_formula_like([text], row, col, issues)
            obj[col.key] = text
        else:  # unknown column: a free attribute; workbook numbers and booleans stay typed
            value = _as_attribute(cell)
            if isinstance(value, str):
                _warn_formula_like([value], row, col, issues)
            obj[col.key] = value

    if len(blank_coordinates) == 1:
        given = ({"lat", "lon"} - blank_coordinates).pop()
        if given in obj:  # the other coordinate is valid and this one is empty
            issues.add("coordinate_incomplete", row=row, given=given)
    return obj, id_state


def _lead(text: str) -> str:
    """The character that makes ``text`` look like a formula (after leading spaces)."""
    return text.lstrip(" \u00a0")[:1] or text[:1]


def _warn_formula_like(texts: list[str], row: int, col: _Column, issues: Issues) -> None:
    for text in texts:
        if is_dangerous(text):
            issues.add("formula_like_text", row=row, column=col.header, char=quote(_lead(text)))
            return


def _check_and_generate_ids(rows: list[dict[str, Any]], numbers: list[int], id_states: list[str],
                            id_column: _Column | None, existing: set[str], issues: Issues) -> None:
    """Given ids must be unique and new; empty ones get OBJ-001, OBJ-002, ... skipping used ids."""
    header = id_column.header if id_column else None
    first_row: dict[str, int] = {}
    for obj, number, state in zip(rows, numbers, id_states, strict=True):
        if state != "given":
            continue
        oid = obj["id"]
        if oid in existing:
            issues.add("id_exists", row=number, column=header, id=quote(oid))
        if oid in first_row:
            issues.add("duplicate_id", row=number, column=header, id=quote(oid), first=first_row[oid])
        else:
            first_row[oid] = number
    used = existing | set(first_row)
    counter = 0
    generated: list[str] = []
    for obj, number, state in zip(rows, numbers, id_states, strict=True):
        if state != "empty":
            continue
        counter += 1
        while f"{ID_PREFIX}{counter:03d}" in used:
            counter += 1
        obj["id"] = f"{ID_PREFIX}{counter:03d}"
        generated.append(obj["id"])
        if id_column is not None:
            issues.add("id_generated", row=number, column=header, id=quote(obj["id"]))
    if id_column is None and generated:
        issues.add("ids_generated", first=generated[0])


def _check_names(rows: list[dict[str, Any]], numbers: list[int], name_column: _Column, issues: Issues) -> None:
    first_row: dict[str, int] = {}
    for obj, number in zip(rows, numbers, strict=True):
        name = obj["name"]
        if name is None:
            continue
        if name == EXAMPLE_NAME:
            issues.add("example_row", row=number, column=name_column.header)
        if name in first_row:
            issues.add("duplicate_name", row=number, column=name_column.header, first=first_row[name])
        else:
            first_row[name] = number


# --- cell values ---------------------------------------------------------------------------------

# Optional sign; digits with optional groups of three separated by a space, no-break space, narrow
# no-break space or thin space; optional decimal part after a comma or a point.
_NUMBER = re.compile(r"([+-]?)([0-9]{1,3}(?:[ \u00a0\u202f\u2009][0-9]{3})+|[0-9]*)(?:[.,]([0-9]+))?")
_MAX_EXACT_INT = 2**53


def _as_number(value: Any) -> int | float | None:
    """A finite number from a cell, or None if the cell is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            x = float(value)
        except OverflowError:
            return None
    elif isinstance(value, str):
        m = _NUMBER.fullmatch(value.strip().replace("\u2212", "-"))  # U+2212 is the typographic minus
        if m is None or (not m.group(2) and m.group(3) is None):
            return None
        digits = re.sub(r"[^0-9]", "", m.group(2)) or "0"
        x = float(f"{m.group(1)}{digits}.{m.group(3) or '0'}")
    else:
        return None
    if not math.isfinite(x):
        return None
    return int(x) if x.is_integer() and abs(x) < _MAX_EXACT_INT else x


def _as_text(value: Any) -> str:
    """A cell as trimmed text; workbook numbers without a needless ".0", dates in ISO format."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < _MAX_EXACT_INT else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).strip()


def _as_attribute(value: Any) -> Any:
    """A cell of an unknown column: finite workbook numbers and booleans as they are, else text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = _as_number(value)
        return number if number is not None else _as_text(value)
    if isinstance(value, timedelta):
        return str(value)
    return _as_text(value)
