"""Pure logic of the workshop projector view: spread table, cells to discuss, convergence,
anonymous progress, cell distributions, Delphi phases. Expected values are worked out by hand."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prioritization.storage import rounds, scores
from prioritization.storage.access import PARTICIPANT, Actor
from prioritization.storage.rounds import TRANSITIONS
from prioritization.storage.scores import RatingCube
from prioritization.ui.workshop import workshop_logic as logic

NAN = float("nan")


def cube(values, answered=None, objects=("A", "B"), criteria=("c1", "c2")) -> RatingCube:
    v = np.asarray(values, dtype=float)
    a = ~np.isnan(v) if answered is None else np.asarray(answered, dtype=bool)
    return RatingCube([], list(objects), list(criteria), v, a)


# 3 raters x 2 objects x 2 criteria
#   A/c1: 1, 3, 5        -> std sqrt(8/3), IQR 4 - 2 = 2, range 4, n 3
#   A/c2: 2, vet ej, -   -> one numeric rating: spreads 0, n 1, unknown 1
#   B/c1: -, -, -        -> nobody rated: NaN, n 0
#   B/c2: 4, 4, 2        -> std sqrt(8/9), IQR 4 - 3 = 1, range 2, n 3
VALUES = [[[1, 2], [NAN, 4]],
          [[3, NAN], [NAN, 4]],
          [[5, NAN], [NAN, 2]]]
ANSWERED = [[[1, 1], [0, 1]],
            [[1, 1], [0, 1]],
            [[1, 0], [0, 1]]]


def test_disagreement_table_by_hand():
    t = logic.disagreement_table(cube(VALUES, ANSWERED))
    assert list(t.columns) == logic.TABLE_COLUMNS
    assert list(zip(t["object"], t["criterion"], strict=True)) == [("A", "c1"), ("A", "c2"), ("B", "c1"), ("B", "c2")]
    a1, a2, b1, b2 = (t.iloc[k] for k in range(4))
    assert a1["std"] == pytest.approx(math.sqrt(8 / 3)) and a1["iqr"] == pytest.approx(2.0)
    assert (a1["range"], a1["n"], a1["unknown"]) == (4.0, 3, 0)
    assert (a2["std"], a2["iqr"], a2["range"], a2["n"], a2["unknown"]) == (0.0, 0.0, 0.0, 1, 1)
    assert math.isnan(b1["std"]) and math.isnan(b1["iqr"]) and math.isnan(b1["range"])
    assert (b1["n"], b1["unknown"]) == (0, 0)
    assert b2["std"] == pytest.approx(math.sqrt(8 / 9)) and b2["iqr"] == pytest.approx(1.0)
    assert (b2["range"], b2["n"]) == (2.0, 3)


def test_disagreement_table_without_participants():
    t = logic.disagreement_table(cube(np.empty((0, 2, 2))))
    assert len(t) == 4 and (t["n"] == 0).all() and t["iqr"].isna().all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=6, max_size=6), min_size=1, max_size=6),
       st.randoms(use_true_random=False))
def test_spread_ignores_who_gave_which_score(rows, rnd):
    """Anonymising (shuffling raters within each cell) never changes the measures; IQR <= range."""
    v = np.array([[np.nan if x is None else x for x in r] for r in rows], dtype=float).reshape(len(rows), 2, 3)
    shuffled = v.copy()
    for i in range(2):
        for j in range(3):
            col = list(shuffled[:, i, j])
            rnd.shuffle(col)
            shuffled[:, i, j] = col
    objs, crits = ("A", "B"), ("x", "y", "z")
    t1 = logic.disagreement_table(cube(v, objects=objs, criteria=crits))
    t2 = logic.disagreement_table(cube(shuffled, objects=objs, criteria=crits))
    pd.testing.assert_frame_equal(t1, t2)
    rated = t1[t1["n"] > 0]
    assert (rated["iqr"] <= rated["range"] + 1e-12).all() and (rated["std"] <= rated["range"] / 2 + 1e-12).all()


def table(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=logic.TABLE_COLUMNS)


DISCUSS = table([
    ("A", "c1", 1.0, 1.0, 2.0, 4, 0),
    ("A", "c2", 1.5, 2.0, 3.0, 4, 0),
    ("B", "c1", 0.9, 1.0, 3.0, 4, 0),   # same IQR as A/c1 but larger range -> before it
    ("B", "c2", 2.0, 4.0, 4.0, 1, 0),   # only one rating: never listed
    ("C", "c1", 0.0, 0.0, 0.0, 5, 0),   # no spread: not worth discussing
    ("C", "c2", 0.5, 2.0, 3.0, 3, 2),   # ties with A/c2 on IQR and range, smaller std -> after it
])


def test_cells_to_discuss_order_by_iqr_then_range():
    d = logic.cells_to_discuss(DISCUSS)
    assert list(zip(d["object"], d["criterion"], strict=True)) == [("A", "c2"), ("C", "c2"), ("B", "c1"), ("A", "c1")]
    assert list(d["rank"]) == [1, 2, 3, 4]
    top2 = logic.cells_to_discuss(DISCUSS, limit=2)
    assert list(zip(top2["object"], top2["criterion"], strict=True)) == [("A", "c2"), ("C", "c2")]


def test_cells_to_discuss_by_range_and_min_n():
    d = logic.cells_to_discuss(DISCUSS, "range")
    assert list(zip(d["object"], d["criterion"], strict=True))[:3] == [("A", "c2"), ("C", "c2"), ("B", "c1")]
    d1 = logic.cells_to_discuss(DISCUSS, "range", min_n=1)
    assert (d1.iloc[0]["object"], d1.iloc[0]["criterion"]) == ("B", "c2")
    d4 = logic.cells_to_discuss(DISCUSS, min_n=4)
    assert ("C", "c2") not in set(zip(d4["object"], d4["criterion"], strict=True))


def test_cells_to_discuss_ties_keep_grid_order():
    tied = table([("A", "c1", 1.0, 1.0, 2.0, 3, 0), ("B", "c1", 1.0, 1.0, 2.0, 3, 0)])
    assert list(logic.cells_to_discuss(tied)["object"]) == ["A", "B"]
    # rounding noise within the [S0.2] tolerance is a tie too; a real difference is not
    noisy = table([("A", "c1", 1.0, 1.0, 2.0, 3, 0), ("B", "c1", 1.0, 1.0 + 1e-12, 2.0, 3, 0)])
    assert list(logic.cells_to_discuss(noisy)["object"]) == ["A", "B"]
    real = table([("A", "c1", 1.0, 1.0, 2.0, 3, 0), ("B", "c1", 1.0, 1.0 + 1e-6, 2.0, 3, 0)])
    assert list(logic.cells_to_discuss(real)["object"]) == ["B", "A"]


def test_unknown_measure_is_rejected():
    with pytest.raises(ValueError):
        logic.cells_to_discuss(DISCUSS, "variance")


def test_convergence_by_hand():
    before = table([("A", "c1", 1.0, 2.0, 4.0, 4, 0), ("A", "c2", 1.0, 1.0, 2.0, 4, 0),
                    ("B", "c1", 1.0, 0.5, 1.0, 4, 0), ("B", "c2", 1.0, 3.0, 3.0, 1, 0)])
    after = table([("A", "c1", 0.5, 1.0, 2.0, 4, 0), ("A", "c2", 1.0, 1.0, 2.0, 4, 0),
                   ("B", "c1", 1.0, 1.5, 2.0, 4, 0), ("B", "c2", 0.0, 0.0, 0.0, 4, 0)])
    c = logic.convergence(before, after)
    # B/c2 had one rating in phase 1: not compared
    assert list(zip(c.cells["object"], c.cells["criterion"], strict=True)) == [("A", "c1"), ("A", "c2"), ("B", "c1")]
    assert list(c.cells["change"]) == [-1.0, 0.0, 1.0]
    assert (c.decreased, c.increased, c.unchanged, c.n_cells) == (1, 1, 1, 3)
    assert c.share_decreased == pytest.approx(1 / 3)
    assert c.mean_before == pytest.approx((2 + 1 + 0.5) / 3) and c.mean_after == pytest.approx((1 + 1 + 1.5) / 3)
    r = logic.convergence(before, after, "range")
    assert list(r.cells["change"]) == [-2.0, 0.0, 1.0]


def test_convergence_without_comparable_cells():
    empty = table([("A", "c1", NAN, NAN, NAN, 0, 0)])
    c = logic.convergence(empty, empty)
    assert c.n_cells == 0 and math.isnan(c.share_decreased) and math.isnan(c.mean_before)


def test_participant_progress_is_anonymous_and_sorted():
    p = logic.participant_progress([3, 12, 0, 7], 12)
    assert list(p.columns) == ["number", "done", "total", "share"]
    assert list(p["number"]) == [1, 2, 3, 4] and list(p["done"]) == [12, 7, 3, 0]
    assert list(p["share"]) == [1.0, 7 / 12, 0.25, 0.0]
    assert logic.participant_progress([], 12).empty
    assert list(logic.participant_progress([0], 0)["share"]) == [0.0]


def test_object_progress_counts_vet_ej_as_answered():
    p = logic.object_progress(cube(VALUES, ANSWERED))
    assert list(p["object"]) == ["A", "B"]
    assert list(p["done"]) == [5, 3] and list(p["total"]) == [6, 6]
    assert list(p["share"]) == [5 / 6, 0.5]


def test_cell_distribution_lists_whole_scale_and_vet_ej():
    d = logic.cell_distribution(cube(VALUES, ANSWERED), "A", "c2", (1.0, 5.0))
    assert list(d["value"][:5]) == [1.0, 2.0, 3.0, 4.0, 5.0] and math.isnan(d["value"].iloc[5])
    assert list(d["count"]) == [0, 1, 0, 0, 0, 1]
    assert list(d["unknown"]) == [False] * 5 + [True]
    half = cube([[[2.5]], [[3.0]], [[2.5]]], objects=("A",), criteria=("c",))
    d = logic.cell_distribution(half, "A", "c", (1.0, 5.0))
    assert list(d["value"][:-1]) == [1.0, 2.0, 2.5, 3.0, 4.0, 5.0]
    assert list(d["count"]) == [0, 0, 2, 1, 0, 0, 0]
    d = logic.cell_distribution(half, "A", "c", None)
    assert list(d["value"][:-1]) == [2.5, 3.0] and list(d["count"]) == [2, 1, 0]


def test_heatmap_data_labels_and_top_flags():
    t = logic.disagreement_table(cube(VALUES, ANSWERED))
    h = logic.heatmap_data(t, "iqr", lambda x: f"{x:.1f}".replace(".", ","), top=[("A", "c1")],
                           object_names={"A": "Objekt A"}, criterion_names={"c2": "Kriterium 2"})
    assert list(h["object"]) == ["Objekt A", "Objekt A", "B", "B"]
    assert list(h["criterion"]) == ["c1", "Kriterium 2", "c1", "Kriterium 2"]
    assert list(h["label"]) == ["2,0", "0,0", "–", "1,0"]
    assert list(h["top"]) == [True, False, False, False]
    assert math.isnan(h["spread"].iloc[2]) and h["spread"].iloc[0] == pytest.approx(2.0)


def test_delphi_steps_are_allowed_transitions():
    for status in TRANSITIONS:
        assert set(logic.delphi_steps(status)) <= set(TRANSITIONS[status])
    assert logic.delphi_steps("setup") == ("scoring",)
    assert logic.delphi_steps("scoring") == ("revealed",)
    assert logic.delphi_steps("revealed") == ("second_round", "locked")
    assert logic.delphi_steps("second_round") == ("revealed", "locked")
    assert logic.delphi_steps("locked") == ()


@pytest.mark.parametrize("status, revealed, current, shown, shown_if_asked, second", [
    ("setup", 0, 1, None, 1, False),
    ("scoring", 0, 1, None, 1, False),
    ("revealed", 1, 1, 1, 1, False),
    ("second_round", 1, 2, 1, 2, True),
    ("revealed", 2, 2, 2, 2, True),
    ("locked", 2, 2, 2, 2, True),
    ("locked", 1, 1, 1, 1, False),
])
def test_phases(status, revealed, current, shown, shown_if_asked, second):
    assert logic.current_phase(status, revealed) == current
    assert logic.shown_phase(status, revealed, False) == shown
    assert logic.shown_phase(status, revealed, True) == shown_if_asked
    assert logic.has_second_phase(status, revealed) is second


def test_agreed_scores_from_project_scores(app_db, fac):
    rid = rounds.list_rounds(app_db, fac)[0].id
    scores.set_agreed_score(app_db, fac, rid, "SOD-02", "C1", 4, "Enighet efter diskussion")
    agreed = scores.agreed_scores(app_db, fac, rid)
    assert agreed[("SOD-02", "C1")] == (4.0, "Enighet efter diskussion")


def test_anonymous_and_named_ratings_give_the_same_table(app_db, fac):
    """The projector's table from anonymous ratings equals the one from named ratings."""
    rid = rounds.list_rounds(app_db, fac)[0].id
    named = logic.disagreement_table(scores.ratings(app_db, fac, rid, phase=1))
    anon = logic.disagreement_table(scores.anonymous_ratings(app_db, fac, rid, 1))
    pd.testing.assert_frame_equal(named, anon)
    assert (anon["n"] > 0).any() and (anon["range"] > 0).any()
    rounds.set_status(app_db, fac, rid, "scoring")
    who = Actor(PARTICIPANT, "Haninge", round_id=rid, participant_key="p-haninge")
    scores.save_score(app_db, who, rid, "SOD-02", "C1", None)  # "vet ej"
    t = logic.disagreement_table(scores.anonymous_ratings(app_db, fac, rid, 1))
    row = t[(t["object"] == "SOD-02") & (t["criterion"] == "C1")].iloc[0]
    before = anon[(anon["object"] == "SOD-02") & (anon["criterion"] == "C1")].iloc[0]
    assert (row["n"], row["unknown"]) == (before["n"] - 1, before["unknown"] + 1)


