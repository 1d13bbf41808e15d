"""Budget-constrained portfolio [S6]: exact optimum, canonical choice, uniqueness, greedy.

References used here are independent of the branch and bound: plain enumeration of all subsets
with exact (Fraction) cost sums, the literal canonical rule of S6.2 applied to the enumerated
optimal sets, the literal "flip one decision" definition of `unique`, and a DP over integer costs.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prioritization.engine.normalize import CriterionSpec, normalize
from prioritization.engine.portfolio import (
    PortfolioSearchLimit,
    greedy_portfolio,
    knapsack_brute_force,
    knapsack_dp_int,
    knapsack_tolerance,
    optimal_portfolio,
)
from prioritization.errors import InputError

# --------------------------------------------------------------------------------------------
# Independent references
# --------------------------------------------------------------------------------------------


def dec(x) -> Fraction:
    """A number as the decimal it was written as (the engine's cost semantics)."""
    return Fraction(repr(float(x)))


def exact_cost(costs, subset) -> Fraction:
    return sum((dec(costs[i]) for i in subset), Fraction(0))


def enumerate_optimal(values, costs, budget, force_in=(), force_out=()):
    """All feasible subsets (exact cost sums) respecting the forcing; (best, optimal sets, feasible)."""
    n = len(values)
    feasible = []
    for mask in range(2**n):
        s = [i for i in range(n) if (mask >> i) & 1]
        if any(i not in s for i in force_in) or any(i in s for i in force_out):
            continue
        if exact_cost(costs, s) <= dec(budget):
            feasible.append((math.fsum(values[i] for i in s), s))
    best = max(v for v, _ in feasible)
    tol = 1e-9 * max(1.0, best)
    return best, [s for v, s in feasible if v >= best - tol], feasible


def canonical_by_rule(values, costs, optimal_sets, forced=()):
    """[S6.2] literally: cost-0/value>0 objects are taken; then, in index order, each object is
    excluded if some optimal set consistent with the decisions so far excludes it."""
    candidates = [set(s) for s in optimal_sets]
    for i in range(len(values)):
        if i in forced:
            continue
        if costs[i] == 0 and values[i] > 0:
            candidates = [s for s in candidates if i in s]
            continue
        without = [s for s in candidates if i not in s]
        candidates = without if without else [s for s in candidates if i in s]
    assert len(candidates) == 1
    return sorted(candidates[0])


def unique_by_flips(selected, feasible, best, free):
    """[S6.2] literally: flipping any single decision (re-optimising the rest) loses value."""
    tol = 1e-9 * max(1.0, best)
    chosen = set(selected)
    for i in free:
        flipped = [v for v, s in feasible if (i in s) != (i in chosen)]
        if flipped and max(flipped) >= best - tol:
            return False
    return True


# --------------------------------------------------------------------------------------------
# Hwang & Yoon (1981) aircraft [S6.3]
# --------------------------------------------------------------------------------------------

AIRCRAFT = np.array(
    [
        [2.0, 1500, 20000, 5.5, 5, 9],
        [2.5, 2700, 18000, 6.5, 3, 5],
        [1.8, 2000, 21000, 4.5, 7, 7],
        [2.2, 1800, 20000, 5.0, 5, 5],
    ]
)
AIRCRAFT_WEIGHTS = np.array([0.2, 0.1, 0.1, 0.1, 0.2, 0.3])
ACQUISITION_COST = AIRCRAFT[:, 3]  # M$


def aircraft_wsm(qualitative_scale: bool) -> np.ndarray:
    """WSM values [S3.1]: min-max [S1.1] on the four numeric criteria (acquisition cost is a cost
    criterion). Reliability and maneuverability are Hwang & Yoon's qualitative ratings on the
    1-3-5-7-9 interval scale; with ``qualitative_scale`` they are normalised on that fixed scale
    1-9 [S1.2], otherwise by min-max like the rest."""
    b, c = CriterionSpec("benefit", "minmax"), CriterionSpec("cost", "minmax")
    q = CriterionSpec("benefit", None, (1.0, 9.0)) if qualitative_scale else b
    return normalize(AIRCRAFT, [b, b, b, c, q, q]) @ AIRCRAFT_WEIGHTS


@pytest.mark.parametrize("budget", [10.0, 12.0, 14.9])
def test_aircraft_greedy_1148_vs_optimum_1190(budget):
    """Spec S6.3: "greedy 1.148 vs optimum 1.190" on the aircraft data with WSM values.

    Setup reproducing both figures (found by enumerating the natural setups): costs = acquisition
    cost (5.5, 6.5, 4.5, 5.0 M$), any budget 10 <= B < 15 M$, WSM values with the two qualitative
    criteria on their 1-9 scale: S = (0.5738, 0.5000, 0.6167, 0.5310). Greedy ratios put A3, A4,
    A1, A2 in that order; A3 + A4 cost 9.5 (value 1.148) and neither A1 nor A2 fits afterwards,
    while A1 + A3 cost exactly 10 and are worth 1.190.
    """
    s = aircraft_wsm(qualitative_scale=True)
    np.testing.assert_allclose(s, [241 / 420, 0.5, 37 / 60, 223 / 420], rtol=1e-12)
    greedy = greedy_portfolio(s, ACQUISITION_COST, budget)
    assert greedy.order == [2, 3, 0, 1]
    assert greedy.selected == [2, 3]
    assert round(greedy.value, 3) == 1.148
    assert greedy.cost == 9.5
    best = optimal_portfolio(s, ACQUISITION_COST, budget)
    assert best.selected == [0, 2]
    assert round(best.value, 3) == 1.190
    assert best.cost == 10.0
    assert best.unique


def test_aircraft_pure_minmax_cannot_give_the_spec_figures():
    """Documents the investigation: with min-max on all six criteria no subset of the aircraft is
    worth 1.148 or 1.190, whatever the costs and budget."""
    s = aircraft_wsm(qualitative_scale=False)
    sums = {round(math.fsum(s[i] for i in range(4) if (m >> i) & 1), 3) for m in range(16)}
    assert 1.148 not in sums and 1.190 not in sums


def test_aircraft_budget_below_10_or_from_15_changes_the_picture():
    s = aircraft_wsm(qualitative_scale=True)
    below = optimal_portfolio(s, ACQUISITION_COST, 9.99)
    assert below.selected == [2, 3]  # A1 + A3 no longer fits: the greedy pair is optimal
    assert greedy_portfolio(s, ACQUISITION_COST, 9.99).selected == [2, 3]
    at15 = greedy_portfolio(s, ACQUISITION_COST, 15.0)
    assert at15.selected == [0, 2, 3]  # A1 fits after A3 + A4 once B = 15


# --------------------------------------------------------------------------------------------
# Property tests against enumeration
# --------------------------------------------------------------------------------------------

VALUE = st.one_of(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]), st.floats(0.01, 1.0))
COST = st.one_of(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0]), st.floats(0.01, 10.0))
INT_COST = st.sampled_from([0.0, 1.0, 2.0, 3.0, 5.0, 8.0])


