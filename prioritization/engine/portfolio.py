"""Budget-constrained portfolio: exact 0/1 knapsack and the greedy comparison [S6].

Problem [S6.1]: choose x in {0,1}^N maximising sum_i x_i S_i subject to sum_i x_i c_i <= B, where S_i
is the WSM score (any values >= 0), c_i >= 0 the cost and B >= 0 the budget.

Exactness of costs [S6.1]: costs and budget are never rounded. Each is taken as the decimal number
it was written as (the shortest decimal that round-trips the float, as in the project file) and all
are scaled by one common denominator to exact Python integers, so "fits in the budget" is decided
exactly for the given numbers: 0.1 + 0.2 fits a budget of 0.3, and 84.7 + 52.5 fits 137.2.

Values are compared with the knapsack tolerance of [S0.3]: two portfolio values are equal when they
differ by at most ``1e-9 * max(1, V*)``.

Public functions:

* :func:`optimal_portfolio` - exact depth-first branch and bound with the Dantzig bound, the
  canonical optimum and its uniqueness [S6.2].
* :func:`greedy_portfolio` - the "score per cost" heuristic [S6.3].
* :func:`knapsack_dp_int` and :func:`knapsack_brute_force` - independent cross-checks [S6.2].
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from numbers import Integral

import numpy as np

from prioritization.errors import InputError

KNAPSACK_RTOL = 1e-9  # [S0.3] "knapsack" tolerance
BRUTE_FORCE_MAX_N = 22  # [S6.2]
DP_MAX_BUDGET = 10_000_000  # the DP table has budget + 1 cells
_RATIO_TIE_RTOL = 1e-9  # greedy: value/cost ratios this close (relative) tie [S6.3]
_BOUND_SLACK_RTOL = 1e-12  # guards bound pruning against floating-point rounding of the bound
DEFAULT_MAX_NODES = 10_000_000  # roughly 10-20 s of search; None = no limit
_MEMO_MAX_PER_DEPTH = 4096  # dominance memo size cap per depth


def knapsack_tolerance(optimal_value: float) -> float:
    """Two portfolio values are equal when they differ by at most this [S0.3]."""
    return KNAPSACK_RTOL * max(1.0, abs(float(optimal_value)))


class PortfolioSearchLimit(InputError):
    """The exact search needed more than ``max_nodes`` branch-and-bound nodes.

    Realistic data is solved in milliseconds; this guards against the rare (near-)pathological
    inputs where values are an almost exact linear function of the costs, which make any branch and
    bound exponential. It subclasses :class:`InputError` so callers report it like other rejected
    input.
    """


@dataclass(frozen=True)
class PortfolioResult:
    """The exact optimum of [S6.2].

    * ``selected``: the canonical optimal set, ascending 0-based indices (forced-in objects
      included).
    * ``value``: the optimal value V* (forced-in objects included). The canonical set's own value
      ``sum(values[selected])`` equals V* within the knapsack tolerance (almost always exactly).
    * ``cost``: the total cost of ``selected``.
    * ``unique``: True iff no other set (respecting the forced objects) reaches V* within the
      tolerance; equivalently, flipping any single decision of ``selected`` and re-optimising
      the rest loses value.
    * ``feasible``: always True. A problem whose forced-in objects alone exceed the budget is
      rejected with :class:`InputError` instead of returning an infeasible result.
    """

    selected: list[int]
    value: float
    cost: float
    unique: bool
    feasible: bool = True


@dataclass(frozen=True)
class GreedyResult:
    """The greedy "score per cost" portfolio [S6.3].

    * ``order``: every object that is neither forced in nor forced out, in greedy priority order.
    * ``selected``: the chosen objects (forced-in objects included) in ascending index order. The
      order in which the greedy took them is ``[i for i in order if i in selected]``.
    * ``value``, ``cost``: totals of ``selected``.
    """

    order: list[int]
    selected: list[int]
    value: float
    cost: float


# --------------------------------------------------------------------------------------------
# Validation [S0.4]
# --------------------------------------------------------------------------------------------


def _as_vector(x: object, name: str) -> np.ndarray:
    try:
        a = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name} must be a list of numbers") from exc
    if a.ndim != 1:
        raise InputError(f"{name} must be a one-dimensional list of numbers")
    bad = np.flatnonzero(~np.isfinite(a))
    if bad.size:
        i = int(bad[0])
        raise InputError(f"{name}[{i}] is {a[i]}: {name} must be finite numbers")
    neg = np.flatnonzero(a < 0)
    if neg.size:
        i = int(neg[0])
        raise InputError(f"{name}[{i}] is {a[i]:g}: {name} must not be negative")
    return a + 0.0  # turns -0.0 into 0.0


def _validate(values: object, costs: object, budget: object) -> tuple[np.ndarray, np.ndarray, float]:
    """Reject non-finite or negative values, costs or budget and length mismatches [S0.4]."""
    v = _as_vector(values, "values")
    c = _as_vector(costs, "costs")
    if v.size != c.size:
        raise InputError(f"there are {v.size} values but {c.size} costs; each object needs both")
    if v.size == 0:
        raise InputError("there must be at least one object (N = 0)")
    if isinstance(budget, (bool, np.bool_)):
        raise InputError("the budget must be a number")
    try:
        b = float(budget)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise InputError("the budget must be a number") from exc
    if not math.isfinite(b):
        raise InputError(f"the budget is {b}: it must be a finite number")
    if b < 0:
        raise InputError(f"the budget is {b:g}: it must not be negative")
    return v, c, b + 0.0


def _index_set(items: Iterable[object], n: int, name: str) -> set[int]:
    out: set[int] = set()
    try:
        iterator = iter(items)
    except TypeError as exc:
        raise InputError(f"{name} must be a list of object indices") from exc
    for k in iterator:
        if isinstance(k, (bool, np.bool_)) or not isinstance(k, Integral):
            raise InputError(f"{name}: {k!r} is not an object index (a whole number)")
        k = int(k)
        if not 0 <= k < n:
            raise InputError(f"{name}: object index {k} is out of range (0 to {n - 1})")
        out.add(k)
    return out


def _forced_sets(force_in: Iterable[object], force_out: Iterable[object], n: int) -> tuple[set[int], set[int]]:
    fin = _index_set(force_in, n, "force_in")
    fout = _index_set(force_out, n, "force_out")
    both = sorted(fin & fout)
    if both:
        raise InputError(f"object(s) {both} are both forced in and forced out")
    return fin, fout


def _exact_units(costs: np.ndarray, budget: float) -> tuple[list[int], int, int]:
    """Costs and budget as exact integers in units of 1/den [S6.1].

    Each number is taken as the decimal it was written as (the shortest decimal that round-trips,
    ``repr``), so 84.7 + 52.5 fits a budget of 137.2 exactly, as a person reading the numbers expects.
    """
    fracs = [Fraction(repr(float(x))) for x in costs] + [Fraction(repr(float(budget)))]
    den = 1
    for f in fracs:
        den = den * f.denominator // math.gcd(den, f.denominator)
    ints = [f.numerator * (den // f.denominator) for f in fracs]
    return ints[:-1], ints[-1], den


def _check_forced_budget(fin: set[int], w: list[int], cap: int, c: np.ndarray, budget: float) -> int:
    """Budget left after the forced-in objects; InputError if they alone exceed it."""
    forced = sum(w[i] for i in fin)
    if forced > cap:
        total = math.fsum(c[i] for i in fin)
        raise InputError(
            f"the forced-in objects {sorted(fin)} cost {total:g} in total, which exceeds the budget "
            f"{budget:g}; no portfolio can contain them all"
        )
    return cap - forced


# --------------------------------------------------------------------------------------------
# Branch and bound [S6.2]
# --------------------------------------------------------------------------------------------


def _ratio_key(value: float, cost: float, index: int) -> tuple[float, float, int]:
    """Branch-and-bound item order: value per cost descending (cost 0 first, value 0 last)."""
    if value == 0.0:
        ratio = 0.0
    elif cost == 0.0:
        ratio = math.inf
    else:
        ratio = value / cost
    return (-ratio, -value, index)


def _ratio_order(items: Iterable[int], v: np.ndarray, c: np.ndarray) -> list[int]:
    return sorted(items, key=lambda i: _ratio_key(float(v[i]), float(c[i]), i))


class _NodeBudget:
    """How many more branch-and-bound nodes may be expanded before giving up."""

    def __init__(self, max_nodes: int | None):
        self.left = math.inf if max_nodes is None else int(max_nodes)
        self.limit = max_nodes


class _Items:
    """A subproblem's items in ratio order, with prefix sums for the Dantzig bound [S6.2]."""

    def __init__(self, ordered: list[int], v: np.ndarray, c: np.ndarray, w: list[int]):
        self.index = ordered  # object indices, already in ratio order (see _ratio_order)
        self.p = [float(v[i]) for i in self.index]
        self.w = [w[i] for i in self.index]
        # value per *original* cost unit; only used for the fractional part of the bound, where
        # the critical item always has a positive cost
        self.ratio = [float(v[i]) / float(c[i]) if c[i] > 0 else math.inf for i in self.index]
        self.wsum = [0]
        self.psum = [0.0]
        for pk, wk in zip(self.p, self.w, strict=True):
            self.wsum.append(self.wsum[-1] + wk)
            self.psum.append(self.psum[-1] + pk)
        # smallest cost among items j.. (+inf at the end): "does anything still fit?"
        self.wmin: list[float | int] = [math.inf] * (len(self.w) + 1)
        for k in range(len(self.w) - 1, -1, -1):
            self.wmin[k] = min(self.w[k], self.wmin[k + 1])


