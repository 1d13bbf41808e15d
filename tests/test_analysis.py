"""The analysis layer joins project data and engine correctly."""

import numpy as np
import pytest

from prioritization import analysis, projectfile
from prioritization.engine import aggregate as agg
from prioritization.engine import weights as wts
from prioritization.errors import InputError
from tests.conftest import EXAMPLE


@pytest.fixture
def project(small_round):
    return projectfile.parse(small_round)


def test_decision_matrix_uses_agreed_score_else_mean_of_available(project):
    d = analysis.decision_data(project)
    assert [o.id for o in d.objects] == ["O1", "O2", "O3"]
    # O1/K2: ratings 3, 2 and "vet ej" -> mean of available = 2.5
    assert d.x[0, 1] == 2.5
    # O2/K2 has an agreed score 5 although the raters gave 4, 5, 4
    assert d.x[1, 1] == 5.0 and d.agreed[1, 1]
    # the agreed value is what every rater "gives" in the raters model (a fixed cell)
    assert np.all(d.ratings[:, 1, 1] == 5.0)
    assert np.isnan(d.ratings[2, 0, 1])  # the "vet ej" stays missing


def test_median_and_geometric_aggregation(small_round):
    small_round["aggregation"] = "median"
    d = analysis.decision_data(projectfile.parse(small_round))
    assert d.x[1, 0] == 3.0  # ratings 3, 4, 2
    small_round["aggregation"] = "geometric"
    d = analysis.decision_data(projectfile.parse(small_round))
    assert d.x[1, 0] == pytest.approx((3 * 4 * 2) ** (1 / 3))


def test_wsm_rank_matches_hand_computation(project):
    r = analysis.rank(project)
    w = wts.eigen_weights(np.array([[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]]))
    np.testing.assert_allclose(r.weights, w)
    v_o1 = np.array([(14 / 3 - 1) / 4, (2.5 - 1) / 4, (5 - 4) / 4])
    assert r.ranked[0].object.id == "O1"
    assert r.ranked[0].score == pytest.approx(v_o1 @ w, abs=1e-12)
    assert [o.id for o in r.committed] == ["O4"]
    assert all(x.object.id != "O4" for x in r.ranked)
    np.testing.assert_allclose(r.contributions.sum(axis=1)[0], r.ranked[0].score)


def test_topsis_and_promethee_use_raw_matrix(project):
    d = analysis.decision_data(project)
    w = analysis.project_weights(project).weights
    t = analysis.rank(project, "topsis")
    exp = agg.topsis(d.x, d.directions, w)
    assert {x.object.id: x.score for x in t.ranked} == pytest.approx(dict(zip(["O1", "O2", "O3"], exp, strict=True)))
    p = analysis.rank(project, "promethee2")
    assert sum(x.score for x in p.ranked) == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(InputError, match="unknown method"):
        analysis.rank(project, "electre")


def test_weight_profiles(project):
    assert analysis.project_weights(project, "lika").weights.tolist() == pytest.approx([1 / 3] * 3)
    assert analysis.project_weights(project).consistency.cr == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(InputError, match="unknown weight profile 'x' \\(known: lika\\)"):
        analysis.project_weights(project, "x")


def test_sensitivity_reproducible_and_consistent(project):
    a = analysis.sensitivity(project, samples=2000, seed=7)
    b = analysis.sensitivity(project, samples=2000, seed=7)
    assert a.score_model == "raters"  # individual scores exist
    np.testing.assert_array_equal(a.smaa.rank_acceptability, b.smaa.rank_acceptability)
    np.testing.assert_allclose(a.smaa.rank_acceptability.sum(axis=0), 1.0)
    np.testing.assert_allclose(a.smaa.rank_acceptability.sum(axis=1), 1.0)
    assert len(a.stability) == 3 and len(a.oat) == 3
    for s in a.stability:
        assert s.ranking[0] <= s.weight <= s.ranking[1]


def test_sensitivity_respects_weight_bounds(project):
    # K1 has weight_bounds [0.1, 0.8]: every central weight must respect them
    rep = analysis.sensitivity(project, samples=3000, seed=1, score_model="none")
    cw = rep.smaa.central_weights
    ok = ~np.isnan(cw[:, 0])
    assert np.all(cw[ok, 0] >= 0.1 - 1e-12) and np.all(cw[ok, 0] <= 0.8 + 1e-12)


def test_sensitivity_seed_none_is_reported(project):
    rep = analysis.sensitivity(project, samples=200, seed=None, score_model="none")
    again = analysis.sensitivity(project, samples=200, seed=rep.smaa.seed, score_model="none")
    np.testing.assert_array_equal(rep.smaa.rank_acceptability, again.smaa.rank_acceptability)