@st.composite
def instances(draw, max_n: int = 12, integer: bool = False):
    """Small instances with ties, zero costs, zero values and duplicated objects."""
    n = draw(st.integers(1, max_n))
    base = draw(st.lists(st.tuples(VALUE, INT_COST if integer else COST), min_size=1, max_size=n))
    picks = draw(st.lists(st.integers(0, len(base) - 1), min_size=n, max_size=n))
    values = [base[k][0] for k in picks]
    costs = [base[k][1] for k in picks]
    total = math.fsum(costs)
    if integer:
        budget = float(draw(st.integers(0, int(total) + 1)))
    else:
        mask = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        subset_sum = math.fsum(c for c, m in zip(costs, mask, strict=True) if m)
        budget = draw(st.one_of(st.just(subset_sum), st.floats(0.0, total + 1.0)))
    return values, costs, budget


@settings(max_examples=300, deadline=None)
@given(instances())
def test_branch_and_bound_matches_brute_force(instance):
    values, costs, budget = instance
    best, optimal_sets = knapsack_brute_force(values, costs, budget)
    result = optimal_portfolio(values, costs, budget)
    assert abs(result.value - best) <= knapsack_tolerance(best)
    assert result.selected in optimal_sets
    assert exact_cost(costs, result.selected) <= dec(budget)
    assert result.unique == (len(optimal_sets) == 1)
    assert result.selected == canonical_by_rule(values, costs, optimal_sets)
    assert math.isclose(result.cost, math.fsum(costs[i] for i in result.selected))


