"""The model's list the committee's decision is set beside (issue 13): every ranked candidate with the
rank and tier the model gives it. Pure: storage computes it from the decided frozen version's
project, so a decision records the model's ranks as they were, never as a caller claims them.
"""

from __future__ import annotations

from prioritization import analysis
from prioritization.committee import priority
from prioritization.model import Project


def model_list(project: Project) -> list[tuple[str, int, str | None]]:
    """``(object id, model rank, model tier)`` for every candidate, best first.

    The rank is the weighted-sum rank (:func:`prioritization.analysis.rank`, the weights in use);
    when the round has local input points (``project.committee.points`` and member municipalities)
    it is the rank by the priority score (1 − s)·T + s·L (:func:`prioritization.committee.priority.
    priority_list`). The tier is ``project.tiers.tier_for(object, rank)`` (None without tiers).
    Raises :class:`prioritization.errors.InputError` when the candidates cannot be ranked (e.g. a
    cell nobody scored)."""
    listed = priority.priority_list(project)
    if listed is not None:
        ranked = [(row.object.id, row.rank) for row in listed.rows]
    else:
        ranked = [(r.object.id, r.rank) for r in analysis.rank(project).ranked]
    tiers = project.tiers
    return [(oid, rank, tiers.tier_for(oid, rank) if tiers else None) for oid, rank in ranked]
