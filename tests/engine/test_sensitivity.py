"""Tests for one-at-a-time weight lines [S5a] and exact weight stability intervals [S5b].

Reference values come from independent computations: exact rational arithmetic (fractions) for
the crossing points, direct re-weighting w(t) for the scores, and brute-force scans of t with
the shared ranking function for the stability intervals.
"""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prioritization.engine.ranking import competition_ranks
from prioritization.engine.sensitivity import (
    all_breakpoints,
    all_stability,
    competition_ranks_rows,
    oat,
    oat_scores,
    stability,
    ts_delta,
)
from prioritization.errors import InputError

# V and w of the hand-checkable example of [S5c] (derivation in test_critical.py):
# P = V w = (0.53, 0.57, 0.55).
HAND_V = np.array([[0.9, 0.2, 0.1], [0.5, 0.8, 0.4], [0.4, 0.5, 1.0]])
HAND_W = np.array([0.5, 0.3, 0.2])


# ------------------------------------------------------------------------------------------
# helpers: independent references
# ------------------------------------------------------------------------------------------


def weights_at(w: np.ndarray, j: int, t: float) -> np.ndarray:
    """The proportional re-weighting of [S5a] written out directly (w sums to 1)."""
    w = np.asarray(w, dtype=float) / np.sum(w)
    m = w.size
    out = np.empty(m)
    others = np.arange(m) != j
    if w[others].sum() == 0:
        out[others] = (1 - t) / (m - 1)
    else:
        out[others] = w[others] * (1 - t) / w[others].sum()
    out[j] = t
    return out


def scores_direct(v: np.ndarray, w: np.ndarray, j: int, ts: np.ndarray) -> np.ndarray:
    return np.array([v @ weights_at(w, j, t) for t in ts])


def grid_instance(rng: np.random.Generator, n: int, m: int, levels: int = 4):
    """Values on a coarse grid k/levels and small integer weights: many exact ties, touching
    lines, identical lines and coincident crossings; all exactly representable as fractions."""
    vi = rng.integers(0, levels + 1, size=(n, m))
    wi = rng.integers(0, 4, size=m)
    if wi.sum() == 0:
        wi[rng.integers(m)] = 1
    return vi, wi, vi / levels, wi.astype(float)


def exact_crossings(vi, wi, levels: int, j: int) -> dict[Fraction, set[tuple[int, int]]]:
    """Crossing points of the lines computed in exact rational arithmetic [S5a]."""
    n, m = vi.shape
    vf = [[Fraction(int(x), levels) for x in row] for row in vi]
    wf = [Fraction(int(x)) for x in wi]
    rest_total = sum(wf[k] for k in range(m) if k != j)
    if rest_total == 0:
        share = [Fraction(1, m - 1) if k != j else Fraction(0) for k in range(m)]
    else:
        share = [wf[k] / rest_total if k != j else Fraction(0) for k in range(m)]
    rest = [sum(share[k] * vf[i][k] for k in range(m)) for i in range(n)]
    out: dict[Fraction, set[tuple[int, int]]] = {}
    for i in range(n):
        for k in range(i + 1, n):
            d0, d1 = rest[i] - rest[k], vf[i][j] - vf[k][j]
            if d0 != 0 and d1 != 0 and (d0 > 0) != (d1 > 0):
                out.setdefault(d0 / (d0 - d1), set()).add((i, k))
    return out


# ------------------------------------------------------------------------------------------
# validation
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "v, w, message",
    [
        (np.ones((2, 2)), np.zeros(2), "sum to zero"),
        (np.ones((2, 2)), np.array([1.0, -0.1]), "negative"),
        (np.ones((2, 2)), np.array([1.0, 1.0, 1.0]), "expected 2 weights"),
        (np.array([[1.0, np.nan], [0.0, 1.0]]), np.ones(2), "finite"),
        (np.ones((0, 2)), np.ones(2), "at least one alternative"),
        (np.ones(3), np.ones(3), "two-dimensional"),
    ],
)
def test_invalid_input_is_rejected(v, w, message):
    for call in (lambda: oat(v, w, 0), lambda: stability(v, w, 0), lambda: all_stability(v, w)):
        with pytest.raises(InputError, match=message):
            call()


