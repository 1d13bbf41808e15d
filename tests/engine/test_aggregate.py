"""WSM, TOPSIS and PROMETHEE II [S3] against published examples (spec S8.1)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from prioritization.engine.aggregate import promethee2, promethee2_details, topsis, topsis_details, wsm, wsm_values
from prioritization.engine.normalize import CriterionSpec
from prioritization.engine.ranking import competition_ranks
from prioritization.errors import InputError

# Hwang & Yoon (1981) aircraft: speed, range, payload, cost (M$), reliability, maneuverability
AIRCRAFT = np.array([
    [2.0, 1500, 20000, 5.5, 5, 9],
    [2.5, 2700, 18000, 6.5, 3, 5],
    [1.8, 2000, 21000, 4.5, 7, 7],
    [2.2, 1800, 20000, 5.0, 5, 5],
])
AIRCRAFT_DIR = ["benefit", "benefit", "benefit", "cost", "benefit", "benefit"]
AIRCRAFT_W = [0.2, 0.1, 0.1, 0.1, 0.2, 0.3]


def test_topsis_hwang_yoon_aircraft():
    c = topsis(AIRCRAFT, AIRCRAFT_DIR, AIRCRAFT_W)
    assert np.round(c, 4).tolist() == [0.6433, 0.2684, 0.6135, 0.3123]
    # textbook values (rounded intermediate tables): +-0.001
    assert np.all(np.abs(c - [0.643, 0.268, 0.613, 0.312]) <= 0.001 + 1e-12)
    assert competition_ranks(c).tolist() == [1, 4, 2, 3]


def test_topsis_car_example():
    a = np.array([[7, 9, 9, 8], [8, 7, 8, 7], [9, 6, 8, 9], [6, 7, 8, 6]], float)
    d = ["benefit", "benefit", "benefit", "cost"]
    r = topsis_details(a, d, [0.1, 0.4, 0.3, 0.2])
    exp = np.array([0.74269409, 0.40359933, 0.17586999, 0.44142927])
    assert np.all(np.abs(r.closeness - exp) <= 5e-9)
    # the lecture's A* is reproduced once r_ij is rounded to 2 decimals, as the lecture does
    rr = np.round(a / np.sqrt((a ** 2).sum(axis=0)), 2) * [0.1, 0.4, 0.3, 0.2]
    ideal = np.where(np.array(d) == "benefit", rr.max(axis=0), rr.min(axis=0))
    assert np.round(ideal, 3).tolist() == [0.059, 0.244, 0.162, 0.080]


def test_topsis_degenerate_cases_give_half():
    assert topsis(np.array([[3.0, 4.0]]), ["benefit", "cost"], [1, 1]).tolist() == [0.5]
    assert topsis(np.ones((3, 2)), ["benefit", "cost"], [1, 1]).tolist() == [0.5, 0.5, 0.5]


def test_topsis_cost_equals_one_minus_r_transform():
    # [S3.2]: using 1 - r for cost with max/min gives identical results
    rng = np.random.default_rng(3)
    x = rng.uniform(1, 10, (6, 4))
    d = ["benefit", "cost", "benefit", "cost"]
    w = rng.uniform(0.1, 1, 4)
    c = topsis(x, d, w)
    r = x / np.sqrt((x ** 2).sum(axis=0))
    r[:, [1, 3]] = 1 - r[:, [1, 3]]
    t = r * (w / w.sum())
    dp = np.sqrt(((t - t.max(axis=0)) ** 2).sum(axis=1))
    dm = np.sqrt(((t - t.min(axis=0)) ** 2).sum(axis=1))
    np.testing.assert_allclose(c, dm / (dp + dm), rtol=0, atol=1e-12)


def test_promethee_pymcdm_docstring_example():
    x = np.array([[4, 3, 2], [3, 2, 4], [5, 1, 3]], float)
    phi = promethee2(x, ["benefit"] * 3, [0.5, 0.3, 0.2])
    np.testing.assert_allclose(phi, [0.1, -0.3, 0.2], atol=1e-12)
    assert competition_ranks(phi).tolist() == [2, 3, 1]


def test_promethee_flows_definition_and_cost_direction():
    x = np.array([[1.0, 10.0], [2.0, 20.0]])
    r = promethee2_details(x, ["benefit", "cost"], [0.75, 0.25])
    # a=1 beats a=0 on criterion 0 (w .75); a=0 beats a=1 on the cost criterion (w .25)
    np.testing.assert_allclose(r.preference, [[0, 0.25], [0.75, 0]])
    np.testing.assert_allclose(r.net_flow, [-0.5, 0.5])
    assert promethee2(np.array([[5.0, 1.0]]), ["benefit", "cost"], [1, 1]).tolist() == [0.0]


def test_promethee_ignores_float_noise_differences():
    x = np.array([[0.1 + 0.2], [0.3]])  # differ in the last bit
    assert promethee2(x, ["benefit"], [1]).tolist() == [0.0, 0.0]


def test_wsm_minmax_and_scale():
    x = np.array([[1.0, 5.0], [5.0, 1.0], [3.0, 3.0]])
    crit = [CriterionSpec("benefit", None, (1, 5)), CriterionSpec("cost", "minmax")]
    s = wsm(x, crit, [3, 1])
    np.testing.assert_allclose(s, [0.75 * 0 + 0.25 * 0, 0.75 * 1 + 0.25 * 1, 0.75 * 0.5 + 0.25 * 0.5])


@pytest.mark.parametrize("w", [[1, -1], [0, 0], [1], [np.nan, 1]])
def test_bad_weights(w):
    with pytest.raises(InputError):
        wsm_values(np.ones((2, 2)), w)


def test_bad_matrix():
    with pytest.raises(InputError, match="finite"):
        topsis(np.array([[np.nan, 1.0]]), ["benefit", "benefit"], [1, 1])
    with pytest.raises(InputError, match="at least one"):
        promethee2(np.zeros((0, 2)), ["benefit", "benefit"], [1, 1])


matrices = arrays(np.float64, st.tuples(st.integers(1, 7), st.integers(1, 4)), elements=st.floats(0.5, 100))


@settings(max_examples=80, deadline=None)
@given(matrices, st.floats(0.1, 50))
def test_scaling_weights_changes_nothing(x, k):
    m = x.shape[1]
    w = np.linspace(1, 2, m)
    d = ["benefit"] * m
    crit = [CriterionSpec("benefit")] * m
    np.testing.assert_allclose(wsm(x, crit, w * k), wsm(x, crit, w), atol=1e-12)
    np.testing.assert_allclose(topsis(x, d, w * k), topsis(x, d, w), atol=1e-12)
    np.testing.assert_allclose(promethee2(x, d, w * k), promethee2(x, d, w), atol=1e-12)


@settings(max_examples=80, deadline=None)
@given(matrices)
def test_dominated_alternative_never_ranks_first_alone(x):
    # append an alternative strictly dominated by row 0
    m = x.shape[1]
    x2 = np.vstack([x, x[0] - 0.25])
    crit = [CriterionSpec("benefit")] * m
    d = ["benefit"] * m
    w = np.ones(m)
    for scores in (wsm(x2, crit, w), topsis(x2, d, w), promethee2(x2, d, w)):
        ranks = competition_ranks(scores)
        assert ranks[-1] > ranks[0]


@settings(max_examples=60, deadline=None)
@given(matrices)
def test_promethee_flows_bounded_and_sum_to_zero(x):
    m = x.shape[1]
    phi = promethee2(x, ["benefit"] * m, np.ones(m))
    assert np.all(phi >= -1 - 1e-12) and np.all(phi <= 1 + 1e-12)
    assert abs(phi.sum()) < 1e-9


def test_topsis_rows_equal_up_to_rounding_noise_are_equal():
    """Found by the scaling property test: rows 0.5 and 0.5 + 1 ulp gave C = (1, 0, 0) with one set of
    weights and (0.5, 0.5, 0.5) with the same weights scaled by 0.1."""
    x = np.full((3, 3), 0.5)
    x[0] = np.nextafter(0.5, 1)
    w = np.linspace(1, 2, 3)
    for k in (1.0, 0.1, 37.0):
        np.testing.assert_array_equal(topsis(x, ["benefit"] * 3, w * k), [0.5, 0.5, 0.5])
    x[0] = 0.5 + 1e-6  # a real difference is still a difference
    assert topsis(x, ["benefit"] * 3, w)[0] == 1.0
