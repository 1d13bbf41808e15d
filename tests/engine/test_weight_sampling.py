"""Weight samplers of SMAA [S5d.1]; Monte Carlo checks use the tolerance of [S5d.6]."""

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prioritization.engine.weight_sampling import WeightModel, sample_weights
from prioritization.errors import InputError

Z = 4.5


def mc_tol(ref: float, k_got: int, k_ref: int | None = None) -> float:
    """[S5d.6] acceptance half-width; k_ref=None means the reference is exact."""
    k = k_got if k_ref is None else min(k_got, k_ref)
    p = (ref * k + 2) / (k + 4)
    inv = 1 / k_got + (0 if k_ref is None else 1 / k_ref)
    return Z * math.sqrt(p * (1 - p) * inv)


def assert_mc_close(got, ref, k_got):
    """Element-wise [S5d.6] check. Valid for any quantity in [0, 1] (its variance is <= p(1-p))."""
    got, ref = np.broadcast_arrays(np.asarray(got, float), np.asarray(ref, float))
    for g, r in zip(got.ravel(), ref.ravel(), strict=True):
        assert abs(g - r) <= mc_tol(r, k_got), (g, r, mc_tol(r, k_got))


def roc(m: int) -> np.ndarray:
    """ROC position weights [S2.2]: w(p) = (1/M) sum_{k=p}^{M} 1/k."""
    return np.array([sum(1 / k for k in range(p, m + 1)) / m for p in range(1, m + 1)])


def test_roc_helper_matches_spec_table():
    assert np.allclose(roc(4), [0.5208, 0.2708, 0.1458, 0.0625], atol=5e-5)
    assert np.allclose(roc(5), [0.4567, 0.2567, 0.1567, 0.0900, 0.0400], atol=5e-5)


@pytest.mark.parametrize("m", [2, 3, 7])
def test_uniform_sampler_on_simplex_with_mean_1_over_m(m):
    k = 20_000
    w = sample_weights(WeightModel("uniform"), m, k, np.random.default_rng(1))
    assert w.shape == (k, m)
    assert np.all(w >= 0) and np.allclose(w.sum(axis=1), 1.0, atol=1e-12)
    assert_mc_close(w.mean(axis=0), 1 / m, k)
    # Dirichlet(1,...,1) marginal: P(w_j <= t) = 1 - (1 - t)^(M-1)
    for t in (0.1, 0.3, 0.6):
        assert_mc_close((w <= t).mean(axis=0), 1 - (1 - t) ** (m - 1), k)


@pytest.mark.parametrize("m", [2, 4, 5])
def test_order_sampler_mean_is_roc(m):
    k = 20_000
    given_w = np.array([3.0, 9.0, 1.0, 5.0, 7.0][:m])  # order: 1 > 4 > 3 > 0 > 2 (by index)
    w = sample_weights(WeightModel("order", weights=given_w), m, k, np.random.default_rng(2))
    order = np.argsort(-given_w)
    assert np.all(np.diff(w[:, order], axis=1) <= 0)  # the order is always kept
    expected = np.empty(m)
    expected[order] = roc(m)
    assert_mc_close(w.mean(axis=0), expected, k)


def test_order_with_ties_leaves_tied_criteria_unordered():
    k = 20_000
    model = WeightModel("order", weights=np.array([0.5, 0.25, 0.25, 0.1]))
    w = sample_weights(model, 4, k, np.random.default_rng(3))
    assert np.all(w[:, 0] >= np.maximum(w[:, 1], w[:, 2]))
    assert np.all(np.minimum(w[:, 1], w[:, 2]) >= w[:, 3])
    # [S2.2]: tied members get the mean of their positions' ROC weights
    r = roc(4)
    assert_mc_close(w.mean(axis=0), [r[0], (r[1] + r[2]) / 2, (r[1] + r[2]) / 2, r[3]], k)
    assert_mc_close((w[:, 1] > w[:, 2]).mean(), 0.5, k)


def test_order_all_tied_is_uniform():
    k = 20_000
    w = sample_weights(WeightModel("order", weights=np.ones(3)), 3, k, np.random.default_rng(4))
    assert_mc_close(w.mean(axis=0), 1 / 3, k)
    assert_mc_close((w[:, 0] > w[:, 1]).mean(), 0.5, k)


def test_fixed_weights_divided_by_sum():
    model = WeightModel("fixed", weights=np.array([2.0, 3.0, 5.0]))
    w = sample_weights(model, 3, 4, np.random.default_rng(0))
    assert np.array_equal(w, np.tile([0.2, 0.3, 0.5], (4, 1)))


@pytest.mark.parametrize("kind", ["uniform", "order", "fixed"])
def test_single_criterion_gives_weight_one(kind):
    model = WeightModel(kind, weights=np.array([4.0]))
    assert np.array_equal(sample_weights(model, 1, 5, np.random.default_rng(0)), np.ones((5, 1)))


def test_bounds_are_respected_and_nan_means_unbounded():
    lo = np.array([0.2, np.nan, 0.1])
    hi = np.array([np.nan, 0.5, 0.6])
    w = sample_weights(WeightModel("uniform", lower=lo, upper=hi), 3, 5000, np.random.default_rng(5))
    assert w.shape == (5000, 3)
    assert np.all(w[:, 0] >= 0.2) and np.all(w[:, 1] <= 0.5)
    assert np.all((w[:, 2] >= 0.1) & (w[:, 2] <= 0.6))


