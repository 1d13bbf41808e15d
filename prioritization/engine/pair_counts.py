"""Pairwise wins of SMAA-2 [S5d.5], counted on a second core while the samples are drawn and ranked.

Counting for every sample which of two alternatives is ahead is N x N comparisons per sample (4e8
at 200 alternatives and 10 000 samples): the largest single cost of a weights-only analysis (about
60 ms of it, issue 15). The counts are integer sums over samples, so a worker thread
(:class:`~prioritization.engine.ordered_worker.OrderedWorker`) adds them up while the caller goes on
with the next chunk of samples and the confidence factors.
"""

from __future__ import annotations

import numpy as np

from prioritization.engine.ordered_worker import OrderedWorker

BLOCK = 32  # samples per block of comparisons (must be <= 255: uint8 sums)
BLOCK_BYTES = 2**21  # ... and at most this many comparison bytes per block (cache-sized)
QUEUED_CHUNKS = 4  # chunks waiting for the worker at most (a chunk's positions are small)


class PairCounter:
    """Samples in which alternative i is strictly ahead of k (its tie group starts earlier)."""

    def __init__(self, n: int):
        self.n = n
        self._wins = np.zeros((n, n), dtype=np.int64)
        self._worker = OrderedWorker(self._count, "smaa-pairwise", QUEUED_CHUNKS)
        self._ahead: np.ndarray | None = None  # scratch, kept: no fresh pages per block
        self._ahead_sum = np.empty((n, n), dtype=np.uint8)

    def add(self, order: np.ndarray, start: np.ndarray) -> None:
        """One chunk of ranked samples: ``order`` (c, N) the alternatives by position, ``start``
        (c, N) the first position of the tie group at each position."""
        c, n = order.shape
        group_pos = np.empty((c, n), dtype=np.uint8 if n <= 256 else np.int32)
        np.put_along_axis(group_pos, order, start, axis=1)  # per alternative: where its group starts
        self._worker.put(group_pos)

    def wins(self) -> np.ndarray:
        """The counts (N, N) of every chunk added; waits for the worker."""
        self._worker.finish()
        return self._wins

    def close(self) -> None:
        """End the worker (after the chunks already added). Safe to call more than once."""
        self._worker.close()

    def _count(self, group_pos: np.ndarray) -> None:  # in the worker thread
        n = self.n
        block = max(1, min(BLOCK, BLOCK_BYTES // (n * n)))
        if self._ahead is None:
            self._ahead = np.empty((block, n, n), dtype=bool)
        for a in range(0, group_pos.shape[0], block):
            g = group_pos[a : a + block]
            part = self._ahead[: g.shape[0]]
            np.less(g[:, :, None], g[:, None, :], out=part)
            self._wins += np.add.reduce(part.view(np.uint8), axis=0, dtype=np.uint8, out=self._ahead_sum)
