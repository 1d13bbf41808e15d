"""The early-exit confidence scan and the 8-bit rater draws of SMAA-2 [S5d] (issue 15).

``reference_credit`` is the former implementation (all c x N x F scores, tie groups where more
than one alternative is within n*eps of the top); the scan must give the same credits.
"""

from __future__ import annotations

import numpy as np
import pytest

from prioritization.engine import smaa as smaa_module
from prioritization.engine.normalize import CriterionSpec
from prioritization.engine.ranking import TIE_RTOL
from prioritization.engine.smaa import ScoreModel, smaa
from prioritization.engine.weight_sampling import WeightModel


def reference_credit(vt: np.ndarray, wc: np.ndarray, alts: np.ndarray) -> np.ndarray:
    """First-rank credit per sample and central weight, shape (c, F), the former way."""
    m, c, n = vt.shape
    f = alts.size
    s = (vt.reshape(m, c * n).T @ wc.T).reshape(c, n, f)
    top = s.max(axis=1)
    biggest = top if vt.min() >= 0.0 else np.maximum(top, -s.min(axis=1))
    thr = top - n * TIE_RTOL * np.maximum(1.0, biggest)
    own = s[:, alts, np.arange(f)]
    si, fi = np.nonzero(own >= thr)
    rows = s[si, :, fi]
    crowded = np.count_nonzero(rows >= thr[si, fi][:, None], axis=1) > 1
    credit = np.zeros((c, f))
    credit[si, fi] = 1.0
    credit[si[crowded], fi[crowded]] = smaa_module._top_credit(rows[crowded], alts[fi[crowded]])
    return credit


def check(vt: np.ndarray, wc: np.ndarray, alts: np.ndarray) -> None:
    expected = reference_credit(vt, wc, alts)
    np.testing.assert_array_equal(smaa_module._confidence_credit_samples(vt, wc, alts), expected)
    np.testing.assert_array_equal(smaa_module._confidence_credit_dense(vt, wc, alts), expected)


@pytest.mark.parametrize("seed", range(12))
def test_scan_equals_reference_on_coarse_grids_with_ties(seed):
    rng = np.random.default_rng(seed)
    n, m, c = int(rng.integers(2, 60)), int(rng.integers(1, 5)), int(rng.integers(1, 80))
    quality = rng.integers(0, 3, size=n)[None, None, :] / 4.0
    vt = quality + rng.integers(0, 3, size=(m, c, n)) / 8.0  # exact ties are frequent
    vt[:, :, -1] = vt[:, :, 0]  # two identical alternatives: 1/2 splits
    f = int(rng.integers(1, n + 1))
    alts = rng.choice(n, size=f, replace=False)
    wc = rng.dirichlet(np.ones(m), size=f)
    if seed % 2:
        wc = np.round(wc * 4) / 4 + 1e-3
        wc /= wc.sum(axis=1, keepdims=True)
    check(vt, wc, alts)


def test_scan_equals_reference_with_chain_ties_and_negative_values():
    rng = np.random.default_rng(7)
    vt = rng.integers(-3, 3, size=(2, 40, 9)).astype(float) * 1e9
    vt[:, :, 1] = vt[:, :, 0] + 0.5  # within eps = 1e-9 * max|S|
    vt[:, :, 2] = vt[:, :, 1] + 0.5  # a chain wider than eps
    check(vt, np.array([[0.5, 0.5], [0.25, 0.75], [1.0, 0.0]]), np.array([0, 1, 2]))
    eps = 1e-9
    near = np.array([[[1.0, 1 - 0.9 * eps, 1 - 1.8 * eps, 0.5, 1 - 3 * eps]]])
    check(near, np.array([[1.0]] * 5), np.arange(5))


@pytest.mark.parametrize("seed", range(4))
def test_scan_equals_reference_on_rater_samples(seed):
    rng = np.random.default_rng(100 + seed)
    n, m, p = 120, 6, 7
    ratings = np.clip(np.rint(rng.normal(3, 1, size=(n, 1)) + rng.normal(0, 1.2, size=(p, n, m))), 1, 5)
    ratings[rng.random(ratings.shape) < 0.2] = np.nan
    ratings[0][np.isnan(ratings[0])] = 3.0
    crit = [CriterionSpec(scale=(1, 5))] * (m - 2) + [CriterionSpec("benefit", "minmax"), CriterionSpec("cost", "minmax")]
    sampler = smaa_module._ScoreSampler(np.nanmean(ratings, axis=0), crit, ScoreModel("raters", ratings=ratings))
    vt = sampler.values_t(rng, 300)
    alts = np.sort(rng.choice(n, size=90, replace=False))
    wc = rng.dirichlet(np.ones(m), size=alts.size)
    check(vt, wc, alts)


