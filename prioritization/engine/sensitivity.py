"""One-at-a-time weight sensitivity and exact weight stability intervals for the WSM [S5a, S5b].

For criterion j the weight is moved to t in [0, 1] while the other weights keep their mutual
proportions [S5a]. Every score is then a straight line in t,

    S_i(t) = (1 - t) * R_i + t * v_ij,   R_i = sum_{k != j} w_k v_ik / sum_{k != j} w_k,

and everything here is computed exactly from the two end values of these lines, vectorised over
all pairs of alternatives (no Python loop over pairs).

Tolerance [S0.3]: the tie epsilon is applied to score *differences*. Every line value is a convex
combination of entries of V, so we use one epsilon per problem,
``eps = 1e-9 * max(1, max|v_ij|)``; for normalised values on [0, 1] this is exactly 1e-9, the
S0.2 epsilon of scores on [0, 1]. The same epsilon defines the base ranking (tie groups, S0.2).

"Tied at the base" means: in the same S0.2 tie group of the base scores S = V w. This is the
base ranking's own relation ("strictly above, or tied", [S5b (ii)]) and contains every pair with
|D(w_j)| <= eps; the two differ only for chains of near-ties spanning more than eps.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar, overload

import numpy as np

from prioritization.engine.ranking import TIE_RTOL, competition_ranks
from prioritization.errors import InputError

MERGE_TOL = 1e-12
"""OAT breakpoints closer than this are merged into one [S0.3, S5a]."""

BIND_TOL = 1e-12
"""Two binding half-line bounds closer than this are a tie; the first pair row-major wins [S5b]."""

Pair = tuple[int, int]
_T = TypeVar("_T")


# --------------------------------------------------------------------------------------------
# Validation and the lines S_i(t)
# --------------------------------------------------------------------------------------------


def validate_values_weights(v: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Check V (N x M) and w (M,) and return ``(v, w / sum(w))`` as float arrays [S0.1, S0.4]."""
    v = np.asarray(v, dtype=float)
    w = np.asarray(w, dtype=float)
    if v.ndim != 2:
        raise InputError(f"the value matrix must be two-dimensional (N x M), got shape {v.shape}")
    n, m = v.shape
    if n == 0 or m == 0:
        raise InputError("the value matrix must have at least one alternative and one criterion")
    if not np.all(np.isfinite(v)):
        raise InputError("normalised values must be finite numbers (no NaN or infinity)")
    if w.ndim != 1 or w.shape[0] != m:
        raise InputError(f"expected {m} weights (one per criterion), got shape {w.shape}")
    if not np.all(np.isfinite(w)):
        raise InputError("weights must be finite numbers (no NaN or infinity)")
    if np.any(w < 0):
        raise InputError(f"weights must not be negative (criterion {int(np.flatnonzero(w < 0)[0])})")
    total = float(w.sum())
    if total <= 0:
        raise InputError("the weights sum to zero; at least one weight must be positive")
    return v, w / total


def check_criterion(j: int, m: int) -> int:
    """Return ``j`` as int if it indexes one of the ``m`` criteria, else raise InputError."""
    if isinstance(j, bool) or not isinstance(j, (int, np.integer)):
        raise InputError(f"the criterion index must be an integer, got {j!r}")
    if not 0 <= int(j) < m:
        raise InputError(f"criterion index {j} is out of range (there are {m} criteria)")
    return int(j)


def difference_epsilon(v: np.ndarray) -> float:
    """Tie epsilon for score differences of every S(t) [S0.3]: 1e-9 * max(1, max|v_ij|)."""
    return TIE_RTOL * max(1.0, float(np.max(np.abs(v))))


def rest_scores(v: np.ndarray, w: np.ndarray, j: int) -> np.ndarray:
    """R_i, the score of i at t = 0 (criterion j's weight moved to zero) [S5a].

    ``w`` must already sum to 1 and M must be at least 2. When all other weights are zero
    (w_j = 1) the remainder is split equally among the other criteria [S5a].
    """
    others = np.arange(v.shape[1]) != j
    w_rest = w[others]
    rest_total = float(w_rest.sum())
    if rest_total == 0.0:
        return v[:, others].mean(axis=1)
    # Same as sum_{k != j} w_k v_ik / (1 - w_j), without the cancellation in 1 - w_j.
    return v[:, others] @ (w_rest / rest_total)