def _branch_and_bound(
    items: _Items, cap: int, den: int, nodes: _NodeBudget, target: float | None = None
) -> tuple[float, list[int] | None]:
    """Depth-first branch and bound with the Dantzig bound over ``items`` [S6.2].

    * ``target is None``: maximise; returns ``(best value, best set)``.
    * ``target`` given: is there a set with value >= ``target``? Returns the first one found as
      ``(its value, set)``, or ``(-inf, None)``.

    Sets are ascending lists of original object indices; ``cap`` and the costs are exact integers
    in units of ``1/den``. The search is iterative. A stack entry is a node "the items before j are
    decided, capacity c and value v remain", with the taken items as a linked list. At a node the
    Dantzig bound comes from a binary search on the prefix sums for the critical item r. Unless the
    node is pruned, items j..r-1 are taken (each pushing its "exclude" alternative), item r is
    skipped because it does not fit, and the walk goes on at r + 1; the first leaf is therefore the
    greedy-with-skipping portfolio, a good first incumbent.

    Dominance: a node at depth j is pruned when an earlier node at the same depth had at least
    as much capacity and at least as much value; that node's subtree (already finished, by the
    stack order) contains a completion at least as good as every completion of this one. This is
    what keeps equal or proportional values (many ties) tractable.
    """
    n = len(items.p)
    p, w, ratio, wsum, psum, wmin = items.p, items.w, items.ratio, items.wsum, items.psum, items.wmin
    maximise = target is None
    threshold = -math.inf if maximise else target - _BOUND_SLACK_RTOL * max(1.0, abs(target), psum[-1])
    best, best_taken = -math.inf, None
    # per depth, the non-dominated (capacity, value) pairs seen: capacities ascending, values
    # descending (stored negated, so both lists ascend)
    memo_c: list[list[int]] = [[] for _ in range(n + 1)]
    memo_nv: list[list[float]] = [[] for _ in range(n + 1)]
    stack: list[tuple[int, int, float, object]] = [(0, cap, 0.0, None)]
    push, pop = stack.append, stack.pop
    expanded = 0
    while stack:
        if expanded > nodes.left:
            raise PortfolioSearchLimit(
                f"the exact portfolio search stopped after {nodes.limit} branch-and-bound nodes "
                "without a proof of optimality. This happens when the values are (almost) an "
                "exact linear function of the costs; the greedy portfolio is still available"
            )
        j, c, v, taken = pop()
        while True:
            expanded += 1
            if c < wmin[j]:
                # leaf: nothing more fits (or no items are left)
                if maximise:
                    if v > best:
                        best, best_taken, threshold = v, taken, v
                elif v >= target:
                    nodes.left -= expanded
                    return v, _unlink(taken, items.index)
                break
            while w[j] > c:
                j += 1  # skip items that do not fit; some later item does
            base = wsum[j]
            r = bisect_right(wsum, base + c, j, n + 1) - 1  # critical item; r > j
            ub = v + (psum[r] - psum[j])
            if r < n:
                ub += (c - (wsum[r] - base)) / den * ratio[r]
            if ub < threshold or (maximise and ub == threshold):
                break  # bound: this subtree cannot beat the incumbent / reach the target
            cs, nvs = memo_c[j], memo_nv[j]
            pos = bisect_left(cs, c)
            if pos < len(cs) and -nvs[pos] >= v:
                break  # dominated by an earlier node at this depth
            if len(cs) < _MEMO_MAX_PER_DEPTH:  # (keeps inserts cheap; pruning stays valid)
                first = bisect_left(nvs, -v)  # the entries this node dominates: [first, last)
                last = bisect_right(cs, c)
                cs[first:last] = [c]
                nvs[first:last] = [-v]
            for k in range(j, r):
                push((k + 1, c, v, taken))
                c -= w[k]
                v += p[k]
                taken = (k, taken)
            j = r + 1 if r < n else n  # item r does not fit: skip it and go on
    nodes.left -= expanded
    if maximise:
        return best, _unlink(best_taken, items.index)
    return -math.inf, None


