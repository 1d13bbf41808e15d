"""Criterion colours and weights in words (result_text), on the example criteria and on
constructed inputs whose answers can be checked by hand."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from prioritization import analysis, projectfile
from prioritization.model import Criterion
from prioritization.report import result_text as rt
from tests.conftest import EXAMPLE


@pytest.fixture(scope="module")
def example():
    return SimpleNamespace(data=analysis.decision_data(projectfile.load(EXAMPLE)))


# --- colours ----------------------------------------------------------------------------------------


def test_twelve_criteria_in_six_groups_get_tints_of_six_okabe_ito_hues(example):
    colours = rt.criterion_colours(example.data.criteria)
    groups = [c.group for c in example.data.criteria]
    assert len(set(colours)) == 12
    first_of_group = [colours[groups.index(g)] for g in dict.fromkeys(groups)]
    assert len(first_of_group) == 6 and first_of_group == list(rt.OKABE_ITO[:6])  # the first criterion of a group has the pure hue
    assert colours[:3] == ["#0072B2", rt._tint("#0072B2", 0.3), rt._tint("#0072B2", 0.6)]


def test_few_criteria_get_one_okabe_ito_colour_each():
    crit = [Criterion(f"C{k}", f"K{k}", "benefit") for k in range(3)]
    assert rt.criterion_colours(crit) == ["#0072B2", "#E69F00", "#009E73"]
    ungrouped = [Criterion(f"C{k}", f"K{k}", "benefit") for k in range(10)]
    colours = rt.criterion_colours(ungrouped)
    assert colours[:8] == list(rt.OKABE_ITO) and colours[8] == rt._tint(rt.OKABE_ITO[0], 0.6)


def test_tint_mixes_with_white():
    assert rt._tint("#000000", 0.5) == "#808080" and rt._tint("#0072B2", 0.0) == "#0072B2"
    assert rt._tint("#0072B2", 1.0) == "#FFFFFF"


# --- weights in words ---------------------------------------------------------------------------------


def test_weight_points_change_is_the_difference_of_the_printed_weights():
    # 10.44 % and 21.56 % print as 10,4 % and 21,6 %: a reader computes 11,2, not the true 11,12
    assert rt.weight_points_change(0.1044, 0.2156) == "+11,2 procentenheter"
    assert rt.weight_points_change(0.5, 0.4) == "\u221210,0 procentenheter"
    assert rt.weight_points_change(0.1, 0.2, "en") == "+10.0 percentage points"
