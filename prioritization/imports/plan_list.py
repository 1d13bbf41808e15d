"""Read a plan's object list: the national plan's annex (Bilaga 1, XLSX) or a region's list (XLSX
or CSV), with every problem reported by row and column like the object import. No UI here.

Bilaga 1 to the national plan 2026–2037 has the sheet "Bilaga 1" with the columns *Fasindelning,
Trafikslag, Län, Objekt ID, Objekt, Total objektkostnad* [S N10] (research/plan-round-2026.md §7);
a region's list is read with the same logical columns. Headers are matched case- and
spacing-insensitively (:func:`prioritization.imports.columns.header_key`), with aliases and with a
unit in brackets ignored ("Total objektkostnad (mnkr)"). A title or note above the header row is
skipped. The national plan's annex needs *Objekt ID*, *Objekt* and *Fasindelning*; a region's list
needs *Objekt ID* or *Objekt*. A missing or renamed required column is an error naming the expected
and the found headers, and nothing is read.

Phases are read tolerant of case, dashes and spacing ("Byggstart (år 1–3)", "byggstart år 1-3")
into :data:`prioritization.planning.vocab.PHASES` ids; an unknown phase is an error of its row.
Costs are MSEK and read with the object import's number rules (Swedish formats, "1 200,5"). An
import with errors must change nothing (:attr:`PlanListResult.ok`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from prioritization import i18n
from prioritization.imports.cells import as_number, as_text, refused
from prioritization.imports.columns import header_key
from prioritization.imports.messages import LANGS, ImportIssue, Issues, quote
from prioritization.imports.readers import CellError, Formula, RawRow, column_letter, is_blank, read_table
from prioritization.planning import vocab
from prioritization.planning.plan_changes import ListRow
from prioritization.safe_text import is_dangerous

SHEETS = ("Bilaga 1", "Bilaga1", "Objekt")  # the sheet read from a workbook, else the first visible one
HEADER_SEARCH_ROWS = 10  # the header row is looked for among the first rows (a title may come first)


@dataclass(frozen=True)
class PlanColumn:
    key: str  # ListRow field
    header_sv: str  # Bilaga 1's header
    header_en: str
    aliases: tuple[str, ...]


COLUMNS: tuple[PlanColumn, ...] = (
    PlanColumn("phase", "Fasindelning", "Phase", ("fas", "planfas", "fasindelning_i_planen", "plan_phase")),
    PlanColumn("mode", "Trafikslag", "Mode", ("transportslag",)),
    PlanColumn("county", "Län", "County", ("lan", "region")),
    PlanColumn("objekt_id", "Objekt ID", "Object ID",
               ("objektid", "objekt_nr", "objektnummer", "objekt_id_nr", "objekt_id_(trv)", "id")),
    PlanColumn("name", "Objekt", "Object", ("objektnamn", "objektets_namn", "namn", "name", "benämning", "åtgärd",
                                            "object_name")),
    PlanColumn("cost_msek", "Total objektkostnad", "Total cost",
               ("objektkostnad", "total_kostnad", "kostnad", "kostnad_msek", "cost", "cost_msek", "total_cost_msek")),
)
BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED_NP = ("objekt_id", "name", "phase")  # Bilaga 1's own columns the import cannot do without


def _headers(text: str) -> tuple[str, ...]:
    """The keys a header is looked up by: as written, and without a bracketed unit or note."""
    key = header_key(text)
    bare = header_key(re.sub(r"\s*[(\[][^)\]]*[)\]]", " ", text))
    return (key, bare) if bare and bare != key else (key,)


HEADER_LOOKUP: dict[str, PlanColumn] = {header_key(h): c for c in COLUMNS
                                        for h in (c.header_sv, c.header_en, *c.aliases)}


# --- phases ----------------------------------------------------------------------------------------


def phase_key(text: str) -> str:
    """A phase as compared: casefolded, every dash a hyphen, no spaces, brackets or full stops."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = re.sub(r"[\u2010-\u2015\u2212]", "-", folded)
    return re.sub(r"[\s().\[\]]+", "", folded)


