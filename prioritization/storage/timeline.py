"""Storage of the timeline (milestones) and the follow-up (bevakning) of a round.

Milestones are rows of ``milestones`` and follow-up tracks rows of ``follow_ups`` (one per
followed-up object, keyed by the object id), each holding its format-v1 object as JSON, like
criteria and objects, so that export -> import -> export stays lossless. Whole lists are replaced
through :func:`prioritization.storage.rounds.replace_setup`; the functions here make the small
edits of running a process (a milestone's status or note, attaching a frozen version, recording a
follow-up step) without resending the whole set-up.

Rules (as everywhere in storage): everyone with access to the round may read; only the facilitator
writes; every write validates the whole round with the project file reader before anything is
written, happens in one transaction with its audit entry, and increments the round's
``row_version`` (so a set-up page holding an older copy gets :class:`StaleWrite` instead of
overwriting the change). ``expected_row_version`` (optional here) makes the edit itself fail with
:class:`StaleWrite` if the set-up changed since it was read.

Every write that records or removes a follow-up step also appends to the track's ``history``
(when in UTC, by whom, set/removed, the step): :func:`record_step`, :func:`remove_step`,
:func:`record_steps` (a bulk update, all rows or none) and :func:`set_follow_up`. The history only
grows; a history handed in with the tracks is not taken over.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prioritization import i18n, projectfile
from prioritization.model import Project
from prioritization.storage import audit, rounds
from prioritization.storage.access import Actor, require_facilitator, require_round
from prioritization.storage.errors import StaleWrite, StorageInputError
from prioritization.storage.schema import FollowUp as FollowUpRow
from prioritization.storage.schema import Milestone as MilestoneRow
from prioritization.storage.schema import Round, Version
from prioritization.storage.sessions import require_live
from prioritization.timeline import follow_up as follow_up_format
from prioritization.timeline import milestones as milestone_format
from prioritization.timeline.follow_up import STEP_PRECISIONS, STEPS, FollowUp, FollowUpStep, with_history
from prioritization.timeline.milestones import STATUSES, Milestone, MilestoneLinks
from prioritization.timeline.template import round_template

if TYPE_CHECKING:
    from prioritization.storage.database import Database

PHASES = (1, 2)  # scoring phases (Delphi rounds) that can be attached to a milestone
_UNSET: Any = object()
ROW_FIELDS = ("object", "step", "date", "precision", "note", "source")  # a row of record_steps


def history_time() -> datetime:
    """The time a history entry is stamped with (UTC; a function so tests can fix it)."""
    return datetime.now(UTC).replace(microsecond=0)


def history_author(actor: Actor) -> str:
    """Who made a change, as the follow-up history names them."""
    return actor.name


@dataclass(frozen=True)
class TimelineState:
    """A round's milestones and follow-up tracks, and the set-up row version they were read at."""

    milestones: tuple[Milestone, ...]
    follow_up: tuple[FollowUp, ...]
    row_version: int


# ------------------------------------------------------------------------------------------
# reading


def state(db: Database, actor: Actor, round_id: int) -> TimelineState:
    """Milestones, follow-up and row version of a round (anyone with access to the round)."""
    require_round(actor, round_id)
    with db.reader() as s:
        r = rounds.get_round(s, round_id)
        project = validated(rounds._document(s, r, with_scores=False))
        return TimelineState(project.milestones, project.follow_up, r.row_version)


def milestones(db: Database, actor: Actor, round_id: int) -> tuple[Milestone, ...]:
    return state(db, actor, round_id).milestones


def follow_ups(db: Database, actor: Actor, round_id: int) -> tuple[FollowUp, ...]:
    return state(db, actor, round_id).follow_up


# ------------------------------------------------------------------------------------------
# replacing whole lists


def _as_data(items: Sequence[Any], to_dict: Callable[[Any], dict]) -> list[Any]:
    return [to_dict(x) if not isinstance(x, Mapping) else dict(x) for x in items]


def set_milestones(db: Database, actor: Actor, round_id: int, items: Sequence[Milestone | Mapping[str, Any]],
                   expected_row_version: int) -> int:
    """Replace the round's milestones (Milestone objects or format-v1 dicts, e.g. from an edited
    table). Raises ``ProjectFileError`` with paths like ``milestones[3].end: ...`` if invalid,
    :class:`StaleWrite` if the set-up changed. Returns the new row version."""
    data = _as_data(items, milestone_format.to_dict)
    return rounds.replace_setup(db, actor, round_id, {"milestones": data}, expected_row_version)


