"""SMAA-2 with the weighted sum [S5d].

Monte Carlo numbers are compared with exact values (M = 2: interval lengths; M = 3: polygon areas
and centroids on the weight triangle) or with independent Monte Carlo references, using the
tolerance of [S5d.6] with z = 4.5. Structural values are compared exactly.
"""

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prioritization.engine import smaa as smaa_module
from prioritization.engine.normalize import CriterionSpec, normalize
from prioritization.engine.ranking import competition_ranks, sorted_groups
from prioritization.engine.smaa import ScoreModel, sample_raw_scores, smaa
from prioritization.engine.weight_sampling import WeightModel, sample_weights
from prioritization.errors import InputError

Z = 4.5
NONE_CRIT = CriterionSpec(normalization="none")
SCORES_NONE = ScoreModel("none")


# --------------------------------------------------------------------------- tolerance helpers


def mc_tol(ref: float, k_got: int, k_ref: int | None = None) -> float:
    """[S5d.6]: z * sqrt(p~(1 - p~)(1/K_got + 1/K_ref)), the 1/K_ref term dropped for exact refs."""
    k = k_got if k_ref is None else min(k_got, k_ref)
    p = (ref * k + 2) / (k + 4)
    inv = 1 / k_got + (0 if k_ref is None else 1 / k_ref)
    return Z * math.sqrt(p * (1 - p) * inv)


def assert_mc_close(got, ref, k_got, k_ref=None):
    got, ref = np.broadcast_arrays(np.asarray(got, float), np.asarray(ref, float))
    for idx in np.ndindex(got.shape):
        tol = mc_tol(ref[idx], k_got, k_ref)
        assert abs(got[idx] - ref[idx]) <= tol, f"at {idx}: got {got[idx]}, ref {ref[idx]}, tol {tol}"


def assert_central_close(got, se_got, ref, se_ref=0.0):
    """[S5d.6] central-weight rule: |got - ref| <= 4.5 sqrt(se_ref^2 + se_got^2)."""
    tol = Z * np.sqrt(np.asarray(se_ref) ** 2 + np.asarray(se_got) ** 2)
    assert np.all(np.abs(np.asarray(got) - np.asarray(ref)) <= tol), (got, ref, tol)


def test_tolerance_helper_matches_spec_numbers():
    # K = 10 000, p = 0.5 exact: 4.5 * 0.005 (p~ is 0.5 too)
    assert mc_tol(0.5, 10_000) == pytest.approx(4.5 * 0.005)
    # positive at p = 0: p~ = 2/(K+4)
    assert mc_tol(0.0, 10_000) == pytest.approx(4.5 * math.sqrt((2 / 10004) * (1 - 2 / 10004) / 10_000))
    # two-sample version uses min(K) in p~ and both 1/K terms
    p = (0.2 * 5000 + 2) / 5004
    assert mc_tol(0.2, 10_000, 5000) == pytest.approx(4.5 * math.sqrt(p * (1 - p) * (1 / 10_000 + 1 / 5000)))


# --------------------------------------------------------------------------- M = 2: exact intervals


def exact_m2(v: np.ndarray):
    """Exact SMAA indices for M = 2, w = (t, 1 - t), t ~ U(0, 1), no score uncertainty.

    Scores are lines S_i(t) = t v_i1 + (1 - t) v_i2; between consecutive crossing points the order
    is constant, so acceptabilities are sums of interval lengths.
    """
    n = v.shape[0]
    cuts = {0.0, 1.0}
    for i in range(n):
        for k in range(i + 1, n):
            slope = (v[i, 0] - v[i, 1]) - (v[k, 0] - v[k, 1])
            if slope != 0:
                t = (v[k, 1] - v[i, 1]) / slope
                if 0 < t < 1:
                    cuts.add(t)
    cuts = sorted(cuts)
    b = np.zeros((n, n))
    pw = np.zeros((n, n))
    first_len = np.zeros(n)
    first_mom = np.zeros(n)
    first_mom2 = np.zeros(n)
    for lo, hi in zip(cuts[:-1], cuts[1:], strict=True):
        mid, length = (lo + hi) / 2, hi - lo
        if length < 1e-12:  # the same crossing computed twice with rounding
            continue
        s = mid * v[:, 0] + (1 - mid) * v[:, 1]
        ranks = competition_ranks(s)
        assert len(set(ranks)) == n, "test data must not tie inside an interval"
        b[np.arange(n), ranks - 1] += length
        pw += length * (s[:, None] > s[None, :])
        best = int(np.argmin(ranks))
        first_len[best] += length
        first_mom[best] += length * mid
        first_mom2[best] += (hi**3 - lo**3) / 3
    np.fill_diagonal(pw, 0.5)
    with np.errstate(invalid="ignore", divide="ignore"):
        t_c = first_mom / first_len
        t_sd = np.sqrt(first_mom2 / first_len - t_c**2)  # sd of t given first rank
    central = np.where(first_len[:, None] > 0, np.column_stack([t_c, 1 - t_c]), np.nan)
    return b, pw, central, t_sd


