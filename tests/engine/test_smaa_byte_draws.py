"""Faster SMAA-2 [S5d] for the rater model (issue 15): exact byte (and pair) draws, chunks drawn
together, the two-tier confidence scan and the rank counts without the -1 half.

Distributions are checked with the z = 4.5 rule of [S5d.6]; everything else must be identical to
a plain computation.
"""

from __future__ import annotations

import numpy as np
import pytest

from prioritization.engine import smaa as smaa_module
from prioritization.engine.normalize import CriterionSpec
from prioritization.engine.ranking import sorted_groups
from prioritization.engine.smaa import ScoreModel, smaa
from prioritization.engine.weight_sampling import WeightModel

Z = 4.5


def assert_frequencies(counts: np.ndarray, p: np.ndarray, k: int) -> None:
    """Every observed count within z standard errors of k * p (binomial) [S5d.6]."""
    expected = k * p
    sd = np.sqrt(k * p * (1 - p))
    assert np.all(np.abs(counts - expected) <= Z * sd + 1), (counts, expected)


# --------------------------------------------------------------------------- byte draws


@pytest.mark.parametrize(("count", "dtype"), [(2, np.uint8), (3, np.uint8), (10, np.uint8), (100, np.uint8),
                                              (128, np.uint8), (129, np.uint8), (200, np.uint8), (255, np.uint8),
                                              (100, np.uint16), (576, np.uint16), (40_000, np.uint16)])
