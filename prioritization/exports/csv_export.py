"""The priority list as CSV for Excel, plus the typed list rows the Excel export reuses.

Format choices (Excel-friendliness first):

* UTF-8 with a byte-order mark, so Excel detects UTF-8 and shows å, ä, ö and dashes correctly.
* Swedish: ``;`` between fields and a decimal comma, which is what Swedish Excel expects when a
  file is double-clicked. English: ``,`` and a decimal point for the same reason (an English Excel
  would put a ``;``-separated file into one column). ``delimiter`` overrides the choice.
* The first row is the header; there is no comment or ``sep=`` line and no trailer, so the file
  sorts, filters and loads (Excel, pandas, R) as one clean table. The version name, the SHA-256
  fingerprint of the project file, the data label (e.g. "Exempeldata") and the weights that ranked
  the list ("Vikter": the weights in use or a comparison profile) are therefore *columns* repeated
  on every row: a row copied elsewhere still says where it came from, which a trailer would not.
* Numbers are written without thousands separators and with full precision (shortest round-trip
  decimal, never an exponent), so they parse back exactly; cost is empty when unknown. The column
  "Påhittad kostnad (exempeldata)" says "ja" for a made-up example cost and "nej" for a given one,
  so a spreadsheet never mixes the two unseen.
* Only the ranked candidate objects are listed; committed and parked objects are in the Excel export.
* Every text value goes through :func:`~prioritization.safe_text.neutralise`.

The committee's round (issue 13) adds columns to the same one table, never a second file, so the
CSV stays one clean table that sorts and filters, with the provenance on every row:

* with local input points (:func:`prioritization.committee.priority.priority_list`, for a
  weighted-sum ranking) the rows follow the priority score: "Prioritetsrang" (the rank by the
  priority score) replaces "Rang", "Teknisk rang" stands beside it, and "Teknisk poäng (T)",
  "Lokal poäng (L)", "Prioritetspoäng" (all in [0, 1]) and "Inspelspoäng" (the points given)
  replace "Poäng (0–100)". The project's tiers by boundary follow the priority rank, as in the
  decision's model list (:func:`prioritization.committee.ranking.model_list`; see :func:`list_tiers`).
* with a recorded decision, every object of the decided list gets "Beslutad rang", "Modellens
  rang" (as the decision recorded it), "Flytt", the model's and the decided tier and the reason for
  the departure (:func:`prioritization.report.committee.decided_frame`); an object the decision
  does not list has these cells empty.

A round without local input points or a decision is written exactly as before.

The plan data of each object (issue 14) follows at the end, after the provenance columns, so every
earlier column keeps its place (and a project without any plan data is written as before): planning stage and its note, evidence level, plan references, ÅVS,
NNK, ASEK version, the SEB's price level, the cost range (low, high, price level, method), financing
by party, requires/excludes, package, links, last verified (date, by whom) and "Jämförbarhet": the
comparability warnings the object's cost or NNK is part of (figures from different evidence
levels, ASEK versions or price levels; :func:`plan_columns`), in words, on the object's own row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np

from prioritization import i18n
from prioritization.analysis import Ranking
from prioritization.committee.priority import PriorityList, PriorityRow, priority_list
from prioritization.exports import VersionStamp, weights_text
from prioritization.model import Criterion, InfraObject, Project
from prioritization.report import committee as view
from prioritization.report import plan_facts
from prioritization.safe_text import neutralise
from prioritization.tiers import ranks_within

DELIMITERS = {"sv": ";", "en": ","}


def tab_text(key: str, lang: str, **params) -> str:
    """The catalogue text ``export.tab.<key>`` (keys of the tabular exports)."""
    return i18n.t(f"export.tab.{key}", lang, **params)


def object_name(o: InfraObject, lang: str) -> str:
    """The English name when asked for and present, else the name as given."""
    return o.label(lang)


def criterion_name(c: Criterion, lang: str) -> str:
    return c.label(lang)


def municipalities(o: InfraObject) -> str:
    """The object's municipalities joined by ", " ("" when the project has none)."""
    m = o.attributes.get("municipalities")
    if isinstance(m, (list, tuple)):
        return ", ".join(str(x) for x in m)
    return "" if m is None else str(m)


def status_text(o: InfraObject, lang: str) -> str:
    return tab_text(f"status_{o.status}", lang)


@dataclass(frozen=True)
class ListRow:
    """One ranked object as typed values (score on the 0–100 scale)."""

    rank: int
    tier: str | None
    rank_in_tier: int | None
    object_id: str
    name: str
    municipalities: str
    cost: float | None
    score: float
    rationale: str
    status: str
    cost_illustrative: bool = False  # a made-up example cost (InfraObject.cost_is_illustrative)
    priority: PriorityRow | None = None  # T, L, the priority score and the ranks, with local input points


