"""Local input points, the priority score and the exact shares at which the list changes (issue 13)."""

import numpy as np
import pytest

from prioritization.engine.local_points import (
    ShareBreakpoint,
    boundary_breakpoints,
    first_change,
    first_place_breakpoints,
    local_scores,
    priority_scores,
    share_breakpoints,
)
from prioritization.engine.ranking import competition_ranks, display_order
from prioritization.engine.sensitivity import competition_ranks_rows

# The 3-object hand example: 2 municipalities, cap 40, so n * cap = 80.
#   points A 40, B 20, C 0  ->  L = 40/80, 20/80, 0/80 = 0.5, 0.25, 0
#   T = 0.5, 0.8, 0.6
POINTS3 = np.array([40, 20, 0])
T3 = np.array([0.5, 0.8, 0.6])
L3 = np.array([0.5, 0.25, 0.0])
A, B, C = 0, 1, 2


def test_local_scores_hand_example():
    assert local_scores(POINTS3, 2, 40) == pytest.approx(L3)
    # one municipality, cap 10: 7 points -> 0.7; the cap from everyone -> exactly 1
    assert local_scores(np.array([7, 10, 0]), 1, 10) == pytest.approx([0.7, 1.0, 0.0])


def test_priority_scores_hand_example():
    # s = 0.3:  A 0.7*0.5 + 0.3*0.5  = 0.35 + 0.15  = 0.5
    #           B 0.7*0.8 + 0.3*0.25 = 0.56 + 0.075 = 0.635
    #           C 0.7*0.6 + 0.3*0    = 0.42
    assert priority_scores(T3, L3, 0.3) == pytest.approx([0.5, 0.635, 0.42])
    # the ends: s = 0 is T, s = 1 is L
    assert priority_scores(T3, L3, 0.0) == pytest.approx(T3)
    assert priority_scores(T3, L3, 1.0) == pytest.approx(L3)


def test_ranks_change_with_the_share():
    # s = 0: T ranks B (0.8), C (0.6), A (0.5); s = 0.3: B 0.635, A 0.5, C 0.42; s = 1: L ranks A, B, C
    assert competition_ranks(priority_scores(T3, L3, 0.0)).tolist() == [3, 1, 2]
    assert competition_ranks(priority_scores(T3, L3, 0.3)).tolist() == [2, 1, 3]
    assert competition_ranks(priority_scores(T3, L3, 1.0)).tolist() == [1, 2, 3]
    assert display_order(priority_scores(T3, L3, 0.3)).tolist() == [B, A, C]


def test_first_place_breakpoint_is_the_hand_solved_crossing():
    # A overtakes B where (T_A - T_B) / ((T_A - T_B) - (L_A - L_B)) = (-0.3) / (-0.3 - 0.25) = 6/11.
    # Below 0.3 nobody reaches B: A is flat at 0.5 and C ends at 0.6 < B's 0.8 at s = 0.
    below, above = first_place_breakpoints(T3, L3, 0.3)
    assert below is None
    assert above == ShareBreakpoint(share=pytest.approx(6 / 11), kind="first", through_rank=None, direction="up",
                                    enters=(A,), leaves=(B,))


def test_tie_convention_the_breakpoint_is_where_the_challenger_ties_first():
    (_, above) = first_place_breakpoints(T3, L3, 0.3)
    s_star = above.share
    # at s* both share the first place (competition ranks 1, 1), just beyond A is first alone
    assert competition_ranks(priority_scores(T3, L3, s_star))[[A, B]].tolist() == [1, 1]
    assert competition_ranks(priority_scores(T3, L3, s_star + 1e-6))[[A, B]].tolist() == [1, 2]
    assert competition_ranks(priority_scores(T3, L3, s_star - 1e-6))[[A, B]].tolist() == [2, 1]