def _unlink(taken: object, index: list[int]) -> list[int]:
    out = []
    while taken is not None:
        k, taken = taken  # type: ignore[misc]
        out.append(index[k])
    return sorted(out)


def optimal_portfolio(
    values: object,
    costs: object,
    budget: object,
    force_in: Iterable[object] = (),
    force_out: Iterable[object] = (),
    max_nodes: int | None = DEFAULT_MAX_NODES,
) -> PortfolioResult:
    """The exact, canonical optimal portfolio and whether it is unique [S6.1, S6.2].

    * Forced-in objects are always selected (their cost is taken from the budget); forced-out
      objects never are. An object in both lists, or forced-in objects that alone exceed the
      budget, raise :class:`InputError`.
    * Objects with cost 0 and value > 0 are always taken; objects with value 0 never are.
    * Canonical choice: the other objects are fixed in index order, each one *excluded* if the
      optimum stays V* (within ``tol = 1e-9 * max(1, V*)``) without it. A witness optimal set is
      kept, so only objects in the current witness need a re-solve.
    * ``unique``: no other set (respecting the forced objects) has value >= V* - tol. The
      canonical set is the lexicographically smallest optimal 0/1 vector, so any other optimal
      set agrees with it up to some index i where the canonical set has 0 and the other has 1;
      one existence search per excluded object (with the canonical prefix fixed and the object
      taken) therefore decides uniqueness. Cost-0 objects (another optimum without one exists iff
      its value <= tol) and value-0 objects (another optimum with one exists iff an optimal set
      leaves room for the cheapest) are checked directly. This equals "flipping any single
      decision of the canonical solution (and re-optimising the rest) loses value".

    ``max_nodes`` caps the branch-and-bound nodes over all the searches (None: no cap); beyond
    it :class:`PortfolioSearchLimit` is raised rather than running for hours.

    Raises :class:`InputError` for invalid input [S0.4].
    """
    v, c, b = _validate(values, costs, budget)
    n = v.size
    fin, fout = _forced_sets(force_in, force_out, n)
    w, b_int, den = _exact_units(c, b)
    cap = _check_forced_budget(fin, w, b_int, c, b)

    # objects that are not forced and fit at all
    open_items = [i for i in range(n) if i not in fin and i not in fout and w[i] <= cap]
    always = [i for i in open_items if c[i] == 0 and v[i] > 0]
    worthless = [i for i in open_items if v[i] == 0]
    free = [i for i in open_items if c[i] > 0 and v[i] > 0]

    free_order = _ratio_order(free, v, c)
    free_items = _Items(free_order, v, c, w)
    nodes = _NodeBudget(max_nodes)
    _, witness_list = _branch_and_bound(free_items, cap, den, nodes)
    assert witness_list is not None  # maximising always finds a set (possibly empty)
    fixed_in = sorted(fin) + always
    v_star = math.fsum(v[i] for i in fixed_in + witness_list)
    tol = knapsack_tolerance(v_star)
    free_target = math.fsum(v[i] for i in witness_list) - tol

    # Canonical choice [S6.2]: fix the free objects in index order, excluding each if possible.
    witness = set(witness_list)
    included: list[int] = []
    inc_cost, inc_value = 0, 0.0
    unique = True
    for i in free:  # ascending index order
        if i in witness:
            rest = _Items([k for k in free_order if k > i], v, c, w)
            _, found = _branch_and_bound(rest, cap - inc_cost, den, nodes, free_target - inc_value)
            if found is None:
                included.append(i)
                inc_cost += w[i]
                inc_value += float(v[i])
                continue
            witness = set(included) | set(found)
            unique = False  # the old witness (with i) and the new one (without) are both optimal
        elif unique and w[i] <= cap - inc_cost:
            # another optimum with the canonical prefix and i taken?
            rest = _Items([k for k in free_order if k > i], v, c, w)
            target = free_target - inc_value - float(v[i])
            _, found = _branch_and_bound(rest, cap - inc_cost - w[i], den, nodes, target)
            unique = found is None

    if unique and any(v[a] <= tol for a in always):
        unique = False  # dropping that cost-0 object keeps the optimum
    if unique and worthless and inc_cost + min(w[z] for z in worthless) <= cap:
        # the canonical set has room for a value-0 object. (Room next to some *other* optimal
        # set needs no check: when unique is still True here, the free part's optimum is unique.)
        unique = False

    selected = sorted(fixed_in + included)
    return PortfolioResult(
        selected=selected,
        value=v_star,
        cost=math.fsum(c[i] for i in selected),
        unique=unique,
    )


