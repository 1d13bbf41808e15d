"""Re-evaluation ("omprövas", issue 14): an object is flagged when, compared with the last decided
(or frozen) version, its cost changed by more than a set share (default 15 %), its planning stage
moved back or to *avbruten*, its evidence level changed, or a plan put it in phase *utgår* or *omtag*.

A flag is closed by a recorded decision (keep, rescore, remove) with a reason: a
:class:`~prioritization.planning.model.Review` against the same baseline whose changes are exactly
the flag's. A new change after that opens the flag again, with every change since the baseline.
Sources: SMART SCALE's change guide and NZ re-prioritisation (research/plan-round-2026.md §6 no. 7).
"""

from __future__ import annotations

from dataclasses import dataclass

from prioritization.model import InfraObject, Project
from prioritization.planning import vocab
from prioritization.planning.model import Review

COST, STAGE_BACK, CANCELLED, EVIDENCE, PHASE = "cost", "stage_back", "cancelled", "evidence", "phase"
TRIGGERS = (COST, STAGE_BACK, CANCELLED, EVIDENCE, PHASE)


@dataclass(frozen=True)
class Change:
    """One trigger: ``code`` (one of :data:`TRIGGERS`), the value in the baseline and now (as stored:
    MSEK as text, a stage, level or phase id; None when not stated) and, for a plan phase, the plan
    ("NP 2026–2037")."""

    code: str
    old: str | None
    new: str | None
    plan: str | None = None

    @property
    def key(self) -> str:
        """The change as a review records it: "cost:1000→1300", "phase[NP 2026–2037]:ongoing→rework"."""
        where = f"[{self.plan}]" if self.plan else ""
        return f"{self.code}{where}:{self.old or '–'}→{self.new or '–'}"


@dataclass(frozen=True)
class Flag:
    object: str
    changes: tuple[Change, ...]
    closed_by: Review | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_by is None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.changes)


def _num(x: float) -> str:
    return f"{x:g}" if abs(x) < 1e15 else repr(x)


def changes(now: InfraObject, before: InfraObject, cost_share: float = vocab.DEFAULT_COST_SHARE
            ) -> tuple[Change, ...]:
    """What triggers a re-evaluation of ``now`` compared with ``before`` (the same object in the
    baseline), in :data:`TRIGGERS` order."""
    out: list[Change] = []
    if now.cost is not None and before.cost is not None and before.cost > 0 \
            and abs(now.cost - before.cost) > cost_share * before.cost:
        out.append(Change(COST, _num(before.cost), _num(now.cost)))
    old_stage, new_stage = before.plan.stage, now.plan.stage
    old_rank, new_rank = vocab.stage_rank(old_stage), vocab.stage_rank(new_stage)
    if old_rank is not None and new_rank is not None and new_rank < old_rank:
        out.append(Change(STAGE_BACK, old_stage, new_stage))
    if new_stage == vocab.CANCELLED and old_stage != vocab.CANCELLED:
        out.append(Change(CANCELLED, old_stage, new_stage))
    if now.plan.evidence != before.plan.evidence:
        out.append(Change(EVIDENCE, before.plan.evidence, now.plan.evidence))
    for ref in now.plan.refs:
        earlier = before.plan.ref(*ref.key)
        old_phase = earlier.phase if earlier else None
        if ref.setback and ref.phase != old_phase:
            out.append(Change(PHASE, old_phase, ref.phase, f"{ref.plan} {ref.period}"))
    return tuple(out)


def flags(current: Project, baseline: Project, baseline_sha: str,
          cost_share: float = vocab.DEFAULT_COST_SHARE) -> list[Flag]:
    """Every object of ``current`` that is also in ``baseline`` and has changed enough to be
    re-evaluated, in the current object order; each flag closed or not by the object's reviews."""
    before = {o.id: o for o in baseline.objects}
    out: list[Flag] = []
    for o in current.objects:
        if o.id not in before:
            continue
        found = changes(o, before[o.id], cost_share)
        if not found:
            continue
        keys = sorted(c.key for c in found)
        review = next((r for r in reversed(o.plan.reviews)
                       if r.baseline == baseline_sha and sorted(r.changes) == keys), None)
        out.append(Flag(o.id, found, review))
    return out


def open_flags(found: list[Flag]) -> list[Flag]:
    return [f for f in found if f.is_open]
