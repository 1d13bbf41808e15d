"""Timing a Streamlit page with AppTest, shared by the page benchmarks.

"Cold" is a run right after clearing every Streamlit cache, the median of ``COLD_RUNS`` such runs
(one run alone moves by a fifth on a shared machine); "warm" is the median of 10 reruns after one
warm-up rerun, timed without tracemalloc (which slows Python several-fold); peak memory comes from
one extra traced rerun.
"""

from __future__ import annotations

import statistics
import time
import tracemalloc

COLD_RUNS = 5


def time_page(script: str, state: dict, *, timeout: float = 300) -> tuple[float, float, float]:
    """(cold seconds, warm median seconds, peak MiB) of ``script`` run with ``state`` in session state."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(script, default_timeout=timeout)
    for k, v in state.items():
        at.session_state[k] = v
    colds = []
    for _ in range(COLD_RUNS):
        st.cache_resource.clear()
        st.cache_data.clear()
        t0 = time.perf_counter()
        at.run()
        colds.append(time.perf_counter() - t0)
        assert not at.exception, at.exception
    cold = statistics.median(colds)
    at.run()
    warm = []
    for _ in range(10):
        t0 = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t0)
    tracemalloc.start()
    at.run()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return cold, statistics.median(warm), peak
