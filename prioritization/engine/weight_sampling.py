"""Weight sampling for SMAA-2 [S5d.1].

Models
------
* ``uniform``: uniform on the simplex, Dirichlet(1, ..., 1), drawn as ``w = E / sum(E)`` with
  ``E_j ~ Exp(1)`` independent.
* ``order``: the order of the given (current) weights is kept, ``w_o1 >= w_o2 >= ... >= w_oM``. A
  uniform simplex point is sorted in descending order and assigned along the order. This is exact,
  because the ordered region is one of M! congruent cells. Criteria whose given weights are tied
  (chain rule of [S0.2]) are *not* ordered among themselves: within a tie group the sorted values
  are assigned in a uniformly random permutation, which is still exactly uniform on the union of
  the admissible cells.
* ``fixed``: every sample is the given weight vector (score uncertainty only).
* ``lower`` / ``upper`` (optional with ``uniform`` and ``order``): per-criterion inclusive bounds,
  fractions of 1, applied by rejection from the base sampler. A lower-bound sum > 1, an upper-bound
  sum < 1 or ``lower > upper`` is an :class:`InputError`; so is an acceptance rate below
  ``MIN_ACCEPTANCE`` ("constraints too tight").

M = 1 gives w = (1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from prioritization.engine.ranking import sorted_groups
from prioritization.errors import InputError

UNIFORM, ORDER, FIXED = "uniform", "order", "fixed"
WEIGHT_KINDS = (UNIFORM, ORDER, FIXED)

MIN_ACCEPTANCE = 1e-3  # rejection sampling below this acceptance rate is "too tight" [S5d.1]
MIN_TRIALS = 20_000  # candidates drawn before the acceptance rate is judged
MAX_BATCH = 250_000  # candidates per rejection batch (bounds memory)


@dataclass(frozen=True)
class WeightModel:
    """How SMAA draws weight vectors [S5d.1].

    ``weights`` are the current weights (any positive scale; divided by their sum). They are needed
    for ``order`` (the order to keep) and ``fixed``. ``lower`` / ``upper`` are per-criterion
    inclusive bounds on the sampled (sum-1) weights; NaN or a missing array means unbounded.
    """

    kind: str = UNIFORM
    weights: np.ndarray | None = None
    lower: np.ndarray | None = None
    upper: np.ndarray | None = None


def _given_weights(model: WeightModel, m: int) -> np.ndarray | None:
    """The given weights divided by their sum, validated [S0.1, S0.4]; None if not given."""
    if model.weights is None:
        if model.kind in (ORDER, FIXED):
            raise InputError(f"weight model {model.kind!r} needs the current weights")
        return None
    w = np.asarray(model.weights, dtype=float)
    if w.shape != (m,):
        raise InputError(f"there are {m} criteria but {w.size} weights were given")
    if not np.all(np.isfinite(w)):
        raise InputError("weights must be finite numbers")
    if np.any(w < 0):
        raise InputError(f"weights must not be negative (criterion {int(np.flatnonzero(w < 0)[0])})")
    total = float(w.sum())
    if total <= 0:
        raise InputError("the weights sum to 0; at least one weight must be positive")
    return w / total


def _bounds(model: WeightModel, m: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Validated (lower, upper) with NaN/missing replaced by 0/1; None when unbounded."""
    if model.lower is None and model.upper is None:
        return None
    arrays = []
    for name, given, default in (("lower", model.lower, 0.0), ("upper", model.upper, 1.0)):
        if given is None:
            arrays.append(np.full(m, default))
            continue
        b = np.array(given, dtype=float, copy=True)
        if b.shape != (m,):
            raise InputError(f"there are {m} criteria but {b.size} {name} weight bounds were given")
        if np.any(np.isinf(b)):
            raise InputError(f"{name} weight bounds must be finite numbers or missing (NaN)")
        b[np.isnan(b)] = default
        if np.any((b < 0) | (b > 1)):
            j = int(np.flatnonzero((b < 0) | (b > 1))[0])
            raise InputError(
                f"{name} weight bound of criterion {j} is {b[j]:g}; bounds are fractions in [0, 1]"
            )
        arrays.append(b)
    lo, hi = arrays
    if np.any(lo > hi):
        j = int(np.flatnonzero(lo > hi)[0])
        raise InputError(f"criterion {j}: lower weight bound {lo[j]:g} exceeds upper bound {hi[j]:g}")
    if lo.sum() > 1.0:
        raise InputError(f"the lower weight bounds sum to {lo.sum():g} > 1; no weights are feasible")
    if hi.sum() < 1.0:
        raise InputError(f"the upper weight bounds sum to {hi.sum():g} < 1; no weights are feasible")
    if not np.any(lo > 0) and not np.any(hi < 1):
        return None
    return lo, hi