@settings(max_examples=150, deadline=None)
@given(instances(max_n=8))
def test_brute_force_matches_exact_enumeration_and_flip_definition(instance):
    values, costs, budget = instance
    best, optimal_sets = knapsack_brute_force(values, costs, budget)
    ref_best, ref_sets, feasible = enumerate_optimal(values, costs, budget)
    assert abs(best - ref_best) <= knapsack_tolerance(ref_best)
    assert sorted(map(sorted, optimal_sets)) == sorted(map(sorted, ref_sets))
    result = optimal_portfolio(values, costs, budget)
    assert result.unique == unique_by_flips(result.selected, feasible, ref_best, range(len(values)))


@settings(max_examples=150, deadline=None)
@given(instances(max_n=8), st.data())
def test_forced_objects_match_enumeration(instance, data):
    values, costs, budget = instance
    n = len(values)
    role = data.draw(st.lists(st.sampled_from(["in", "out", "free", "free"]), min_size=n, max_size=n))
    force_in = [i for i in range(n) if role[i] == "in"]
    force_out = [i for i in range(n) if role[i] == "out"]
    if exact_cost(costs, force_in) > dec(budget):
        with pytest.raises(InputError, match="forced-in"):
            optimal_portfolio(values, costs, budget, force_in, force_out)
        with pytest.raises(InputError, match="forced-in"):
            greedy_portfolio(values, costs, budget, force_in, force_out)
        return
    best, optimal_sets, feasible = enumerate_optimal(values, costs, budget, force_in, force_out)
    result = optimal_portfolio(values, costs, budget, force_in, force_out)
    assert set(force_in) <= set(result.selected)
    assert not set(force_out) & set(result.selected)
    assert abs(result.value - best) <= knapsack_tolerance(best)
    assert result.unique == (len(optimal_sets) == 1)
    free = [i for i in range(n) if role[i] == "free"]
    assert result.unique == unique_by_flips(result.selected, feasible, best, free)
    forced = set(force_in) | set(force_out)
    assert result.selected == canonical_by_rule(values, costs, optimal_sets, forced)
    greedy = greedy_portfolio(values, costs, budget, force_in, force_out)
    assert set(force_in) <= set(greedy.selected)
    assert not set(force_out) & set(greedy.selected)
    assert sorted(greedy.order) == free
    assert exact_cost(costs, greedy.selected) <= dec(budget)
    assert greedy.value <= result.value + knapsack_tolerance(result.value)


@settings(max_examples=150, deadline=None)
@given(instances(max_n=12, integer=True))
def test_dp_agrees_on_integer_costs(instance):
    values, costs, budget = instance
    best, _ = knapsack_brute_force(values, costs, budget)
    assert abs(knapsack_dp_int(values, costs, budget) - best) <= knapsack_tolerance(best)
    result = optimal_portfolio(values, costs, budget)
    assert abs(result.value - best) <= knapsack_tolerance(best)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(25, 60))