def oat_scores(v: np.ndarray, w: np.ndarray, j: int, t: float | np.ndarray) -> np.ndarray:
    """Scores S(t) = (1 - t) R + t v_j when criterion j gets weight t [S5a].

    ``t`` may be a scalar (result shape (N,)) or an array of shape (K,) (result (K, N)), e.g. for
    drawing weight curves. Not applicable (InputError) when M = 1.
    """
    v, w = validate_values_weights(v, w)
    j = check_criterion(j, v.shape[1])
    if v.shape[1] == 1:
        raise InputError("one-at-a-time weight sensitivity is not applicable with a single criterion")
    return _line_values(rest_scores(v, w, j), v[:, j], t)


def _line_values(rest: np.ndarray, own: np.ndarray, t: float | np.ndarray) -> np.ndarray:
    t_arr = np.asarray(t, dtype=float)
    if np.any((t_arr < 0) | (t_arr > 1)) or not np.all(np.isfinite(t_arr)):
        raise InputError("the weight t must lie in [0, 1]")
    if t_arr.ndim == 0:
        return (1.0 - t_arr) * rest + t_arr * own
    if t_arr.ndim != 1:
        raise InputError("t must be a scalar or a one-dimensional array")
    return (1.0 - t_arr)[:, None] * rest[None, :] + t_arr[:, None] * own[None, :]


def competition_ranks_rows(scores: np.ndarray, eps: float) -> np.ndarray:
    """Competition ranks [S0.2] of every row of a (K, N) score array, with a fixed epsilon.

    Row-wise equivalent of :func:`ranking.competition_ranks` (stable descending sort, chain tie
    groups, rank = 1 + size of earlier groups).
    """
    s = np.asarray(scores, dtype=float)
    k, n = s.shape
    order = np.argsort(-s, axis=1, kind="stable")
    ordered = np.take_along_axis(s, order, axis=1)
    new_group = np.ones((k, n), dtype=bool)
    new_group[:, 1:] = (ordered[:, :-1] - ordered[:, 1:]) > eps
    group_start = np.maximum.accumulate(np.where(new_group, np.arange(n), 0), axis=1)
    ranks = np.empty((k, n), dtype=np.int64)
    np.put_along_axis(ranks, order, group_start + 1, axis=1)
    return ranks


