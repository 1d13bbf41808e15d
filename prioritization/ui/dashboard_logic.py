"""Data shaping and plain-language sentences for the committee dashboard (pure: no Streamlit).

Every function takes the results of :mod:`prioritization.analysis` (Ranking, DecisionData,
SensitivityReport) and returns a pandas frame for :mod:`prioritization.ui.charts_dashboard` or a
sentence in Swedish or English (``prioritization.i18n``, keys ``charts.*``).

Scores are kept as fractions of 1 (``score``, ``contribution``) and shown to people as points
out of 100 (``points``, ``*_label``): "68,5 poäng av 100" reads better than "0,685".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from prioritization import analysis
from prioritization.engine.ranking import display_order
from prioritization.i18n import number, percent, t
from prioritization.model import Criterion, InfraObject, Project

POINTS = 100.0  # a score of 1 is shown as 100 points
MINUS = "\u2212"  # a real minus sign in printed differences
SHARE_TOL = 1e-9  # SMAA shares are multiples of 1/K (K <= 10^6) and tie fractions: far coarser

# Okabe & Ito (2008) "Color Universal Design": distinguishable with every common colour-vision
# deficiency. Ordered so the first colours have good contrast on white; yellow and black last.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
MAX_TINT = 0.6  # the lightest criterion of a group mixes its group colour with 60 % white

# Rank buckets of the rank-acceptability chart (first, last rank; None = open end)
RANK_BUCKETS = ((1, 1), (2, 3), (4, 5), (6, 10), (11, None))
TOP_CUTOFFS = (3, 5, 10)  # "topp k" in the acceptability sentence: the smallest cutoff above the rank


# --- names --------------------------------------------------------------------------------------


def object_name(o: InfraObject, lang: str = "sv") -> str:
    en = o.attributes.get("name_en")
    return en if lang == "en" and isinstance(en, str) and en else o.name


def criterion_name(c: Criterion, lang: str = "sv") -> str:
    return c.name_en if lang == "en" and c.name_en else c.name


def criterion_group(c: Criterion, lang: str = "sv") -> str | None:
    return c.group_en if lang == "en" and c.group_en else c.group


def _unique_labels(labels: list[str], ids: list[str]) -> list[str]:
    """Axis labels must be unique: a repeated label gets its object id appended."""
    seen: dict[str, int] = {}
    for lab in labels:
        seen[lab] = seen.get(lab, 0) + 1
    return [f"{lab} ({oid})" if seen[lab] > 1 else lab for lab, oid in zip(labels, ids)]


def points_label(score: float, lang: str = "sv") -> str:
    return number(score * POINTS, lang, 1)


def signed_points(diff: float, lang: str = "sv") -> str:
    """+1,2 / −0,4 (a real minus sign) for a score difference given as a fraction of 1."""
    text = number(abs(diff) * POINTS, lang, 1)
    return ("+" if diff >= 0 else MINUS) + text


def share_label(x: float, lang: str = "sv") -> str:
    """A share as a whole percentage that never claims 0 % or 100 % it does not have.

    Within SHARE_TOL of 0 or 1 is 0 or 1: a sum of shares (e.g. "topp 3") that is all of the
    scenarios can come out as 0.9999999999999999 in floating point.
    """
    if x <= SHARE_TOL:
        return percent(0.0, lang)
    if x >= 1.0 - SHARE_TOL:
        return percent(1.0, lang)
    if x < 0.005:
        return "< " + percent(0.01, lang)
    if x >= 0.995:
        return "> " + percent(0.99, lang)
    return percent(x, lang)


# --- colours ------------------------------------------------------------------------------------


def _tint(hex_colour: str, f: float) -> str:
    """Mix a colour with white: f = 0 keeps it, f = 1 gives white."""
    rgb = [int(hex_colour[k:k + 2], 16) for k in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * f):02X}" for c in rgb)


def criterion_colours(criteria: Sequence[Criterion]) -> list[str]:
    """One colour per criterion, criteria order.

    Up to 8 criteria: one Okabe-Ito colour each. More than 8 criteria: Vega-Lite has no pattern
    fills, so when every criterion has a group and there are at most 8 groups, the hue is the
    criterion *group* and the criteria of a group are tints of it (from full colour to 60 % white;
    the chart separates segments with a white outline). Otherwise the 8 hues repeat, each round
    lighter. The exact criterion is always in the tooltip, the legend order and the table.
    """
    m = len(criteria)
    if m <= len(OKABE_ITO):
        return list(OKABE_ITO[:m])
    groups = [c.group for c in criteria]
    order = list(dict.fromkeys(groups))
    if None not in order and len(order) <= len(OKABE_ITO):
        size = {g: groups.count(g) for g in order}
        seen: dict[str, int] = {}
        out = []
        for g in groups:
            k = seen.get(g, 0)
            seen[g] = k + 1
            f = 0.0 if size[g] == 1 else MAX_TINT * k / (size[g] - 1)
            out.append(_tint(OKABE_ITO[order.index(g)], f))
        return out
    rounds = (m - 1) // len(OKABE_ITO)
    return [_tint(OKABE_ITO[k % 8], 0.0 if rounds == 0 else MAX_TINT * (k // 8) / rounds) for k in range(m)]


# --- 1. ranked list with contributions -----------------------------------------------------------


def _candidate_index(data: analysis.DecisionData) -> dict[str, int]:
    return {o.id: i for i, o in enumerate(data.objects)}


def tier_ranks(ranks: Sequence[int], tiers: Sequence[str | None]) -> list[int | None]:
    """Competition rank within the tier: 1 + the number of same-tier objects ranked strictly above."""
    out: list[int | None] = []
    for r, tier in zip(ranks, tiers):
        out.append(None if tier is None else 1 + sum(1 for r2, t2 in zip(ranks, tiers) if t2 == tier and r2 < r))
    return out


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
    index = _candidate_index(data)
    colours = criterion_colours(data.criteria)
    ranked = ranking.ranked
    tier_of = [None if tiers is None else tiers.get(ro.object.id) for ro in ranked]
    in_tier = tier_ranks([ro.rank for ro in ranked], tier_of)
    labels = _unique_labels([f"{ro.rank}. {object_name(ro.object, lang)}" for ro in ranked],
                            [ro.object.id for ro in ranked])
    rows = []
    for pos, ro in enumerate(ranked):
        i = index[ro.object.id]
        end = points_label(ro.score, lang)
        if tier_of[pos] is not None:
            end += " · " + t("charts.tier_short", lang, tier=tier_of[pos], rank=in_tier[pos])
        for j, c in enumerate(data.criteria):
            value = float(ranking.contributions[i, j])
            rows.append({
                "object_id": ro.object.id, "object": object_name(ro.object, lang), "row_label": labels[pos],
                "position": pos, "rank": ro.rank, "tier": tier_of[pos], "tier_rank": in_tier[pos],
                "score": ro.score, "score_label": points_label(ro.score, lang), "end_label": end,
                "criterion_id": c.id, "criterion": criterion_name(c, lang), "group": criterion_group(c, lang),
                "criterion_index": j, "contribution": value, "points": value * POINTS,
                "contribution_label": points_label(value, lang), "score_points": ro.score * POINTS,
                "colour": colours[j],
            })
    frame = pd.DataFrame(rows)
    frame["tier_rank"] = pd.array(frame["tier_rank"], dtype="Int64")
    frame.attrs["grouped_colours"] = len(data.criteria) > len(OKABE_ITO)
    return frame


def committed_frame(ranking: analysis.Ranking, lang: str = "sv") -> pd.DataFrame:
    """The committed ("Redan prioriterade – bevakas") objects: object_id, object, cost; never ranked."""
    return pd.DataFrame([{"object_id": o.id, "object": object_name(o, lang), "cost": o.cost}
                         for o in ranking.committed], columns=["object_id", "object", "cost"])


# --- 2. rank acceptability ------------------------------------------------------------------------


def rank_buckets(n: int) -> list[tuple[int, int, str]]:
    """(first, last, label) of the buckets 1, 2–3, 4–5, 6–10, >10 that exist with n objects."""
    out = []
    for lo, hi in RANK_BUCKETS:
        if lo > n:
            break
        if hi is None:
            out.append((lo, n, f">{lo - 1}"))
        else:
            hi = min(hi, n)
            out.append((lo, hi, str(lo) if lo == hi else f"{lo}\u2013{hi}"))
    return out


def acceptability_frame(report: analysis.SensitivityReport, ranking: analysis.Ranking,
                        lang: str = "sv") -> pd.DataFrame:
    """Rank acceptability b_i^r summed over rank buckets, one row per (object, bucket).

    Objects in the ranking's display order. Columns: object_id, object, row_label, position, rank,
    bucket, bucket_index, share, share_label, first_share, first_label ("Rang 1: 82 %").
    """
    b = report.smaa.rank_acceptability
    index = _candidate_index(report.data)
    buckets = rank_buckets(b.shape[1])
    labels = _unique_labels([f"{ro.rank}. {object_name(ro.object, lang)}" for ro in ranking.ranked],
                            [ro.object.id for ro in ranking.ranked])
    rows = []
    for pos, ro in enumerate(ranking.ranked):
        i = index[ro.object.id]
        first = float(b[i, 0])
        for k, (lo, hi, label) in enumerate(buckets):
            share = float(b[i, lo - 1:hi].sum())
            rows.append({"object_id": ro.object.id, "object": object_name(ro.object, lang),
                         "row_label": labels[pos], "position": pos, "rank": ro.rank, "bucket": label,
                         "bucket_index": k, "share": share, "share_label": share_label(share, lang),
                         "first_share": first,
                         "first_label": t("charts.rank1_label", lang, share=share_label(first, lang))})
    return pd.DataFrame(rows)


def acceptability_sentence(acceptability: np.ndarray, rank: int, *, score_model: str = "none",
                           lang: str = "sv") -> str:
    """"Rang 3 i 82 % av viktscenarierna, topp 5 i 97 %" for one object.

    ``acceptability``: the object's row b_i^1..b_i^N; ``rank``: its rank in the ranking shown.
    The first share is P(exactly this rank); "topp k" uses the smallest of 3, 5, 10 above the
    rank (left out when there is none below N). With score uncertainty ("raters", "uniform") the
    scenarios are weights and scores.
    """
    b = np.asarray(acceptability, dtype=float)
    n = b.shape[0]
    scenarios = t("charts.text.scenarios_weights" if score_model == "none" else "charts.text.scenarios_both", lang)
    text = t("charts.text.acceptability", lang, rank=rank, share=share_label(float(b[rank - 1]), lang),
             scenarios=scenarios)
    k = next((c for c in TOP_CUTOFFS if c > rank and c < n), None)
    if k is not None:
        text += t("charts.text.acceptability_top", lang, k=k, share=share_label(float(b[:k].sum()), lang))
    return text


# --- 3. one-at-a-time weight curves and stability ------------------------------------------------


@dataclass(frozen=True)
class OatCurves:
    """Everything the weight-curve chart of one criterion needs."""

    criterion: str  # display name
    weight: float  # current weight of the criterion
    band: tuple[float, float]  # stability interval of the whole ranking [S5b]
    lines: pd.DataFrame  # object_id, object, position, t, score, points
    breakpoints: pd.DataFrame  # t, score, points, label ("A ↔ B"): crossings between shown objects


def _base_order(report: analysis.SensitivityReport) -> np.ndarray:
    return display_order(report.data.values @ report.weights)


def oat_curves(report: analysis.SensitivityReport, j: int, *, top_n: int = 5, grid: int = 21,
               lang: str = "sv") -> OatCurves:
    """S_i(t) for the ``top_n`` best objects at the report's weights, t on a grid of ``grid`` points
    from 0 to 1 plus the breakpoints where two shown lines cross and the current weight (the lines
    are straight [S5a], the extra points keep the drawn crossings exact; crossings of objects not
    drawn would only add rows: thousands with 200 objects).
    """
    res = report.oat[j]
    crit = report.data.criteria[j]
    objects = report.data.objects
    shown = [int(i) for i in _base_order(report)[:top_n]]
    shown_set = set(shown)
    bps = []
    for bp in res.breakpoints:
        pairs = [(a, c) for a, c in bp.crossings if a in shown_set and c in shown_set]
        if not pairs:
            continue
        at = res.scores_at(bp.t)
        for a, c in pairs:
            first, second = sorted((a, c), key=shown.index)
            bps.append({"t": bp.t, "score": float(at[first]), "points": float(at[first]) * POINTS,
                        "label": f"{object_name(objects[first], lang)} \u2194 {object_name(objects[second], lang)}"})
    bp_frame = pd.DataFrame(bps, columns=["t", "score", "points", "label"])
    ts = np.unique(np.r_[np.linspace(0.0, 1.0, grid), bp_frame["t"].to_numpy(dtype=float), res.weight])
    s = res.scores_at(ts)  # (K, N)
    lines = pd.DataFrame([{"object_id": objects[i].id, "object": object_name(objects[i], lang), "position": pos,
                           "t": float(tv), "score": float(s[k, i]), "points": float(s[k, i]) * POINTS}
                          for pos, i in enumerate(shown) for k, tv in enumerate(ts)])
    band = tuple(float(x) for x in report.stability[j].ranking)
    return OatCurves(criterion_name(crit, lang), float(res.weight), band, lines, bp_frame)


def _distinct_decimals(values: Sequence[float]) -> int:
    """Fewest decimals (0-2) of a percentage that keep different values looking different."""
    for d in (0, 1, 2):
        shown = {round(v * 100, d) for v in values}
        if len(shown) == len({round(v, 12) for v in values}):
            return d
    return 2


def _interval_decimals(lo: float, hi: float, w: float) -> int:
    """Fewest decimals (0-2) of a percentage at which an interval rounded inwards (lower end up,
    upper end down) and the current weight look as different as they are, the weight inside."""
    true = len({round(v, 12) for v in (lo, hi, w)})
    for d in (0, 1, 2):
        f = 100.0 * 10**d
        a, b, c = np.ceil(lo * f - 1e-9), np.floor(hi * f + 1e-9), np.round(w * f)
        if len({a, b, c}) == true and a <= c <= b:
            return d
    return 2


def _pct_floor(x: float, d: int, lang: str) -> str:
    return percent(np.floor(x * 100 * 10**d + 1e-9) / 10**d / 100, lang, d)


def _pct_ceil(x: float, d: int, lang: str) -> str:
    return percent(np.ceil(x * 100 * 10**d - 1e-9) / 10**d / 100, lang, d)


def stability_sentence(stability, criterion: str, lang: str = "sv") -> str:
    """"Rangordningen håller så länge vikten för Klimat ligger mellan 8 % och 19 %; nu 12 %".

    ``stability``: an engine Stability [S5b] (its ``ranking`` interval is used). The printed
    interval is rounded inwards (lower end up, upper end down) so the sentence is never wider
    than the truth; decimals are added until the bounds and the current weight look different.
    """
    lo, hi = stability.ranking
    w = stability.weight
    if lo == hi:
        if hi >= 1.0:
            return t("charts.text.stability_single", lang, criterion=criterion)
        return t("charts.text.stability_none", lang, criterion=criterion, now=percent(w, lang))
    d = _interval_decimals(lo, hi, w)
    now = percent(w, lang, d)
    if lo <= 0.0 and hi >= 1.0:
        return t("charts.text.stability_any", lang, criterion=criterion, now=now)
    if lo <= 0.0:
        return t("charts.text.stability_at_most", lang, criterion=criterion, hi=_pct_floor(hi, d, lang), now=now)
    if hi >= 1.0:
        return t("charts.text.stability_at_least", lang, criterion=criterion, lo=_pct_ceil(lo, d, lang), now=now)
    return t("charts.text.stability_between", lang, criterion=criterion, lo=_pct_ceil(lo, d, lang),
             hi=_pct_floor(hi, d, lang), now=now)


def critical_sentence(report: analysis.SensitivityReport, lang: str = "sv", *, which: str = "any") -> str:
    """The critical criterion [S5c] in one sentence.

    ``which="any"``: the criterion whose smallest *relative* weight change changes any pair of the
    ranking (PA); ``"top"``: the one that changes who is first (PT). The new weight is the
    criterion's weight after the change and renormalisation.
    """
    crit = report.critical
    k = crit.percent_any if which == "any" else crit.percent_top
    if k is None:
        return t("charts.text.critical_none" if which == "any" else "charts.text.critical_top_none", lang)
    row = crit.criteria[k]
    change = row.any if which == "any" else row.top
    objects = report.data.objects
    name = criterion_name(report.data.criteria[k], lang)
    above, below = (object_name(objects[i], lang) for i in change.pair)
    if change.delta == 0.0:
        return t("charts.text.critical_tie", lang, criterion=name, above=above, below=below)
    d = _distinct_decimals([row.weight, change.t])
    verb = t("charts.text.lowered" if change.delta > 0 else "charts.text.raised", lang)
    key = "charts.text.critical_any" if which == "any" else "charts.text.critical_top"
    return t(key, lang, criterion=name, verb=verb, now=percent(row.weight, lang, d), new=percent(change.t, lang, d),
             change=percent(abs(change.delta_percent) / 100, lang), above=above, below=below)


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
    index = _candidate_index(data)
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
    return ", ".join(f"{n} ({signed_points(d, lang)})" for n, d in zip(names, diffs))


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


# --- 4. benefit vs cost ---------------------------------------------------------------------------


def efficient_mask(cost: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Non-dominated points: no other point costs at most as much and scores at least as much,
    with one of the two strictly better. Equal points do not dominate each other."""
    c = np.asarray(cost, dtype=float)
    s = np.asarray(score, dtype=float)
    weakly = (c[None, :] <= c[:, None]) & (s[None, :] >= s[:, None])  # [i, k]: k at least as good as i
    strictly = (c[None, :] < c[:, None]) | (s[None, :] > s[:, None])
    return ~np.any(weakly & strictly, axis=1)