def rationale(project: Project, ranking: Ranking, lang: str) -> dict[str, str]:
    """Object id -> the two largest criterion contributions w_j v_ij, in points of 100 (WSM only;
    other methods have no additive contributions, so the text is empty)."""
    if ranking.contributions is None:
        return {}
    candidates = project.candidates
    out = {}
    for i, o in enumerate(candidates):
        row = np.asarray(ranking.contributions[i], dtype=float)
        top = sorted(range(len(row)), key=lambda j: (-row[j], j))[:2]  # ties: criterion order
        parts = {}
        for label, j in zip(("first", "second"), top, strict=True):
            parts[label] = criterion_name(project.criteria[j], lang)
            parts[f"{label}_points"] = i18n.number(100 * row[j], lang, 1)
        out[o.id] = tab_text("rationale" if len(top) == 2 else "rationale_one", lang, **parts)
    return out


def priority_of(project: Project, ranking: Ranking) -> PriorityList | None:
    """The priority list with local input points (issue 13), or None: the round has no points, or
    ``ranking`` is not a weighted sum (T is the weighted sum; other methods export as before)."""
    return priority_list(project, ranking) if ranking.method == "wsm" else None


def list_tiers(project: Project, ranking: Ranking, priority: PriorityList | None,
               tiers: dict[str, str] | None) -> dict[str, str] | None:
    """The tiers to show (None: no tier columns). With local input points the rank follows the
    priority score, so when ``tiers`` are the project's tiers by the weighted-sum ranks (what the
    dashboard and ``prioritization export`` pass) they are assigned again by the priority ranks, as
    the decision's model list does (:func:`prioritization.committee.ranking.model_list`); any
    other ``tiers`` are shown as given."""
    if priority is None or tiers is None or not project.tiers:
        return tiers
    if tiers != project.tiers.assign((r.object.id, r.rank) for r in ranking.ranked):
        return tiers
    return project.tiers.assign((r.object.id, r.rank) for r in priority.rows)


def list_rows(project: Project, ranking: Ranking, *, tiers: dict[str, str] | None = None,
              lang: str = "sv", priority: PriorityList | None = None) -> list[ListRow]:
    """The ranked candidates in display order with tier, rank within tier and rationale.

    The place within the tier is :func:`prioritization.tiers.ranks_within` (the dashboard's too):
    the competition rank among objects with the same tier label, so tied objects share it.
    With ``priority`` (:func:`priority_of`) the rows follow the priority score and the rank is the
    rank by it; ``score`` stays the technical score on the 0–100 scale.
    """
    why = rationale(project, ranking, lang)
    score = {r.object.id: r.score for r in ranking.ranked}
    entries: list[tuple[InfraObject, int, PriorityRow | None]]
    if priority is None:
        entries = [(r.object, r.rank, None) for r in ranking.ranked]
    else:
        entries = [(p.object, p.rank, p) for p in priority.rows]
    labels = [None if tiers is None else tiers.get(o.id) for o, _, _ in entries]
    places = ranks_within([rank for _, rank, _ in entries], labels)
    rows = []
    for (o, rank, p), tier, in_tier in zip(entries, labels, places, strict=True):
        rows.append(ListRow(rank, tier, in_tier, o.id, object_name(o, lang), municipalities(o),
                            None if o.cost is None else float(o.cost), 100.0 * score[o.id], why.get(o.id, ""),
                            status_text(o, lang), o.cost_is_illustrative, p))
    return rows


def list_keys(with_tiers: bool, with_points: bool = False) -> list[str]:
    """The list's columns in order (keys of :func:`list_header` and :func:`list_values`)."""
    tier_keys = ("tier", "rank_in_tier") if with_tiers else ()
    if not with_points:
        return ["rank", *tier_keys, "object_id", "object", "municipalities", "cost", "score", "rationale", "status",
                "cost_illustrative"]
    return ["priority_rank", *tier_keys, "technical_rank", "object_id", "object", "municipalities", "cost",
            "technical", "local", "priority", "points", "rationale", "status", "cost_illustrative"]


PRIORITY_KEYS = ("technical_rank", "technical", "local", "priority", "points")  # headed as on the dashboard


def list_header(lang: str, with_tiers: bool, with_points: bool = False) -> list[str]:
    committee = view.priority_headers(lang)
    return [committee[k] if k in PRIORITY_KEYS else tab_text(f"col_{k}", lang)
            for k in list_keys(with_tiers, with_points)]


def cost_kind(row: ListRow, lang: str) -> str:
    """Whether the cost is made up (issue 11 #15): "ja" for a made-up example cost, "nej" for a given
    one, empty without a cost, so a spreadsheet never mixes the two unseen."""
    if row.cost is None:
        return ""
    return tab_text("yes" if row.cost_illustrative else "no", lang)