def test_larger_integer_instances_agree_with_dp(seed, n):
    rng = np.random.default_rng(seed)
    costs = rng.integers(1, 60, n).astype(float)
    values = np.round(rng.uniform(0.0, 1.0, n), rng.integers(1, 4))  # rounding makes ties
    budget = float(int(0.3 * costs.sum()))
    result = optimal_portfolio(values, costs, budget)
    dp = knapsack_dp_int(values, costs, budget)
    assert abs(result.value - dp) <= knapsack_tolerance(dp)
    assert math.fsum(costs[result.selected]) <= budget
    assert abs(math.fsum(values[result.selected]) - dp) <= knapsack_tolerance(dp)


@settings(max_examples=300, deadline=None)
@given(instances())
def test_greedy_never_exceeds_budget_and_never_beats_optimum(instance):
    values, costs, budget = instance
    greedy = greedy_portfolio(values, costs, budget)
    best = optimal_portfolio(values, costs, budget)
    assert exact_cost(costs, greedy.selected) <= dec(budget)
    assert greedy.value <= best.value + knapsack_tolerance(best.value)
    assert sorted(greedy.order) == list(range(len(values)))
    # skipping, not stopping: every object left out is worthless or no longer fits
    used = exact_cost(costs, greedy.selected)
    for i in set(range(len(values))) - set(greedy.selected):
        assert values[i] == 0 or used + dec(costs[i]) > dec(budget)


# --------------------------------------------------------------------------------------------
# Exact solver: constructed cases
# --------------------------------------------------------------------------------------------


def test_identical_objects_canonical_excludes_earliest():
    result = optimal_portfolio([1.0, 1.0, 1.0], [1.0, 1.0, 1.0], 2.0)
    assert result.selected == [1, 2]
    assert result.value == 2.0
    assert not result.unique


def test_coincidental_sums_are_not_unique():
    # {0} and {1, 2} are both worth 0.9 at cost 3
    result = optimal_portfolio([0.9, 0.4, 0.5], [3.0, 1.0, 2.0], 3.0)
    assert result.selected == [1, 2]
    assert not result.unique


def test_unique_optimum():
    result = optimal_portfolio([0.9, 0.4, 0.6], [3.0, 1.0, 2.0], 3.0)
    assert result.selected == [1, 2]
    assert result.value == 1.0
    assert result.unique


def test_zero_cost_object_is_always_taken_even_with_zero_budget():
    result = optimal_portfolio([0.3, 0.8], [0.0, 1.0], 0.0)
    assert result.selected == [0]
    assert result.value == 0.3
    assert result.unique


def test_zero_cost_object_is_taken_even_when_its_value_is_within_tolerance():
    # [S6.2] says cost-0 objects with value > 0 are always taken. Leaving it out is also optimal
    # within the tolerance, so the optimum is not unique.
    result = optimal_portfolio([1e-12, 0.5], [0.0, 1.0], 1.0)
    assert result.selected == [0, 1]
    assert not result.unique


def test_zero_value_object_is_never_taken_and_breaks_uniqueness_when_it_fits():
    fits = optimal_portfolio([0.0, 0.5], [1.0, 1.0], 2.0)
    assert fits.selected == [1]
    assert not fits.unique  # {1} and {0, 1} are both optimal
    no_room = optimal_portfolio([0.0, 0.5], [1.0, 1.0], 1.5)
    assert no_room.selected == [1]
    assert no_room.unique
    free_worthless = optimal_portfolio([0.0, 0.5], [0.0, 1.0], 1.0)
    assert free_worthless.selected == [1]
    assert not free_worthless.unique


def test_value_zero_fits_only_with_another_optimal_set():
    # the canonical set {1} (cost 2) leaves no room for the worthless object 2 (cost 1), but the
    # equally good {0} (cost 1) does, so {0, 2} is a third optimal set
    values, costs = [1.0, 1.0, 0.0], [1.0, 2.0, 1.0]
    result = optimal_portfolio(values, costs, 2.0)
    assert result.selected == [1]
    assert not result.unique
    assert sorted(knapsack_brute_force(values, costs, 2.0)[1]) == [[0], [0, 2], [1]]


