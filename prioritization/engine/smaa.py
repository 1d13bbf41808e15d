"""SMAA-2 (Lahdelma & Salminen 2001) with the weighted sum as value function [S5d].

Per sample s: weights w_s [S5d.1], a raw matrix X_s [S5d.2] normalised within the sample [S1],
scores S = V w_s [S5d.3], tie groups by the chain rule of [S0.2] with
``eps = 1e-9 * max(1, max|S|)`` per sample; a tie group of size t at positions p..p+t-1 gives each
member credit 1/t for each of those ranks [S5d.4]. Outputs are averages over the K samples
[S5d.5]; their Monte Carlo error is discussed in [S5d.6].

Everything is vectorised over chunks of samples. Sampled raw matrices are held criterion-major
(shape (M, chunk, N), seen as a (chunk, N, M) view) so that the per-criterion passes of
``normalize`` run over contiguous memory.

RNG: ``numpy.random.default_rng(seed)``; draw order (1) all K weight vectors, (2) the K score
samples in chunks, (3) the K_c confidence samples in chunks [S5d RNG]. When every cell has the
same number of ratings, rater draws take exact uniform indices from the raw bits of the stream,
one byte per cell, or one 16-bit word per two neighbouring cells when N is even (issue 15); for
such rounds a seed gives other samples than before those changes, within the Monte Carlo error of
[S5d.6].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from prioritization.engine.normalize import SCALE, CriterionSpec, check_scale, normalize
from prioritization.engine.pair_counts import PairCounter
from prioritization.engine.ranking import TIE_RTOL
from prioritization.engine.weight_sampling import WeightModel, sample_weights, validate_weight_model
from prioritization.errors import InputError

NONE, UNIFORM, RATERS = "none", "uniform", "raters"
SCORE_KINDS = (NONE, UNIFORM, RATERS)

CHUNK_BYTES = 48 * 2**20  # working-memory budget per chunk of samples (approximate)
BLAS_BLOCK_MACS = 2**18  # products up to this size stay single-threaded in OpenBLAS
SCAN_CELLS = 2**21  # confidence: full score rows are computed this many values at a time
DENSE_ALTERNATIVES = 64  # confidence: all scores for fewer central weights, else the scan
SMALL_INDEX_DRAWS = True  # rater draws: 8-bit indices when every cell has the same number of ratings
LEADERS = 4  # confidence scan: the leaders of each sample, tried first against every i
RIVALS = 16  # ... and its rivals, tried against the pairs the leaders leave open
PAIR_TABLE_BYTES = 2**22  # rater draws: two neighbouring cells at once while their tables fit


@dataclass(frozen=True)
class ScoreModel:
    """Score uncertainty per sample [S5d.2].

    * ``none``: the raw matrix is used as given.
    * ``uniform``: x' = x + U(-delta_j, delta_j) per cell; ``delta`` has shape (M,) in raw units.
      Scale criteria are then clipped to [lo_j, hi_j].
    * ``raters``: ``ratings`` has shape (P, N, M) with NaN = no rating. Every cell independently
      takes one of its available ratings, uniformly. A cell without any rating is an error.
    """

    kind: str = NONE
    delta: np.ndarray | None = None
    ratings: np.ndarray | None = None


@dataclass(frozen=True)
class SmaaResult:
    """SMAA-2 outputs [S5d.5]; 0-based indices, input order.

    * ``rank_acceptability[i, r]``: b_i^(r+1), mean tie credit of alternative i at rank r+1.
    * ``central_weights[i]``: w_i^c, a row of NaN when b_i^1 = 0 (see :meth:`central_weight`).
    * ``central_weight_se[i]``: (credit-weighted sd of the weights among first-rank samples)
      / sqrt(first-rank count), the count being the summed first-rank credit [S5d.6]; NaN rows
      where b_i^1 = 0.
    * ``confidence[i]``: p_i^c from ``confidence_samples`` further score samples at w_i^c; 0 when
      b_i^1 = 0 (no central weight exists and i was never first).
    * ``pairwise_winning[i, k]``: P(S_i > S_k) + P(tie)/2, diagonal 0.5; None when not asked for
      (``smaa(..., pairwise=False)``: counting it is about a third of a weights-only run at 200
      objects, and only the CLI's JSON output has it).
    * ``holistic``: sum_r alpha_r b_i^r, or None without meta-weights.
    """

    samples: int
    confidence_samples: int
    seed: int
    rank_acceptability: np.ndarray
    central_weights: np.ndarray
    central_weight_se: np.ndarray
    confidence: np.ndarray
    pairwise_winning: np.ndarray | None
    holistic: np.ndarray | None

    @property
    def first_rank_acceptability(self) -> np.ndarray:
        return self.rank_acceptability[:, 0]

    def central_weight(self, i: int) -> np.ndarray | None:
        """w_i^c, or None (JSON ``null``) when b_i^1 = 0."""
        row = self.central_weights[i]
        return None if np.isnan(row).any() else row.copy()

    def central_weights_or_none(self) -> list[np.ndarray | None]:
        return [self.central_weight(i) for i in range(self.central_weights.shape[0])]


# --------------------------------------------------------------------------- score sampling


def _exact_indices(rng: np.random.Generator, shape: tuple[int, ...], count: int,
                   dtype: type[np.unsignedinteger] = np.uint8) -> np.ndarray:
    """Independent indices uniform on 0..count-1, as ``dtype`` (uint8: count <= 255; uint16:
    count <= 65535) of ``shape``.

    Exact, by rejection: raw words b of the bit generator (bytes, or 16-bit words) with
    b < q * count (q = 2^bits // count) give b // q, uniformly; the others (2^bits mod count of
    every 2^bits values: 6 of 256 bytes for count 10, 36 of 65536 words for count 100) are
    replaced by ``Generator.integers`` draws, in order. Eight bytes per 64-bit draw, and every
    pass is vectorised: about five times faster than ``Generator.integers(..., uint8)``.
    """
    size = int(np.prod(shape))
    if count == 1:  # one rating per cell: nothing to draw (as with Generator.integers)
        return np.zeros(shape, dtype=dtype)
    width = np.dtype(dtype).itemsize
    q = 2 ** (8 * width) // count
    b = rng.bit_generator.random_raw(-(-size * width // 8)).view(dtype)[:size]
    np.floor_divide(b, dtype(q), out=b)  # b >= q * count gives >= count: rejected
    if q * count < 2 ** (8 * width):
        bad = np.flatnonzero(b >= count)
        if bad.size:
            b[bad] = rng.integers(0, count, size=bad.size, dtype=dtype)
    return b.reshape(shape)


class _ScoreSampler:
    """Draws raw matrices per [S5d.2] and normalises them within each sample [S1]."""

    def __init__(self, x: np.ndarray, criteria: list[CriterionSpec], model: ScoreModel):
        if model.kind not in SCORE_KINDS:
            raise InputError(f"unknown score model {model.kind!r} (none, uniform or raters)")
        self.x = x
        self.criteria = criteria
        self.kind = model.kind
        n, m = x.shape
        self.deterministic = model.kind == NONE
        if model.kind == NONE:
            self.values = normalize(x, criteria)  # (N, M)
        elif model.kind == UNIFORM:
            if model.delta is None:
                raise InputError("score model 'uniform' needs delta (one half-width per criterion)")
            delta = np.asarray(model.delta, dtype=float)
            if delta.shape != (m,):
                raise InputError(f"there are {m} criteria but {delta.size} deltas were given")
            if not np.all(np.isfinite(delta)) or np.any(delta < 0):
                raise InputError("score deltas must be finite and non-negative")
            self.delta_t = delta[:, None, None]  # (M, 1, 1)
            self.x_t = np.ascontiguousarray(x.T)[:, None, :]  # (M, 1, N)
            scale = [j for j, c in enumerate(criteria) if c.method == SCALE]
            self.clip = [(j, *criteria[j].scale) for j in scale]
        else:
            self._prepare_raters(model.ratings, n, m)

    def _prepare_raters(self, ratings: np.ndarray | None, n: int, m: int) -> None:
        if ratings is None:
            raise InputError("score model 'raters' needs the individual ratings (raters x N x M)")
        r = np.asarray(ratings, dtype=float)
        if r.ndim != 3 or r.shape[1:] != (n, m) or r.shape[0] < 1:
            raise InputError(f"ratings must have shape (raters, {n}, {m}); got {r.shape}")
        if np.any(np.isinf(r)):
            raise InputError("ratings must be finite numbers or missing (NaN)")
        count = np.sum(~np.isnan(r), axis=0)  # (N, M)
        if np.any(count == 0):
            i, j = np.argwhere(count == 0)[0]
            raise InputError(f"rater cell (alternative {i}, criterion {j}) has no rating at all")
        r = check_scale(r, self.criteria)  # reject ratings outside a fixed scale [S1.2]
        # criterion-major, available ratings first (np.sort puts NaN last): (M, N, P)
        self.pool = np.ascontiguousarray(np.sort(r.transpose(2, 1, 0), axis=2))
        self.count = np.ascontiguousarray(count.T)[:, None, :].astype(np.uint64)  # (M, 1, N)
        # every cell rated equally often (the usual complete round): 8-bit draws [S5d.2]
        same = int(count.min()) == int(count.max()) <= 255 and SMALL_INDEX_DRAWS
        self.equal_count = int(count.max()) if same else None
        self._indices = np.empty(0, dtype=np.intp)
        p = r.shape[0]
        self.base = (np.arange(m * n).reshape(m, 1, n) * p).astype(np.intp)
        # neighbouring alternatives 2h, 2h+1 drawn together: one 16-bit index into the P x P
        # value pairs of the two cells (half the index work per cell) when N is even and the
        # tables are small enough to stay in cache
        self.pair_cells = 0 if self.equal_count is None else self.equal_count**2  # P x P pairs
        self.paired = (0 < self.pair_cells <= 65535 and n % 2 == 0
                       and m * (n // 2) * self.pair_cells * 16 <= PAIR_TABLE_BYTES)
        self.pair_base = (np.arange(m * (n // 2)).reshape(m, 1, n // 2) * self.pair_cells).astype(np.intp)
        self._pair_tables: dict[int, np.ndarray] = {}
        # Fixed-scale normalisation maps each rating on its own [S1.2], so it is done once per
        # rating here; min-max (and none) columns are normalised within every sample [S5d.2].
        self.scale_cols = [j for j, c in enumerate(self.criteria) if c.method == SCALE]
        self.sample_cols = [j for j, c in enumerate(self.criteria) if c.method != SCALE]
        self.value_pool = self.pool.copy()
        if self.scale_cols:
            sub = self.pool[self.scale_cols]  # (Ms, N, P)
            missing = np.isnan(sub)
            lows = np.array([self.criteria[j].scale[0] for j in self.scale_cols])[:, None, None]
            filled = np.where(missing, lows, sub)
            v = normalize(filled.transpose(2, 1, 0), [self.criteria[j] for j in self.scale_cols])
            self.value_pool[self.scale_cols] = np.where(missing, np.nan, v.transpose(2, 1, 0))

    def _index_buffer(self, size: int) -> np.ndarray:
        """A reused scratch array of ``size`` flat pool indices (no fresh pages per chunk)."""
        if self._indices.size < size:
            self._indices = np.empty(size, dtype=np.intp)
        return self._indices[:size]

    def _draw_cells(self, rng: np.random.Generator, sizes: list[int], pool: np.ndarray) -> np.ndarray:
        """One available rating per cell and sample, taken from ``pool``: (M, sum(sizes), N).

        The chunks of ``sizes`` are drawn one after the other (the chunks of the RNG contract) into
        one index array, then gathered at once. When every cell has the same number of ratings
        (at most 255) the index is exact and uniform (:func:`_exact_indices`): one byte per cell,
        or, for an even N, one 16-bit word per two neighbouring cells (:meth:`_pair_table`);
        otherwise it comes from the multiply-shift of :meth:`_shift_indices`. These consume the
        random stream differently, so the same seed gives other (equally distributed) samples.
        """
        n, m = self.x.shape
        total = sum(sizes)
        if self.equal_count is None and len(sizes) == 1:
            return pool.ravel().take(self._shift_indices(rng, sizes[0]))
        if self.paired:
            half = n // 2
            idx = self._index_buffer(m * total * half).reshape(m, total, half)
            a = 0
            for c in sizes:
                words = _exact_indices(rng, (m, c, half), self.pair_cells, np.uint16)
                np.add(self.pair_base, words, out=idx[:, a : a + c, :])
                a += c
            pairs = self._pair_table(pool).take(idx, mode="clip")  # in range: no bounds checks
            return pairs.view(np.float64)  # (M, total, N): the two values of a pair side by side
        idx = self._index_buffer(m * total * n).reshape(m, total, n)
        a = 0
        for c in sizes:
            part = idx[:, a : a + c, :]
            if self.equal_count is not None:
                np.add(self.base, _exact_indices(rng, (m, c, n), self.equal_count), out=part)
            else:
                part[...] = self._shift_indices(rng, c)
            a += c
        return pool.ravel().take(idx, mode="clip")  # idx is in range: no bounds checks

    def _pair_table(self, pool: np.ndarray) -> np.ndarray:
        """(pool[j, 2h, a], pool[j, 2h+1, b]) at [j, h, a * P + b] as complex numbers (the two
        floats side by side), flat; made once per pool."""
        table = self._pair_tables.get(id(pool))
        if table is None:
            m, n, _ = pool.shape
            e = self.equal_count
            assert e is not None
            pairs = np.empty((m, n // 2, e, e, 2))
            pairs[..., 0] = pool[:, 0::2, :e, None]
            pairs[..., 1] = pool[:, 1::2, None, :e]
            table = pairs.view(np.complex128).ravel()
            self._pair_tables[id(pool)] = table
        return table

    def _shift_indices(self, rng: np.random.Generator, c: int) -> np.ndarray:
        """Flat pool indices (M, c, N) by multiply-shift (Lemire 2019): floor(r * count / 2^32)
        with r uniform on 32 bits picks each of the cell's ``count`` available ratings with
        probability 1/count +- 2^-32."""
        n, m = self.x.shape
        r = rng.integers(0, 2**32, size=(m, c, n), dtype=np.uint32).astype(np.uint64)
        r *= self.count
        r >>= np.uint64(32)
        idx = r.view(np.intp)  # values < count <= P
        idx += self.base
        return idx

    def raw(self, rng: np.random.Generator, c: int) -> np.ndarray:
        """c sampled raw matrices as a (c, N, M) view of a criterion-major array."""
        n, m = self.x.shape
        if self.kind == UNIFORM:
            u = rng.random((m, c, n))
            xt = self.x_t + (2.0 * u - 1.0) * self.delta_t
            for j, lo, hi in self.clip:
                np.clip(xt[j], lo, hi, out=xt[j])
        else:
            xt = self._draw_cells(rng, [c], self.pool)
        return xt.transpose(1, 2, 0)

    def values_t(self, rng: np.random.Generator, c: int | list[int]) -> np.ndarray:
        """Normalised sampled values, criterion-major (M, c, N) [S5d.2, S1].

        ``c`` may be a list of chunk sizes: the chunks are drawn in order, as by one call each, and
        returned together (M, sum(c), N) (normalisation is within each sample either way).
        """
        sizes = [c] if isinstance(c, (int, np.integer)) else list(c)
        if self.kind == UNIFORM:
            parts = [normalize(self.raw(rng, size), self.criteria).transpose(2, 0, 1) for size in sizes]
            return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)
        vt = self._draw_cells(rng, sizes, self.value_pool)
        if self.sample_cols:
            cols = self.sample_cols
            sub = vt[cols].transpose(1, 2, 0)  # (c, N, Mo), criterion-major copy
            vt[cols] = normalize(sub, [self.criteria[j] for j in cols]).transpose(2, 0, 1)
        return vt


def sample_raw_scores(
    x: np.ndarray, criteria: list[CriterionSpec], model: ScoreModel, k: int, rng: np.random.Generator
) -> np.ndarray:
    """k raw matrices drawn per [S5d.2], shape (k, N, M) (before the per-sample normalisation)."""
    x = np.asarray(x, dtype=float)
    normalize(x, criteria)  # validates x and criteria [S0.4]
    k = _positive_int(k, "k")
    sampler = _ScoreSampler(x, criteria, model)
    if sampler.deterministic:
        return np.broadcast_to(x, (k, *x.shape)).copy()
    return np.ascontiguousarray(sampler.raw(rng, k))


# --------------------------------------------------------------------------- ranks and ties


def _tie_groups(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per row of ``scores`` (c, N): order, group start and group size per sorted position.

    Chain grouping of [S0.2] with eps = 1e-9 * max(1, max|S|) per row. The sort need not be
    stable: the sorted values, hence the groups, do not depend on how exact ties are ordered.
    """
    order, start, size, _ = _tie_groups_flagged(scores)
    return order, start, size


def _tie_groups_flagged(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """:func:`_tie_groups` and whether any row has a group of more than one."""
    c, n = scores.shape
    order = np.argsort(-scores, axis=1)
    s = np.take_along_axis(scores, order, axis=1)
    biggest = np.maximum(s[:, :1], -s[:, -1:])  # max|S| per row
    eps = TIE_RTOL * np.maximum(1.0, biggest)
    pos = np.arange(n)
    start = np.broadcast_to(pos, (c, n)).copy()
    size = np.ones((c, n), dtype=np.intp)
    tied = (s[:, :-1] - s[:, 1:]) <= eps  # position p+1 continues the group of p
    rows = np.flatnonzero(tied.any(axis=1))
    if rows.size:  # chain groups only where some tie occurs
        new = np.ones((rows.size, n), dtype=bool)
        new[:, 1:] = ~tied[rows]
        first = np.maximum.accumulate(np.where(new, pos, 0), axis=1)
        is_last = np.ones((rows.size, n), dtype=bool)
        is_last[:, :-1] = new[:, 1:]
        last = np.minimum.accumulate(np.where(is_last, pos, n)[:, ::-1], axis=1)[:, ::-1]
        start[rows] = first
        size[rows] = last - first + 1
    return order, start, size, bool(rows.size)


def _top_credit(scores: np.ndarray, target: np.ndarray) -> np.ndarray:
    """First-rank credit (1/t or 0) of alternative ``target[r]`` in row r of ``scores`` (R, N)."""
    credit = np.zeros(scores.shape[0])
    if scores.shape[0] == 0:
        return credit
    order, start, size = _tie_groups(scores)
    rows, pos = np.nonzero(order == target[:, None])
    credit[rows] = np.where(start[rows, pos] == 0, 1.0 / size[rows, pos], 0.0)
    return credit


# --------------------------------------------------------------------------- accumulation


class _Accumulator:
    """Sums over samples of rank credits, first-rank weight moments and pairwise wins."""

    def __init__(self, n: int, m: int, w_shift: np.ndarray, pairwise: bool = True):
        self.n = n
        # per tie-group size t: integer counts of (alternative, first position of its group)
        # [S5d.4]; integers keep structural zeros and 1/2 splits exact
        self.rank_hist: dict[int, np.ndarray] = {}
        self.first = np.zeros(n)
        self.w1 = np.zeros((n, m))  # sum_s c_s(i,1) (w_s - shift)
        self.w2 = np.zeros((n, m))  # sum_s c_s(i,1) (w_s - shift)^2
        self.w_shift = w_shift
        self.pairs = PairCounter(n) if pairwise else None  # samples with i strictly ahead of k

    def add(self, scores: np.ndarray, weights: np.ndarray) -> None:
        c, n = scores.shape
        order, start, size, ties = _tie_groups_flagged(scores)
        # rank acceptability: a member of a group of size t at positions p..p+t-1 counts +1 at
        # column p and -1 at column p+t of the size-t row; only the +1 cells are counted here
        # (the -1 cells are the same counts t columns on: see rank_acceptability)
        cell = order * (n + 1) + start
        hist = self.rank_hist
        if not ties:  # every group has one member: the top of sample s is order[s, 0]
            hist[1] = hist.get(1, 0) + np.bincount(cell.ravel(), minlength=n * (n + 1))
            alt = order[:, 0]
            top_credit = np.ones(c)
            sample = np.arange(c)
        else:
            # the group sizes present, ascending (np.unique would import numpy.ma: 20 ms of CLI start)
            for t in np.flatnonzero(np.bincount(size.ravel())).tolist():
                hist[t] = hist.get(t, 0) + np.bincount(cell[size == t], minlength=n * (n + 1))
            # first-rank credit c_s(i,1) of the members of each sample's top group
            sample, pos = np.nonzero(start == 0)
            alt = order[sample, pos]
            top_credit = 1.0 / size[sample, pos]
        self.first += np.bincount(alt, weights=top_credit, minlength=n)
        dw = (weights - self.w_shift)[sample]
        np.add.at(self.w1, alt, top_credit[:, None] * dw)
        np.add.at(self.w2, alt, top_credit[:, None] * dw * dw)
        if self.pairs is not None:
            self.pairs.add(order, start)

    def rank_acceptability(self, k: int) -> np.ndarray:
        n = self.n
        b = np.zeros((n, n))
        for t, hist in sorted(self.rank_hist.items()):
            diff = hist.copy()
            diff[t:] -= hist[:-t]  # -1 at column p+t for every +1 at column p (same row: p+t <= n)
            b += np.cumsum(diff.reshape(n, n + 1), axis=1)[:, :n] / t
        return b / k

    def central_weights(self) -> tuple[np.ndarray, np.ndarray]:
        """Central weights and their standard errors [S5d.5, S5d.6]; NaN rows where b^1 = 0."""
        has = self.first > 0
        cnt = np.where(has, self.first, 1.0)[:, None]
        mean = self.w1 / cnt
        var = np.maximum(self.w2 / cnt - mean * mean, 0.0)
        central = np.where(has[:, None], mean + self.w_shift, np.nan)
        se = np.where(has[:, None], np.sqrt(var / cnt), np.nan)
        return central, se

    def pairwise(self, k: int) -> np.ndarray:
        """P_ik = P(i ahead) + P(tie)/2 = 1/2 + (wins_ik - wins_ki) / (2K) [S5d.5]."""
        assert self.pairs is not None, "made with pairwise=False"
        wins = self.pairs.wins()
        return 0.5 + (wins - wins.T) / (2.0 * k)

    def close(self) -> None:
        """Stop counting pairwise wins (their worker thread ends)."""
        if self.pairs is not None:
            self.pairs.close()


# --------------------------------------------------------------------------- main entry


def _chunk_size(n: int, m: int, extra_per_sample: int, requested: int | None, k: int) -> int:
    if requested is not None:
        if int(requested) < 1:
            raise InputError(f"chunk must be at least 1 (got {requested})")
        return min(int(requested), k)
    per_sample = 8 * n * m * 8 + 8 * n * 12 + extra_per_sample  # sampling and ranking temporaries
    return int(max(1, min(k, 1024, CHUNK_BYTES // per_sample)))


def _validate_meta_weights(meta: np.ndarray, n: int) -> np.ndarray:
    a = np.asarray(meta, dtype=float)
    if a.ndim != 1 or not 1 <= a.size <= n:
        raise InputError(f"meta-weights must be a list of 1 to {n} numbers (one per rank)")
    if not np.all(np.isfinite(a)) or np.any(a < 0):
        raise InputError("meta-weights must be finite and non-negative")
    if a[0] != 1.0:
        raise InputError("the first meta-weight must be 1")
    if np.any(np.diff(a) > 0):
        raise InputError("meta-weights must not increase with the rank")
    return np.concatenate([a, np.zeros(n - a.size)])  # ranks beyond the list weigh 0


def _matmul_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b computed in row blocks of at most ``BLAS_BLOCK_MACS`` multiply-adds.

    OpenBLAS multithreads larger products; on a busy machine with few cores its threads can spin
    and slow such a product down 10-100 times (measured). These products have a tiny inner
    dimension (M) and are memory bound, so single-threaded blocks lose little.
    """
    rows, inner = a.shape
    step = max(1, BLAS_BLOCK_MACS // max(1, inner * b.shape[1]))
    if step >= rows:
        return a @ b
    out = np.empty((rows, b.shape[1]))
    for r in range(0, rows, step):
        np.matmul(a[r : r + step], b, out=out[r : r + step])
    return out


def _exact_top_credit(vt: np.ndarray, wc: np.ndarray, alts: np.ndarray, rows: np.ndarray,
                      cols: np.ndarray) -> np.ndarray:
    """First-rank credit of ``alts[cols[r]]`` in sample ``rows[r]`` under ``wc[cols[r]]``, from the
    full score row and the tie rule of [S0.2] (a chain group spans less than n*eps)."""
    m, c, n = vt.shape
    credit = np.zeros(rows.size)
    step = max(1, SCAN_CELLS // (m * n))
    for a in range(0, rows.size, step):
        r, f = rows[a : a + step], cols[a : a + step]
        s = np.einsum("jrn,rj->rn", vt[:, r, :], wc[f])  # (R, N)
        top = s.max(axis=1)
        thr = top - n * TIE_RTOL * np.maximum(1.0, np.maximum(top, -s.min(axis=1)))  # max|S|
        own = s[np.arange(r.size), alts[f]]
        first = own >= thr
        crowded = first & (np.count_nonzero(s >= thr[:, None], axis=1) > 1)
        part = np.where(first, 1.0, 0.0)  # alone near the top: the unique maximum
        part[crowded] = _top_credit(s[crowded], alts[f[crowded]])
        credit[a : a + r.size] = part
    return credit


def _confidence_credit(vt: np.ndarray, wc: np.ndarray, alts: np.ndarray) -> np.ndarray:
    """Summed first-rank credit of ``alts[f]`` under weights ``wc[f]`` over the samples of a chunk."""
    return _confidence_credit_samples(vt, wc, alts).sum(axis=0)


def _confidence_credit_dense(vt: np.ndarray, wc: np.ndarray, alts: np.ndarray) -> np.ndarray:
    """As :func:`_confidence_credit_samples` from all c x N x F scores (cheaper for few F).

    Only samples where the alternative is within n*eps of the maximum (a chain group spans less
    than that [S0.2]) and some other alternative is too need the exact tie groups; otherwise the
    alternative is the unique maximum or not first.
    """
    m, c, n = vt.shape
    f = alts.size
    s = _matmul_rows(vt.reshape(m, c * n).T, wc.T).reshape(c, n, f)  # scores per central weight
    top = s.max(axis=1)  # (c, F)
    biggest = top if vt.min() >= 0.0 else np.maximum(top, -s.min(axis=1))  # max|S|
    thr = top - n * TIE_RTOL * np.maximum(1.0, biggest)
    own = s[:, alts, np.arange(f)]  # (c, F)
    si, fi = np.nonzero(own >= thr)
    rows = s[si, :, fi]  # (R, N)
    crowded = np.count_nonzero(rows >= thr[si, fi][:, None], axis=1) > 1
    credit = np.zeros((c, f))
    credit[si, fi] = 1.0  # alone near the top: the unique maximum
    credit[si[crowded], fi[crowded]] = _top_credit(rows[crowded], alts[fi[crowded]])
    return credit


def _confidence_credit_samples(vt: np.ndarray, wc: np.ndarray, alts: np.ndarray) -> np.ndarray:
    """First-rank credit of ``alts[f]`` under weights ``wc[f]`` in every sample, shape (c, F).

    ``vt`` holds normalised values (M, c, N). Exact early-exit scan instead of all c x N x F
    scores. Per sample, the alternatives are ranked by their score under the mean central weight
    w̄; the ``LEADERS`` best are the leaders, the ``RIVALS`` best the rivals. ``delta`` bounds the
    widest chain tie group, n * eps with eps = 1e-9 * max(1, max|S|) [S0.2], from above with a
    margin for rounding. A pair (sample, i) is settled

    * with credit 0 when a leader, or else one of the rivals, scores more than ``delta`` above i
      under w_i^c (then i is not in the top tie group): the leaders are tried for every pair in
      one small product, the rivals only for the pairs still open;
    * with credit 1 when every rival scores less than S_i - ``delta`` and so does every other
      alternative: these score at most (the best score under w̄ outside the rivals) + (the most
      any alternative can gain from w̄ to w_i^c, sum_j (w_ij - w̄_j) times the largest (or, for a
      negative difference, the smallest) value of criterion j in these samples).

    The rest (near ties, and pairs the bound cannot decide) get the exact tie groups of their full
    score row (:func:`_exact_top_credit`), as without the scan.
    """
    m, c, n = vt.shape
    f = alts.size
    credit = np.zeros((c, f))
    if n == 1:
        credit[:] = 1.0
        return credit
    # S_i under w_i^c: (c, F), one pass (the values of all alternatives when all have a w^c)
    mine = vt if f == n and np.array_equal(alts, np.arange(n)) else vt[:, :, alts]
    own = np.einsum("jsf,fj->sf", mine, wc)
    flat = vt.reshape(m, c * n)
    high, low = flat.max(axis=1), flat.min(axis=1)  # (M,) value extremes over these samples
    # |S_k| <= sum_j w_j max|v_j|: one bound per central weight for the chain-group width
    biggest = wc @ np.maximum(high, -low)  # (F,)
    delta = n * TIE_RTOL * np.maximum(1.0, biggest) * (1.0 + 1e-4)
    mean_w = wc.mean(axis=0)
    mean_scores = _matmul_rows(flat.T, mean_w[:, None]).reshape(c, n)
    near = min(RIVALS, n)
    if near < n:
        part = np.argpartition(-mean_scores, near, axis=1)
        rivals = part[:, :near]  # the best `near` under w̄, in no particular order
        beyond = mean_scores[np.arange(c), part[:, near]]  # the best score under w̄ of the others
    else:
        rivals, beyond = np.broadcast_to(np.arange(n), (c, n)), np.full(c, -np.inf)
    lead = min(LEADERS, near)
    if lead < near:
        best = np.argpartition(-np.take_along_axis(mean_scores, rivals, axis=1), lead - 1, axis=1)
        leaders = np.take_along_axis(rivals, best[:, :lead], axis=1)
    else:
        leaders = rivals
    sample_start = np.arange(c)[:, None] * n  # flat position of each sample's first value
    lead_values = flat[:, (sample_start + leaders).ravel()]  # (M, c * L)
    # i against itself gives a rounding difference far below delta: no need to leave it out
    gap = _matmul_rows(lead_values.T, wc.T).reshape(c, lead, f) - own[:, None, :]
    rows, cols = np.nonzero(~np.any(gap > delta, axis=1))  # else a leader is clearly ahead: 0
    if rows.size == 0:
        return credit
    # the open pairs: all rivals' scores under w_i^c
    riv = rivals[rows]  # (R, near)
    rival_scores = np.einsum("jrk,rj->rk", flat[:, sample_start[rows] + riv], wc[cols])
    rival_scores[riv == alts[cols][:, None]] = -np.inf
    top_rival = rival_scores.max(axis=1)
    s_i, d = own[rows, cols], delta[cols]
    shift = wc - mean_w  # S_k(w_i^c) - S_k(w̄) <= gain[i] for every k
    gain = np.maximum(shift, 0.0) @ high + np.minimum(shift, 0.0) @ low
    # rounding of S_k(w̄), the gain and S_i: a few ulps of the magnitudes summed (delta's margin
    # covers the rounding of products under one weight vector, not of sums under w̄)
    magnitude = (mean_w + np.abs(shift) + wc) @ np.maximum(high, -low)
    slack = 8 * (m + 2) * np.finfo(float).eps * magnitude
    alone = (top_rival < s_i - d) & (beyond[rows] + gain[cols] + slack[cols] < s_i - d)
    credit[rows[alone], cols[alone]] = 1.0
    exact = ~alone & (top_rival <= s_i + d)  # else a rival is clearly ahead: 0
    if exact.any():
        credit[rows[exact], cols[exact]] = _exact_top_credit(vt, wc, alts, rows[exact], cols[exact])
    return credit


def _confidence(
    sampler: _ScoreSampler,
    central: np.ndarray,
    rng: np.random.Generator,
    kc: int,
    chunk: int | None,
) -> np.ndarray:
    """p_i^c: mean first-rank credit of i with weights fixed at w_i^c [S5d.5].

    0 for alternatives without a central weight (b_i^1 = 0). Samples are drawn in the chunks of
    the RNG contract [S5d RNG] and the credits are summed chunk by chunk in sample order, so the
    result does not depend on the method: with fewer than ``DENSE_ALTERNATIVES`` central weights
    all scores are computed, otherwise consecutive chunks are scanned together (the scan keeps no
    score array per central weight).
    """
    n, m = sampler.x.shape
    conf = np.zeros(n)
    alts = np.flatnonzero(~np.isnan(central[:, 0]))
    if alts.size == 0:
        return conf
    wc = central[alts]  # (F, M)
    if sampler.deterministic:
        s = (sampler.values @ wc.T).T  # (F, N): the same for every sample
        conf[alts] = _top_credit(s, alts)
        return conf
    c = _chunk_size(n, m, 8 * n * alts.size * 3, chunk, kc)
    dense = alts.size < DENSE_ALTERNATIVES
    # chunks scanned together: values and leader scores within a quarter of the budget
    group = 1 if dense else max(1, CHUNK_BYTES // (4 * 8 * c * (n * m + alts.size * (LEADERS + 4))))
    labels = np.tile(np.arange(alts.size), c)
    total = np.zeros(alts.size)
    for a in range(0, kc, c * group):
        sizes = [min(kc, b + c) - b for b in range(a, min(kc, a + c * group), c)]
        vt = sampler.values_t(rng, sizes)
        credit = (_confidence_credit_dense if dense else _confidence_credit_samples)(vt, wc, alts)
        start = 0
        for size in sizes:  # one bincount per chunk over its samples in order, as before
            part = credit[start : start + size].ravel()
            total += np.bincount(labels[: part.size], weights=part, minlength=alts.size)
            start += size
    conf[alts] = total / kc
    return conf


def smaa(
    x: np.ndarray,
    criteria: list[CriterionSpec],
    weight_model: WeightModel,
    score_model: ScoreModel,
    samples: int = 10_000,
    seed: int | None = None,
    confidence_samples: int | None = None,
    meta_weights: np.ndarray | None = None,
    chunk: int | None = None,
    pairwise: bool = True,
) -> SmaaResult:
    """SMAA-2 with the weighted sum [S5d] on the raw (group-aggregated) matrix ``x`` (N, M).

    With the ``raters`` score model the samples come from the ratings; ``x`` (normally their
    aggregate) is then only validated. ``confidence_samples`` defaults to ``samples``.

    ``seed=None`` draws fresh entropy, which is recorded in the result so the run can be repeated.
    ``chunk`` bounds the number of samples processed at once (default: chosen from a memory
    budget). Score samples are drawn chunk by chunk, so with score uncertainty the random numbers
    (not the distribution of the results) depend on the chunk size as well as on the seed.
    ``pairwise=False`` leaves out the pairwise winning index (None in the result); the other outputs
    and the random numbers stay the same.
    """
    x = np.asarray(x, dtype=float)
    normalize(x, criteria)  # validates x and criteria [S0.4]
    n, m = x.shape
    validate_weight_model(weight_model, m)
    k = _positive_int(samples, "samples")
    kc = k if confidence_samples is None else _positive_int(confidence_samples, "confidence_samples")
    alpha = None if meta_weights is None else _validate_meta_weights(meta_weights, n)
    sampler = _ScoreSampler(x, criteria, score_model)
    if seed is None:
        seed = int(np.random.SeedSequence().entropy)
    elif isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(f"seed must be a non-negative whole number (got {seed!r})")
    rng = np.random.default_rng(seed)

    weights = sample_weights(weight_model, m, k, rng)  # (1) all K weight vectors
    acc = _Accumulator(n, m, weights.mean(axis=0), pairwise)  # pairwise wins: counted in a thread
    try:
        c = _chunk_size(n, m, 0, chunk, k)
        for a in range(0, k, c):  # (2) score samples in chunks
            w = weights[a : a + c]
            if sampler.deterministic:
                scores = _matmul_rows(w, sampler.values.T)
            else:
                vt = sampler.values_t(rng, w.shape[0])  # (M, c, N)
                scores = np.einsum("jsn,sj->sn", vt, w)
            acc.add(scores, w)

        rank = acc.rank_acceptability(k)
        central, se = acc.central_weights()
        confidence = _confidence(sampler, central, rng, kc, chunk)  # (3) confidence samples
        return SmaaResult(
            samples=k,
            confidence_samples=kc,
            seed=seed,
            rank_acceptability=rank,
            central_weights=central,
            central_weight_se=se,
            confidence=confidence,
            pairwise_winning=acc.pairwise(k) if pairwise else None,
            holistic=None if alpha is None else rank @ alpha,
        )
    finally:
        acc.close()


def _positive_int(value, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        raise InputError(f"{name} must be a whole number of at least 1 (got {value!r})")
    return int(value)
