"""Validated value objects of a prioritisation project.

Instances are created by :mod:`prioritization.projectfile` (which validates) or by storage. They are
immutable; names and ids are opaque strings kept exactly as given [S0.1].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from prioritization.committee.model import Committee
from prioritization.engine.normalize import CriterionSpec
from prioritization.planning.model import EMPTY as NO_PLAN_DATA
from prioritization.planning.model import PlanData
from prioritization.tiers import Tiers
from prioritization.timeline.follow_up import FollowUp
from prioritization.timeline.milestones import Milestone

CANDIDATE = "candidate"
COMMITTED = "committed"
COMPLETED = "completed"
WITHDRAWN = "withdrawn"
PARKED = "parked"  # set aside by the screening before scoring (issue 13): listed apart, never ranked
OBJECT_STATUSES = (CANDIDATE, COMMITTED, COMPLETED, WITHDRAWN, PARKED)
AGGREGATIONS = ("mean", "median", "geometric")
WEIGHT_METHODS = ("direct", "swing", "roc", "rank_sum", "ahp")
AHP_VARIANTS = ("eigen", "geometric")


@dataclass(frozen=True)
class Criterion:
    """A criterion the objects are scored on (spec S1): ``direction`` "benefit" (more is better) or
    "cost"; ``scale`` the score range, or None for free numbers (then ``normalization`` says how
    values are brought to 0-1); ``guidance`` the scoring aid per level; ``weight_bounds`` and
    ``uncertainty`` feed the sensitivity analysis. ``*_en`` are the English texts, when given."""

    id: str
    name: str
    direction: str
    scale: tuple[float, float] | None = None
    normalization: str | None = None
    group: str | None = None
    description: str | None = None
    guidance: dict[str, str] = field(default_factory=dict)
    weight_bounds: tuple[float, float] | None = None
    uncertainty: float | None = None
    name_en: str | None = None
    group_en: str | None = None
    description_en: str | None = None

    @property
    def spec(self) -> CriterionSpec:
        return CriterionSpec(self.direction, self.normalization, self.scale)

    def label(self, lang: str = "sv") -> str:
        """The criterion's name in ``lang`` (:func:`localized`)."""
        return localized(self.name, self.name_en, lang)

    def group_label(self, lang: str = "sv") -> str | None:
        """The criterion's group in ``lang`` (:func:`localized`), or None."""
        return None if self.group is None else localized(self.group, self.group_en, lang)


@dataclass(frozen=True)
class WeightSpec:
    """How the weights are elicited; :func:`prioritization.analysis.resolve_weights` computes them."""

    method: str
    points: dict[str, float] | None = None  # direct / swing
    ranks: dict[str, int] | None = None  # roc / rank_sum
    matrix: tuple[tuple[float, ...], ...] | None = None  # ahp, criteria order
    variant: str = "eigen"
    ri_table: str | None = None


@dataclass(frozen=True)
class WeightProfile:
    """A named alternative set of weights (e.g. "Lika vikter"), compared with the weights in use."""

    id: str
    name: str
    weights: WeightSpec
    description: str | None = None


def localized(name: str, english: Any, lang: str) -> str:
    """A name in ``lang``: the English text when English is asked for and one is given (a non-empty
    string), else the name. The one rule for names in a language (objects, criteria, groups)."""
    return english if lang == "en" and isinstance(english, str) and english else name


def scored(data: Mapping[str, Any] | None) -> bool:
    """Only candidate objects are scored; committed, completed and withdrawn ones are ranked apart or
    gone. The one rule for a project-file object dict (an :class:`InfraObject` has ``is_candidate``)."""
    return (data or {}).get("status", CANDIDATE) == CANDIDATE


def illustrative_cost(cost: float | None, attributes: Any) -> bool:
    """A made-up example cost: a cost with the attribute ``cost_illustrative: true`` (issue 11 #15).
    The one rule, for an object and for its project-file dict alike."""
    return cost is not None and isinstance(attributes, Mapping) and attributes.get("cost_illustrative") is True