def test_values_within_the_knapsack_tolerance_count_as_equal():
    # 1 + 5e-10 and 1 differ by less than 1e-9 * V*: equal, so the canonical rule excludes object 0
    near = optimal_portfolio([1.0 + 5e-10, 1.0], [1.0, 1.0], 1.0)
    assert near.selected == [1]
    assert near.value == 1.0 + 5e-10
    assert not near.unique
    # 1.5e-9 and 1e-8 apart: different
    for gap in (1.5e-9, 1e-8):
        far = optimal_portfolio([1.0 + gap, 1.0], [1.0, 1.0], 1.0)
        assert far.selected == [0]
        assert far.unique


def test_costs_are_exact_real_numbers():
    # 0.25 + 0.5 is exactly 0.75 in binary: both fit
    assert optimal_portfolio([1.0, 1.0], [0.25, 0.5], 0.75).selected == [0, 1]
    # a budget one ulp below the exact total does not fit both
    below = np.nextafter(0.75, 0.0)
    assert len(optimal_portfolio([1.0, 1.0], [0.25, 0.5], below).selected) == 1
    # costs are the decimals as written: 0.1 + 0.2 fits 0.3 (although the binary floats do not)
    assert optimal_portfolio([1.0, 1.0, 1.5], [0.1, 0.2, 0.3], 0.3).selected == [0, 1]
    assert greedy_portfolio([1.0, 1.0, 1.5], [0.1, 0.2, 0.3], 0.3).selected == [0, 1]
    # the review's case: 84.7 + 52.5 MSEK is exactly 137.2 MSEK
    assert optimal_portfolio([1.0, 0.75], [84.7, 52.5], 137.2).selected == [0, 1]
    assert optimal_portfolio([1.0, 0.75], [84.7, 52.5], 137.1).selected == [0]


def test_real_costs_are_not_rounded():
    # a DP over rounded costs would treat 1.4 + 1.4 as 2 + 2 or 1 + 1; the exact optimum is 2.9
    result = optimal_portfolio([1.0, 1.0, 0.9], [1.4, 1.4, 0.2], 3.0)
    assert result.selected == [0, 1, 2]
    assert result.value == pytest.approx(2.9)


def test_empty_portfolio_when_nothing_fits():
    result = optimal_portfolio([0.5, 0.7], [3.0, 4.0], 2.0)
    assert result.selected == []
    assert result.value == 0.0
    assert result.cost == 0.0
    assert result.unique
    assert result.feasible


def test_forced_in_and_out():
    values, costs = [0.9, 0.8, 0.1, 0.7], [5.0, 4.0, 3.0, 2.0]
    assert optimal_portfolio(values, costs, 9.0).selected == [0, 1]
    forced = optimal_portfolio(values, costs, 9.0, force_in=[2], force_out=[0])
    assert forced.selected == [1, 2, 3]
    assert forced.value == pytest.approx(1.6)
    assert forced.cost == 9.0
    # with object 0 forced in, no other set respects the forcing and reaches the value
    assert optimal_portfolio([1.0, 1.0], [1.0, 1.0], 1.0, force_in=[0]).unique
    assert not optimal_portfolio([1.0, 1.0], [1.0, 1.0], 1.0).unique
    # forced-in objects are selected even with value 0
    assert optimal_portfolio([0.0, 1.0], [1.0, 1.0], 2.0, force_in=[0]).selected == [0, 1]


def test_forced_in_over_budget_is_rejected_with_totals():
    with pytest.raises(InputError, match=r"cost 7 in total.*exceeds the budget 6"):
        optimal_portfolio([0.5, 0.5, 0.5], [3.0, 4.0, 1.0], 6.0, force_in=[0, 1])
    with pytest.raises(InputError, match=r"cost 7 in total.*exceeds the budget 6"):
        greedy_portfolio([0.5, 0.5, 0.5], [3.0, 4.0, 1.0], 6.0, force_in=[0, 1])


