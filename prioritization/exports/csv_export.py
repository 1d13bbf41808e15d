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
* Only the ranked candidate objects are listed; committed objects are in the Excel export.
* Every text value goes through :func:`~prioritization.safe_text.neutralise`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np

from prioritization import i18n
from prioritization.analysis import Ranking
from prioritization.exports import VersionStamp, weights_text
from prioritization.model import Criterion, InfraObject, Project
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


def list_rows(project: Project, ranking: Ranking, *, tiers: dict[str, str] | None = None,
              lang: str = "sv") -> list[ListRow]:
    """The ranked candidates in display order with tier, rank within tier and rationale.

    The place within the tier is :func:`prioritization.tiers.ranks_within` (the dashboard's too):
    the competition rank among objects with the same tier label, so tied objects share it.
    """
    why = rationale(project, ranking, lang)
    labels = [None if tiers is None else tiers.get(r.object.id) for r in ranking.ranked]
    places = ranks_within([r.rank for r in ranking.ranked], labels)
    rows = []
    for r, tier, in_tier in zip(ranking.ranked, labels, places, strict=True):
        o = r.object
        rows.append(ListRow(r.rank, tier, in_tier, o.id, object_name(o, lang), municipalities(o),
                            None if o.cost is None else float(o.cost), 100.0 * r.score, why.get(o.id, ""),
                            status_text(o, lang), o.cost_is_illustrative))
    return rows


def list_header(lang: str, with_tiers: bool) -> list[str]:
    cols = ["rank", *(("tier", "rank_in_tier") if with_tiers else ()), "object_id", "object", "municipalities",
            "cost", "score", "rationale", "status", "cost_illustrative"]
    return [tab_text(f"col_{c}", lang) for c in cols]


def cost_kind(row: ListRow, lang: str) -> str:
    """Whether the cost is made up (issue 11 #15): "ja" for a made-up example cost, "nej" for a given
    one, empty without a cost, so a spreadsheet never mixes the two unseen."""
    if row.cost is None:
        return ""
    return tab_text("yes" if row.cost_illustrative else "no", lang)


def list_values(row: ListRow, with_tiers: bool, lang: str = "sv") -> list:
    return [row.rank, *((row.tier, row.rank_in_tier) if with_tiers else ()), row.object_id, row.name,
            row.municipalities, row.cost, row.score, row.rationale, row.status, cost_kind(row, lang)]


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
    with_tiers = tiers is not None
    sep = delimiter or DELIMITERS.get(lang, ";")
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(h) for h in (*list_header(lang, with_tiers), tab_text("col_version", lang),
                                             tab_text("col_sha256", lang), tab_text("col_data_label", lang),
                                             tab_text("col_weights", lang))])
    stamp = [version.shown_name(lang), version.sha256, project.data_label or "", weights_text(weights_label, lang)]
    for row in list_rows(project, ranking, tiers=tiers, lang=lang):
        values = [*list_values(row, with_tiers, lang), *stamp]
        writer.writerow([csv_number(v, lang) if isinstance(v, (int, float)) or v is None else neutralise(v)
                         for v in values])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


__all__ = ["ListRow", "list_rows", "priority_list_csv"]