def test_criterion_index_is_checked():
    with pytest.raises(InputError, match="out of range"):
        oat(np.ones((2, 2)), np.ones(2), 2)
    with pytest.raises(InputError, match="out of range"):
        stability(np.ones((2, 2)), np.ones(2), -1)


# ------------------------------------------------------------------------------------------
# S5a: the lines
# ------------------------------------------------------------------------------------------


def test_lines_equal_direct_reweighting_and_pass_through_base():
    rng = np.random.default_rng(1)
    v, w = rng.random((6, 4)), rng.random(4) * 3  # unnormalised weights on purpose
    ts = np.array([0.0, 0.1, 0.37, 0.8, 1.0])
    for j in range(4):
        np.testing.assert_allclose(oat_scores(v, w, j, ts), scores_direct(v, w, j, ts), atol=1e-14)
        res = oat(v, w, j)
        np.testing.assert_allclose(res.scores_at(res.weight), v @ (w / w.sum()), atol=1e-14)
        np.testing.assert_allclose(res.scores_at(1.0), v[:, j], atol=1e-15)
    assert oat_scores(v, w, 0, 0.5).shape == (6,)


def test_weight_one_splits_the_remainder_equally():
    v = np.array([[0.2, 1.0, 0.0], [0.6, 0.0, 0.4], [0.5, 0.5, 0.5]])
    w = np.array([1.0, 0.0, 0.0])
    res = oat(v, w, 0)
    assert res.weight == 1.0
    np.testing.assert_allclose(res.rest, v[:, 1:].mean(axis=1))
    np.testing.assert_allclose(res.scores_at(0.25), 0.75 * v[:, 1:].mean(axis=1) + 0.25 * v[:, 0])
    # rest scores (0.5, 0.2, 0.5) vs own (0.2, 0.6, 0.5): pair (0,1) crosses at t = 0.3/0.7,
    # pair (1,2) at 0.3/0.4; pair (0,2) touches at t = 0 only.
    assert [b.t for b in res.breakpoints] == pytest.approx([3 / 7, 3 / 4], abs=1e-15)
    assert [b.crossings for b in res.breakpoints] == [[(0, 1)], [(1, 2)]]


def test_single_criterion_is_not_applicable():
    res = oat(np.array([[0.1], [0.9]]), np.array([2.0]), 0)
    assert res.applicable is False
    assert res.breakpoints == [] and res.intervals == []
    with pytest.raises(InputError, match="not applicable"):
        res.scores_at(0.5)
    with pytest.raises(InputError, match="not applicable"):
        oat_scores(np.array([[0.1], [0.9]]), np.array([1.0]), 0, 1.0)


def test_touching_and_identical_lines_give_no_breakpoint():
    # Criterion 0 varied. Objects 0 and 1: same value on criterion 0 (touch at t = 1).
    # Objects 0 and 2: same rest score (touch at t = 0). Objects 0 and 3: identical rows.
    v = np.array(
        [
            [0.5, 0.4, 0.6],
            [0.5, 0.9, 0.9],
            [0.1, 0.6, 0.4],
            [0.5, 0.4, 0.6],
        ]
    )
    w = np.array([0.2, 0.4, 0.4])
    res = oat(v, w, 0)
    all_pairs = {p for b in res.breakpoints for p in b.crossings}
    assert all_pairs.isdisjoint({(0, 1), (0, 2), (0, 3), (1, 3), (2, 3)})
    # the only genuine crossing: rest (0.5, 0.9, 0.5, 0.5) vs own (0.5, 0.5, 0.1, 0.5) -> none
    assert res.breakpoints == []
    assert len(res.intervals) == 1 and (res.intervals[0].lo, res.intervals[0].hi) == (0.0, 1.0)


def test_three_pairs_meeting_at_one_point_form_one_breakpoint():
    # Hand example of [S5c], criterion 1: all three pairs tie at t = 0.25 (delta = 1/15).
    res = oat(HAND_V, HAND_W, 1)
    assert len(res.breakpoints) == 1
    assert res.breakpoints[0].t == pytest.approx(0.25, abs=1e-15)
    assert res.breakpoints[0].crossings == [(0, 1), (0, 2), (1, 2)]