@pytest.mark.parametrize("fn", [optimal_portfolio, greedy_portfolio])
def test_invalid_forcing(fn):
    args = ([0.5, 0.5], [1.0, 1.0], 1.0)
    with pytest.raises(InputError, match="both forced in and forced out"):
        fn(*args, force_in=[1], force_out=[1])
    with pytest.raises(InputError, match="out of range"):
        fn(*args, force_in=[2])
    with pytest.raises(InputError, match="out of range"):
        fn(*args, force_out=[-1])
    with pytest.raises(InputError, match="not an object index"):
        fn(*args, force_in=[0.0])
    with pytest.raises(InputError, match="not an object index"):
        fn(*args, force_in=[True])


def test_search_limit_is_reported_not_silent():
    rng = np.random.default_rng(1)
    costs = np.round(rng.uniform(50.0, 15_000.0, 60), 1)
    values = (costs + 1_500.0) / 16_500.0  # values an exact affine function of the costs
    with pytest.raises(PortfolioSearchLimit, match="stopped after 10 branch-and-bound nodes"):
        optimal_portfolio(values, costs, 0.3 * costs.sum(), max_nodes=10)
    assert optimal_portfolio(values, costs, 0.3 * costs.sum(), max_nodes=None).selected


# --------------------------------------------------------------------------------------------
# Greedy rules [S6.3]
# --------------------------------------------------------------------------------------------


def test_greedy_ratio_descending():
    g = greedy_portfolio([0.2, 0.9, 0.5], [1.0, 3.0, 1.0], 10.0)
    assert g.order == [2, 1, 0]  # ratios 0.2, 0.3, 0.5
    assert g.selected == [0, 1, 2]


def test_greedy_zero_cost_counts_as_infinite_ratio():
    g = greedy_portfolio([0.9, 0.1, 0.3], [0.1, 0.0, 0.0], 0.0)
    assert g.order == [2, 1, 0]  # both +inf: the higher value first
    assert g.selected == [1, 2]


def test_greedy_zero_value_last_and_never_taken():
    g = greedy_portfolio([0.0, 0.5, 0.0, 0.1], [0.0, 1.0, 1.0, 50.0], 100.0)
    assert g.order == [1, 3, 0, 2]  # value-0 objects last, by index, even with cost 0
    assert g.selected == [1, 3]


def test_greedy_ratio_tie_goes_to_higher_value_then_lower_index():
    g = greedy_portfolio([0.25, 0.5, 0.25], [1.0, 2.0, 1.0], 2.0)
    assert g.order == [1, 0, 2]  # all ratios 0.25: value 0.5 first, then index 0 before 2
    assert g.selected == [1]  # object 1 uses the whole budget
    assert g.value == 0.5


def test_greedy_skips_and_continues():
    g = greedy_portfolio([0.9, 0.8, 0.1], [5.0, 6.0, 1.0], 6.0)
    assert g.order == [0, 1, 2]
    assert g.selected == [0, 2]  # object 1 does not fit after 0, object 2 still does
    assert g.value == pytest.approx(1.0)
    assert g.cost == 6.0


def test_greedy_takes_an_exact_fit():
    g = greedy_portfolio([0.6, 0.3], [2.0, 1.5], 3.5)
    assert g.selected == [0, 1]
    assert g.cost == 3.5


def test_greedy_decimal_ratio_ties_go_to_higher_value():
    # 0.6/3 and 0.4/2 are both 0.2, but their floating-point quotients differ in the last bit;
    # they tie (relative 1e-9), so the higher value comes first
    assert 0.6 / 3 != 0.4 / 2
    g = greedy_portfolio([0.4, 0.6], [2.0, 3.0], 3.0)
    assert g.order == [1, 0]
    assert g.selected == [1]


