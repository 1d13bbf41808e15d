"""The priority list as a formatted Excel workbook (openpyxl): data in, bytes out.

Sheets (Swedish names; English ones with ``lang="en"``):

1. "Prioriteringslista": title, data label, version/fingerprint and the weights that ranked the
   list (the weights in use, or a weight profile marked as a comparison) above the table, then
   the ranked candidates (rank, tier and place within tier when tiers are given, object,
   municipalities, cost, score 0–100, a one-line rationale, status). With local input points
   (issue 13) the list follows the priority score: "Prioritetsrang" and "Teknisk rang" beside
   it, and "Teknisk poäng (T)", "Lokal poäng (L)", "Prioritetspoäng" and "Inspelspoäng" in place
   of the 0–100 score (see :mod:`prioritization.exports.csv_export`), with the formula and the
   share sentence under the table. Every object's plan data (issue 14) follows in the last columns
   (planning stage and note, evidence level, plan references, ÅVS, NNK, ASEK version, the SEB's
   price level, the cost range with its price level and method, financing by party, requires/
   excludes, package, links, last verified and by whom, and "Jämförbarhet": the comparability warnings the
   object is part of; not for a project without plan data); the warnings are also sentences under
   the table.
   "Beslut" (only with a recorded decision): the decided list (decided rank, object, the model's
   rank, the move, the model's and the decided tier, the reason for every departure) and the
   decision sentence.
2. "Redan prioriterade": committed objects, never ranked, with their plan data.
   "Parkerade" (only when the screening parked objects): parked objects, never ranked, with the
   checks they fail and the reason.
   "Inspelspoäng" (only with local input points): every municipality's points per object with
   its rationale (once the input window has closed; while it is open only the totals), and the
   points each municipality spent of its budget.
   "Förankring" (only when a draft list was sent out): the anchoring matrix of the draft out for
   reply, else the latest one, and its sentence.
3. "Poäng": one row per candidate × criterion: the aggregate (or agreed) score, the spread between
   the participants and each participant's own score (the column is named by organisation, e.g.
   the municipality, when that is unique, else by the participant's name).
4. "Vikter och metod": criteria with group, direction, scale and weight, then which weights these
   are and how they were elicited (a profile's own method), and the method texts.
5. "Känslighet" (only with a sensitivity report): per object the SMAA rank-1 and top-3
   acceptability and most likely rank; per criterion the current weight, the stability intervals
   and the smallest change of the weight that changes first place [S5c] as the new weight and as
   the relative change of the shown weight, (new − now) / now; the critical criteria and the SMAA
   settings (samples, seed) to repeat the run.
6. "Om": project, data label, version name, fingerprint, freeze and export time, tool version,
   weights.

Formatting: every sheet has a bold header row that is frozen (the first sheet freezes the stamp
rows above it too, so the version stays visible when scrolling), columns sized to their content,
and a print footer with label, version and short hash. Numbers are real numbers with
locale-independent format codes (``0.0``, ``#,##0``, ``0.0%``): Excel stores the code and shows it
with the reader's regional separators, so a Swedish Excel shows "1 234,5" and "12,3 %" and an
English one "1,234.5" and "12.3%". Percentages are stored as fractions (0.123) with a percent
format, so they compute as percentages. Every text value goes through
:func:`~prioritization.safe_text.neutralise` (no cell can become a formula).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

import prioritization
from prioritization import i18n
from prioritization.analysis import Ranking, SensitivityReport, decision_data
from prioritization.committee.model import Draft
from prioritization.committee.priority import PriorityList
from prioritization.engine import group
from prioritization.exports import VersionStamp, check_texts, shown_draft, weighting_method, weights_text
from prioritization.exports.csv_export import (
    criterion_name,
    list_header,
    list_keys,
    list_rows,
    list_tiers,
    list_values,
    municipalities,
    object_name,
    plan_columns,
    plan_header,
    priority_of,
    status_text,
    tab_text,
)
from prioritization.model import Project
from prioritization.report import committee as view
from prioritization.report import plan_facts
from prioritization.safe_text import neutralise

INT = "0"
ONE_DECIMAL = "0.0"
TWO_DECIMALS = "0.00"
THREE_DECIMALS = "0.000"
THOUSANDS = "#,##0"
PERCENT = "0.0%"
DATETIME = "yyyy-mm-dd hh:mm"
DATE = "yyyy-mm-dd"
PLAN_FORMATS = {"nnk": TWO_DECIMALS, "cost_low": THOUSANDS, "cost_high": THOUSANDS, "verified_date": DATE}
LIST_HEADER_ROW = 6  # rows 1-4: title, data label, version and fingerprint, weights; row 5 empty
BOLD = Font(bold=True)
MARK = Font(bold=True, color="663C00")  # the comparison-profile stamp: dark brown on light yellow, > 7:1
MARK_FILL = PatternFill("solid", fgColor="FFF3CD")
TITLE = Font(bold=True, size=14)
MIN_WIDTH, MAX_WIDTH = 6, 60


# --- cell helpers -------------------------------------------------------------------------------


def excel_time(d: datetime | None) -> datetime | None:
    """Excel has no time zones: a time is written as Swedish wall-clock time (Europe/Stockholm,
    the committee's; a stored time without a zone is UTC, as the database keeps it), and the
    heading says so."""
    return None if d is None else i18n.local(d).replace(tzinfo=None)


def put(ws: Worksheet, row: int, col: int, value: Any, fmt: str | None = None, font: Font | None = None) -> None:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        value = None  # an empty cell, never "nan"
    cell = ws.cell(row=row, column=col, value=neutralise(value))
    if fmt is not None and value is not None:
        cell.number_format = fmt
    if font is not None:
        cell.font = font


def write_table(ws: Worksheet, header: Sequence[str], rows: Sequence[Sequence[Any]], start_row: int = 1,
                formats: dict[int, str] | None = None) -> int:
    """Write a bold header and rows from ``start_row``; returns the next free row. ``formats`` maps
    0-based column index -> number format."""
    formats = formats or {}
    for c, h in enumerate(header, start=1):
        put(ws, start_row, c, h, font=BOLD)
        ws.cell(row=start_row, column=c).alignment = Alignment(wrap_text=True, vertical="top")
    for r, values in enumerate(rows, start=start_row + 1):
        for c, v in enumerate(values):
            put(ws, r, c + 1, v, formats.get(c))
    return start_row + 1 + len(rows)


def write_pairs(ws: Worksheet, pairs: Sequence[tuple[str, Any]], start_row: int,
                formats: dict[int, str] | None = None) -> int:
    """Label/value rows (label bold) from ``start_row``; ``formats`` maps pair index -> format."""
    formats = formats or {}
    for k, (label, value) in enumerate(pairs):
        put(ws, start_row + k, 1, label, font=BOLD)
        put(ws, start_row + k, 2, value, formats.get(k))
    return start_row + len(pairs)


def shown_length(value: Any, fmt: str | None) -> int:
    if value is None:
        return 0
    if isinstance(value, float):
        return len(f"{value:,.1f}") + (1 if fmt == PERCENT else 0)
    if isinstance(value, datetime):
        return 16
    return max(len(line) for line in str(value).split("\n"))


def fit_columns(ws: Worksheet, wrap_header_row: int | None = None, notes_from: int | None = None) -> None:
    """Column widths from the longest shown value (header text counts up to 30 characters, it wraps).
    Rows from ``notes_from`` on are sentences under the tables: they overflow to the right and do
    not widen a column."""
    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or (notes_from is not None and cell.row >= notes_from):
                continue
            n = shown_length(cell.value, cell.number_format)
            if cell.row == wrap_header_row:
                n = min(n, 30)
            elif cell.row < (wrap_header_row or 0):
                continue  # stamp rows above the table overflow to the right
            widths[cell.column] = max(widths.get(cell.column, 0), n)
    for col, n in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = max(MIN_WIDTH, min(MAX_WIDTH, n + 2))


def footer_text(project: Project, version: VersionStamp, lang: str, weights_label: str | None = None) -> str:
    def esc(s: str) -> str:  # "&" starts a header/footer code
        return s.replace("&", "&&")

    def cut(s: str, n: int) -> str:  # Excel allows 255 characters in a footer
        return s if len(s) <= n else s[: n - 1] + "…"

    label = f"{esc(cut(project.data_label, 60))} · " if project.data_label else ""
    profile = "" if weights_label is None else tab_text("footer_profile", lang, name=esc(cut(weights_label, 40)))
    return tab_text("footer", lang, label=label, version=esc(cut(version.shown_name(lang), 80)),
                    short=version.sha256[:12], profile=profile)


def finish(ws: Worksheet, header_row: int, footer: str, notes_from: int | None = None) -> None:
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1).coordinate
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = footer
    ws.oddFooter.center.size = 8
    fit_columns(ws, header_row, notes_from)


def scale_number(x: float, lang: str) -> str:
    return i18n.number(x, lang, 0 if float(x).is_integer() else 1)


# --- sheets -------------------------------------------------------------------------------------


LIST_FORMATS = {"rank": INT, "priority_rank": INT, "rank_in_tier": INT, "technical_rank": INT, "cost": THOUSANDS,
                "score": ONE_DECIMAL, "technical": THREE_DECIMALS, "local": THREE_DECIMALS,
                "priority": THREE_DECIMALS, "points": INT}


def write_notes(ws: Worksheet, lines: Sequence[str], start_row: int) -> int:
    """Sentences under a table that ends before ``start_row``, one a row after an empty row; returns
    the first sentence's row (for :func:`finish`: sentences do not widen the columns)."""
    for k, line in enumerate(lines):
        put(ws, start_row + 1 + k, 1, line)
    return start_row + 1


def sheet_list(ws: Worksheet, project: Project, ranking: Ranking, version: VersionStamp,
               tiers: dict[str, str] | None, lang: str, weights_label: str | None = None,
               priority: PriorityList | None = None) -> int | None:
    """The list sheet; returns the first row of the sentences under the table (None without)."""
    put(ws, 1, 1, tab_text("title", lang, name=project.name), font=TITLE)
    if project.data_label:
        put(ws, 2, 1, tab_text("label_note", lang, label=project.data_label), font=BOLD)
    stamp = tab_text("stamp", lang, version=version.shown_name(lang), sha256=version.sha256)
    if not version.frozen:
        stamp += tab_text("stamp_draft", lang)
    put(ws, 3, 1, stamp)
    put(ws, 4, 1, tab_text("weights_note", lang, weights=weights_text(weights_label, lang)),
        font=BOLD if weights_label is None else MARK)
    if weights_label is not None:
        ws.cell(row=4, column=1).fill = MARK_FILL
    with_points = priority is not None
    tiers = list_tiers(project, ranking, priority, tiers)
    with_tiers = tiers is not None
    keys = list_keys(with_tiers, with_points)
    header = [*list_header(lang, with_tiers, with_points), *plan_header(project, lang)]
    listed = list_rows(project, ranking, tiers=tiers, lang=lang, priority=priority)
    objects = [project.object(r.object_id) for r in listed]
    plan = plan_columns(project, objects, lang)
    rows = [[*list_values(r, with_tiers, lang, with_points), *plan[r.object_id]] for r in listed]
    formats = {c: LIST_FORMATS[k] for c, k in enumerate(keys) if k in LIST_FORMATS}
    formats |= {len(keys) + c: PLAN_FORMATS[k] for c, k in enumerate(plan_facts.COLUMNS) if k in PLAN_FORMATS}
    nxt = write_table(ws, header, rows, LIST_HEADER_ROW, formats)
    mark_made_up_costs(ws, [r.cost_illustrative for r in listed], LIST_HEADER_ROW + 1, keys.index("cost") + 1, lang)
    # the costs and NNK values listed together that cannot be compared directly (issue 14)
    notes = plan_facts.warnings(objects, lang, name=plan_facts.names_of(project.objects, lang))
    if priority is not None:
        notes += [view.formula_sentence(priority, lang), view.share_sentence(priority, lang=lang)]
    return write_notes(ws, notes, nxt) if notes else None


def mark_made_up_costs(ws: Worksheet, flags: Sequence[bool], first_row: int, column: int, lang: str) -> None:
    """A made-up example cost stays a number but reads "2 600 (exempeldata)" (issue 11 #15)."""
    made_up = f'{THOUSANDS}" {i18n.t("cost.illustrative", lang)}"'
    for i, flag in enumerate(flags):
        if flag:
            ws.cell(row=first_row + i, column=column).number_format = made_up


def sheet_committed(ws: Worksheet, project: Project, ranking: Ranking, lang: str) -> int | None:
    """The committed objects with their plan data (issue 14); the comparability warnings of their
    costs under the table. Returns the notes row, if any."""
    header = [tab_text(f"col_{c}", lang) for c in ("object_id", "object", "municipalities", "cost", "status", "funding")]
    header += plan_header(project, lang)
    committed = list(ranking.committed)
    plan = plan_columns(project, committed, lang)
    rows = [[o.id, object_name(o, lang), municipalities(o), o.cost, status_text(o, lang),
             o.attributes.get("funding_status") if isinstance(o.attributes.get("funding_status"), str) else None,
             *plan[o.id]]
            for o in committed]
    formats = {3: THOUSANDS} | {6 + c: PLAN_FORMATS[k] for c, k in enumerate(plan_facts.COLUMNS) if k in PLAN_FORMATS}
    nxt = write_table(ws, header, rows, 1, formats)
    mark_made_up_costs(ws, [o.cost_is_illustrative for o in committed], 2, 4, lang)
    notes = plan_facts.warnings(committed, lang, name=plan_facts.names_of(project.objects, lang))
    return write_notes(ws, notes, nxt) if notes else None


def sheet_parked(ws: Worksheet, project: Project, lang: str) -> None:
    """Objects the screening parked (issue 13): listed apart like the committed ones, never ranked."""
    header = [tab_text(f"col_{c}", lang) for c in ("object_id", "object", "municipalities", "cost", "status",
                                                 "failed_checks", "screening_reason")]
    checks = check_texts(project, lang)
    rows = []
    for o in project.parked:
        r = project.committee.screening_of(o.id)
        failed = "" if r is None else "; ".join(checks.get(f, f) for f in r.failed)
        rows.append([o.id, object_name(o, lang), municipalities(o), o.cost, status_text(o, lang), failed,
                     "" if r is None else r.reason or ""])
    write_table(ws, header, rows, 1, {3: THOUSANDS})
    mark_made_up_costs(ws, [o.cost_is_illustrative for o in project.parked], 2, 4, lang)


def sheet_points(ws: Worksheet, project: Project, lang: str) -> int | None:
    """Local input points (issue 13): every allocation with the municipality's rationale, then the
    points each municipality spent. While the input window is open the allocations are not
    shown (they become public when it closes); the totals are. Returns the notes row, if any."""
    spent_header = [tab_text(f"col_{c}", lang) for c in ("municipality", "points_given", "budget", "objects_given")]
    spent = [[r.municipality, int(r.points), int(r.budget), int(r.objects)]
             for r in view.spent_frame(project).itertuples(index=False)]
    spent_formats = {1: INT, 2: INT, 3: INT}
    if project.committee.window.is_open:
        nxt = write_table(ws, spent_header, spent, 1, spent_formats)
        return write_notes(ws, [tab_text("points_hidden", lang)], nxt)
    header = [tab_text("col_municipality", lang), tab_text("col_object", lang), view.priority_headers(lang)["points"],
              tab_text("col_points_rationale", lang)]
    given = [[r.municipality, r.object, int(r.points), r.rationale]
             for r in view.points_frame(project, lang).itertuples(index=False)]
    nxt = write_table(ws, header, given, 1, {2: INT})
    write_table(ws, spent_header, spent, nxt + 1, spent_formats)
    return None



def sheet_anchoring(ws: Worksheet, project: Project, draft: Draft, lang: str) -> int:
    """The anchoring matrix of ``draft`` (issue 13): one row per member municipality; the sentence
    under it. Returns the notes row."""
    frame = view.anchoring_frame(project, draft, lang)
    header = [tab_text(f"col_{c}", lang) for c in ("municipality", "stance", "replied", "own_decision", "comments",
                                                 "missing")]
    nxt = write_table(ws, header, frame.values.tolist(), 1)
    return write_notes(ws, [view.anchoring_sentence(project, draft, lang)], nxt)


def sheet_decision(ws: Worksheet, project: Project, lang: str) -> int:
    """The decided list (issue 13): decided rank, object, the model's rank, the move, tiers and the
    reason for every departure; the decision sentence under it. Returns the notes row."""
    frame = view.decided_frame(project, lang)
    heads = view.decided_headers(lang)
    rows = [[int(r["rank"]), r["object_id"], r["object"], int(r["model_rank"]), r["move"], r["model_tier"], r["tier"],
             r["reason"]] for r in frame.to_dict("records")]
    nxt = write_table(ws, [heads[c] for c in view.DECIDED_COLUMNS], rows, 1, {0: INT, 3: INT})
    return write_notes(ws, [view.decision_sentence(project, lang) or ""], nxt)


def participant_labels(project: Project) -> list[str]:
    """Organisation (e.g. the municipality) when unique among the participants, else the name."""
    orgs = [p.organisation for p in project.participants]
    return [p.organisation if p.organisation and orgs.count(p.organisation) == 1 else p.name
            for p in project.participants]


def sheet_scores(ws: Worksheet, project: Project, lang: str) -> None:
    objects, criteria, people = project.candidates, project.criteria, project.participants
    o_ix = {o.id: i for i, o in enumerate(objects)}
    c_ix = {c.id: j for j, c in enumerate(criteria)}
    p_ix = {p.id: k for k, p in enumerate(people)}
    own = np.full((max(1, len(people)), len(objects), len(criteria)), np.nan)
    agreed = np.full((len(objects), len(criteria)), np.nan)
    for s in project.scores:
        if s.object not in o_ix or s.value is None:
            continue
        if s.participant is None:
            agreed[o_ix[s.object], c_ix[s.criterion]] = s.value
        else:
            own[p_ix[s.participant], o_ix[s.object], c_ix[s.criterion]] = s.value
    unrated = np.all(np.isnan(own), axis=0)  # agreed-only cells: no spread to report
    spread = group.disagreement(np.where(unrated, 0.0, own)).std
    n_ratings = np.sum(~np.isnan(own), axis=0)
    aggregate = decision_data(project).x
    header = [tab_text(f"col_{c}", lang) for c in ("object_id", "object", "criterion_id", "criterion", "aggregate",
                                             "agreed", "spread", "n_ratings")] + participant_labels(project)
    rows = []
    for i, o in enumerate(objects):
        for j, c in enumerate(criteria):
            is_agreed = not np.isnan(agreed[i, j])
            rows.append([o.id, object_name(o, lang), c.id, criterion_name(c, lang), aggregate[i, j],
                         tab_text("yes" if is_agreed else "no", lang),
                         None if unrated[i, j] else spread[i, j], int(n_ratings[i, j]), *(own[k, i, j] for k in range(len(people)))])
    formats = {4: TWO_DECIMALS, 6: TWO_DECIMALS, 7: INT} | {8 + k: "0.##" for k in range(len(people))}
    write_table(ws, header, rows, 1, formats)


def sheet_weights(ws: Worksheet, project: Project, ranking: Ranking, lang: str,
                  weights_label: str | None = None) -> None:
    header = [tab_text(f"col_{c}", lang) for c in ("criterion", "criterion_id", "group", "direction", "scale", "weight")]
    rows = []
    for c, w in zip(project.criteria, ranking.weights, strict=True):
        grp = c.group_en if lang == "en" and c.group_en else c.group
        scale = None if c.scale is None else f"{scale_number(c.scale[0], lang)}–{scale_number(c.scale[1], lang)}"
        rows.append([criterion_name(c, lang), c.id, grp, tab_text(f"direction_{c.direction}", lang), scale, float(w)])
    nxt = write_table(ws, header, rows, 1, {5: PERCENT})
    method = weighting_method(project, weights_label)  # a profile's own method, not that of the weights in use
    write_pairs(ws, [
        (tab_text("col_weights", lang), weights_text(weights_label, lang)),
        (tab_text("about_method", lang), tab_text(f"method_{ranking.method}", lang)),
        (tab_text("about_weighting", lang),
         tab_text("weighting_unknown", lang) if method is None else tab_text(f"weighting_{method}", lang)),
        (tab_text("about_aggregation", lang), tab_text(f"aggregation_{project.aggregation}", lang)),
        (tab_text("about_normalisation", lang), tab_text("about_normalisation_text", lang)),
        (tab_text("col_score", lang), tab_text("about_score_text", lang, method=tab_text(f"method_{ranking.method}", lang))),
    ], nxt + 1)


def sheet_sensitivity(ws: Worksheet, project: Project, ranking: Ranking, rep: SensitivityReport, lang: str) -> None:
    sm, data = rep.smaa, rep.data
    index = {o.id: i for i, o in enumerate(data.objects)}
    acc = np.asarray(sm.rank_acceptability, dtype=float)
    header = [tab_text(f"col_{c}", lang) for c in ("current_rank", "object_id", "object", "p_first", "p_top3",
                                             "likely_rank")]
    rows = []
    for r in ranking.ranked:
        i = index.get(r.object.id)
        if i is None:
            continue
        rows.append([r.rank, r.object.id, object_name(r.object, lang), acc[i, 0], float(acc[i, :3].sum()),
                     int(np.argmax(acc[i])) + 1])
    nxt = write_table(ws, header, rows, 1, {0: INT, 3: PERCENT, 4: PERCENT, 5: INT})

    crit_header = [tab_text(f"col_{c}", lang) for c in ("criterion_id", "criterion", "weight", "ranking_lo", "ranking_hi",
                                                  "top_lo", "top_hi", "top_new", "top_relative")]
    crit_rows = []
    for s, cc in zip(rep.stability, rep.critical.criteria, strict=True):
        c = data.criteria[s.criterion]
        # the smallest change that changes first place [S5c], shown as the weight it leads to (t, on
        # the same 100 % scale as the current weight) and as the relative change of that weight,
        # (t - W) / W; the Triantaphyllou-Sanchez delta' is measured before renormalisation and
        # would not match the weights printed next to it
        new = None if cc.top is None else float(cc.top.t)
        relative = None if new is None or s.weight <= 0 else (new - s.weight) / s.weight
        crit_rows.append([c.id, criterion_name(c, lang), s.weight, s.ranking[0], s.ranking[1], s.top[0], s.top[1],
                          new, relative])
    nxt = write_table(ws, crit_header, crit_rows, nxt + 1, dict.fromkeys(range(2, 9), PERCENT))

    def crit(j: int | None) -> str:
        return tab_text("none", lang) if j is None else criterion_name(data.criteria[j], lang)

    write_pairs(ws, [
        (tab_text("sens_critical_top", lang), crit(rep.critical.percent_top)),
        (tab_text("sens_critical_any", lang), crit(rep.critical.percent_any)),
        (tab_text("sens_samples", lang), int(sm.samples)),
        (tab_text("sens_seed", lang), int(sm.seed)),
        (tab_text("sens_weight_model", lang), tab_text(f"weight_model_{rep.weight_model}", lang)),
        (tab_text("sens_score_model", lang), tab_text(f"score_model_{rep.score_model}", lang)),
        (tab_text("about_normalisation", lang), tab_text("sens_note", lang)),
        (tab_text("sens_change", lang), tab_text("sens_change_note", lang)),
    ], nxt + 1, {2: THOUSANDS, 3: INT})


def sheet_about(ws: Worksheet, project: Project, version: VersionStamp, exported_at: datetime, lang: str,
                weights_label: str | None = None) -> None:
    write_table(ws, [tab_text("col_item", lang), tab_text("col_value", lang)], [
        (tab_text("about_project", lang), project.name),
        (tab_text("about_data_label", lang), project.data_label),
        (tab_text("about_version", lang), version.shown_name(lang)),
        (tab_text("about_sha256", lang), version.sha256),
        (tab_text("about_frozen_at", lang), excel_time(version.frozen_at)),
        (tab_text("about_exported_at", lang), excel_time(exported_at)),
        (tab_text("about_tool", lang), f"prioritization {prioritization.__version__}"),
        (tab_text("about_numbers", lang), tab_text("about_numbers_text", lang)),
        (tab_text("col_weights", lang), weights_text(weights_label, lang)),
    ], 1)
    for r in (6, 7):  # the freeze and export times
        ws.cell(row=r, column=2).number_format = DATETIME


# --- the workbook -------------------------------------------------------------------------------


def priority_list_xlsx(project: Project, ranking: Ranking, *, version: VersionStamp,
                       sensitivity: SensitivityReport | None = None, tiers: dict[str, str] | None = None,
                       lang: str = "sv", exported_at: datetime | None = None,
                       weights_label: str | None = None) -> bytes:
    """The priority-list workbook as .xlsx bytes (see the module docstring for the sheets).

    ``exported_at`` defaults to now; pass it for reproducible files. Times are written as
    Europe/Stockholm wall-clock time. ``weights_label``: None when ``ranking`` (and
    ``sensitivity``) use the weights in use, else the name of the weight profile they use; the
    workbook then says on every sheet's footer, the stamp rows, "Vikter och metod" and "Om" that
    the list is a comparison.
    """
    exported_at = exported_at or datetime.now(UTC)
    footer = footer_text(project, version, lang, weights_label)
    priority = priority_of(project, ranking)
    committee = project.committee
    draft = shown_draft(project)
    wb = Workbook()
    ws = wb.active
    ws.title = tab_text("sheet_list", lang)
    notes = sheet_list(ws, project, ranking, version, tiers, lang, weights_label, priority)
    finish(ws, LIST_HEADER_ROW, footer, notes)

    # each builder returns the first row of its sentences under the tables (None: no sentences)
    sheets: list[tuple[str, Any]] = []
    if committee.decision is not None:
        sheets.append(("sheet_decision", lambda w: sheet_decision(w, project, lang)))
    sheets.append(("sheet_committed", lambda w: sheet_committed(w, project, ranking, lang)))
    if project.parked:
        sheets.append(("sheet_parked", lambda w: sheet_parked(w, project, lang)))
    if priority is not None:
        sheets.append(("sheet_points", lambda w: sheet_points(w, project, lang)))
    if draft is not None:
        sheets.append(("sheet_anchoring", lambda w: sheet_anchoring(w, project, draft, lang)))
    sheets += [("sheet_scores", lambda w: sheet_scores(w, project, lang)),
               ("sheet_weights", lambda w: sheet_weights(w, project, ranking, lang, weights_label))]
    if sensitivity is not None:
        sheets.append(("sheet_sensitivity", lambda w: sheet_sensitivity(w, project, ranking, sensitivity, lang)))
    sheets.append(("sheet_about", lambda w: sheet_about(w, project, version, exported_at, lang, weights_label)))
    for key, build in sheets:
        w = wb.create_sheet(tab_text(key, lang))
        finish(w, 1, footer, build(w))

    wb.properties.title = tab_text("title", lang, name=project.name)
    wb.properties.creator = f"prioritization {prioritization.__version__}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


__all__ = ["priority_list_xlsx"]