def apply_template(db: Database, actor: Actor, round_id: int, first_plan_year: int, expected_row_version: int) -> int:
    """Replace the round's milestones by the template for the plan round starting in
    ``first_plan_year`` (see :mod:`prioritization.timeline.template`), to be adjusted by hand."""
    require_facilitator(actor)
    try:
        template = round_template(first_plan_year)
    except ValueError as e:
        raise StorageInputError("bad_plan_year", str(e), year=first_plan_year) from None
    return set_milestones(db, actor, round_id, template, expected_row_version)


def set_follow_up(db: Database, actor: Actor, round_id: int, items: Sequence[FollowUp | Mapping[str, Any]],
                  expected_row_version: int) -> int:
    """Replace every follow-up track of the round (FollowUp objects or format-v1 dicts). Each track
    keeps its stored history, with an entry appended for every step recorded, changed or removed
    (the history handed in is not taken over). Raises ``ProjectFileError`` naming every problem,
    :class:`StaleWrite` if the set-up changed since ``expected_row_version``."""
    require_facilitator(actor)
    data = _as_data(items, follow_up_format.to_dict)
    with db.reader() as s:
        r = rounds.get_round(s, round_id)
        if r.row_version != expected_row_version:
            raise StaleWrite("the round set-up")
        project = validated(rounds._document(s, r, with_scores=False))
    tracks, problems = follow_up_format.parse(data, [o.id for o in project.objects])
    if not problems:  # else replace_setup names the problems and writes nothing
        now, by = history_time(), history_author(actor)
        data = follow_up_format.to_data(with_history(project.follow_up_of(t.object), t, now, by) for t in tracks)
    # replace_setup checks the row version again under the round's lock: nothing changed in between
    return rounds.replace_setup(db, actor, round_id, {"follow_up": data}, expected_row_version)


# ------------------------------------------------------------------------------------------
# small edits


def validated(doc: dict[str, Any]) -> Project:
    return projectfile.parse(doc, require_complete=False)  # ProjectFileError lists every problem


def locked_round(s: Session, actor: Actor, round_id: int, expected_row_version: int | None) -> Round:
    """The round, locked for the rest of the transaction (PostgreSQL: SELECT ... FOR UPDATE; SQLite
    writers are serialised by BEGIN IMMEDIATE), so two edits never lose one another; refused when
    ``actor``'s sign-in has ended (a page left open after signing out writes nothing)."""
    require_live(s, actor)
    r = s.scalars(select(Round).where(Round.id == round_id).with_for_update()).first()
    if r is None:
        raise StorageInputError("no_such_round", f"there is no round {round_id}", round_id=round_id)
    if expected_row_version is not None and r.row_version != expected_row_version:
        raise StaleWrite("the round set-up")
    return r


def _edit_milestone(db: Database, actor: Actor, round_id: int, milestone_id: str, action: str,
                    change: Callable[[Milestone, Session, Round], Milestone],
                    expected_row_version: int | None, audit_value: Callable[[Milestone], Any]) -> int:
    require_facilitator(actor)
    with db.session() as s:
        r = locked_round(s, actor, round_id, expected_row_version)
        doc = rounds._document(s, r, with_scores=False)
        current = validated(doc).milestones
        k = next((i for i, m in enumerate(current) if m.id == milestone_id), None)
        if k is None:
            raise StorageInputError("no_such_milestone", f"there is no milestone {milestone_id!r} in this round",
                                    milestone=milestone_id)
        old = current[k]
        new = change(old, s, r)
        if new == old:
            return r.row_version
        doc["milestones"] = milestone_format.to_data(current[:k] + (new,) + current[k + 1:])
        validated(doc)
        row = list(s.scalars(select(MilestoneRow).where(MilestoneRow.round_id == r.id)
                             .order_by(MilestoneRow.position)))[k]
        row.data = milestone_format.to_dict(new)
        r.row_version += 1
        audit.record(s, actor, r.id, action, milestone_id, audit_value(old), audit_value(new))
        return r.row_version


def update_milestone(db: Database, actor: Actor, round_id: int, milestone_id: str, *, status: str = _UNSET,
                     note: str | None = _UNSET, expected_row_version: int | None = None) -> int:
    """Set a milestone's stored status (planned, in_progress, done, late) and/or its note (None or
    blank text removes it). Returns the new row version."""
    if status is not _UNSET and status not in STATUSES:
        raise StorageInputError("bad_milestone_status",
                                f"unknown status {status!r} (expected one of {', '.join(STATUSES)})", status=status)
    if note is not _UNSET and note is not None and not isinstance(note, str):
        raise StorageInputError("bad_note", "a note is text")
    if note is not _UNSET and note is not None and not note.strip():
        note = None

    def change(m: Milestone, _s, _r) -> Milestone:
        changes: dict[str, Any] = {}
        if status is not _UNSET:
            changes["status"] = status
        if note is not _UNSET:
            changes["note"] = note
        return m.replace(**changes)

    return _edit_milestone(db, actor, round_id, milestone_id, "milestone.update", change, expected_row_version,
                           lambda m: {"status": m.status, "note": m.note})


