"""Tiers (prioritetsnivåer, e.g. A/B/C) of the ranked list, set by the facilitator.

A tier set has ordered *levels*. A level may end at a rank ("A: ranks 1-5"); objects ranked after
every boundary fall in the last level if that level has no boundary. The facilitator may also
*assign* an object to a level by hand; an assignment wins over the boundaries. Tiers by boundary
follow the ranking in view (another weight profile gives other ranks and so other tiers); hand
assignments do not.

Pure domain code: used by the project file reader, storage, the exports and the dashboard.
"""

from __future__ import annotations

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


def problems(data: Any, object_ids: Sequence[str], path: str = "tiers") -> list[tuple[str, str]]:
    """Every problem of a format-v1 ``tiers`` value as ``(path, message)``; empty when valid."""
    out: list[tuple[str, str]] = []
    if not isinstance(data, dict):
        return [(path, "expected an object with 'levels' (and optionally 'assigned')")]
    for key in sorted(set(data) - {"levels", "assigned"}):
        out.append((f"{path}.{key}", "is not a known key (expected levels, assigned)"))
    levels = data.get("levels")
    labels: list[str] = []
    if not isinstance(levels, list) or not levels:
        out.append((f"{path}.levels", "expected a non-empty list of levels"))
        levels = []
    last_bound = 0
    for i, level in enumerate(levels):
        lp = f"{path}.levels[{i}]"
        if not isinstance(level, dict):
            out.append((lp, "expected an object with 'label' and optionally 'through_rank'"))
            continue
        for key in sorted(set(level) - {"label", "through_rank"}):
            out.append((f"{lp}.{key}", "is not a known key (expected label, through_rank)"))
        label = level.get("label")
        if not isinstance(label, str) or not label.strip():
            out.append((f"{lp}.label", "expected a non-empty text"))
        elif len(label) > MAX_LABEL:
            out.append((f"{lp}.label", f"is longer than {MAX_LABEL} characters"))
        elif label in labels:
            out.append((f"{lp}.label", f"{label!r} is used by an earlier level"))
        else:
            labels.append(label)
        bound = level.get("through_rank")
        if bound is None:
            if i < len(levels) - 1 and any(isinstance(x, dict) and x.get("through_rank") is not None
                                           for x in levels[i + 1:]):
                out.append((f"{lp}.through_rank", "only the last levels may be without a boundary"))
        elif isinstance(bound, bool) or not isinstance(bound, int) or bound < 1:
            out.append((f"{lp}.through_rank", f"expected a whole number from 1, got {bound!r}"))
        elif bound <= last_bound:
            out.append((f"{lp}.through_rank", f"{bound} must be greater than the previous boundary {last_bound}"))
        else:
            last_bound = bound
    assigned = data.get("assigned", {})
    if not isinstance(assigned, dict):
        out.append((f"{path}.assigned", "expected an object {object id: level label}"))
        assigned = {}
    known = set(object_ids)
    for oid, label in assigned.items():
        ap = f"{path}.assigned.{oid}"
        if oid not in known:
            out.append((ap, f"unknown object {oid!r}"))
        if not isinstance(label, str) or label not in labels:
            out.append((ap, f"{label!r} is not one of the levels ({', '.join(labels) or 'none'})"))
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
