"""A small least-recently-used memo for what is derived from immutable stored data (issue 15).

A frozen version never changes once its check has passed, so what is made from its text for one kind
of reader (the text a viewer may see, the project read from it) is the same every time: the results
pages ask for it on every rerun, and making it again cost most of a viewer's rerun. The key must name
everything the value depends on (the checked digest, the reader's role, ...); the memo is shared by
every session of the process, so it is consulted only after access and the check are done.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Memo(Generic[V]):
    """``get(key, make)``: the value made for ``key``, made by ``make()`` on the first ask; at most
    ``size`` values are kept (the least recently used goes first)."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()  # outside the lock: two sessions may make it at once, both get the same value
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
