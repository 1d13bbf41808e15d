"""Scores in the live workshop: each participant writes their own cells; the facilitator sees
progress and disagreement and sets agreed scores. Visibility rules live here.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from prioritization import model
from prioritization.engine.normalize import onto_scale
from prioritization.storage import audit
from prioritization.storage.access import (
    FACILITATOR,
    PARTICIPANT,
    AccessDenied,
    Actor,
    may_see_named_ratings,
    require_facilitator,
    require_round,
)
from prioritization.storage.errors import StorageInputError
from prioritization.storage.rounds import get_round
from prioritization.storage.schema import AgreedScore, Criterion, Object, Participant, Score, utcnow
from prioritization.storage.sessions import require_live
from prioritization.text_rules import MAX_COMMENT

if TYPE_CHECKING:
    from prioritization.storage.database import Database

OPEN_PHASE = {"scoring": 1, "second_round": 2}


@dataclass(frozen=True)
class CellRef:
    object_id: int
    criterion_id: int
    scale: tuple[float, float] | None


def _scored(o: Object) -> bool:
    """Only candidate objects are scored (:func:`prioritization.model.scored`)."""
    return model.scored(o.data)


def _cell(s: Session, round_id: int, object_key: str, criterion_key: str, *, scored_only: bool = True) -> CellRef:
    o = s.scalar(select(Object).where(Object.round_id == round_id, Object.key == object_key))
    c = s.scalar(select(Criterion).where(Criterion.round_id == round_id, Criterion.key == criterion_key))
    if o is None:
        raise StorageInputError("unknown_object", f"unknown object {object_key!r}", object=object_key)
    if scored_only and not _scored(o):  # committed, completed or withdrawn: nothing to score or agree on
        raise StorageInputError("not_scored", f"object {object_key!r} is not a candidate "
                                f"(status {o.data.get('status')}); it is not scored", object=object_key,
                                status=o.data.get("status"))
    if c is None:
        raise StorageInputError("unknown_criterion", f"unknown criterion {criterion_key!r}", criterion=criterion_key)
    scale = tuple(c.data["scale"]) if c.data.get("scale") else None
    return CellRef(o.id, c.id, scale)


def _check_value(value: float | None, scale, criterion_key: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise StorageInputError("not_a_number", f"{value!r} is not a number", value=str(value))
    if scale is not None:
        on = onto_scale(value, scale)
        if on is None:
            lo, hi = scale
            raise StorageInputError("out_of_scale", f"{value:g} is outside the scale {lo:g}–{hi:g} of {criterion_key}",
                                    value=value, lo=lo, hi=hi, criterion=criterion_key)
        value = on
    return float(value)


class ScoreChanged(StorageInputError):
    """The cell was changed since the page showed it (another tab or device, or a replayed
    click): the write is refused, the newer value stays. ``stored`` is the value now stored."""

    def __init__(self, object_key: str, criterion_key: str, stored: tuple[float | None, str | None] | None):
        self.stored = stored
        super().__init__("score_changed", f"{object_key}/{criterion_key} was changed since the page showed it",
                         object=object_key, criterion=criterion_key)


def save_score(db: Database, actor: Actor, round_id: int, object_key: str, criterion_key: str, value: float | None,
               comment: str | None = None, *, phase: int | None = None,
               seen: Collection[int] | None = None) -> int:
    """A participant saves their own score for one cell (None = "vet ej") while scoring is open.

    The write names its cell: object, criterion and, from the page, the Delphi ``phase`` it was
    shown for (refused if scoring has moved on) and the revisions of the cell the writer has
    ``seen`` (0 = no score yet; the page adds the revisions it wrote itself since). When the stored
    revision is not among them the cell was changed elsewhere and :class:`ScoreChanged` is raised:
    a stale or replayed write never overwrites a newer value. Without ``seen`` the last write wins
    (the CLI and imports).

    Returns the cell's revision after the write (unchanged when the value and comment already
    were the stored ones: nothing is written then).
    """
    if actor.role != PARTICIPANT:
        raise AccessDenied("participants_only", "only participants score; the facilitator sets agreed scores")
    require_round(actor, round_id)
    if comment is not None and len(comment) > MAX_COMMENT:
        raise StorageInputError("comment_too_long", f"the comment is longer than {MAX_COMMENT} characters",
                                limit=MAX_COMMENT)
    comment = comment.strip() or None if comment is not None else None
    with db.session() as s:
        require_live(s, actor)
        # the round row is locked first (PostgreSQL; SQLite writers are serialised anyway), so a
        # status change or a set-up edit and a score write exclude each other
        r = get_round(s, round_id, for_update=True)
        open_phase = OPEN_PHASE.get(r.status)
        if open_phase is None:
            raise AccessDenied("scoring_closed", "scoring is not open in this round")
        if phase is not None and phase != open_phase:
            raise StorageInputError("phase_moved", f"the page showed phase {phase}; scoring is now in phase "
                                    f"{open_phase}", shown=phase, now=open_phase)
        p = s.scalar(select(Participant).where(Participant.round_id == round_id,
                                               Participant.key == actor.participant_key))
        if p is None:
            raise AccessDenied("not_a_participant", "you are not a participant of this round")
        cell = _cell(s, round_id, object_key, criterion_key)
        value = _check_value(value, cell.scale, criterion_key)
        old = s.scalar(select(Score).where(Score.participant_id == p.id, Score.object_id == cell.object_id,
                                           Score.criterion_id == cell.criterion_id, Score.phase == open_phase)
                       .with_for_update())
        current = 0 if old is None else old.revision
        if seen is not None and current not in seen:
            raise ScoreChanged(object_key, criterion_key, None if old is None else (old.value, old.comment))
        if old is not None and old.value == value and old.comment == comment:
            return current
        now = utcnow()
        if old is None:
            _insert_new(s, {"round_id": round_id, "participant_id": p.id, "object_id": cell.object_id,
                            "criterion_id": cell.criterion_id, "phase": open_phase, "value": value,
                            "comment": comment, "updated_at": now, "revision": 1}, object_key, criterion_key)
        else:
            done = s.execute(update(Score).where(Score.id == old.id, Score.revision == current)
                             .values(value=value, comment=comment, updated_at=now, revision=current + 1)
                             .execution_options(synchronize_session=False))
            if done.rowcount != 1:  # changed between our read and write (defence in depth)
                raise ScoreChanged(object_key, criterion_key, None)
        audit.record(s, actor, round_id, "score.set", f"{object_key}/{criterion_key}/phase {open_phase}",
                     None if old is None else {"value": old.value, "comment": old.comment},
                     {"value": value, "comment": comment})
        return current + 1


def _insert_new(s: Session, row: dict, object_key: str, criterion_key: str) -> None:
    """Insert a cell's first score; a concurrent first write of the same cell wins and this one is
    refused as changed (never a silent overwrite, never a unique-constraint error)."""
    dialect = s.get_bind().dialect.name
    ins = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Score).values(**row)
    done = s.execute(ins.on_conflict_do_nothing(
        index_elements=["participant_id", "object_id", "criterion_id", "phase"]).returning(Score.id))
    if done.first() is None:  # the row exists: someone else wrote first
        raise ScoreChanged(object_key, criterion_key, None)


@dataclass(frozen=True)
class MyCell:
    """One of the participant's own cells as stored."""

    value: float | None  # None = "vet ej"
    comment: str | None
    phase: int  # the phase the value was given in (a second-round page also shows first-round values)
    revision: int  # revision of the open phase's row (0 = not written in this phase yet): for ``seen``
    updated_at: datetime


