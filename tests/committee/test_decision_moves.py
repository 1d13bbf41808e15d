"""Which departures of the decided list from the model's need a reason (issue 13)."""

import itertools
import random

import pytest

from prioritization.committee.decision import missing_reasons, moved_objects, moves
from prioritization.committee.model import DecidedEntry

MODEL = ["a", "b", "c", "d", "e"]


def test_one_object_moved_up_marks_only_it():
    # e from 5th to 2nd: it passes b, c and d, which keep their order
    assert moved_objects(MODEL, ["a", "e", "b", "c", "d"]) == {"e"}


def test_one_object_moved_down_marks_only_it():
    # a from 1st to 4th
    assert moved_objects(MODEL, ["b", "c", "d", "a", "e"]) == {"a"}


def test_a_swap_of_two_neighbours_marks_the_one_the_model_ranked_lower():
    # keeping a, b, d or a, c, d is equally long; the tie rule keeps b (model 2nd) over c (3rd)
    assert moved_objects(["a", "b", "c", "d"], ["a", "c", "b", "d"]) == {"c"}
    assert moved_objects(["a", "b"], ["b", "a"]) == {"b"}


def test_reversing_four_marks_three():
    # only one object can keep its order; the model's first is kept
    assert moved_objects(["a", "b", "c", "d"], ["d", "c", "b", "a"]) == {"b", "c", "d"}


def test_two_swapped_pairs_mark_the_lower_of_each():
    # model positions in decided order 1, 0, 3, 2: longest runs (0, 2), (0, 3), (1, 2), (1, 3); keep (0, 2)
    assert moved_objects(["a", "b", "c", "d"], ["b", "a", "d", "c"]) == {"b", "d"}


def test_unchanged_order_marks_nothing():
    assert moved_objects(MODEL, MODEL) == set()
    assert moved_objects([], []) == set()


def test_orders_with_other_objects_raise():
    with pytest.raises(ValueError):
        moved_objects(["a", "b"], ["a", "c"])
    with pytest.raises(ValueError):
        moved_objects(["a", "b", "b"], ["a", "b", "b"])


def _brute_force_kept(positions: list[int]) -> set[int]:
    """The longest increasing subsequences by trying every subset; the lexicographically smallest."""
    for size in range(len(positions), 0, -1):
        runs = [tuple(positions[i] for i in idx) for idx in itertools.combinations(range(len(positions)), size)]
        runs = [r for r in runs if all(x < y for x, y in itertools.pairwise(r))]
        if runs:
            return set(min(runs))
    return set()


@pytest.mark.parametrize("seed", range(200))
def test_random_orders_agree_with_brute_force(seed):
    rng = random.Random(seed)
    model = [f"o{i}" for i in range(rng.randint(1, 8))]
    decided = model[:]
    rng.shuffle(decided)
    kept = _brute_force_kept([model.index(o) for o in decided])
    assert moved_objects(model, decided) == {o for i, o in enumerate(model) if i not in kept}


def entry(oid, model_rank, rank, model_tier="A", tier="A", reason=None):
    return DecidedEntry(oid, model_rank, rank, model_tier, tier, reason)


def test_moves_of_the_decided_list_use_model_rank_against_rank():
    # d from model 4th to decided 2nd; b and c move down one place only because d passed them
    entries = [entry("a", 1, 1), entry("b", 2, 3), entry("c", 3, 4), entry("d", 4, 2)]
    assert moves(entries) == ["d"]
    assert missing_reasons(entries) == ["d"]


def test_a_tier_change_without_a_move_needs_a_reason():
    entries = [entry("a", 1, 1), entry("b", 2, 2, "A", "B"), entry("c", 3, 3, "B", "B")]
    assert moves(entries) == ["b"]
    assert missing_reasons(entries) == ["b"]
    # a blank reason is no reason
    entries[1] = entry("b", 2, 2, "A", "B", reason="   ")
    assert missing_reasons(entries) == ["b"]


def test_reasons_present_none_missing():
    entries = [entry("a", 1, 2, reason="Raised by the committee's vote of 3 June"),
               entry("b", 2, 1, reason="Co-financing from the municipality"),
               entry("c", 3, 3, "B", "A", reason="Safety")]
    # a and b swapped: b (model 2nd) is the moved one; c changed tier
    assert moves(entries) == ["b", "c"]
    assert missing_reasons(entries) == []


def test_ties_in_the_model_or_made_by_the_committee():
    # a and b tied in the model: the committee may order them either way
    assert moves([entry("a", 1, 2), entry("b", 1, 1), entry("c", 3, 3)]) == []
    # the committee ties c (model 3rd) with b (model 2nd): c was moved up
    assert moves([entry("a", 1, 1), entry("b", 2, 2), entry("c", 3, 2)]) == ["c"]


def test_an_object_twice_in_the_decided_list_raises():
    with pytest.raises(ValueError):
        moves([entry("a", 1, 1), entry("a", 2, 2)])