def _uniform_simplex(rng: np.random.Generator, n: int, m: int) -> np.ndarray:
    """n points uniform on the (m-1)-simplex: normalised Exp(1) draws [S5d.1]."""
    e = rng.standard_exponential((n, m))
    return e / e.sum(axis=1, keepdims=True)


def _ordered_simplex(rng: np.random.Generator, n: int, given: np.ndarray) -> np.ndarray:
    """n points uniform on {w : w follows the order of ``given``}, ties unordered [S5d.1]."""
    m = given.size
    u = _uniform_simplex(rng, n, m)
    u = -np.sort(-u, axis=1)  # descending
    order, group = sorted_groups(given)  # criterion at each position, tie group per position
    if group[-1] == m - 1:  # no ties: position p goes to criterion order[p]
        w = np.empty_like(u)
        w[:, order] = u
        return w
    # Random permutation within each tie group: sort keys group + U(0,1) per sample.
    keys = group[None, :] + rng.random((n, m))
    perm = np.argsort(keys, axis=1)  # position in u taken by the p-th slot of the order
    w = np.empty_like(u)
    w[:, order] = np.take_along_axis(u, perm, axis=1)
    return w


def _base_sampler(kind: str, given: np.ndarray | None):
    if kind == UNIFORM:
        return lambda rng, n, m: _uniform_simplex(rng, n, m)
    return lambda rng, n, m: _ordered_simplex(rng, n, given)


def _rejection(
    sampler, rng: np.random.Generator, m: int, k: int, lo: np.ndarray, hi: np.ndarray
) -> np.ndarray:
    """The first k base samples that satisfy lo <= w <= hi, in draw order [S5d.1]."""
    kept: list[np.ndarray] = []
    accepted = drawn = 0
    while accepted < k:
        rate = max(accepted / drawn, MIN_ACCEPTANCE) if drawn else 1.0
        batch = int(min(MAX_BATCH, max(1000, math.ceil(1.2 * (k - accepted) / rate))))
        w = sampler(rng, batch, m)
        ok = np.all((w >= lo) & (w <= hi), axis=1)
        kept.append(w[ok])
        accepted += int(ok.sum())
        drawn += batch
        if drawn >= MIN_TRIALS and accepted < MIN_ACCEPTANCE * drawn:
            raise InputError(
                f"constraints too tight: only {accepted} of {drawn} sampled weight vectors satisfy the "
                f"weight bounds (acceptance below {MIN_ACCEPTANCE:.1%}); widen the bounds"
            )
    return np.concatenate(kept)[:k]


def validate_weight_model(model: WeightModel, m: int) -> None:
    """Raise :class:`InputError` for an invalid model with m criteria (no sampling)."""
    if model.kind not in WEIGHT_KINDS:
        raise InputError(f"unknown weight model {model.kind!r} (uniform, order or fixed)")
    if m < 1:
        raise InputError("there must be at least one criterion (M = 0)")
    given = _given_weights(model, m)
    bounds = _bounds(model, m)
    if model.kind == FIXED and bounds is not None:
        lo, hi = bounds
        if np.any((given < lo) | (given > hi)):
            raise InputError("the fixed weights violate the weight bounds")


def sample_weights(model: WeightModel, m: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """K weight vectors of shape (k, m), each summing to 1, drawn per ``model`` [S5d.1]."""
    validate_weight_model(model, m)
    if k < 1:
        raise InputError(f"the number of samples must be at least 1 (got {k})")
    given = _given_weights(model, m)
    if model.kind == FIXED:
        return np.tile(given, (k, 1))
    if m == 1:
        return np.ones((k, 1))
    sampler = _base_sampler(model.kind, given)
    bounds = _bounds(model, m)
    if bounds is None:
        return sampler(rng, k, m)
    return _rejection(sampler, rng, m, k, *bounds)