@dataclass(frozen=True)
class MyScoring:
    """What the scoring page needs in one read: the participant's cells, the phase open for
    writing (None when scoring is closed) and the object they were on."""

    cells: dict[tuple[str, str], MyCell]
    open_phase: int | None
    status: str
    current_object: str | None

    def answers(self) -> dict[tuple[str, str], tuple[float | None, str | None]]:
        return {k: (c.value, c.comment) for k, c in self.cells.items()}

    def revision(self, key: tuple[str, str]) -> int:
        cell = self.cells.get(key)
        return 0 if cell is None or cell.phase != self.open_phase else cell.revision


def my_scoring(db: Database, actor: Actor, round_id: int) -> MyScoring:
    """The participant's own latest scores (a later phase over an earlier one), with revisions."""
    if actor.role != PARTICIPANT:
        raise AccessDenied("participants_only", "only participants have their own scores")
    require_round(actor, round_id)
    with db.reader() as s:
        require_live(s, actor)
        r = get_round(s, round_id)
        p = s.scalar(select(Participant).where(Participant.round_id == round_id,
                                               Participant.key == actor.participant_key))
        if p is None:
            raise AccessDenied("not_a_participant", "you are not a participant of this round")
        rows = s.execute(
            select(Object.key, Criterion.key, Score.value, Score.comment, Score.phase, Score.revision,
                   Score.updated_at)
            .join(Object, Object.id == Score.object_id).join(Criterion, Criterion.id == Score.criterion_id)
            .where(Score.participant_id == p.id).order_by(Score.phase))
        cells = {(o, c): MyCell(v, cm, ph, rev, t) for o, c, v, cm, ph, rev, t in rows}
        return MyScoring(cells, OPEN_PHASE.get(r.status), r.status, p.current_object)