def list_values(row: ListRow, with_tiers: bool, lang: str = "sv", with_points: bool = False) -> list:
    p = row.priority
    if with_points and p is None:
        raise ValueError("with_points needs rows made with the priority list (list_rows(priority=...))")
    values = {"rank": row.rank, "priority_rank": row.rank, "tier": row.tier, "rank_in_tier": row.rank_in_tier,
              "object_id": row.object_id, "object": row.name, "municipalities": row.municipalities,
              "cost": row.cost, "score": row.score, "rationale": row.rationale, "status": row.status,
              "cost_illustrative": cost_kind(row, lang)}
    if p is not None:
        values |= {"technical_rank": p.technical_rank, "technical": p.technical, "local": p.local,
                   "priority": p.priority, "points": p.points}
    return [values[k] for k in list_keys(with_tiers, with_points)]


DECIDED_KEYS = ("rank", "model_rank", "move", "model_tier", "tier", "reason")


def decided_header(lang: str) -> list[str]:
    """The decision's columns in the list (issue 13): the decided list's headings, the reason named
    apart from the list's own "Motivering (största bidrag)"."""
    heads = view.decided_headers(lang)
    return [tab_text("col_decision_reason", lang) if k == "reason" else heads[k] for k in DECIDED_KEYS]


def decided_values(project: Project, lang: str) -> dict[str, list]:
    """Object id -> its decision cells in :data:`DECIDED_KEYS` order (from
    :func:`prioritization.report.committee.decided_frame`); empty without a decision."""
    frame = view.decided_frame(project, lang)
    return {str(r["object_id"]): [int(r["rank"]), int(r["model_rank"]), *(str(r[k]) for k in DECIDED_KEYS[2:])]
            for r in frame.to_dict("records")}


def has_plan_data(project: Project) -> bool:
    """Whether any object of the project has plan data (issue 14): the lists get the plan columns."""
    return any(not o.plan.is_empty for o in project.objects)


def plan_header(project: Project, lang: str) -> list[str]:
    """The plan columns' headings (none for a project without plan data)."""
    return plan_facts.column_headers(lang) if has_plan_data(project) else []


def plan_columns(project: Project, objects: list[InfraObject], lang: str) -> dict[str, list]:
    """Object id -> its plan cells (:data:`prioritization.report.plan_facts.COLUMNS`), with the
    comparability warnings among ``objects`` (the objects listed together) in the last cell;
    required and excluded objects are named by their names. No cells for a project without plan
    data (:func:`plan_header`)."""
    if not has_plan_data(project):
        return {o.id: [] for o in objects}
    name = plan_facts.names_of(project.objects, lang)
    warned = plan_facts.warnings_by_object(objects, lang, name=name)
    return {o.id: plan_facts.column_values(o, lang, warnings=warned, name=name) for o in objects}


def csv_number(x: float | None, lang: str) -> str:
    """Full-precision positional decimal (round-trips exactly), decimal comma in Swedish."""
    if x is None:
        return ""
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        return str(int(x))
    text = np.format_float_positional(float(x), trim="-")
    return text.replace(".", ",") if lang == "sv" else text


def priority_list_csv(project: Project, ranking: Ranking, *, version: VersionStamp,
                      tiers: dict[str, str] | None = None, lang: str = "sv", delimiter: str | None = None,
                      weights_label: str | None = None) -> bytes:
    """The ranked list as CSV bytes (UTF-8 with BOM); see the module docstring for the format.

    ``weights_label``: None when ``ranking`` uses the weights in use, else the name of the weight
    profile it uses (printed in the "Vikter" column as a comparison).
    """
    priority = priority_of(project, ranking)
    with_points = priority is not None
    tiers = list_tiers(project, ranking, priority, tiers)
    with_tiers = tiers is not None
    decided = decided_values(project, lang) if project.committee.decision is not None else None
    sep = delimiter or DELIMITERS.get(lang, ";")
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(h) for h in (*list_header(lang, with_tiers, with_points),
                                             *(decided_header(lang) if decided is not None else ()),
                                             tab_text("col_version", lang), tab_text("col_sha256", lang),
                                             tab_text("col_data_label", lang), tab_text("col_weights", lang),
                                             *plan_header(project, lang))])
    stamp = [version.shown_name(lang), version.sha256, project.data_label or "", weights_text(weights_label, lang)]
    rows = list_rows(project, ranking, tiers=tiers, lang=lang, priority=priority)
    plan = plan_columns(project, [project.object(r.object_id) for r in rows], lang)
    for row in rows:
        values = list_values(row, with_tiers, lang, with_points)
        if decided is not None:
            values += decided.get(row.object_id, [None] * len(DECIDED_KEYS))
        writer.writerow([csv_number(v, lang) if isinstance(v, (int, float)) or v is None else neutralise(v)
                         for v in [*values, *stamp, *plan[row.object_id]]])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


__all__ = ["ListRow", "list_rows", "list_tiers", "priority_list_csv", "priority_of"]