def test_a_tie_reached_exactly_at_share_one_counts():
    # a = 0.5 flat, b = 0.7 - 0.2 s: equal only at s = (0.5 - 0.7) / ((0.5 - 0.7) - 0) = 1
    t, loc = np.array([0.5, 0.7]), np.array([0.5, 0.5])
    below, above = first_place_breakpoints(t, loc, 0.3)
    assert below is None
    assert above is not None and above.share == 1.0 and above.enters == (0,) and above.leaves == (1,)


# The 4-object example for a tier boundary at k = 2 (s = 0.2):
#   lines a = 0.9 - 0.7 s, b = 0.7 - 0.4 s, c = 0.6 + 0.3 s, d = 0.2 + 0.3 s
#   at 0.2: a 0.76, b 0.62, c 0.66, d 0.26  ->  ranks a 1, c 2, b 3, d 4; top 2 = {a, c}
#   up:   a and c cross at 0.3 = 0.3/1.0 (inside the top 2: no change), then b reaches a at
#         0.2/0.3 = 2/3 (c is at 0.8 there): b enters, a leaves; d only reaches a at 0.7
#   down: b reaches c at 0.1/0.7 = 1/7 (a is at 0.8 there): b enters, c leaves
#   first place: c reaches a at 0.3 going up; going down a only rises: none
T4 = np.array([0.9, 0.7, 0.6, 0.2])
L4 = np.array([0.2, 0.3, 0.9, 0.5])
a, b, c, d = 0, 1, 2, 3


def test_tier_boundary_breakpoint_at_rank_two():
    assert competition_ranks(priority_scores(T4, L4, 0.2)).tolist() == [1, 3, 2, 4]
    below, above = boundary_breakpoints(T4, L4, 0.2, 2)
    assert below == ShareBreakpoint(pytest.approx(1 / 7), "boundary", 2, "down", (b,), (c,))
    assert above == ShareBreakpoint(pytest.approx(2 / 3), "boundary", 2, "up", (b,), (a,))
    # just past each breakpoint the top-2 set is the new one
    assert set(np.flatnonzero(competition_ranks(priority_scores(T4, L4, 2 / 3 + 1e-6)) <= 2)) == {b, c}
    assert set(np.flatnonzero(competition_ranks(priority_scores(T4, L4, 1 / 7 - 1e-6)) <= 2)) == {a, b}


def test_nearest_change_over_first_place_and_boundaries():
    assert first_place_breakpoints(T4, L4, 0.2) == (None, ShareBreakpoint(pytest.approx(0.3), "first", None, "up",
                                                                           (c,), (a,)))
    below, above = share_breakpoints(T4, L4, 0.2, boundaries=[2])
    assert (below.kind, below.share) == ("boundary", pytest.approx(1 / 7))
    assert (above.kind, above.share) == ("first", pytest.approx(0.3))
    # 0.2 - 1/7 = 0.057 is nearer than 0.3 - 0.2 = 0.1
    assert first_change(T4, L4, 0.2, [2]) == below
    # without the boundary only the first place counts
    assert first_change(T4, L4, 0.2) == above
    # a boundary at or beyond the number of objects never changes
    assert boundary_breakpoints(T4, L4, 0.2, 4) == (None, None)


def test_no_breakpoint_when_lines_never_cross_in_the_range():
    # a is above b and c at both ends (0.9 > 0.5 > 0.1 at s = 0, 0.8 > 0.4 > 0 at s = 1)
    t, loc = np.array([0.9, 0.5, 0.1]), np.array([0.8, 0.4, 0.0])
    assert first_place_breakpoints(t, loc, 0.5) == (None, None)
    assert share_breakpoints(t, loc, 0.5, [1, 2]) == (None, None)
    assert first_change(t, loc, 0.5, [2]) is None
    # 0.9 - 0.3 s and 0.3 + 0.1 s cross only at s = 0.6 / 0.4 = 1.5, outside [0, 1]
    assert first_place_breakpoints(np.array([0.9, 0.3]), np.array([0.6, 0.4]), 0.5) == (None, None)


