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
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from prioritization import analysis
from prioritization.engine.ranking import competition_ranks, display_order
from prioritization.i18n import number, percent, t
from prioritization.model import Criterion, InfraObject, Project
from prioritization.robustness import TOP_CUTOFFS, share_label, top_cutoff  # shared with the exports
from prioritization.tiers import ranks_within

POINTS = 100.0  # a score of 1 is shown as 100 points
MINUS = "\u2212"  # a real minus sign in printed differences

# Okabe & Ito (2008) "Color Universal Design": distinguishable with every common colour-vision
# deficiency. Ordered so the first colours have good contrast on white; yellow and black last.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
MAX_TINT = 0.6  # the lightest criterion of a group mixes its group colour with 60 % white

# Rank buckets of the rank-acceptability chart (first, last rank; None = open end)
RANK_BUCKETS = ((1, 1), (2, 3), (4, 5), (6, 10), (11, None))


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


def signed_number(x: float, lang: str = "sv", decimals: int = 2) -> str:
    """A number with a real minus sign ("−0,60", not "-0,60")."""
    return number(x, lang, decimals).replace("-", MINUS)


def signed_points(diff: float, lang: str = "sv") -> str:
    """+1,2 / −0,4 (a real minus sign) for a score difference given as a fraction of 1."""
    text = number(abs(diff) * POINTS, lang, 1)
    return ("+" if diff >= 0 else MINUS) + text


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
    k = top_cutoff(rank, n)
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
    band_untied: bool = False  # the band leaves aside objects that share a rank (untied_interval)
    extra: tuple[str, ...] = ()  # names of objects drawn besides the top ones (``include``)


def _base_order(report: analysis.SensitivityReport) -> np.ndarray:
    return display_order(report.data.values @ report.weights)


def oat_curves(report: analysis.SensitivityReport, j: int, *, top_n: int = 5, grid: int = 21,
               include: Sequence[int] = (), lang: str = "sv") -> OatCurves:
    """S_i(t) for the ``top_n`` best objects at the report's weights (and the objects ``include``,
    indices into ``report.data``, e.g. the pair of a :class:`WeightChange`), t on a grid of ``grid``
    points from 0 to 1 plus the breakpoints where two shown lines cross and the current weight (the
    lines are straight [S5a], the extra points keep the drawn crossings exact; crossings of objects
    not drawn would only add rows: thousands with 200 objects).

    The band is the stability interval [S5b]; when objects share a rank it is a single point, and
    the band is then :func:`untied_interval` (``band_untied``).
    """
    res = report.oat[j]
    crit = report.data.criteria[j]
    objects = report.data.objects
    names = object_labels(objects, lang)
    order = [int(i) for i in _base_order(report)]
    top = order[:top_n]
    extra = [i for i in order if i in set(include) and i not in top]
    shown = top + extra
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
                        "label": f"{names[first]} \u2194 {names[second]}"})
    bp_frame = pd.DataFrame(bps, columns=["t", "score", "points", "label"])
    ts = np.unique(np.r_[np.linspace(0.0, 1.0, grid), bp_frame["t"].to_numpy(dtype=float), res.weight])
    s = res.scores_at(ts)  # (K, N)
    lines = pd.DataFrame([{"object_id": objects[i].id, "object": names[i], "position": pos,
                           "t": float(tv), "score": float(s[k, i]), "points": float(s[k, i]) * POINTS}
                          for pos, i in enumerate(shown) for k, tv in enumerate(ts)])
    band = tuple(float(x) for x in report.stability[j].ranking)
    untied = None
    if band[0] == band[1] < 1.0:
        untied = untied_interval(report, j)
    if untied is not None and untied[0] < untied[1]:
        return OatCurves(criterion_name(crit, lang), float(res.weight), untied, lines, bp_frame, True,
                         tuple(names[i] for i in extra))
    return OatCurves(criterion_name(crit, lang), float(res.weight), band, lines, bp_frame, False,
                     tuple(names[i] for i in extra))


# --- weights in words: one format for every weight on the sensitivity page -----------------------

WEIGHT_DECIMALS = 1  # weights are printed with one decimal ("12,0 %") unless two are needed


def _pct_units(x: float, d: int) -> Decimal:
    """x (a fraction) in percent rounded half up to d decimals, exactly (no float ties)."""
    return (Decimal(repr(float(x))) * 100).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)