@pytest.mark.parametrize("gap, merged", [(1e-13, True), (1e-10, False)])
def test_breakpoints_closer_than_1e12_are_merged(gap, merged):
    # Criterion 0 varied with w = (.5, .5): line i goes from v_i1 (t = 0) to v_i0 (t = 1).
    # Pair (0,1) crosses at t = 0.5; pair (2,3) at 0.3/(0.1 + s) = 0.5 + gap. The other pairs
    # cross at 2/3, 0.3/(0.3 + s) ~ 0.375, 0.6/1.4 and 0.7/(0.7 + s) ~ 0.583.
    s = 0.3 / (0.5 + gap) - 0.1
    v = np.array([[0.0, 1.0], [1.0, 0.0], [0.2, 0.6], [s, 0.3]])
    res = oat(v, np.array([0.5, 0.5]), 0)
    near = [b for b in res.breakpoints if abs(b.t - 0.5) < 1e-6]
    if merged:
        assert len(near) == 1 and near[0].crossings == [(0, 1), (2, 3)]
        assert near[0].t == pytest.approx(0.5, abs=1e-15)
    else:
        assert [b.crossings for b in near] == [[(0, 1)], [(2, 3)]]
        assert near[1].t - near[0].t == pytest.approx(gap, rel=1e-4)
    assert len(res.breakpoints) == len(near) + 4


def test_breakpoints_equal_exact_crossings_on_random_grid_instances():
    rng = np.random.default_rng(20240601)
    levels = 4
    checked = 0
    for _ in range(60):
        n, m = int(rng.integers(2, 8)), int(rng.integers(2, 5))
        vi, wi, v, w = grid_instance(rng, n, m, levels)
        for res in all_breakpoints(v, w):
            exact = exact_crossings(vi, wi, levels, res.criterion)
            ts = sorted(exact)
            assert len(res.breakpoints) == len(ts)
            for b, t in zip(res.breakpoints, ts, strict=True):
                assert b.t == pytest.approx(float(t), abs=1e-12)
                assert b.crossings == sorted(exact[t])
            checked += len(ts)
    assert checked > 50  # the instances really contain crossings


def test_ranking_is_constant_on_each_interval_and_changes_at_breakpoints():
    rng = np.random.default_rng(7)
    for _ in range(25):
        n, m = int(rng.integers(2, 8)), int(rng.integers(2, 5))
        _, _, v, w = grid_instance(rng, n, m)
        for res in all_breakpoints(v, w):
            edges = [iv.lo for iv in res.intervals] + [res.intervals[-1].hi]
            assert edges[0] == 0.0 and edges[-1] == 1.0
            assert edges[1:-1] == [b.t for b in res.breakpoints]
            batch = res.interval_ranks()
            for row, iv in enumerate(res.intervals):
                np.testing.assert_array_equal(batch[row], iv.ranks)
                for f in (0.05, 0.3, 0.5, 0.7, 0.95):
                    t = iv.lo + f * (iv.hi - iv.lo)
                    direct = competition_ranks(scores_direct(v, w, res.criterion, [t])[0])
                    np.testing.assert_array_equal(direct, iv.ranks)
            for a, b in zip(res.intervals[:-1], res.intervals[1:], strict=True):
                assert not np.array_equal(a.ranks, b.ranks)


def test_row_wise_ranks_match_the_shared_ranking():
    rng = np.random.default_rng(3)
    s = rng.integers(0, 4, size=(50, 9)) / 3.0
    s[:, 2] += 5e-10  # inside the tie epsilon
    got = competition_ranks_rows(s, 1e-9)
    for row, ranks in zip(s, got, strict=True):
        np.testing.assert_array_equal(ranks, competition_ranks(row, 1e-9))


# ------------------------------------------------------------------------------------------
# S5b: stability intervals
# ------------------------------------------------------------------------------------------


def scan_stability(v, w, j, ts):
    """Brute force: at which t is the ranking / the top set unchanged (shared ranking)."""
    base = competition_ranks(v @ (w / w.sum()))
    top = base == 1
    ranks = competition_ranks_rows(scores_direct(v, w, j, ts), 1e-9)
    same_ranking = np.all(ranks == base, axis=1)
    top_kept = np.all(ranks[:, top] == 1, axis=1)
    return top_kept, same_ranking