def test_small_round_order_by_hand():
    """tests/fixtures/small-round.json, round 1. By hand (IQR with linear quantiles):
    O2/K1 [3,4,2]: IQR 1, range 2 -> first. IQR 0.5 and range 1: O1/K2 [3,2] has std 0.5, the
    others ([5,4,5], [4,5,4], [2,2,3], [4,3,4]) all have std sqrt(2/9) -> grid order. Constant
    cells and O4 (no scores) are out."""
    nan = float("nan")
    v = np.array([  # participants x objects O1..O4 x criteria K1..K3
        [[5, 3, 4], [3, 4, 3], [2, 4, 1], [nan] * 3],
        [[4, 2, 4], [4, 5, 3], [2, 3, 1], [nan] * 3],
        [[5, nan, 4], [2, 4, 3], [3, 4, 1], [nan] * 3]])
    t = logic.disagreement_table(cube(v, objects=("O1", "O2", "O3", "O4"), criteria=("K1", "K2", "K3")))
    d = logic.cells_to_discuss(t)
    assert list(zip(d["object"], d["criterion"], strict=True)) == [("O2", "K1"), ("O1", "K2"), ("O1", "K1"), ("O2", "K2"),
                                                      ("O3", "K1"), ("O3", "K2")]
    assert list(d["iqr"]) == pytest.approx([1.0] + [0.5] * 5)
