"""The type checker runs over the package in `make test` (issue 12): no new mypy error, and a fixed
one leaves the baseline (tools/mypy-baseline.txt), so the baseline only shrinks."""

from collections import Counter

import pytest

from tools import mypy_baseline as mb

pytest.importorskip("mypy")


def test_no_new_type_errors_and_the_baseline_only_shrinks():
    new, gone = mb.compare(mb.current(), mb.baseline())
    assert not new, "new mypy errors (fix them; the baseline is for old code only):\n" + "\n".join(new)
    assert not gone, ("these baseline errors are fixed: run `python -m tools.mypy_baseline --write` so the "
                      "baseline shrinks:\n" + "\n".join(gone))


def test_the_comparison_counts_each_error():
    base = Counter({"a.py: x [arg-type]": 2, "b.py: y [union-attr]": 1})
    assert mb.compare(Counter({"a.py: x [arg-type]": 2, "b.py: y [union-attr]": 1}), base) == ([], [])
    assert mb.compare(Counter({"a.py: x [arg-type]": 3}), base) == (["a.py: x [arg-type]"], ["b.py: y [union-attr]"])
    assert mb.LINE.match("prioritization/x.py:12: error: Bad thing  [arg-type]")["code"] == "arg-type"


def test_an_entry_does_not_depend_on_where_the_code_stands():
    m = mb.LINE.match('prioritization/x.py:40: error: Name "row" already defined on line 31  [no-redef]')
    assert mb.ON_LINE.sub("on line N", m["message"]) == 'Name "row" already defined on line N'