def set_current_object(db: Database, actor: Actor, round_id: int, object_key: str) -> None:
    """Remember the object the participant is on (not audited: it is a place, not a score)."""
    if actor.role != PARTICIPANT:
        raise AccessDenied("participants_only", "only participants have a place in the scoring")
    require_round(actor, round_id)
    with db.session() as s:
        require_live(s, actor)
        p = s.scalar(select(Participant).where(Participant.round_id == round_id,
                                               Participant.key == actor.participant_key))
        if p is None:
            raise AccessDenied("not_a_participant", "you are not a participant of this round")
        if p.current_object != object_key:
            p.current_object = object_key


def my_scores(db: Database, actor: Actor, round_id: int) -> dict[tuple[str, str], tuple[float | None, str | None]]:
    """The participant's own latest scores: {(object, criterion): (value, comment)}."""
    return my_scoring(db, actor, round_id).answers()


@dataclass(frozen=True)
class RatingCube:
    """Individual ratings of one phase: (participants, objects, criteria), NaN = none."""

    participants: list[str]  # keys; empty for anonymous views
    objects: list[str]
    criteria: list[str]
    values: np.ndarray
    answered: np.ndarray  # bool: the participant answered the cell (a number or "vet ej")


def _cube(s: Session, round_id: int, phase: int | None) -> RatingCube:
    parts = list(s.scalars(select(Participant).where(Participant.round_id == round_id).order_by(Participant.position)))
    # only the objects that are scored: progress, heatmap and cell chooser never count a committed one
    objs = [o for o in s.scalars(select(Object).where(Object.round_id == round_id).order_by(Object.position))
            if _scored(o)]
    crits = list(s.scalars(select(Criterion).where(Criterion.round_id == round_id).order_by(Criterion.position)))
    pi = {p.id: k for k, p in enumerate(parts)}
    oi = {o.id: k for k, o in enumerate(objs)}
    ci = {c.id: k for k, c in enumerate(crits)}
    values = np.full((len(parts), len(objs), len(crits)), np.nan)
    answered = np.zeros(values.shape, dtype=bool)
    q = (select(Score.participant_id, Score.object_id, Score.criterion_id, Score.value)
         .where(Score.round_id == round_id).order_by(Score.phase))
    if phase is not None:
        q = q.where(Score.phase == phase)
    # column rows, not ORM objects (fast for large rounds); later phases overwrite earlier ones
    latest = {(p, o, c): v for p, o, c, v in s.execute(q) if o in oi}
    if latest:
        keys = list(latest)
        idx = tuple(np.fromiter((m[k[d]] for k in keys), int, len(keys)) for d, m in enumerate((pi, oi, ci)))
        values[idx] = np.array([np.nan if v is None else v for v in latest.values()], dtype=float)
        answered[idx] = True
    return RatingCube([p.key for p in parts], [o.key for o in objs], [c.key for c in crits], values, answered)


def ratings(db: Database, actor: Actor, round_id: int, phase: int | None = None) -> RatingCube:
    """Named individual ratings (``access.may_see_named_ratings``)."""
    require_round(actor, round_id)
    with db.reader() as s:
        r = get_round(s, round_id)
        if not may_see_named_ratings(actor, r.status):
            raise AccessDenied("hidden_scores", "individual scores are only visible to the facilitator")
        return _cube(s, round_id, phase)


def anonymous_ratings(db: Database, actor: Actor, round_id: int, phase: int) -> RatingCube:
    """Ratings of a phase without names, shuffled per cell, for the distribution views.

    Facilitator: always. Participants and viewers: only phases the facilitator has revealed.
    """
    require_round(actor, round_id)
    with db.reader() as s:
        r = get_round(s, round_id)
        if actor.role != FACILITATOR and phase > r.revealed_phase:
            raise AccessDenied("not_revealed", "the facilitator has not revealed these scores yet")
        cube = _cube(s, round_id, phase)
    # sort each cell's ratings so the participant axis carries no identity
    vals = np.sort(cube.values, axis=0)
    answered = np.sort(cube.answered, axis=0)[::-1]
    return RatingCube([], cube.objects, cube.criteria, vals, answered)


