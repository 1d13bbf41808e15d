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
samples in chunks, (3) the K_c confidence samples in chunks [S5d RNG]. Rater draws take 8-bit
indices when every cell has the same number of ratings (issue 15); for such rounds a seed gives
other samples than before that change, within the Monte Carlo error of [S5d.6].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from prioritization.engine.normalize import SCALE, CriterionSpec, check_scale, normalize
from prioritization.engine.ranking import TIE_RTOL
from prioritization.engine.weight_sampling import WeightModel, sample_weights, validate_weight_model
from prioritization.errors import InputError

NONE, UNIFORM, RATERS = "none", "uniform", "raters"
SCORE_KINDS = (NONE, UNIFORM, RATERS)

CHUNK_BYTES = 48 * 2**20  # working-memory budget per chunk of samples (approximate)
PAIRWISE_BLOCK = 32  # samples per block of the pairwise counts (must be <= 255: uint8 sums)
PAIRWISE_BYTES = 2**21  # ... and at most this many comparison bytes per block (cache-sized)
BLAS_BLOCK_MACS = 2**18  # products up to this size stay single-threaded in OpenBLAS
SCAN_CELLS = 2**21  # confidence: full score rows are computed this many values at a time
DENSE_ALTERNATIVES = 64  # confidence: all scores for fewer central weights, else the scan
SMALL_INDEX_DRAWS = True  # rater draws: 8-bit indices when every cell has the same number of ratings
LEADERS = 4  # confidence scan: the leaders of each sample, tried first against every i


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
        p = r.shape[0]
        self.base = (np.arange(m * n).reshape(m, 1, n) * p).astype(np.intp)
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

    def _draw_cells(self, rng: np.random.Generator, c: int, pool: np.ndarray) -> np.ndarray:
        """One available rating per cell and sample, taken from ``pool``: (M, c, N).

        When every cell has the same number of ratings (at most 255) the index is drawn directly
        as an unbiased 8-bit integer; otherwise by the multiply-shift below. The two consume the
        random stream differently, so the same seed gives other (equally distributed) samples.
        """
        n, m = self.x.shape
        if self.equal_count is not None:
            small = rng.integers(0, self.equal_count, size=(m, c, n), dtype=np.uint8)
            return pool.ravel().take(self.base + small)
        # Multiply-shift (Lemire 2019): floor(r * count / 2^32) with r uniform on 32 bits picks
        # each of the cell's ``count`` available ratings with probability 1/count +- 2^-32.
        r = rng.integers(0, 2**32, size=(m, c, n), dtype=np.uint32).astype(np.uint64)
        r *= self.count
        r >>= np.uint64(32)
        idx = r.view(np.intp)  # values < count <= P
        idx += self.base
        return pool.ravel().take(idx)

    def raw(self, rng: np.random.Generator, c: int) -> np.ndarray:
        """c sampled raw matrices as a (c, N, M) view of a criterion-major array."""
        n, m = self.x.shape
        if self.kind == UNIFORM:
            u = rng.random((m, c, n))
            xt = self.x_t + (2.0 * u - 1.0) * self.delta_t
            for j, lo, hi in self.clip:
                np.clip(xt[j], lo, hi, out=xt[j])
        else:
            xt = self._draw_cells(rng, c, self.pool)
        return xt.transpose(1, 2, 0)

    def values_t(self, rng: np.random.Generator, c: int) -> np.ndarray:
        """Normalised sampled values, criterion-major (M, c, N) [S5d.2, S1]."""
        if self.kind == UNIFORM:
            return normalize(self.raw(rng, c), self.criteria).transpose(2, 0, 1)
        vt = self._draw_cells(rng, c, self.value_pool)
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
    return order, start, size


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
        self.count_pairs = pairwise
        # per tie-group size t: integer difference arrays of rank counts [S5d.4]; integers keep
        # structural zeros and 1/2 splits exact
        self.rank_diff: dict[int, np.ndarray] = {}
        self.first = np.zeros(n)
        self.w1 = np.zeros((n, m))  # sum_s c_s(i,1) (w_s - shift)
        self.w2 = np.zeros((n, m))  # sum_s c_s(i,1) (w_s - shift)^2
        self.w_shift = w_shift
        self.wins = np.zeros((n, n), dtype=np.int64)  # samples with i strictly ahead of k

    def add(self, scores: np.ndarray, weights: np.ndarray) -> None:
        c, n = scores.shape
        order, start, size = _tie_groups(scores)
        credit = 1.0 / size
        # rank acceptability: a member of a group of size t at positions p..p+t-1 counts +1 at
        # column p and -1 at column p+t of the size-t array (cumsum and division by t later)
        cell = order * (n + 1) + start
        tied = size > 1
        # the group sizes present, ascending (np.unique would import numpy.ma: 20 ms of CLI start)
        sizes = [1] + (np.flatnonzero(np.bincount(size[tied])).tolist() if tied.any() else [])
        for t in sizes:
            lo = cell[size == t] if tied.any() else cell.ravel()
            diff = np.bincount(lo, minlength=n * (n + 1)) - np.bincount(lo + t, minlength=n * (n + 1))
            self.rank_diff[t] = self.rank_diff.get(t, 0) + diff
        # first-rank credit c_s(i,1) of the members of each sample's top group
        sample, pos = np.nonzero(start == 0)
        alt = order[sample, pos]
        top_credit = credit[sample, pos]
        self.first += np.bincount(alt, weights=top_credit, minlength=n)
        dw = (weights - self.w_shift)[sample]
        np.add.at(self.w1, alt, top_credit[:, None] * dw)
        np.add.at(self.w2, alt, top_credit[:, None] * dw * dw)
        if self.count_pairs:
            self._add_pairs(order, start)

    def _add_pairs(self, order: np.ndarray, start: np.ndarray) -> None:
        """Pairwise wins: i beats k when its tie group starts earlier."""
        c, n = order.shape
        group_pos = np.empty((c, n), dtype=np.uint8 if n <= 256 else np.int32)
        np.put_along_axis(group_pos, order, start, axis=1)
        block = max(1, min(PAIRWISE_BLOCK, PAIRWISE_BYTES // (n * n)))
        for a in range(0, c, block):
            g = group_pos[a : a + block]
            ahead = np.less(g[:, :, None], g[:, None, :]).view(np.uint8)
            self.wins += np.add.reduce(ahead, axis=0, dtype=np.uint8)

    def rank_acceptability(self, k: int) -> np.ndarray:
        n = self.n
        b = np.zeros((n, n))
        for t, diff in sorted(self.rank_diff.items()):
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
        return 0.5 + (self.wins - self.wins.T) / (2.0 * k)


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
    scores: per sample, the rivals most likely to beat i are the leaders of the sample (the
    ``LEADERS`` best alternatives under the mean central weight). Their scores under every w_i^c
    are one small product; a pair (sample, i) is settled

    * with credit 0 when a leader scores more than ``delta`` above i (then i is not in the top
      tie group; ``delta`` bounds the widest chain tie group, n * eps with
      eps = 1e-9 * max(1, max|S|) [S0.2], from above with a margin for rounding), or
    * with credit 1 when no rival can come within ``delta`` of i: the rivals' upper bounds (the
      per-cell maxima over these samples, weighted by w_i^c) all lie below S_i - ``delta``.

    The other pairs (mostly those where i is first) get the exact tie groups of their full score
    row (:func:`_exact_top_credit`), as without the scan.
    """
    m, c, n = vt.shape
    f = alts.size
    credit = np.zeros((c, f))
    own = np.zeros((c, f))
    for j in range(m):  # S_i under w_i^c: (c, F)
        own += vt[j][:, alts] * wc[:, j]
    # |S_k| <= sum_j w_j max|v_j|: one bound per central weight for the chain-group width
    high, low = vt.max(axis=1), vt.min(axis=1)  # (M, N) per-cell extremes over the samples
    biggest = wc @ np.maximum(high.max(axis=1), -low.min(axis=1))  # (F,)
    delta = n * TIE_RTOL * np.maximum(1.0, biggest) * (1.0 + 1e-4)
    open_ = np.ones((c, f), dtype=bool)
    if n > 1:
        lead = min(LEADERS, n)
        mean_scores = _matmul_rows(vt.reshape(m, c * n).T, wc.mean(axis=0)[:, None]).reshape(c, n)
        leaders = np.argpartition(-mean_scores, lead - 1, axis=1)[:, :lead] if lead < n else np.indices((c, n))[1]
        lead_values = np.take_along_axis(vt, leaders[None], axis=2)  # (M, c, L)
        gap = _matmul_rows(lead_values.reshape(m, c * lead).T, wc.T).reshape(c, lead, f) - own[:, None, :]
        gap[leaders[:, :, None] == alts[None, None, :]] = -np.inf  # i is no rival of itself
        open_ &= ~np.any(gap > delta, axis=1)  # a leader is clearly ahead: credit 0
        near = np.any(gap >= -delta, axis=1)
        # every rival's bound below S_i - delta: i alone at the top
        bound = _matmul_rows(wc, high)  # (F, N)
        bound[np.arange(f), alts] = -np.inf
        alone = open_ & ~near & (bound.max(axis=1) < own - delta)
        credit[alone] = 1.0
        open_ &= ~alone
    else:
        credit[:] = 1.0
        open_[:] = False
    rows, cols = np.nonzero(open_)
    if rows.size:
        credit[rows, cols] = _exact_top_credit(vt, wc, alts, rows, cols)
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
        parts = [sampler.values_t(rng, size) for size in sizes]
        vt = parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)
        del parts
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
    acc = _Accumulator(n, m, weights.mean(axis=0), pairwise)
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


def _positive_int(value, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
        raise InputError(f"{name} must be a whole number of at least 1 (got {value!r})")
    return int(value)
