"""The ranked list for the committee dashboard (pure: no Streamlit).

Contributions per criterion (the stacked bars), committed objects, ranks within a tier, "why it
ranks where it does" (the neighbours above and below), the map frame, and why the analyses cannot
run (cells nobody has scored). Every function takes the results of :mod:`prioritization.analysis`
and returns a pandas frame for :mod:`prioritization.ui.results.charts_dashboard` or a sentence in Swedish
or English (``prioritization.i18n``, keys ``charts.*``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from prioritization import analysis
from prioritization.i18n import t
from prioritization.model import Criterion, InfraObject, Project
from prioritization.report.result_text import (
    OKABE_ITO,
    POINTS,
    criterion_colours,
    criterion_group,
    criterion_name,
    object_name,
    points_label,
    signed_points,
    unique_labels,
)
from prioritization.tiers import ranks_within

# --- 1. ranked list with contributions -----------------------------------------------------------


def candidate_index(data: analysis.DecisionData) -> dict[str, int]:
    return {o.id: i for i, o in enumerate(data.objects)}


def tier_ranks(ranks: Sequence[int], tiers: Sequence[str | None]) -> list[int | None]:
    """Competition rank within the tier: 1 + the number of same-tier objects ranked strictly above."""
    return ranks_within(ranks, tiers)


def contribution_frame(ranking: analysis.Ranking, data: analysis.DecisionData, *,
                       tiers: Mapping[str, str] | None = None, lang: str = "sv") -> pd.DataFrame:
    """One row per (candidate, criterion) in display order x criteria order.

    Columns: object_id, object, row_label ("3. Name", unique), position (0-based display order),
    rank, tier, tier_rank, score, score_label, end_label (score, and the tier when tiers are set),
    criterion_id, criterion, group, criterion_index, contribution (w_j v_ij; they sum to the
    score), points (contribution x 100), contribution_label, score_points (score x 100), colour.
    ``attrs["grouped_colours"]``: True when the colours follow the criterion groups (> 8 criteria). Committed objects are never in a Ranking's
    ``ranked``; list them with :func:`committed_frame`.
    """
    if ranking.contributions is None:
        raise ValueError("criterion contributions exist for the weighted sum (method 'wsm') only")
    index = candidate_index(data)
    colours = criterion_colours(data.criteria)
    ranked = ranking.ranked
    tier_of = [None if tiers is None else tiers.get(ro.object.id) for ro in ranked]
    in_tier = tier_ranks([ro.rank for ro in ranked], tier_of)
    labels = unique_labels([f"{ro.rank}. {object_name(ro.object, lang)}" for ro in ranked],
                            [ro.object.id for ro in ranked])
    m = len(data.criteria)
    ends = []
    for pos, ro in enumerate(ranked):
        end = points_label(ro.score, lang)
        if tier_of[pos] is not None:
            end += " · " + t("charts.tier_short", lang, tier=tier_of[pos], rank=in_tier[pos])
        ends.append(end)

    n = len(ranked)

    def per_object(values) -> np.ndarray:  # one text per candidate, repeated for each of its criteria
        return np.repeat(np.array(values, dtype=object), m)

    def per_criterion(values) -> np.ndarray:  # one text per criterion, for each candidate in turn
        return np.tile(np.array(values, dtype=object), n)

    # built column by column (3 000 cells at 200 x 15), in the order of the rows: candidate by
    # candidate, criterion by criterion
    scores = np.array([ro.score for ro in ranked], dtype=float)
    contributions = np.asarray(ranking.contributions, dtype=float)[[index[ro.object.id] for ro in ranked]].ravel()
    frame = pd.DataFrame({
        "object_id": per_object([ro.object.id for ro in ranked]),
        "object": per_object([object_name(ro.object, lang) for ro in ranked]),
        "row_label": per_object(labels), "position": np.repeat(np.arange(n, dtype=np.int64), m),
        "rank": np.repeat(np.array([ro.rank for ro in ranked], dtype=np.int64), m),
        "tier": per_object(tier_of), "tier_rank": per_object(in_tier),
        "score": np.repeat(scores, m), "score_label": per_object([points_label(ro.score, lang) for ro in ranked]),
        "end_label": per_object(ends),
        "criterion_id": per_criterion([c.id for c in data.criteria]),
        "criterion": per_criterion([criterion_name(c, lang) for c in data.criteria]),
        "group": per_criterion([criterion_group(c, lang) for c in data.criteria]),
        "criterion_index": np.tile(np.arange(m, dtype=np.int64), n), "contribution": contributions,
        "points": contributions * POINTS,
        "contribution_label": np.array([points_label(float(v), lang) for v in contributions], dtype=object),
        "score_points": np.repeat(scores * POINTS, m),
        "colour": per_criterion(colours),
    })
    frame["tier_rank"] = pd.array(frame["tier_rank"], dtype="Int64")
    frame.attrs["grouped_colours"] = len(data.criteria) > len(OKABE_ITO)
    return frame


def committed_frame(ranking: analysis.Ranking, lang: str = "sv") -> pd.DataFrame:
    """The committed ("Redan prioriterade – bevakas") objects: object_id, object, cost; never ranked."""
    return pd.DataFrame([{"object_id": o.id, "object": object_name(o, lang), "cost": o.cost}
                         for o in ranking.committed], columns=["object_id", "object", "cost"])


# --- "why it ranks where it does" ----------------------------------------------------------------


def neighbour_frame(ranking: analysis.Ranking, data: analysis.DecisionData, object_id: str,
                    lang: str = "sv") -> pd.DataFrame:
    """Contributions of an object and its neighbours in the list, per criterion.

    Columns: criterion_id, criterion, own, above, below (NaN without a neighbour), diff_above
    (own - above), diff_below (own - below). Neighbours are the objects right before and after it
    in display order.
    """
    if ranking.contributions is None:
        raise ValueError("criterion contributions exist for the weighted sum (method 'wsm') only")
    ids = [ro.object.id for ro in ranking.ranked]
    pos = ids.index(object_id)
    index = candidate_index(data)
    c = ranking.contributions
    own = c[index[object_id]]
    nan = np.full(own.shape, np.nan)
    above = c[index[ids[pos - 1]]] if pos > 0 else nan
    below = c[index[ids[pos + 1]]] if pos + 1 < len(ids) else nan
    return pd.DataFrame({"criterion_id": [cr.id for cr in data.criteria],
                         "criterion": [criterion_name(cr, lang) for cr in data.criteria],
                         "own": own, "above": above, "below": below,
                         "diff_above": own - above, "diff_below": own - below})


def _items(names: Sequence[str], diffs: Sequence[float], lang: str) -> str:
    return ", ".join(f"{n} ({signed_points(d, lang)})" for n, d in zip(names, diffs, strict=True))


def _versus(other: analysis.RankedObject, names: list[str], diff: np.ndarray, top_k: int, lang: str) -> str:
    visible = np.round(diff * POINTS, 1) != 0  # differences that print as 0,0 are no reason
    order = np.argsort(-diff, kind="stable")
    gains = [j for j in order if diff[j] > 0 and visible[j]][:top_k]
    losses = [j for j in order[::-1] if diff[j] < 0 and visible[j]][:top_k]
    parts = []
    if gains:
        parts.append(t("charts.text.why_stronger", lang, items=_items([names[j] for j in gains], diff[gains], lang)))
    if losses:
        parts.append(t("charts.text.why_weaker", lang, items=_items([names[j] for j in losses], diff[losses], lang)))
    if not parts:
        parts.append(t("charts.text.why_equal", lang))
    return t("charts.text.why_vs", lang, other=object_name(other.object, lang), rank=other.rank,
             score=points_label(other.score, lang), parts="; ".join(parts))


def why_sentences(ranking: analysis.Ranking, data: analysis.DecisionData, object_id: str, *, top_k: int = 2,
                  lang: str = "sv") -> list[str]:
    """Why an object ranks where it does: its rank and score, then for the neighbour above and the
    neighbour below the ``top_k`` criteria where it gains most and loses most (differences of
    contributions w_j v_ij, in points out of 100)."""
    frame = neighbour_frame(ranking, data, object_id, lang)
    ids = [ro.object.id for ro in ranking.ranked]
    pos = ids.index(object_id)
    me = ranking.ranked[pos]
    names = list(frame["criterion"])
    out = [t("charts.text.why_rank", lang, name=object_name(me.object, lang), rank=me.rank,
             score=points_label(me.score, lang), n=len(ids))]
    if pos > 0:
        out.append(_versus(ranking.ranked[pos - 1], names, frame["diff_above"].to_numpy(), top_k, lang))
    if pos + 1 < len(ids):
        out.append(_versus(ranking.ranked[pos + 1], names, frame["diff_below"].to_numpy(), top_k, lang))
    return out


# --- 7. map ---------------------------------------------------------------------------------------


def _coordinate(o: InfraObject, key: str) -> float | None:
    v = o.attributes.get(key)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def map_frame(ranking: analysis.Ranking, *, tiers: Mapping[str, str] | None = None,
              lang: str = "sv") -> pd.DataFrame:
    """Objects with coordinates: object_id, object, lat, lon, status ("candidate"/"committed"),
    rank, score_label, tier, category (tier, else the committed label), label (printed next to
    the dot: the rank, "3 · A" with its tier so the tier is never told by colour alone, or "–" for
    committed objects). ``attrs["without_coordinates"]`` lists the
    names left out and ``attrs["note"]`` says so."""
    rows, missing = [], []
    entries = [(ro.object, ro.rank, ro.score) for ro in ranking.ranked] + [(o, None, None) for o in ranking.committed]
    committed_label = t("charts.committed", lang)
    for o, r, s in entries:
        lat, lon = _coordinate(o, "lat"), _coordinate(o, "lon")
        if lat is None or lon is None:
            missing.append(object_name(o, lang))
            continue
        tier = None if tiers is None or r is None else tiers.get(o.id)
        rows.append({"object_id": o.id, "object": object_name(o, lang), "lat": lat, "lon": lon,
                     "status": "candidate" if r is not None else "committed", "rank": r,
                     "score_label": "\u2013" if s is None else points_label(s, lang), "tier": tier,
                     "category": committed_label if r is None else (tier or t("charts.no_tier", lang)),
                     "label": "\u2013" if r is None else str(r) if tier is None else f"{r} \u00b7 {tier}"})
    frame = pd.DataFrame(rows, columns=["object_id", "object", "lat", "lon", "status", "rank", "score_label", "tier",
                                        "category", "label"])
    frame.attrs["without_coordinates"] = missing
    frame.attrs["note"] = t("charts.note_without_coordinates", lang, names=", ".join(missing)) if missing else ""
    return frame


# --- why the analyses cannot run -----------------------------------------------------------------


def missing_cells(project: Project) -> list[tuple[InfraObject, Criterion]]:
    """Candidate x criterion cells with no score at all (no rating and no agreed score)."""
    scored = {(s.object, s.criterion) for s in project.scores if s.value is not None}
    return [(o, c) for o in project.candidates for c in project.criteria if (o.id, c.id) not in scored]


def incomplete_reason(project: Project, error: Exception, lang: str = "sv") -> str:
    """Why the analyses cannot run, in the reader's language: no candidates, the cells nobody has
    scored (a count and the first three), else the engine's own message."""
    if not project.candidates:
        return t("charts.text.no_candidates", lang)
    missing = missing_cells(project)
    if missing:
        examples = "; ".join(f"{object_name(o, lang)} \u2013 {criterion_name(c, lang)}" for o, c in missing[:3])
        total = len(project.candidates) * len(project.criteria)
        return t("charts.text.missing_cells", lang, count=len(missing), total=total, examples=examples)
    return t("charts.text.analysis_failed", lang, detail=str(error))