def test_uniform_score_model_needs_uncertainty(small_round):
    del small_round["criteria"][1]["uncertainty"]
    p = projectfile.parse(small_round)
    with pytest.raises(InputError, match=r"missing: K2"):
        analysis.sensitivity(p, samples=100, seed=1, score_model="uniform")
    rep = analysis.sensitivity(p, samples=100, seed=1, score_model="uniform", delta=1.0)
    assert rep.score_model == "uniform"


def test_portfolio_over_candidates_with_cost(project):
    rep = analysis.portfolio(project, budget=900)
    ids = [o.id for o in rep.objects]
    assert ids == ["O1", "O2", "O3"]  # O4 is committed
    chosen = [ids[i] for i in rep.optimal.selected]
    assert sum(project.object(i).cost for i in chosen) <= 900
    assert chosen == ["O2", "O3"]  # O1 alone costs 1200
    forced = analysis.portfolio(project, budget=900, force_out=("O2",))
    assert [ids[i] for i in forced.optimal.selected] == ["O3"]
    with pytest.raises(InputError, match="cannot force 'O4'"):
        analysis.portfolio(project, budget=900, force_in=("O4",))


def test_example_data_analyses():
    p = projectfile.load(EXAMPLE)
    r = analysis.rank(p)
    assert {o.id for o in r.committed} == {"SOD-01", "SOD-12"}
    assert len(r.ranked) == 13
    for prof in p.weight_profiles:
        assert abs(analysis.project_weights(p, prof.id).weights.sum() - 1) < 1e-12


def test_geometric_aggregation_with_an_agreed_zero(small_round):
    # an agreed score of 0 is allowed (scale 0-5); only the raters' scores enter the geometric mean
    small_round["aggregation"] = "geometric"
    small_round["criteria"][1]["scale"] = [0, 5]
    small_round["scores"].append({"object": "O3", "criterion": "K2", "participant": None, "value": 0})
    d = analysis.decision_data(projectfile.parse(small_round))
    assert d.x[2, 1] == 0.0
    assert d.x[0, 0] == pytest.approx((5 * 4 * 5) ** (1 / 3))
    analysis.rank(projectfile.parse(small_round))


def test_ahp_uses_upper_triangle_exactly(small_round):
    # the lower triangle as written (within the 1e-8 reciprocity band) does not move the weights
    small_round["weights"]["matrix"] = [[1, 3, 5], [0.333333333333, 1, 2], [0.2, 0.5, 1]]
    w1 = analysis.project_weights(projectfile.parse(small_round)).weights
    exact = wts.eigen_weights(wts.ahp_matrix_from_upper([3, 5, 2], 3))
    assert np.array_equal(w1, exact)


def test_geometric_variant_path(small_round):
    small_round["weights"]["variant"] = "geometric"
    small_round["weights"]["matrix"] = [[1, 2, 8], [0.5, 1, 2], [0.125, 0.5, 1]]
    res = analysis.project_weights(projectfile.parse(small_round))
    g = np.array([16 ** (1 / 3), 1.0, (1 / 16) ** (1 / 3)])
    np.testing.assert_allclose(res.weights, g / g.sum(), rtol=0, atol=1e-15)
    # GCI by hand: every log error is ln2/3, so GCI = 2/((n-1)(n-2)) * 3 (ln2/3)^2 = (ln 2)^2 / 3
    assert res.consistency.gci == pytest.approx(np.log(2) ** 2 / 3, abs=1e-12)
    # CR comes from the Perron root whatever the weighting variant [S2.5]
    assert res.consistency.cr == pytest.approx(wts.consistency(np.array(small_round["weights"]["matrix"])).cr)


def test_sensitivity_reuses_a_uniform_smaa_result_and_matches_a_fresh_run():
    from prioritization import projectfile
    from tests.conftest import EXAMPLE

    project = projectfile.load(EXAMPLE)
    w = analysis.project_weights(project, project.weight_profiles[1].id).weights
    first = analysis.sensitivity(project, samples=300, seed=5)
    reused = analysis.sensitivity(project, weights=w, samples=300, seed=5, smaa_result=first.smaa)
    fresh = analysis.sensitivity(project, weights=w, samples=300, seed=5)
    assert reused.smaa is first.smaa
    np.testing.assert_array_equal(reused.smaa.rank_acceptability, fresh.smaa.rank_acceptability)  # uniform: w plays no part
    assert [s.ranking for s in reused.stability] == [s.ranking for s in fresh.stability]
    ordered = analysis.sensitivity(project, weights=w, samples=300, seed=5, weight_model="order",
                                   smaa_result=first.smaa)
    assert ordered.smaa is not first.smaa  # the order model depends on w: never reused
