"""Breakpoints kept as arrays [S5a] (issue 15): the lazy sequences behave like the former lists.

A small reference implementation (the former per-breakpoint construction) is kept here and compared
with :func:`all_breakpoints` on random instances, including coarse grids with merged breakpoints.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from prioritization.engine.sensitivity import (
    MERGE_TOL,
    Breakpoint,
    PairContext,
    all_breakpoints,
    crossing_points,
    oat,
)


def reference_breakpoints(v: np.ndarray, w: np.ndarray, j: int) -> list[tuple[float, list[tuple[int, int]]]]:
    """The former construction: lexsort by (t*, row-major pair), chain merge, row-major within."""
    ctx = PairContext.build(v, w)
    _, _, d0, d1 = ctx.pair_lines(j)
    crosses, t_star = crossing_points(d0, d1, ctx.eps)
    ci, ck = ctx.pi[crosses], ctx.pk[crosses]
    order = np.lexsort((ck, ci, t_star))
    t_sorted, ci, ck = t_star[order], ci[order], ck[order]
    new_group = np.ones(t_sorted.size, dtype=bool)
    new_group[1:] = np.diff(t_sorted) > MERGE_TOL
    group = np.cumsum(new_group) - 1
    starts = np.flatnonzero(new_group)
    within = np.lexsort((ck, ci, group))
    pairs = list(zip(ci[within].tolist(), ck[within].tolist(), strict=True))
    ends = np.r_[starts[1:], t_sorted.size].tolist() if starts.size else []
    return [(t, pairs[s:e]) for t, s, e in zip(t_sorted[starts].tolist(), starts.tolist(), ends, strict=True)]


def random_instance(rng: np.random.Generator, n: int, m: int, levels: int | None) -> tuple[np.ndarray, np.ndarray]:
    if levels is None:
        return rng.random((n, m)), rng.random(m) + 0.01
    return rng.integers(0, levels + 1, size=(n, m)) / levels, rng.integers(1, 5, size=m).astype(float)


@pytest.mark.parametrize("levels", [None, 2, 4])
def test_breakpoints_equal_the_former_construction(levels):
    rng = np.random.default_rng(15 + (levels or 0))
    merged = 0
    for _ in range(30):
        n, m = int(rng.integers(2, 40)), int(rng.integers(2, 6))
        v, w = random_instance(rng, n, m, levels)
        for res in all_breakpoints(v, w):
            expected = reference_breakpoints(v, w, res.criterion)
            got = [(b.t, b.crossings) for b in res.breakpoints]
            assert got == expected  # exact floats, pairs as Python ints in row-major order
            assert res.breakpoint_ts.tolist() == [t for t, _ in expected]
            merged += sum(len(p) > 1 for _, p in expected)
    if levels is not None:
        assert merged > 0  # coarse grids really produce breakpoints with several crossings


def test_breakpoint_sequence_behaves_like_a_list():
    rng = np.random.default_rng(3)
    v, w = rng.integers(0, 3, size=(12, 3)) / 2, np.array([1.0, 2.0, 3.0])
    res = oat(v, w, 1)
    as_list = list(res.breakpoints)
    assert len(res.breakpoints) == len(as_list) > 3
    assert res.breakpoints == as_list and as_list == list(res.breakpoints)
    assert res.breakpoints[0] == as_list[0] and res.breakpoints[-1] == as_list[-1]
    assert res.breakpoints[1:3] == as_list[1:3] and res.breakpoints[::-1] == as_list[::-1]
    assert isinstance(res.breakpoints[0], Breakpoint)
    assert all(isinstance(i, int) and isinstance(k, int) for b in as_list for i, k in b.crossings)
    with pytest.raises(IndexError):
        res.breakpoints[len(as_list)]
    with pytest.raises(IndexError):
        res.breakpoints[-len(as_list) - 1]
    assert res.breakpoints != as_list[:-1] and res.breakpoints != "not a list"
    assert res.breakpoints[np.int64(2)] == as_list[2]


def test_intervals_follow_the_breakpoints():
    rng = np.random.default_rng(8)
    v, w = rng.random((15, 4)), rng.random(4)
    for res in all_breakpoints(v, w):
        ts = res.breakpoint_ts.tolist()
        intervals = list(res.intervals)
        assert len(res.intervals) == len(ts) + 1
        assert [(iv.lo, iv.hi) for iv in intervals] == list(zip([0.0, *ts], [*ts, 1.0], strict=True))
        assert res.intervals[-1].hi == 1.0 and res.intervals[0].lo == 0.0
        mids = [iv.midpoint for iv in intervals]
        assert res.intervals.midpoints().tolist() == mids
        np.testing.assert_array_equal(res.interval_ranks()[len(mids) // 2], intervals[len(mids) // 2].ranks)


def test_crossings_among_equals_filtering_the_breakpoints():
    rng = np.random.default_rng(21)
    v, w = rng.integers(0, 4, size=(30, 3)) / 3, np.array([2.0, 1.0, 1.0])
    for res in all_breakpoints(v, w):
        for members in ({0, 1, 2, 3, 4}, set(range(0, 30, 3)), set(), set(range(30))):
            expected = [(b.t, i, k) for b in res.breakpoints for i, k in b.crossings if i in members and k in members]
            t, i, k = res.crossings_among(members)
            assert list(zip(t.tolist(), i.tolist(), k.tolist(), strict=True)) == expected


def test_not_applicable_and_no_crossing_cases():
    single = oat(np.array([[0.1], [0.9]]), np.array([1.0]), 0)
    assert single.breakpoints == [] and single.intervals == [] and len(single.intervals) == 0
    assert single.breakpoint_ts.size == 0 and single.intervals.midpoints().size == 0
    assert single.crossings_among([0, 1])[0].size == 0
    parallel = oat(np.array([[0.2, 0.2], [0.5, 0.5]]), np.array([1.0, 1.0]), 0)
    assert parallel.breakpoints == [] and [(iv.lo, iv.hi) for iv in parallel.intervals] == [(0.0, 1.0)]


def test_breakpoint_ts_is_read_only():
    res = oat(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([1.0, 1.0]), 0)
    assert res.breakpoint_ts.tolist() == [0.5]
    with pytest.raises(ValueError):
        res.breakpoint_ts[0] = 0.3


def test_memory_is_a_few_bytes_per_crossing():
    # 300 alternatives x 4 criteria: about 10^5 crossings; the former objects took ~300 B each
    rng = np.random.default_rng(5)
    v, w = rng.random((300, 4)), rng.random(4)
    tracemalloc.start()
    try:
        results = all_breakpoints(v, w)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    crossings = sum(r.breakpoints.pair_i.size for r in results)
    assert crossings > 50_000
    assert peak < 2_000_000 + 40 * crossings  # stored: 8 (t) + 2 + 2 (pair) bytes per crossing
