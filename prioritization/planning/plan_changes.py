"""What a plan's object list changes in a round (issue 14, "Import of a plan's object list"): pure.

The rows of a plan list (the national plan's annex, Bilaga 1, or a region's list; read by
:mod:`prioritization.imports.plan_list`) are matched to the round's objects and compared with the
objects' current references to that plan and period. Nothing here writes anything: the result is a
:class:`Report` the facilitator reads before :mod:`prioritization.storage.plan_import` applies it.

Matching: a row whose *Objekt ID* is already the id of one of an object's plan references (any plan,
any period) belongs to that object. Other rows get name suggestions (casefolded, ``difflib``, with a
score) that the facilitator must confirm; an unconfirmed suggestion matches nothing.

Kinds of change, per matched object (one each, in this order of precedence):

* ``removed``: the list's phase is *Utgår*; ``rework``: *Omtag* (the 2026 decision's outcomes for
  objects whose costs rose [S N7]);
* ``added``: the object had no reference to this plan and period;
* ``phase``: the phase differs from the reference's;
* ``cost``: the cost differs from the reference's by more than a share of it (default
  :data:`~prioritization.planning.vocab.DEFAULT_COST_SHARE`);
* ``unchanged``: none of these (a smaller cost difference or a newly given Objekt ID is still
  written, and shown beside the unchanged objects).

Besides these: round objects that have a reference to this plan and period but are absent from the
list (not changed: a list may be partial), and rows matching no object (informational).
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from prioritization.model import InfraObject
from prioritization.planning import vocab
from prioritization.planning.model import PlanData, PlanRef
from prioritization.timeline import follow_up as steps

ADDED, REMOVED, REWORK, PHASE, COST, UNCHANGED = "added", "removed", "rework", "phase", "cost", "unchanged"
KINDS = (ADDED, REMOVED, REWORK, PHASE, COST, UNCHANGED)  # the report's order
CHANGED_KINDS = KINDS[:-1]
NAME_CUTOFF = 0.72  # the lowest similarity offered as a name match
MAX_SUGGESTIONS = 3  # per row

# the follow-up step a phase corresponds to (on the plan decision's date); a named object or a
# study in a plan, or an object whose phase the list does not give, is "in the plan"
PHASE_STEPS = {
    vocab.START_1_3: steps.CONSTRUCTION_DECISION, vocab.PREPARE_4_6: steps.PREPARATION,
    vocab.REWORK: steps.REWORK, vocab.REMOVED: steps.REMOVED, vocab.OPENED_PHASE: steps.OPENED,
    vocab.ONGOING: steps.CONSTRUCTION_STARTED,
}
PLAN_STEPS = {"NP": steps.NATIONAL_PLAN, "LP": steps.REGIONAL_PLAN}


@dataclass(frozen=True)
class ListRow:
    """One object of a plan list: its row in the file, the plan's id and name for it, its phase
    (a :data:`~prioritization.planning.vocab.PHASES` id), the cost the plan gives (MSEK), and what
    the list says about mode and county (shown, not stored)."""

    row: int
    objekt_id: str | None = None
    name: str | None = None
    phase: str | None = None
    cost_msek: float | None = None
    mode: str | None = None
    county: str | None = None

    @property
    def label(self) -> str:
        """The row as a reader knows it: "VST005 Tvärförbindelse Södertörn"."""
        return " ".join(x for x in (self.objekt_id, self.name) if x) or f"#{self.row}"


@dataclass(frozen=True)
class ImportSource:
    """What the facilitator states at import: the plan (NP/LP), its period ("2026–2037"), the date
    of the decision the list belongs to, and where the list comes from (an address or a text)."""

    plan: str
    period: str
    decided: date
    source: str

    def __post_init__(self) -> None:
        if self.plan not in vocab.PLANS:
            raise ValueError(f"unknown plan {self.plan!r} (expected one of {', '.join(vocab.PLANS)})")


@dataclass(frozen=True)
class NameMatch:
    """A suggestion: the row may be the object (similarity ``score`` 0–1); the facilitator decides."""

    row: ListRow
    object_id: str
    object_name: str
    score: float


@dataclass(frozen=True)
class Change:
    """What the list does to one object: ``kind`` (see the module), the row, the reference before
    (None: none for this plan and period) and after, and whether the cost moved beyond the share."""

    kind: str
    object_id: str
    object_name: str
    row: ListRow
    old: PlanRef | None
    new: PlanRef
    cost_changed: bool = False
    by_name: bool = False  # matched by a confirmed name suggestion

    @property
    def writes(self) -> bool:
        """Whether applying the report changes this object's reference."""
        return self.old != self.new

    @property
    def step(self) -> str | None:
        """The follow-up step to record (None when the phase did not change)."""
        if self.kind not in (ADDED, REMOVED, REWORK, PHASE):
            return None
        return follow_up_step(self.new.phase, self.new.plan)


