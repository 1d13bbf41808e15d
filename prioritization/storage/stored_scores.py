"""A round's scores as the model holds them, built straight from the rows (issue 15).

What the app wrote is trusted: every write was validated with the whole round, so reading the live
round back need not run 30 000 score records through the project-file reader again (that was most
of a cold results page). The rows become :class:`prioritization.model.Score` values the way the
reader would make them: each participant's latest phase, numbers as floats put on the criterion's
scale (:func:`prioritization.engine.normalize.onto_scale`, the same rule), in canonical order. Should
a row ever hold what the reader would refuse (off the scale, an agreed "vet ej", a score of 0 or
less under the geometric aggregation), :func:`read` returns None and the caller reads the round the
validating way, so the rows never give a different project than the file would.
"""

from __future__ import annotations

import math
import sys
from operator import itemgetter

from sqlalchemy import select
from sqlalchemy.orm import Session

from prioritization import projectfile
from prioritization.engine.normalize import onto_scale
from prioritization.model import Project
from prioritization.model import Score as ScoreValue
from prioritization.storage.schema import AgreedScore, Criterion, Object, Participant, Score


def read(s: Session, round_id: int, setup: Project) -> tuple[ScoreValue, ...] | None:
    """The scores of ``round_id`` for its set-up ``setup`` (read in the same transaction), in the
    order of :func:`prioritization.projectfile.canonical_scores`; None if the validating reader
    would refuse one of them."""
    with projectfile.collector_paused():  # tens of thousands of objects, no reference cycle
        return _read(s, round_id, setup)


def _read(s: Session, round_id: int, setup: Project) -> tuple[ScoreValue, ...] | None:

    def where(table, ids: dict[str, int]) -> dict[int, tuple[str, int]]:
        """Row id -> (key, place in the set-up's order), for the rows of the set-up. A reader sees
        one snapshot (``Database.reader``); should a row added since the set-up was read be seen
        all the same, a score on it sends the round through the validating reader (below)."""
        return {row_id: (key, ids[key]) for row_id, key in
                s.execute(select(table.id, table.key).where(table.round_id == round_id)) if key in ids}

    objects = where(Object, {o.id: i for i, o in enumerate(setup.objects)})
    criteria = where(Criterion, {c.id: j for j, c in enumerate(setup.criteria)})
    people = where(Participant, {p.id: k for k, p in enumerate(setup.participants)})
    n_c, n_p = len(setup.criteria), len(setup.participants) + 1  # the agreed score comes after every participant's
    # Python floats (comparing with the NumPy numbers a scale may hold costs microseconds per
    # score); a free number must be finite: the largest floats as its bounds
    bounds = {c.id: (float(c.scale[0]), float(c.scale[1])) if c.scale is not None else (-_MAX, _MAX)
              for c in setup.criteria}
    scales = {c.id: c.scale for c in setup.criteria}
    geometric = setup.aggregation == "geometric"
    q = (select(Score.participant_id, Score.object_id, Score.criterion_id, Score.value, Score.comment)
         .where(Score.round_id == round_id).order_by(Score.phase))
    # Core rows, not the session's (no ORM row processing); the last phase wins
    latest = {(p, o, c): (value, comment) for p, o, c, value, comment in s.connection().execute(q)}
    out: list[tuple[int, ScoreValue]] = []
    add = out.append
    for (p, o, c), (value, comment) in latest.items():
        try:
            (oid, i), (cid, j), (pid, k) = objects[o], criteria[c], people[p]
        except KeyError:  # a score on a row the set-up read does not have
            return None
        if value is not None:
            value = float(value)
            lo, hi = bounds[cid]
            if not lo <= value <= hi:
                value = _on_scale(value, scales[cid])
                if value is None:
                    return None
            if geometric and value <= 0:
                return None
        add(((i * n_c + j) * n_p + k, ScoreValue(oid, cid, pid, value, comment)))
    q2 = (select(AgreedScore.object_id, AgreedScore.criterion_id, AgreedScore.value, AgreedScore.comment)
          .where(AgreedScore.round_id == round_id))
    for o, c, value, comment in s.execute(q2):
        try:
            (oid, i), (cid, j) = objects[o], criteria[c]
        except KeyError:
            return None
        value = None if value is None else _on_scale(float(value), scales[cid])
        if value is None:
            return None
        add(((i * n_c + j) * n_p + n_p - 1, ScoreValue(oid, cid, None, value, comment)))
    out.sort(key=itemgetter(0))
    return tuple(map(itemgetter(1), out))


_MAX = sys.float_info.max


def _on_scale(value: float, scale: tuple[float, float] | None) -> float | None:
    if scale is None:
        return value if math.isfinite(value) else None
    if scale[0] <= value <= scale[1]:  # on the scale already (the rule below gives the same)
        return value
    return onto_scale(value, scale) if math.isfinite(value) else None