def anonymous_comments(db: Database, actor: Actor, round_id: int, phase: int, object_key: str,
                       criterion_key: str) -> list[str]:
    """The comments of one cell in a phase without names, in alphabetical order, for the discussion
    on the projector. The same rule as :func:`anonymous_ratings`: facilitator always, others only
    phases the facilitator has revealed."""
    require_round(actor, round_id)
    with db.reader() as s:
        r = get_round(s, round_id)
        if actor.role != FACILITATOR and phase > r.revealed_phase:
            raise AccessDenied("not_revealed", "the facilitator has not revealed these scores yet")
        cell = _cell(s, round_id, object_key, criterion_key)
        found = s.scalars(select(Score.comment).where(
            Score.round_id == round_id, Score.object_id == cell.object_id, Score.criterion_id == cell.criterion_id,
            Score.phase == phase, Score.comment.is_not(None)))
        return sorted(c for c in found if c and c.strip())


def progress(db: Database, actor: Actor, round_id: int, phase: int | None = None) -> dict[str, int]:
    """Answered cells per participant key (facilitator only)."""
    require_facilitator(actor)
    with db.reader() as s:
        r = get_round(s, round_id)
        parts = s.execute(select(Participant.id, Participant.key).where(Participant.round_id == round_id)
                          .order_by(Participant.position)).all()
        # counted in the database (the projector asks after every saved score): the cells answered in
        # the phase, a number or "vet ej", of the objects that are scored (as _cube counts them)
        unscored = [o.id for o in s.scalars(select(Object).where(Object.round_id == round_id)) if not _scored(o)]
        q = (select(Score.participant_id, func.count())
             .where(Score.round_id == round_id, Score.phase == (phase or OPEN_PHASE.get(r.status, 1)))
             .group_by(Score.participant_id))
        if unscored:
            q = q.where(Score.object_id.not_in(unscored))
        counts = dict(s.execute(q).all())
    return {key: int(counts.get(pid, 0)) for pid, key in parts}


def set_agreed_score(db: Database, actor: Actor, round_id: int, object_key: str, criterion_key: str, value: float,
                     note: str | None = None) -> None:
    """The facilitator records the agreed score for a cell (with a note)."""
    require_facilitator(actor)
    with db.session() as s:
        require_live(s, actor)  # a revoked or signed-out tab writes nothing
        get_round(s, round_id, for_update=True)
        cell = _cell(s, round_id, object_key, criterion_key)
        if value is None:
            raise StorageInputError("agreed_needs_value", "an agreed score needs a number")
        if note is not None and len(note) > MAX_COMMENT:
            raise StorageInputError("comment_too_long", f"the comment is longer than {MAX_COMMENT} characters",
                                    limit=MAX_COMMENT)
        value = _check_value(value, cell.scale, criterion_key)
        row = s.scalar(select(AgreedScore).where(AgreedScore.object_id == cell.object_id,
                                                 AgreedScore.criterion_id == cell.criterion_id))
        old = None if row is None else {"value": row.value, "note": row.comment}
        if row is None:
            s.add(AgreedScore(round_id=round_id, object_id=cell.object_id, criterion_id=cell.criterion_id,
                              value=value, comment=note))
        else:
            row.value, row.comment, row.updated_at = value, note, utcnow()
        audit.record(s, actor, round_id, "agreed.set", f"{object_key}/{criterion_key}", old,
                     {"value": value, "note": note})


def clear_agreed_score(db: Database, actor: Actor, round_id: int, object_key: str, criterion_key: str) -> None:
    require_facilitator(actor)
    with db.session() as s:
        require_live(s, actor)  # a revoked or signed-out tab writes nothing
        cell = _cell(s, round_id, object_key, criterion_key, scored_only=False)  # clearing is always allowed
        row = s.scalar(select(AgreedScore).where(AgreedScore.object_id == cell.object_id,
                                                 AgreedScore.criterion_id == cell.criterion_id))
        if row is not None:
            audit.record(s, actor, round_id, "agreed.clear", f"{object_key}/{criterion_key}",
                         {"value": row.value, "note": row.comment}, None)
            s.delete(row)


def agreed_scores(db: Database, actor: Actor, round_id: int) -> dict[tuple[str, str], tuple[float, str | None]]:
    """The agreed scores {(object, criterion): (value, note)} (anyone with access to the round)."""
    require_round(actor, round_id)
    with db.reader() as s:
        get_round(s, round_id)
        rows = s.execute(
            select(Object.key, Criterion.key, AgreedScore.value, AgreedScore.comment)
            .join(Object, Object.id == AgreedScore.object_id).join(Criterion, Criterion.id == AgreedScore.criterion_id)
            .where(AgreedScore.round_id == round_id).order_by(Object.position, Criterion.position))
        return {(o, c): (v, note) for o, c, v, note in rows}