@dataclass(frozen=True)
class Absent:
    """A round object with a reference to this plan and period that the list does not have."""

    object_id: str
    object_name: str
    ref: PlanRef


@dataclass(frozen=True)
class Report:
    source: ImportSource
    changes: tuple[Change, ...]
    absent: tuple[Absent, ...]
    unmatched: tuple[ListRow, ...]
    conflicts: tuple[tuple[ListRow, str], ...]  # a row matched to an object an earlier row already took
    plans: Mapping[str, PlanData]  # object id -> its new plan data, for every object whose data changes
    cost_share: float = vocab.DEFAULT_COST_SHARE

    def of_kind(self, kind: str) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.kind == kind)

    def counts(self) -> dict[str, int]:
        return {k: len(self.of_kind(k)) for k in KINDS}

    @property
    def writes(self) -> tuple[Change, ...]:
        """The changes that write something (a reference and perhaps a follow-up step)."""
        return tuple(c for c in self.changes if c.object_id in self.plans)

    @property
    def is_empty(self) -> bool:
        return not self.plans


def steps_to_record(report: Report, follow_ups: Iterable[steps.FollowUp]) -> dict[str, str]:
    """``{object id: follow-up step}`` that applying ``report`` records: each written change's step,
    unless the object's track already has that step on or before the decision's date (it reached
    the step earlier, e.g. "in the national plan" since 2022; that record is kept)."""
    tracks = {f.object: f for f in follow_ups}
    out = {}
    for c in report.writes:
        if c.step is None:
            continue
        track = tracks.get(c.object_id)
        earlier = track.step(c.step) if track is not None else None
        if earlier is None or earlier.date > report.source.decided:
            out[c.object_id] = c.step
    return out


def follow_up_step(phase: str | None, plan: str) -> str:
    """The follow-up step that corresponds to a plan phase (a named object, a study or no phase:
    "in the national plan" / "in the regional plan")."""
    return PHASE_STEPS.get(phase or "", PLAN_STEPS[plan])


# ------------------------------------------------------------------------------------------
# matching


def normal_name(text: str) -> str:
    """A name for comparison: casefolded, dashes unified, separators as single spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = re.sub(r"[\u2010-\u2015\u2212/]", "-", folded)
    return re.sub(r"[\s,.;:]+", " ", folded).strip()


def _without_brackets(text: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", text).strip()


def name_score(a: str, b: str) -> float:
    """How alike two names are, 0–1: the best ``difflib`` ratio of the names as written and without
    bracketed additions ("Tvärförbindelse Södertörn (väg 259)")."""
    x, y = normal_name(a), normal_name(b)
    pairs = {(x, y), (_without_brackets(x), _without_brackets(y)), (_without_brackets(x), y),
             (x, _without_brackets(y))}
    return max(difflib.SequenceMatcher(None, p, q).ratio() for p, q in pairs if p and q)


def _id_key(objekt_id: str) -> str:
    return re.sub(r"\s+", "", objekt_id).casefold()


def id_matches(rows: Iterable[ListRow], objects: Sequence[InfraObject]) -> dict[int, str]:
    """``{row number: object id}`` for the rows whose Objekt ID is that of one of the object's plan
    references (any plan and period). An Objekt ID two objects share matches neither."""
    owners: dict[str, set[str]] = {}
    for o in objects:
        for ref in o.plan.refs:
            if ref.objekt_id:
                owners.setdefault(_id_key(ref.objekt_id), set()).add(o.id)
    out = {}
    for r in rows:
        found = owners.get(_id_key(r.objekt_id)) if r.objekt_id else None
        if found and len(found) == 1:
            out[r.row] = next(iter(found))
    return out


def name_suggestions(rows: Sequence[ListRow], objects: Sequence[InfraObject], *,
                     cutoff: float = NAME_CUTOFF) -> list[NameMatch]:
    """Name matches to confirm for the rows not matched by Objekt ID, best first per row (at most
    :data:`MAX_SUGGESTIONS` a row), leaving out objects already matched by Objekt ID."""
    taken_rows = id_matches(rows, objects)
    taken = set(taken_rows.values())
    free = [o for o in objects if o.id not in taken]
    out: list[NameMatch] = []
    for r in rows:
        if r.row in taken_rows or not r.name:
            continue
        scored = sorted(((name_score(r.name, o.name), i) for i, o in enumerate(free)), key=lambda t: (-t[0], t[1]))
        out += [NameMatch(r, free[i].id, free[i].name, round(score, 2))
                for score, i in scored[:MAX_SUGGESTIONS] if score >= cutoff]
    return out


# ------------------------------------------------------------------------------------------
# the report


def _cost_changed(old: float | None, new: float | None, share: float) -> bool:
    if old is None or new is None:
        return False
    if old == 0:
        return new != 0
    return abs(new - old) > share * abs(old)


def _new_ref(row: ListRow, old: PlanRef | None, src: ImportSource) -> PlanRef:
    """The reference after the import: what the row gives, else what the reference had, with the
    import's source. A row that repeats the reference leaves it as it is (its source too)."""
    given = row.cost_msek is not None
    new = PlanRef(
        plan=src.plan, period=src.period,
        objekt_id=row.objekt_id or (old.objekt_id if old else None),
        phase=row.phase if row.phase is not None else (old.phase if old else None),
        cost_msek=row.cost_msek if given else (old.cost_msek if old else None),
        # Bilaga 1's total cost includes external funding [S N10]; a region's list does not say
        cost_incl_external=(True if src.plan == "NP" else None) if given else (old.cost_incl_external if old else None),
        source=src.source.strip() or None)
    if old is not None and dataclasses.replace(old, source=None, cost_incl_external=None) == dataclasses.replace(
            new, source=None, cost_incl_external=None):
        return old
    return new