def _links_value(m: Milestone) -> dict[str, list[str]]:
    return {"versions": list(m.links.versions), "phases": list(m.links.phases)}


def attach_version(db: Database, actor: Actor, round_id: int, milestone_id: str, version_id: int, *,
                   expected_row_version: int | None = None) -> int:
    """Attach a frozen version of this round (by its SHA-256) to a milestone, e.g. the version
    presented at the committee meeting. Attaching it twice changes nothing."""

    def change(m: Milestone, s: Session, r: Round) -> Milestone:
        v = s.get(Version, version_id)
        if v is None or v.round_id != r.id:
            raise StorageInputError("no_such_version", f"there is no version {version_id} in this round",
                                    version=version_id)
        if v.sha256 in m.links.versions:
            return m
        return m.replace(links=MilestoneLinks(m.links.versions + (v.sha256,), m.links.phases))

    return _edit_milestone(db, actor, round_id, milestone_id, "milestone.link", change, expected_row_version,
                           _links_value)


def detach_version(db: Database, actor: Actor, round_id: int, milestone_id: str, sha256: str, *,
                   expected_row_version: int | None = None) -> int:
    """Remove a version (by SHA-256) from a milestone's links."""

    def change(m: Milestone, _s, _r) -> Milestone:
        return m.replace(links=MilestoneLinks(tuple(x for x in m.links.versions if x != sha256), m.links.phases))

    return _edit_milestone(db, actor, round_id, milestone_id, "milestone.unlink", change, expected_row_version,
                           _links_value)


def attach_phase(db: Database, actor: Actor, round_id: int, milestone_id: str, phase: int, *,
                 expected_row_version: int | None = None) -> int:
    """Attach a scoring phase (1 = first scoring round, 2 = second) to a milestone, e.g. workshop 2."""
    if isinstance(phase, bool) or phase not in PHASES:
        raise StorageInputError("bad_phase", f"a scoring phase is 1 or 2, got {phase!r}", phase=phase)

    def change(m: Milestone, _s, _r) -> Milestone:
        if str(phase) in m.links.phases:
            return m
        return m.replace(links=MilestoneLinks(m.links.versions, m.links.phases + (str(phase),)))

    return _edit_milestone(db, actor, round_id, milestone_id, "milestone.link", change, expected_row_version,
                           _links_value)


def detach_phase(db: Database, actor: Actor, round_id: int, milestone_id: str, phase: int, *,
                 expected_row_version: int | None = None) -> int:
    def change(m: Milestone, _s, _r) -> Milestone:
        return m.replace(links=MilestoneLinks(m.links.versions, tuple(x for x in m.links.phases if x != str(phase))))

    return _edit_milestone(db, actor, round_id, milestone_id, "milestone.unlink", change, expected_row_version,
                           _links_value)


def _edit_follow_up(db: Database, actor: Actor, round_id: int, object_id: str, action: str,
                    change: Callable[[FollowUp], FollowUp | None], expected_row_version: int | None,
                    audit_value: Callable[[FollowUp | None], Any]) -> int:
    """Apply ``change`` to the object's track (a new empty track if it has none); a ``None``
    result removes the track."""
    require_facilitator(actor)
    with db.session() as s:
        r = locked_round(s, actor, round_id, expected_row_version)
        doc = rounds._document(s, r, with_scores=False)
        project = validated(doc)
        if object_id not in {o.id for o in project.objects}:
            raise StorageInputError("no_such_object", f"there is no object {object_id!r} in this round",
                                    object=object_id)
        old = project.follow_up_of(object_id)
        new = change(old or FollowUp(object_id))
        if new == old or (old is None and new == FollowUp(object_id)):
            return r.row_version
        if new is not None:
            new = with_history(old, new, history_time(), history_author(actor))
        if old is None:
            tracks = [*project.follow_up, new]
        else:
            tracks = [new if f.object == object_id else f for f in project.follow_up
                      if f.object != object_id or new is not None]
        doc["follow_up"] = follow_up_format.to_data(tracks)
        validated(doc)
        row = s.scalar(select(FollowUpRow).where(FollowUpRow.round_id == r.id, FollowUpRow.key == object_id))
        if new is None:
            if row is not None:
                s.delete(row)
        elif row is None:
            last = s.scalar(select(func.max(FollowUpRow.position)).where(FollowUpRow.round_id == r.id))
            s.add(FollowUpRow(round_id=r.id, key=object_id, position=0 if last is None else last + 1,
                              data=follow_up_format.to_dict(new)))
        else:
            row.data = follow_up_format.to_dict(new)
        r.row_version += 1
        audit.record(s, actor, r.id, action, object_id, audit_value(old), audit_value(new))
        return r.row_version