_PHASE_ALIASES = {
    vocab.ONGOING: ("Pågående", "pagaende", "Pågående objekt", "ongoing"),
    vocab.START_1_3: ("Byggstart (år 1–3)", "Byggstart år 1-3", "Byggstart 1-3", "Byggstart",
                      "construction start (years 1-3)"),
    vocab.PREPARE_4_6: ("Förberedelse för byggstart (år 4–6)", "Förberedelse (år 4–6)", "Förberedelse år 4-6",
                        "Förberedelse", "preparation (years 4-6)"),
    vocab.NAMED: ("Namngivet objekt", "Namngivet", "Namngivna objekt", "named object"),
    vocab.STUDY: ("Utredning/brist", "Utredning", "Brist", "Utredning / brist", "study"),
    vocab.REMOVED: ("Utgår", "Utgar", "Utgått", "removed"),
    vocab.REWORK: ("Omtag", "rework"),
    vocab.OPENED_PHASE: ("Öppet för trafik", "Öppnat", "Öppnad", "Öppnat för trafik", "open to traffic", "opened"),
}


def _phase_lookup() -> dict[str, str]:
    out: dict[str, str] = {}
    for phase in vocab.PHASES:
        words = (phase, *(_PHASE_ALIASES.get(phase, ())), *(i18n.t(f"planning.phase.{phase}", lang) for lang in LANGS))
        for w in words:
            out[phase_key(w)] = phase
    return out


PHASE_LOOKUP = _phase_lookup()


def read_phase(text: str) -> str | None:
    """The phase id of a phase as a plan list writes it, or None if it is not one."""
    return PHASE_LOOKUP.get(phase_key(text))


# --- messages --------------------------------------------------------------------------------------

PHASES_SV = "Pågående, Byggstart (år 1–3), Förberedelse för byggstart (år 4–6), Namngivet objekt, Utredning/brist, " \
            "Utgår, Omtag, Öppet för trafik"

CATALOGUE: dict[str, tuple[str, str]] = {
    "plan_missing_columns": (
        "Kolumnen {missing_sv} saknas eller har bytt namn. Listan ska ha rubrikerna {expected_sv}; filen har "
        "(rad {row}): {found}. Byt namn på kolumnen i filen; inget har ändrats.",
        "The column {missing_en} is missing or renamed. The list must have the headers {expected_en}; the file "
        "has (row {row}): {found}. Rename the column in the file; nothing has changed.",
    ),
    "plan_no_header": (
        "Hittade ingen rubrikrad med listans kolumner bland de första {n} raderna. Listan ska ha rubrikerna "
        "{expected_sv}; första raden har: {found}. Inget har ändrats.",
        "No header row with the list's columns among the first {n} rows. The list must have the headers "
        "{expected_en}; the first row has: {found}. Nothing has changed.",
    ),
    "plan_title_rows": (
        "{n} rad(er) ovanför rubrikraden lästes som rubrik eller anteckning och importeras inte.",
        "{n} row(s) above the header row were read as a title or note and are not imported.",
    ),
    "plan_unknown_column": (
        "Kolumnen {header} används inte av importen.",
        "The column {header} is not used by the import.",
    ),
    "unknown_phase": (
        "Okänd fas {value}. Tillåtna faser: " + PHASES_SV + ".",
        "Unknown phase {value}. Allowed phases (Swedish as in the plan): " + PHASES_SV + ".",
    ),
    "plan_no_phase": (
        "Fasindelning saknas; objektets fas i planen lämnas som den var.",
        "The phase is empty; the object's phase in the plan is left as it was.",
    ),
    "plan_row_skipped": (
        "Raden har varken Objekt ID eller Objekt och importeras inte (en anteckning under tabellen?).",
        "The row has neither an Object ID nor an Object and is not imported (a note below the table?).",
    ),
    "plan_duplicate_id": (
        "Objekt ID {id} förekommer redan på rad {first}. Varje objekt ska finnas en gång i listan.",
        "The Object ID {id} already appears on row {first}. Each object must appear once in the list.",
    ),
    "plan_no_rows": (
        "Listan innehåller inga objekt, bara en rubrikrad.",
        "The list contains no objects, only a header row.",
    ),
}
WARNING_CODES = frozenset({"plan_title_rows", "plan_unknown_column", "plan_no_phase", "plan_row_skipped"})