def weight_decimals(values: Iterable[float]) -> int:
    """Decimals (1 or 2) of a weight in percent at which values that differ still look different."""
    values = [float(v) for v in values]
    truly = len({round(v, 12) for v in values})
    if len({_pct_units(v, WEIGHT_DECIMALS) for v in values}) == truly:
        return WEIGHT_DECIMALS
    return WEIGHT_DECIMALS + 1


def weight_percent(x: float, lang: str = "sv", decimals: int = WEIGHT_DECIMALS) -> str:
    """A weight in percent, rounded to the nearest ``decimals`` (half up): "12,0 %", never "−0,0 %"."""
    units = _pct_units(max(float(x), 0.0), decimals)
    return f"{number(float(units), lang, decimals)}\u00a0%"


def weight_points_change(now: float, new: float, lang: str = "sv", decimals: int = WEIGHT_DECIMALS) -> str:
    """"+11,0 procentenheter": the difference of the two weights *as printed* (each rounded to
    ``decimals``), so a reader subtracting the printed numbers gets exactly this."""
    diff = _pct_units(new, decimals) - _pct_units(now, decimals)
    sign = "+" if diff >= 0 else MINUS
    return t("charts.text.points_change", lang, change=sign + number(float(abs(diff)), lang, decimals))


def weight_interval_label(lo: float, hi: float, lang: str = "sv", decimals: int = WEIGHT_DECIMALS) -> str:
    """"10,3 %–15,3 %": a weight interval with both ends rounded to the nearest ``decimals``."""
    return f"{weight_percent(lo, lang, decimals)}\u2013{weight_percent(hi, lang, decimals)}"


def stability_sentence(stability, criterion: str, lang: str = "sv",
                       untied: tuple[float, float] | None = None) -> str:
    """"Rangordningen håller så länge vikten för Klimat ligger mellan 10,3 % och 15,3 %; nu 12,0 %".

    ``stability``: an engine Stability [S5b] (its ``ranking`` interval is used). Every weight is
    printed like :func:`weight_percent` (one decimal, two when the bounds and the weight would
    otherwise look alike), rounded to the nearest: the same figures as the table and the chart.
    When objects share a rank the interval is a single point [S5b]; ``untied`` (from
    :func:`untied_interval`) then says how far the weight can move if they are left aside.
    """
    lo, hi = stability.ranking
    w = stability.weight
    if lo == hi:
        if hi >= 1.0:
            return t("charts.text.stability_single", lang, criterion=criterion)
        if untied is not None and untied[0] <= 0.0 and untied[1] >= 1.0:
            return t("charts.text.stability_untied_any", lang, criterion=criterion, now=weight_percent(w, lang))
        if untied is not None and untied[0] < untied[1]:
            u_lo, u_hi = untied
            d = weight_decimals([u_lo, u_hi, w])
            return t("charts.text.stability_untied", lang, criterion=criterion, lo=weight_percent(u_lo, lang, d),
                     hi=weight_percent(u_hi, lang, d), now=weight_percent(w, lang, d))
        return t("charts.text.stability_none", lang, criterion=criterion, now=weight_percent(w, lang))
    d = weight_decimals([lo, hi, w])
    now = weight_percent(w, lang, d)
    if lo <= 0.0 and hi >= 1.0:
        return t("charts.text.stability_any", lang, criterion=criterion, now=now)
    if lo <= 0.0:
        return t("charts.text.stability_at_most", lang, criterion=criterion, hi=weight_percent(hi, lang, d), now=now)
    if hi >= 1.0:
        return t("charts.text.stability_at_least", lang, criterion=criterion, lo=weight_percent(lo, lang, d), now=now)
    return t("charts.text.stability_between", lang, criterion=criterion, lo=weight_percent(lo, lang, d),
             hi=weight_percent(hi, lang, d), now=now)


# --- the smallest weight change that matters [S5a] ------------------------------------------------

CHANGE_EVENTS = ("any", "first", "tier", "top")


@dataclass(frozen=True)
class WeightChange:
    """The smallest change of one criterion's weight (the others keep their proportions [S5a])
    at which ``below`` catches up with ``above`` (they tie; beyond it ``below`` is ahead).

    ``criterion``, ``above`` and ``below`` index ``report.data``; ``weight`` is the weight now and
    ``t`` the weight at the crossing. Sizes are compared as |t − weight| in percentage points.
    """

    criterion: int
    weight: float
    t: float
    above: int
    below: int

    @property
    def size(self) -> float:
        return abs(self.t - self.weight)


