"""Follow-up (bevakning) of prioritised objects after the decision (the ``follow_up`` part of the
project file, format v1).

Per object a track of steps with a date and a note, and who follows the object up (responsible).
The steps, in the order a Swedish transport investment usually passes them (research/domain.md
sections 1.4–1.5: the åtgärdsvalsstudie comes before a measure enters a plan, and the formal road
or rail plan after that):

* ``avs_done``: åtgärdsvalsstudie (ÅVS) done;
* ``regional_plan``: in the regional plan (länsplan);
* ``national_plan``: in the national plan (nationell plan);
* ``plan_approved``: road/rail plan approved (vägplan/järnvägsplan laga kraft);
* ``construction_started``: construction started (byggstart);
* ``opened``: opened to traffic.

Issue 14 adds the steps of the plan round and the ways back (research/plan-round-2026.md §1.4):
``agreement_signed`` (avsiktsförklaring/avtal signed), ``consultation`` (samråd/granskning),
``preparation`` (förberedelse för byggstart, år 4–6), ``construction_decision`` (byggstart decided,
år 1–3), and the setbacks ``rework`` (omtag), ``removed`` (utgår from the plan) and ``cancelled``
(avbruten; E4/E20 Södertäljebron 2022 [S N26]).

A track holds each step at most once. :func:`latest_step` is the step reached most recently.

Each track also keeps its *history* (``history``, issue 14): every time a step is recorded (again)
or removed, storage appends an entry saying when (UTC, with its offset), by whom, what (``set`` or
``removed``) and the step as recorded or as it was. A step is held once per track, so going back
and forth (omtag after a byggstart decision, then a new byggstart decision) shows only in the
history. Files without ``history`` stay valid. :func:`with_history` appends the entries for a change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from prioritization.errors import describe as _describe
from prioritization.timeline.milestones import parse_date

AVS_DONE, REGIONAL_PLAN, NATIONAL_PLAN = "avs_done", "regional_plan", "national_plan"
PLAN_APPROVED, CONSTRUCTION_STARTED, OPENED = "plan_approved", "construction_started", "opened"
AGREEMENT_SIGNED, CONSULTATION, PREPARATION = "agreement_signed", "consultation", "preparation"
CONSTRUCTION_DECISION, REWORK, REMOVED, CANCELLED = "construction_decision", "rework", "removed", "cancelled"
FORWARD_STEPS = (AVS_DONE, AGREEMENT_SIGNED, REGIONAL_PLAN, NATIONAL_PLAN, PREPARATION, CONSULTATION, PLAN_APPROVED,
                 CONSTRUCTION_DECISION, CONSTRUCTION_STARTED, OPENED)
SETBACK_STEPS = (REWORK, REMOVED, CANCELLED)  # the object goes back or out
STEPS = (*FORWARD_STEPS, *SETBACK_STEPS)
STEP_PRECISIONS = ("day", "month", "year")  # how exact the step's date is (for display)
ENTRY_KEYS = ("object", "responsible", "note", "steps", "history")
STEP_KEYS = ("step", "date", "precision", "note", "source")
SET, REMOVED_ACTION = "set", "removed"  # what a history entry records
HISTORY_ACTIONS = (SET, REMOVED_ACTION)
HISTORY_KEYS = ("at", "by", "action", "step", "date", "precision", "note", "source")


@dataclass(frozen=True)
class FollowUpStep:
    step: str  # one of STEPS
    date: date
    precision: str = "day"  # "month": only the month is known (e.g. "jan 2024"); "year" likewise
    note: str | None = None
    source: str | None = None

    @property
    def order(self) -> int:
        return STEPS.index(self.step)


def _step_key(s: FollowUpStep) -> tuple[date, int]:
    return s.date, s.order


@dataclass(frozen=True)
class HistoryEntry:
    """One change of a track: ``action`` ``set`` (the step recorded, or recorded again with other
    values) or ``removed`` (the step as it was when removed), ``at`` a time with its UTC offset
    (storage writes UTC), ``by`` who made the change."""

    at: datetime
    by: str
    action: str  # one of HISTORY_ACTIONS
    step: str  # one of STEPS
    date: date
    precision: str = "day"
    note: str | None = None
    source: str | None = None

    @property
    def recorded(self) -> FollowUpStep:
        """The step as this entry records it."""
        return FollowUpStep(self.step, self.date, self.precision, self.note, self.source)


@dataclass(frozen=True)
class FollowUp:
    """The follow-up track of one object. ``steps`` are in canonical order: by date, then by
    :data:`STEPS` order."""

    object: str  # object id
    responsible: str | None = None  # who follows the object up, e.g. "Trafiknätverket"
    steps: tuple[FollowUpStep, ...] = ()
    note: str | None = None
    history: tuple[HistoryEntry, ...] = ()  # oldest first, as appended

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", tuple(sorted(self.steps, key=_step_key)))

    def step(self, step_id: str) -> FollowUpStep | None:
        return next((s for s in self.steps if s.step == step_id), None)

    def with_step(self, step: FollowUpStep) -> FollowUp:
        """A copy with ``step`` recorded (replacing an earlier record of the same step)."""
        if step.step not in STEPS:
            raise ValueError(f"unknown step {step.step!r} (expected one of {', '.join(STEPS)})")
        return dataclasses.replace(self, steps=tuple(s for s in self.steps if s.step != step.step) + (step,))

    def without_step(self, step_id: str) -> FollowUp:
        return dataclasses.replace(self, steps=tuple(s for s in self.steps if s.step != step_id))

    def replace(self, **changes: Any) -> FollowUp:
        return dataclasses.replace(self, **changes)


def latest_step(follow_up: FollowUp) -> FollowUpStep | None:
    """The step reached most recently: the latest date; on the same date the step further along
    the track (:data:`STEPS` order). None if no step is recorded."""
    return max(follow_up.steps, key=_step_key, default=None)


def latest_steps(follow_ups: Iterable[FollowUp]) -> dict[str, FollowUpStep | None]:
    """``{object id: latest step}`` for every followed-up object, in input order."""
    return {f.object: latest_step(f) for f in follow_ups}


def step_changes(old: FollowUp | None, new: FollowUp | None, at: datetime, by: str) -> tuple[HistoryEntry, ...]:
    """The history entries for changing a track from ``old`` to ``new`` (None: no track): ``set``
    for every step that is new or recorded with other values, then ``removed`` for every step
    that is gone, each in :data:`STEPS` order."""
    if at.tzinfo is None:
        raise ValueError("a history time needs its UTC offset")
    before = {s.step: s for s in (old.steps if old is not None else ())}
    after = {s.step: s for s in (new.steps if new is not None else ())}
    entries = [HistoryEntry(at, by, SET, s.step, s.date, s.precision, s.note, s.source)
               for k in STEPS if (s := after.get(k)) is not None and before.get(k) != s]
    entries += [HistoryEntry(at, by, REMOVED_ACTION, s.step, s.date, s.precision, s.note, s.source)
                for k in STEPS if (s := before.get(k)) is not None and k not in after]
    return tuple(entries)


def with_history(old: FollowUp | None, new: FollowUp, at: datetime, by: str) -> FollowUp:
    """``new`` with the history it continues (``old``'s, whatever ``new`` carries) and the entries
    for the step changes from ``old`` to ``new`` appended: the history only ever grows."""
    kept = old.history if old is not None else ()
    return dataclasses.replace(new, history=kept + step_changes(old, new, at, by))


# ------------------------------------------------------------------------------------------
# reading and writing


def parse(data: Any, object_ids: Sequence[str], path: str = "follow_up"
          ) -> tuple[tuple[FollowUp, ...], list[tuple[str, str]]]:
    """Validate a decoded ``follow_up`` list against the project's object ids. Returns the tracks
    (empty if there are problems) and every problem as ``(path, message)``."""
    if not isinstance(data, list):
        return (), [(path, f"expected a list of follow-up entries, got {_describe(data)}")]
    problems: list[tuple[str, str]] = []
    known = set(object_ids)
    seen: dict[str, int] = {}
    out: list[FollowUp] = []

    def text(item: dict, key: str, p: str) -> str | None:
        v = item.get(key)
        if v is not None and not isinstance(v, str):
            problems.append((f"{p}.{key}", f"expected text, got {_describe(v)}"))
            return None
        return v

    for i, entry in enumerate(data):
        p = f"{path}[{i}]"
        if not isinstance(entry, dict):
            problems.append((p, f"expected an object, got {_describe(entry)}"))
            continue
        n_before = len(problems)
        for key in entry:
            if key not in ENTRY_KEYS:
                problems.append((f"{p}.{key}", f'unknown key "{key}" (allowed: {", ".join(ENTRY_KEYS)})'))
        oid = entry.get("object")
        if not isinstance(oid, str) or not oid:
            problems.append((f"{p}.object", f"expected an object id, got {_describe(oid)}"))
        elif oid not in known:
            problems.append((f"{p}.object", f'unknown object "{oid}"'))
        elif oid in seen:
            problems.append((f"{p}.object", f'object "{oid}" is followed up twice (also {path}[{seen[oid]}])'))
        else:
            seen[oid] = i
        responsible = text(entry, "responsible", p)
        note = text(entry, "note", p)
        raw_steps = entry.get("steps", [])
        steps: list[FollowUpStep] = []
        if not isinstance(raw_steps, list):
            problems.append((f"{p}.steps", f"expected a list of steps, got {_describe(raw_steps)}"))
            raw_steps = []
        step_at: dict[str, int] = {}
        for j, s in enumerate(raw_steps):
            sp = f"{p}.steps[{j}]"
            if not isinstance(s, dict):
                problems.append((sp, f"expected an object, got {_describe(s)}"))
                continue
            for key in s:
                if key not in STEP_KEYS:
                    problems.append((f"{sp}.{key}", f'unknown key "{key}" (allowed: {", ".join(STEP_KEYS)})'))
            sid = s.get("step")
            if not isinstance(sid, str) or sid not in STEPS:
                problems.append((f"{sp}.step", f"expected one of {', '.join(STEPS)}, got {_describe(sid)}"))
                sid = None
            elif sid in step_at:
                problems.append((f"{sp}.step", f'"{sid}" is recorded twice (also {p}.steps[{step_at[sid]}])'))
            else:
                step_at[sid] = j
            when = parse_date(s.get("date"))
            if when is None:
                v = s.get("date")
                problems.append((f"{sp}.date", "is missing" if v is None
                                 else f"{_describe(v)} is not a date (expected YYYY-MM-DD)"))
            precision = s.get("precision", "day")
            if not isinstance(precision, str) or precision not in STEP_PRECISIONS:
                problems.append((f"{sp}.precision",
                                 f"expected one of {', '.join(STEP_PRECISIONS)}, got {_describe(precision)}"))
            snote, ssource = text(s, "note", sp), text(s, "source", sp)
            if sid is not None and when is not None and precision in STEP_PRECISIONS:
                steps.append(FollowUpStep(sid, when, precision, snote, ssource))
        history = _parse_history(entry.get("history", []), f"{p}.history", problems)
        if len(problems) == n_before:
            out.append(FollowUp(oid, responsible, tuple(steps), note, history))
    if problems:
        return (), problems
    return tuple(out), []


def _parse_time(v: Any) -> datetime | None:
    """An ISO time with its UTC offset (``2026-05-04T09:30:00+00:00``), or None."""
    if not isinstance(v, str) or "T" not in v:
        return None
    try:
        t = datetime.fromisoformat(v)
    except ValueError:
        return None
    return t if t.tzinfo is not None and t.utcoffset() is not None else None


def _parse_history(raw: Any, path: str, problems: list[tuple[str, str]]) -> tuple[HistoryEntry, ...]:
    """The history entries of one track; every problem is appended to ``problems``."""
    if not isinstance(raw, list):
        problems.append((path, f"expected a list of history entries, got {_describe(raw)}"))
        return ()
    out: list[HistoryEntry] = []
    for k, h in enumerate(raw):
        hp = f"{path}[{k}]"
        if not isinstance(h, dict):
            problems.append((hp, f"expected an object, got {_describe(h)}"))
            continue
        n_before = len(problems)
        for key in h:
            if key not in HISTORY_KEYS:
                problems.append((f"{hp}.{key}", f'unknown key "{key}" (allowed: {", ".join(HISTORY_KEYS)})'))
        at = _parse_time(h.get("at"))
        if at is None:
            v = h.get("at")
            problems.append((f"{hp}.at", "is missing" if v is None else
                             f"{_describe(v)} is not a time with its UTC offset (expected e.g. 2026-05-04T09:30:00+00:00)"))
        by = h.get("by")
        if not isinstance(by, str) or not by.strip():
            problems.append((f"{hp}.by", "is missing" if by is None else f"expected who made the change, got {_describe(by)}"))
        action = h.get("action")
        if action not in HISTORY_ACTIONS:
            problems.append((f"{hp}.action", f"expected one of {', '.join(HISTORY_ACTIONS)}, got {_describe(action)}"))
        sid = h.get("step")
        if not isinstance(sid, str) or sid not in STEPS:
            problems.append((f"{hp}.step", f"expected one of {', '.join(STEPS)}, got {_describe(sid)}"))
        when = parse_date(h.get("date"))
        if when is None:
            v = h.get("date")
            problems.append((f"{hp}.date", "is missing" if v is None
                             else f"{_describe(v)} is not a date (expected YYYY-MM-DD)"))
        precision = h.get("precision")
        if not isinstance(precision, str) or precision not in STEP_PRECISIONS:
            problems.append((f"{hp}.precision", "is missing" if precision is None else
                             f"expected one of {', '.join(STEP_PRECISIONS)}, got {_describe(precision)}"))
        texts = {}
        for key in ("note", "source"):
            v = h.get(key)
            if v is not None and not isinstance(v, str):
                problems.append((f"{hp}.{key}", f"expected text, got {_describe(v)}"))
            texts[key] = v
        if len(problems) == n_before and at is not None and when is not None:
            out.append(HistoryEntry(at, str(by), str(action), str(sid), when, str(precision), texts["note"],
                                    texts["source"]))
    return tuple(out)


def history_to_dict(h: HistoryEntry) -> dict[str, Any]:
    d: dict[str, Any] = {"at": h.at.isoformat(), "by": h.by, "action": h.action, "step": h.step,
                         "date": h.date.isoformat(), "precision": h.precision}
    for key in ("note", "source"):
        if getattr(h, key) is not None:
            d[key] = getattr(h, key)
    return d


def step_to_dict(s: FollowUpStep) -> dict[str, Any]:
    d: dict[str, Any] = {"step": s.step, "date": s.date.isoformat()}
    if s.precision != "day":
        d["precision"] = s.precision
    for key in ("note", "source"):
        if getattr(s, key) is not None:
            d[key] = getattr(s, key)
    return d


def to_dict(f: FollowUp) -> dict[str, Any]:
    """One track as a format-v1 object, keys in a fixed order and steps in canonical order; the
    history (oldest first) only when there is one, so a file without history stays as it was."""
    d: dict[str, Any] = {"object": f.object}
    if f.responsible is not None:
        d["responsible"] = f.responsible
    if f.note is not None:
        d["note"] = f.note
    d["steps"] = [step_to_dict(s) for s in f.steps]
    if f.history:
        d["history"] = [history_to_dict(h) for h in f.history]
    return d


def to_data(follow_ups: Iterable[FollowUp]) -> list[dict[str, Any]]:
    """The tracks as the format-v1 ``follow_up`` list (input order of the objects kept)."""
    return [to_dict(f) for f in follow_ups]


def from_data(data: Any, object_ids: Sequence[str]) -> tuple[FollowUp, ...]:
    """The tracks of a valid list; raises ``ValueError`` naming the problems otherwise."""
    found, errs = parse(data, object_ids)
    if errs:
        raise ValueError("; ".join(f"{p}: {m}" for p, m in errs))
    return found