# --------------------------------------------------------------------------------------------
# Greedy [S6.3]
# --------------------------------------------------------------------------------------------


def _greedy_order(items: list[int], v: np.ndarray, c: np.ndarray) -> list[int]:
    """S6.3 priority order of ``items``.

    Ratio S_i/c_i descending, cost 0 counting as +inf; ties go to the higher value, then the lower
    index; value-0 objects come last (by index). Two finite ratios tie when they are within a
    relative ``1e-9`` of each other, grouped by the chain rule of [S0.2] on the sorted ratios
    (a new group starts when the previous ratio exceeds the current one by more than 1e-9 times
    the previous). The relative tolerance makes decimal ties such as 0.6/3 vs 0.4/2 count as ties
    although their floating-point quotients differ in the last bit, and, unlike an absolute
    tolerance, does not depend on the cost unit.
    """
    positive = [i for i in items if v[i] > 0]
    worthless = sorted(i for i in items if v[i] == 0)
    free = sorted((i for i in positive if c[i] == 0), key=lambda i: (-v[i], i))
    priced = sorted((i for i in positive if c[i] > 0), key=lambda i: (-(v[i] / c[i]), i))
    ordered: list[int] = []
    group: list[int] = []
    previous = math.inf
    for i in priced:
        ratio = float(v[i] / c[i])
        if group and previous - ratio > _RATIO_TIE_RTOL * previous:
            ordered += sorted(group, key=lambda k: (-v[k], k))
            group = []
        group.append(i)
        previous = ratio
    ordered += sorted(group, key=lambda k: (-v[k], k))
    return free + ordered + worthless