def test_m2_exact_rank_acceptability_pairwise_and_central_weights():
    # raw scores: criterion 0 benefit min-max, criterion 1 cost min-max
    x = np.array([[30.0, 50.0], [0.0, 10.0], [21.0, 26.0], [13.5, 18.0], [9.0, 38.0]])
    crit = [CriterionSpec("benefit", "minmax"), CriterionSpec("cost", "minmax")]
    v = np.column_stack([(x[:, 0] - 0) / 30, (50 - x[:, 1]) / 40])  # [S1.1] by hand
    b_ref, pw_ref, central_ref, sd_ref = exact_m2(v)
    k = 20_000
    res = smaa(x, crit, WeightModel("uniform"), SCORES_NONE, samples=k, seed=11)
    assert_mc_close(res.rank_acceptability, b_ref, k)
    assert_mc_close(res.pairwise_winning, pw_ref, k)
    assert np.array_equal(np.isnan(res.central_weights), np.isnan(central_ref))
    has = ~np.isnan(central_ref[:, 0])
    assert has.tolist() == [True, True, True, True, False]  # alternative 4 is below the hull
    assert_central_close(res.central_weights[has], res.central_weight_se[has], central_ref[has])
    # [S5d.6] se = sd of the weight among first-rank samples / sqrt(first-rank count)
    se_ref = sd_ref[has] / np.sqrt(b_ref[has, 0] * k)
    assert np.allclose(res.central_weight_se[has, 0], se_ref, rtol=0.1)
    assert np.allclose(res.central_weight_se[has, 1], se_ref, rtol=0.1)
    # deterministic scores: the central weight lies inside the (convex) first-rank interval
    assert np.array_equal(res.confidence, has.astype(float))


# --------------------------------------------------------------------------- M = 3: exact polygons
# Weights (w1, w2, 1 - w1 - w2) live on the triangle (0,0), (1,0), (0,1); the uniform
# distribution on the simplex is uniform on the triangle, and restricting it (rejection) keeps it
# uniform on the clipped polygon.

TRIANGLE = [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)]


def halfplane(a) -> tuple[float, float, float]:
    """a . w >= 0 for w = (w1, w2, 1 - w1 - w2), as alpha1 w1 + alpha2 w2 + beta >= 0."""
    return a[0] - a[2], a[1] - a[2], a[2]


def clip(poly, hp):
    """Sutherland-Hodgman: the part of a convex polygon where alpha . p + beta >= 0."""
    a1, a2, b = hp

    def f(p):
        return a1 * p[0] + a2 * p[1] + b

    out = []
    for cur, nxt in zip(poly, poly[1:] + poly[:1], strict=True):
        fc, fn = f(cur), f(nxt)
        if fc >= 0:
            out.append(cur)
        if (fc >= 0) != (fn >= 0):
            t = fc / (fc - fn)
            out.append((cur[0] + t * (nxt[0] - cur[0]), cur[1] + t * (nxt[1] - cur[1])))
    return out