def _pair_context(report: analysis.SensitivityReport):
    from prioritization.engine.sensitivity import PairContext

    return PairContext.build(report.data.values, report.weights)


def _crossings(ctx, j: int, relevant: np.ndarray) -> tuple[tuple[float, int | None], tuple[float, int | None]]:
    """Of the relevant pairs (not tied at the base), the nearest crossing below and above the
    current weight of criterion j: ((t, pair index) or (0, None), (t, pair index) or (1, None))."""
    _, _, d0, d1 = ctx.pair_lines(j)
    s = ctx.orientation
    od0, od1 = s * d0, s * d1  # "above minus below" at t = 0 and t = 1; positive at the weight now
    lower = relevant & (s != 0) & (od0 < -ctx.eps)  # reversed at t = 0: they cross below the weight
    upper = relevant & (s != 0) & (od1 < -ctx.eps)  # reversed at t = 1: they cross above it
    bound = np.full(d0.shape, np.nan)
    crossing = lower | upper
    bound[crossing] = od0[crossing] / (od0[crossing] - od1[crossing])
    below = (0.0, None)
    above = (1.0, None)
    if lower.any():
        p = int(np.flatnonzero(lower)[np.argmax(bound[lower])])
        below = (float(bound[p]), p)
    if upper.any():
        p = int(np.flatnonzero(upper)[np.argmin(bound[upper])])
        above = (float(bound[p]), p)
    return below, above


def _boundaries(which: str, tiers=None, k: int = 3) -> list[int] | None:
    """The rank boundaries ("through rank") whose crossing counts for ``which`` (None: any pair)."""
    if which == "first":
        return [1]
    if which == "top":
        return [k]
    if which == "tier":
        return [level.through_rank for level in tiers.levels if level.through_rank is not None]
    return None


def _side_crossings(ctx, j: int, untied: np.ndarray):
    """Every crossing of criterion j's lines between a pair not tied at the base: (t*, pair index,
    the object that catches up, the object caught up with)."""
    _, _, d0, d1 = ctx.pair_lines(j)
    s = ctx.orientation
    od0, od1 = s * d0, s * d1  # "above minus below" at t = 0 and t = 1; positive at the weight now
    moving = untied & ((od0 < -ctx.eps) | (od1 < -ctx.eps))  # reversed at one end: they cross once
    p = np.flatnonzero(moving)
    t_star = od0[p] / (od0[p] - od1[p])
    above = np.where(s[p] > 0, ctx.pi[p], ctx.pk[p])
    below = np.where(s[p] > 0, ctx.pk[p], ctx.pi[p])
    return t_star, p, below, above


def _first_level_change(ctx, j: int, bounds: list[int], fixed: np.ndarray, untied: np.ndarray):
    """The crossing nearest to the weight now (either side) after which an object that is not
    ``fixed`` has a rank on the other side of one of ``bounds``: (t*, catching up, caught up) or None.

    Ranks are competition ranks: 1 + the objects strictly above. Walking outwards from the weight
    now, each crossing moves the object catching up one place up and the other one place down; the
    counts are accumulated per object (vectorised: sort by object and distance, cumulative sums).
    """
    w = float(ctx.w[j])
    t_star, p, up, down = _side_crossings(ctx, j, untied)
    if p.size == 0:
        return None
    edges = np.asarray(sorted(bounds), dtype=float)
    above0 = ctx.ranks - 1  # objects strictly above, at the base
    level0 = np.searchsorted(edges, ctx.ranks, side="left")  # level of each base rank
    lo = np.r_[0.0, edges][level0]  # allowed "strictly above" counts of the level: [lo, hi]
    hi = np.r_[edges, np.inf][level0] - 1
    best = None
    for side in (t_star > w, t_star < w):
        if not side.any():
            continue
        dist = np.abs(t_star[side] - w)
        obj = np.r_[up[side], down[side]]
        step = np.r_[np.full(side.sum(), -1), np.full(side.sum(), 1)]
        dd = np.r_[dist, dist]
        pair = np.r_[np.arange(side.sum()), np.arange(side.sum())]
        keep = ~fixed[obj]
        obj, step, dd, pair = obj[keep], step[keep], dd[keep], pair[keep]
        if obj.size == 0:
            continue
        order = np.lexsort((dd, obj))
        obj, step, dd, pair = obj[order], step[order], dd[order], pair[order]
        start = np.r_[True, obj[1:] != obj[:-1]]
        csum = np.cumsum(step)
        base = np.maximum.accumulate(np.where(start, np.arange(obj.size), 0))
        cum = csum - np.r_[0, csum][base]  # cumulative change of each object's count, in distance order
        last = np.r_[(obj[1:] != obj[:-1]) | (np.abs(dd[1:] - dd[:-1]) > 1e-12), True]  # end of a (object, t) group
        count = above0[obj] + cum
        out = last & ((count < lo[obj]) | (count > hi[obj]))
        if not out.any():
            continue
        e = np.flatnonzero(out)
        e = e[dd[e] <= dd[e].min() + 1e-12]
        k = int(np.flatnonzero(side)[pair[e[0]]])  # a crossing of the nearest event
        if best is None or dd[e[0]] < best[0] - 1e-12:
            best = (float(dd[e[0]]), float(t_star[k]), int(up[k]), int(down[k]))
    return None if best is None else best[1:]


