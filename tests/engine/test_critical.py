"""Tests for the Triantaphyllou-Sanchez smallest weight change / critical criterion [S5c].

The hand-checkable example of the spec is reproduced with a V matrix derived by hand (below).
Every other reference is independent of the implementation: an exact rational-arithmetic loop
over ordered pairs using Theorem 1 and T&S's own feasibility rules, re-application of every
delta, and brute-force scans of delta.
"""

from fractions import Fraction

import numpy as np
import pytest

from prioritization.engine.critical import critical
from prioritization.engine.ranking import competition_ranks
from prioritization.engine.sensitivity import all_stability, competition_ranks_rows
from prioritization.errors import InputError

# ------------------------------------------------------------------------------------------
# The hand-checkable example of [S5c]
# ------------------------------------------------------------------------------------------
#
# P = (0.53, 0.57, 0.55), w = (0.5, 0.3, 0.2); 0-based alternatives A0, A1, A2, so A1 is first
# (T = {A1}) and the ordered pairs are (1,0) with P_1 - P_0 = 0.04, (1,2) with 0.02 and (2,0)
# with 0.02. Theorem 1: delta_{k,i,j} = (P_i - P_j)/(a_ik - a_jk), so each delta of the spec
# fixes one difference a_ik - a_jk:
#
# criterion 2 (W = .2): top delta -1/30 cannot come from (1,0) (it would need a difference of
#   -1.2, outside [0, 1]), so (1,2): a_12 - a_22 = 0.02/(-1/30) = -0.6. The any delta 1/45 must
#   then come from (2,0): a_22 - a_02 = 0.02/(1/45) = 0.9. Hence a_12 - a_02 = 0.3 and
#   delta(1,0) = 0.04/0.3 = 2/15 (larger, as required).
# criterion 0 (W = .5): any delta -0.04 from (2,0): a_20 - a_00 = -0.5 (from (1,0) it would
#   also be the top delta, from (1,2) it would be smaller than the top delta). Top delta -0.1
#   from (1,0): a_10 - a_00 = -0.4, so a_10 - a_20 = 0.1 and delta(1,2) = 0.2 (a feasible
#   decrease, 0.2 < 0.5, but larger in size).
# criterion 1 (W = .3): P_1 - P_0 = 0.04 = .5(-0.4) + .3 d + .2(0.3) gives a_11 - a_01 = 0.6, and
#   P_2 - P_0 = 0.02 = .5(-0.5) + .3 d' + .2(0.9) gives a_21 - a_01 = 0.3, so all three pairs have
#   delta = 1/15 (a triple tie; the smallest pair (1,0) is reported).
#
# Choosing a_02 = 0.1 and a_01 = 0.2, P_0 = 0.53 gives a_00 = (0.53 - 0.06 - 0.02)/0.5 = 0.9:
#   V = [[0.9, 0.2, 0.1], [0.5, 0.8, 0.4], [0.4, 0.5, 1.0]],  P = V w = (0.53, 0.57, 0.55).
# Decreases are feasible (t* > 0): e.g. for (2,0) on criterion 2 the rest scores (criteria 0, 1
# renormalised) are 0.35/0.8 < 0.51/0.8, so A2 is below A0 at W_2 = 0.
HAND_V = np.array([[0.9, 0.2, 0.1], [0.5, 0.8, 0.4], [0.4, 0.5, 1.0]])
HAND_W = np.array([0.5, 0.3, 0.2])


def test_hand_example_scores():
    np.testing.assert_allclose(HAND_V @ HAND_W, [0.53, 0.57, 0.55], atol=1e-15)


