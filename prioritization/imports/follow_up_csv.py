"""A bulk status update of the follow-up (bevakning) from a CSV or Excel file: parse, check, preview.
No UI and no storage here; :func:`prioritization.storage.timeline.record_steps` writes the rows, all
or none.

One row per step reached: ``objekt_id``, ``steg`` (the step's Swedish or English name, or its id:
``Byggstart``, ``construction_started``; a few short words such as ``omtag``, ``utgår``, ``samråd``
too), ``datum`` (``YYYY-MM-DD``; ``YYYY-MM`` when only the month is known, ``YYYY`` when only the
year is, which sets the step's precision), and optionally ``anteckning`` and ``källa``. English
headers (``object_id``, ``step``, ``date``, ``note``, ``source``) are accepted too; a column
``objektnamn`` (the template's, for the reader) is not read. The file is read by
:func:`prioritization.imports.readers.read_table` like the object import, and every problem is an
:class:`~prioritization.imports.messages.ImportIssue` with its row and column.

Errors (nothing may be stored): an unknown object, an unknown step, a missing or bad date, a date
after today, the same object and step twice. Warnings: a step already recorded is replaced; a row
with neither step nor date is skipped (the template lists the followed-up objects with those
empty); unknown columns are not read; a note or source that looks like a spreadsheet formula.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from prioritization import i18n, safe_text
from prioritization.imports.cells import as_text as cell_text
from prioritization.imports.cells import refused
from prioritization.imports.columns import header_key
from prioritization.imports.messages import LANGS, MAX_COLUMNS, ImportIssue, Issues, quote
from prioritization.imports.readers import RawRow, column_letter, is_blank, read_table
from prioritization.model import COMMITTED, Project
from prioritization.safe_text import is_dangerous
from prioritization.timeline.follow_up import STEPS, FollowUpStep
from prioritization.timeline.labels import step_label, step_when


@dataclass(frozen=True)
class Column:
    key: str  # object | name | step | date | note | source
    header_sv: str
    header_en: str
    aliases: tuple[str, ...] = ()
    required: bool = False


COLUMNS = (
    Column("object", "objekt_id", "object_id", ("id", "objekt", "object", "objektid"), required=True),
    Column("name", "objektnamn", "object_name", ("namn", "name")),  # for the reader; not read
    Column("step", "steg", "step", (), required=True),
    Column("date", "datum", "date", (), required=True),
    Column("note", "anteckning", "note", ("kommentar", "comment")),
    Column("source", "källa", "source", ("kalla",)),
)
HEADERS = [c.header_sv for c in COLUMNS]
_LOOKUP = {header_key(h): c for c in COLUMNS for h in (c.header_sv, c.header_en, *c.aliases)}

# short words people write for a step, beside its id and its Swedish and English names
STEP_ALIASES = {
    "åvs": "avs_done", "åtgärdsvalsstudie": "avs_done",
    "avtal": "agreement_signed", "avsiktsförklaring": "agreement_signed",
    "länsplan": "regional_plan", "länsplanen": "regional_plan",
    "nationell plan": "national_plan", "nationella planen": "national_plan",
    "förberedelse": "preparation", "samråd": "consultation", "granskning": "consultation",
    "laga kraft": "plan_approved", "fastställd": "plan_approved",
    "byggstartsbeslut": "construction_decision", "byggstart": "construction_started",
    "öppnad": "opened", "omtag": "rework", "utgår": "removed", "avbruten": "cancelled",
}
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
MIN_YEAR = 1900


def step_lookup() -> dict[str, str]:
    """Every accepted way of writing a step (case-folded, spaces collapsed) -> its id."""
    found = {_fold(k): v for k, v in STEP_ALIASES.items()}
    for s in STEPS:
        for text in (s, step_label(s, "sv"), step_label(s, "en")):
            found[_fold(text)] = s
    return found


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip().casefold()


def parse_date_cell(value: Any) -> tuple[date, str] | None:
    """A cell as (date, precision): a workbook date, ``YYYY-MM-DD`` (day), ``YYYY-MM`` (month, its
    first day) or ``YYYY`` (year, 1 January). None if it is none of these."""
    if isinstance(value, datetime):
        return value.date(), "day"
    if isinstance(value, date):
        return value, "day"
    m = _DATE.fullmatch(cell_text(value))
    if m is None or int(m.group(1)) < MIN_YEAR:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if day is not None:
            return date(year, int(month), int(day)), "day"
        if month is not None:
            return date(year, int(month), 1), "month"
        return date(year, 1, 1), "year"
    except ValueError:
        return None


@dataclass(frozen=True)
class FollowUpImport:
    """The outcome of reading a status file. ``rows`` are ready for
    :func:`~prioritization.storage.timeline.record_steps` (``object``, ``step``, ``date``,
    ``precision``, ``note``, ``source``), with ``row_numbers`` their spreadsheet rows and
    ``replaces`` the step each one replaces (None for a new step). When ``ok`` is False nothing may
    be stored; the rows are then only the readable ones."""

    rows: list[dict[str, Any]]
    errors: list[ImportIssue]
    warnings: list[ImportIssue]
    row_numbers: list[int] = field(default_factory=list)
    replaces: list[FollowUpStep | None] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # object id -> name in ``lang``
    file_format: str | None = None
    lang: str = "sv"

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def preview(self) -> list[dict[str, Any]]:
        """The rows for display, headers and values in ``lang``: file row, object, step, date (as
        precise as given), note, source and what the row does (a new step, or which it replaces)."""
        lang = self.lang
        heads = {"sv": ("rad i filen", "Objekt", "Steg", "Datum", "Anteckning", "Källa", "Ändring"),
                 "en": ("file row", "Object", "Step", "Date", "Note", "Source", "Change")}[lang]
        out = []
        for number, row, earlier in zip(self.row_numbers, self.rows, self.replaces, strict=True):
            step = FollowUpStep(row["step"], row["date"], row["precision"])
            change = (i18n.t("followup.bulk.new_step", lang) if earlier is None
                      else i18n.t("followup.bulk.replaces", lang, when=step_when(earlier, lang)))
            out.append(dict(zip(heads, (number, self.names.get(row["object"], row["object"]),
                                        step_label(row["step"], lang), step_when(step, lang),
                                        row["note"] or "", row["source"] or "", change), strict=True)))
        return out


def parse_follow_up_file(data: bytes, filename: str, project: Project, today: date,
                         lang: str = "sv") -> FollowUpImport:
    """Read and check a status file against the round (``project``: its objects and their tracks)
    and ``today`` (no step may lie after it). Never raises on bad data."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")
    issues = Issues()
    names = {o.id: o.label(lang) for o in project.objects}
    table = read_table(bytes(data), filename, issues)
    if table is None:
        return _result(issues, lang, names)
    if table.too_many_rows:
        issues.add("too_many_rows")
        return _result(issues, lang, names, file_format=table.file_format)
    header, *body = table.rows
    columns = _read_header(header, issues)
    if columns is None:
        return _result(issues, lang, names, file_format=table.file_format)
    width = header.last + 1
    steps_of = step_lookup()
    rows: list[dict[str, Any]] = []
    numbers: list[int] = []
    replaces: list[FollowUpStep | None] = []
    first: dict[tuple[str, str], int] = {}
    seen_any = False
    for raw in body:
        if table.file_format == "csv" and raw.last >= width:
            issues.add("too_many_cells", row=raw.number)
            continue
        cells = {key: (raw.cells[i] if i < len(raw.cells) else None, text) for key, (i, text) in columns.items()}
        if is_blank(cells["step"][0]) and is_blank(cells["date"][0]):
            issues.add("followup_row_skipped", row=raw.number)
            continue
        seen_any = True
        row = _read_row(raw, cells, names, steps_of, today, issues)
        if row is None:
            continue
        key = (row["object"], row["step"])
        if key in first:
            issues.add("followup_duplicate_row", row=raw.number, column=cells["step"][1], first=first[key])
            continue
        first[key] = raw.number
        track = project.follow_up_of(row["object"])
        earlier = track.step(row["step"]) if track is not None else None
        if earlier is not None:
            issues.add("followup_replaces", row=raw.number, column=cells["step"][1],
                       when=step_when(earlier, "sv"), when_en=step_when(earlier, "en"))
        rows.append(row)
        numbers.append(raw.number)
        replaces.append(earlier)
    if not seen_any and not issues.errors:
        issues.add("followup_no_rows")
    return _result(issues, lang, names, rows, numbers, replaces, file_format=table.file_format)


