"""The priority list with local input points (issue 13): per candidate object the technical score T
(the weighted sum the dashboard ranks by), the local score L = points given / (municipalities ×
cap) and the priority score (1 − s)·T + s·L, with the rank each gives, and the nearest share s at
which the first place or a tier boundary would change. The one home of these figures: the
dashboard, the exports, ``prioritization rank`` and the decision's model list all call
:func:`priority_list`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from prioritization import analysis
from prioritization.engine import local_points as lp
from prioritization.engine.ranking import competition_ranks, display_order
from prioritization.errors import InputError
from prioritization.model import InfraObject, Project


@dataclass(frozen=True)
class PriorityRow:
    """One candidate object's three scores and the ranks they give (1 = best, competition ranks)."""

    object: InfraObject
    points: int  # points all municipalities gave it
    technical: float  # T, the weighted sum in [0, 1]
    local: float  # L in [0, 1]
    priority: float  # (1 - s)·T + s·L
    technical_rank: int
    local_rank: int
    rank: int  # by the priority score


@dataclass(frozen=True)
class ShareChange:
    """A share s at which the priority list changes (:class:`prioritization.engine.local_points.
    ShareBreakpoint` with object ids): ``kind`` "first" (the first place) or "boundary" (the set of
    the first ``through_rank`` objects, a tier boundary); ``enters`` and ``leaves`` are the objects
    that swap there, ``direction`` "up" or "down" from the current share."""

    share: float
    kind: str
    through_rank: int | None
    direction: str
    enters: tuple[str, ...]
    leaves: tuple[str, ...]


@dataclass(frozen=True)
class PriorityList:
    """The candidates in the order of the priority score (ties by input order), the share used and
    the nearest share below and above at which the first place or a tier boundary changes."""

    share: float
    budget: int
    cap: int
    municipalities: int
    rows: tuple[PriorityRow, ...]
    below: ShareChange | None
    above: ShareChange | None

    def row(self, object_id: str) -> PriorityRow:
        return next(r for r in self.rows if r.object.id == object_id)


def tier_boundaries(project: Project) -> tuple[int, ...]:
    """The ranks at which a tier ends (the levels' ``through_rank``), in order."""
    if not project.tiers:
        return ()
    return tuple(level.through_rank for level in project.tiers.levels if level.through_rank is not None)


def priority_list(project: Project, ranking: analysis.Ranking | None = None) -> PriorityList | None:
    """The priority list of ``project``, or None when the round has no local input points.

    ``ranking`` is the weighted-sum ranking already computed for the weights in view (default: the
    weights in use); its scores are T. Raises :class:`prioritization.errors.InputError` when the
    ranking is not a weighted sum (T is defined as the weighted sum)."""
    committee = project.committee
    if committee.points is None or not committee.municipalities:
        return None
    ranking = ranking if ranking is not None else analysis.rank(project, "wsm")
    if ranking.method != "wsm":
        raise InputError("local input points combine with the weighted sum only (method wsm)")
    objects = [r.object for r in ranking.ranked]
    # the ranking is in display order; work in the candidates' input order so ties keep it
    order = {o.id: i for i, o in enumerate(project.candidates)}
    objects.sort(key=lambda o: order[o.id])
    by_id = {r.object.id: r.score for r in ranking.ranked}
    technical = np.array([by_id[o.id] for o in objects], dtype=float)
    given = committee.points_given()
    points = np.array([given.get(o.id, 0) for o in objects], dtype=float)
    local = lp.local_scores(points, len(committee.municipalities), committee.points.cap)
    share = committee.points.share
    priority = lp.priority_scores(technical, local, share)
    t_rank, l_rank, p_rank = competition_ranks(technical), competition_ranks(local), competition_ranks(priority)
    rows = tuple(PriorityRow(objects[i], int(points[i]), float(technical[i]), float(local[i]), float(priority[i]),
                             int(t_rank[i]), int(l_rank[i]), int(p_rank[i])) for i in display_order(priority))
    ids = [o.id for o in objects]

    def change(b: lp.ShareBreakpoint | None) -> ShareChange | None:
        return None if b is None else ShareChange(float(b.share), b.kind, b.through_rank, b.direction,
                                                  tuple(ids[i] for i in b.enters), tuple(ids[i] for i in b.leaves))

    below, above = lp.share_breakpoints(technical, local, share, tier_boundaries(project))
    return PriorityList(share, committee.points.budget, committee.points.cap, len(committee.municipalities), rows,
                        change(below), change(above))