def test_identical_lines_never_cross_and_a_single_object_never_changes():
    t, loc = np.array([0.6, 0.6, 0.2]), np.array([0.6, 0.6, 0.3])
    assert competition_ranks(priority_scores(t, loc, 0.4)).tolist() == [1, 1, 3]
    assert first_place_breakpoints(t, loc, 0.4) == (None, None)
    assert first_place_breakpoints(np.array([0.4]), np.array([0.9]), 0.3) == (None, None)
    assert first_change(np.array([0.4]), np.array([0.9]), 0.3, [1]) is None


def test_objects_tied_at_the_current_share_split_at_once():
    # at s = 0.5: 0.5*0.4 + 0.5*0.8 = 0.6 and 0.5*0.8 + 0.5*0.4 = 0.6, tied first; the first rises with s
    t, loc = np.array([0.4, 0.8, 0.1]), np.array([0.8, 0.4, 0.1])
    assert competition_ranks(priority_scores(t, loc, 0.5)).tolist() == [1, 1, 3]
    below, above = first_place_breakpoints(t, loc, 0.5)
    assert below == ShareBreakpoint(0.5, "first", None, "down", (1,), (0,))
    assert above == ShareBreakpoint(0.5, "first", None, "up", (0,), (1,))
    # both on the current share: the tie is reported below (the documented order)
    assert first_change(t, loc, 0.5) == below
    # the boundary at 2 holds both whichever way s moves: no change there
    assert boundary_breakpoints(t, loc, 0.5, 2) == (None, None)


def test_identical_lines_straddling_a_boundary():
    # k = 2, s = 0.1: A = 0.9 - 0.8 s (0.82), B1 = B2 = 0.5 + 0.4 s (0.54), C = 0.1 flat.
    # Ranks 1, 2, 2, 4: all of A, B1, B2 are above the boundary. B meets A at 0.4 / 1.2 = 1/3; beyond,
    # B1 and B2 share rank 1 and A is 3rd: A leaves the top 2 and nobody enters.
    t, loc = np.array([0.9, 0.5, 0.5, 0.1]), np.array([0.1, 0.9, 0.9, 0.1])
    assert boundary_breakpoints(t, loc, 0.1, 2) == (None, ShareBreakpoint(pytest.approx(1 / 3), "boundary", 2, "up",
                                                                         (), (0,)))
    assert first_place_breakpoints(t, loc, 0.1)[1] == ShareBreakpoint(pytest.approx(1 / 3), "first", None, "up",
                                                                      (1, 2), (0,))


def test_shares_at_the_ends_have_nothing_beyond():
    assert first_place_breakpoints(T3, L3, 1.0)[1] is None
    assert first_place_breakpoints(T3, L3, 0.0)[0] is None
    # from s = 0 going up the same crossing as from 0.3
    assert first_place_breakpoints(T3, L3, 0.0)[1].share == pytest.approx(6 / 11)


@pytest.mark.parametrize("share", [-0.1, 1.1, float("nan"), "0.3"])
def test_a_share_outside_zero_one_raises(share):
    with pytest.raises(ValueError):
        priority_scores(T3, L3, share)
    with pytest.raises(ValueError):
        share_breakpoints(T3, L3, share)


@pytest.mark.parametrize("points, n, cap", [
    (np.array([1, 2]), 0, 40),  # no municipality
    (np.array([1, 2]), 2, 0),  # cap below one
    (np.array([1, -2]), 2, 40),  # negative points
    (np.array([81, 0]), 2, 40),  # more than 2 x 40
    (np.array([1.5, 0]), 2, 40),  # not whole
])
def test_bad_points_raise(points, n, cap):
    with pytest.raises(ValueError):
        local_scores(points, n, cap)