def _result(issues: Issues, lang: str, names: dict[str, str], rows: list[dict[str, Any]] | None = None,
            numbers: list[int] | None = None, replaces: list[FollowUpStep | None] | None = None,
            file_format: str | None = None) -> FollowUpImport:
    def by_place(issue: ImportIssue) -> tuple[bool, int]:
        return issue.row is not None, issue.row or 0

    return FollowUpImport(rows or [], sorted(issues.errors, key=by_place), sorted(issues.warnings, key=by_place),
                          numbers or [], replaces or [], names, file_format, lang)


def _read_header(header: RawRow, issues: Issues) -> dict[str, tuple[int, str]] | None:
    """``{key: (column index, header as written)}`` of the read columns, or None after an error."""
    row = header.number
    if header.last >= MAX_COLUMNS:
        issues.add("too_many_columns", row=row, max=MAX_COLUMNS)
        return None
    found: dict[str, tuple[int, str]] = {}
    unknown: list[str] = []
    for i, cell in enumerate(header.cells):
        if is_blank(cell):
            continue
        if refused(cell, issues, row, column_letter(i)):
            continue
        text = cell_text(cell)
        spec = _LOOKUP.get(header_key(text))
        if spec is None:
            unknown.append(text)
        elif spec.key in found:
            issues.add("duplicate_column", row=row, column=text, header=quote(text),
                       first=f"{column_letter(found[spec.key][0])} ({found[spec.key][1]})")
        else:
            found[spec.key] = (i, text)
    if not found and not issues.errors:
        issues.add("followup_no_header", row=row)
        return None
    for spec in COLUMNS:
        if spec.required and spec.key not in found:
            issues.add("missing_required_column", row=row, header_sv=spec.header_sv, header_en=spec.header_en)
    if issues.errors:
        return None
    for text in unknown:
        issues.add("followup_unknown_column", row=row, column=text, header=quote(text))
    return {key: found.get(key, (MAX_COLUMNS + 1, "")) for key in ("object", "step", "date", "note", "source")}


