"""Scores in the live workshop: each participant writes their own cells; the facilitator sees
progress and disagreement and sets agreed scores. Visibility rules live here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from prioritization.storage import audit
from prioritization.storage.access import (
    FACILITATOR,
    PARTICIPANT,
    AccessDenied,
    Actor,
    require_facilitator,
    require_round,
)
from prioritization.storage.errors import StorageInputError
from prioritization.storage.rounds import get_round
from prioritization.storage.schema import AgreedScore, Criterion, Object, Participant, Score, utcnow

OPEN_PHASE = {"scoring": 1, "second_round": 2}
MAX_COMMENT = 2000


@dataclass(frozen=True)
class CellRef:
    object_id: int
    criterion_id: int
    scale: tuple[float, float] | None


def _cell(s: Session, round_id: int, object_key: str, criterion_key: str) -> CellRef:
    o = s.scalar(select(Object).where(Object.round_id == round_id, Object.key == object_key))
    c = s.scalar(select(Criterion).where(Criterion.round_id == round_id, Criterion.key == criterion_key))
    if o is None:
        raise StorageInputError("unknown_object", f"unknown object {object_key!r}", object=object_key)
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
        lo, hi = scale
        band = 1e-9 * (hi - lo)
        if value < lo - band or value > hi + band:
            raise StorageInputError("out_of_scale", f"{value:g} is outside the scale {lo:g}–{hi:g} of {criterion_key}",
                                    value=value, lo=lo, hi=hi, criterion=criterion_key)
        value = min(max(float(value), lo), hi)
    return float(value)


def _upsert(s: Session, row: dict) -> None:
    dialect = s.get_bind().dialect.name
    ins = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Score).values(**row)
    s.execute(ins.on_conflict_do_update(
        index_elements=["participant_id", "object_id", "criterion_id", "phase"],
        set_={"value": ins.excluded.value, "comment": ins.excluded.comment, "updated_at": ins.excluded.updated_at}))


def save_score(db, actor: Actor, round_id: int, object_key: str, criterion_key: str, value: float | None,
               comment: str | None = None) -> None:
    """A participant saves their own score for one cell (None = "vet ej") while scoring is open."""
    if actor.role != PARTICIPANT:
        raise AccessDenied("participants_only", "only participants score; the facilitator sets agreed scores")
    require_round(actor, round_id)
    if comment is not None and len(comment) > MAX_COMMENT:
        raise StorageInputError("comment_too_long", f"the comment is longer than {MAX_COMMENT} characters",
                                limit=MAX_COMMENT)
    comment = comment.strip() or None if comment is not None else None
    with db.session() as s:
        r = get_round(s, round_id)
        phase = OPEN_PHASE.get(r.status)
        if phase is None:
            raise AccessDenied("scoring_closed", "scoring is not open in this round")
        p = s.scalar(select(Participant).where(Participant.round_id == round_id,
                                               Participant.key == actor.participant_key))
        if p is None:
            raise AccessDenied("not_a_participant", "you are not a participant of this round")
        cell = _cell(s, round_id, object_key, criterion_key)
        value = _check_value(value, cell.scale, criterion_key)
        old = s.scalar(select(Score).where(Score.participant_id == p.id, Score.object_id == cell.object_id,
                                           Score.criterion_id == cell.criterion_id, Score.phase == phase))
        if old is not None and old.value == value and old.comment == comment:
            return
        _upsert(s, {"round_id": round_id, "participant_id": p.id, "object_id": cell.object_id,
                    "criterion_id": cell.criterion_id, "phase": phase, "value": value, "comment": comment,
                    "updated_at": utcnow()})
        audit.record(s, actor, round_id, "score.set", f"{object_key}/{criterion_key}/phase {phase}",
                     None if old is None else {"value": old.value, "comment": old.comment},
                     {"value": value, "comment": comment})


def my_scores(db, actor: Actor, round_id: int) -> dict[tuple[str, str], tuple[float | None, str | None]]:
    """The participant's own latest scores: {(object, criterion): (value, comment)}."""
    if actor.role != PARTICIPANT:
        raise AccessDenied("participants_only", "only participants have their own scores")
    require_round(actor, round_id)
    with db.reader() as s:
        p = s.scalar(select(Participant).where(Participant.round_id == round_id,
                                               Participant.key == actor.participant_key))
        if p is None:
            raise AccessDenied("not_a_participant", "you are not a participant of this round")
        rows = s.execute(
            select(Object.key, Criterion.key, Score.value, Score.comment, Score.phase)
            .join(Object, Object.id == Score.object_id).join(Criterion, Criterion.id == Score.criterion_id)
            .where(Score.participant_id == p.id).order_by(Score.phase))
        return {(o, c): (v, cm) for o, c, v, cm, _ in rows}


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
    objs = list(s.scalars(select(Object).where(Object.round_id == round_id).order_by(Object.position)))
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
    latest = {(p, o, c): v for p, o, c, v in s.execute(q)}
    if latest:
        keys = list(latest)
        idx = tuple(np.fromiter((m[k[d]] for k in keys), int, len(keys)) for d, m in enumerate((pi, oi, ci)))
        values[idx] = np.array([np.nan if v is None else v for v in latest.values()], dtype=float)
        answered[idx] = True
    return RatingCube([p.key for p in parts], [o.key for o in objs], [c.key for c in crits], values, answered)