def test_byte_draws_are_uniform_on_the_counts(count, dtype):
    # 129..255 bytes, 40 000 words: a third of the values or more are rejected and drawn again
    k = 120_000
    draws = smaa_module._exact_indices(np.random.default_rng(count), (3, k // 3), count, dtype)
    assert draws.dtype == dtype and draws.shape == (3, k // 3)
    assert draws.max() < count
    group = np.arange(count) * 100 // count  # 100 groups of values (all values when count <= 100)
    p = np.bincount(group) / count
    assert_frequencies(np.bincount(group[draws.ravel()], minlength=p.size), p, k)


def test_byte_draws_of_neighbouring_cells_are_independent():
    k = 200_000
    draws = smaa_module._exact_indices(np.random.default_rng(4), (2 * k,), 10).reshape(k, 2).astype(int)
    joint = np.bincount(draws[:, 0] * 10 + draws[:, 1], minlength=100)
    assert_frequencies(joint, np.full(100, 0.01), k)


def test_a_single_rating_per_cell_draws_nothing():
    rng = np.random.default_rng(1)
    state = rng.bit_generator.state
    assert not smaa_module._exact_indices(rng, (4, 5), 1).any()
    assert rng.bit_generator.state == state


@pytest.mark.parametrize("n", [6, 5])
def test_ten_raters_draw_each_cell_from_its_own_ratings(n):
    rng = np.random.default_rng(5)
    ratings = rng.integers(1, 6, size=(10, n, 4)).astype(float)
    crit = [CriterionSpec(scale=(1, 5))] * 4
    sampler = smaa_module._ScoreSampler(ratings.mean(axis=0), crit, ScoreModel("raters", ratings=ratings))
    assert sampler.equal_count == 10
    assert sampler.paired == (n % 2 == 0)  # even N: two neighbouring cells per 16-bit draw
    k = 30_000
    raw = sampler.raw(np.random.default_rng(2), k)  # (k, N, M)
    levels = np.arange(1, 6)
    for i in range(n):
        for j in range(4):
            p = np.array([(ratings[:, i, j] == v).mean() for v in levels])
            counts = np.array([(raw[:, i, j] == v).sum() for v in levels])
            assert counts[p == 0].sum() == 0  # only the cell's own ratings
            assert_frequencies(counts, p, k)
    # the two cells of a pair (and neighbours across pairs) are independent
    for i in range(n - 1):
        p = np.array([[(ratings[:, i, 0] == a).mean() * (ratings[:, i + 1, 0] == b).mean() for b in levels]
                      for a in levels])
        counts = np.array([[np.sum((raw[:, i, 0] == a) & (raw[:, i + 1, 0] == b)) for b in levels] for a in levels])
        assert_frequencies(counts, p, k)


def test_pairs_only_where_n_is_even_and_the_tables_are_small(monkeypatch):
    def sampler(n, raters):
        ratings = np.random.default_rng(1).integers(1, 6, size=(raters, n, 3)).astype(float)
        return smaa_module._ScoreSampler(ratings.mean(axis=0), [CriterionSpec(scale=(1, 5))] * 3,
                                         ScoreModel("raters", ratings=ratings))

    assert sampler(200, 10).paired and not sampler(201, 10).paired
    assert not sampler(200, 60).paired  # 3 x 100 x 3600 pairs of floats: more than PAIR_TABLE_BYTES
    monkeypatch.setattr(smaa_module, "PAIR_TABLE_BYTES", 0)
    assert not sampler(200, 10).paired


@pytest.mark.parametrize(("missing", "n"), [(False, 9), (False, 10), (True, 9)])
def test_chunks_drawn_together_equal_chunks_drawn_one_by_one(missing, n):
    rng = np.random.default_rng(8)
    ratings = rng.integers(1, 6, size=(5, n, 3)).astype(float)
    if missing:
        ratings[1:][rng.random((4, n, 3)) < 0.3] = np.nan  # unequal counts: multiply-shift
    crit = [CriterionSpec(scale=(1, 5)), CriterionSpec(), CriterionSpec("cost", "minmax")]
    sampler = smaa_module._ScoreSampler(np.nanmean(ratings, axis=0), crit, ScoreModel("raters", ratings=ratings))
    sizes = [7, 3, 11]
    together = sampler.values_t(np.random.default_rng(3), sizes)
    one_by_one_rng = np.random.default_rng(3)
    one_by_one = np.concatenate([sampler.values_t(one_by_one_rng, size) for size in sizes], axis=1)
    np.testing.assert_array_equal(together, one_by_one)


# --------------------------------------------------------------------------- confidence scan


def plain_credit(vt: np.ndarray, wc: np.ndarray, alts: np.ndarray) -> np.ndarray:
    """First-rank credit per sample and central weight from the sorted groups of [S0.2]."""
    m, c, n = vt.shape
    out = np.zeros((c, alts.size))
    for f, i in enumerate(alts):
        for s in range(c):
            order, group = sorted_groups(vt[:, s, :].T @ wc[f])
            top = order[group == 0]
            out[s, f] = (i in top) / top.size
    return out


@pytest.mark.parametrize(("leaders", "rivals"), [(1, 1), (1, 3), (2, 5), (4, 16), (4, 4), (6, 3), (2, 100)])
def test_scan_tiers_give_the_plain_credits(monkeypatch, leaders, rivals):
    monkeypatch.setattr(smaa_module, "LEADERS", leaders)
    monkeypatch.setattr(smaa_module, "RIVALS", rivals)
    for seed in range(6):
        rng = np.random.default_rng(seed)
        n, m, c = int(rng.integers(2, 40)), int(rng.integers(1, 5)), int(rng.integers(1, 30))
        vt = rng.integers(0, 4, size=n)[None, None, :] / 4.0 + rng.integers(0, 3, size=(m, c, n)) / 8.0
        vt[:, :, -1] = vt[:, :, 0]  # identical alternatives: 1/2 splits
        if seed % 3 == 0:
            vt = vt - 0.4  # negative values
        f = int(rng.integers(1, n + 1))
        alts = rng.choice(n, size=f, replace=False)
        wc = rng.dirichlet(np.ones(m) * (0.3 if seed % 2 else 3.0), size=f)  # far from / near the mean
        np.testing.assert_array_equal(smaa_module._confidence_credit_samples(vt, wc, alts), plain_credit(vt, wc, alts))


def test_scan_settles_most_first_places_without_full_rows(monkeypatch):
    """On rater samples most pairs where i is first are settled by the rivals and the bound."""
    rng = np.random.default_rng(6)
    ratings = rng.integers(1, 6, size=(10, 200, 15)).astype(float)
    sampler = smaa_module._ScoreSampler(ratings.mean(axis=0), [CriterionSpec(scale=(1, 5))] * 15,
                                        ScoreModel("raters", ratings=ratings))
    vt = sampler.values_t(rng, 200)
    alts = np.arange(200)
    wc = rng.dirichlet(np.full(15, 20.0), size=200)  # central weights near their mean
    rows = []
    exact = smaa_module._exact_top_credit

    def counting(vt, wc, alts, r, cols):
        rows.append(r.size)
        return exact(vt, wc, alts, r, cols)

    monkeypatch.setattr(smaa_module, "_exact_top_credit", counting)
    credit = smaa_module._confidence_credit_samples(vt, wc, alts)
    firsts = int(np.count_nonzero(credit))
    assert firsts >= 150  # about one alternative first per sample and central weight
    assert sum(rows) < firsts / 2
    np.testing.assert_array_equal(credit, smaa_module._confidence_credit_dense(vt, wc, alts))  # all scores


# --------------------------------------------------------------------------- rank counts


def test_rank_counts_with_and_without_ties_match_a_loop():
    rng = np.random.default_rng(2)
    n, m = 7, 2
    acc = smaa_module._Accumulator(n, m, np.full(m, 0.5), pairwise=False)
    chunks = [rng.random((5, n)), np.round(rng.random((6, n)) * 3) / 3, rng.random((4, n))]  # no ties, ties, none
    weights = [rng.dirichlet(np.ones(m), size=ch.shape[0]) for ch in chunks]
    b = np.zeros((n, n))
    first = np.zeros(n)
    for scores, w in zip(chunks, weights, strict=True):
        acc.add(scores, w)
        for row in scores:
            order, group = sorted_groups(row)
            for g in np.unique(group):
                pos = np.flatnonzero(group == g)
                b[np.ix_(order[pos], pos)] += 1 / pos.size
                if g == 0:
                    first[order[pos]] += 1 / pos.size
    k = sum(ch.shape[0] for ch in chunks)
    np.testing.assert_allclose(acc.rank_acceptability(k), b / k, rtol=0, atol=1e-15)
    np.testing.assert_allclose(acc.first, first, rtol=0, atol=1e-12)
    assert max(acc.rank_hist) > 1  # the second chunk has tie groups


@pytest.mark.parametrize("n", [25, 26])
def test_standard_round_agrees_with_the_integer_draws_within_s5d6(monkeypatch, n):
    """The byte (n = 25) and pair (n = 26) draws give other samples than ``Generator.integers``
    did, from the same distribution."""
    rng = np.random.default_rng(12)
    ratings = np.clip(np.rint(rng.normal(3, 0.8, size=(n, 1)) + rng.normal(0, 1, size=(10, n, 4))), 1, 5)
    args = (ratings.mean(axis=0), [CriterionSpec(scale=(1, 5))] * 4, WeightModel("uniform"),
            ScoreModel("raters", ratings=ratings))
    k = 6000
    new = smaa(*args, samples=k, seed=3)

    def integer_draws(rng, shape, count, dtype=np.uint8):
        return rng.integers(0, count, size=shape, dtype=dtype)

    monkeypatch.setattr(smaa_module, "_exact_indices", integer_draws)  # the draws before issue 15
    monkeypatch.setattr(smaa_module, "PAIR_TABLE_BYTES", 0)
    former = smaa(*args, samples=k, seed=3)
    assert not np.array_equal(new.rank_acceptability, former.rank_acceptability)  # other samples
    often = np.minimum(new.rank_acceptability[:, 0], former.rank_acceptability[:, 0]) > 0.05
    assert often.sum() >= 3
    assert new.pairwise_winning is not None and former.pairwise_winning is not None
    for got, ref in ((new.rank_acceptability, former.rank_acceptability), (new.pairwise_winning, former.pairwise_winning),
                     (new.confidence[often], former.confidence[often])):
        p = (ref * k + 2) / (k + 4)
        assert np.all(np.abs(got - ref) <= Z * np.sqrt(p * (1 - p) * 2 / k))  # [S5d.6]