class _Issues(Issues):
    """The object import's collector, with this import's messages as well."""

    def add(self, code: str, row: int | None = None, column: str | None = None, **params: object) -> None:
        if code not in CATALOGUE:
            super().add(code, row, column, **params)
            return
        sv, en = CATALOGUE[code]
        issue = ImportIssue(code, row, column, sv.format(row=row, **params), en.format(row=row, **params))
        (self.warnings if code in WARNING_CODES else self.errors).append(issue)


@dataclass(frozen=True)
class PlanListResult:
    """The rows of a plan list in file order, and every problem (row numbers as the user sees them).
    When ``ok`` is False nothing may be changed."""

    rows: tuple[ListRow, ...]
    errors: list[ImportIssue]
    warnings: list[ImportIssue]
    columns: dict[str, str] = field(default_factory=dict)  # column key -> the file's header for it
    header_row: int | None = None
    file_format: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def expected_headers(plan: str, lang: str) -> str:
    cols = [c for c in COLUMNS if plan == "NP" or c.key in ("objekt_id", "name", "phase", "cost_msek")]
    return ", ".join(quote(c.header_sv if lang == "sv" else c.header_en) for c in cols)


# --- reading -------------------------------------------------------------------------------------


def parse_plan_list(data: bytes, filename: str, *, plan: str = "NP") -> PlanListResult:
    """Read a plan list (CSV or XLSX). ``plan`` "NP" (the national plan's annex: Objekt ID, Objekt and
    Fasindelning required) or "LP" (a region's list: Objekt ID or Objekt required)."""
    if plan not in vocab.PLANS:
        raise ValueError(f"plan must be one of {vocab.PLANS}, got {plan!r}")
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"data must be bytes, got {type(data).__name__}")
    issues = _Issues()
    table = read_table(bytes(data), filename, issues, SHEETS)
    if table is None:
        return _result(issues)
    if table.too_many_rows:
        issues.add("too_many_rows")
        return _result(issues, file_format=table.file_format)
    found = _find_header(table.rows, plan, issues)
    if found is None:
        return _result(issues, file_format=table.file_format)
    at, columns = found
    header = table.rows[at]
    body = table.rows[at + 1:]
    if at:
        issues.add("plan_title_rows", row=header.number, n=at)
    if not body:
        issues.add("plan_no_rows")
    rows = [r for raw in body if (r := _read_row(raw, columns, plan, issues)) is not None]
    _check_ids(rows, columns.get("objekt_id"), issues)
    return _result(issues, tuple(rows), {k: h for k, (_i, h) in columns.items()}, header.number, table.file_format)


def _result(issues: Issues, rows: tuple[ListRow, ...] = (), columns: dict[str, str] | None = None,
            header_row: int | None = None, file_format: str | None = None) -> PlanListResult:
    def by_place(issue: ImportIssue) -> tuple[bool, int]:
        return issue.row is not None, issue.row or 0

    return PlanListResult(rows, sorted(issues.errors, key=by_place), sorted(issues.warnings, key=by_place),
                          columns or {}, header_row, file_format)


def _cell_texts(raw: RawRow) -> list[tuple[int, str]]:
    return [(i, as_text(c)) for i, c in enumerate(raw.cells)
            if not is_blank(c) and not isinstance(c, (Formula, CellError))]


def _columns_of(raw: RawRow) -> dict[str, tuple[int, str]]:
    """``{column key: (index, header as written)}`` of a header row (the first of a repeated column)."""
    out: dict[str, tuple[int, str]] = {}
    for i, text in _cell_texts(raw):
        spec = next((HEADER_LOOKUP[k] for k in _headers(text) if k in HEADER_LOOKUP), None)
        if spec is not None and spec.key not in out:
            out[spec.key] = (i, text)
    return out


def _found(raw: RawRow) -> str:
    texts = [quote(t) for _i, t in _cell_texts(raw)]
    return ", ".join(texts) if texts else "–"


