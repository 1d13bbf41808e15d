"""Tiers (prioritetsnivåer, e.g. A/B/C) of the ranked list, set by the facilitator.

A tier set has ordered *levels*. A level may end at a rank ("A: ranks 1-5"); objects ranked after
every boundary fall in the last level if that level has no boundary. The facilitator may also
*assign* an object to a level by hand; an assignment wins over the boundaries. Tiers by boundary
follow the ranking in view (another weight profile gives other ranks and so other tiers); hand
assignments do not.

Pure domain code: used by the project file reader, storage, the exports and the dashboard.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

MAX_LABEL = 40


@dataclass(frozen=True)
class TierLevel:
    label: str
    through_rank: int | None = None  # the last rank (inclusive) in this level; None = no boundary


@dataclass(frozen=True)
class Tiers:
    levels: tuple[TierLevel, ...] = ()
    assigned: Mapping[str, str] = field(default_factory=dict)  # object id -> level label

    def __bool__(self) -> bool:
        return bool(self.levels)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(level.label for level in self.levels)

    def tier_for(self, object_id: str, rank: int) -> str | None:
        """The level of an object at ``rank`` (1-based competition rank)."""
        if object_id in self.assigned:
            return self.assigned[object_id]
        for level in self.levels:
            if level.through_rank is not None and rank <= level.through_rank:
                return level.label
        if self.levels and self.levels[-1].through_rank is None:
            return self.levels[-1].label
        return None

    def assign(self, ranked: Iterable[tuple[str, int]]) -> dict[str, str]:
        """``{object id: label}`` for ``(object id, rank)`` pairs; objects without a tier are left out."""
        out = {}
        for oid, rank in ranked:
            label = self.tier_for(oid, rank)
            if label is not None:
                out[oid] = label
        return out


@dataclass(frozen=True)
class TierProblem:
    path: str  # e.g. "tiers.levels[1].through_rank"
    code: str  # for translated messages in the UI, e.g. "bound_not_increasing"
    message: str  # English, for the project file reader and the CLI
    params: Mapping[str, Any] = field(default_factory=dict)


def problems(data: Any, object_ids: Sequence[str], path: str = "tiers") -> list[TierProblem]:
    """Every problem of a format-v1 ``tiers`` value; empty when valid."""
    out: list[TierProblem] = []

    def add(p: str, code: str, message: str, **params) -> None:
        out.append(TierProblem(p, code, message, params))

    if not isinstance(data, dict):
        add(path, "not_object", "expected an object with 'levels' (and optionally 'assigned')")
        return out
    for key in sorted(set(data) - {"levels", "assigned"}):
        add(f"{path}.{key}", "unknown_key", "is not a known key (expected levels, assigned)", key=key)
    levels = data.get("levels")
    labels: list[str] = []
    if not isinstance(levels, list) or not levels:
        add(f"{path}.levels", "levels_empty", "expected a non-empty list of levels")
        levels = []
    last_bound = 0
    for i, level in enumerate(levels):
        lp = f"{path}.levels[{i}]"
        if not isinstance(level, dict):
            add(lp, "level_not_object", "expected an object with 'label' and optionally 'through_rank'", row=i + 1)
            continue
        for key in sorted(set(level) - {"label", "through_rank"}):
            add(f"{lp}.{key}", "unknown_key", "is not a known key (expected label, through_rank)", key=key)
        label = level.get("label")
        if not isinstance(label, str) or not label.strip():
            add(f"{lp}.label", "label_empty", "expected a non-empty text", row=i + 1)
        elif len(label) > MAX_LABEL:
            add(f"{lp}.label", "label_long", f"is longer than {MAX_LABEL} characters", row=i + 1, limit=MAX_LABEL)
        elif label in labels:
            add(f"{lp}.label", "label_duplicate", f"{label!r} is used by an earlier level", row=i + 1, label=label)
        else:
            labels.append(label)
        bound = level.get("through_rank")
        if bound is None:
            if any(isinstance(x, dict) and x.get("through_rank") is not None for x in levels[i + 1:]):
                add(f"{lp}.through_rank", "open_not_last", "only the last levels may be without a boundary",
                    row=i + 1)
        elif isinstance(bound, bool) or not isinstance(bound, int) or bound < 1:
            add(f"{lp}.through_rank", "bound_not_whole", f"expected a whole number from 1, got {bound!r}",
                row=i + 1, value=bound)
        elif bound <= last_bound:
            add(f"{lp}.through_rank", "bound_not_increasing",
                f"{bound} must be greater than the previous boundary {last_bound}", row=i + 1, value=bound,
                previous=last_bound)
        else:
            last_bound = bound
    assigned = data.get("assigned", {})
    if not isinstance(assigned, dict):
        add(f"{path}.assigned", "assigned_not_object", "expected an object {object id: level label}")
        assigned = {}
    known = set(object_ids)
    for oid, label in assigned.items():
        ap = f"{path}.assigned.{oid}"
        if oid not in known:
            add(ap, "unknown_object", f"unknown object {oid!r}", object=oid)
        if not isinstance(label, str) or label not in labels:
            add(ap, "unknown_label", f"{label!r} is not one of the levels ({', '.join(labels) or 'none'})",
                object=oid, label=label)
    return out


def from_dict(data: Mapping[str, Any]) -> Tiers:
    """A validated format-v1 ``tiers`` value as :class:`Tiers` (check :func:`problems` first)."""
    levels = tuple(TierLevel(x["label"], x.get("through_rank")) for x in data["levels"])
    return Tiers(levels, dict(data.get("assigned", {})))


def to_dict(tiers: Tiers) -> dict[str, Any]:
    d: dict[str, Any] = {"levels": [{"label": level.label,
                                     **({"through_rank": level.through_rank} if level.through_rank is not None
                                        else {})} for level in tiers.levels]}
    if tiers.assigned:
        d["assigned"] = dict(sorted(tiers.assigned.items()))
    return d


def drop_objects(data: Mapping[str, Any], object_ids: Iterable[str]) -> dict[str, Any]:
    """``data`` without hand assignments of objects that are no longer in the round."""
    keep = set(object_ids)
    out = dict(data)
    if isinstance(out.get("assigned"), dict):
        out["assigned"] = {k: v for k, v in out["assigned"].items() if k in keep}
        if not out["assigned"]:
            del out["assigned"]
    return out


def ranks_within(ranks: Sequence[int], labels: Sequence[str | None]) -> list[int | None]:
    """The place within the tier ("Plats inom nivån") of each object, None for an object without a tier.

    ``ranks`` are competition ranks, ``labels`` the objects' tier labels (same order). The place is
    the competition rank inside the tier: 1 + the number of same-tier objects ranked strictly
    better, so objects tied in the ranking share their place. Used by the dashboard and every export.
    """
    by_label: dict[str, list[int]] = {}
    for rank, label in zip(ranks, labels, strict=True):
        if label is not None:
            by_label.setdefault(label, []).append(rank)
    for values in by_label.values():
        values.sort()
    return [None if label is None else 1 + bisect_left(by_label[label], rank) for rank, label in zip(ranks, labels, strict=True)]


def label_order(tiers: Tiers | None, labels: Iterable[str | None]) -> list[str]:
    """The tier labels in use, in the project's order of levels (A before B before C, whatever the
    names); a label that is not a level of ``tiers`` follows in order of first appearance."""
    seen = list(dict.fromkeys(label for label in labels if label is not None))
    levels = [label for label in (tiers.labels if tiers else ()) if label in seen]
    return levels + [label for label in seen if label not in levels]