def assert_consistent_with_scan(v, w, res, ts):
    top_ok, rank_ok = scan_stability(v, w, res.criterion, ts)
    for (lo, hi), ok in ((res.top, top_ok), (res.ranking, rank_ok)):
        assert lo <= res.weight <= hi
        inside = (ts > lo + 1e-9) & (ts < hi - 1e-9)
        assert ok[inside].all(), "unchanged everywhere strictly inside"
        assert not ok[(ts < lo - 1e-9) | (ts > hi + 1e-9)].any(), "changed everywhere outside"
    # the ranking interval is never wider than the top interval
    assert res.top[0] <= res.ranking[0] and res.ranking[1] <= res.top[1]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 6), m=st.integers(2, 4))
def test_stability_agrees_with_brute_force_scan(seed, n, m):
    rng = np.random.default_rng(seed)
    _, _, v, w = grid_instance(rng, n, m)
    ts = np.linspace(0.0, 1.0, 2001)
    for res in all_stability(v, w):
        assert_consistent_with_scan(v, w, res, ts)


def test_interior_ends_tie_and_flip():
    """Just inside an interior end nothing changes, just outside the order changes [S5b]."""
    rng = np.random.default_rng(11)
    h = 1e-6
    checked = 0
    for _ in range(20):
        v, w = rng.random((6, 4)), rng.random(4)
        for res in all_stability(v, w):
            j = res.criterion
            base = competition_ranks(v @ (w / w.sum()))
            top = base == 1
            for (lo, hi), pairs, kind in (
                (res.ranking, res.ranking_limiting_pairs, "ranking"),
                (res.top, res.top_limiting_pairs, "top"),
            ):
                for end, pair, inward in ((lo, pairs[0], +1), (hi, pairs[1], -1)):
                    if pair is None:
                        assert end in (0.0, 1.0)
                        continue
                    s_in, s_out = scores_direct(v, w, j, [end + inward * h, end - inward * h])
                    s_end = scores_direct(v, w, j, [end])[0]
                    assert abs(s_end[pair[0]] - s_end[pair[1]]) < 1e-12, "the binding pair ties"
                    r_in, r_out = competition_ranks(s_in), competition_ranks(s_out)
                    if kind == "ranking":
                        np.testing.assert_array_equal(r_in, base)
                        assert not np.array_equal(r_out, base)
                    else:
                        assert np.all(r_in[top] == 1) and not np.all(r_out[top] == 1)
                    checked += 1
    assert checked > 100


def test_strictly_ordered_base_gives_enclosing_breakpoints():
    rng = np.random.default_rng(5)
    for _ in range(20):
        v, w = rng.random((8, 3)), rng.random(3)
        assert len(set(competition_ranks(v @ (w / w.sum())))) == 8  # strictly ordered
        for res, st_ in zip(all_breakpoints(v, w), all_stability(v, w), strict=True):
            ts = np.array([0.0] + [b.t for b in res.breakpoints] + [1.0])
            below, above = ts[ts < res.weight], ts[ts > res.weight]
            assert st_.ranking[0] == pytest.approx(below.max(), abs=1e-12)
            assert st_.ranking[1] == pytest.approx(above.min(), abs=1e-12)


def test_tie_at_base_forces_a_single_point():
    # Objects 0 and 1 tie at 0.5 with different lines; they form the top set.
    v = np.array([[1.0, 0.0], [0.0, 1.0], [0.2, 0.2]])
    w = np.array([1.0, 1.0])
    for j in range(2):
        res = stability(v, w, j)
        assert res.top == (0.5, 0.5) and res.ranking == (0.5, 0.5)
        assert res.top_limiting_pairs == ((0, 1), (0, 1))
        assert res.ranking_limiting_pairs == ((0, 1), (0, 1))
        assert res.top_delta == (0.0, 0.0) and res.ranking_delta == (0.0, 0.0)


def test_tie_below_the_top_only_pins_the_ranking():
    # Objects 1 and 2 tie at 0.4 (different lines); object 0 leads clearly.
    v = np.array([[0.9, 0.9], [0.8, 0.0], [0.0, 0.8]])
    w = np.array([1.0, 1.0])
    res = stability(v, w, 0)
    assert res.ranking == (0.5, 0.5) and res.ranking_limiting_pairs == ((1, 2), (1, 2))
    assert res.top == (0.0, 1.0) and res.top_limiting_pairs == (None, None)