def frontier_frame(ranking: analysis.Ranking, lang: str = "sv") -> pd.DataFrame:
    """Candidates with a cost: object_id, object, rank, score, points, score_label, cost, cost_label,
    efficient, sorted by cost
    then score descending. ``attrs["without_cost"]`` lists the names left out and ``attrs["note"]``
    says so in a sentence (empty when none)."""
    with_cost = [ro for ro in ranking.ranked if ro.object.cost is not None]
    missing = [object_name(ro.object, lang) for ro in ranking.ranked if ro.object.cost is None]
    columns = ["object_id", "object", "rank", "score", "points", "score_label", "cost", "cost_label"]
    frame = pd.DataFrame([{"object_id": ro.object.id, "object": object_name(ro.object, lang), "rank": ro.rank,
                           "score": ro.score, "points": ro.score * POINTS, "score_label": points_label(ro.score, lang),
                           "cost": float(ro.object.cost), "cost_label": cost_label(float(ro.object.cost), lang)}
                          for ro in with_cost], columns=columns)
    frame["efficient"] = efficient_mask(frame["cost"].to_numpy(), frame["score"].to_numpy()) if len(frame) else []
    frame = frame.sort_values(["cost", "score"], ascending=[True, False], kind="stable").reset_index(drop=True)
    frame.attrs["without_cost"] = missing
    frame.attrs["note"] = t("charts.note_without_cost", lang, names=", ".join(missing)) if missing else ""
    return frame