# --------------------------------------------------------------------------------------------
# Pair bookkeeping shared by OAT, stability and the critical-criterion analysis
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairContext:
    """Everything about the base problem that does not depend on the criterion varied.

    Pairs are all (i, k) with i < k in row-major order (``numpy.triu_indices``).
    """

    v: np.ndarray  # (N, M) values
    w: np.ndarray  # (M,) weights summing to 1
    eps: float  # tie epsilon for score differences [S0.3]
    scores: np.ndarray  # base WSM scores S = V w [S3.1]
    ranks: np.ndarray  # base competition ranks [S0.2]
    pi: np.ndarray  # first index of every pair
    pk: np.ndarray  # second index of every pair (pi < pk)

    @classmethod
    def build(cls, v: np.ndarray, w: np.ndarray) -> PairContext:
        v, w = validate_values_weights(v, w)
        eps = difference_epsilon(v)
        scores = v @ w
        ranks = competition_ranks(scores, eps)
        pi, pk = np.triu_indices(v.shape[0], k=1)
        return cls(v=v, w=w, eps=eps, scores=scores, ranks=ranks, pi=pi, pk=pk)

    @property
    def n_criteria(self) -> int:
        return self.v.shape[1]

    @cached_property
    def in_top(self) -> np.ndarray:
        """Boolean mask of the base rank-1 set T."""
        return self.ranks == 1

    @cached_property
    def orientation(self) -> np.ndarray:
        """+1 if pi is above pk at the base, -1 if below, 0 if tied (same tie group)."""
        return np.sign(self.ranks[self.pk] - self.ranks[self.pi])

    def pair_lines(self, j: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``(rest, own, d0, d1)``: line ends and pair differences D0 = R_i - R_k, D1 = v_ij - v_kj."""
        rest = rest_scores(self.v, self.w, j)
        own = self.v[:, j]
        d0 = rest[self.pi] - rest[self.pk]
        d1 = own[self.pi] - own[self.pk]
        return rest, own, d0, d1

    def identical_lines(self, d0: np.ndarray, d1: np.ndarray) -> np.ndarray:
        """Pairs whose lines coincide within eps: tied for every t [S5a]."""
        return (np.abs(d0) <= self.eps) & (np.abs(d1) <= self.eps)


def crossing_points(d0: np.ndarray, d1: np.ndarray, eps: float) -> tuple[np.ndarray, np.ndarray]:
    """Mask of pairs whose lines cross inside (0, 1), and t* = D0/(D0 - D1) for them [S5a]."""
    crosses = (np.abs(d0) > eps) & (np.abs(d1) > eps) & (np.sign(d0) != np.sign(d1))
    return crosses, d0[crosses] / (d0[crosses] - d1[crosses])


def tie_break_first(values: np.ndarray, mask: np.ndarray, pick_min: bool) -> int | None:
    """Row-major index of the first masked pair whose value is within BIND_TOL of the extreme."""
    if not mask.any():
        return None
    if pick_min:
        best = values[mask].min()
        near = mask & (values <= best + BIND_TOL)
    else:
        best = values[mask].max()
        near = mask & (values >= best - BIND_TOL)
    return int(np.argmax(near))


# --------------------------------------------------------------------------------------------
# S5a: one-at-a-time breakpoints and intervals
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Breakpoint:
    """A weight t at which the lines of one or more pairs cross [S5a]."""

    t: float
    crossings: list[Pair]  # pairs (i, k), i < k, in row-major order


class _LazySequence(Sequence[_T]):
    """A read-only sequence whose items are built on access (len, iteration, indexing, slicing).

    Equality with any sequence compares the items, like a list, so ``res.breakpoints == []`` holds.
    """

    __slots__ = ()
    __hash__ = None  # type: ignore[assignment]  # mutable-looking, like list

    def _item(self, k: int) -> _T:
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> _T: ...

    @overload
    def __getitem__(self, index: slice) -> list[_T]: ...

    def __getitem__(self, index: int | slice) -> _T | list[_T]:
        n = len(self)
        if isinstance(index, slice):
            return [self._item(k) for k in range(*index.indices(n))]
        k = operator.index(index)
        if k < 0:
            k += n
        if not 0 <= k < n:
            raise IndexError("index out of range")
        return self._item(k)

    def __iter__(self) -> Iterator[_T]:
        return (self._item(k) for k in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<{len(self)} items>)"


class BreakpointList(_LazySequence[Breakpoint]):
    """The breakpoints of one criterion, stored as arrays; :class:`Breakpoint` objects on access.

    ``ts[b]`` is the t of breakpoint b; its crossings are the pairs ``(pair_i[s], pair_k[s])`` for
    ``offsets[b] <= s < offsets[b + 1]``, row-major within b. ``offsets`` None means one crossing
    per breakpoint (the usual case; it saves 4 bytes per breakpoint).
    """

    __slots__ = ("ts", "pair_i", "pair_k", "_offsets")

    def __init__(self, ts: np.ndarray, pair_i: np.ndarray, pair_k: np.ndarray, offsets: np.ndarray | None):
        self.ts = ts
        self.pair_i = pair_i
        self.pair_k = pair_k
        self._offsets = offsets

    @property
    def offsets(self) -> np.ndarray:
        """Start of every breakpoint's crossings in ``pair_i``/``pair_k``, and their total at the end."""
        if self._offsets is None:
            return np.arange(self.ts.size + 1)
        return self._offsets

    def __len__(self) -> int:
        return int(self.ts.size)

    def _item(self, k: int) -> Breakpoint:
        s, e = (k, k + 1) if self._offsets is None else (int(self._offsets[k]), int(self._offsets[k + 1]))
        return Breakpoint(float(self.ts[k]),
                          list(zip(self.pair_i[s:e].tolist(), self.pair_k[s:e].tolist(), strict=True)))

    def crossing_ts(self) -> np.ndarray:
        """The t of every crossing (one entry per pair, aligned with ``pair_i`` and ``pair_k``)."""
        if self._offsets is None:
            return self.ts
        return np.repeat(self.ts, np.diff(self._offsets))


class IntervalList(_LazySequence["OatInterval"]):
    """The intervals between consecutive breakpoints (and 0 and 1); :class:`OatInterval` on access.

    Interval k runs from breakpoint k - 1 (or 0) to breakpoint k (or 1); none when ``rest`` is None
    (not applicable).
    """

    __slots__ = ("_ts", "_rest", "_own", "_eps")

    def __init__(self, ts: np.ndarray, rest: np.ndarray | None, own: np.ndarray | None, eps: float):
        self._ts = ts  # the breakpoints' t, shared with the BreakpointList
        self._rest = rest
        self._own = own
        self._eps = eps

    def __len__(self) -> int:
        return 0 if self._rest is None else int(self._ts.size) + 1

    def _item(self, k: int) -> OatInterval:
        assert self._rest is not None and self._own is not None
        lo = 0.0 if k == 0 else float(self._ts[k - 1])
        hi = 1.0 if k == self._ts.size else float(self._ts[k])
        return OatInterval(lo, hi, self._rest, self._own, self._eps)

    def midpoints(self) -> np.ndarray:
        """0.5 * (lo + hi) of every interval, as :attr:`OatInterval.midpoint`."""
        if self._rest is None:
            return np.empty(0)
        edges = np.r_[0.0, self._ts, 1.0]
        return 0.5 * (edges[:-1] + edges[1:])


@dataclass(frozen=True)
class OatInterval:
    """An interval between consecutive breakpoints (or 0 / 1) on which the ranking is constant.

    ``ranks`` are the competition ranks at the midpoint [S5a]. They are computed on first access,
    because a problem with 200 alternatives can have ~10^4 intervals per criterion.
    """

    lo: float
    hi: float
    _rest: np.ndarray = field(repr=False, compare=False)
    _own: np.ndarray = field(repr=False, compare=False)
    _eps: float = field(repr=False, compare=False)

    @property
    def midpoint(self) -> float:
        return 0.5 * (self.lo + self.hi)

    @cached_property
    def ranks(self) -> np.ndarray:
        return competition_ranks(_line_values(self._rest, self._own, self.midpoint), self._eps)


_NO_BREAKPOINTS = (np.empty(0), np.empty(0, dtype=np.int16), np.empty(0, dtype=np.int16), None)


@dataclass(frozen=True)
class OatResult:
    """One-at-a-time analysis of one criterion [S5a].

    ``rest`` and ``own`` are the line ends R (t = 0) and v_j (t = 1); both are None and
    ``applicable`` is False when M = 1.

    ``breakpoints`` and ``intervals`` are sequences whose items are built on access (a problem with
    1 000 alternatives can have 10^5 breakpoints per criterion); callers that need only the t
    values use :attr:`breakpoint_ts`.
    """

    criterion: int
    applicable: bool
    weight: float
    breakpoints: BreakpointList
    intervals: IntervalList
    rest: np.ndarray | None = field(repr=False)
    own: np.ndarray | None = field(repr=False)
    eps: float = field(repr=False)

    @property
    def breakpoint_ts(self) -> np.ndarray:
        """The t of every breakpoint, ascending (float array, read-only view)."""
        ts = self.breakpoints.ts.view()
        ts.flags.writeable = False
        return ts

    def crossings_among(self, members: Iterable[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(t, i, k)`` of the crossings of pairs with both members in ``members``, in breakpoint
        order and row-major within a breakpoint (the order of iterating :attr:`breakpoints`)."""
        bp = self.breakpoints
        if self.own is None or bp.pair_i.size == 0:
            return np.empty(0), np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
        keep = np.zeros(self.own.shape[0], dtype=bool)
        keep[np.fromiter((int(i) for i in members), dtype=np.intp)] = True
        sel = np.flatnonzero(keep[bp.pair_i] & keep[bp.pair_k])
        return bp.crossing_ts()[sel], bp.pair_i[sel].astype(np.intp), bp.pair_k[sel].astype(np.intp)

    def scores_at(self, t: float | np.ndarray) -> np.ndarray:
        """S(t) for a scalar t (shape (N,)) or an array of t (shape (K, N))."""
        if self.rest is None or self.own is None:
            raise InputError("one-at-a-time weight sensitivity is not applicable with a single criterion")
        return _line_values(self.rest, self.own, t)

    def ranks_at(self, t: float) -> np.ndarray:
        """Competition ranks [S0.2] at weight t."""
        return competition_ranks(self.scores_at(float(t)), self.eps)

    def interval_ranks(self, chunk: int = 2048) -> np.ndarray:
        """Ranks at every interval midpoint at once, shape (n_intervals, N), computed in chunks."""
        n = 0 if self.own is None else self.own.shape[0]
        mids = self.intervals.midpoints()
        out = np.empty((mids.size, n), dtype=np.int64)
        for start in range(0, mids.size, chunk):
            part = mids[start : start + chunk]
            out[start : start + part.size] = competition_ranks_rows(self.scores_at(part), self.eps)
        return out


def _oat_from_context(ctx: PairContext, j: int) -> OatResult:
    weight = float(ctx.w[j])
    if ctx.n_criteria == 1:
        return OatResult(j, False, weight, BreakpointList(*_NO_BREAKPOINTS), IntervalList(np.empty(0), None, None, ctx.eps),
                         None, None, ctx.eps)
    rest, own, d0, d1 = ctx.pair_lines(j)
    crosses, t_star = crossing_points(d0, d1, ctx.eps)
    del d0, d1
    cross = np.flatnonzero(crosses)  # row-major pair numbers
    del crosses
    # By t*; the order of equal t* does not matter, they are merged and listed row-major below.
    order = np.argsort(t_star)
    t_sorted = t_star[order]
    cross = cross[order]
    del order, t_star
    # Chain-merge t* values closer than MERGE_TOL; the breakpoint is the group's smallest t*.
    new_group = np.ones(t_sorted.size, dtype=bool)
    new_group[1:] = np.diff(t_sorted) > MERGE_TOL
    offsets = None
    if not new_group.all():  # some breakpoint has several crossings: list them row-major
        starts = np.flatnonzero(new_group)
        ts = t_sorted[starts]
        offsets = np.r_[starts, t_sorted.size].astype(np.int32 if t_sorted.size < 2**31 else np.int64)
        size = np.diff(offsets)
        in_shared = np.repeat(size > 1, size)
        group = np.repeat(np.arange(size.size), size)[in_shared]
        shared = cross[in_shared]
        cross[in_shared] = shared[np.lexsort((shared, group))]  # pair numbers are row-major
    else:
        ts = t_sorted
    del t_sorted, new_group
    index_type = np.int16 if own.size <= np.iinfo(np.int16).max else np.int32
    pair_i, pair_k = ctx.pi[cross].astype(index_type), ctx.pk[cross].astype(index_type)
    del cross

    return OatResult(j, True, weight, BreakpointList(ts, pair_i, pair_k, offsets),
                     IntervalList(ts, rest, own, ctx.eps), rest, own, ctx.eps)


def oat(v: np.ndarray, w: np.ndarray, j: int) -> OatResult:
    """One-at-a-time weight lines of criterion ``j`` with exact, merged breakpoints [S5a]."""
    ctx = PairContext.build(v, w)
    return _oat_from_context(ctx, check_criterion(j, ctx.n_criteria))


def all_breakpoints(v: np.ndarray, w: np.ndarray) -> list[OatResult]:
    """:func:`oat` for every criterion, sharing the base-problem bookkeeping."""
    ctx = PairContext.build(v, w)
    return [_oat_from_context(ctx, j) for j in range(ctx.n_criteria)]


# --------------------------------------------------------------------------------------------
# S5b: exact weight stability intervals
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stability:
    """Weight stability intervals of one criterion [S5b].

    ``top``: t-interval on which every base rank-1 alternative stays rank 1 (ties allowed).
    ``ranking``: closure of the t-set on which every base pairwise relation is unchanged.
    Limiting pairs are (i, k) with i < k, or None where the end is the domain end 0 or 1.
    Deltas are the equivalent Triantaphyllou-Sanchez changes (w_j - t)/(1 - t) at (lo, hi),
    None for t = 1 [S5a link, S5c].
    """

    criterion: int
    weight: float
    top: tuple[float, float]
    top_limiting_pairs: tuple[Pair | None, Pair | None]
    ranking: tuple[float, float]
    ranking_limiting_pairs: tuple[Pair | None, Pair | None]
    top_delta: tuple[float | None, float | None]
    ranking_delta: tuple[float | None, float | None]


def ts_delta(weight: float, t: float) -> float | None:
    """delta = (w_j - t)/(1 - t), the T&S change equivalent to weight t; None for t = 1 [S5a]."""
    if t >= 1.0:
        return None
    return (weight - t) / (1.0 - t)


@dataclass(frozen=True)
class _HalfLines:
    """Per pair: the half-line it imposes on t (at most one of the masks is set)."""

    forced: np.ndarray  # tied at base, lines not identical: t = w_j
    upper: np.ndarray  # t <= bound
    lower: np.ndarray  # t >= bound
    bound: np.ndarray


def _half_lines(ctx: PairContext, d0: np.ndarray, d1: np.ndarray) -> _HalfLines:
    """The half-line rules of [S5b] for every pair, oriented by the base ranking."""
    s = ctx.orientation
    tied = s == 0
    forced = tied & ~ctx.identical_lines(d0, d1)
    od0, od1 = s * d0, s * d1  # differences "above minus below"; zero for tied pairs
    eps = ctx.eps
    upper = ~tied & (od0 >= -eps) & (od1 < -eps)
    lower = ~tied & (od0 < -eps) & (od1 >= -eps)
    active = upper | lower
    bound = np.full(d0.shape, np.nan)
    bound[active] = d0[active] / (d0[active] - d1[active])
    return _HalfLines(forced, upper, lower, bound)


def _interval(
    ctx: PairContext, weight: float, hl: _HalfLines, relevant: np.ndarray
) -> tuple[tuple[float, float], tuple[Pair | None, Pair | None]]:
    """Intersect the half-lines of the relevant pairs: one closed interval containing w_j."""

    def pair(p: int | None) -> Pair | None:
        return None if p is None else (int(ctx.pi[p]), int(ctx.pk[p]))

    forced = hl.forced & relevant
    if forced.any():
        p = pair(int(np.argmax(forced)))  # first tied pair, row-major
        return (weight, weight), (p if weight > 0.0 else None, p if weight < 1.0 else None)

    upper, lower = hl.upper & relevant, hl.lower & relevant
    p_hi = tie_break_first(hl.bound, upper, pick_min=True)
    p_lo = tie_break_first(hl.bound, lower, pick_min=False)
    hi = 1.0 if p_hi is None else max(float(hl.bound[upper].min()), weight)
    lo = 0.0 if p_lo is None else min(float(hl.bound[lower].max()), weight)
    return (lo, hi), (pair(p_lo), pair(p_hi))


def _stability_from_context(ctx: PairContext, j: int) -> Stability:
    weight = float(ctx.w[j])
    if ctx.n_criteria == 1:
        # The only admissible weight is t = 1 [S5a]; nothing can vary.
        return Stability(j, weight, (1.0, 1.0), (None, None), (1.0, 1.0), (None, None),
                         (None, None), (None, None))
    _, _, d0, d1 = ctx.pair_lines(j)
    hl = _half_lines(ctx, d0, d1)

    # (i) Top stays first: pairs with at least one member in T. Pairs inside T are tied at the
    # base ("stay tied"), pairs with one member in T are oriented T-member above.
    in_top = ctx.in_top
    top, top_pairs = _interval(ctx, weight, hl, in_top[ctx.pi] | in_top[ctx.pk])
    # (ii) Ranking unchanged: every pair.
    ranking, ranking_pairs = _interval(ctx, weight, hl, np.ones(ctx.pi.shape, dtype=bool))

    return Stability(
        criterion=j,
        weight=weight,
        top=top,
        top_limiting_pairs=top_pairs,
        ranking=ranking,
        ranking_limiting_pairs=ranking_pairs,
        top_delta=(ts_delta(weight, top[0]), ts_delta(weight, top[1])),
        ranking_delta=(ts_delta(weight, ranking[0]), ts_delta(weight, ranking[1])),
    )


def stability(v: np.ndarray, w: np.ndarray, j: int) -> Stability:
    """Exact weight stability intervals of criterion ``j`` [S5b]."""
    ctx = PairContext.build(v, w)
    return _stability_from_context(ctx, check_criterion(j, ctx.n_criteria))


def all_stability(v: np.ndarray, w: np.ndarray) -> list[Stability]:
    """:func:`stability` for every criterion, sharing the base-problem bookkeeping."""
    ctx = PairContext.build(v, w)
    return [_stability_from_context(ctx, j) for j in range(ctx.n_criteria)]
