"""Pairwise wins counted in a worker thread (issue 15): the same counts as a plain loop, errors
reach the caller, and no thread outlives an analysis, also when it fails half-way."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from prioritization.engine import pair_counts, smaa
from prioritization.engine.normalize import CriterionSpec
from prioritization.engine.pair_counts import PairCounter
from prioritization.engine.smaa import ScoreModel
from prioritization.engine.weight_sampling import WeightModel


@pytest.fixture(autouse=True)
def _threads_before():
    """The threads alive before the test (another test in this process may have left one)."""
    global _BEFORE
    _BEFORE = set(threading.enumerate())


_BEFORE: set[threading.Thread] = set()


def _workers() -> list[threading.Thread]:
    """Pairwise workers started by this test and still alive."""
    return [t for t in threading.enumerate() if t.name == "smaa-pairwise" and t not in _BEFORE]


def _chunk(rng: np.random.Generator, c: int, n: int, ties: bool) -> tuple[np.ndarray, np.ndarray]:
    """``order`` and tie-group ``start`` of c random rankings, with some tie groups when asked."""
    order = np.argsort(rng.random((c, n)), axis=1)
    start = np.broadcast_to(np.arange(n), (c, n)).copy()
    if ties:
        for s in range(c):
            for p in range(1, n):
                if rng.random() < 0.3:
                    start[s, p] = start[s, p - 1]  # position p joins the group before it
    return order, start


def _loop(chunks: list[tuple[np.ndarray, np.ndarray]], n: int) -> np.ndarray:
    wins = np.zeros((n, n), dtype=np.int64)
    for order, start in chunks:
        for o, st in zip(order, start, strict=True):
            where = np.empty(n, dtype=np.int64)
            where[o] = st
            wins += where[:, None] < where[None, :]
    return wins


@pytest.mark.parametrize("n", [1, 2, 7, 300])  # 300: group positions beyond one byte
@pytest.mark.parametrize("ties", [False, True])
def test_the_counts_equal_a_loop_over_samples(n, ties):
    rng = np.random.default_rng(n)
    chunks = [_chunk(rng, c, n, ties) for c in (1, 40, 33, 70)]  # more chunks than the queue holds
    counter = PairCounter(n)
    for order, start in chunks:
        counter.add(order, start)
    np.testing.assert_array_equal(counter.wins(), _loop(chunks, n))
    assert not _workers()


class _NumpyOutOfMemory:
    """NumPy as the worker sees it, but its comparison runs out of memory."""

    def __getattr__(self, name):
        if name == "less":
            def less(*args, **kwargs):
                raise MemoryError("no room for the comparisons")
            return less
        return getattr(np, name)


def test_an_error_in_the_worker_reaches_the_caller_and_the_thread_ends(monkeypatch):
    monkeypatch.setattr(pair_counts, "np", _NumpyOutOfMemory())
    counter = PairCounter(4)
    order, start = _chunk(np.random.default_rng(1), 10, 4, False)
    for _ in range(pair_counts.QUEUED_CHUNKS + 3):  # more than the queue holds: the caller is never stuck
        counter.add(order, start)
    with pytest.raises(MemoryError, match="no room"):
        counter.wins()
    assert not _workers()


def test_close_twice_and_a_counter_never_used_are_harmless():
    counter = PairCounter(3)
    counter.close()
    counter.close()
    assert counter.wins().shape == (3, 3) and not counter.wins().any()


def test_no_worker_outlives_an_analysis_that_fails_half_way(monkeypatch):
    x = np.random.default_rng(2).random((6, 2))
    crits = [CriterionSpec("benefit", "minmax", None)] * 2
    calls = []
    real = smaa._Accumulator.add

    def fail_on_third(self, scores, weights):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")  # anything the main loop may meet
        real(self, scores, weights)

    monkeypatch.setattr(smaa._Accumulator, "add", fail_on_third)
    with pytest.raises(RuntimeError, match="disk full"):
        smaa.smaa(x, crits, WeightModel("uniform"), ScoreModel("none"), samples=500, seed=1, chunk=50)
    assert not _workers()


def test_an_analysis_leaves_no_thread_and_matches_one_without_the_index():
    x = np.random.default_rng(3).random((9, 3))
    crits = [CriterionSpec("benefit", "minmax", None)] * 3
    args = (x, crits, WeightModel("uniform"), ScoreModel("none"))
    full = smaa.smaa(*args, samples=800, seed=5, chunk=64)
    lean = smaa.smaa(*args, samples=800, seed=5, chunk=64, pairwise=False)
    assert not _workers()
    np.testing.assert_array_equal(full.rank_acceptability, lean.rank_acceptability)
    # P_ik + P_ki = 1 and P_ii = 1/2 [S5d.5]
    np.testing.assert_allclose(full.pairwise_winning + full.pairwise_winning.T, 1.0, rtol=0, atol=1e-12)
