"""Pure helpers between weight widgets and format-v1 weights objects (no Streamlit run)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from prioritization import projectfile
from prioritization.engine import weights as wts
from prioritization.errors import InputError
from prioritization.ui.widgets import weights_input as wi
from prioritization.ui.widgets.charts_weights import weights_bar_chart

IDS = ["C1", "C2", "C3"]


# ------------------------------------------------------------------------------------------
# Saaty judgements


def test_signed_judgements_map_to_saaty_values():
    assert wi.SAATY_OPTIONS[0] == 9 and wi.SAATY_OPTIONS[-1] == -9 and 1 in wi.SAATY_OPTIONS
    assert len(wi.SAATY_OPTIONS) == 17 and 0 not in wi.SAATY_OPTIONS and -1 not in wi.SAATY_OPTIONS
    assert wi.judgement_value(5) == 5.0
    assert wi.judgement_value(-5) == 0.2
    assert wi.judgement_value(1) == 1.0
    with pytest.raises(InputError):
        wi.judgement_value(10)


def test_nearest_judgement_in_log_space():
    assert wi.nearest_judgement(5.0) == 5
    assert wi.nearest_judgement(0.2) == -5
    assert wi.nearest_judgement(1.0) == 1
    assert wi.nearest_judgement(2.9) == 3
    assert wi.nearest_judgement(1 / 2.9) == -3
    assert wi.nearest_judgement(100.0) == 9
    assert wi.nearest_judgement(math.sqrt(6.0)) == 2  # exactly between 2 and 3 in log space: smaller
    with pytest.raises(InputError):
        wi.nearest_judgement(0.0)


def test_pairs_are_the_upper_triangle_in_row_order():
    assert wi.pairs(3) == [(0, 1), (0, 2), (1, 2)]
    assert wi.pairs(1) == []
    assert len(wi.pairs(12)) == 66


def test_ahp_object_is_the_documented_example():
    # docs/project-file.md: [[1,3,5],[1/3,1,3],[1/5,1/3,1]] gives about 0.637, 0.258, 0.105
    obj = wi.ahp_object(IDS, [3, 5, 3])
    assert obj["method"] == "ahp" and obj["variant"] == "eigen" and "ri_table" not in obj
    assert obj["matrix"][0] == [1, 3, 5]
    assert obj["matrix"][1][0] == 1 / 3 and obj["matrix"][2][1] == 1 / 3 and obj["matrix"][2][0] == 0.2
    np.testing.assert_allclose(wi.resolve(obj, IDS), [0.637, 0.258, 0.105], atol=5e-4)
    assert wi.ahp_object(IDS, [3, 5, 3], "geometric", "saaty2005")["ri_table"] == "saaty2005"


def test_negative_judgement_means_second_is_more_important():
    obj = wi.ahp_object(["A", "B"], [-3])
    assert obj["matrix"] == [[1, 1 / 3], [3, 1]]
    np.testing.assert_allclose(wi.resolve(obj, ["A", "B"]), [0.25, 0.75])


# ------------------------------------------------------------------------------------------
# Objects and their weights [S2], checked against the documented examples


def test_direct_swing_and_rank_objects_give_documented_weights():
    direct = wi.direct_object(IDS, [50.0, 30.0, 20.0])
    assert direct == {"method": "direct", "points": {"C1": 50, "C2": 30, "C3": 20}}
    np.testing.assert_allclose(wi.resolve(direct, IDS), [0.5, 0.3, 0.2])
    swing = wi.swing_object(IDS, [100, 60, 40])
    np.testing.assert_allclose(wi.resolve(swing, IDS), [0.5, 0.3, 0.2])
    roc = wi.rank_object(IDS, [1, 2, 2], "roc")
    assert roc == {"method": "roc", "ranks": {"C1": 1, "C2": 2, "C3": 2}}
    np.testing.assert_allclose(wi.resolve(roc, IDS), [0.6111, 0.1944, 0.1944], atol=1e-4)
    np.testing.assert_allclose(wi.resolve(wi.rank_object(IDS, [1, 2, 3], "rank_sum"), IDS), [0.5, 1 / 3, 1 / 6])
    with pytest.raises(InputError):
        wi.rank_object(IDS, [1, 2, 3], "borda")
    with pytest.raises(InputError):
        wi.direct_object(IDS, [1, 2])


def test_objects_are_valid_project_file_weights(small_round):
    ids = [c["id"] for c in small_round["criteria"]]
    for obj in (wi.direct_object(ids, [12.5, 0, 7]), wi.swing_object(ids, [100, 0, 35]),
                wi.rank_object(ids, [2, 1, 2], "roc"), wi.rank_object(ids, [1, 1, 3], "rank_sum"),
                wi.ahp_object(ids, [9, -7, 1], "geometric")):
        small_round["weights"] = obj
        project = projectfile.parse(small_round)
        assert projectfile.to_dict(project)["weights"]["method"] == obj["method"]


def test_resolve_rejects_weights_that_do_not_fit_the_criteria():
    with pytest.raises(InputError):
        wi.resolve({"method": "direct", "points": {"C1": 1, "C2": 1}}, IDS)
    with pytest.raises(InputError):
        wi.resolve({"method": "direct", "points": {"C1": 1, "C2": 1, "C3": 1, "C9": 1}}, IDS)
    with pytest.raises(InputError):
        wi.resolve({"method": "swing", "points": {"C1": 90, "C2": 1, "C3": 1}}, IDS)
    with pytest.raises(InputError):
        wi.resolve({"method": "ahp", "matrix": [[1, 2], [0.5, 1]]}, IDS)
    with pytest.raises(InputError):
        wi.resolve({"method": "magic"}, IDS)


def test_points_sum_and_the_100_check():
    assert wi.points_sum([50, 30, 20]) == 100
    assert wi.sums_to_100([33.3, 33.3, 33.4])
    assert not wi.sums_to_100([50, 30, 19])
    assert not wi.sums_to_100([0, 0, 0])


# ------------------------------------------------------------------------------------------
# Starting widget values


def test_dense_ranks_share_ties():
    assert wi.dense_ranks([0.5, 0.3, 0.3, 0.1]) == [1, 2, 2, 3]
    assert wi.dense_ranks([0.1, 0.2]) == [2, 1]


def test_initial_inputs_use_the_objects_own_values_for_its_method():
    direct = {"method": "direct", "points": {"C1": 12, "C2": 10, "C3": 8.37}}
    assert wi.initial_inputs("direct", direct, IDS) == [12.0, 10.0, 8.37]
    swing = {"method": "swing", "points": {"C1": 100, "C2": 60, "C3": 40}}
    assert wi.initial_inputs("swing", swing, IDS) == [100, 60, 40]
    roc = {"method": "roc", "ranks": {"C1": 2, "C2": 1, "C3": 2}}
    assert wi.initial_inputs("roc", roc, IDS) == [2, 1, 2]
    assert wi.initial_inputs("rank_sum", roc, IDS) == [2, 1, 2]  # same ranks, other method
    gaps = {"method": "roc", "ranks": {"C1": 1, "C2": 5, "C3": 5}}
    assert wi.initial_inputs("roc", gaps, IDS) == [1, 2, 2]  # closed up: same order, same weights
    ahp = {"method": "ahp", "matrix": [[1, 3, 0.2], [1 / 3, 1, 1 / 7], [5, 7, 1]]}
    assert wi.initial_inputs("ahp", ahp, IDS) == [3, -5, -7]


def test_initial_inputs_derive_from_the_weights_for_another_method():
    swing = {"method": "swing", "points": {"C1": 100, "C2": 60, "C3": 40}}  # weights .5 .3 .2
    assert wi.initial_inputs("direct", swing, IDS) == [50.0, 30.0, 20.0]
    direct = {"method": "direct", "points": {"C1": 50, "C2": 25, "C3": 25}}
    assert wi.initial_inputs("swing", direct, IDS) == [100, 50, 50]
    assert wi.initial_inputs("roc", direct, IDS) == [1, 2, 2]
    assert wi.initial_inputs("ahp", direct, IDS) == [2, 2, 1]  # ratios .5/.25, .5/.25, .25/.25
    # no object, or one that does not fit the criteria: equal weights
    assert wi.initial_inputs("direct", None, IDS) == [33.3, 33.3, 33.3]
    assert wi.initial_inputs("roc", {"method": "direct", "points": {"X": 1}}, IDS) == [1, 1, 1]


def test_ahp_on_saaty_scale():
    assert wi.ahp_on_saaty_scale({"matrix": [[1, 3, 0.2], [1 / 3, 1, 1 / 7], [5, 7, 1]]})
    assert not wi.ahp_on_saaty_scale({"matrix": [[1, 2.5], [0.4, 1]]})


# ------------------------------------------------------------------------------------------
# AHP feedback


def test_inconsistent_pairs_are_oriented_and_sorted():
    a = wi.ahp_matrix([9, -9, 9], 3)  # C1 >> C2, C3 >> C1, C2 >> C3: a cycle
    w = wts.eigen_weights(a)
    out = wi.inconsistent_pairs(a, w, top=3)
    assert len(out) == 3
    assert [p.log_error for p in out] == sorted((p.log_error for p in out), reverse=True)
    for p in out:
        assert p.given >= 1
        assert p.given == pytest.approx(a[p.first, p.second])
        assert p.implied == pytest.approx(w[p.first] / w[p.second])
        assert p.log_error == pytest.approx(abs(math.log(p.given / p.implied)))
    assert {(min(p.first, p.second), max(p.first, p.second)) for p in out} == {(0, 1), (0, 2), (1, 2)}


def test_consistent_matrix_has_no_deviating_pair():
    a = wi.ahp_matrix([2, 4, 2], 3)  # w proportional to 4, 2, 1
    out = wi.inconsistent_pairs(a, top=3)
    assert all(p.log_error < 1e-9 for p in out)
    assert wts.consistency(a).cr == pytest.approx(0.0, abs=1e-12)


# ------------------------------------------------------------------------------------------
# Participants' mean


def test_participant_mean_of_normalised_weights():
    own = {
        "p1": {"method": "direct", "points": {"C1": 50, "C2": 30, "C3": 20}},  # .5 .3 .2
        "p2": {"method": "swing", "points": {"C1": 100, "C2": 100, "C3": 0}},  # .5 .5 0
        "p3": None,
        "p4": {"method": "direct", "points": {"C1": 1, "X": 1}},  # does not fit
    }
    m = wi.participant_mean(own, IDS)
    assert m.used == ["p1", "p2"] and m.unusable == ["p4"]
    np.testing.assert_allclose(m.mean, [0.5, 0.4, 0.1])
    assert wi.mean_object(IDS, m.mean) == {"method": "direct", "points": {"C1": 50, "C2": 40, "C3": 10}}


def test_participant_mean_counts_everyone_equally_whatever_their_total():
    own = {"a": {"method": "direct", "points": {"C1": 1000, "C2": 0, "C3": 0}},
           "b": {"method": "direct", "points": {"C1": 0, "C2": 1, "C3": 0}}}
    np.testing.assert_allclose(wi.participant_mean(own, IDS).mean, [0.5, 0.5, 0.0])
    assert wi.participant_mean({"a": None}, IDS).mean is None


def test_mean_object_rounds_percent_to_two_decimals():
    assert wi.mean_object(IDS, [1 / 3] * 3)["points"] == {"C1": 33.33, "C2": 33.33, "C3": 33.33}


# ------------------------------------------------------------------------------------------
# Carrying weights over to edited criteria


def test_adapt_direct_removes_and_adds_with_zero():
    obj = {"method": "direct", "points": {"C1": 50, "C2": 30, "C3": 20}}
    new, notes = wi.adapt_to_criteria(obj, IDS, ["C1", "C3", "C4"])
    assert new == {"method": "direct", "points": {"C1": 50, "C3": 20, "C4": 0}}
    assert notes == [("added_zero", {"ids": "C4"})]
    assert wi.adapt_to_criteria(obj, IDS, IDS) == (obj, [])


def test_adapt_swing_rescales_when_the_100_is_removed():
    obj = {"method": "swing", "points": {"C1": 100, "C2": 60, "C3": 30}}
    new, notes = wi.adapt_to_criteria(obj, IDS, ["C2", "C3"])
    assert new["points"]["C2"] == 100 and new["points"]["C3"] == pytest.approx(50)
    assert ("swing_rescaled", {}) in notes
    np.testing.assert_allclose(wi.resolve(new, ["C2", "C3"]), [60 / 90, 30 / 90])


def test_adapt_to_nothing_usable_gives_equal_points():
    obj = {"method": "direct", "points": {"C1": 1, "C2": 0, "C3": 0}}
    new, notes = wi.adapt_to_criteria(obj, IDS, ["C2", "C3"])
    np.testing.assert_allclose(wi.resolve(new, ["C2", "C3"]), [0.5, 0.5])
    assert ("equal", {}) in notes


def test_adapt_ranks_puts_new_criteria_last():
    obj = {"method": "roc", "ranks": {"C1": 2, "C2": 1, "C3": 3}}
    new, notes = wi.adapt_to_criteria(obj, IDS, ["C1", "C2", "C4", "C5"])
    assert new == {"method": "roc", "ranks": {"C1": 2, "C2": 1, "C4": 3, "C5": 3}}
    assert notes == [("added_last", {"ids": "C4, C5"})]


def test_adapt_ahp_takes_the_submatrix_and_adds_equal_rows():
    obj = {"method": "ahp", "variant": "geometric", "ri_table": "saaty2005",
           "matrix": [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]}
    new, notes = wi.adapt_to_criteria(obj, IDS, ["C1", "C3", "C4"])
    assert new["variant"] == "geometric" and new["ri_table"] == "saaty2005"
    assert new["matrix"] == [[1, 5, 1], [0.2, 1, 1], [1, 1, 1]]
    assert notes == [("added_equal", {"ids": "C4"})]
    wts.validate_ahp_matrix(new["matrix"])


@settings(max_examples=40, deadline=None)
@given(hs.permutations(IDS), hs.lists(hs.sampled_from(wi.SAATY_OPTIONS), min_size=3, max_size=3))
def test_reordering_criteria_keeps_every_criterions_weight(order, judgements):
    for obj in (wi.ahp_object(IDS, judgements), wi.direct_object(IDS, [abs(j) for j in judgements]),
                wi.rank_object(IDS, [abs(j) for j in judgements], "roc")):
        new, notes = wi.adapt_to_criteria(obj, IDS, list(order))
        assert notes == []
        before = dict(zip(IDS, wi.resolve(obj, IDS), strict=True))
        after = dict(zip(order, wi.resolve(new, list(order)), strict=True))
        for cid in IDS:
            assert after[cid] == pytest.approx(before[cid], abs=1e-9)


def test_next_free_id():
    assert wi.next_free_id(["C1", "C2", "C12"]) == "C13"
    assert wi.next_free_id(["A", "B"]) == "C3"
    assert wi.next_free_id(["C3", "X"]) == "C4"
    assert wi.next_free_id([]) == "C1"


# ------------------------------------------------------------------------------------------
# Chart


def test_weights_bar_chart_spec():
    spec = weights_bar_chart(["Säkerhet (C1)", "Klimat (C2)"], [0.625, 0.375], axis_title="Vikt").to_dict(validate=True)
    bars, text = spec["layer"]
    assert bars["mark"]["type"] == "bar" and text["mark"]["type"] == "text"
    assert bars["encoding"]["y"]["sort"] == ["Säkerhet (C1)", "Klimat (C2)"]  # criteria order kept
    assert text["encoding"]["text"]["field"] == "label"
    rows = next(iter(spec["datasets"].values()))
    assert [r["label"] for r in rows] == ["62,5\xa0%", "37,5\xa0%"]
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    en = weights_bar_chart(["A"], [1.0], axis_title="Weight", lang="en").to_dict()
    assert next(iter(en["datasets"].values()))[0]["label"].startswith("100.0")  # English decimal point


def test_weights_chart_sizes_rows_by_step():
    from prioritization.ui.widgets.charts_weights import weights_bar_chart

    spec = weights_bar_chart(["A", "B", "C"], [0.5, 0.3, 0.2], axis_title="Vikt").to_dict()
    assert spec["height"] == {"step": 28}  # a pixel height is squeezed by Streamlit 1.67