# --- 5./6. rank comparisons: profiles and methods -------------------------------------------------


def average_ranks(values: Sequence[float]) -> np.ndarray:
    """Ascending ranks 1..n with tied values sharing the average of their positions."""
    x = np.asarray(values, dtype=float)
    _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    start = np.cumsum(counts) - counts  # number of smaller values
    return (start + (counts + 1) / 2.0)[inverse]


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    """Spearman's rho: Pearson correlation of the average ranks (ties handled); NaN when a side is
    constant (undefined)."""
    ra, rb = average_ranks(a), average_ranks(b)
    da, db = ra - ra.mean(), rb - rb.mean()
    denom = np.sqrt((da @ da) * (db @ db))
    return float(da @ db / denom) if denom > 0 else float("nan")


def kendall_tau_b(a: Sequence[float], b: Sequence[float]) -> float:
    """Kendall's tau-b (ties in either ranking corrected); NaN when a side is constant."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    iu = np.triu_indices(x.shape[0], k=1)
    sx = np.sign(x[:, None] - x[None, :])[iu]
    sy = np.sign(y[:, None] - y[None, :])[iu]
    n_x, n_y = np.count_nonzero(sx), np.count_nonzero(sy)
    denom = np.sqrt(float(n_x) * float(n_y))
    return float((sx * sy).sum() / denom) if denom > 0 else float("nan")


CORRELATIONS = {"spearman": spearman, "kendall": kendall_tau_b}


def profile_weights(project: Project, lang: str = "sv") -> dict[str, np.ndarray]:
    """The weights in use and every weight profile of the project, by display name."""
    out = {t("charts.weights_in_use", lang): analysis.project_weights(project).weights}
    for p in project.weight_profiles:
        out[p.name] = analysis.project_weights(project, p.id).weights
    return out


def participant_weights(project: Project) -> dict[str, np.ndarray]:
    """Each participant's own weights where given (label: organisation, else name; a label that
    would repeat gets the participant's name, or id, appended so no one's weights are lost)."""
    given = [p for p in project.participants if getattr(p, "weights", None) is not None]
    labels = [p.organisation or p.name for p in given]
    out = {}
    for p, label in zip(given, labels):
        if labels.count(label) > 1:
            label = f"{label} ({p.name})" if p.organisation and p.name != label else f"{label} ({p.id})"
        if label in out:
            label = f"{label} ({p.id})"
        out[label] = analysis.resolve_weights(p.weights, project.criteria).weights
    return out


def profile_rank_frame(project: Project, profiles: Mapping[str, np.ndarray], *,
                       data: analysis.DecisionData | None = None, lang: str = "sv") -> pd.DataFrame:
    """WSM ranks of the candidates under each weight vector: profile, profile_index, object_id,
    object, rank, score, first (True in the first profile), last (True in the last profile)."""
    data = data or analysis.decision_data(project)
    rows = []
    names = list(profiles)
    for p_idx, name in enumerate(names):
        r = analysis.rank(project, "wsm", weights=np.asarray(profiles[name], dtype=float), data=data)
        for ro in r.ranked:
            rows.append({"profile": name, "profile_index": p_idx, "object_id": ro.object.id,
                         "object": object_name(ro.object, lang), "rank": ro.rank, "score": ro.score,
                         "first": p_idx == 0, "last": p_idx == len(names) - 1})
    return pd.DataFrame(rows)


def method_rank_frame(project: Project, *, weights: np.ndarray | None = None,
                      data: analysis.DecisionData | None = None, lang: str = "sv") -> pd.DataFrame:
    """Ranks of the candidates by WSM, TOPSIS and PROMETHEE II with the same weights: method
    (label), method_id, object_id, object, rank, wsm_rank, position (WSM display order), row_label
    ("3. Name" by the WSM rank)."""
    data = data or analysis.decision_data(project)
    results = {m: analysis.rank(project, m, weights=weights, data=data) for m in analysis.METHODS}
    wsm = results["wsm"].ranked
    wsm_rank = {ro.object.id: ro.rank for ro in wsm}
    position = {ro.object.id: k for k, ro in enumerate(wsm)}
    labels = dict(zip(position, _unique_labels([f"{ro.rank}. {object_name(ro.object, lang)}" for ro in wsm],
                                               [ro.object.id for ro in wsm])))
    rows = []
    for m, r in results.items():
        for ro in r.ranked:
            rows.append({"method": t(f"charts.method.{m}", lang), "method_id": m, "object_id": ro.object.id,
                         "object": object_name(ro.object, lang), "rank": ro.rank,
                         "wsm_rank": wsm_rank[ro.object.id], "position": position[ro.object.id],
                         "row_label": labels[ro.object.id]})
    return pd.DataFrame(rows)


def agreement_frame(ranks: pd.DataFrame, key: str, *, measure: str = "kendall",
                    lang: str = "sv") -> pd.DataFrame:
    """Rank correlation between every pair of rankings in a long frame (``key``, object_id, rank).

    Columns: a, b, a_index, b_index, value, label (two decimals, "–" when undefined). The
    diagonal is included (1 unless a ranking is all tied).
    """
    fn = CORRELATIONS[measure]
    names = list(dict.fromkeys(ranks[key]))
    wide = ranks.pivot(index="object_id", columns=key, values="rank")
    rows = []
    for ia, a in enumerate(names):
        for ib, b in enumerate(names):
            value = fn(wide[a].to_numpy(), wide[b].to_numpy())
            rows.append({"a": a, "b": b, "a_index": ia, "b_index": ib, "value": value,
                         "label": "\u2013" if np.isnan(value) else number(value, lang, 2)})
    return pd.DataFrame(rows)


def correlation_table(ranks: pd.DataFrame, key: str, lang: str = "sv") -> pd.DataFrame:
    """Spearman's rho and Kendall's tau-b for every pair of different rankings (a before b in the
    frame's order): a, b, spearman, kendall, spearman_label, kendall_label."""
    names = list(dict.fromkeys(ranks[key]))
    wide = ranks.pivot(index="object_id", columns=key, values="rank")
    rows = []
    for ia, a in enumerate(names):
        for b in names[ia + 1:]:
            rho = spearman(wide[a].to_numpy(), wide[b].to_numpy())
            tau = kendall_tau_b(wide[a].to_numpy(), wide[b].to_numpy())
            rows.append({"a": a, "b": b, "spearman": rho, "kendall": tau,
                         "spearman_label": "\u2013" if np.isnan(rho) else number(rho, lang, 2),
                         "kendall_label": "\u2013" if np.isnan(tau) else number(tau, lang, 2)})
    return pd.DataFrame(rows, columns=["a", "b", "spearman", "kendall", "spearman_label", "kendall_label"])


# --- 7. map ---------------------------------------------------------------------------------------


def _coordinate(o: InfraObject, key: str) -> float | None:
    v = o.attributes.get(key)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def map_frame(ranking: analysis.Ranking, *, tiers: Mapping[str, str] | None = None,
              lang: str = "sv") -> pd.DataFrame:
    """Objects with coordinates: object_id, object, lat, lon, status ("candidate"/"committed"),
    rank, score_label, tier, category (tier, else the committed label), label (printed next to
    the dot: the rank, or "–" for committed objects). ``attrs["without_coordinates"]`` lists the
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
                     "label": "\u2013" if r is None else str(r)})
    frame = pd.DataFrame(rows, columns=["object_id", "object", "lat", "lon", "status", "rank", "score_label", "tier",
                                        "category", "label"])
    frame.attrs["without_coordinates"] = missing
    frame.attrs["note"] = t("charts.note_without_coordinates", lang, names=", ".join(missing)) if missing else ""
    return frame


# --- 8. budget portfolio ----------------------------------------------------------------------------

BUDGET_STEPS = 200  # the budget slider has about this many steps
MAX_COST_DECIMALS = 4
PORTFOLIO_CATEGORIES = ("both", "optimal", "greedy", "neither")  # chosen by both / only exact / only greedy / none
PER_COST_UNIT = 1000.0  # score per cost is shown as points per 1 000 MSEK (a billion kronor)


def exact(x: float) -> Fraction:
    """A cost or budget as the decimal it was written as: the engine's exact semantics [S6.1]."""
    return Fraction(repr(float(x)))


def exact_sum(values: Iterable[float]) -> Fraction:
    return sum((exact(v) for v in values), Fraction(0))


def cost_decimals(values: Iterable[float]) -> int:
    """Fewest decimals (at most 4) that write every amount exactly: 4200 -> 0, 84.75 -> 2."""
    d = 0
    for v in values:
        f = exact(v)
        while d < MAX_COST_DECIMALS and (f * 10**d).denominator != 1:
            d += 1
    return d


def cost_label(x: float, lang: str = "sv", decimals: int | None = None) -> str:
    """An amount in MSEK written as exactly as it was given: "84,7 MSEK", "4 200 MSEK" ("SEK 84.7 m")."""
    d = cost_decimals([x]) if decimals is None else decimals
    text = number(float(x), lang, d)
    return f"{text} MSEK" if lang == "sv" else f"SEK {text} m"  # as i18n.msek


@dataclass(frozen=True)
class BudgetScale:
    """The budget slider: 0 ... the sum of the candidates' costs, in about 200 "nice" steps."""

    total: float  # sum of the costs of the candidates that have one
    maximum: float  # the slider's end: the total rounded up to a whole step
    step: float  # 1, 2 or 5 x 10^k
    decimals: int  # decimals of the exact budget input: those of the costs
    default: float  # half the total, on a step


def _nice_step(raw: float) -> float:
    """The smallest 1, 2 or 5 x 10^k that is at least ``raw`` (> 0)."""
    k = math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        s = float(f"{m * 10.0**k:.12g}")
        if s >= raw * (1 - 1e-12):
            return s
    return float(f"{10.0 ** (k + 1):.12g}")  # pragma: no cover (m = 10 always qualifies)


def budget_scale(costs: Sequence[float]) -> BudgetScale:
    """Slider bounds and step chosen from the data (the exact budget is typed in a number box)."""
    total = float(exact_sum(costs))
    decimals = cost_decimals(costs)
    if total <= 0:
        return BudgetScale(total, 1.0, 1.0, decimals, 0.0)
    step = _nice_step(total / BUDGET_STEPS)
    d = cost_decimals([step])
    maximum = round(math.ceil(total / step - 1e-9) * step, d)
    default = round(round(total / 2 / step) * step, d)
    return BudgetScale(total, maximum, step, decimals, default)


def _count(n: int, lang: str) -> str:
    return t("portfolio.text.objects_one" if n == 1 else "portfolio.text.objects_many", lang, n=n)


def _names(objs: Sequence[InfraObject], indices: Iterable[int], lang: str) -> str:
    return ", ".join(object_name(objs[i], lang) for i in indices)


@dataclass(frozen=True)
class PortfolioTotals:
    """What one portfolio (exact or greedy) adds up to. ``left`` is computed exactly [S6.1]."""

    count: int
    points: float  # sum of the chosen objects' scores, in points (each object at most 100)
    cost: float
    left: float  # budget - cost


def portfolio_totals(report: analysis.PortfolioReport, which: str = "optimal") -> PortfolioTotals:
    """Totals of ``report.optimal`` (``which="optimal"``) or ``report.greedy``."""
    result = report.optimal if which == "optimal" else report.greedy
    if result is None:
        raise ValueError(f"the report has no {which} portfolio")
    costs = [report.objects[i].cost for i in result.selected]
    return PortfolioTotals(len(result.selected), float(sum(report.values[i] for i in result.selected)) * POINTS,
                           float(exact_sum(costs)), float(exact(report.budget) - exact_sum(costs)))


def portfolio_frame(report: analysis.PortfolioReport, ranking: analysis.Ranking, *,
                    force_in: Sequence[str] = (), force_out: Sequence[str] = (), lang: str = "sv") -> pd.DataFrame:
    """One row per candidate with a cost, in ranking order (``ranking`` must use the report's weights).

    Columns: object_id, object, row_label ("3. Name", unique), position, rank, score, points,
    score_label, cost, cost_label, per_cost (points per 1 000 MSEK; NaN for cost 0), per_cost_label,
    greedy_order (1-based place in the score-per-cost order; <NA> for forced objects), in_optimal,
    in_greedy, forced ("in", "out" or ""), forced_label, category (``PORTFOLIO_CATEGORIES``;
    "greedy"/"neither" only when the report has no exact portfolio), category_label and
    end_label (cost, choice and forcing in words: the chart never relies on colour alone).
    """
    objs = report.objects
    index = {o.id: i for i, o in enumerate(objs)}
    d = cost_decimals([o.cost for o in objs])
    optimal = set(report.optimal.selected) if report.optimal is not None else None
    greedy = set(report.greedy.selected)
    greedy_pos = {i: k + 1 for k, i in enumerate(report.greedy.order)}
    ranked = [ro for ro in ranking.ranked if ro.object.id in index]
    labels = _unique_labels([f"{ro.rank}. {object_name(ro.object, lang)}" for ro in ranked],
                            [ro.object.id for ro in ranked])
    fin, fout = set(force_in), set(force_out)
    rows = []
    for pos, ro in enumerate(ranked):
        i = index[ro.object.id]
        score = float(report.values[i])
        cost = float(objs[i].cost)
        in_opt = i in optimal if optimal is not None else None
        in_gre = i in greedy
        if optimal is None:
            category = "greedy" if in_gre else "neither"
        else:
            category = {(True, True): "both", (True, False): "optimal", (False, True): "greedy",
                        (False, False): "neither"}[(in_opt, in_gre)]
        label = t(f"portfolio.category.{category}" if optimal is not None
                  else f"portfolio.category.greedy_only_{'chosen' if in_gre else 'not'}", lang)
        forced = "in" if ro.object.id in fin else "out" if ro.object.id in fout else ""
        forced_label = t(f"portfolio.forced.{forced}", lang) if forced else ""
        per_cost = score * POINTS / cost * PER_COST_UNIT if cost > 0 else math.nan
        end = f"{cost_label(cost, lang)} \u00b7 {label}" + (f" ({forced_label})" if forced else "")
        rows.append({"object_id": ro.object.id, "object": object_name(ro.object, lang), "row_label": labels[pos],
                     "position": pos, "rank": ro.rank, "score": score, "points": score * POINTS,
                     "score_label": points_label(score, lang), "cost": cost, "cost_label": cost_label(cost, lang, d),
                     "per_cost": per_cost,
                     "per_cost_label": "\u2013" if math.isnan(per_cost) else number(per_cost, lang, 1),
                     "greedy_order": greedy_pos.get(i), "in_optimal": in_opt, "in_greedy": in_gre,
                     "forced": forced, "forced_label": forced_label, "category": category, "category_label": label,
                     "end_label": end})
    columns = ["object_id", "object", "row_label", "position", "rank", "score", "points", "score_label", "cost",
               "cost_label", "per_cost", "per_cost_label", "greedy_order", "in_optimal", "in_greedy", "forced",
               "forced_label", "category", "category_label", "end_label"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["greedy_order"] = pd.array(frame["greedy_order"], dtype="Int64")
    return frame


def portfolio_sentences(report: analysis.PortfolioReport, *, force_in: Sequence[str] = (),
                        force_out: Sequence[str] = (), lang: str = "sv") -> list[str]:
    """The portfolio in plain words: what the best combination and the score-per-cost list choose
    within the budget, what they add up to, how they differ and by how much the exact one wins,
    whether the best combination is the only one, and what was forced in or out.

    With ``report.optimal`` None (the exact search was too large) only the greedy list is told.
    """
    from prioritization.engine.portfolio import knapsack_tolerance

    objs = report.objects
    ids = [o.id for o in objs]
    def money(x: float) -> str:
        return cost_label(x, lang)  # each amount exactly as it is: "4 200 MSEK", "980,25 MSEK"

    budget = money(report.budget)
    out: list[str] = []
    fin = [ids.index(o) for o in force_in]
    fout = [ids.index(o) for o in force_out]
    if fin:
        out.append(t("portfolio.text.forced_in", lang, names=_names(objs, fin, lang),
                     cost=money(float(exact_sum(objs[i].cost for i in fin)))))
    if fout:
        out.append(t("portfolio.text.forced_out", lang, names=_names(objs, fout, lang)))
    opt, greedy = report.optimal, report.greedy
    main = opt if opt is not None else greedy
    if not main.selected:
        open_ = [i for i in range(len(objs)) if i not in fout]
        if open_:
            cheapest = min(open_, key=lambda i: (objs[i].cost, i))
            out.append(t("portfolio.text.nothing_fits", lang, budget=budget, name=object_name(objs[cheapest], lang),
                         cost=money(objs[cheapest].cost)))
        else:
            out.append(t("portfolio.text.all_out", lang))
        return out
    g = portfolio_totals(report, "greedy")
    greedy_text = t("portfolio.text.greedy", lang, count=_count(g.count, lang), points=number(g.points, lang, 1),
                    cost=money(g.cost), left=money(g.left))
    if opt is None:
        out.append(t("portfolio.text.greedy_only", lang, budget=budget) + " " + greedy_text)
        return out
    o = portfolio_totals(report, "optimal")
    out.append(t("portfolio.text.optimal", lang, budget=budget, count=_count(o.count, lang),
                 points=number(o.points, lang, 1), cost=money(o.cost), left=money(o.left)))
    out.append(greedy_text)
    only_opt = sorted(set(opt.selected) - set(greedy.selected))
    only_greedy = sorted(set(greedy.selected) - set(opt.selected))
    if not only_opt and not only_greedy:
        out.append(t("portfolio.text.same", lang))
    else:
        gain = float(opt.value) - float(greedy.value)
        if gain > knapsack_tolerance(float(opt.value)):
            rel = percent(gain / float(greedy.value), lang, 1) if greedy.value > 0 else None
            key = "portfolio.text.better" if rel is not None else "portfolio.text.better_abs"
            out.append(t(key, lang, diff=number(gain * POINTS, lang, 1), rel=rel))
        else:
            out.append(t("portfolio.text.equal_value", lang))
        parts = []
        if only_opt:
            parts.append(t("portfolio.text.only_optimal", lang, names=_names(objs, only_opt, lang)))
        if only_greedy:
            parts.append(t("portfolio.text.only_greedy", lang, names=_names(objs, only_greedy, lang)))
        out.append(" ".join(parts))
    out.append(t("portfolio.text.unique" if opt.unique else "portfolio.text.not_unique", lang))
    return out


def greedy_report(project: Project, ranking: analysis.Ranking, budget: float, *, force_in: Sequence[str] = (),
                  force_out: Sequence[str] = ()) -> analysis.PortfolioReport:
    """The score-per-cost list alone (``optimal`` None), for when the exact search is too large.

    Same objects, values and forcing as :func:`analysis.portfolio` (``ranking``: WSM under the same
    weights); the greedy list is quick for any number of objects [S6.3].
    """
    from prioritization.engine.portfolio import greedy_portfolio

    score = {ro.object.id: ro.score for ro in ranking.ranked}
    objs = tuple(o for o in project.candidates if o.cost is not None)
    ids = [o.id for o in objs]
    values = np.array([score[o.id] for o in objs], dtype=float)
    costs = np.array([o.cost for o in objs], dtype=float)
    g = greedy_portfolio(values, costs, budget, force_in=[ids.index(o) for o in force_in],
                         force_out=[ids.index(o) for o in force_out])
    without = tuple(o for o in project.candidates if o.cost is None)
    return analysis.PortfolioReport(float(budget), objs, without, values, None, g)


def forced_in_excess(costs: Mapping[str, float], force_in: Sequence[str], budget: float) -> float | None:
    """The forced-in objects' total cost when it exceeds the budget (decided exactly), else None."""
    total = exact_sum(costs[o] for o in force_in)
    return float(total) if total > exact(budget) else None


def frontier_sentence(frame: pd.DataFrame, lang: str = "sv") -> str:
    """Which objects are on the efficient frontier, in words (``frame``: :func:`frontier_frame`)."""
    if frame.empty:
        return ""
    front = frame[frame["efficient"]]
    return t("portfolio.text.frontier", lang, n=len(front), m=len(frame), names=", ".join(front["object"]))


def without_cost_sentence(objects: Sequence[InfraObject], lang: str = "sv") -> str:
    """Candidates without a cost cannot be in a portfolio: say which ("" when none)."""
    if not objects:
        return ""
    return t("portfolio.text.without_cost", lang, n=len(objects),
             names=", ".join(object_name(o, lang) for o in objects))


def committed_cost_sentence(committed: Sequence[InfraObject], lang: str = "sv") -> str:
    """The committed ("Redan prioriterade – bevakas") objects and their costs, as context: they are
    not in the portfolio and not charged to the budget ("" when there are none)."""
    if not committed:
        return ""
    known = [o.cost for o in committed if o.cost is not None]
    no_cost = t("portfolio.text.no_cost", lang)
    items = [f"{object_name(o, lang)}: {no_cost if o.cost is None else cost_label(o.cost, lang)}"
             for o in committed]
    text = t("portfolio.text.committed", lang, heading=t("charts.committed", lang), items="; ".join(items))
    if len(known) > 1:
        key = "portfolio.text.committed_total" if len(known) == len(committed) else "portfolio.text.committed_known"
        text += " " + t(key, lang, total=cost_label(float(exact_sum(known)), lang))
    return text


# --- sensitivity page: plain-language summary -----------------------------------------------------

SUMMARY_TOP = 3  # "topp 3" in the summary and the agreement sentences
RANGE_COVERAGE = 0.8  # "hamnar mellan rang 3 och 7 i 80 % av scenarierna"
CONFIDENCE_LISTED = 5  # at most this many objects in the confidence-factor sentence


def join_names(items: Sequence[str], lang: str = "sv") -> str:
    """"A", "A och B", "A, B och C" (English: "and")."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + t("charts.text.and", lang) + items[-1]


def varied_sentence(report: analysis.SensitivityReport, lang: str = "sv") -> str:
    """What the SMAA scenarios varied (weight model, score model), how many there were and that the
    seed is fixed, in one sentence."""
    smaa = report.smaa
    weights = t(f"charts.text.varied_weights.{report.weight_model}", lang)
    if report.weight_model != "fixed" and any(c.weight_bounds is not None for c in report.data.criteria):
        weights += t("charts.text.varied_bounds", lang)
    return t("charts.text.varied", lang, weights=weights,
             scores=t(f"charts.text.varied_scores.{report.score_model}", lang),
             samples=number(smaa.samples, lang, 0), seed=smaa.seed)


def rank_range(acceptability: Sequence[float], coverage: float = RANGE_COVERAGE) -> tuple[int, int]:
    """The ranks (lo, hi) an object takes in the central ``coverage`` of the scenarios.

    ``acceptability``: the object's row b_i^1..b_i^N. lo is the first rank with P(rank <= lo) above
    (1 - coverage)/2 and hi the first with P(rank <= hi) at least 1 - (1 - coverage)/2, so at most
    half the remainder lies on either side.
    """
    cum = np.cumsum(np.asarray(acceptability, dtype=float))
    tail = (1.0 - coverage) / 2.0
    lo = int(np.argmax(cum > tail + 1e-9)) + 1
    hi = int(np.argmax(cum >= 1.0 - tail - 1e-9)) + 1
    return lo, hi


def robust_top_sentence(report: analysis.SensitivityReport, ranking: analysis.Ranking, *, k: int = SUMMARY_TOP,
                        lang: str = "sv") -> str | None:
    """"Av topp 3 med de valda vikterna är A i topp 3 i 97 % av scenarierna, B i 90 % och C i 45 %."

    Objects ranked k or better in ``ranking`` (more than k with ties) and their share of scenarios
    in the top k. k is at most N - 1; None with a single object.
    """
    b = report.smaa.rank_acceptability
    k = min(k, b.shape[0] - 1)
    if k < 1:
        return None
    index = _candidate_index(report.data)
    top = [ro for ro in ranking.ranked if ro.rank <= k]
    items = []
    for pos, ro in enumerate(top):
        share = share_label(float(b[index[ro.object.id], :k].sum()), lang)
        key = "charts.text.robust_top_first" if pos == 0 else "charts.text.robust_top_more"
        items.append(t(key, lang, name=object_name(ro.object, lang), k=k, share=share))
    return t("charts.text.robust_top", lang, k=k, items=join_names(items, lang))


def fragile_sentence(report: analysis.SensitivityReport, ranking: analysis.Ranking, *,
                     coverage: float = RANGE_COVERAGE, lang: str = "sv") -> str | None:
    """The object with the widest central rank range (:func:`rank_range`); ties go to the better
    rank. None with a single object."""
    b = report.smaa.rank_acceptability
    if b.shape[0] < 2:
        return None
    index = _candidate_index(report.data)
    best = None
    for ro in ranking.ranked:
        lo, hi = rank_range(b[index[ro.object.id]], coverage)
        if best is None or hi - lo > best[2] - best[1]:
            best = (ro, lo, hi)
    ro, lo, hi = best
    cover = percent(coverage, lang)
    if lo == hi:
        return t("charts.text.fragile_none", lang, coverage=cover)
    return t("charts.text.fragile", lang, name=object_name(ro.object, lang), rank=ro.rank, lo=lo, hi=hi,
             coverage=cover)


def _has_central_weight(report: analysis.SensitivityReport, i: int) -> bool:
    return not bool(np.isnan(report.smaa.central_weights[i]).any())


def confidence_sentence(report: analysis.SensitivityReport, lang: str = "sv", *,
                        limit: int = CONFIDENCE_LISTED) -> str | None:
    """The confidence factors p_i^c [S5d.5] of the objects most often first (at most ``limit``, by
    first-rank share). None without score uncertainty, where they are trivially 0 or 1."""
    if report.score_model == "none":
        return None
    smaa = report.smaa
    first = smaa.rank_acceptability[:, 0]
    objects = report.data.objects
    candidates = [i for i in np.argsort(-first, kind="stable") if first[i] > 0 and _has_central_weight(report, i)]
    if not candidates:
        return None
    items = [f"{object_name(objects[i], lang)} {share_label(float(smaa.confidence[i]), lang)}"
             for i in candidates[:limit]]
    return t("charts.text.confidence", lang, items=", ".join(items))


def acceptability_table(report: analysis.SensitivityReport, ranking: analysis.Ranking, *,
                        coverage: float = RANGE_COVERAGE, lang: str = "sv") -> pd.DataFrame:
    """One row per candidate in display order: object_id, object, rank, at_rank (share of the
    scenarios at exactly this rank), first, top_3/top_5/top_10 (those below N), range_lo,
    range_hi (:func:`rank_range`), confidence (NaN without a central weight), sentence
    (:func:`acceptability_sentence`); every share also as ``<column>_label``."""
    b = report.smaa.rank_acceptability
    n = b.shape[0]
    index = _candidate_index(report.data)
    cutoffs = [k for k in TOP_CUTOFFS if k < n]
    rows = []
    for ro in ranking.ranked:
        i = index[ro.object.id]
        lo, hi = rank_range(b[i], coverage)
        row = {"object_id": ro.object.id, "object": object_name(ro.object, lang), "rank": ro.rank,
               "at_rank": float(b[i, ro.rank - 1]), "first": float(b[i, 0])}
        row.update({f"top_{k}": float(b[i, :k].sum()) for k in cutoffs})
        row.update({"range_lo": lo, "range_hi": hi, "range_label": str(lo) if lo == hi else f"{lo}\u2013{hi}",
                    "confidence": float(report.smaa.confidence[i]) if _has_central_weight(report, i) else np.nan,
                    "sentence": acceptability_sentence(b[i], ro.rank, score_model=report.score_model, lang=lang)})
        rows.append(row)
    frame = pd.DataFrame(rows)
    for col in ["at_rank", "first", *(f"top_{k}" for k in cutoffs), "confidence"]:
        frame[f"{col}_label"] = ["\u2013" if np.isnan(x) else share_label(x, lang) for x in frame[col]]
    return frame


def stability_frame(report: analysis.SensitivityReport, lang: str = "sv") -> pd.DataFrame:
    """Per criterion: criterion_id, criterion, weight, lo, hi (ranking unchanged [S5b]), top_lo,
    top_hi (who is first unchanged), weight_label, interval_label, top_label (rounded inwards like
    :func:`stability_sentence`), sentence."""
    def interval(lo: float, hi: float, w: float) -> str:
        d = _interval_decimals(lo, hi, w)
        a = percent(0.0, lang, d) if lo <= 0.0 else _pct_ceil(lo, d, lang)
        b = percent(1.0, lang, d) if hi >= 1.0 else _pct_floor(hi, d, lang)
        return f"{a}\u2013{b}"

    rows = []
    for c, s in zip(report.data.criteria, report.stability):
        name = criterion_name(c, lang)
        lo, hi = s.ranking
        top_lo, top_hi = s.top
        rows.append({"criterion_id": c.id, "criterion": name, "weight": s.weight, "lo": lo, "hi": hi,
                     "top_lo": top_lo, "top_hi": top_hi,
                     "weight_label": percent(s.weight, lang, _interval_decimals(lo, hi, s.weight)),
                     "interval_label": interval(lo, hi, s.weight), "top_label": interval(top_lo, top_hi, s.weight),
                     "sentence": stability_sentence(s, name, lang)})
    return pd.DataFrame(rows)


def agreement_sentence(ranks: pd.DataFrame, key: str, subject: str, *, k: int = SUMMARY_TOP,
                       lang: str = "sv") -> str | None:
    """Agreement of several rankings (a long frame: ``key``, object_id, object, rank) in plain words:
    whether they share the top k (and its order), how many objects have the same rank in all, and
    the least similar pair (Kendall's tau-b). ``subject`` starts the sentence ("Viktprofilerna").
    None with fewer than two rankings."""
    names = list(dict.fromkeys(ranks[key]))
    if len(names) < 2:
        return None
    wide = ranks.pivot(index="object_id", columns=key, values="rank")[names]
    label = dict(zip(ranks["object_id"], ranks["object"]))
    n = len(wide)
    if all((wide[c] == wide[names[0]]).all() for c in names[1:]):
        return t("charts.text.agree_identical", lang, subject=subject)
    parts = []
    k = min(k, n - 1)
    if k >= 1:
        tops = [set(wide.index[wide[c] <= k]) for c in names]
        by_first = wide[names[0]].sort_values(kind="stable")

        def listed(ids):
            return join_names([label[o] for o in by_first.index if o in ids], lang)

        if all(tp == tops[0] for tp in tops):
            rows = wide.loc[sorted(tops[0])]
            same_order = all((rows[c] == rows[names[0]]).all() for c in names[1:])
            key_ = "charts.text.agree_top_order" if same_order else "charts.text.agree_top_set"
            parts.append(t(key_, lang, subject=subject, k=k, items=listed(tops[0])))
        else:
            common = set.intersection(*tops)
            if common:
                parts.append(t("charts.text.agree_top_some", lang, subject=subject, k=k, items=listed(common)))
            else:
                parts.append(t("charts.text.agree_top_none", lang, subject=subject, k=k))
    same = int((wide.nunique(axis=1) == 1).sum())
    parts.append(t("charts.text.agree_same_place", lang, same=same, n=n))
    pairs = [(kendall_tau_b(wide[a].to_numpy(), wide[b].to_numpy()), a, b)
             for ia, a in enumerate(names) for b in names[ia + 1:]]
    pairs = [p for p in pairs if not np.isnan(p[0])]
    if pairs:
        tau, a, b = min(pairs, key=lambda p: p[0])
        key_ = "charts.text.agree_pair" if len(names) == 2 else "charts.text.agree_most_different"
        parts.append(t(key_, lang, a=a, b=b, tau=number(tau, lang, 2)))
    return " ".join(parts)


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