def area_centroid(poly):
    """Shoelace area and centroid."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    a /= 2
    if abs(a) < 1e-15:
        return 0.0, (0.0, 0.0)
    return abs(a), (cx / (6 * a), cy / (6 * a))


def region(constraints):
    poly = TRIANGLE
    for a in constraints:
        poly = clip(poly, halfplane(a))
    return poly


def exact_m3(v: np.ndarray, constraints):
    """Exact indices for M = 3: cells of the arrangement of the lines S_i = S_k in the region."""
    n = v.shape[0]
    cells = [region(constraints)]
    for i in range(n):
        for k in range(i + 1, n):
            d = v[i] - v[k]
            halves = [part for c in cells for part in (clip(c, halfplane(d)), clip(c, halfplane(-d)))]
            cells = [part for part in halves if len(part) >= 3]
    b = np.zeros((n, n))
    pw = np.zeros((n, n))
    first_area = np.zeros(n)
    first_mom = np.zeros((n, 3))
    total = 0.0
    for c in cells:
        area, (cx, cy) = area_centroid(c)
        if area < 1e-14:
            continue
        w = np.array([cx, cy, 1 - cx - cy])
        s = v @ w
        ranks = competition_ranks(s)
        assert len(set(ranks)) == n, "test data must not tie inside a cell"
        b[np.arange(n), ranks - 1] += area
        pw += area * (s[:, None] > s[None, :])
        best = int(np.argmin(ranks))
        first_area[best] += area
        first_mom[best] += area * w
        total += area
    assert total == pytest.approx(area_centroid(region(constraints))[0], abs=1e-12)
    np.fill_diagonal(pw, 0.5 * total)
    with np.errstate(invalid="ignore", divide="ignore"):
        central = np.where(first_area[:, None] > 0, first_mom / first_area[:, None], np.nan)
    return b / total, pw / total, central


def test_polygon_helpers_on_known_shapes():
    a, c = area_centroid(TRIANGLE)
    assert (a, *c) == pytest.approx((0.5, 1 / 3, 1 / 3))
    square = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]
    a, c = area_centroid(clip(square, (1.0, 0.0, -0.5)))  # x >= 0.5
    assert (a, *c) == pytest.approx((0.5, 0.75, 0.5))
    # ordered region w1 >= w2 >= w3 is 1/6 of the triangle; its centroid is ROC (11/18, 5/18, 1/9)
    ordered = region([(1, -1, 0), (0, 1, -1)])
    a, (cx, cy) = area_centroid(ordered)
    assert a == pytest.approx(0.5 / 6)
    assert (cx, cy) == pytest.approx((11 / 18, 5 / 18))


V3 = np.array(
    [
        [0.9, 0.2, 0.4],
        [0.3, 0.8, 0.5],
        [0.5, 0.5, 0.9],
        [0.6, 0.6, 0.2],
        [0.4, 0.45, 0.45],
        [0.2, 0.3, 0.1],  # dominated by alternative 3
    ]
)


@pytest.mark.parametrize(
    "model, constraints",
    [
        (WeightModel("uniform"), []),
        (WeightModel("order", weights=np.array([3.0, 2.0, 1.0])), [(1, -1, 0), (0, 1, -1)]),
        # tied first two criteria are unordered among themselves: w1 >= w3 and w2 >= w3
        (WeightModel("order", weights=np.array([2.0, 2.0, 1.0])), [(1, 0, -1), (0, 1, -1)]),
        (
            WeightModel("uniform", lower=np.array([0.2, np.nan, 0.1]), upper=np.array([0.6, 0.5, np.nan])),
            [(1, 0, 0, -0.2), (0, 0, 1, -0.1), (-1, 0, 0, 0.6), (0, -1, 0, 0.5)],
        ),
        (
            WeightModel("order", weights=np.array([1.0, 3.0, 2.0]), upper=np.array([np.nan, 0.55, np.nan])),
            [(0, 1, -1), (-1, 0, 1), (0, -1, 0, 0.55)],  # w1 >= w2 >= w0, w1 <= 0.55
        ),
    ],
    ids=["uniform", "order", "order-ties", "bounds", "order+bounds"],
)
def test_m3_exact_polygons(model, constraints):
    # constraints of length 4 are affine: (a1, a2, a3, c) means a . w + c >= 0 (sum w = 1)
    constraints = [
        (a[0] + a[3], a[1] + a[3], a[2] + a[3]) if len(a) == 4 else a for a in constraints
    ]
    b_ref, pw_ref, central_ref = exact_m3(V3, constraints)
    k = 20_000
    res = smaa(V3, [NONE_CRIT] * 3, model, SCORES_NONE, samples=k, seed=7)
    assert_mc_close(res.rank_acceptability, b_ref, k)
    assert_mc_close(res.pairwise_winning, pw_ref, k)
    has = ~np.isnan(central_ref[:, 0])
    # an alternative whose first-rank region has tiny area may be missed by sampling; its b is
    # then 0, which the acceptability check above already allowed for
    seen = ~np.isnan(res.central_weights[:, 0])
    assert np.all(seen <= has)
    both = has & seen & (res.rank_acceptability[:, 0] * k >= 30)
    assert both.sum() >= 2
    assert_central_close(res.central_weights[both], res.central_weight_se[both], central_ref[both])
    assert res.rank_acceptability[5, 0] == 0.0  # dominated: structurally zero
    assert res.central_weight(5) is None


# --------------------------------------------------------------------------- structural exactness


def test_single_alternative():
    crit = [CriterionSpec(), CriterionSpec()]
    res = smaa(np.array([[3.0, 1.0]]), crit, WeightModel(), SCORES_NONE, samples=50, seed=1)
    assert res.rank_acceptability.tolist() == [[1.0]]
    assert res.pairwise_winning.tolist() == [[0.5]]
    assert res.confidence.tolist() == [1.0]
    assert np.allclose(res.central_weight(0).sum(), 1.0)


def test_identical_alternatives_split_ranks_exactly():
    # A = B = (1, 0), C = (0, 1): for t > 1/2 A and B share ranks 1-2, otherwise ranks 2-3
    v = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    res = smaa(v, [NONE_CRIT] * 2, WeightModel(), SCORES_NONE, samples=4001, seed=3)
    b = res.rank_acceptability
    assert np.array_equal(b[0], b[1])
    assert b[0, 1] == 0.5
    assert b[0, 0] == b[1, 0] and b[0, 0] > 0
    assert res.pairwise_winning[0, 1] == 0.5 and res.pairwise_winning[1, 0] == 0.5
    assert np.array_equal(res.central_weights[0], res.central_weights[1])
    assert res.confidence[0] == 0.5 and res.confidence[1] == 0.5  # tie of two at w^c
    assert res.confidence[2] == 1.0


def test_dominated_alternative_with_rater_noise_is_never_first():
    # alternative 2 rates 1-2 everywhere, the others 3-5: it is always strictly last
    rng = np.random.default_rng(0)
    ratings = rng.integers(3, 6, size=(4, 3, 3)).astype(float)
    ratings[:, 2, :] = rng.integers(1, 3, size=(4, 3))
    ratings[1, 0, 1] = np.nan
    x = np.nanmean(ratings, axis=0)
    crit = [CriterionSpec(scale=(1, 5))] * 3
    res = smaa(x, crit, WeightModel(), ScoreModel("raters", ratings=ratings), samples=3000, seed=5)
    assert res.rank_acceptability[2].tolist() == [0.0, 0.0, 1.0]
    assert res.central_weight(2) is None
    assert np.all(np.isnan(res.central_weights[2])) and np.all(np.isnan(res.central_weight_se[2]))
    assert res.confidence[2] == 0.0
    assert res.pairwise_winning[2, 0] == 0.0 and res.pairwise_winning[0, 2] == 1.0


def test_fixed_weights_and_no_score_noise_are_deterministic():
    v = np.array([[0.5, 0.5], [0.9, 0.1], [0.1, 0.9], [0.2, 0.2], [0.5, 0.5]])
    w = np.array([1.0, 1.0])  # scores 0.5, 0.5, 0.5, 0.2, 0.5 -> four tie for first
    res = smaa(v, [NONE_CRIT] * 2, WeightModel("fixed", weights=w), SCORES_NONE, samples=10, seed=0)
    b = res.rank_acceptability
    assert set(np.unique(b)) <= {0.0, 1.0, 0.25}
    expected = np.zeros((5, 5))
    expected[[0, 1, 2, 4], :4] = 0.25
    expected[3, 4] = 1.0
    assert np.allclose(b, expected, rtol=0, atol=1e-15)
    assert res.confidence.tolist() == [0.25, 0.25, 0.25, 0.0, 0.25]
    assert np.allclose(res.central_weights[[0, 1, 2, 4]], 0.5, rtol=0, atol=1e-15)
    assert np.all(res.central_weight_se[[0, 1, 2, 4]] == 0.0)
    assert res.central_weight(3) is None
    assert np.array_equal(competition_ranks(v @ (w / 2)), [1, 1, 1, 5, 1])


def test_fixed_weights_without_ties_give_zero_one_acceptability():
    v = np.array([[0.2, 0.9], [0.7, 0.4], [0.1, 0.1]])
    w = np.array([3.0, 1.0])
    res = smaa(v, [NONE_CRIT] * 2, WeightModel("fixed", weights=w), SCORES_NONE, samples=7, seed=0)
    ranks = competition_ranks(v @ w)
    assert np.array_equal(res.rank_acceptability, np.eye(3)[ranks - 1])
    assert res.confidence.tolist() == [float(r == 1) for r in ranks]


def test_scaling_the_weights_changes_nothing():
    v = V3
    for kind, w in (("fixed", [2.0, 3.0, 5.0]), ("order", [1.0, 3.0, 2.0])):
        w = np.array(w)
        a = smaa(v, [NONE_CRIT] * 3, WeightModel(kind, weights=w), SCORES_NONE, samples=500, seed=4)
        b = smaa(v, [NONE_CRIT] * 3, WeightModel(kind, weights=w / 10), SCORES_NONE, samples=500, seed=4)
        assert np.array_equal(a.rank_acceptability, b.rank_acceptability)
        assert np.array_equal(a.pairwise_winning, b.pairwise_winning)
        assert np.array_equal(a.central_weights, b.central_weights, equal_nan=True)


def test_scaling_raw_minmax_scores_and_delta_together_changes_nothing():
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 10, size=(6, 3))
    crit = [CriterionSpec("benefit", "minmax"), CriterionSpec("cost", "minmax"), CriterionSpec()]
    delta = np.array([1.0, 2.0, 0.5])
    a = smaa(x, crit, WeightModel(), ScoreModel("uniform", delta=delta), samples=400, seed=2)
    b = smaa(x * 8, crit, WeightModel(), ScoreModel("uniform", delta=delta * 8), samples=400, seed=2)
    assert np.allclose(a.rank_acceptability, b.rank_acceptability, atol=1e-12)
    assert np.allclose(a.pairwise_winning, b.pairwise_winning, atol=1e-12)
    assert np.allclose(a.confidence, b.confidence, atol=1e-12)


def test_no_score_noise_does_not_depend_on_chunk_size():
    a = smaa(V3, [NONE_CRIT] * 3, WeightModel(), SCORES_NONE, samples=300, seed=9, chunk=1)
    b = smaa(V3, [NONE_CRIT] * 3, WeightModel(), SCORES_NONE, samples=300, seed=9)
    assert np.allclose(a.rank_acceptability, b.rank_acceptability, atol=1e-14)
    assert np.array_equal(a.pairwise_winning, b.pairwise_winning)


def test_holistic_acceptability():
    alpha = [1.0, 0.5, 0.25]  # ranks 4-6 weigh 0
    res = smaa(V3, [NONE_CRIT] * 3, WeightModel(), SCORES_NONE, samples=200, seed=1, meta_weights=alpha)
    b = res.rank_acceptability
    assert np.allclose(res.holistic, b[:, 0] + 0.5 * b[:, 1] + 0.25 * b[:, 2], atol=1e-15)
    assert smaa(V3, [NONE_CRIT] * 3, WeightModel(), SCORES_NONE, samples=10, seed=1).holistic is None


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(1, 6),
    m=st.integers(1, 4),
    seed=st.integers(0, 2**32 - 1),
    kind=st.sampled_from(["none", "uniform", "raters"]),
    wkind=st.sampled_from(["uniform", "order", "fixed"]),
    chunk=st.sampled_from([None, 1, 7]),
)
def test_acceptability_is_doubly_stochastic_and_pairwise_complementary(n, m, seed, kind, wkind, chunk):
    rng = np.random.default_rng(seed)
    ratings = rng.integers(1, 4, size=(3, n, m)).astype(float)  # coarse: many exact ties
    ratings[rng.random(ratings.shape) < 0.3] = np.nan
    ratings[0][np.isnan(ratings[0])] = 2.0
    x = np.nanmean(ratings, axis=0)
    crit = [CriterionSpec(scale=(1, 3)) if j % 2 == 0 else CriterionSpec() for j in range(m)]
    score = {"none": SCORES_NONE, "uniform": ScoreModel("uniform", delta=np.full(m, 0.5)),
             "raters": ScoreModel("raters", ratings=ratings)}[kind]
    weights = WeightModel(wkind, weights=rng.integers(1, 3, size=m).astype(float))
    res = smaa(x, crit, weights, score, samples=60, seed=seed, confidence_samples=20, chunk=chunk)
    b = res.rank_acceptability
    assert b.shape == (n, n)
    assert np.all(b >= 0) and np.all(b <= 1 + 1e-12)  # integer counts: no negative round-off
    assert np.allclose(b.sum(axis=0), 1.0, atol=1e-12) and np.allclose(b.sum(axis=1), 1.0, atol=1e-12)
    p = res.pairwise_winning
    assert np.allclose(p + p.T, 1.0, atol=1e-12) and np.all(np.diag(p) == 0.5)
    assert np.all((res.confidence >= 0) & (res.confidence <= 1))
    has = b[:, 0] > 0
    assert np.array_equal(~np.isnan(res.central_weights[:, 0]), has)
    assert np.allclose(res.central_weights[has].sum(axis=1), 1.0, atol=1e-12)


# --------------------------------------------------------------------------- tie credit kernel


def loop_reference(scores: np.ndarray):
    """Per-sample reference for [S5d.4]: rank credit sums, first-rank credits, pairwise sums."""
    c, n = scores.shape
    rank = np.zeros((n, n))
    first = np.zeros((c, n))
    ahead = np.zeros((n, n))
    for s in range(c):
        order, group = sorted_groups(scores[s])
        gid = np.empty(n, dtype=int)
        gid[order] = group
        for g in np.unique(group):
            pos = np.flatnonzero(group == g)
            members = order[pos]
            for i in members:
                rank[i, pos] += 1 / pos.size
                if g == 0:
                    first[s, i] = 1 / pos.size
        ahead += gid[:, None] < gid[None, :]
    return rank, first, ahead


@settings(max_examples=60, deadline=None)
@given(
    c=st.integers(1, 40),
    n=st.integers(1, 7),
    seed=st.integers(0, 2**32 - 1),
    scale=st.sampled_from([1.0, 1e6]),
)
def test_vectorised_tie_credit_matches_loop(c, n, seed, scale):
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 3, size=(c, n)) / 2.0
    jitter = rng.choice([0.0, 0.4e-9, 0.9e-9, 2e-9], size=(c, n))  # chains around eps
    scores = (base + jitter) * scale
    weights = rng.dirichlet(np.ones(3), size=c)
    acc = smaa_module._Accumulator(n, 3, weights.mean(axis=0))
    acc.add(scores, weights)
    rank, first, ahead = loop_reference(scores)
    assert np.allclose(acc.rank_acceptability(c), rank / c, atol=1e-12)
    assert np.allclose(acc.first, first.sum(axis=0), atol=1e-12)
    assert np.allclose(acc.w1 + acc.w_shift * acc.first[:, None], first.T @ weights, atol=1e-12)
    expected_pw = (ahead + 0.5 * (c - ahead - ahead.T)) / c
    np.fill_diagonal(expected_pw, 0.5)
    assert np.allclose(acc.pairwise(c), expected_pw, atol=1e-12)


def test_chain_ties_span_more_than_eps():
    # 1, 1 - 0.9 eps, 1 - 1.8 eps chain into one group of three [S0.2]
    eps = 1e-9
    scores = np.array([[1.0, 1 - 0.9 * eps, 1 - 1.8 * eps, 0.5]])
    acc = smaa_module._Accumulator(4, 1, np.ones(1), pairwise=False)
    acc.add(scores, np.ones((1, 1)))
    b = acc.rank_acceptability(1)
    assert np.allclose(b[:3, :3], 1 / 3) and b[3, 3] == 1.0


# --------------------------------------------------------------------------- confidence kernel


def confidence_loop(vt: np.ndarray, wc: np.ndarray, alts: np.ndarray) -> np.ndarray:
    m, b, n = vt.shape
    out = np.zeros(alts.size)
    for f, i in enumerate(alts):
        for s in range(b):
            order, group = sorted_groups(vt[:, s, :].T @ wc[f])
            top = order[group == 0]
            if i in top:
                out[f] += 1 / top.size
    return out


@settings(max_examples=60, deadline=None)
@given(b=st.integers(1, 12), n=st.integers(1, 30), m=st.integers(1, 3), seed=st.integers(0, 2**32 - 1))
def test_confidence_credit_matches_loop(b, n, m, seed):
    rng = np.random.default_rng(seed)
    quality = rng.integers(0, 3, size=n)[None, None, :] / 4.0  # a few strong alternatives
    vt = quality + rng.integers(0, 3, size=(m, b, n)) / 8.0  # coarse grid: exact ties
    wc = rng.dirichlet(np.ones(m), size=min(n, 4))
    if seed % 3 == 0:
        wc = np.round(wc * 4) / 4 + 1e-3  # coarse weights: more ties
        wc /= wc.sum(axis=1, keepdims=True)
    alts = rng.choice(n, size=wc.shape[0], replace=False)
    expected = confidence_loop(vt, wc, alts)
    assert np.allclose(smaa_module._confidence_credit(vt, wc, alts), expected, atol=1e-12)


def test_confidence_credit_with_negative_values_and_large_scores():
    # 'none' criteria may carry negative values; eps then uses max|S| including the minimum
    rng = np.random.default_rng(3)
    vt = rng.integers(-3, 3, size=(2, 30, 8)).astype(float) * 1e9
    vt[:, :, 1] = vt[:, :, 0] + 0.5  # within eps = 1e-9 * max|S| of alternative 0: chain ties
    wc = np.array([[0.5, 0.5], [0.25, 0.75]])
    alts = np.array([0, 1])
    expected = confidence_loop(vt, wc, alts)
    assert np.allclose(smaa_module._confidence_credit(vt, wc, alts), expected, atol=1e-12)


def test_confidence_credit_chain_group_wider_than_eps():
    # scores 1, 1 - 0.9 eps, 1 - 1.8 eps chain into one top group of three [S0.2]
    eps = 1e-9
    vt = np.array([[[1.0, 1 - 0.9 * eps, 1 - 1.8 * eps, 0.5]]])  # M = 1, one sample, N = 4
    credit = smaa_module._confidence_credit(vt, np.array([[1.0]]), np.array([2]))
    assert credit.tolist() == [pytest.approx(1 / 3, abs=1e-15)]


def test_confidence_credit_eps_uses_the_most_negative_score():
    # max|S| = 1e9 comes from a negative score: eps = 1, so 5.0 and 4.5 tie at the top
    vt = np.array([[[5.0, 4.5, -1e9]]])
    credit = smaa_module._confidence_credit(vt, np.array([[1.0]]), np.array([1]))
    assert credit.tolist() == [pytest.approx(0.5, abs=1e-15)]


def test_rater_values_equal_normalised_raw_samples():
    # scale columns are normalised once per rating, min-max columns per sample: same values
    rng = np.random.default_rng(4)
    ratings = rng.integers(1, 6, size=(5, 6, 4)).astype(float)
    ratings[rng.random(ratings.shape) < 0.3] = np.nan
    ratings[0][np.isnan(ratings[0])] = 2.0
    crit = [CriterionSpec(scale=(1, 5)), CriterionSpec("cost", scale=(0, 5)), CriterionSpec(),
            CriterionSpec("cost", "minmax")]
    x = np.nanmean(ratings, axis=0)
    sampler = smaa_module._ScoreSampler(x, crit, ScoreModel("raters", ratings=ratings))
    values = sampler.values_t(np.random.default_rng(8), 50).transpose(1, 2, 0)
    raw = sampler.raw(np.random.default_rng(8), 50)
    assert np.array_equal(values, normalize(raw, crit))


def test_confidence_with_rater_noise_matches_independent_monte_carlo():
    rng = np.random.default_rng(12)
    n, m, p = 5, 3, 4
    quality = np.array([3.5, 3.3, 3.0, 2.5, 2.0])
    ratings = np.clip(np.round(quality[None, :, None] + rng.normal(0, 0.9, size=(p, n, m))), 1, 5)
    ratings[rng.random(ratings.shape) < 0.2] = np.nan
    ratings[0][np.isnan(ratings[0])] = 3.0
    x = np.nanmean(ratings, axis=0)
    crit = [CriterionSpec(scale=(1, 5)), CriterionSpec(), CriterionSpec("cost", scale=(1, 5))]
    model = ScoreModel("raters", ratings=ratings)
    k = 10_000
    res = smaa(x, crit, WeightModel(), model, samples=k, seed=21)
    alts = np.flatnonzero(~np.isnan(res.central_weights[:, 0]))
    assert alts.size >= 2
    # independent reference: fresh samples, per-sample normalisation, loop over samples
    k_ref = 4000
    raw = sample_raw_scores(x, crit, model, k_ref, np.random.default_rng(99))
    v = normalize(raw, crit)
    ref = np.zeros(n)
    for s in range(k_ref):
        for i in alts:
            order, group = sorted_groups(v[s] @ res.central_weights[i])
            top = order[group == 0]
            ref[i] += (i in top) / top.size
    ref /= k_ref
    assert_mc_close(res.confidence, ref, k, k_ref)


def test_rank_acceptability_with_rater_noise_matches_loop_monte_carlo():
    rng = np.random.default_rng(5)
    n, m, p = 4, 3, 5
    ratings = rng.integers(1, 6, size=(p, n, m)).astype(float)
    ratings[rng.random(ratings.shape) < 0.25] = np.nan
    ratings[0][np.isnan(ratings[0])] = 4.0
    x = np.nanmean(ratings, axis=0)
    crit = [CriterionSpec("benefit", "minmax"), CriterionSpec("cost", "minmax"), CriterionSpec(scale=(1, 5))]
    k = 10_000
    res = smaa(x, crit, WeightModel(), ScoreModel("raters", ratings=ratings), samples=k, seed=8)
    # reference: a plain per-sample loop with its own random numbers
    k_ref = 5000
    ref_rng = np.random.default_rng(1234)
    b = np.zeros((n, n))
    ahead = np.zeros((n, n))
    for _ in range(k_ref):
        w = ref_rng.dirichlet(np.ones(m))
        xs = np.empty((n, m))
        for i in range(n):
            for j in range(m):
                avail = ratings[:, i, j][~np.isnan(ratings[:, i, j])]
                xs[i, j] = avail[ref_rng.integers(avail.size)]
        order, group = sorted_groups(normalize(xs, crit) @ w)
        gid = np.empty(n, dtype=int)
        gid[order] = group
        for g in np.unique(group):
            pos = np.flatnonzero(group == g)
            for i in order[pos]:
                b[i, pos] += 1 / pos.size
        ahead += (gid[:, None] < gid[None, :]) + 0.5 * (gid[:, None] == gid[None, :])
    np.fill_diagonal(ahead, 0.5 * k_ref)
    assert_mc_close(res.rank_acceptability, b / k_ref, k, k_ref)
    assert_mc_close(res.pairwise_winning, ahead / k_ref, k, k_ref)


# --------------------------------------------------------------------------- score models


def test_raters_only_draw_available_ratings_uniformly():
    ratings = np.array(
        [
            [[1.0, 5.0], [2.0, np.nan]],
            [[3.0, np.nan], [2.0, np.nan]],
            [[np.nan, np.nan], [4.0, 1.0]],
        ]
    )  # cells: {1,3}, {5}, {2,2,4}, {1}
    x = np.nanmean(ratings, axis=0)
    crit = [CriterionSpec(scale=(1, 5))] * 2
    k = 20_000
    raw = sample_raw_scores(x, crit, ScoreModel("raters", ratings=ratings), k, np.random.default_rng(0))
    assert raw.shape == (k, 2, 2)
    assert set(np.unique(raw[:, 0, 0])) == {1.0, 3.0}
    assert set(np.unique(raw[:, 0, 1])) == {5.0}
    assert set(np.unique(raw[:, 1, 0])) == {2.0, 4.0}
    assert set(np.unique(raw[:, 1, 1])) == {1.0}
    assert_mc_close((raw[:, 0, 0] == 1.0).mean(), 0.5, k)
    assert_mc_close((raw[:, 1, 0] == 2.0).mean(), 2 / 3, k)  # one of three ratings, two are 2


def test_uniform_noise_is_clipped_to_the_scale_only_for_scale_criteria():
    x = np.array([[1.2, 0.0], [4.9, 10.0], [3.0, 5.0]])
    crit = [CriterionSpec(scale=(1, 5)), CriterionSpec("cost", "minmax")]
    delta = np.array([0.5, 2.0])
    raw = sample_raw_scores(x, crit, ScoreModel("uniform", delta=delta), 5000, np.random.default_rng(1))
    assert raw[..., 0].min() == 1.0 and raw[..., 0].max() == 5.0  # clipped at both ends
    assert np.all(np.abs(raw - x) <= delta + 1e-12)
    assert raw[:, 0, 1].min() < 0.0  # min-max criteria are not clipped
    # unclipped cells are U(x - delta, x + delta)
    assert_mc_close((raw[:, 2, 0] < 3.0).mean(), 0.5, 5000)


def test_same_seed_reproduces_and_seed_is_recorded():
    ratings = np.random.default_rng(0).integers(1, 6, size=(3, 4, 2)).astype(float)
    x = ratings.mean(axis=0)
    crit = [CriterionSpec(scale=(1, 5))] * 2
    args = (x, crit, WeightModel(), ScoreModel("raters", ratings=ratings))
    a = smaa(*args, samples=300, seed=5)
    b = smaa(*args, samples=300, seed=5)
    c = smaa(*args, samples=300, seed=6)
    assert a.seed == 5
    for name in ("rank_acceptability", "pairwise_winning", "confidence", "central_weights"):
        assert np.array_equal(getattr(a, name), getattr(b, name), equal_nan=True)
    assert not np.array_equal(a.rank_acceptability, c.rank_acceptability)
    # the confidence samples follow the main samples in the seeded stream [S5d RNG]
    fixed = (x, crit, WeightModel("fixed", weights=np.ones(2)), ScoreModel("raters", ratings=ratings))
    conf = [smaa(*fixed, samples=50, seed=sd, confidence_samples=500).confidence for sd in (5, 6)]
    assert not np.array_equal(conf[0], conf[1])
    d = smaa(*args, samples=300)
    assert isinstance(d.seed, int)
    assert np.array_equal(d.rank_acceptability, smaa(*args, samples=300, seed=d.seed).rank_acceptability)


# --------------------------------------------------------------------------- invalid input


X2 = np.array([[1.0, 2.0], [3.0, 1.0]])
C2 = [CriterionSpec(scale=(1, 5))] * 2


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"score_model": ScoreModel("raters", ratings=np.array([[[1, np.nan], [2, 3]]]))}, "has no rating"),
        ({"score_model": ScoreModel("raters")}, "needs the individual ratings"),
        ({"score_model": ScoreModel("raters", ratings=np.ones((2, 3, 2)))}, "shape"),
        ({"score_model": ScoreModel("raters", ratings=np.full((1, 2, 2), 6.0))}, "outside the scale"),
        ({"score_model": ScoreModel("raters", ratings=np.full((1, 2, 2), np.inf))}, "finite"),
        ({"score_model": ScoreModel("uniform")}, "needs delta"),
        ({"score_model": ScoreModel("uniform", delta=np.array([0.1, -0.1]))}, "non-negative"),
        ({"score_model": ScoreModel("uniform", delta=np.array([0.1]))}, "deltas"),
        ({"score_model": ScoreModel("gaussian")}, "unknown score model"),
        ({"weight_model": WeightModel("fixed", weights=np.array([1.0, -1.0]))}, "negative"),
        ({"weight_model": WeightModel("uniform", lower=np.array([0.6, 0.6]))}, "lower weight bounds sum"),
        ({"weight_model": WeightModel("uniform", lower=np.array([0.4999] * 2))}, "constraints too tight"),
        ({"samples": 0}, "samples"),
        ({"samples": 2.5}, "samples"),
        ({"confidence_samples": 0}, "confidence_samples"),
        ({"meta_weights": [0.5, 0.2]}, "first meta-weight must be 1"),
        ({"meta_weights": [1.0, 0.2, 0.1]}, "1 to 2 numbers"),
        ({"meta_weights": [1.0, 1.5]}, "must not increase"),
        ({"x": np.array([[1.0, np.nan], [3.0, 1.0]])}, "finite"),
        ({"x": np.array([[1.0, 9.0], [3.0, 1.0]])}, "outside the scale"),
        ({"chunk": 0}, "chunk"),
        ({"seed": -1}, "seed"),
        ({"seed": 1.5}, "seed"),
    ],
)
def test_invalid_input_is_rejected(kwargs, fragment):
    args = {"x": X2, "criteria": C2, "weight_model": WeightModel(), "score_model": SCORES_NONE, "samples": 50, "seed": 0}
    args.update(kwargs)
    with pytest.raises(InputError, match=re.escape(fragment)):
        smaa(**args)


def test_sample_weights_is_the_first_draw_of_the_stream():
    # [S5d RNG]: the K weight vectors are drawn first from default_rng(seed)
    w = sample_weights(WeightModel(), 3, 400, np.random.default_rng(17))
    v = V3
    res = smaa(v, [NONE_CRIT] * 3, WeightModel(), SCORES_NONE, samples=400, seed=17)
    first = np.zeros(v.shape[0])
    for s in range(400):
        order, group = sorted_groups(v @ w[s])
        top = order[group == 0]
        first[top] += 1 / top.size
    assert np.allclose(res.rank_acceptability[:, 0], first / 400, atol=1e-12)