def _step_value(step: str) -> Callable[[FollowUp | None], Any]:
    def value(f: FollowUp | None) -> Any:
        s = f.step(step) if f is not None else None
        return None if s is None else follow_up_format.step_to_dict(s)
    return value


def record_step(db: Database, actor: Actor, round_id: int, object_id: str, step: str, when: date, *,
                precision: str = "day", note: str | None = None, source: str | None = None,
                expected_row_version: int | None = None) -> int:
    """Record that an object reached a follow-up step on ``when`` (replacing an earlier record of
    the same step). Starts following the object up if it was not. Returns the new row version."""
    if step not in STEPS:
        raise StorageInputError("unknown_step", f"unknown step {step!r} (expected one of {', '.join(STEPS)})",
                                step=step)
    if not isinstance(when, date):
        raise StorageInputError("bad_date", f"a step needs a date, got {when!r}")
    if isinstance(when, datetime):
        when = when.date()
    if precision not in STEP_PRECISIONS:
        raise StorageInputError("bad_precision",
                                f"unknown precision {precision!r} (expected one of {', '.join(STEP_PRECISIONS)})")
    recorded = FollowUpStep(step, when, precision, note if note and note.strip() else None,
                            source if source and source.strip() else None)
    return _edit_follow_up(db, actor, round_id, object_id, "followup.step", lambda f: f.with_step(recorded),
                           expected_row_version, _step_value(step))


def remove_step(db: Database, actor: Actor, round_id: int, object_id: str, step: str, *,
                expected_row_version: int | None = None) -> int:
    """Remove a recorded step (e.g. entered by mistake). The track itself stays."""
    return _edit_follow_up(db, actor, round_id, object_id, "followup.step_removed", lambda f: f.without_step(step),
                           expected_row_version, _step_value(step))


def set_responsible(db: Database, actor: Actor, round_id: int, object_id: str, responsible: str | None, *,
                    note: str | None = _UNSET, expected_row_version: int | None = None) -> int:
    """Set who follows the object up (None or blank removes it), and optionally the track's note.
    Starts following the object up if it was not."""
    if responsible is not None and not isinstance(responsible, str):
        raise StorageInputError("bad_responsible", "the responsible is text")
    responsible = responsible if responsible and responsible.strip() else None

    def change(f: FollowUp) -> FollowUp:
        changes: dict[str, Any] = {"responsible": responsible}
        if note is not _UNSET:
            changes["note"] = note if note and note.strip() else None
        return f.replace(**changes)

    return _edit_follow_up(db, actor, round_id, object_id, "followup.responsible", change, expected_row_version,
                           lambda f: None if f is None else {"responsible": f.responsible, "note": f.note})


def stop_follow_up(db: Database, actor: Actor, round_id: int, object_id: str, *,
                   expected_row_version: int | None = None) -> int:
    """Stop following an object up: its track and steps are removed (the audit log keeps them)."""
    return _edit_follow_up(db, actor, round_id, object_id, "followup.remove", lambda f: None, expected_row_version,
                           lambda f: None if f is None else follow_up_format.to_dict(f))


def _row_problems(rows: Sequence[Mapping[str, Any]], today: date) -> tuple[list[FollowUpStep], list[str], list[str]]:
    """The rows of :func:`record_steps` as steps (with their objects), and every problem that needs
    no database: ``row 3: ...``."""
    steps: list[FollowUpStep] = []
    objects: list[str] = []
    problems: list[str] = []
    for i, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            problems.append(f"row {i}: expected a mapping with {', '.join(ROW_FIELDS)}")
            continue
        unknown = sorted(set(row) - set(ROW_FIELDS))
        oid, step, when = row.get("object"), row.get("step"), row.get("date")
        precision = row.get("precision") or "day"
        note, source = row.get("note"), row.get("source")
        n = len(problems)
        if unknown:
            problems.append(f"row {i}: unknown fields {', '.join(unknown)}")
        if not isinstance(oid, str) or not oid:
            problems.append(f"row {i}: no object id")
        if step not in STEPS:
            problems.append(f"row {i}: unknown step {step!r} (expected one of {', '.join(STEPS)})")
        if isinstance(when, datetime):
            when = when.date()
        if not isinstance(when, date):
            problems.append(f"row {i}: a step needs a date, got {when!r}")
        elif when > today:
            problems.append(f"row {i}: {when.isoformat()} is in the future")
        if precision not in STEP_PRECISIONS:
            problems.append(f"row {i}: unknown precision {precision!r} (expected one of {', '.join(STEP_PRECISIONS)})")
        for key, v in (("note", note), ("source", source)):
            if v is not None and not isinstance(v, str):
                problems.append(f"row {i}: the {key} is text")
        if len(problems) == n and isinstance(when, date):
            steps.append(FollowUpStep(str(step), when, precision, note if note and note.strip() else None,
                                      source if source and source.strip() else None))
            objects.append(str(oid))
        else:
            steps.append(FollowUpStep(STEPS[0], today))  # a placeholder; the problems stop the write
            objects.append(str(oid))
    return steps, objects, problems