def test_identical_objects_impose_nothing():
    rng = np.random.default_rng(9)
    v, w = rng.random((5, 3)), rng.random(3)
    top = int(np.argmax(v @ w))
    v_dup = np.vstack([v, v[top], v[2]])  # duplicate the leader and another object
    for a, b in zip(all_stability(v, w), all_stability(v_dup, w), strict=True):
        assert b.top == pytest.approx(a.top, abs=1e-15)
        assert b.ranking == pytest.approx(a.ranking, abs=1e-15)


def test_hand_example_stability_from_ts_deltas():
    """Ends derived by hand from the T&S deltas of [S5c] via t = (W - delta)/(1 - delta)."""
    t = lambda wk, d: (wk - d) / (1 - d)  # noqa: E731
    s0, s1, s2 = all_stability(HAND_V, HAND_W)
    # criterion 0 (W = .5): pair (1,2) ties after decreasing by 0.2, (0,1) after increasing by 0.1,
    # (0,2) after increasing by 0.04.
    assert s0.top == pytest.approx((t(0.5, 0.2), t(0.5, -0.1)), abs=1e-14)
    assert s0.ranking == pytest.approx((t(0.5, 0.2), t(0.5, -0.04)), abs=1e-14)
    assert s0.top_limiting_pairs == ((1, 2), (0, 1))
    assert s0.ranking_limiting_pairs == ((1, 2), (0, 2))
    assert s0.top_delta == pytest.approx((0.2, -0.1), abs=1e-14)
    assert s0.ranking_delta == pytest.approx((0.2, -0.04), abs=1e-14)
    # criterion 1 (W = .3): all three pairs tie at t = 0.25; first pair row-major binds; no
    # increase changes anything.
    assert s1.ranking == pytest.approx((0.25, 1.0), abs=1e-14)
    assert s1.ranking_limiting_pairs == ((0, 1), None)
    assert s1.top_limiting_pairs == ((0, 1), None)
    assert s1.ranking_delta[0] == pytest.approx(1 / 15, abs=1e-14) and s1.ranking_delta[1] is None
    # criterion 2 (W = .2): top kept between (0,1) decrease 2/15 and (1,2) increase 1/30.
    assert s2.top == pytest.approx((t(0.2, 2 / 15), t(0.2, -1 / 30)), abs=1e-14)
    assert s2.ranking == pytest.approx((t(0.2, 1 / 45), t(0.2, -1 / 30)), abs=1e-14)


def test_deltas_reproduce_the_end_weights():
    rng = np.random.default_rng(21)
    v, w = rng.random((7, 4)), rng.random(4)
    wn = w / w.sum()
    for res in all_stability(v, w):
        for end, delta in zip(res.ranking + res.top, res.ranking_delta + res.top_delta, strict=True):
            if end == 1.0:
                assert delta is None
                continue
            changed = wn.copy()
            changed[res.criterion] -= delta  # T&S: change one weight, then renormalise
            assert changed[res.criterion] / changed.sum() == pytest.approx(end, abs=1e-12)
    assert ts_delta(0.3, 1.0) is None


def test_single_criterion_and_single_object():
    res = stability(np.array([[0.3], [0.7]]), np.array([1.0]), 0)
    assert res.top == (1.0, 1.0) and res.ranking == (1.0, 1.0)
    assert res.top_delta == (None, None)
    res = stability(np.array([[0.3, 0.1]]), np.array([1.0, 3.0]), 1)
    assert res.top == (0.0, 1.0) and res.ranking == (0.0, 1.0)
    assert res.ranking_limiting_pairs == (None, None)


def test_zero_and_full_weight_cases_agree_with_scan():
    ts = np.linspace(0.0, 1.0, 4001)
    v = np.array([[0.9, 0.1, 0.5], [0.2, 0.8, 0.6], [0.5, 0.5, 0.1], [0.4, 0.3, 0.9]])
    for w in (np.array([1.0, 0.0, 0.0]), np.array([0.0, 2.0, 1.0]), np.array([0.0, 0.0, 1.0])):
        for res in all_stability(v, w):
            assert_consistent_with_scan(v, w, res, ts)