def ratings(db, actor: Actor, round_id: int, phase: int | None = None) -> RatingCube:
    """Named individual ratings: the facilitator always; viewers once the round is locked."""
    require_round(actor, round_id)
    with db.reader() as s:
        r = get_round(s, round_id)
        if not (actor.role == FACILITATOR or (actor.role != PARTICIPANT and r.status == "locked")):
            raise AccessDenied("hidden_scores", "individual scores are only visible to the facilitator")
        return _cube(s, round_id, phase)


def anonymous_ratings(db, actor: Actor, round_id: int, phase: int) -> RatingCube:
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


def progress(db, actor: Actor, round_id: int, phase: int | None = None) -> dict[str, int]:
    """Answered cells per participant key (facilitator only)."""
    require_facilitator(actor)
    with db.reader() as s:
        r = get_round(s, round_id)
        cube = _cube(s, round_id, phase or OPEN_PHASE.get(r.status, 1))
    return {p: int(cube.answered[k].sum()) for k, p in enumerate(cube.participants)}


def set_agreed_score(db, actor: Actor, round_id: int, object_key: str, criterion_key: str, value: float,
                     note: str | None = None) -> None:
    """The facilitator records the agreed score for a cell (with a note)."""
    require_facilitator(actor)
    with db.session() as s:
        get_round(s, round_id)
        cell = _cell(s, round_id, object_key, criterion_key)
        if value is None:
            raise StorageInputError("agreed_needs_value", "an agreed score needs a number")
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


def clear_agreed_score(db, actor: Actor, round_id: int, object_key: str, criterion_key: str) -> None:
    require_facilitator(actor)
    with db.session() as s:
        cell = _cell(s, round_id, object_key, criterion_key)
        row = s.scalar(select(AgreedScore).where(AgreedScore.object_id == cell.object_id,
                                                 AgreedScore.criterion_id == cell.criterion_id))
        if row is not None:
            audit.record(s, actor, round_id, "agreed.clear", f"{object_key}/{criterion_key}",
                         {"value": row.value, "note": row.comment}, None)
            s.delete(row)


def agreed_scores(db, actor: Actor, round_id: int) -> dict[tuple[str, str], tuple[float, str | None]]:
    """The agreed scores {(object, criterion): (value, note)} (anyone with access to the round)."""
    require_round(actor, round_id)
    with db.reader() as s:
        get_round(s, round_id)
        rows = s.execute(
            select(Object.key, Criterion.key, AgreedScore.value, AgreedScore.comment)
            .join(Object, Object.id == AgreedScore.object_id).join(Criterion, Criterion.id == AgreedScore.criterion_id)
            .where(AgreedScore.round_id == round_id).order_by(Object.position, Criterion.position))
        return {(o, c): (v, note) for o, c, v, note in rows}
