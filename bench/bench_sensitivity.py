"""Benchmark: weight sensitivity [S5a, S5b] and critical criteria [S5c] on 200 objects x 15 criteria.

Target: stability intervals for all 15 criteria in under 0.5 s on a 2-core machine.

Run: ``.venv/bin/python bench/bench_sensitivity.py``
"""

from __future__ import annotations

import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

from prioritization.engine.critical import critical
from prioritization.engine.sensitivity import all_breakpoints, all_stability

N_OBJECTS, N_CRITERIA, SEED, REPEATS = 200, 15, 12345, 5


def _problem() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(SEED)
    return rng.random((N_OBJECTS, N_CRITERIA)), rng.random(N_CRITERIA)


def _measure(name: str, fn: Callable[[], Any], **extra: Any) -> dict:
    fn()  # warm-up
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "name": name,
        "seconds": statistics.median(times),
        "peak_mib": peak / 2**20,
        "size": f"{N_OBJECTS}x{N_CRITERIA}",
        "repeats": REPEATS,
        **extra,
    }


def run() -> list[dict]:
    v, w = _problem()
    oat_results = all_breakpoints(v, w)
    n_breakpoints = sum(len(r.breakpoints) for r in oat_results)
    n_intervals = sum(len(r.intervals) for r in oat_results)

    def interval_ranks_all() -> None:
        for r in oat_results:
            r.interval_ranks()

    return [
        _measure("sensitivity.all_stability", lambda: all_stability(v, w)),
        _measure(
            "sensitivity.all_breakpoints",
            lambda: all_breakpoints(v, w),
            breakpoints=n_breakpoints,
            note="interval ranks are computed lazily, see next row",
        ),
        _measure("sensitivity.interval_ranks(all criteria)", interval_ranks_all, intervals=n_intervals),
        _measure("critical.critical", lambda: critical(v, w)),
    ]


if __name__ == "__main__":
    for row in run():
        print(row)
