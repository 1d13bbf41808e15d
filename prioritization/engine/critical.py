"""Smallest weight change that changes the WSM ranking: the critical criterion [S5c].

Triantaphyllou & Sanchez (1997), Theorem 1: for alternatives A_i above A_j (P_i > P_j) and
criterion k, changing only W_k to W_k - delta (then renormalising, which does not change WSM
rankings) makes A_i and A_j tie at

    delta_{k,i,j} = (P_i - P_j) / (a_ik - a_jk).

delta > 0 is a decrease, delta < 0 an increase. The equivalent proportional weight of [S5a] is
t = (W_k - delta)/(1 - delta). Feasibility uses the epsilon rules of [S5a] (see
:mod:`prioritization.engine.sensitivity` for the epsilon and the meaning of "tied at the base"):

* a decrease needs D0 < -eps (the pair is reversed at t = 0), which is the same as 0 < delta < W_k
  with strict inequality;
* an increase needs D1 < -eps (reversed at t = 1); impossible when W_k = 1;
* a pair tied at the base with non-identical lines has delta = 0;
* with W_k = 1 nothing can change: the criterion has no feasible change at all.

All pairs are handled at once with NumPy; only the criteria are looped over.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from prioritization.engine.sensitivity import Pair, PairContext

DELTA_RTOL = 1e-12
"""|delta| values within this relative distance of the smallest are a tie [S5c]."""


@dataclass(frozen=True)
class CriticalChange:
    """The smallest feasible change of one criterion's weight for a set of pairs [S5c].

    ``pair`` is (i, j) with A_i above A_j at the base (for a pair tied at the base, i < j).
    ``delta_percent`` = 100 * delta / W_k, None when W_k = 0.
    """

    delta: float
    delta_percent: float | None
    t: float
    pair: Pair


@dataclass(frozen=True)
class CriterionCriticality:
    """Per-criterion result [S5c]. ``top``/``any`` are None when no change is feasible.

    ``criticality_degree`` D'_k = |delta'_any| in percent; None when no change is feasible or
    W_k = 0 (relative change undefined).
    ``sensitivity_coefficient`` = 1/D'_k; 0 when no change is feasible, None (infinite) when
    D'_k = 0 (a tie at the base). For W_k = 0 with a non-zero feasible change the relative change
    is infinite, so the coefficient is 0.
    """

    criterion: int
    weight: float
    top: CriticalChange | None
    any: CriticalChange | None
    criticality_degree: float | None
    sensitivity_coefficient: float | None


@dataclass(frozen=True)
class CriticalResult:
    """Critical criteria [S5c]: indices (0-based) or None when no criterion has a feasible change.

    absolute_top (AT) = argmin |delta_top|, percent_top (PT) = argmin |delta'_top|, and likewise
    absolute_any (AA) and percent_any (PA); ties between criteria go to the lowest index.
    """

    criteria: list[CriterionCriticality]
    absolute_top: int | None
    percent_top: int | None
    absolute_any: int | None
    percent_any: int | None


def _smallest(
    delta: np.ndarray, above: np.ndarray, below: np.ndarray, mask: np.ndarray
) -> int | None:
    """Index of the feasible pair with the smallest |delta|; ties (1e-12 relative) go to the
    lexicographically smallest (above, below) pair [S5c]."""
    if not mask.any():
        return None
    size = np.abs(delta)
    best = size[mask].min()
    near = np.flatnonzero(mask & (size <= best + DELTA_RTOL * best))
    first = np.lexsort((below[near], above[near]))[0]
    return int(near[first])


def _change(weight: float, delta: float, pair: Pair) -> CriticalChange:
    percent = None if weight == 0.0 else 100.0 * delta / weight
    t = (weight - delta) / (1.0 - delta)
    return CriticalChange(delta=delta, delta_percent=percent, t=t, pair=pair)


def _criterion(ctx: PairContext, k: int) -> CriterionCriticality:
    weight = float(ctx.w[k])
    others_total = float(ctx.w[np.arange(ctx.n_criteria) != k].sum())
    if others_total == 0.0:
        # W_k = 1 (this includes M = 1): renormalising always restores W_k = 1 [S5c].
        return CriterionCriticality(k, weight, None, None, None, 0.0)

    _, _, d0, d1 = ctx.pair_lines(k)
    s = ctx.orientation  # +1: pi above pk, -1: below, 0: tied at the base
    tied = (s == 0) & ~ctx.identical_lines(d0, d1)
    od0, od1 = s * d0, s * d1  # "above minus below"
    decrease = (s != 0) & (od0 < -ctx.eps)
    increase = (s != 0) & (od1 < -ctx.eps)
    feasible = tied | decrease | increase

    delta = np.zeros(d0.shape)
    moving = decrease | increase  # here |D1| > eps, see [S5a]
    diff = ctx.scores[ctx.pi] - ctx.scores[ctx.pk]  # P_i - P_k
    delta[moving] = diff[moving] / d1[moving]  # Theorem 1; invariant under swapping the pair

    above = np.where(s < 0, ctx.pk, ctx.pi)  # tied pairs keep (i, k) with i < k
    below = np.where(s < 0, ctx.pi, ctx.pk)
    in_top = ctx.in_top[above]

    def best(mask: np.ndarray) -> CriticalChange | None:
        p = _smallest(delta, above, below, mask)
        if p is None:
            return None
        return _change(weight, float(delta[p]), (int(above[p]), int(below[p])))

    top = best(feasible & in_top)
    any_change = best(feasible)

    if any_change is None:
        degree, coefficient = None, 0.0
    elif any_change.delta == 0.0:
        degree, coefficient = (None if weight == 0.0 else 0.0), None
    elif weight == 0.0:
        degree, coefficient = None, 0.0
    else:
        degree = abs(any_change.delta_percent)
        coefficient = 1.0 / degree
    return CriterionCriticality(k, weight, top, any_change, degree, coefficient)


def _argmin_criterion(values: list[float | None]) -> int | None:
    """Lowest criterion index among those within 1e-12 (relative) of the smallest value."""
    present = [(val, k) for k, val in enumerate(values) if val is not None]
    if not present:
        return None
    best = min(val for val, _ in present)
    return min(k for val, k in present if val <= best + DELTA_RTOL * best)


def critical(v: np.ndarray, w: np.ndarray) -> CriticalResult:
    """Triantaphyllou-Sanchez smallest weight changes and the critical criteria [S5c]."""
    ctx = PairContext.build(v, w)
    rows = [_criterion(ctx, k) for k in range(ctx.n_criteria)]

    def magnitude(change: CriticalChange | None, relative: bool) -> float | None:
        if change is None:
            return None
        if relative:
            return None if change.delta_percent is None else abs(change.delta_percent)
        return abs(change.delta)

    return CriticalResult(
        criteria=rows,
        absolute_top=_argmin_criterion([magnitude(r.top, False) for r in rows]),
        percent_top=_argmin_criterion([magnitude(r.top, True) for r in rows]),
        absolute_any=_argmin_criterion([magnitude(r.any, False) for r in rows]),
        percent_any=_argmin_criterion([magnitude(r.any, True) for r in rows]),
    )