def test_bounds_with_m2_give_uniform_on_the_interval():
    # w1 ~ U(0,1) restricted to [0.3, 0.8] -> U(0.3, 0.8): mean 0.55, P(w1 <= 0.4) = 0.2
    k = 20_000
    model = WeightModel("uniform", lower=np.array([0.3, np.nan]), upper=np.array([0.8, np.nan]))
    w = sample_weights(model, 2, k, np.random.default_rng(6))
    assert w[:, 0].min() >= 0.3 and w[:, 0].max() <= 0.8
    assert_mc_close(((w[:, 0] - 0.3) / 0.5).mean(), 0.5, k)  # rescaled to [0, 1]
    assert_mc_close((w[:, 0] <= 0.4).mean(), 0.2, k)


def test_same_seed_same_weights():
    model = WeightModel("order", weights=np.array([1.0, 2.0, 2.0]), lower=np.array([0.1, 0, 0]))
    a = sample_weights(model, 3, 100, np.random.default_rng(9))
    b = sample_weights(model, 3, 100, np.random.default_rng(9))
    assert np.array_equal(a, b)


@settings(max_examples=30, deadline=None)
@given(
    m=st.integers(1, 6),
    kind=st.sampled_from(["uniform", "order", "fixed"]),
    seed=st.integers(0, 2**32 - 1),
    data=st.data(),
)
def test_samples_are_valid_weight_vectors(m, kind, seed, data):
    given_w = np.array(data.draw(st.lists(st.integers(0, 4), min_size=m, max_size=m)), dtype=float)
    if given_w.sum() == 0:
        given_w[0] = 1.0
    w = sample_weights(WeightModel(kind, weights=given_w), m, 50, np.random.default_rng(seed))
    assert w.shape == (50, m)
    assert np.all(w >= 0) and np.allclose(w.sum(axis=1), 1.0, atol=1e-12)
    if kind == "order":
        # any strictly preferred criterion keeps a weight at least as large
        for a in range(m):
            for b in range(m):
                if given_w[a] > given_w[b]:
                    assert np.all(w[:, a] >= w[:, b])


@pytest.mark.parametrize(
    "model, m, fragment",
    [
        (WeightModel("magic"), 3, "unknown weight model"),
        (WeightModel("order"), 3, "needs the current weights"),
        (WeightModel("fixed"), 3, "needs the current weights"),
        (WeightModel("fixed", weights=np.array([1.0, -0.1, 0.5])), 3, "negative"),
        (WeightModel("fixed", weights=np.zeros(3)), 3, "sum to 0"),
        (WeightModel("fixed", weights=np.array([1.0, np.nan, 1.0])), 3, "finite"),
        (WeightModel("order", weights=np.ones(2)), 3, "3 criteria but 2 weights"),
        (WeightModel("uniform", lower=np.array([0.5, 0.4, 0.2])), 3, "lower weight bounds sum"),
        (WeightModel("uniform", upper=np.array([0.3, 0.3, 0.3])), 3, "upper weight bounds sum"),
        (WeightModel("uniform", lower=np.array([0.5, 0, 0]), upper=np.array([0.4, 1, 1])), 3, "exceeds"),
        (WeightModel("uniform", lower=np.array([-0.1, 0, 0])), 3, "fractions in [0, 1]"),
        (WeightModel("uniform", upper=np.array([1.5, 1, 1])), 3, "fractions in [0, 1]"),
        (WeightModel("uniform", lower=np.array([0.1, 0.1])), 3, "lower weight bounds were given"),
        (WeightModel("fixed", weights=np.array([1.0, 1.0]), lower=np.array([0.6, 0])), 2, "violate"),
    ],
)
def test_invalid_models_are_rejected(model, m, fragment):
    with pytest.raises(InputError, match=re.escape(fragment)):
        sample_weights(model, m, 10, np.random.default_rng(0))


def test_too_tight_bounds_are_rejected():
    # feasible set {w >= 0.33 each} has relative area (1 - 0.99)^2 = 1e-4 of the simplex
    model = WeightModel("uniform", lower=np.array([0.33, 0.33, 0.33]))
    with pytest.raises(InputError, match="constraints too tight"):
        sample_weights(model, 3, 1000, np.random.default_rng(0))


def test_order_incompatible_with_bounds_is_too_tight():
    # w0 >= w1 required, but w1 >= 0.6 forces w0 <= 0.4: empty region
    model = WeightModel("order", weights=np.array([2.0, 1.0]), lower=np.array([0.0, 0.6]))
    with pytest.raises(InputError, match="constraints too tight"):
        sample_weights(model, 2, 100, np.random.default_rng(0))


def test_moderately_tight_bounds_still_work():
    # relative area (1 - 0.9)^2 = 1e-2 of the simplex: accepted
    model = WeightModel("uniform", lower=np.array([0.3, 0.3, 0.3]))
    w = sample_weights(model, 3, 2000, np.random.default_rng(0))
    assert w.shape == (2000, 3) and np.all(w >= 0.3)