def greedy_portfolio(
    values: object,
    costs: object,
    budget: object,
    force_in: Iterable[object] = (),
    force_out: Iterable[object] = (),
) -> GreedyResult:
    """Greedy "score per cost" portfolio [S6.3].

    Forced-in objects are taken first (cost taken from the budget), forced-out objects are left
    out; the other objects are visited by ratio S_i/c_i descending (cost 0 counts as +inf, ties
    to the higher value, then the lower index; value-0 objects come last and are never taken),
    and every object that still fits is taken (skipping, not stopping). Ratios within a relative
    1e-9 of each other tie (see :func:`_greedy_order`); fitting is decided exactly.
    """
    v, c, b = _validate(values, costs, budget)
    n = v.size
    fin, fout = _forced_sets(force_in, force_out, n)
    w, b_int, _ = _exact_units(c, b)
    cap = _check_forced_budget(fin, w, b_int, c, b)
    order = _greedy_order([i for i in range(n) if i not in fin and i not in fout], v, c)
    taken = list(fin)
    for i in order:
        if v[i] > 0 and w[i] <= cap:
            taken.append(i)
            cap -= w[i]
    selected = sorted(taken)
    return GreedyResult(
        order=order,
        selected=selected,
        value=math.fsum(v[i] for i in selected),
        cost=math.fsum(c[i] for i in selected),
    )


