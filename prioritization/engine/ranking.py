"""Ranking and ties [S0.2], shared by every method.

Scores are "larger is better". Ties use the chain rule with
``eps = 1e-9 * max(1, max|S|)``: walking down the stably sorted scores, a new tie group starts
whenever the previous score minus the current one exceeds ``eps``.
"""

from __future__ import annotations

import numpy as np

TIE_RTOL = 1e-9


def tie_epsilon(scores: np.ndarray) -> float:
    """The tie tolerance of [S0.2] for one score vector."""
    s = np.asarray(scores, dtype=float)
    return TIE_RTOL * max(1.0, float(np.max(np.abs(s))) if s.size else 1.0)


def sorted_groups(scores: np.ndarray, eps: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Stable descending order and the tie-group id of each sorted position.

    Returns ``(order, group)`` where ``order[p]`` is the input index at position ``p`` and
    ``group[p]`` is the 0-based tie group of that position (non-decreasing).
    """
    s = np.asarray(scores, dtype=float)
    if s.ndim != 1:
        raise ValueError("scores must be one-dimensional")
    if eps is None:
        eps = tie_epsilon(s)
    order = np.argsort(-s, kind="stable")
    ordered = s[order]
    new_group = np.zeros(s.size, dtype=bool)
    new_group[1:] = (ordered[:-1] - ordered[1:]) > eps
    group = np.cumsum(new_group)
    return order, group


def competition_ranks(scores: np.ndarray, eps: float | None = None) -> np.ndarray:
    """Competition ranks ("1-2-2-4") in input order [S0.2 step 3]."""
    s = np.asarray(scores, dtype=float)
    order, group = sorted_groups(s, eps)
    # rank of a group = 1 + number of alternatives in earlier groups = 1 + first position of group
    first_pos = np.zeros(s.size, dtype=int)
    if s.size:
        starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
        first_pos = starts[group]
    ranks = np.empty(s.size, dtype=int)
    ranks[order] = first_pos + 1
    return ranks


def display_order(scores: np.ndarray, eps: float | None = None) -> np.ndarray:
    """Input indices by rank ascending, then input index ascending [S0.2 step 4]."""
    ranks = competition_ranks(scores, eps)
    return np.lexsort((np.arange(ranks.size), ranks))


def top_set(scores: np.ndarray, eps: float | None = None) -> np.ndarray:
    """Input indices of the alternatives ranked 1 (ascending)."""
    return np.flatnonzero(competition_ranks(scores, eps) == 1)
