"""Local input points and the priority score that mixes them with the technical score (issue 13).

Each of the n member municipalities has the same budget of whole points and may give at most
``cap`` points to one object. The local score of object i is

    L_i = (points given to i by all municipalities) / (n * cap)   in [0, 1],

and the priority score, with the local share s in [0, 1] set by the facilitator, is

    P_i(s) = (1 - s) * T_i + s * L_i = T_i + s * (L_i - T_i),

where T_i is the technical (WSM) score in [0, 1]. Every P_i is a straight line in s, so the shares at
which the list changes are found exactly from pairwise crossings of these lines,

    s* = (T_a - T_b) / ((T_a - T_b) - (L_a - L_b)),

not by sampling s.

Ranks are the competition ranks of :mod:`prioritization.engine.ranking` ("1-2-2-4", the S0.2
epsilon ``1e-9 * max(1, max|value|)``, one epsilon for the whole problem, taken over T and L: it is
the display epsilon of every P(s) when the scores lie in [0, 1]).

What "a change" means (issue 13: "at which share s the first place or a tier boundary would change"):

* The *top-k set* at s is the set of objects with competition rank <= k, exactly the objects a tier
  boundary "A ends at rank k" (:class:`prioritization.tiers.TierLevel`) puts in A. Objects tied at the
  boundary are all inside, so the set may hold more than k objects. The *first place* is the top-1
  set: every object ranked 1.
* Moving s away from the current share in one direction, the set changes at the nearest share s*
  where it differs from the current set, *at* s* or just beyond it. Tie convention: the breakpoint is
  the crossing itself, where the entering object is tied with the one it displaces (both have rank
  <= k there, so both are inside); just beyond s* the entering object is strictly ahead and the
  displaced one is out. A challenger that only *ties* first place at s* therefore counts as a change
  at s*. Only shares in [0, 1] count; a tie reached exactly at s = 0 or s = 1 counts.
* Objects tied at the current share itself whose lines differ split as soon as s moves: when that
  changes the set in a direction, the breakpoint in that direction is the current share itself.
* Objects with identical lines (the same T and the same L) are tied for every s and never cross.

Pure NumPy: no Streamlit, no storage.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral
from typing import Literal

import numpy as np

from prioritization.engine.ranking import TIE_RTOL, competition_ranks, sorted_groups
from prioritization.errors import InputError

RANGE_TOL = 1e-12
"""A crossing this close outside [0, 1] (rounding) is taken as at the end of the range."""

Direction = Literal["up", "down"]
Kind = Literal["first", "boundary"]


# --------------------------------------------------------------------------------------------
# The scores
# --------------------------------------------------------------------------------------------


def local_scores(points_given: np.ndarray, n_municipalities: int, cap: int) -> np.ndarray:
    """L_i = points given to object i / (n_municipalities * cap), in [0, 1] (issue 13).

    ``points_given`` holds, per object, the sum of the whole points every municipality gave it.
    Raises ValueError (:class:`InputError`) for fewer than one municipality, a cap below one,
    points that are negative, not whole or not finite, or a total above n * cap (no object can
    get more than the cap from every municipality).
    """
    if isinstance(n_municipalities, bool) or not isinstance(n_municipalities, Integral) or n_municipalities < 1:
        raise InputError(f"the number of municipalities must be a whole number of at least 1, got {n_municipalities!r}")
    if isinstance(cap, bool) or not isinstance(cap, Integral) or cap < 1:
        raise InputError(f"the cap per object must be a whole number of at least 1, got {cap!r}")
    p = np.asarray(points_given, dtype=float)
    if p.ndim != 1:
        raise InputError(f"points must be one-dimensional (one sum per object), got shape {p.shape}")
    if not np.all(np.isfinite(p)):
        raise InputError("points must be finite numbers")
    if np.any(p < 0):
        raise InputError(f"points must not be negative (object {int(np.flatnonzero(p < 0)[0])})")
    if np.any(p != np.floor(p)):
        raise InputError(f"points must be whole numbers (object {int(np.flatnonzero(p != np.floor(p))[0])})")
    most = int(n_municipalities) * int(cap)
    local = p / most
    if np.any(local > 1):
        i = int(np.flatnonzero(local > 1)[0])
        raise InputError(f"object {i} has {p[i]:g} points, more than {n_municipalities} municipalities x cap {cap}"
                         f" = {most}")
    return local


def _check_share(share: float) -> float:
    if isinstance(share, bool) or not isinstance(share, (int, float, np.floating, np.integer)):
        raise InputError(f"the local share must be a number in [0, 1], got {share!r}")
    s = float(share)
    if not (0.0 <= s <= 1.0):  # also rejects NaN
        raise InputError(f"the local share must lie in [0, 1], got {share!r}")
    return s


def _check_scores(technical: np.ndarray, local: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(technical, dtype=float)
    loc = np.asarray(local, dtype=float)
    if t.ndim != 1 or loc.shape != t.shape:
        raise InputError(f"technical and local scores must be one-dimensional and of the same length, got shapes"
                         f" {t.shape} and {loc.shape}")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(loc))):
        raise InputError("technical and local scores must be finite numbers")
    return t, loc


def priority_scores(technical: np.ndarray, local: np.ndarray, share: float) -> np.ndarray:
    """P_i(s) = (1 - s) * T_i + s * L_i for the local share s in [0, 1] (issue 13).

    Raises ValueError (:class:`InputError`) for a share outside [0, 1] or arrays of different shapes.
    """
    s = _check_share(share)
    t, loc = _check_scores(technical, local)
    return _scores_at(t, loc, s)


def _scores_at(t: np.ndarray, loc: np.ndarray, s: float) -> np.ndarray:
    return (1.0 - s) * t + s * loc


# --------------------------------------------------------------------------------------------
# Breakpoints of the share
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareBreakpoint:
    """The nearest share in one direction at which a top-k set changes (issue 13).

    ``share`` is s*; ``kind`` "first" (the first place, k = 1) or "boundary" (a tier boundary, with
    ``through_rank`` = k; None for "first"); ``direction`` "up" (s* above the current share) or "down"
    (below; s* equal to the current share when objects tied now split, see the module docstring).
    ``enters`` are the objects (input indices, ascending) that are in the set just beyond s* but
    were not before it, ``leaves`` those that were in and are out just beyond s*. "Just beyond" reads
    the lines past s*, also when s* is 0 or 1: at s* = 1 the entering object only ties, and
    ``leaves`` names the object it ties with. Usually one object each; identical lines (tied for every
    s) enter or leave together, and an object can leave without another entering (or the reverse)
    when identical lines straddle the boundary.
    """

    share: float
    kind: Kind
    through_rank: int | None
    direction: Direction
    enters: tuple[int, ...]
    leaves: tuple[int, ...]


def _epsilon(t: np.ndarray, loc: np.ndarray) -> float:
    """One tie epsilon for every P(s): 1e-9 * max(1, max|T|, max|L|) (P(s) lies between T and L)."""
    if not t.size:
        return TIE_RTOL
    return TIE_RTOL * max(1.0, float(np.max(np.abs(t))), float(np.max(np.abs(loc))))


def _value_groups(values: np.ndarray, eps: float) -> np.ndarray:
    """The S0.2 tie group of every object (input order), 0 for the best group."""
    order, group = sorted_groups(values, eps)
    gid = np.empty(values.size, dtype=int)
    gid[order] = group
    return gid


def _one_sided_ranks(t: np.ndarray, loc: np.ndarray, s: float, sign: int, eps: float) -> np.ndarray:
    """Competition ranks just beyond s in the direction ``sign`` (+1 up, -1 down).

    Objects in one tie group at s are ordered by their slope in that direction (the one rising
    faster comes first); objects whose slopes also agree within eps (identical lines) stay tied.
    """
    gid = _value_groups(_scores_at(t, loc, s), eps)
    slope = sign * (loc - t)
    order = np.lexsort((-slope, gid))  # by group, then by slope, larger first
    g, sl = gid[order], slope[order]
    new = np.ones(t.size, dtype=bool)
    new[1:] = (g[1:] != g[:-1]) | ((sl[:-1] - sl[1:]) > eps)
    first_pos = np.maximum.accumulate(np.where(new, np.arange(t.size), 0))
    ranks = np.empty(t.size, dtype=int)
    ranks[order] = first_pos + 1
    return ranks


def _set_breakpoint(t: np.ndarray, loc: np.ndarray, share: float, k: int, sign: int, eps: float,
                    kind: Kind) -> ShareBreakpoint | None:
    """The nearest share from ``share`` in direction ``sign`` where the top-k set changes, or None.

    A kinetic sweep over the k-level of the lines: between two events only the tie group holding
    position k (just beyond the current point) can take part in a change of the top-k set, because a
    crossing changes the set only if its tied group holds position k. So the next candidate is the
    nearest crossing of that group's line with any other line; at it the set is compared before, at
    and just beyond; if it did not change, the sweep continues from there with the new group.
    """
    n = t.size
    end = 1.0 if sign > 0 else 0.0
    if k >= n or share == end:
        return None
    direction: Direction = "up" if sign > 0 else "down"
    through_rank = None if kind == "first" else k

    def found(s: float, enters: np.ndarray, leaves: np.ndarray) -> ShareBreakpoint:
        return ShareBreakpoint(share=s, kind=kind, through_rank=through_rank, direction=direction,
                               enters=tuple(int(i) for i in np.flatnonzero(enters)),
                               leaves=tuple(int(i) for i in np.flatnonzero(leaves)))

    # objects tied now whose lines differ split as soon as s moves
    current = competition_ranks(_scores_at(t, loc, share), eps) <= k
    ranks_beyond = _one_sided_ranks(t, loc, share, sign, eps)
    beyond = ranks_beyond <= k
    if np.any(beyond != current):
        before = _one_sided_ranks(t, loc, share, -sign, eps) <= k
        return found(share, beyond & ~before, before & ~beyond)

    x = share
    for _ in range(n * (n - 1) // 2 + 1):  # every step passes at least one crossing
        gid = _value_groups(_scores_at(t, loc, x), eps)
        b = int(np.flatnonzero(ranks_beyond == np.max(ranks_beyond[ranks_beyond <= k]))[0])
        d_t = t[b] - t
        den = d_t - (loc[b] - loc)
        with np.errstate(divide="ignore", invalid="ignore"):
            cross = d_t / den
        # objects tied with b at x have been ordered by slope already (their crossing is at x)
        ok = (gid != gid[b]) & (den != 0) & np.isfinite(cross)
        ok &= (sign * (cross - x) > 0) & (cross >= -RANGE_TOL) & (cross <= 1 + RANGE_TOL)
        if not np.any(ok):
            return None
        x = float(np.clip(np.min(cross[ok]) if sign > 0 else np.max(cross[ok]), 0.0, 1.0))
        at = competition_ranks(_scores_at(t, loc, x), eps) <= k
        ranks_beyond = _one_sided_ranks(t, loc, x, sign, eps)
        beyond = ranks_beyond <= k
        if np.any(at != current) or np.any(beyond != current):
            return found(x, (at | beyond) & ~current, current & ~beyond)
    raise AssertionError("the share sweep did not end")  # pragma: no cover - bounded by the crossings


def _check_boundary(k: int) -> int:
    if isinstance(k, bool) or not isinstance(k, Integral) or k < 1:
        raise InputError(f"a tier boundary must be a whole rank of at least 1, got {k!r}")
    return int(k)


def _both_ways(t: np.ndarray, loc: np.ndarray, share: float, k: int,
               kind: Kind) -> tuple[ShareBreakpoint | None, ShareBreakpoint | None]:
    eps = _epsilon(t, loc)
    return (_set_breakpoint(t, loc, share, k, -1, eps, kind), _set_breakpoint(t, loc, share, k, +1, eps, kind))


def first_place_breakpoints(technical: np.ndarray, local: np.ndarray,
                            share: float) -> tuple[ShareBreakpoint | None, ShareBreakpoint | None]:
    """``(below, above)``: the nearest shares below and above ``share`` at which the first place changes.

    The first place is every object ranked 1. It changes where another object's line reaches the
    leader's: the breakpoint is the share at which that object becomes *tied* first (and just beyond
    it strictly first); see the module docstring for objects tied at ``share`` itself. None in a
    direction where nothing changes within [0, 1] (issue 13).
    """
    t, loc = _check_scores(technical, local)
    return _both_ways(t, loc, _check_share(share), 1, "first")


def boundary_breakpoints(technical: np.ndarray, local: np.ndarray, share: float,
                         through_rank: int) -> tuple[ShareBreakpoint | None, ShareBreakpoint | None]:
    """``(below, above)``: the nearest shares at which the set of objects ranked <= ``through_rank``
    (those a tier boundary "ends at rank k" puts above it) changes; same conventions as
    :func:`first_place_breakpoints`. None when nothing changes, e.g. when k >= the number of objects
    (issue 13)."""
    t, loc = _check_scores(technical, local)
    return _both_ways(t, loc, _check_share(share), _check_boundary(through_rank), "boundary")


def _nearest(candidates: Sequence[ShareBreakpoint | None], share: float) -> ShareBreakpoint | None:
    """The nearest breakpoint; at one share the first place before boundaries, then the lower rank;
    at one distance on both sides the one below."""
    found = [c for c in candidates if c is not None]
    if not found:
        return None
    return min(found, key=lambda c: (abs(c.share - share), c.direction != "down", c.kind != "first",
                                     c.through_rank or 0))


def share_breakpoints(technical: np.ndarray, local: np.ndarray, share: float,
                      boundaries: Sequence[int] = ()) -> tuple[ShareBreakpoint | None, ShareBreakpoint | None]:
    """``(below, above)``: the nearest shares below and above ``share`` at which the first place or the
    set above one of the tier ``boundaries`` (``through_rank`` values) changes; None in a direction
    where nothing changes within [0, 1]. When several change at the same share, the first place is
    reported before a boundary, and a lower boundary before a higher one (issue 13).
    """
    t, loc = _check_scores(technical, local)
    s = _check_share(share)
    ks = sorted({_check_boundary(k) for k in boundaries})
    eps = _epsilon(t, loc)
    out: list[ShareBreakpoint | None] = []
    for sign in (-1, +1):
        found = [_set_breakpoint(t, loc, s, 1, sign, eps, "first")]
        found += [_set_breakpoint(t, loc, s, k, sign, eps, "boundary") for k in ks]
        out.append(_nearest(found, s))
    return out[0], out[1]


def first_change(technical: np.ndarray, local: np.ndarray, share: float,
                 boundaries: Sequence[int] = ()) -> ShareBreakpoint | None:
    """The nearest share on either side at which the first place or a tier boundary would change: the
    answer to "at which share s would the first place or a tier boundary change" in the one-sentence
    summary (issue 13). At one distance on both sides the one below is returned; None when no share
    in [0, 1] changes either."""
    below, above = share_breakpoints(technical, local, share, boundaries)
    return _nearest((below, above), _check_share(share))