def test_hand_example_deltas_and_critical_criteria():
    res = critical(HAND_V, HAND_W)
    top = [c.top for c in res.criteria]
    anyc = [c.any for c in res.criteria]
    assert [c.delta for c in top] == pytest.approx([-0.1, 1 / 15, -1 / 30], abs=1e-12)
    assert [c.delta_percent for c in top] == pytest.approx([-20.0, 200 / 9, -50 / 3], abs=1e-9)
    assert [c.delta for c in anyc] == pytest.approx([-0.04, 1 / 15, 1 / 45], abs=1e-12)
    assert [c.delta_percent for c in anyc] == pytest.approx([-8.0, 200 / 9, 100 / 9], abs=1e-9)
    assert [c.pair for c in top] == [(1, 0), (1, 0), (1, 2)]
    assert [c.pair for c in anyc] == [(2, 0), (1, 0), (2, 0)]
    # t = (W - delta)/(1 - delta)
    assert [c.t for c in top] == pytest.approx([0.6 / 1.1, 0.25, (0.2 + 1 / 30) / (1 + 1 / 30)])
    assert (res.absolute_top, res.percent_top) == (2, 2)  # "criterion 3"
    assert (res.absolute_any, res.percent_any) == (2, 0)  # "criterion 3" and "criterion 1"
    assert [c.criticality_degree for c in res.criteria] == pytest.approx([8.0, 200 / 9, 100 / 9])
    assert [c.sensitivity_coefficient for c in res.criteria] == pytest.approx(
        [1 / 8, 9 / 200, 9 / 100]
    )


# ------------------------------------------------------------------------------------------
# Exact reference: T&S Theorem 1 over ordered pairs, rational arithmetic
# ------------------------------------------------------------------------------------------


def reference(vi, wi, levels):
    """Per criterion: (top, any) as (delta, pair) or None; exact fractions, exact ties."""
    n, m = vi.shape
    a = [[Fraction(int(x), levels) for x in row] for row in vi]
    total = sum(int(x) for x in wi)
    W = [Fraction(int(x), total) for x in wi]
    P = [sum(W[k] * a[i][k] for k in range(m)) for i in range(n)]
    best_p = max(P)
    out = []
    for k in range(m):
        cands = []  # (|delta|, (i, j), delta, i in top set)
        if W[k] != 1:
            for i in range(n):
                for j in range(n):
                    if i == j or a[i][k] == a[j][k]:
                        continue  # "no reversal via k if a_ik = a_jk" (and identical lines)
                    if P[i] == P[j]:
                        if i < j:  # tied at the base, non-identical lines: delta = 0
                            cands.append((Fraction(0), (i, j), Fraction(0), P[i] == best_p))
                        continue
                    if P[i] < P[j]:
                        continue
                    d = (P[i] - P[j]) / (a[i][k] - a[j][k])
                    if (d > 0 and d < W[k]) or d < 0:  # strict decrease; increases need W_k < 1
                        cands.append((abs(d), (i, j), d, P[i] == best_p))
        top = min((c for c in cands if c[3]), default=None, key=lambda c: (c[0], c[1]))
        anyc = min(cands, default=None, key=lambda c: (c[0], c[1]))
        out.append(((top[2], top[1]) if top else None, (anyc[2], anyc[1]) if anyc else None))
    return W, out


def ref_argmin(values):
    present = [(val, k) for k, val in enumerate(values) if val is not None]
    return min(present)[1] if present else None


