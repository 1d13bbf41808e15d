"""Analysis of a timeline relative to a day ``today``: lateness, warnings, the countdown to the
decision, what comes next, and the order and critical chain of the dependencies.

Every function takes the milestones (validated, e.g. ``project.milestones``) and, where time
matters, ``today`` explicitly, so results are reproducible. The functions return ids, dates and
codes, not sentences: the UI words them through the i18n catalogue (keys ``timeline.warning.*``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from prioritization.timeline.milestones import DONE, Milestone

DECISION_THRESHOLD_DAYS = 60  # "the remaining time to the decision is short" below this many days

# warning codes
DEPENDENCY_OPEN = "dependency_open"  # started (start passed) although a dependency is not done
DECISION_SOON = "decision_soon"  # fewer than the threshold days left until the decision starts
DECISION_LATE = "decision_late"  # the decision's end has passed and it is not done
LATE_MILESTONE = "late"  # any other milestone that is late
WARNING_CODES = (DEPENDENCY_OPEN, DECISION_SOON, DECISION_LATE, LATE_MILESTONE)


@dataclass(frozen=True)
class TimelineWarning:
    """One warning. ``params`` fill the placeholders of the i18n text ``timeline.warning.<code>``:
    ``dependency_open`` {milestone, dependency}; ``decision_soon`` {milestone, days}; ``decision_late``
    and ``late`` {milestone, days} (days since the end)."""

    code: str
    milestone: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Countdown:
    """Days from ``today`` to the decision milestone (negative once passed)."""

    milestone: Milestone
    days_to_start: int
    days_to_end: int
    status: str  # effective status on ``today``

    @property
    def ongoing(self) -> bool:
        return self.days_to_start <= 0 <= self.days_to_end and self.status != DONE


def _index(milestones: Sequence[Milestone]) -> dict[str, Milestone]:
    return {m.id: m for m in milestones}


def effective_statuses(milestones: Sequence[Milestone], today: date) -> dict[str, str]:
    """``{id: effective status}``: stored status, or ``late`` if not done and the end has passed."""
    return {m.id: m.effective_status(today) for m in milestones}


def late(milestones: Sequence[Milestone], today: date) -> list[Milestone]:
    """Milestones that are late on ``today``, in input order."""
    return [m for m in milestones if m.is_late(today)]


def decision_milestone(milestones: Sequence[Milestone]) -> Milestone | None:
    """The committee's decision milestone.

    The milestone flagged ``decision: true``; without a flag, the first internal milestone whose
    Swedish title starts with "Beslut"; else the internal milestone that ends last; None if there
    is no internal milestone.
    """
    for m in milestones:
        if m.decision:
            return m
    internal = [m for m in milestones if m.is_internal]
    for m in internal:
        if m.title_sv.strip().lower().startswith("beslut"):
            return m
    if not internal:
        return None
    return max(internal, key=lambda m: (m.end, m.start))  # max keeps the first of equals


def countdown(milestones: Sequence[Milestone], today: date) -> Countdown | None:
    """Days to the start and the end of the decision milestone, or None without one."""
    d = decision_milestone(milestones)
    if d is None:
        return None
    return Countdown(d, (d.start - today).days, (d.end - today).days, d.effective_status(today))


def open_dependencies(m: Milestone, milestones: Sequence[Milestone]) -> list[Milestone]:
    """The milestones ``m`` depends on that are not done (stored status)."""
    index = _index(milestones)
    return [index[d] for d in m.depends_on if d in index and not index[d].is_done]


def warnings(milestones: Sequence[Milestone], today: date, *,
             decision_threshold_days: int = DECISION_THRESHOLD_DAYS) -> list[TimelineWarning]:
    """Everything that needs attention on ``today``, in a stable order:

    1. ``dependency_open``: a milestone that is not done, whose start has passed (start ≤ today),
       depends on one that is not done; one warning per such dependency;
    2. ``decision_soon``: the decision is not done and starts within ``decision_threshold_days``
       days (0 ≤ days to start < threshold);
    3. ``decision_late``: the decision's end has passed and it is not done;
    4. ``late``: every other late milestone (not done, end passed).
    """
    out: list[TimelineWarning] = []
    for m in milestones:
        if m.is_done or m.start > today:
            continue
        for dep in open_dependencies(m, milestones):
            out.append(TimelineWarning(DEPENDENCY_OPEN, m.id, {"milestone": m.id, "dependency": dep.id}))
    d = decision_milestone(milestones)
    if d is not None and not d.is_done:
        days = (d.start - today).days
        if 0 <= days < decision_threshold_days:
            out.append(TimelineWarning(DECISION_SOON, d.id, {"milestone": d.id, "days": days}))
        if d.is_late(today):
            out.append(TimelineWarning(DECISION_LATE, d.id, {"milestone": d.id, "days": max(0, (today - d.end).days)}))
    for m in milestones:
        if m is not d and m.is_late(today):
            out.append(TimelineWarning(LATE_MILESTONE, m.id, {"milestone": m.id, "days": max(0, (today - m.end).days)}))
    return out


def next_up(milestones: Sequence[Milestone], today: date, limit: int | None = 5) -> list[Milestone]:
    """What is going on or comes next: milestones not done whose end has not passed (a milestone
    past its end is late and listed by :func:`late` instead), ordered by start, then end, then input
    order; at most ``limit``."""
    pos = {m.id: k for k, m in enumerate(milestones)}
    todo = [m for m in milestones if not m.is_done and m.end >= today]
    todo.sort(key=lambda m: (m.start, m.end, pos[m.id]))
    return todo if limit is None else todo[:limit]


def topological_order(milestones: Sequence[Milestone]) -> list[Milestone]:
    """Every milestone after the ones it depends on; among those ready at the same time, the
    earliest start first, then input order (Kahn's algorithm). Dependencies on unknown ids are
    ignored. Raises ``ValueError`` on a cycle (the project file reader rejects cycles)."""
    index = _index(milestones)
    pos = {m.id: k for k, m in enumerate(milestones)}
    waiting = {m.id: {d for d in m.depends_on if d in index} for m in milestones}
    dependants: dict[str, list[str]] = {m.id: [] for m in milestones}
    for m in milestones:
        for d in waiting[m.id]:
            dependants[d].append(m.id)
    ready = sorted((mid for mid, deps in waiting.items() if not deps), key=lambda i: (index[i].start, pos[i]))
    out: list[Milestone] = []
    while ready:
        mid = ready.pop(0)
        out.append(index[mid])
        for nxt in dependants[mid]:
            waiting[nxt].discard(mid)
            if not waiting[nxt]:
                ready.append(nxt)
        ready.sort(key=lambda i: (index[i].start, pos[i]))
    if len(out) != len(milestones):
        placed = {m.id for m in out}
        stuck = [m.id for m in milestones if m.id not in placed]
        raise ValueError(f"dependency cycle among {', '.join(stuck)}")
    return out


def earliest_safe_start(m: Milestone, milestones: Sequence[Milestone]) -> date | None:
    """The day after the latest end among ``m``'s dependencies (a season band counts to its end),
    or None without dependencies. A start before it overlaps work that should come first."""
    index = _index(milestones)
    ends = [index[d].end for d in m.depends_on if d in index]
    return max(ends) + timedelta(days=1) if ends else None


def critical_chain(milestones: Sequence[Milestone], target: str | None = None) -> list[Milestone]:
    """The chain of dependencies that determines when ``target`` (default: the decision milestone)
    can happen: from ``target`` repeatedly to the dependency that ends last (ties: the first listed),
    returned first to last and ending with ``target``. Empty if there is no target."""
    index = _index(milestones)
    if target is None:
        d = decision_milestone(milestones)
        if d is None:
            return []
        target = d.id
    if target not in index:
        raise KeyError(target)
    chain = [index[target]]
    seen = {target}
    while True:
        deps = [index[d] for d in chain[-1].depends_on if d in index and d not in seen]
        if not deps:
            break
        nxt = max(deps, key=lambda m: m.end)
        chain.append(nxt)
        seen.add(nxt.id)
    return chain[::-1]
