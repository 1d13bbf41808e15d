"""Aggregation of criteria into one score per alternative [S3]: WSM, TOPSIS, PROMETHEE II.

Each function returns the score vector (larger is better); ranks follow [S0.2] via
:mod:`prioritization.engine.ranking`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from prioritization.engine.normalize import BENEFIT, CriterionSpec, normalize, vector_normalize
from prioritization.engine.weights import normalize_weights
from prioritization.errors import InputError

PREF_RTOL = 1e-9  # [S0.3] epsilon_pref


def _check(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[0] == 0 or x.shape[1] == 0:
        raise InputError("the score matrix must have at least one alternative and one criterion")
    if not np.all(np.isfinite(x)):
        raise InputError("scores must be finite numbers (no NaN or infinity)")
    w = normalize_weights(w)
    if w.size != x.shape[1]:
        raise InputError(f"{w.size} weights given for {x.shape[1]} criteria")
    return x, w


def wsm_values(v: np.ndarray, w) -> np.ndarray:
    """S_i = sum_j w_j v_ij on already normalised values [S3.1]."""
    v, w = _check(v, w)
    return v @ w


def wsm(x: np.ndarray, criteria: list[CriterionSpec], w) -> np.ndarray:
    """Weighted sum on the raw matrix: normalise [S1] then S = V w [S3.1]."""
    x, w = _check(x, w)
    return normalize(x, criteria) @ w


@dataclass(frozen=True)
class TopsisResult:
    closeness: np.ndarray
    d_plus: np.ndarray
    d_minus: np.ndarray
    ideal: np.ndarray
    anti_ideal: np.ndarray


def topsis_details(x: np.ndarray, directions: list[str], w) -> TopsisResult:
    """TOPSIS (Hwang & Yoon 1981) on the raw matrix with vector normalisation [S3.2]."""
    x, w = _check(x, w)
    if len(directions) != x.shape[1]:
        raise InputError(f"{len(directions)} directions given for {x.shape[1]} criteria")
    t = vector_normalize(x) * w
    benefit = np.array([d == BENEFIT for d in directions])
    col_max, col_min = t.max(axis=0), t.min(axis=0)
    ideal = np.where(benefit, col_max, col_min)
    anti = np.where(benefit, col_min, col_max)
    d_plus = np.sqrt(np.sum((t - ideal) ** 2, axis=1))
    d_minus = np.sqrt(np.sum((t - anti) ** 2, axis=1))
    total = d_plus + d_minus
    # [S3.2] C = 0.5 when d+ + d- = 0. Rows that differ only by rounding noise (all within
    # ε_tie = 1e-9 of the ideal and the anti-ideal on the normalised scale [S0.3]) count as equal:
    # otherwise C would jump between 0 and 1 on noise, and scaling the weights would change it.
    zero = total <= 1e-9 * max(1.0, float(np.max(np.abs(t), initial=0.0)))
    safe = np.where(zero, 1.0, total)
    closeness = np.where(zero, 0.5, d_minus / safe)
    return TopsisResult(closeness, d_plus, d_minus, ideal, anti)


def topsis(x: np.ndarray, directions: list[str], w) -> np.ndarray:
    """TOPSIS closeness C_i in [0, 1] [S3.2]."""
    return topsis_details(x, directions, w).closeness


@dataclass(frozen=True)
class PrometheeResult:
    net_flow: np.ndarray
    positive_flow: np.ndarray
    negative_flow: np.ndarray
    preference: np.ndarray  # pi(a, b), N x N


def promethee2_details(x: np.ndarray, directions: list[str], w) -> PrometheeResult:
    """PROMETHEE II with the usual criterion on the raw matrix [S3.3]."""
    x, w = _check(x, w)
    if len(directions) != x.shape[1]:
        raise InputError(f"{len(directions)} directions given for {x.shape[1]} criteria")
    n = x.shape[0]
    sign = np.array([1.0 if d == BENEFIT else -1.0 for d in directions])
    eps = PREF_RTOL * np.maximum(1.0, np.max(np.abs(x), axis=0))  # per criterion [S0.3]
    d = (x[:, None, :] - x[None, :, :]) * sign  # d_j(a, b)
    pi = np.sum((d > eps) * w, axis=2)
    if n == 1:
        zero = np.zeros(1)
        return PrometheeResult(zero, zero, zero, pi)
    phi_plus = pi.sum(axis=1) / (n - 1)  # diagonal is 0: d = 0 is never a preference
    phi_minus = pi.sum(axis=0) / (n - 1)
    return PrometheeResult(phi_plus - phi_minus, phi_plus, phi_minus, pi)


def promethee2(x: np.ndarray, directions: list[str], w) -> np.ndarray:
    """Net flows phi in [-1, 1] [S3.3]."""
    return promethee2_details(x, directions, w).net_flow