def test_matches_exact_reference_on_random_grid_instances():
    rng = np.random.default_rng(42)
    levels = 4
    seen_ties = seen_zero_weight = seen_full_weight = 0
    for _ in range(150):
        n, m = int(rng.integers(1, 7)), int(rng.integers(1, 5))
        vi = rng.integers(0, levels + 1, size=(n, m))
        wi = rng.integers(0, 4, size=m)
        if wi.sum() == 0:
            wi[rng.integers(m)] = 2
        W, ref = reference(vi, wi, levels)
        res = critical(vi / levels, wi.astype(float))
        for k, (row, (rtop, rany)) in enumerate(zip(res.criteria, ref, strict=True)):
            assert row.weight == pytest.approx(float(W[k]), abs=1e-15)
            for got, exp in ((row.top, rtop), (row.any, rany)):
                if exp is None:
                    assert got is None
                    continue
                assert got.pair == exp[1]
                assert got.delta == pytest.approx(float(exp[0]), abs=1e-12)
                if W[k] == 0:
                    assert got.delta_percent is None
                    seen_zero_weight += 1
                else:
                    assert got.delta_percent == pytest.approx(float(100 * exp[0] / W[k]), abs=1e-9)
                seen_ties += exp[0] == 0
            seen_full_weight += W[k] == 1
        # critical criteria from exact magnitudes, ties to the lowest index
        tops = [None if r[0] is None else abs(r[0][0]) for r in ref]
        anys = [None if r[1] is None else abs(r[1][0]) for r in ref]
        pct = lambda d, k: None if d is None or W[k] == 0 else d / W[k]  # noqa: E731
        assert res.absolute_top == ref_argmin(tops)
        assert res.absolute_any == ref_argmin(anys)
        assert res.percent_top == ref_argmin([pct(d, k) for k, d in enumerate(tops)])
        assert res.percent_any == ref_argmin([pct(d, k) for k, d in enumerate(anys)])
    assert seen_ties > 10 and seen_zero_weight > 10 and seen_full_weight > 5


# ------------------------------------------------------------------------------------------
# Every delta re-applied produces a tie of its pair; brute-force scans agree
# ------------------------------------------------------------------------------------------


def apply_change(w, k, delta):
    """T&S: W_k* = W_k - delta, others unchanged, then renormalise."""
    changed = np.asarray(w, dtype=float) / np.sum(w)
    changed[k] -= delta
    assert changed[k] >= 0.0
    return changed / changed.sum()


def test_every_delta_reapplied_gives_a_tie():
    rng = np.random.default_rng(8)
    count = 0
    for _ in range(40):
        n, m = int(rng.integers(2, 9)), int(rng.integers(2, 6))
        v, w = rng.random((n, m)), rng.random(m)
        for row in critical(v, w).criteria:
            for change in (row.top, row.any):
                if change is None:
                    continue
                new_w = apply_change(w, row.criterion, change.delta)
                s = v @ new_w
                i, j = change.pair
                assert abs(s[i] - s[j]) <= 1e-12
                assert new_w[row.criterion] == pytest.approx(change.t, abs=1e-12)
                if change.delta > 0:
                    assert change.delta < row.weight  # strict: decreases stay above zero
                count += 1
    assert count > 200


def relations(s, eps=1e-9):
    d = s[..., :, None] - s[..., None, :]
    return np.where(d > eps, 1, np.where(d < -eps, -1, 0))


def test_brute_force_delta_scan_agrees():
    """Scan delta on a fine grid (both directions), apply the T&S change directly and find the
    smallest |delta| at which the ranking (or the top set) changes."""
    rng = np.random.default_rng(2024)
    step = 2e-4
    for _ in range(25):
        n, m = int(rng.integers(2, 7)), int(rng.integers(2, 5))
        v, w = rng.random((n, m)), rng.random(m)
        wn = w / w.sum()
        base_rel = relations(v @ wn)
        base_top = competition_ranks(v @ wn) == 1
        res = critical(v, w)
        for row in res.criteria:
            k, wk = row.criterion, row.weight
            deltas = np.r_[np.arange(step, wk, step), -np.arange(step, 5.0, step)]
            new_w = np.repeat(wn[None, :], deltas.size, axis=0)
            new_w[:, k] -= deltas
            new_w /= new_w.sum(axis=1, keepdims=True)
            scores = new_w @ v.T
            rel_changed = np.any(relations(scores) != base_rel, axis=(1, 2))
            ranks = competition_ranks_rows(scores, 1e-9)  # checked against the shared ranking
            top_changed = np.any((ranks == 1) != base_top, axis=1)
            for change, changed in ((row.any, rel_changed), (row.top, top_changed)):
                size = np.abs(deltas)
                if change is None:
                    assert not changed.any()
                    continue
                d = abs(change.delta)
                # nothing changes before |delta|, and the change is seen right after it
                assert not changed[size < d - 1e-9].any()
                if d < 5.0 - 2 * step:
                    same_side = np.sign(deltas) == np.sign(change.delta)
                    after = same_side & (size > d + 1e-9) & (size < d + step + 1e-9)
                    assert changed[after].all() and after.any()


