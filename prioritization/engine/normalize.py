"""Normalisation of raw scores to values where larger is always better [S1].

All functions accept a raw matrix of shape ``(..., N, M)`` (alternatives x criteria), so SMAA can
normalise K sampled matrices at once with the same code (min-max is then recomputed per sample,
[S5d.2]).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from prioritization.errors import InputError

BENEFIT = "benefit"
COST = "cost"
DIRECTIONS = (BENEFIT, COST)
MINMAX, SCALE, NONE = "minmax", "scale", "none"
NORMALIZATIONS = (MINMAX, SCALE, NONE)
CONST_RTOL = 1e-9
SCALE_BAND_RTOL = 1e-9


@dataclass(frozen=True)
class CriterionSpec:
    """What the engine needs to know about one criterion."""

    direction: str = BENEFIT
    normalization: str | None = None  # None: "scale" when a scale is given, else "minmax" [S1.3]
    scale: tuple[float, float] | None = None

    @property
    def method(self) -> str:
        if self.normalization is not None:
            return self.normalization
        return SCALE if self.scale is not None else MINMAX


def validate_criteria(criteria: list[CriterionSpec]) -> None:
    """Reject unknown directions/normalisations, ``none`` on cost, bad scales [S0.4]."""
    if len(criteria) == 0:
        raise InputError("there must be at least one criterion (M = 0)")
    for j, c in enumerate(criteria):
        if c.direction not in DIRECTIONS:
            raise InputError(f"criterion {j}: unknown direction {c.direction!r} (benefit or cost)")
        if c.method not in NORMALIZATIONS:
            raise InputError(f"criterion {j}: unknown normalization {c.method!r}")
        if c.method == NONE and c.direction == COST:
            raise InputError(f"criterion {j}: normalization 'none' is only allowed for benefit criteria")
        if c.method == SCALE:
            if c.scale is None:
                raise InputError(f"criterion {j}: normalization 'scale' needs a scale [lo, hi]")
            lo, hi = c.scale
            if not (np.isfinite(lo) and np.isfinite(hi)):
                raise InputError(f"criterion {j}: scale bounds must be finite numbers")
            if lo >= hi:
                raise InputError(f"criterion {j}: scale lower bound {lo} must be less than upper bound {hi}")


def onto_scale(value: float, scale: tuple[float, float]) -> float | None:
    """``value`` on the fixed ``scale``: clipped to it when within the band of SCALE_BAND_RTOL of the
    range (rounding noise), None when further out [S1.2]. The one rule for "on the scale", used by
    the project-file reader and the score store alike (:func:`check_scale` applies it to arrays)."""
    lo, hi = scale
    band = SCALE_BAND_RTOL * (hi - lo)
    if value < lo - band or value > hi + band:
        return None
    return min(max(float(value), lo), hi)


def check_scale(x: np.ndarray, criteria: list[CriterionSpec]) -> np.ndarray:
    """Clip scores within the band of a fixed scale; raise for scores further out [S1.2, S0.3].

    Returns a clipped copy of ``x`` (shape ``(..., N, M)``).
    """
    x = np.array(x, dtype=float, copy=True)
    for j, c in enumerate(criteria):
        if c.method != SCALE:
            continue
        lo, hi = c.scale
        band = SCALE_BAND_RTOL * (hi - lo)
        col = x[..., j]
        bad = (col < lo - band) | (col > hi + band)
        if np.any(bad):
            value = col[bad].flat[0]
            raise InputError(f"criterion {j}: score {value:g} is outside the scale {lo:g}–{hi:g}")
        x[..., j] = np.clip(col, lo, hi)
    return x


def normalize(x: np.ndarray, criteria: list[CriterionSpec]) -> np.ndarray:
    """Normalised values V for a raw matrix of shape ``(..., N, M)`` [S1.1-S1.3].

    * ``minmax``: (x - min)/(max - min) for benefit, (max - x)/(max - min) for cost, over the
      alternatives; a constant column (max - min <= 1e-9 * max(1, |min|, |max|)) gives 0.
    * ``scale``: (x - lo)/(hi - lo) for benefit, (hi - x)/(hi - lo) for cost, after clipping
      scores within the band.
    * ``none``: x itself (benefit only).

    Raises :class:`InputError` for non-finite scores, N = 0 or M = 0, or a score outside its scale.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim < 2 or x.shape[-2] == 0 or x.shape[-1] == 0:
        raise InputError("the score matrix must have at least one alternative and one criterion")
    if x.shape[-1] != len(criteria):
        raise InputError(f"the score matrix has {x.shape[-1]} columns but there are {len(criteria)} criteria")
    if not np.all(np.isfinite(x)):
        raise InputError("scores must be finite numbers (no NaN or infinity)")
    validate_criteria(criteria)
    x = check_scale(x, criteria)
    v = np.empty_like(x)
    for j, c in enumerate(criteria):
        col = x[..., j]
        if c.method == NONE:
            v[..., j] = col
        elif c.method == SCALE:
            lo, hi = c.scale
            v[..., j] = (col - lo) / (hi - lo) if c.direction == BENEFIT else (hi - col) / (hi - lo)
        else:
            mn = col.min(axis=-1, keepdims=True)
            mx = col.max(axis=-1, keepdims=True)
            span = mx - mn
            tol = CONST_RTOL * np.maximum(1.0, np.maximum(np.abs(mn), np.abs(mx)))
            const = span <= tol
            safe = np.where(const, 1.0, span)
            out = (col - mn) / safe if c.direction == BENEFIT else (mx - col) / safe
            v[..., j] = np.where(const, 0.0, out)
    return v


def vector_normalize(x: np.ndarray) -> np.ndarray:
    """r_ij = x_ij / sqrt(sum_k x_kj^2); an all-zero column gives 0 [S1.4]."""
    x = np.asarray(x, dtype=float)
    norm = np.sqrt(np.sum(x * x, axis=-2, keepdims=True))
    safe = np.where(norm == 0.0, 1.0, norm)
    return np.where(norm == 0.0, 0.0, x / safe)