# --------------------------------------------------------------------------------------------
# Cross-checks [S6.2]
# --------------------------------------------------------------------------------------------


def _require_integers(a: np.ndarray, name: str) -> None:
    frac = np.flatnonzero(a != np.floor(a))
    if frac.size:
        i = int(frac[0])
        raise InputError(f"{name}[{i}] is {a[i]:g}: the DP needs whole-number costs")


def knapsack_dp_int(values: object, costs: object, budget: object) -> float:
    """Optimal value by dynamic programming over integer capacities 0..budget [S6.2].

    Only for whole-number costs and budget (InputError otherwise, and for a budget above
    ``DP_MAX_BUDGET``): rounding real costs for a DP is not allowed [S6.1].
    """
    v, c, b = _validate(values, costs, budget)
    if b != math.floor(b):
        raise InputError(f"the budget is {b:g}: the DP needs a whole-number budget")
    if b > DP_MAX_BUDGET:
        raise InputError(f"the budget {b:g} is too large for the DP (at most {DP_MAX_BUDGET})")
    _require_integers(c, "costs")
    cap = int(b)
    best = np.zeros(cap + 1)  # best[k]: best value with total cost <= k
    for value, cost_f in zip(v.tolist(), c.tolist(), strict=True):
        if cost_f > cap:
            continue
        cost = int(cost_f)
        if cost == 0:
            best += value
        else:
            best[cost:] = np.maximum(best[cost:], best[: cap + 1 - cost] + value)
    return float(best[cap])


def knapsack_brute_force(values: object, costs: object, budget: object) -> tuple[float, list[list[int]]]:
    """Enumerate all 2^N subsets (N <= 22) [S6.2].

    Returns ``(best value, all optimal sets)``: every feasible set whose value is within the
    knapsack tolerance of the best, as ascending index lists, in order of the bit mask
    ``sum_i 2^i x_i``. Feasibility is decided exactly for the given numbers.
    """
    v, c, b = _validate(values, costs, budget)
    n = v.size
    if n > BRUTE_FORCE_MAX_N:
        raise InputError(f"brute force is limited to N <= {BRUTE_FORCE_MAX_N} objects (got {n})")
    sums_v = np.zeros(1)
    for k in range(n):
        sums_v = np.concatenate([sums_v, sums_v + v[k]])
    feasible = _brute_force_feasible(c, b)
    best = float(sums_v[feasible].max())
    optimal = np.flatnonzero(feasible & (sums_v >= best - knapsack_tolerance(best)))
    sets = [[k for k in range(n) if (m >> k) & 1] for m in optimal.tolist()]
    return best, sets


def _brute_force_feasible(c: np.ndarray, b: float) -> np.ndarray:
    """Boolean mask over all 2^N subsets: total cost <= budget, decided exactly."""
    n = c.size
    ints, b_int, _ = _exact_units(c, b)  # the same exact (decimal) semantics as the solver
    if sum(ints) < 2**62 and b_int < 2**62:
        sums = np.zeros(1, dtype=np.int64)
        for k in range(n):
            sums = np.concatenate([sums, sums + ints[k]])
        return sums <= b_int
    # huge exact integers: float sums, exact re-check of the subsets near the budget
    sums_f = np.zeros(1)
    for k in range(n):
        sums_f = np.concatenate([sums_f, sums_f + c[k]])
    band = 1e-12 * max(b, float(np.sum(c)))
    feasible = sums_f <= b - band
    for m in np.flatnonzero(np.abs(sums_f - b) <= band).tolist():
        feasible[m] = sum(ints[k] for k in range(n) if (m >> k) & 1) <= b_int
    return feasible
