"""Pairwise wins of SMAA-2 [S5d.5], counted on a second core while the samples are drawn and ranked.

Counting for every sample which of two alternatives is ahead is N x N comparisons per sample (4e8
at 200 alternatives and 10 000 samples): the largest single cost of a weights-only analysis (about
60 ms of it, issue 15). The counts are integer sums over samples, so their order does not matter:
a worker thread adds them up while the calling thread goes on with the next chunk of samples and
the confidence factors. NumPy releases the interpreter lock inside its comparisons and sums, so the
two threads run at once on a machine with two cores (on one core the total work is the same).

:class:`PairCounter` is used by :func:`prioritization.engine.smaa.smaa` only; it keeps no state
between analyses and the thread ends with :meth:`PairCounter.wins` or :meth:`PairCounter.close`.
"""

from __future__ import annotations

import queue
import threading

import numpy as np

BLOCK = 32  # samples per block of comparisons (must be <= 255: uint8 sums)
BLOCK_BYTES = 2**21  # ... and at most this many comparison bytes per block (cache-sized)
QUEUED_CHUNKS = 4  # chunks waiting for the worker at most (then the caller waits: bounded memory)
_DONE = None  # the last item of the queue


class PairCounter:
    """Samples in which alternative i is strictly ahead of k (its tie group starts earlier)."""

    def __init__(self, n: int):
        self.n = n
        self._wins = np.zeros((n, n), dtype=np.int64)
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue(maxsize=QUEUED_CHUNKS)
        self._error: BaseException | None = None
        self._worker: threading.Thread | None = None

    def add(self, order: np.ndarray, start: np.ndarray) -> None:
        """One chunk of ranked samples: ``order`` (c, N) the alternatives by position, ``start``
        (c, N) the first position of the tie group at each position."""
        c, n = order.shape
        group_pos = np.empty((c, n), dtype=np.uint8 if n <= 256 else np.int32)
        np.put_along_axis(group_pos, order, start, axis=1)  # per alternative: where its group starts
        if self._worker is None:
            self._worker = threading.Thread(target=self._run, name="smaa-pairwise", daemon=True)
            self._worker.start()
        self._queue.put(group_pos)

    def wins(self) -> np.ndarray:
        """The counts (N, N) of every chunk added; waits for the worker."""
        self.close()
        if self._error is not None:
            raise self._error
        return self._wins

    def close(self) -> None:
        """End the worker (after the chunks already added). Safe to call more than once."""
        if self._worker is not None:
            self._queue.put(_DONE)
            self._worker.join()
            self._worker = None

    def _run(self) -> None:
        n = self.n
        block = max(1, min(BLOCK, BLOCK_BYTES // (n * n)))
        ahead = np.empty((block, n, n), dtype=bool)  # scratch, kept: no fresh pages per block
        ahead_sum = np.empty((n, n), dtype=np.uint8)
        while (group_pos := self._queue.get()) is not _DONE:
            if self._error is not None:
                continue  # drain: the caller learns of the error from wins()
            try:
                for a in range(0, group_pos.shape[0], block):
                    g = group_pos[a : a + block]
                    part = ahead[: g.shape[0]]
                    np.less(g[:, :, None], g[:, None, :], out=part)
                    self._wins += np.add.reduce(part.view(np.uint8), axis=0, dtype=np.uint8, out=ahead_sum)
            except BaseException as e:  # noqa: BLE001 - handed to the caller in wins()
                self._error = e
