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

from sqlalchemy import select
from sqlalchemy.orm import Session

from prioritization.engine.normalize import onto_scale
from prioritization.model import Project
from prioritization.model import Score as ScoreValue
from prioritization.storage.schema import AgreedScore, Criterion, Object, Participant, Score


def read(s: Session, round_id: int, setup: Project) -> tuple[ScoreValue, ...] | None:
    """The scores of ``round_id`` for its set-up ``setup`` (read in the same transaction), in the
    order of :func:`prioritization.projectfile.canonical_scores`; None if the validating reader
    would refuse one of them."""

    def keys(table) -> dict[int, str]:
        return dict(s.execute(select(table.id, table.key).where(table.round_id == round_id)).all())

    okey, ckey, pkey = keys(Object), keys(Criterion), keys(Participant)
    opos = {o.id: i for i, o in enumerate(setup.objects)}
    cpos = {c.id: j for j, c in enumerate(setup.criteria)}
    ppos = {p.id: k for k, p in enumerate(setup.participants)}
    n_c, n_p = len(cpos), len(ppos) + 1  # the agreed score comes after every participant's
    # Python floats: comparing with the NumPy numbers a scale may hold costs microseconds per score
    scale = {c.id: None if c.scale is None else (float(c.scale[0]), float(c.scale[1])) for c in setup.criteria}
    geometric = setup.aggregation == "geometric"
    latest: dict[tuple[int, int, int], tuple[float | None, str | None]] = {}
    q = (select(Score.participant_id, Score.object_id, Score.criterion_id, Score.value, Score.comment)
         .where(Score.round_id == round_id).order_by(Score.phase))
    for p, o, c, value, comment in s.execute(q):
        latest[(p, o, c)] = (value, comment)
    out: list[tuple[int, ScoreValue]] = []
    for (p, o, c), (value, comment) in latest.items():
        oid, cid, pid = okey[o], ckey[c], pkey[p]
        if value is not None:
            value = _on_scale(float(value), scale[cid])
            if value is None or (geometric and value <= 0):
                return None
        out.append(((opos[oid] * n_c + cpos[cid]) * n_p + ppos[pid], ScoreValue(oid, cid, pid, value, comment)))
    q2 = (select(AgreedScore.object_id, AgreedScore.criterion_id, AgreedScore.value, AgreedScore.comment)
          .where(AgreedScore.round_id == round_id))
    for o, c, value, comment in s.execute(q2):
        oid, cid = okey[o], ckey[c]
        if value is None:
            return None
        value = _on_scale(float(value), scale[cid])
        if value is None:
            return None
        out.append(((opos[oid] * n_c + cpos[cid]) * n_p + n_p - 1, ScoreValue(oid, cid, None, value, comment)))
    out.sort(key=lambda x: x[0])
    return tuple(score for _, score in out)


def _on_scale(value: float, scale: tuple[float, float] | None) -> float | None:
    if scale is None:
        return value if math.isfinite(value) else None
    if scale[0] <= value <= scale[1]:  # on the scale already (the rule below gives the same)
        return value
    return onto_scale(value, scale) if math.isfinite(value) else None