def test_greedy_close_but_distinct_ratios_are_not_tied():
    # ratios 0.2 and 0.2 * (1 - 1e-7): ratio order, although the second has the higher value
    g = greedy_portfolio([0.2, 0.6 * (1 - 1e-7)], [1.0, 3.0], 3.0)
    assert g.order == [0, 1]
    assert g.selected == [0]


def test_greedy_ratio_ties_do_not_depend_on_the_cost_unit():
    values = [0.5, 0.25, 0.75]
    for unit in (1.0, 1e-6, 1e6):  # MSEK, SEK-like and billions-like cost units
        costs = [2.0 * unit, 1.0 * unit, 3.0 * unit]
        assert greedy_portfolio(values, costs, 3.0 * unit).order == [2, 0, 1]
        # ratios 1e-7 apart (relative) stay distinct in every unit
        near = greedy_portfolio([0.2, 0.6 * (1 - 1e-7)], [1.0 * unit, 3.0 * unit], 3.0 * unit)
        assert near.order == [0, 1]


def test_greedy_forced():
    g = greedy_portfolio([0.9, 0.1, 0.5], [5.0, 4.0, 1.0], 6.0, force_in=[1], force_out=[2])
    assert g.order == [0]
    assert g.selected == [1]  # object 0 no longer fits after the forced object 1
    assert g.value == 0.1
    assert g.cost == 4.0


# --------------------------------------------------------------------------------------------
# Cross-check helpers and validation [S0.4]
# --------------------------------------------------------------------------------------------


def test_brute_force_lists_every_optimal_set():
    best, sets = knapsack_brute_force([1.0, 1.0, 1.0, 0.0], [1.0, 1.0, 1.0, 0.0], 2.0)
    assert best == 2.0
    assert sorted(sets) == [[0, 1], [0, 1, 3], [0, 2], [0, 2, 3], [1, 2], [1, 2, 3]]


def test_dp_small_example():
    assert knapsack_dp_int([0.9, 0.4, 0.6, 0.3], [3, 1, 2, 0], 3) == pytest.approx(1.3)


def test_dp_rejects_fractional_costs_and_budget():
    with pytest.raises(InputError, match="whole-number costs"):
        knapsack_dp_int([1.0], [1.5], 2)
    with pytest.raises(InputError, match="whole-number budget"):
        knapsack_dp_int([1.0], [1.0], 2.5)


def test_brute_force_size_limit():
    with pytest.raises(InputError, match="N <= 22"):
        knapsack_brute_force([1.0] * 23, [1.0] * 23, 5.0)


@pytest.mark.parametrize("fn", [optimal_portfolio, greedy_portfolio, knapsack_dp_int, knapsack_brute_force])
@pytest.mark.parametrize(
    "values, costs, budget, message",
    [
        ([0.5, -0.1], [1.0, 1.0], 1.0, r"values\[1\] is -0.1: values must not be negative"),
        ([0.5, 0.1], [1.0, -2.0], 1.0, r"costs\[1\] is -2: costs must not be negative"),
        ([0.5, 0.1], [1.0, 2.0], -1.0, "budget is -1: it must not be negative"),
        ([0.5, float("nan")], [1.0, 1.0], 1.0, "must be finite"),
        ([0.5, 0.1], [1.0, float("inf")], 1.0, "must be finite"),
        ([0.5, 0.1], [1.0, 1.0], float("inf"), "budget is inf"),
        ([0.5, 0.1], [1.0, 1.0, 1.0], 1.0, "2 values but 3 costs"),
        ([], [], 1.0, "at least one object"),
        ([[0.5]], [[1.0]], 1.0, "one-dimensional"),
        ([0.5], [1.0], "lots", "budget must be a number"),
        (["a"], [1.0], 1.0, "values must be a list of numbers"),
    ],
)
def test_invalid_input_is_rejected(fn, values, costs, budget, message):
    with pytest.raises(InputError, match=message):
        fn(values, costs, budget)