def weight_change(report: analysis.SensitivityReport, which: str = "any", *, tiers=None,
                  k: int = 3) -> WeightChange | None:
    """The smallest one-criterion weight change [S5a] that changes, at the report's weights:

    * ``"any"``: the order of any two objects;
    * ``"first"``: who is first (an object catches up with one ranked 1);
    * ``"tier"``: the tiers (``tiers``: a :class:`prioritization.tiers.Tiers` whose boundaries
      follow the ranks): an object not assigned to a tier by hand gets a rank in another tier;
    * ``"top"``: who is in the top ``k``.

    Objects that share a rank (tied at the base) are left aside: the smallest change separates
    them, which says nothing about the decision (:func:`ties_sentence` tells them apart). Sizes
    are |new weight − weight| in percentage points; ties between criteria go to the lowest index.
    ``above``/``below`` are a pair that meets at the new weight (for ``"any"`` the best-ranked such
    pair). None when no change of one weight does it (also with a single criterion, or for
    ``"tier"`` without tiers).
    """
    if which not in CHANGE_EVENTS:
        raise ValueError(f"which must be one of {CHANGE_EVENTS}, got {which!r}")
    m = report.data.values.shape[1]
    if m < 2 or (which == "tier" and not tiers):
        return None
    ctx = _pair_context(report)
    untied = ctx.orientation != 0
    bounds = _boundaries(which, tiers, k)
    fixed = np.zeros(ctx.ranks.shape[0], dtype=bool)
    if which == "tier":
        fixed = np.array([o.id in tiers.assigned for o in report.data.objects], dtype=bool)
    best: WeightChange | None = None
    for j in range(m):
        w = float(ctx.w[j])
        if w >= 1.0:
            continue  # every other weight is 0: renormalising restores this one [S5c]
        if bounds is None:
            found = None
            for t_star, p in _crossings(ctx, j, untied):
                if p is not None and (found is None or abs(t_star - w) < abs(found[0] - w) - 1e-12):
                    a, c = int(ctx.pi[p]), int(ctx.pk[p])
                    found = (t_star, *((c, a) if ctx.orientation[p] > 0 else (a, c)))
        else:
            found = _first_level_change(ctx, j, bounds, fixed, untied)
        if found is None:
            continue
        change = WeightChange(j, w, found[0], found[2], found[1])
        if best is None or change.size < best.size - 1e-12:
            best = change
    if best is None:
        return None
    return _best_pair(ctx, best, untied) if bounds is None else best


def _best_pair(ctx, change: WeightChange, relevant: np.ndarray) -> WeightChange:
    """Among the relevant pairs crossing at the same weight, the best-ranked one."""
    _, _, d0, d1 = ctx.pair_lines(change.criterion)
    s = ctx.orientation
    od0, od1 = s * d0, s * d1
    moving = relevant & (s != 0) & ((od0 < -ctx.eps) | (od1 < -ctx.eps))
    bound = np.full(d0.shape, np.nan)
    bound[moving] = od0[moving] / (od0[moving] - od1[moving])
    same = moving & (np.abs(bound - change.t) <= 1e-12)
    best = None
    for p in np.flatnonzero(same):
        a, c = int(ctx.pi[p]), int(ctx.pk[p])
        above, below = (a, c) if s[p] > 0 else (c, a)
        key = (int(ctx.ranks[above]), int(ctx.ranks[below]), above, below)
        if best is None or key < best[0]:
            best = (key, above, below)
    if best is None:  # pragma: no cover (the change itself is one of them)
        return change
    return WeightChange(change.criterion, change.weight, change.t, best[1], best[2])


