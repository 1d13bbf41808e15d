"""Benchmark of the exact portfolio (branch and bound, canonical choice, uniqueness) [S6].

Realistic data: values are WSM scores in [0, 1], costs spread log-uniformly over 50-15 000 MSEK,
budget 30 % of the total cost. The "correlated" cases make the value rise with the cost (larger
projects tend to score higher, plus noise), which is harder for branch and bound; "near_affine"
makes the value almost a linear function of the cost (noise 0.001), harder still. The "affine"
cases are deliberately pathological: the value is an *exact* linear function of the cost (a
classic hard knapsack family). At N = 200 that case exceeds the node limit, which shows the guard
(:class:`PortfolioSearchLimit`) instead of a hang.

Each case is run twice: once for the time (plain), once under tracemalloc for the peak memory
(tracemalloc slows Python allocation down a lot, so its run is not timed).

Run: ``python -m bench.bench_portfolio`` (or ``python bench/bench_portfolio.py``).
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from prioritization.engine.portfolio import PortfolioSearchLimit, greedy_portfolio, optimal_portfolio

SEED = 20240611
BUDGET_SHARE = 0.3
AFFINE_MAX_NODES = 1_000_000  # node limit for the pathological N = 200 case (keeps the bench short)


def make_instance(n: int, correlated: bool, seed: int = SEED) -> tuple[np.ndarray, np.ndarray, float]:
    """Seeded realistic instance: (values in [0, 1], costs in MSEK with one decimal, budget)."""
    rng = np.random.default_rng(seed + n + (1 if correlated else 0))
    costs = np.round(np.exp(rng.uniform(np.log(50.0), np.log(15_000.0), n)), 1)
    if correlated:
        share = (np.log(costs) - np.log(50.0)) / (np.log(15_000.0) - np.log(50.0))
        values = np.clip(0.15 + 0.7 * share + rng.normal(0.0, 0.05, n), 0.0, 1.0)
    else:
        values = rng.uniform(0.0, 1.0, n)
    budget = round(BUDGET_SHARE * float(costs.sum()), 1)
    return values, costs, budget


def make_near_affine(n: int, noise: float = 0.001, seed: int = SEED) -> tuple[np.ndarray, np.ndarray, float]:
    """Hard but solvable: value = 0.1 + 0.8 * cost / 15 000 plus N(0, noise) noise."""
    rng = np.random.default_rng(seed + 3 * n)
    costs = np.round(rng.uniform(50.0, 15_000.0, n), 1)
    values = np.clip(0.1 + 0.8 * costs / 15_000.0 + rng.normal(0.0, noise, n), 0.0, 1.0)
    budget = round(BUDGET_SHARE * float(costs.sum()), 1)
    return values, costs, budget


def make_affine(n: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray, float]:
    """Pathological instance: value = (cost + 1500) / 16 500 exactly ("strongly correlated")."""
    rng = np.random.default_rng(seed + 7 * n)
    costs = np.round(rng.uniform(50.0, 15_000.0, n), 1)
    values = (costs + 1_500.0) / 16_500.0
    budget = round(BUDGET_SHARE * float(costs.sum()), 1)
    return values, costs, budget


def _call(fn: Callable[[], object]) -> tuple[object | None, str]:
    try:
        return fn(), "ok"
    except PortfolioSearchLimit:
        return None, "node limit reached"


def _measure(name: str, fn: Callable[[], object], **extra: object) -> dict:
    t0 = time.perf_counter()
    result, status = _call(fn)
    seconds = time.perf_counter() - t0
    tracemalloc.start()
    _call(fn)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    row: dict = {"name": name, "seconds": seconds, "peak_mib": peak / 2**20, **extra, "status": status}
    if result is not None:
        row.update(selected=len(result.selected), value=round(result.value, 6))  # type: ignore[attr-defined]
        if hasattr(result, "unique"):
            row.update(unique=result.unique)
    return row


def run() -> list[dict]:
    rows = []
    cases = [
        ("uncorrelated", 60, make_instance(60, False), None),
        ("uncorrelated", 200, make_instance(200, False), None),
        ("correlated", 60, make_instance(60, True), None),
        ("correlated", 200, make_instance(200, True), None),
        ("near_affine", 60, make_near_affine(60), None),
        ("near_affine", 200, make_near_affine(200), None),
        ("affine", 60, make_affine(60), None),
        ("affine", 200, make_affine(200), AFFINE_MAX_NODES),
    ]
    for kind, n, (v, c, b), max_nodes in cases:
        extra = {"n": n} if max_nodes is None else {"n": n, "max_nodes": max_nodes}
        if max_nodes is None:
            exact = lambda: optimal_portfolio(v, c, b)  # noqa: E731
        else:
            exact = lambda: optimal_portfolio(v, c, b, max_nodes=max_nodes)  # noqa: E731
        rows.append(_measure(f"portfolio_exact_{kind}_n{n}", exact, **extra))
        rows.append(_measure(f"portfolio_greedy_{kind}_n{n}", lambda: greedy_portfolio(v, c, b), n=n))
    return rows


if __name__ == "__main__":
    for row in run():
        print(row)