def _kind(old: PlanRef | None, new: PlanRef, share: float) -> tuple[str, bool]:
    cost_changed = old is not None and _cost_changed(old.cost_msek, new.cost_msek, share)
    phase_moved = old is None or old.phase != new.phase
    if new.phase == vocab.REMOVED and phase_moved:
        return REMOVED, cost_changed
    if new.phase == vocab.REWORK and phase_moved:
        return REWORK, cost_changed
    if old is None:
        return ADDED, False
    if phase_moved:
        return PHASE, cost_changed
    return (COST, True) if cost_changed else (UNCHANGED, False)


def report(rows: Sequence[ListRow], objects: Sequence[InfraObject], src: ImportSource, *,
           confirmed: Mapping[int, str] | Collection[tuple[int, str]] = (),
           cost_share: float = vocab.DEFAULT_COST_SHARE) -> Report:
    """The change report of a plan list against the round's ``objects``.

    ``confirmed`` are the name matches the facilitator accepted, as ``{row number: object id}`` or
    ``(row number, object id)`` pairs; rows matched by Objekt ID never need one. A row matched to an
    object that an earlier row already took is a conflict and changes nothing.
    """
    if not cost_share >= 0:
        raise ValueError("the cost share is 0 or more")
    by_id = {o.id: o for o in objects}
    pairs = confirmed.items() if isinstance(confirmed, Mapping) else confirmed
    matched = {row: oid for row, oid in pairs if oid in by_id}
    by_objekt_id = id_matches(rows, objects)
    matched.update(by_objekt_id)  # an Objekt ID match wins over a name confirmed for the row
    changes: list[Change] = []
    unmatched: list[ListRow] = []
    conflicts: list[tuple[ListRow, str]] = []
    seen: set[str] = set()
    for r in rows:
        oid = matched.get(r.row)
        if oid is None:
            unmatched.append(r)
            continue
        if oid in seen:
            conflicts.append((r, oid))
            continue
        seen.add(oid)
        o = by_id[oid]
        old = o.plan.ref(src.plan, src.period)
        new = _new_ref(r, old, src)
        kind, cost_changed = _kind(old, new, cost_share)
        changes.append(Change(kind, oid, o.name, r, old, new, cost_changed, by_name=r.row not in by_objekt_id))
    plans: dict[str, PlanData] = {}
    for c in changes:
        if c.writes:
            plan = by_id[c.object_id].plan
            refs = tuple(c.new if x == c.old else x for x in plan.refs) if c.old else (*plan.refs, c.new)
            plans[c.object_id] = dataclasses.replace(plan, refs=refs)
    absent = tuple(Absent(o.id, o.name, ref) for o in objects if o.id not in seen
                   and (ref := o.plan.ref(src.plan, src.period)) is not None)
    order = {k: i for i, k in enumerate(KINDS)}
    changes.sort(key=lambda c: order[c.kind])  # stable: file order within a kind
    return Report(src, tuple(changes), absent, tuple(unmatched), tuple(conflicts), plans, cost_share)