def untied_interval(report: analysis.SensitivityReport, j: int) -> tuple[float, float] | None:
    """The weights of criterion j (others in proportion) between which no two objects that do
    not share a rank change order: the stability interval [S5b] with tied objects left aside.
    None with a single criterion or when the weight is 100 %."""
    if report.data.values.shape[1] < 2:
        return None
    ctx = _pair_context(report)
    if float(ctx.w[j]) >= 1.0:
        return None
    (lo, _), (hi, _) = _crossings(ctx, j, np.ones(ctx.pi.shape, dtype=bool))
    return lo, hi


def object_labels(objects: Sequence[InfraObject], lang: str = "sv") -> list[str]:
    """Names for sentences: a name that repeats among ``objects`` gets the object id appended."""
    return _unique_labels([object_name(o, lang) for o in objects], [o.id for o in objects])


def change_sentence(report: analysis.SensitivityReport, which: str = "any", lang: str = "sv", *, tiers=None,
                    k: int = 3, tier_of: Mapping[str, str] | None = None) -> str | None:
    """:func:`weight_change` in one sentence: the criterion, its weight now and at the crossing
    (the difference in percentage points of the printed weights) and who catches up with whom.
    ``tier_of``: the tier of every object (for ``"tier"``). None for ``"tier"`` without tiers."""
    if which == "tier" and not tiers:
        return None
    change = weight_change(report, which, tiers=tiers, k=k)
    if change is None:
        return t(f"charts.text.change_{which}_none", lang, k=k)
    names = object_labels(report.data.objects, lang)
    d = weight_decimals([change.weight, change.t])
    verb = t("charts.text.lowered" if change.t < change.weight else "charts.text.raised", lang)
    objects = report.data.objects
    tier_of = tier_of or {}
    return t(f"charts.text.change_{which}", lang, criterion=criterion_name(report.data.criteria[change.criterion],
                                                                             lang),
             verb=verb, now=weight_percent(change.weight, lang, d), new=weight_percent(change.t, lang, d),
             change=weight_points_change(change.weight, change.t, lang, d), above=names[change.above],
             below=names[change.below], k=k, tier_above=tier_of.get(objects[change.above].id, "\u2013"),
             tier_below=tier_of.get(objects[change.below].id, "\u2013"))


def critical_sentence(report: analysis.SensitivityReport, lang: str = "sv", *, which: str = "any") -> str:
    """The most sensitive criterion in one sentence: ``which="any"`` the smallest weight change
    that swaps any two objects, ``"top"`` the smallest that changes who is first
    (:func:`change_sentence`; objects sharing a rank are left aside)."""
    return change_sentence(report, "first" if which == "top" else "any", lang)


def tie_groups(report: analysis.SensitivityReport) -> list[list[int]]:
    """Objects sharing a rank at the report's weights (groups of indices into ``report.data``,
    best rank first)."""
    ranks = competition_ranks(report.data.values @ report.weights)
    groups: dict[int, list[int]] = {}
    for i in display_order(report.data.values @ report.weights):
        groups.setdefault(int(ranks[i]), []).append(int(i))
    return [g for _, g in sorted(groups.items()) if len(g) > 1]


def identical_objects(report: analysis.SensitivityReport) -> list[set[int]]:
    """Groups of objects with the same values in every criterion (and the same individual
    ratings): they share a rank under any weights."""
    v = report.data.values
    ratings = report.data.ratings
    seen: dict[bytes, set[int]] = {}
    for i in range(v.shape[0]):
        key = np.round(v[i], 12).tobytes() + np.nan_to_num(ratings[:, i, :], nan=-1e300).tobytes()
        seen.setdefault(key, set()).add(i)
    return [g for g in seen.values() if len(g) > 1]


