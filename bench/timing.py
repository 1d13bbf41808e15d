"""Timing helpers shared by the benchmarks: best wall time of several runs, and peak traced memory."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable


def best_seconds(fn: Callable[[], object], repeat: int) -> float:
    """The shortest of ``repeat`` wall-clock runs (the machine is shared: the best run is the least
    disturbed)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def peak_mib(fn: Callable[[], object]) -> float:
    """Peak memory of one run under ``tracemalloc`` (Python objects and NumPy buffers), MiB."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