def _read_row(raw: RawRow, cells: dict[str, tuple[Any, str]], names: dict[str, str], steps_of: dict[str, str],
              today: date, issues: Issues) -> dict[str, Any] | None:
    """One row as a record_steps row, or None after reporting its errors."""
    row = raw.number
    n = len(issues.errors)
    out: dict[str, Any] = {"object": None, "step": None, "date": None, "precision": "day", "note": None,
                           "source": None}
    for key in ("object", "step", "date", "note", "source"):
        value, header = cells[key]
        if is_blank(value):
            if key in ("object", "step", "date"):
                issues.add(f"followup_empty_{key}", row=row, column=header)
            continue
        if refused(value, issues, row, header):
            continue
        if key == "object":
            oid = cell_text(value)
            if oid not in names:
                issues.add("followup_unknown_object", row=row, column=header, id=quote(oid))
            out["object"] = oid
        elif key == "step":
            text = cell_text(value)
            step = steps_of.get(_fold(text))
            if step is None:
                issues.add("followup_unknown_step", row=row, column=header, value=quote(text),
                           steps=", ".join(step_label(s, "sv") for s in STEPS),
                           steps_en=", ".join(step_label(s, "en") for s in STEPS))
            out["step"] = step
        elif key == "date":
            parsed = parse_date_cell(value)
            if parsed is None:
                issues.add("followup_bad_date", row=row, column=header, value=quote(cell_text(value)))
            elif parsed[0] > today:
                issues.add("followup_future_date", row=row, column=header, value=quote(cell_text(value)),
                           today=today.isoformat())
            else:
                out["date"], out["precision"] = parsed
        else:
            text = cell_text(value)
            if is_dangerous(text):
                issues.add("formula_like_text", row=row, column=header, char=quote(text.lstrip(" \u00a0")[:1]))
            out[key] = text
    return out if len(issues.errors) == n else None


def template_csv(project: Project | None = None) -> bytes:
    """The status file template: UTF-8 with BOM, ``;`` delimiter (Excel in Swedish opens it as it
    is), the Swedish headers and one row per followed-up object of ``project`` (committed objects
    and objects with a track) with its id and name and the step and date left empty, to fill in
    where something happened (rows left empty are skipped)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    if project is not None:
        tracked = {f.object for f in project.follow_up}
        for o in project.objects:
            if o.status == COMMITTED or o.id in tracked:
                writer.writerow([safe_text.neutralise(o.id), safe_text.neutralise(o.name), "", "", "", ""])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