@pytest.mark.parametrize("complete", [True, False])
def test_smaa_confidence_is_identical_with_scan_or_all_scores(monkeypatch, complete):
    """Same seed, same draws: the scan and the dense path give bit-identical confidence factors."""
    rng = np.random.default_rng(2)
    ratings = rng.integers(1, 6, size=(6, 70, 5)).astype(float)
    if not complete:
        ratings[1:][rng.random((5, 70, 5)) < 0.3] = np.nan
    x = np.nanmean(ratings, axis=0)
    args = (x, [CriterionSpec(scale=(1, 5))] * 5, WeightModel("uniform"), ScoreModel("raters", ratings=ratings))
    monkeypatch.setattr(smaa_module, "DENSE_ALTERNATIVES", 10**9)
    dense = smaa(*args, samples=3000, seed=11, chunk=256)
    monkeypatch.setattr(smaa_module, "DENSE_ALTERNATIVES", 0)
    scan = smaa(*args, samples=3000, seed=11, chunk=256)
    assert np.count_nonzero(dense.confidence) > 20
    np.testing.assert_array_equal(scan.confidence, dense.confidence)
    np.testing.assert_array_equal(scan.rank_acceptability, dense.rank_acceptability)


# --------------------------------------------------------------------------- 8-bit rater draws


def rater_case(missing: bool):
    rng = np.random.default_rng(9)
    ratings = rng.integers(1, 6, size=(4, 8, 3)).astype(float)
    if missing:
        ratings[1, 2, 0] = np.nan
    crit = [CriterionSpec(scale=(1, 5))] * 3
    return np.nanmean(ratings, axis=0), ratings, crit


def test_equal_counts_draw_every_rating_uniformly():
    x, ratings, crit = rater_case(missing=False)
    sampler = smaa_module._ScoreSampler(x, crit, ScoreModel("raters", ratings=ratings))
    assert sampler.equal_count == 4
    draws = sampler.raw(np.random.default_rng(1), 40_000)  # (c, N, M)
    k = draws.shape[0]
    for i in range(8):
        for j in range(3):
            values, counts = np.unique(draws[:, i, j], return_counts=True)
            avail, multiplicity = np.unique(ratings[:, i, j], return_counts=True)
            np.testing.assert_array_equal(values, avail)  # only the cell's own ratings
            expected = k * multiplicity / 4
            assert np.all(np.abs(counts - expected) <= 4.5 * np.sqrt(expected * (1 - multiplicity / 4)))


def test_unequal_counts_keep_the_multiply_shift_stream():
    x, ratings, crit = rater_case(missing=True)
    sampler = smaa_module._ScoreSampler(x, crit, ScoreModel("raters", ratings=ratings))
    assert sampler.equal_count is None
    got = sampler.raw(np.random.default_rng(5), 50).transpose(2, 0, 1)  # (M, c, N)
    r = np.random.default_rng(5).integers(0, 2**32, size=(3, 50, 8), dtype=np.uint32).astype(np.uint64)
    idx = (r * sampler.count) >> np.uint64(32)
    expected = np.take_along_axis(sampler.pool[:, None, :, :], idx[..., None].astype(np.intp), axis=3)[..., 0]
    np.testing.assert_array_equal(got, expected)


def test_small_index_draws_agree_with_the_former_draws_within_s5d6(monkeypatch):
    rng = np.random.default_rng(12)
    ratings = np.clip(np.rint(rng.normal(3, 0.8, size=(25, 1)) + rng.normal(0, 1, size=(8, 25, 4))), 1, 5)
    args = (ratings.mean(axis=0), [CriterionSpec(scale=(1, 5))] * 4, WeightModel("uniform"),
            ScoreModel("raters", ratings=ratings))
    k = 6000
    new = smaa(*args, samples=k, seed=3)
    monkeypatch.setattr(smaa_module, "SMALL_INDEX_DRAWS", False)
    former = smaa(*args, samples=k, seed=3)
    assert not np.array_equal(new.rank_acceptability, former.rank_acceptability)  # other samples
    # p^c is measured at each run's own central weight, which is noisy for objects rarely first
    often = np.minimum(new.rank_acceptability[:, 0], former.rank_acceptability[:, 0]) > 0.05
    assert often.sum() >= 3
    for got, ref in ((new.rank_acceptability, former.rank_acceptability), (new.pairwise_winning, former.pairwise_winning),
                     (new.confidence[often], former.confidence[often])):
        p = (ref * k + 2) / (k + 4)
        assert np.all(np.abs(got - ref) <= 4.5 * np.sqrt(p * (1 - p) * 2 / k))  # [S5d.6]
