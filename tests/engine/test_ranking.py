import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from prioritization.engine.ranking import competition_ranks, display_order, tie_epsilon, top_set


def test_spec_s02_example():
    s = np.array([0.5, 0.7, 0.5 + 1e-12, 0.2, 0.7])
    assert competition_ranks(s).tolist() == [3, 1, 3, 5, 1]
    assert display_order(s).tolist() == [1, 4, 0, 2, 3]


def test_chain_grouping_is_transitive():
    # 0, eps*0.9, eps*1.8: each neighbour within eps, so all three form one chain group
    eps = tie_epsilon(np.array([1.0]))
    s = np.array([1.0, 1.0 - 0.9 * eps, 1.0 - 1.8 * eps, 0.0])
    assert competition_ranks(s).tolist() == [1, 1, 1, 4]


def test_epsilon_scales_with_magnitude():
    s = np.array([1e6, 1e6 - 1e-4, 1e6 - 1e-2])
    # eps = 1e-3: the first two tie, the third does not
    assert competition_ranks(s).tolist() == [1, 1, 3]


def test_promethee_example_flows_tie():
    s = np.array([0.09999999999999992, 0.10000000000000003, -0.2])
    assert competition_ranks(s).tolist() == [1, 1, 3]
    assert top_set(s).tolist() == [0, 1]


def test_empty_and_single():
    assert competition_ranks(np.array([])).tolist() == []
    assert competition_ranks(np.array([3.0])).tolist() == [1]


def test_rejects_2d():
    with pytest.raises(ValueError):
        competition_ranks(np.zeros((2, 2)))


@given(st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=1, max_size=30))
def test_ranks_are_consistent_with_order(values):
    s = np.array(values)
    r = competition_ranks(s)
    order = display_order(s)
    assert sorted(order.tolist()) == list(range(len(values)))
    assert np.all(np.diff(r[order]) >= 0)
    assert r.min() == 1
    # competition rank: count of alternatives with a strictly better rank + 1
    for i in range(len(values)):
        assert r[i] == 1 + np.sum(r < r[i])