# ------------------------------------------------------------------------------------------
# Consistency with the stability intervals and special cases
# ------------------------------------------------------------------------------------------


def test_smallest_change_is_the_nearer_stability_end():
    rng = np.random.default_rng(77)
    for _ in range(30):
        v, w = rng.random((6, 4)), rng.random(4)
        for row, st_ in zip(critical(v, w).criteria, all_stability(v, w), strict=True):
            for change, deltas, pairs in (
                (row.top, st_.top_delta, st_.top_limiting_pairs),
                (row.any, st_.ranking_delta, st_.ranking_limiting_pairs),
            ):
                feasible = [d for d, p in zip(deltas, pairs, strict=True) if p is not None]
                if not feasible:
                    assert change is None
                    continue
                assert abs(change.delta) == pytest.approx(min(abs(d) for d in feasible), abs=1e-12)


def test_full_weight_criterion_has_no_feasible_change():
    v = np.array([[0.9, 0.1], [0.2, 0.8], [0.5, 0.3]])
    res = critical(v, np.array([1.0, 0.0]))
    first, second = res.criteria
    assert first.top is None and first.any is None
    assert first.criticality_degree is None and first.sensitivity_coefficient == 0.0
    # Criterion 1 has weight 0, so only increases. P = (0.9, 0.2, 0.5). Theorem 1:
    # (0,1): 0.7/(0.1 - 0.8) = -1; (0,2): 0.4/(0.1 - 0.3) = -2; (2,1): 0.3/(0.3 - 0.8) = -0.6.
    assert second.top.delta == pytest.approx(-1.0) and second.top.pair == (0, 1)
    assert second.any.delta == pytest.approx(-0.6) and second.any.pair == (2, 1)
    assert second.top.delta_percent is None and second.criticality_degree is None
    assert second.sensitivity_coefficient == 0.0
    assert res.absolute_top == 1 and res.percent_top is None and res.percent_any is None
    # single criterion: nothing can change
    single = critical(np.array([[0.2], [0.4]]), np.array([3.0]))
    assert single.criteria[0].any is None and single.absolute_any is None


def test_tie_at_base_is_a_zero_change():
    v = np.array([[1.0, 0.0], [0.0, 1.0], [0.2, 0.2]])
    res = critical(v, np.array([1.0, 1.0]))
    for row in res.criteria:
        assert row.top.delta == 0.0 and row.top.pair == (0, 1)
        assert row.any.delta == 0.0 and row.top.t == pytest.approx(0.5)
        assert row.criticality_degree == 0.0 and row.sensitivity_coefficient is None
    assert res.absolute_top == 0 and res.percent_any == 0  # ties between criteria: lowest index


def test_identical_objects_never_count():
    v = np.array([[0.6, 0.3], [0.6, 0.3], [0.1, 0.9]])
    res = critical(v, np.array([0.5, 0.5]))
    for row in res.criteria:
        for change in (row.top, row.any):
            assert change is None or set(change.pair) != {0, 1}


def test_single_object_and_validation():
    res = critical(np.array([[0.3, 0.6]]), np.array([1.0, 1.0]))
    assert all(r.top is None and r.any is None for r in res.criteria)
    assert res.absolute_top is None and res.percent_any is None
    with pytest.raises(InputError, match="sum to zero"):
        critical(np.ones((2, 2)), np.zeros(2))
    with pytest.raises(InputError, match="negative"):
        critical(np.ones((2, 2)), np.array([-1.0, 2.0]))
