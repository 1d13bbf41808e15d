"""The worker thread behind the pairwise counts: items in the order put, the first error raised
to the caller, a caller never stuck on a stopped worker, and no thread left behind."""

from __future__ import annotations

import threading
import time

import pytest

from prioritization.engine.ordered_worker import OrderedWorker


def _alive(name: str) -> bool:
    return any(t.name == name for t in threading.enumerate())


def test_items_are_consumed_in_the_order_put_even_when_some_take_longer():
    seen: list[int] = []

    def consume(i: int) -> None:
        if i % 7 == 0:
            time.sleep(0.002)  # a slow item must not be overtaken
        seen.append(i)

    worker = OrderedWorker(consume, "test-order", queued=2)
    for i in range(60):
        worker.put(i)
    worker.finish()
    assert seen == list(range(60))
    assert not _alive("test-order")


def test_the_first_error_is_raised_and_later_items_are_dropped_without_blocking():
    seen: list[int] = []

    def consume(i: int) -> None:
        if i in (3, 5):
            raise ValueError(f"item {i}")
        seen.append(i)

    worker = OrderedWorker(consume, "test-error", queued=1)
    for i in range(20):  # far more than the queue holds: put() must not wait on a stopped worker
        worker.put(i)
    with pytest.raises(ValueError, match="item 3"):
        worker.finish()
    assert seen == [0, 1, 2]
    assert not _alive("test-error")


def test_close_ends_the_thread_without_raising_and_may_be_called_again():
    def consume(i: int) -> None:
        raise RuntimeError("never seen by close")

    worker = OrderedWorker(consume, "test-close")
    worker.put(1)
    worker.close()
    worker.close()
    assert not _alive("test-close")
    idle = OrderedWorker(consume, "test-idle")
    idle.finish()  # nothing put: no thread was started, nothing to raise
    assert not _alive("test-idle")