def record_steps(db: Database, actor: Actor, round_id: int, rows: Sequence[Mapping[str, Any]],
                 expected_row_version: int, *, today: date | None = None) -> int:
    """A bulk status update (e.g. from :mod:`prioritization.imports.follow_up_csv`): record every
    row's step (``object``, ``step``, ``date``, optional ``precision``, ``note``, ``source``) in ONE
    audited transaction, or none. A step already recorded for an object is replaced, and the
    history of every changed track grows by its entries.

    Refused with :class:`StorageInputError` ``bad_step_rows`` (every problem named by row, nothing
    written) for an unknown object, an unknown step, a missing date or one after ``today``
    (default: today in Stockholm), an object and step given twice; :class:`StaleWrite` if the
    set-up changed since ``expected_row_version``. Returns the new row version (unchanged if every
    row was recorded already as given)."""
    require_facilitator(actor)
    if not rows:
        raise StorageInputError("bad_step_rows", "there are no rows to record", problems="–")
    today = today or datetime.now(i18n.TIME_ZONE).date()
    steps, objects, problems = _row_problems(rows, today)
    with db.session() as s:
        r = locked_round(s, actor, round_id, expected_row_version)
        doc = rounds._document(s, r, with_scores=False)
        project = validated(doc)
        known = {o.id for o in project.objects}
        first: dict[tuple[str, str], int] = {}
        for i, (oid, st) in enumerate(zip(objects, steps, strict=True), start=1):
            row_ok = not any(p.startswith(f"row {i}:") for p in problems)
            if row_ok and oid not in known:
                problems.append(f"row {i}: there is no object {oid!r} in this round")
            elif row_ok and (oid, st.step) in first:
                problems.append(f"row {i}: {oid} {st.step} is also on row {first[(oid, st.step)]}")
            elif row_ok:
                first[(oid, st.step)] = i
        if problems:
            problems.sort(key=lambda p: int(p.split(":", 1)[0].split()[1]))
            raise StorageInputError("bad_step_rows", "; ".join(problems), problems="; ".join(problems[:5]))
        now, by = history_time(), history_author(actor)
        tracks = list(project.follow_up)
        changed: dict[str, FollowUp] = {}
        changes: list[tuple[str, FollowUpStep, FollowUpStep | None]] = []
        for oid, st in zip(objects, steps, strict=True):
            current = changed.get(oid) or project.follow_up_of(oid) or FollowUp(oid)
            earlier = current.step(st.step)
            if earlier == st:
                continue
            changed[oid] = current.with_step(st)
            changes.append((oid, st, earlier))
        if not changed:
            return r.row_version
        for oid, new in changed.items():
            old = project.follow_up_of(oid)
            changed[oid] = with_history(old, new, now, by)
            if old is None:
                tracks.append(changed[oid])
        tracks = [changed.get(t.object, t) for t in tracks]
        doc["follow_up"] = follow_up_format.to_data(tracks)
        validated(doc)
        stored = {row.key: row for row in s.scalars(select(FollowUpRow).where(FollowUpRow.round_id == r.id))}
        last = max((row.position for row in stored.values()), default=-1)
        for oid, new in changed.items():
            if oid in stored:
                stored[oid].data = follow_up_format.to_dict(new)
            else:
                last += 1
                s.add(FollowUpRow(round_id=r.id, key=oid, position=last, data=follow_up_format.to_dict(new)))
        r.row_version += 1
        for oid, st, earlier in changes:
            audit.record(s, actor, r.id, "followup.step", oid,
                         None if earlier is None else follow_up_format.step_to_dict(earlier),
                         follow_up_format.step_to_dict(st))
        return r.row_version