def test_bad_score_arrays_and_boundaries_raise():
    with pytest.raises(ValueError):
        priority_scores(np.array([0.1, 0.2]), np.array([0.1]), 0.3)
    with pytest.raises(ValueError):
        priority_scores(np.array([0.1, np.nan]), np.array([0.1, 0.2]), 0.3)
    with pytest.raises(ValueError):
        boundary_breakpoints(T3, L3, 0.3, 0)
    with pytest.raises(ValueError):
        share_breakpoints(T3, L3, 0.3, [2, True])


# --- the brute-force cross-check ----------------------------------------------------------------

GRID = np.linspace(0.0, 1.0, 20_001)
STEP = GRID[1] - GRID[0]


def _grid_first_change(sets: np.ndarray, start: np.ndarray, idx: np.ndarray) -> tuple[int | None, int | None]:
    """(grid index of the first set that differs from ``start``, the grid index before it), walking ``idx``."""
    changed = np.any(sets[idx] != start, axis=1)
    if not changed.any():
        return None, None
    pos = int(np.argmax(changed))
    return int(idx[pos]), (int(idx[pos - 1]) if pos else None)


@pytest.mark.parametrize("seed", range(60))
def test_exact_breakpoints_agree_with_a_fine_grid(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 9))
    t = rng.uniform(0.0, 1.0, n)
    # realistic local scores: whole points of 5 municipalities with a cap of 40
    loc = local_scores(rng.integers(0, 201, n), 5, 40)
    share = float(np.round(rng.uniform(0.05, 0.95), 3))
    grid = GRID
    # P on every grid share, (len(GRID), N), the same arithmetic as priority_scores
    ranks = competition_ranks_rows((1.0 - grid)[:, None] * t[None, :] + grid[:, None] * loc[None, :], 1e-9)
    now = competition_ranks(priority_scores(t, loc, share))
    for k in range(1, n):
        sets = ranks <= k
        start = now <= k
        both = first_place_breakpoints(t, loc, share) if k == 1 else boundary_breakpoints(t, loc, share, k)
        for direction, idx, bp in (("up", np.flatnonzero(grid > share), both[1]),
                                   ("down", np.flatnonzero(grid < share)[::-1], both[0])):
            g, g_before = _grid_first_change(sets, start, idx)
            if g is None:
                assert bp is None, (k, direction, bp)
                continue
            assert bp is not None, (k, direction, GRID[g])
            assert bp.direction == direction
            previous = share if g_before is None else GRID[g_before]
            lo, hi = sorted((previous, GRID[g]))
            assert lo - 1e-12 <= bp.share <= hi + 1e-12, (k, direction, bp.share, GRID[g])
            assert abs(bp.share - GRID[g]) <= STEP + 1e-12
            if GRID[g] != bp.share:  # strictly past the crossing: the swap is the one the grid sees
                assert bp.enters == tuple(np.flatnonzero(sets[g] & ~start))
                assert bp.leaves == tuple(np.flatnonzero(start & ~sets[g]))


def test_a_thousand_objects():
    # N = 1000: for the first place and each boundary, the set is unchanged on 2 001 shares strictly between
    # the current share and the breakpoint, and changed just past it
    rng = np.random.default_rng(7)
    t = rng.uniform(0.0, 1.0, 1000)
    loc = local_scores(rng.integers(0, 201, 1000), 5, 40)
    share = 0.3
    now = competition_ranks(priority_scores(t, loc, share))
    checked = 0
    for k in (1, 10, 50, 200):
        pair = first_place_breakpoints(t, loc, share) if k == 1 else boundary_breakpoints(t, loc, share, k)
        for bp in pair:
            if bp is None:
                continue
            between = np.linspace(share, bp.share, 2_003)[1:-1]
            ranks = competition_ranks_rows((1.0 - between)[:, None] * t + between[:, None] * loc, 1e-9)
            assert np.all((ranks <= k) == (now <= k))
            past = bp.share + (1e-7 if bp.direction == "up" else -1e-7)
            assert np.any((competition_ranks(priority_scores(t, loc, past)) <= k) != (now <= k))
            checked += 1
    assert checked >= 4
