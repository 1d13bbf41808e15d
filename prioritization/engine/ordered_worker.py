"""A worker thread that consumes items in the order they are handed to it (issue 15).

SMAA-2's per-sample work is NumPy, which releases the interpreter lock while it computes, so a
second thread runs on a second core at the same time as the caller. The analysis hands such a
thread work that does not feed back into the next step: the pairwise wins of each chunk of ranked
samples (:mod:`prioritization.engine.pair_counts`), counted while the caller draws and ranks the
next chunk. Items are consumed one at a time in the order put, so sums come out exactly as in one
thread. At most ``queued`` items wait (then :meth:`OrderedWorker.put` waits too), which bounds the
memory held.

Not everything gains: scanning the confidence samples in a worker while the next ones are drawn
was measured no faster (both halves are bound by memory bandwidth, which the cores share).

The thread starts with the first item and ends with :meth:`OrderedWorker.finish` or
:meth:`OrderedWorker.close`; the first error raised by ``consume`` is raised again by ``finish``
(the items after it are dropped, and ``put`` never waits on a worker that has stopped).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

_DONE = object()  # the last item of the queue


class OrderedWorker:
    """Calls ``consume(item)`` for every item put, in order, in one thread of its own."""

    def __init__(self, consume: Callable[[Any], None], name: str, queued: int = 1):
        self._consume = consume
        self._name = name
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=queued)
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None

    def put(self, item: Any) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
            self._thread.start()
        self._queue.put(item)

    def finish(self) -> None:
        """Wait until every item put has been consumed; raise the first error of ``consume``."""
        self.close()
        if self._error is not None:
            raise self._error

    def close(self) -> None:
        """End the thread once the items already put are consumed (or dropped after an error).
        Raises nothing; safe to call more than once, and when nothing was put."""
        if self._thread is not None:
            self._queue.put(_DONE)
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        while (item := self._queue.get()) is not _DONE:
            if self._error is not None:
                continue  # drain, so that put() never waits on a stopped worker
            try:
                self._consume(item)
            except BaseException as e:  # noqa: BLE001 - raised again in finish()
                self._error = e