@dataclass(frozen=True)
class InfraObject:
    """A candidate or already prioritised transport infrastructure object."""

    id: str
    name: str
    cost: float | None = None  # MSEK
    status: str = CANDIDATE
    attributes: dict[str, Any] = field(default_factory=dict)
    plan: PlanData = NO_PLAN_DATA  # its place in the plan process (issue 14; prioritization.planning)

    @property
    def is_candidate(self) -> bool:
        return self.status == CANDIDATE

    @property
    def cost_is_illustrative(self) -> bool:
        """The cost is a made-up example (attribute ``cost_illustrative: true``), not from a source:
        shown as such wherever the cost is shown (issue 11 #15)."""
        return illustrative_cost(self.cost, self.attributes)

    def label(self, lang: str = "sv") -> str:
        """The object's name in ``lang``: the attribute ``name_en`` when asked for (:func:`localized`)."""
        return localized(self.name, self.attributes.get("name_en"), lang)


@dataclass(frozen=True)
class Participant:
    """Someone who scores (in the Södertörn process an official of a member municipality); ``weights``
    are the participant's own weights, kept apart from the weights in use."""

    id: str
    name: str
    organisation: str | None = None
    weights: WeightSpec | None = None  # the participant's own weights (not the weights in use)


class Score(NamedTuple):
    """One score of one cell (object x criterion) by a participant, or the agreed score (participant
    None); value None is "vet ej" (unknown).

    A named tuple rather than a frozen dataclass like the other values: a round holds one per
    record (30 000 at 200 objects x 15 criteria x 10 participants), and a tuple is made in C, about
    3x faster than a frozen dataclass (whose ``__init__`` sets each field through
    ``object.__setattr__``) and in about half the memory (issue 15). Change one with ``_replace``."""

    object: str
    criterion: str
    participant: str | None  # None = agreed (consensus) score
    value: float | None  # None = unknown ("vet ej")
    comment: str | None = None


@dataclass(frozen=True)
class Project:
    """A prioritisation round as a project file describes it (docs/project-file.md): criteria, weights
    and weight profiles, objects, participants and their scores, tiers, the timeline and the
    follow-up of prioritised objects. Immutable; :mod:`prioritization.projectfile` reads and writes it."""

    name: str
    criteria: tuple[Criterion, ...]
    weights: WeightSpec
    objects: tuple[InfraObject, ...]
    participants: tuple[Participant, ...] = ()
    scores: tuple[Score, ...] = ()
    aggregation: str = "mean"
    weight_profiles: tuple[WeightProfile, ...] = ()
    tiers: Tiers | None = None
    milestones: tuple[Milestone, ...] = ()  # timeline (prioritization.timeline.milestones)
    follow_up: tuple[FollowUp, ...] = ()  # follow-up tracks of objects after the decision
    committee: Committee = field(default_factory=Committee)  # municipal input, anchoring, decision (issue 13)
    description: str | None = None
    data_label: str | None = None

    @property
    def candidates(self) -> tuple[InfraObject, ...]:
        return tuple(o for o in self.objects if o.is_candidate)

    @property
    def committed(self) -> tuple[InfraObject, ...]:
        return tuple(o for o in self.objects if o.status == COMMITTED)

    @property
    def parked(self) -> tuple[InfraObject, ...]:
        """Objects the screening set aside (issue 13): listed apart, never scored or ranked."""
        return tuple(o for o in self.objects if o.status == PARKED)

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def object(self, object_id: str) -> InfraObject:
        for o in self.objects:
            if o.id == object_id:
                return o
        raise KeyError(object_id)

    def profile(self, profile_id: str) -> WeightProfile:
        for p in self.weight_profiles:
            if p.id == profile_id:
                return p
        raise KeyError(profile_id)

    def milestone(self, milestone_id: str) -> Milestone:
        for m in self.milestones:
            if m.id == milestone_id:
                return m
        raise KeyError(milestone_id)

    def follow_up_of(self, object_id: str) -> FollowUp | None:
        """The follow-up track of an object, or None if it is not followed up."""
        return next((f for f in self.follow_up if f.object == object_id), None)
