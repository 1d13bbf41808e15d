"""Which departures of the committee's decided list from the model's list need a written reason
(issue 13).

An object is *moved* when the committee changed its place relative to the others, not merely
because another object was moved past it: the objects kept in the model's relative order are a
longest increasing subsequence of the model positions read in the decided order, and the moved
objects are the rest. Moving one object from 5th to 2nd therefore marks that object only, not the
three it passed. An object that changed tier needs a reason too, moved or not.

Pure: no Streamlit, no storage.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from prioritization.committee.model import DecidedEntry


def _kept_positions(positions: Sequence[int]) -> set[int]:
    """The values of the longest strictly increasing subsequence of ``positions`` (distinct ints)
    whose values are lexicographically smallest among all longest ones.

    Patience sorting run backwards gives, for each element, the length of the longest increasing
    subsequence that *starts* at it (its level). Elements of one level have decreasing values in
    input order (if an earlier one were smaller, it could start a longer run through the later
    one), so the lexicographically smallest longest subsequence takes, from level L down to 1, the
    smallest value of the level above the value taken before; that element always lies after the
    previous one (a smaller value in the same level lies later). O(N log N).
    """
    levels: list[list[int]] = []  # level r + 1: its values in input order (decreasing)
    tails: list[int] = []  # patience piles on the negated values, read from the end
    for value in reversed(positions):
        r = bisect_left(tails, -value)
        if r == len(tails):
            tails.append(-value)
            levels.append([])
        else:
            tails[r] = -value
        levels[r].append(value)  # read backwards: increasing, i.e. decreasing in input order
    kept: set[int] = set()
    previous = -1
    for level in reversed(levels):  # level L first; ``level`` is ascending
        value = level[bisect_right(level, previous)]
        kept.add(value)
        previous = value
    return kept


def moved_objects(model_order: Sequence[str], decided_order: Sequence[str]) -> set[str]:
    """The objects the committee moved: those outside a longest increasing subsequence of the model
    positions read in the decided order (issue 13).

    Moving one object up or down marks only that object. Tie-break among equally long
    subsequences: keep the objects the model ranked higher, that is the subsequence whose model
    positions are lexicographically smallest (so of two swapped neighbours the one the model ranked
    lower is marked; of a reversed list all but the model's first). Raises ValueError when the two
    orders do not hold the same objects once each.
    """
    if len(set(model_order)) != len(model_order) or len(set(decided_order)) != len(decided_order):
        raise ValueError("an object appears more than once in an order")
    if set(model_order) != set(decided_order):
        raise ValueError("the model's order and the decided order hold different objects")
    position = {oid: i for i, oid in enumerate(model_order)}
    kept = _kept_positions([position[oid] for oid in decided_order])
    return {oid for oid in model_order if position[oid] not in kept}


def _orders(entries: Sequence[DecidedEntry]) -> tuple[list[str], list[str]]:
    """The model's order and the decided order of ``entries``, ties read so that only a real
    departure counts: objects tied in the model (same ``model_rank``) are read in the decided order
    (the committee may order them as it likes); objects the committee ties (same ``rank``) are read
    in *reverse* model order, so tying an object with one the model ranked higher counts as moving
    it up. Remaining ties keep the entries' order."""
    index = {e.object: i for i, e in enumerate(entries)}
    model = sorted(entries, key=lambda e: (e.model_rank, e.rank, index[e.object]))
    decided = sorted(entries, key=lambda e: (e.rank, -e.model_rank, index[e.object]))
    return [e.object for e in model], [e.object for e in decided]


def moves(entries: Sequence[DecidedEntry]) -> list[str]:
    """The objects of the decided list that need a written reason, in decided order: those moved
    relative to the model's list (:func:`moved_objects` on ``model_rank`` against ``rank``, ties as
    in :func:`_orders`) and those whose tier differs from the model's tier (issue 13). Raises
    ValueError when an object appears twice."""
    if len({e.object for e in entries}) != len(entries):
        raise ValueError("an object appears more than once in the decided list")
    model, decided = _orders(entries)
    moved = moved_objects(model, decided)
    tier_changed = {e.object for e in entries if e.tier != e.model_tier}
    return [oid for oid in decided if oid in moved or oid in tier_changed]


def missing_reasons(entries: Sequence[DecidedEntry]) -> list[str]:
    """The objects that need a reason (:func:`moves`) but have none, or only blanks, in decided
    order (issue 13)."""
    reasons = {e.object: e.reason for e in entries}
    return [oid for oid in moves(entries) if not (reasons[oid] or "").strip()]
