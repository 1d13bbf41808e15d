"""The smallest one-criterion weight change that matters [S5a] (pure: no Streamlit).

The change that swaps any two objects, changes who is first, moves an object across a tier or out
of the top k (objects that share a rank are left aside), the stability interval with tied objects
left aside, and these changes in one plain-language sentence (keys ``charts.text.change_*``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from prioritization import analysis
from prioritization.i18n import t
from prioritization.report.result_text import (
    criterion_name,
    object_labels,
    weight_decimals,
    weight_percent,
    weight_points_change,
)

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
