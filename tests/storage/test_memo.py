"""storage.memo: made once per key, least recently used dropped first, safe from several threads."""

import threading

from prioritization.storage.memo import Memo


def test_a_value_is_made_once_per_key_and_the_least_recently_used_goes_first():
    made = []
    memo: Memo[str] = Memo(2)

    def make(key):
        return lambda: made.append(key) or f"value {key}"

    assert memo.get("a", make("a")) == "value a"
    assert memo.get("b", make("b")) == "value b"
    assert memo.get("a", make("a")) == "value a"  # a is now the most recently used
    memo.get("c", make("c"))  # b goes
    assert memo.get("a", make("a")) == "value a"
    memo.get("b", make("b"))  # made again
    assert made == ["a", "b", "c", "b"]
    memo.clear()
    memo.get("a", make("a"))
    assert made[-1] == "a"


def test_threads_asking_at_once_all_get_the_value_of_their_own_key():
    memo: Memo[int] = Memo(4)
    got: dict[int, list[int]] = {k: [] for k in range(8)}
    start = threading.Barrier(8)

    def reader(k):
        start.wait()
        for _ in range(200):
            got[k].append(memo.get(k % 6, lambda k=k: (k % 6) * 10))

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(set(values) == {(k % 6) * 10} for k, values in got.items())
    assert len(memo._items) <= 4