def ties_sentence(report: analysis.SensitivityReport, lang: str = "sv", *, limit: int = 3) -> str | None:
    """Objects that share a rank, told apart from the weight-change sentences (which leave them
    aside): "A och B (rang 3)"; objects identical in every criterion always share it. None
    without ties."""
    groups = tie_groups(report)
    if not groups:
        return None
    ranks = competition_ranks(report.data.values @ report.weights)
    names = object_labels(report.data.objects, lang)
    identical = identical_objects(report)
    parts = []
    for g in groups[:limit]:
        parts.append(t("charts.text.tie_group", lang, names=join_names([names[i] for i in g], lang),
                       rank=int(ranks[g[0]])))
    more = len(groups) - limit
    text = t("charts.text.ties", lang, groups="; ".join(parts))
    if more > 0:
        text += " " + t("charts.text.ties_more", lang, n=more)
    always = [g for g in identical if any(set(g) <= set(grp) for grp in groups)]
    if always:
        listed = [join_names([names[i] for i in sorted(g)], lang) for g in always[:limit]]
        text += " " + t("charts.text.ties_identical", lang, groups="; ".join(listed))
    return text


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
    label = dict(zip([ro.object.id for ro in ranking.ranked], object_labels([ro.object for ro in ranking.ranked],
                                                                               lang)))
    with_cost = [ro for ro in ranking.ranked if ro.object.cost is not None]
    missing = [label[ro.object.id] for ro in ranking.ranked if ro.object.cost is None]
    columns = ["object_id", "object", "rank", "score", "points", "score_label", "cost", "cost_label"]
    frame = pd.DataFrame([{"object_id": ro.object.id, "object": label[ro.object.id], "rank": ro.rank,
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
                         "label": "\u2013" if np.isnan(value) else signed_number(value, lang, 2)})
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
                         "spearman_label": "\u2013" if np.isnan(rho) else signed_number(rho, lang, 2),
                         "kendall_label": "\u2013" if np.isnan(tau) else signed_number(tau, lang, 2)})
    return pd.DataFrame(rows, columns=["a", "b", "spearman", "kendall", "spearman_label", "kendall_label"])


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
    names = object_labels(objs, lang)  # a repeated name gets its id
    return ", ".join(names[i] for i in indices)


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
    names = object_labels(objs, lang)  # a repeated name gets its id
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
        rows.append({"object_id": ro.object.id, "object": names[i], "row_label": labels[pos],
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
            out.append(t("portfolio.text.nothing_fits", lang, budget=budget, name=object_labels(objs, lang)[cheapest],
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


COST_WORDS = ("kostnad", "cost")  # a criterion with one of these in its name and "lower is better" is a cost


def cost_criteria(criteria: Sequence[Criterion]) -> list[int]:
    """Criteria that measure cost ("lower is better" and "kostnad"/"cost" in the name)."""
    return [j for j, c in enumerate(criteria) if c.direction == "cost"
            and any(w in f"{c.name} {c.name_en or ''}".lower() for w in COST_WORDS)]


def cost_twice_sentence(criteria: Sequence[Criterion], weights: Sequence[float], lang: str = "sv") -> str | None:
    """A cost criterion with a weight is already in the score that the portfolio divides by the
    cost: say that cost then counts twice (None when no such criterion weighs anything)."""
    items = [f"{criterion_name(criteria[j], lang)} ({weight_percent(float(weights[j]), lang)})"
             for j in cost_criteria(criteria) if float(weights[j]) > 0]
    if not items:
        return None
    return t("portfolio.text.cost_twice", lang, n=len(items), names=join_names(items, lang))


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
    return t("portfolio.text.without_cost", lang, n=len(objects), names=", ".join(object_labels(objects, lang)))


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
    score_model = report.score_model
    if score_model == "raters" and not raters_disagree(report.data):
        score_model = "raters_agree"  # drawn from the raters, but they gave the same score everywhere
    return t("charts.text.varied", lang, weights=weights,
             scores=t(f"charts.text.varied_scores.{score_model}", lang),
             samples=number(smaa.samples, lang, 0), seed=smaa.seed)


def effective_score_model(report: analysis.SensitivityReport) -> str:
    """The score model as it acted: "raters" with raters who agree in every cell varies nothing."""
    if report.score_model == "raters" and hasattr(report.data, "ratings") and not raters_disagree(report.data):
        return "none"
    return report.score_model


def raters_disagree(data: analysis.DecisionData) -> bool:
    """True when at least one cell has individual ratings that differ (agreed cells never do)."""
    r = data.ratings
    with np.errstate(all="ignore"):
        spread = np.nanmax(r, axis=0) - np.nanmin(r, axis=0) if r.shape[0] > 1 else np.zeros(r.shape[1:])
    return bool(np.any(np.nan_to_num(spread) > 0))


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
    names = object_labels(report.data.objects, lang)
    top = [ro for ro in ranking.ranked if ro.rank <= k]
    if k == 1:  # "topp 1" reads oddly: say "etta"
        items = [t("charts.text.robust_first_item", lang, name=names[index[ro.object.id]],
                   share=share_label(float(b[index[ro.object.id], 0]), lang)) for ro in top]
        return t("charts.text.robust_first", lang, items=join_names(items, lang))
    items = []
    for pos, ro in enumerate(top):
        share = share_label(float(b[index[ro.object.id], :k].sum()), lang)
        key = "charts.text.robust_top_first" if pos == 0 else "charts.text.robust_top_more"
        items.append(t(key, lang, name=names[index[ro.object.id]], k=k, share=share))
    return t("charts.text.robust_top", lang, k=k, items=join_names(items, lang))


def fragile_sentence(report: analysis.SensitivityReport, ranking: analysis.Ranking, *,
                     coverage: float = RANGE_COVERAGE, lang: str = "sv") -> str | None:
    """The object with the widest central rank range (:func:`rank_range`); ties go to the better
    rank. Objects identical to another in every criterion are left out: they always share a rank,
    and SMAA spreads a shared rank over the ranks it covers (:func:`ties_sentence` says so).
    None with a single object, or when every object has an identical twin."""
    b = report.smaa.rank_acceptability
    if b.shape[0] < 2:
        return None
    index = _candidate_index(report.data)
    twins = set().union(*identical_objects(report)) if hasattr(report.data, "values") else set()
    names = object_labels(report.data.objects, lang)
    best = None
    for ro in ranking.ranked:
        if index[ro.object.id] in twins:
            continue
        lo, hi = rank_range(b[index[ro.object.id]], coverage)
        if best is None or hi - lo > best[2] - best[1]:
            best = (ro, lo, hi)
    if best is None:
        return None
    ro, lo, hi = best
    cover = percent(coverage, lang)
    if lo == hi:
        return t("charts.text.fragile_none", lang, coverage=cover)
    return t("charts.text.fragile", lang, name=names[index[ro.object.id]], rank=ro.rank, lo=lo, hi=hi,
             coverage=cover)


def _has_central_weight(report: analysis.SensitivityReport, i: int) -> bool:
    return not bool(np.isnan(report.smaa.central_weights[i]).any())


def confidence_sentence(report: analysis.SensitivityReport, lang: str = "sv", *,
                        limit: int = CONFIDENCE_LISTED) -> str | None:
    """The confidence factors p_i^c [S5d.5] of the objects most often first (at most ``limit``,
    chosen by first-rank share), listed by the factor shown, highest first. None without score
    uncertainty, where they only say whether the object is first or shares the first place: no
    score model, or individual ratings that agree in every cell."""
    if effective_score_model(report) == "none":
        return None
    smaa = report.smaa
    first = smaa.rank_acceptability[:, 0]
    names = object_labels(report.data.objects, lang)
    candidates = [i for i in np.argsort(-first, kind="stable") if first[i] > 0 and _has_central_weight(report, i)]
    if not candidates:
        return None
    chosen = sorted(candidates[:limit], key=lambda i: (-float(smaa.confidence[i]), -float(first[i])))
    items = [f"{names[i]} {share_label(float(smaa.confidence[i]), lang)}" for i in chosen]
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
    names = object_labels(report.data.objects, lang)
    model = effective_score_model(report)
    rows = []
    for ro in ranking.ranked:
        i = index[ro.object.id]
        lo, hi = rank_range(b[i], coverage)
        row = {"object_id": ro.object.id, "object": names[i], "rank": ro.rank,
               "at_rank": float(b[i, ro.rank - 1]), "first": float(b[i, 0])}
        row.update({f"top_{k}": float(b[i, :k].sum()) for k in cutoffs})
        row.update({"range_lo": lo, "range_hi": hi, "range_label": str(lo) if lo == hi else f"{lo}\u2013{hi}",
                    "confidence": float(report.smaa.confidence[i]) if _has_central_weight(report, i) else np.nan,
                    "sentence": acceptability_sentence(b[i], ro.rank, score_model=model, lang=lang)})
        rows.append(row)
    frame = pd.DataFrame(rows)
    for col in ["at_rank", "first", *(f"top_{k}" for k in cutoffs), "confidence"]:
        frame[f"{col}_label"] = ["\u2013" if np.isnan(x) else share_label(x, lang) for x in frame[col]]
    return frame


def stability_frame(report: analysis.SensitivityReport, lang: str = "sv") -> pd.DataFrame:
    """Per criterion: criterion_id, criterion, weight, lo, hi (ranking unchanged [S5b]), top_lo,
    top_hi (who is first unchanged), untied_lo, untied_hi (:func:`untied_interval`, NaN when not
    needed), weight_label, interval_label, top_label (every weight printed like
    :func:`stability_sentence`: to the nearest, one decimal, two when needed), sentence."""
    ties = bool(tie_groups(report))
    rows = []
    for j, (c, s) in enumerate(zip(report.data.criteria, report.stability)):
        name = criterion_name(c, lang)
        lo, hi = s.ranking
        top_lo, top_hi = s.top
        untied = untied_interval(report, j) if ties and lo == hi else None
        d = weight_decimals([lo, hi, s.weight, *(untied or ())])
        interval = weight_interval_label(lo, hi, lang, d)
        if untied is not None and untied[0] < untied[1]:
            interval = t("charts.text.interval_untied", lang, now=weight_percent(s.weight, lang, d),
                         interval=weight_interval_label(*untied, lang, d))
        dt = weight_decimals([top_lo, top_hi, s.weight])
        rows.append({"criterion_id": c.id, "criterion": name, "weight": s.weight, "lo": lo, "hi": hi,
                     "top_lo": top_lo, "top_hi": top_hi,
                     "untied_lo": np.nan if untied is None else untied[0],
                     "untied_hi": np.nan if untied is None else untied[1],
                     "weight_label": weight_percent(s.weight, lang, d), "interval_label": interval,
                     "top_label": weight_interval_label(top_lo, top_hi, lang, dt),
                     "sentence": stability_sentence(s, name, lang, untied)})
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
    first = ranks.drop_duplicates("object_id")
    label = dict(zip(first["object_id"], _unique_labels(list(first["object"]), list(first["object_id"]))))
    n = len(wide)
    if all((wide[c] == wide[names[0]]).all() for c in names[1:]):
        return t("charts.text.agree_identical", lang, subject=subject)
    parts = []
    k = min(k, n - 1)
    if k >= 2:  # with two objects "topp 1" reads oddly; the same-place count says it
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
        parts.append(t(key_, lang, a=a, b=b, tau=signed_number(tau, lang, 2)))
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


# --- the headline of the robustness summary (screen and the PDF) ------------------------------


def headline(report, ranking, tiers, tier_of: dict | None, lang: str = "sv"):
    """The summary's weight-change sentences and the change the curves start with: who is first,
    then the tiers (when the round has tiers) or the top k; the any-pair change is a detail."""
    n = len(ranking.ranked)
    k = min(SUMMARY_TOP, n - 1)
    events = [("first", None)]
    if tiers:
        events.append(("tier", None))
    elif k >= 2:
        events.append(("top", k))
    sentences, changes = [], []
    for which, kk in events:
        sentences.append(change_sentence(report, which, lang, tiers=tiers, k=kk or SUMMARY_TOP,
                                            tier_of=tier_of))
        change = weight_change(report, which, tiers=tiers, k=kk or SUMMARY_TOP)
        if change is not None:
            changes.append(change)
    focus = min(reversed(changes), key=lambda c: c.size) if changes else weight_change(report, "any")
    return sentences, focus


def key_findings(report: analysis.SensitivityReport, ranking: analysis.Ranking, tiers, tier_of: dict | None,
                 lang: str = "sv") -> list[str]:
    """The robustness summary in sentences, as on the sensitivity page: how sure the top is, the
    smallest weight changes that change who is first and move an object across a tier (or out of
    the top k), and the ties."""
    changes, _ = headline(report, ranking, tiers, tier_of, lang)
    lines = [robust_top_sentence(report, ranking, lang=lang), *changes, ties_sentence(report, lang)]
    return [line for line in lines if line]
