"""JSON output layout (issue 15): short output is indented for people, long output is one line
(written by the JSON encoder's C code). Both are the same JSON."""

from __future__ import annotations

import json

from prioritization.cli import common


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
    assert len(json.dumps(items)) < common.INDENT_BELOW
    assert common.json_text(items).startswith("{\n  ")
    items["k"] += "x" * 20
    assert common.json_text(items).startswith('{"k": ')
