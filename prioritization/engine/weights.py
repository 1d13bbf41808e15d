"""Criterion weights [S2]: direct points, swing, ROC / rank-sum, AHP (eigen and geometric).

Every function returns weights that sum to 1, in criterion input order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from prioritization.errors import InputError

RECIPROCITY_TOL = 1e-8  # [S0.3]
CR_ACCEPTABLE = 0.10  # Saaty's acceptance rule [S2.4]

# Random index tables [S2.4], n = 3.. upwards.
RI_TABLES: dict[str, dict[int, float]] = {
    "saaty1980": dict(zip(range(3, 16), [0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59], strict=True)),
    "saaty2005": dict(zip(range(3, 16), [0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59], strict=True)),
    "donegan_dodd1991": {
        **dict(zip(range(3, 21), [0.4914, 0.8286, 1.0591, 1.1797, 1.2519, 1.3171, 1.3733, 1.4055, 1.4213,
                                  1.4497, 1.4643, 1.4822, 1.4969, 1.5078, 1.5153, 1.5262, 1.5313, 1.5371], strict=True)),
        25: 1.5619, 30: 1.5772, 40: 1.5976, 50: 1.6102, 60: 1.6178, 70: 1.6237, 80: 1.6277, 90: 1.6213,
        100: 1.6339,
    },
    "tummala_ling1998": dict(zip(range(3, 16), [0.5799, 0.8921, 1.1159, 1.2358, 1.3322, 1.3952, 1.4537, 1.4882,
                                                1.5117, 1.5356, 1.5571, 1.5714, 1.5831], strict=True)),
}
DEFAULT_RI_TABLE = "saaty1980"
INTERPOLATED_TABLES = {"donegan_dodd1991"}  # linear interpolation between tabulated n, as AHPy does


def _as_vector(values, what: str) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    if v.ndim != 1 or v.size == 0:
        raise InputError(f"{what} must be a non-empty list of numbers")
    if not np.all(np.isfinite(v)):
        raise InputError(f"{what} must be finite numbers")
    return v


def normalize_weights(weights) -> np.ndarray:
    """Divide a non-negative weight vector by its sum [S0.1]; a sum of 0 is an error."""
    w = _as_vector(weights, "weights")
    if np.any(w < 0):
        raise InputError("weights must not be negative")
    total = w.sum()
    if total <= 0:
        raise InputError("weights must not all be zero")
    return w / total


def direct_weights(points) -> np.ndarray:
    """w_j = p_j / sum p [S2.1]. Zero weights are allowed; negative points or all zero are errors."""
    p = _as_vector(points, "points")
    if np.any(p < 0):
        raise InputError("points must not be negative")
    if p.sum() <= 0:
        raise InputError("points must not all be zero")
    return p / p.sum()


def swing_weights(points) -> np.ndarray:
    """Swing weighting [S2.3]: the most important swing is 100, others in [0, 100]."""
    s = _as_vector(points, "swing points")
    if np.any((s < 0) | (s > 100)):
        raise InputError("swing points must be between 0 and 100")
    if s.max() != 100:
        raise InputError(f"the most important swing must be rated 100 (the largest is {s.max():g})")
    return s / s.sum()


def roc_position_weights(m: int) -> np.ndarray:
    """Rank-order centroid weights for positions 1..m [S2.2]: w(p) = (1/m) sum_{k=p}^{m} 1/k."""
    inv = 1.0 / np.arange(1, m + 1)
    return np.cumsum(inv[::-1])[::-1] / m


def rank_sum_position_weights(m: int) -> np.ndarray:
    """Rank-sum weights for positions 1..m [S2.2]: w(p) = 2(m + 1 - p) / (m(m + 1))."""
    p = np.arange(1, m + 1)
    return 2.0 * (m + 1 - p) / (m * (m + 1))


def rank_weights(ranks, method: str = "roc") -> np.ndarray:
    """Weights from a ranking of the criteria (1 = most important) [S2.2].

    Only order and ties matter. Tied criteria occupy consecutive positions and each gets the mean
    of those positions' weights.
    """
    r = _as_vector(ranks, "ranks")
    if np.any(r < 1) or np.any(r != np.round(r)):
        raise InputError("ranks must be whole numbers >= 1")
    m = r.size
    if method == "roc":
        pos_w = roc_position_weights(m)
    elif method == "rank_sum":
        pos_w = rank_sum_position_weights(m)
    else:
        raise InputError(f"unknown rank weighting method {method!r} (roc or rank_sum)")
    order = np.argsort(r, kind="stable")
    w = np.empty(m)
    sorted_r = r[order]
    start = 0
    while start < m:
        end = start
        while end + 1 < m and sorted_r[end + 1] == sorted_r[start]:
            end += 1
        w[order[start : end + 1]] = pos_w[start : end + 1].mean()
        start = end + 1
    return w


# --------------------------------------------------------------------------------------------
# AHP [S2.4, S2.5]


def ahp_matrix_from_upper(upper, n: int) -> np.ndarray:
    """Build a reciprocal matrix from the upper triangle a_12, a_13, ..., a_(n-1)n in row order."""
    u = _as_vector(upper, "pairwise judgements") if n > 1 else np.asarray(upper, dtype=float)
    if u.size != n * (n - 1) // 2:
        raise InputError(f"{n} criteria need {n * (n - 1) // 2} pairwise judgements, got {u.size}")
    if np.any(u <= 0):
        raise InputError("pairwise judgements must be positive")
    a = np.ones((n, n))
    iu = np.triu_indices(n, 1)
    a[iu] = u
    a[(iu[1], iu[0])] = 1.0 / u
    return a


def validate_ahp_matrix(matrix) -> np.ndarray:
    """Check a pairwise comparison matrix [S0.4]: square, positive, diagonal 1, reciprocal."""
    a = np.asarray(matrix, dtype=float)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise InputError("the AHP matrix must be square and non-empty")
    if not np.all(np.isfinite(a)):
        raise InputError("the AHP matrix must contain finite numbers")
    if np.any(a <= 0):
        i, j = np.argwhere(a <= 0)[0]
        raise InputError(f"the AHP matrix must be positive (row {i + 1}, column {j + 1} is {a[i, j]:g})")
    diag_bad = np.flatnonzero(a.diagonal() != 1)
    if diag_bad.size:
        i = diag_bad[0]
        raise InputError(f"the AHP matrix must have 1 on the diagonal (row {i + 1} has {a[i, i]:g})")
    err = np.abs(a * a.T - 1.0)
    if np.any(err > RECIPROCITY_TOL):
        i, j = np.argwhere(err > RECIPROCITY_TOL)[0]
        raise InputError(
            f"the AHP matrix is not reciprocal: a[{i + 1},{j + 1}] = {a[i, j]:g} but "
            f"a[{j + 1},{i + 1}] = {a[j, i]:g} (should be {1 / a[i, j]:g})"
        )
    return a


def perron(a: np.ndarray) -> tuple[float, np.ndarray]:
    """Perron root and its positive right eigenvector scaled to sum 1 [S2.4]."""
    n = a.shape[0]
    if n == 1:
        return 1.0, np.ones(1)
    vals, vecs = np.linalg.eig(a)
    k = int(np.argmax(vals.real))
    v = np.abs(vecs[:, k].real)
    v = v / v.sum()
    # polish with a few power iterations (the Perron vector is the fixed point)
    for _ in range(50):
        nxt = a @ v
        nxt /= nxt.sum()
        if np.max(np.abs(nxt - v)) < 1e-15:
            v = nxt
            break
        v = nxt
    lam = float(np.mean((a @ v) / v))
    return lam, v


def random_index(n: int, table: str = DEFAULT_RI_TABLE) -> float | None:
    """RI(n) from the named table; None where the table does not define it (CR undefined)."""
    if table not in RI_TABLES:
        raise InputError(f"unknown random index table {table!r} ({', '.join(RI_TABLES)})")
    t = RI_TABLES[table]
    if n in t:
        return t[n]
    if table in INTERPOLATED_TABLES and min(t) < n < max(t):
        keys = sorted(t)
        return float(np.interp(n, keys, [t[k] for k in keys]))
    return None


@dataclass(frozen=True)
class Consistency:
    """Consistency of a pairwise comparison matrix [S2.4, S2.5]."""

    lambda_max: float
    ci: float
    cr: float | None  # None where RI(n) is not tabulated (n > 15 for Saaty 1980)
    ri: float | None
    ri_table: str
    gci: float | None  # geometric consistency index, n >= 3

    @property
    def acceptable(self) -> bool | None:
        return None if self.cr is None else self.cr <= CR_ACCEPTABLE


def consistency(matrix, table: str = DEFAULT_RI_TABLE) -> Consistency:
    """lambda_max, CI, CR from the Perron root of the matrix; GCI from the geometric weights."""
    a = validate_ahp_matrix(matrix)
    n = a.shape[0]
    lam, _ = perron(a)
    if n <= 2:
        ri = random_index(3, table)  # validates the table name
        return Consistency(lam, 0.0, 0.0, None, table, None)
    ci = (lam - n) / (n - 1)
    ri = random_index(n, table)
    cr = None if ri is None else ci / ri
    w = geometric_mean_weights(a)
    iu = np.triu_indices(n, 1)
    e = np.log(a[iu]) - np.log(w[iu[0]]) + np.log(w[iu[1]])
    gci = float(2.0 / ((n - 1) * (n - 2)) * np.sum(e * e))
    return Consistency(lam, ci, cr, ri, table, gci)


def eigen_weights(matrix) -> np.ndarray:
    """AHP weights as the principal right eigenvector [S2.4]."""
    return perron(validate_ahp_matrix(matrix))[1]


def geometric_mean_weights(matrix) -> np.ndarray:
    """AHP weights by the row geometric mean (Crawford & Williams) [S2.5]."""
    a = validate_ahp_matrix(matrix)
    g = np.exp(np.mean(np.log(a), axis=1))
    return g / g.sum()


def ahp_weights(matrix, variant: str = "eigen") -> np.ndarray:
    if variant == "eigen":
        return eigen_weights(matrix)
    if variant == "geometric":
        return geometric_mean_weights(matrix)
    raise InputError(f"unknown AHP variant {variant!r} (eigen or geometric)")


@dataclass(frozen=True)
class Judgement:
    """One pairwise judgement and how far it is from what the weights imply."""

    i: int
    j: int
    given: float  # a_ij
    implied: float  # w_i / w_j
    log_error: float  # |ln(a_ij w_j / w_i)|


def most_inconsistent(matrix, weights=None, top: int | None = None) -> list[Judgement]:
    """Judgements (i < j) sorted by their log deviation from the weights' ratios, largest first.

    A facilitator revisits these first to lower CR.
    """
    a = validate_ahp_matrix(matrix)
    w = eigen_weights(a) if weights is None else np.asarray(weights, dtype=float)
    n = a.shape[0]
    iu = np.triu_indices(n, 1)
    err = np.abs(np.log(a[iu] * w[iu[1]] / w[iu[0]]))
    order = np.lexsort((np.arange(err.size), -err))
    out = [Judgement(int(iu[0][k]), int(iu[1][k]), float(a[iu][k]), float(w[iu[0][k]] / w[iu[1][k]]), float(err[k]))
           for k in order]
    return out[:top] if top is not None else out
