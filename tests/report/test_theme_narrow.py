"""Row names and legends of the process charts on a narrow screen (theme.row_label_limit and
theme.legend_columns): the Vega expressions give the intended sizes at phone, laptop and projector
widths. The browser test tests/e2e/test_charts_phone.py shows the marks on a phone."""

from __future__ import annotations

import pytest

from prioritization.report import theme


def evaluate(expr: str, container_width: float) -> float:
    """A Vega expression of min/max/+-*/ and one ternary, with containerSize()[0] = ``container_width``."""
    def python(e: str) -> str:  # a ? b : c ? d : e  ->  (b if a else (d if c else e))
        if " ? " not in e:
            return e
        condition, rest = e.split(" ? ", 1)
        then, otherwise = rest.split(" : ", 1)
        return f"({python(then)} if {condition} else {python(otherwise)})"

    text = python(expr.replace("containerSize()[0]", repr(float(container_width))))
    return eval(text, {"__builtins__": {}, "min": min, "max": max})  # noqa: S307 - our own expression


@pytest.mark.parametrize(("width", "expected"), [(390, 175.5), (200, 90), (820, 369), (1400, 420)])
def test_row_names_take_at_most_45_percent_of_the_chart(width, expected):
    assert evaluate(theme.row_label_limit(420)["expr"], width) == pytest.approx(expected)


@pytest.mark.parametrize(("width", "expected"), [(390, 1), (599, 1), (600, 2), (999, 2), (1000, 3), (1600, 3)])
def test_legend_columns_follow_the_width(width, expected):
    assert evaluate(theme.legend_columns(3)["expr"], width) == expected


@pytest.mark.parametrize(("width", "expected"), [(390, 174.5), (200, 90), (600, 0), (1400, 0)])
def test_legend_labels_are_limited_on_a_phone_only(width, expected):
    assert evaluate(theme.legend_label_limit(0)["expr"], width) == pytest.approx(expected)
    assert evaluate(theme.legend_label_limit(360)["expr"], 1400) == 360


def test_the_process_charts_use_them():
    import datetime

    from prioritization import projectfile
    from prioritization.report import follow_up as view
    from prioritization.report import follow_up_rollup
    from tests.conftest import EXAMPLE

    project = projectfile.load(EXAMPLE)
    steps = view.step_rows(project, "sv")
    spec = view.steps_chart(steps, list(dict.fromkeys(steps["object"])), datetime.date(2026, 12, 7)).to_dict()
    layer = spec["layer"][0]["encoding"]
    assert layer["y"]["axis"]["labelLimit"] == theme.row_label_limit(420)
    rollup = follow_up_rollup.rollup_chart(project, "sv").to_dict()["encoding"]
    assert rollup["y"]["axis"]["labelLimit"] == theme.row_label_limit(300)
    assert rollup["color"]["legend"]["columns"] == theme.legend_columns(3)