def _find_header(rows: list[RawRow], plan: str, issues: Issues) -> tuple[int, dict[str, tuple[int, str]]] | None:
    """The header row's position and columns: the first of the first rows naming two of the list's
    columns (or one, when no row names two), after checking the required ones."""
    candidates = [(i, _columns_of(raw)) for i, raw in enumerate(rows[:HEADER_SEARCH_ROWS])]
    best = next(((i, c) for i, c in candidates if len(c) >= 2), None) or next(((i, c) for i, c in candidates if c),
                                                                               None)
    if best is None:
        first = next((raw for raw in rows[:HEADER_SEARCH_ROWS] if len(_cell_texts(raw)) >= 2), rows[0])
        issues.add("plan_no_header", row=first.number, n=HEADER_SEARCH_ROWS, found=_found(first),
                   expected_sv=expected_headers(plan, "sv"), expected_en=expected_headers(plan, "en"))
        return None
    at, columns = best
    header = rows[at]
    missing = [k for k in REQUIRED_NP if k not in columns] if plan == "NP" else (
        [] if "objekt_id" in columns or "name" in columns else ["objekt_id"])
    if missing:
        def names(lang: str) -> str:
            def h(k: str) -> str:
                return quote(BY_KEY[k].header_sv if lang == "sv" else BY_KEY[k].header_en)
            if plan == "LP":
                return f"{h('objekt_id')} {'eller' if lang == 'sv' else 'or'} {h('name')}"
            return ", ".join(h(k) for k in missing)

        issues.add("plan_missing_columns", row=header.number, missing_sv=names("sv"), missing_en=names("en"),
                   expected_sv=expected_headers(plan, "sv"), expected_en=expected_headers(plan, "en"),
                   found=_found(header))
        return None
    used = {i for i, _h in columns.values()}
    twice = False
    for i, text in _cell_texts(header):
        spec = next((HEADER_LOOKUP[k] for k in _headers(text) if k in HEADER_LOOKUP), None)
        if i in used:
            continue
        if spec is not None:  # a second column for the same thing: which one is meant is not known
            first_index, first_text = columns[spec.key]
            issues.add("duplicate_column", row=header.number, column=text, header=quote(text),
                       first=f"{column_letter(first_index)} ({first_text})")
            twice = True
        else:
            issues.add("plan_unknown_column", row=header.number, column=text, header=quote(text))
    return None if twice else (at, columns)


def _read_row(raw: RawRow, columns: dict[str, tuple[int, str]], plan: str, issues: Issues) -> ListRow | None:
    row = raw.number

    def cell_of(key: str) -> Any:
        index = columns[key][0] if key in columns else len(raw.cells)
        return raw.cells[index] if index < len(raw.cells) else None

    if all(is_blank(cell_of(k)) for k in ("objekt_id", "name")):  # a note below the table, a sub-heading
        issues.add("plan_row_skipped", row=row)
        return None
    values: dict[str, Any] = {}
    n_errors = len(issues.errors)
    for key, (_index, header) in columns.items():
        cell = cell_of(key)
        if is_blank(cell):
            continue
        if refused(cell, issues, row, header):
            continue
        text = as_text(cell)
        if key == "cost_msek":
            number = as_number(cell)
            if number is None:
                issues.add("not_a_number", row=row, column=header, value=quote(text))
            elif number < 0:
                issues.add("negative_cost", row=row, column=header, value=text)
            else:
                values[key] = number
        elif key == "phase":
            phase = read_phase(text)
            if phase is None:
                issues.add("unknown_phase", row=row, column=header, value=quote(text))
            else:
                values[key] = phase
        elif is_dangerous(text):
            issues.add("formula_like", row=row, column=header, char=quote(text.lstrip(" \u00a0")[:1]))
        else:
            values[key] = text
    if plan == "NP" and "phase" not in values and not any(i.row == row for i in issues.errors[n_errors:]):
        issues.add("plan_no_phase", row=row, column=columns["phase"][1])
    return ListRow(row, **values)


def _check_ids(rows: list[ListRow], column: tuple[int, str] | None, issues: Issues) -> None:
    first: dict[str, int] = {}
    for r in rows:
        if r.objekt_id is None:
            continue
        key = r.objekt_id.casefold()
        if key in first:
            issues.add("plan_duplicate_id", row=r.row, column=column[1] if column else None, id=quote(r.objekt_id),
                       first=first[key])
        else:
            first[key] = r.row


__all__ = ["COLUMNS", "PlanListResult", "parse_plan_list", "read_phase"]
