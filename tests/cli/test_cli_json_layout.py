"""JSON output layout (issue 15): short output is indented for people by the standard library,
long output is one line written by orjson. Both are the same JSON as ``json.dumps`` writes."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from prioritization.cli import common

# numbers whose shortest text is easy to get wrong, and text that must be escaped or kept as is
HARD_FLOATS = [0.1 + 0.2, 1e-05, 1e16, 1e22, 1.5e300, 5e-324, 2.0**53 + 2, -0.0, 0.0, 1 / 3, 123456789.12345678,
               -2.5, 4.35, 0.0007183908045977096]
HARD_TEXT = ["Södertörn", "Tvärförbindelse – etapp 1", 'citat "så" \\ snett', "rad\nny\tflik", "\x00\x1f\x7f",
             "\u2028\u2029", "emoji 🚆", "=SUMMA(A1)", ""]


def _big(payload: dict) -> dict:
    """``payload`` with enough numbers to be written on one line."""
    return {**payload, "pad": [0.5 + i / 1e4 for i in range(common.INDENT_BELOW // 6)]}


def test_short_output_is_indented_and_long_output_is_one_line():
    small = {"weights": {"K1": 0.5, "K2": 0.5}, "name": "Södertörn"}
    text = common.json_text(small)
    assert text == json.dumps(small, ensure_ascii=False, indent=2)
    big = {f"O{i}": {f"O{k}": 0.5 + (i - k) / 1e4 for k in range(120)} for i in range(120)}
    text = common.json_text(big)
    assert "\n" not in text and len(text) >= common.INDENT_BELOW
    assert json.loads(text) == big


def test_the_threshold_is_the_one_line_length():
    items = {"k": "x" * (common.INDENT_BELOW - 20)}  # just under the limit on one line
    assert len(json.dumps(items, separators=(",", ":"))) < common.INDENT_BELOW
    assert common.json_text(items).startswith("{\n  ")
    items["k"] += "x" * 20
    assert common.json_text(items).startswith('{"k":"')


@pytest.mark.parametrize("wrap", [lambda d: d, _big], ids=["indented", "one line"])
def test_both_writers_give_the_json_the_standard_library_gives(wrap):
    nested = {t: {"v": f} for t, f in zip(HARD_TEXT, HARD_FLOATS, strict=False)}  # fewer texts than numbers
    data = wrap({"floats": HARD_FLOATS, "texts": HARD_TEXT, "none": None, "flags": [True, False],
                 "ints": [0, -1, 2**53 + 1, 2**63 - 1, -(2**63)], "nested": nested,
                 "tuple": (1, "a"), 7: "a whole-number key"})
    text = common.json_text(data)
    expected = json.loads(json.dumps(data, ensure_ascii=False, allow_nan=False))
    back = json.loads(text)
    assert back == expected
    for a, b in zip(back["floats"], HARD_FLOATS, strict=True):  # the same doubles, sign of zero too
        assert a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


def test_numpy_numbers_are_written_as_numbers():
    data = _big({"f": np.float64(0.25), "i": np.int64(3), "row": np.arange(3, dtype=float).tolist()})
    assert json.loads(common.json_text(data))["f"] == 0.25
    assert json.loads(common.json_text(data))["i"] == 3


def test_a_number_that_is_not_finite_is_refused_in_short_output():
    with pytest.raises(ValueError):
        common.json_text({"x": math.nan})


def test_a_whole_number_beyond_64_bits_is_still_written():
    data = _big({"n": 10**20})
    text = common.json_text(data)
    assert "\n" not in text and json.loads(text)["n"] == 10**20


def test_the_large_outputs_refuse_what_is_not_finite_before_orjson_could_write_null():
    assert common.finite_list(np.array([[0.5, 1.0]])) == [[0.5, 1.0]]
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(ValueError):
            common.finite_list(np.array([0.5, bad]))
