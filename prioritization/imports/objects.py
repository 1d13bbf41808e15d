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

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from prioritization.imports.cells import as_number, as_text, refused
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
from prioritization.imports.readers import RawRow, column_letter, is_blank, read_table
from prioritization.model import CANDIDATE, InfraObject
from prioritization.planning import fileformat as plan_format
from prioritization.planning.model import EMPTY as NO_PLAN
from prioritization.report import planning as words
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
            items = [(k, v) for k, v in obj.items() if k != "plan"] + list(plan_cells(obj.get("plan"), self.lang).items())
            for key, value in items:
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
                        {k: v for k, v in r.items() if k not in CORE_KEYS and k != "plan"},
                        plan_format.parse(r["plan"], "plan")[0] or NO_PLAN if "plan" in r else NO_PLAN)
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
    _check_dependencies(rows, numbers, columns, set(existing_ids), issues)
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
        if refused(cell, issues, row, letter):
            continue
        text = as_text(cell)
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
    plan_values: dict[str, Any] = {}  # an object's plan (issue 14): key without "plan." -> value
    errors_before = len(issues.errors)
    for col in columns:
        cell = raw.cells[col.index] if col.index < len(raw.cells) else None
        kind = col.spec.kind if col.spec else "attribute"
        if is_blank(cell):
            if kind == "name":
                issues.add("empty_name", row=row, column=col.header)
            continue
        if kind in COORDINATE_LIMITS:
            blank_coordinates.discard(kind)
        if refused(cell, issues, row, col.header):
            id_state = "rejected" if kind == "id" else id_state
            continue

        if kind in ("id", "name"):
            text = as_text(cell)
            if is_dangerous(text):
                issues.add("formula_like", row=row, column=col.header, char=quote(_lead(text)))
                id_state = "rejected" if kind == "id" else id_state
            else:
                obj[col.key] = text
                id_state = "given" if kind == "id" else id_state
        elif kind in ("cost", "lat", "lon"):
            number = as_number(cell)
            if number is None:
                issues.add("not_a_number", row=row, column=col.header, value=quote(as_text(cell)))
            elif kind == "cost" and number < 0:
                issues.add("negative_cost", row=row, column=col.header, value=as_text(cell))
            elif kind in COORDINATE_LIMITS and abs(number) > COORDINATE_LIMITS[kind]:
                what = {"lat": ("Latituden", "The latitude"), "lon": ("Longituden", "The longitude")}[kind]
                issues.add("out_of_range", row=row, column=col.header, what=what[0], what_en=what[1],
                           value=as_text(cell), limit=COORDINATE_LIMITS[kind])
            else:
                obj[col.key] = number
        elif kind == "status":
            text = as_text(cell)
            status = STATUS_ALIASES.get(text.casefold())
            if status is None:
                issues.add("unknown_status", row=row, column=col.header, value=quote(text))
            else:
                obj["status"] = status
        elif kind == "list":
            items = [s.strip() for s in re.split(r"[;,]", as_text(cell)) if s.strip()]
            _warn_formula_like(items, row, col, issues)
            if items:
                obj[col.key] = items
        elif kind == "text":
            text = as_text(cell)
            _warn_formula_like([text], row, col, issues)
            obj[col.key] = text
        elif col.key.startswith(PLAN_PREFIX):
            value = _read_plan_cell(kind, cell, row, col, issues)
            if value is not _MISSING:
                plan_values[col.key[len(PLAN_PREFIX):]] = value
        else:  # unknown column: a free attribute; workbook numbers and booleans stay typed
            value = _as_attribute(cell)
            if isinstance(value, str):
                _warn_formula_like([value], row, col, issues)
            obj[col.key] = value

    if len(blank_coordinates) == 1:
        given = ({"lat", "lon"} - blank_coordinates).pop()
        if given in obj:  # the other coordinate is valid and this one is empty
            issues.add("coordinate_incomplete", row=row, given=given)
    if plan_values:
        headers = {c.key[len(PLAN_PREFIX):]: c.header for c in columns if c.key.startswith(PLAN_PREFIX)}
        plan = _assemble_plan(plan_values, headers, obj.get("cost"), row, issues,
                              clean=len(issues.errors) == errors_before)
        if plan:
            obj["plan"] = plan
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
def _as_attribute(value: Any) -> Any:
    """A cell of an unknown column: finite workbook numbers and booleans as they are, else text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = as_number(value)
        return number if number is not None else as_text(value)
    if isinstance(value, timedelta):
        return str(value)
    return as_text(value)


# --- an object's plan (issue 14) -----------------------------------------------------------------
# Columns with keys "plan.<path>" fill the object's ``plan`` (docs/project-file.md#plan). Controlled
# lists take their ids or their Swedish or English words; a planning stage that is not in the list
# is kept word for word as the stage note, with a warning. Everything else that cannot be read is an
# error of its row and column, like the other columns.

PLAN_PREFIX = "plan."
_MISSING = object()


def _word(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.casefold()).strip()


# words people use that are not the lists' labels
_SYNONYMS: dict[str, dict[str, str]] = {
    "stage": {"fastställd": "adopted", "öppnad": "opened", "öppen": "opened", "ingen": "none"},
    "avs": {"ingen": "none", "planerad": "planned", "pågår": "ongoing", "pagar": "ongoing", "klar": "done"},
    "method": {"successiv": "successive", "grov": "rough", "annan": "other"},
    "plan": {"np": "NP", "lp": "LP"},
}


@cache
def _choices(kind: str) -> dict[str, str]:
    """Normalised word -> id of a controlled list (ids, then Swedish and English words, then the
    parts of words such as "Åtgärdsvalsstudie (ÅVS)" or "Idé/screening")."""
    out: dict[str, str] = {}
    for value in words.LISTS[kind]:
        out.setdefault(_word(value), value)
    for lang in LANGS:
        for value, label in words.options(kind, lang).items():
            out.setdefault(_word(label), value)
    for lang in LANGS:
        for value, label in words.options(kind, lang).items():
            before, _, inside = label.partition(" (")
            for part in (before, inside.rstrip(")"), *label.split("/")):
                if part.strip():
                    out.setdefault(_word(part), value)
    for word, value in _SYNONYMS.get(kind, {}).items():
        out.setdefault(_word(word), value)
    return out


def _allowed(kind: str, lang: str) -> str:
    return ", ".join(words.options(kind, lang).values()).lower() if kind != "plan" else "NP, LP"


def _stockholm_today() -> date:
    return plan_format.stockholm_today()


def _read_plan_cell(kind: str, cell: Any, row: int, col: _Column, issues: Issues) -> Any:
    """The value of one plan cell (``_MISSING`` after reporting why it cannot be used)."""
    header = col.header
    if kind in ("plan_cost", "plan_number"):
        number = as_number(cell)
        if number is None:
            issues.add("not_a_number", row=row, column=header, value=quote(as_text(cell)))
            return _MISSING
        if kind == "plan_cost" and number < 0:
            issues.add("negative_cost", row=row, column=header, value=as_text(cell))
            return _MISSING
        return number
    if kind == "year":
        number, top = as_number(cell), _stockholm_today().year
        if number is None or number != int(number) or not 1950 <= number <= top:
            issues.add("not_a_year", row=row, column=header, value=quote(as_text(cell)), max=top)
            return _MISSING
        return int(number)
    if kind == "date":
        if isinstance(cell, datetime):
            return cell.date().isoformat()
        if isinstance(cell, date):
            return cell.isoformat()
        text = as_text(cell)
        try:
            return date.fromisoformat(text).isoformat() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else _bad_date(
                text, row, header, issues)
        except ValueError:
            return _bad_date(text, row, header, issues)
    if kind == "price_level":
        text = f"{cell.year:04d}-{cell.month:02d}" if isinstance(cell, (date, datetime)) else as_text(cell)
        m = plan_format.PRICE_LEVEL.fullmatch(text)
        month = int(m.group(2)) if m and m.group(2) else 1
        if m is None or not 1 <= month <= 12:
            issues.add("not_a_price_level", row=row, column=header, value=quote(text))
            return _MISSING
        today = _stockholm_today()
        if (int(m.group(1)), month) > (today.year, today.month):
            issues.add("future_price_level", row=row, column=header, value=text, today=today.isoformat())
            return _MISSING
        return text
    text = as_text(cell)
    if kind == "period":
        m = plan_format.PERIOD.fullmatch(text)
        if m is None or int(m.group(1)) > int(m.group(2)):
            issues.add("not_a_period", row=row, column=header, value=quote(text))
            return _MISSING
        return f"{m.group(1)}–{m.group(2)}"  # one dash, so one plan period is one key
    if kind == "stage":
        found = _choices("stage").get(_word(text))
        if found is None:
            _warn_formula_like([text], row, col, issues)
            issues.add("stage_as_note", row=row, column=header, value=quote(text), allowed=_allowed("stage", "sv"),
                       allowed_en=_allowed("stage", "en"))
            return ("note", text)
        return found
    if kind.startswith("choice:"):
        found = _choices(kind[7:]).get(_word(text))
        if found is None:
            issues.add("unknown_choice", row=row, column=header, value=quote(text),
                       allowed=_allowed(kind[7:], "sv"), allowed_en=_allowed(kind[7:], "en"))
            return _MISSING
        return found
    if kind == "ids":
        items = [s.strip() for s in re.split(r"[;,]", text) if s.strip()]
        bad = next((x for x in items if is_dangerous(x)), None)
        if bad is not None:
            issues.add("formula_like", row=row, column=header, char=quote(_lead(bad)))
            return _MISSING
        twice = next((x for i, x in enumerate(items) if x in items[:i]), None)
        if twice is not None:
            issues.add("listed_twice", row=row, column=header, id=quote(twice))
            return _MISSING
        return items or _MISSING
    if kind in ("plan_id", "plan_name") and is_dangerous(text):  # ids and names: refused like id and namn
        issues.add("formula_like", row=row, column=header, char=quote(_lead(text)))
        return _MISSING
    _warn_formula_like([text], row, col, issues)
    return text


def _bad_date(text: str, row: int, header: str, issues: Issues) -> Any:
    issues.add("not_a_date", row=row, column=header, value=quote(text))
    return _MISSING


def _assemble_plan(values: dict[str, Any], headers: dict[str, str], cost: Any, row: int, issues: Issues,
                   clean: bool) -> dict[str, Any] | None:
    """The object's ``plan`` from its plan cells (keys without "plan."), with the rules that span
    cells: a plan reference needs plan and period, ÅVS data a status, a date who checked, the cost
    range low ≤ high around the object's cost. ``clean``: no cell of the row had an error, so the
    result is read once more by the project file's own reader (a safety net) and written in its
    canonical form."""
    def part(prefix: str) -> dict[str, Any]:
        return {k[len(prefix):]: v for k, v in values.items() if k.startswith(prefix)}

    def first_header(prefix: str) -> str | None:
        return next((h for k, h in headers.items() if k.startswith(prefix)), None)

    errors_before = len(issues.errors)
    plan: dict[str, Any] = {}
    if ref := part("refs."):
        missing = [(sv, en) for key, sv, en in (("plan", "plan", "plan"), ("period", "planperiod", "plan period"))
                   if key not in ref]
        if missing:
            issues.add("plan_ref_incomplete", row=row, column=first_header("refs."),
                       missing=" och ".join(m[0] for m in missing), missing_en=" and ".join(m[1] for m in missing))
        else:
            plan["refs"] = [ref]
    stage = values.get("stage")
    note = values.get("stage_note")
    if isinstance(stage, tuple):  # not in the list: the words become the note, after a note given
        note = f"{note}\n{stage[1]}" if note else stage[1]
        stage = None
    if stage is not None:
        plan["stage"] = stage
    if note is not None:
        plan["stage_note"] = note
    if avs := part("avs."):
        if "status" not in avs:
            issues.add("avs_needs_status", row=row, column=headers.get("avs.status") or first_header("avs."))
        else:
            plan["avs"] = avs
    if seb := part("seb."):
        plan["seb"] = seb
    if "evidence" in values:
        plan["evidence"] = values["evidence"]
    if cost_range := part("cost."):
        low, high = cost_range.get("low"), cost_range.get("high")
        if low is not None and high is not None and low > high:
            issues.add("cost_range_reversed", row=row, column=headers.get("cost.low"), low=_number_text(low),
                       high=_number_text(high))
        elif isinstance(cost, (int, float)) and (low is not None and cost < low or high is not None and cost > high):
            issues.add("cost_outside_range", row=row, column=headers.get("cost.low") or headers.get("cost.high"),
                       cost=_number_text(cost), low="…" if low is None else _number_text(low),
                       high="…" if high is None else _number_text(high))
        plan["cost"] = cost_range
    for key in ("requires", "excludes"):
        if key in values:
            plan[key] = values[key]
    if both := [x for x in plan.get("requires", []) if x in plan.get("excludes", [])]:
        issues.add("required_and_excluded", row=row, column=headers.get("excludes"), id=quote(both[0]))
    if "package" in values:
        plan["package"] = values["package"]
    if verified := part("verified."):
        if set(verified) != {"date", "by"}:
            absent = "verifierad_datum" if "date" not in verified else "verifierad_av"
            issues.add("verified_incomplete", row=row, column=first_header("verified."), missing=absent)
        else:
            plan["verified"] = verified
    if not plan:
        return None
    if clean and len(issues.errors) == errors_before:
        parsed, problems = plan_format.parse(plan, "plan")
        for place, message in problems:
            issues.add("plan_invalid", row=row, place=place, message=message)
        if parsed is not None:
            return plan_format.to_data(parsed)
    return plan


def _number_text(x: float) -> str:
    return (f"{x:g}" if abs(x) < 1e15 else str(x)).replace(".", ",")


def _check_dependencies(rows: list[dict[str, Any]], numbers: list[int], columns: list[_Column],
                        existing: set[str], issues: Issues) -> None:
    """Required and excluded objects must be in the file or the round, never the object itself, and
    the file's objects must not require each other in a circle."""
    headers = {c.key: c.header for c in columns}
    known = existing | {r["id"] for r in rows if r.get("id")}
    for obj, number in zip(rows, numbers, strict=True):
        plan = obj.get("plan") or {}
        for key in ("requires", "excludes"):
            for other in plan.get(key, []):
                if other == obj.get("id"):
                    issues.add("self_ref", row=number, column=headers.get(f"{PLAN_PREFIX}{key}"), id=quote(other))
                elif other not in known:
                    issues.add("unknown_object_ref", row=number, column=headers.get(f"{PLAN_PREFIX}{key}"),
                               id=quote(other))
    edges = {r["id"]: tuple(x for x in (r.get("plan") or {}).get("requires", []) if x != r["id"])
             for r in rows if r.get("id")}  # naming itself is reported above, not as a circle
    if cycle := plan_format.find_cycle(edges):
        number = next(n for r, n in zip(rows, numbers, strict=True) if r.get("id") == cycle[0])
        issues.add("dependency_cycle", row=number, column=headers.get(f"{PLAN_PREFIX}requires"),
                   cycle=" → ".join([*cycle, cycle[0]]))


def plan_cells(plan: dict[str, Any] | None, lang: str) -> dict[str, Any]:
    """An imported ``plan`` as the import columns' values (key -> value in words), for the preview."""
    if not plan:
        return {}
    flat: dict[str, Any] = {}
    for key, value in plan.items():
        if key == "refs" and value:
            flat.update({f"refs.{k}": v for k, v in value[0].items()})
        elif isinstance(value, dict):
            flat.update({f"{key}.{k}": v for k, v in value.items()})
        else:
            flat[key] = value
    kinds = {"stage": "stage", "evidence": "evidence", "refs.plan": "plan", "refs.phase": "phase",
             "avs.status": "avs", "cost.method": "method"}
    out: dict[str, Any] = {}
    for key, value in flat.items():
        if f"{PLAN_PREFIX}{key}" not in BY_KEY:
            continue
        if key in kinds:
            value = words.label(kinds[key], value, lang) if kinds[key] != "plan" else value
        elif isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        out[f"{PLAN_PREFIX}{key}"] = value
    return {k: out[k] for k in BY_KEY if k in out}  # in the columns' order
