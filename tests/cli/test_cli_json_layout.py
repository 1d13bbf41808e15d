"""JSON output layout (issue 15): short output is indented for people by the standard library,
long output is one line written by orjson. Both are the same JSON as ``json.dumps`` writes."""

from __future__ import annotations

import datetime
import enum
import json
import math

import numpy as np
import pytest

from prioritization.cli import common


class Colour(enum.Enum):
    RED = 1


class Name(str):
    pass


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


def test_a_number_that_is_not_finite_is_refused_in_short_output():
    with pytest.raises(ValueError):
        common.json_text({"x": math.nan})


def test_a_whole_number_beyond_64_bits_is_still_written():
    data = _big({"n": 10**20})
    text = common.json_text(data)
    assert "\n" not in text and json.loads(text)["n"] == 10**20


ODD = {  # what orjson would write otherwise than json.dumps, or write where json.dumps refuses
    "nan": math.nan, "infinity": math.inf, "date": datetime.date(2026, 12, 7), "NumPy int": np.int64(3),
    "NumPy float32": np.float32(0.5), "array": np.arange(3.0), "NumPy float64 (a float)": np.float64(0.25),
    "number key": {1e-05: "a"}, "whole-number key": {7: "a"}, "enum": Colour.RED, "text subclass": Name("Södertörn"),
    "lone surrogate": "\ud800", "floats summing past the largest": [1e308, 1e308],
}


@pytest.mark.parametrize("what", list(ODD))
@pytest.mark.parametrize("wrap", [lambda d: d, _big], ids=["indented", "one line"])
def test_odd_values_are_written_or_refused_as_the_standard_library_does(what, wrap):
    data = wrap({"x": ODD[what], "y": [ODD[what]]})
    try:
        expected = json.dumps(data, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as e:
        with pytest.raises(type(e)):
            common.json_text(data)
        return
    text = common.json_text(data)
    assert json.loads(text) == json.loads(expected)
    if wrap is _big:
        assert text == json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def test_the_sensitivity_output_takes_the_fast_writer():
    # its data must stay plain (Python numbers from tolist(), text keys): else the 2 MB output at
    # 200 objects goes back to the standard library's 44 ms
    from prioritization import analysis, projectfile
    from prioritization.cli.analysis import sensitivity_json
    from tests.conftest import EXAMPLE

    p = projectfile.load(EXAMPLE)
    rep = analysis.sensitivity(p, samples=300, seed=1, pairwise=True)
    data = sensitivity_json(p, rep)
    assert common._plain(data)
    assert json.loads(common.json_text(_big(data)))["smaa"] == json.loads(json.dumps(data))["smaa"]
