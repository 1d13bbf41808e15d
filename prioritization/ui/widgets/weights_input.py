"""Pure helpers between weight widgets and format-v1 weights objects (no Streamlit).

The set-up pages turn widget values into the weights objects of the project file
(docs/project-file.md, "Weights") and back, and use the engine [S2] to preview the result.

Design choices (documented here because the pages rely on them):

* **100-point allocation is not forced to sum to exactly 100.** Direct points are always divided
  by their sum [S0.1, S2.1], so the page shows the running sum and warns when it is not 100 but
  still lets the facilitator save. Forcing exactly 100 on 12 number inputs is tedious and adds
  nothing: 50/30/20 and 5/3/2 are the same weights. Only an all-zero allocation is refused.
* **Swing** needs its largest point to be exactly 100 [S2.3]; the page refuses to preview or save
  otherwise (the file format rejects it too).
* **Ranks** are whole numbers >= 1 with ties allowed; only the order matters [S2.2].
* **AHP** judgements are entered on Saaty's 1/9..9 scale, one per pair (i < j) in the row order of
  the upper triangle [S2.4]. A judgement is stored as a signed integer: ``s > 0`` means the first
  criterion of the pair is ``s`` times as important (``a_ij = s``), ``s < 0`` means the second is
  ``|s|`` times as important (``a_ij = 1/|s|``) and ``1`` means equally important.
* **The participants' aggregate** is the arithmetic mean of each participant's *normalised*
  weights (each participant's weights sum to 1 first, so every participant counts equally,
  whatever method or point total they used). It is saved as a ``direct`` weights object whose
  points are the mean weights in percent, rounded to 2 decimals (the rounding changes a weight by
  at most 0.005 percentage points before normalisation). The arithmetic mean keeps the sum at 1 and
  is easy to explain in a workshop; the geometric mean of AHP judgements (AIJ) would be the choice
  for aggregating pairwise matrices, which is not what participants enter here.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from prioritization.engine import weights as wts
from prioritization.errors import InputError

METHODS = ("direct", "swing", "roc", "rank_sum", "ahp")
# Saaty's scale as signed judgements, from "first extremely more important" to "second extremely
# more important"; the slider shows them in this order.
SAATY_OPTIONS: tuple[int, ...] = (9, 8, 7, 6, 5, 4, 3, 2, 1, -2, -3, -4, -5, -6, -7, -8, -9)
POINTS_TOTAL = 100.0
SUM_TOLERANCE = 1e-9


# ------------------------------------------------------------------------------------------
# AHP judgements


def judgement_value(option: int) -> float:
    """a_ij of a signed Saaty judgement (see module docstring)."""
    if option not in SAATY_OPTIONS:
        raise InputError(f"{option!r} is not a judgement on Saaty's scale")
    return float(option) if option > 0 else 1.0 / -option


def nearest_judgement(a: float) -> int:
    """The Saaty judgement closest to the ratio ``a`` in log space (ties to the smaller intensity)."""
    if not (a > 0 and math.isfinite(a)):
        raise InputError(f"a pairwise ratio must be a positive number, got {a!r}")
    target = math.log(a)
    by_distance = sorted(SAATY_OPTIONS, key=lambda s: (abs(math.log(judgement_value(s)) - target), abs(s)))
    return by_distance[0]


def pairs(n: int) -> list[tuple[int, int]]:
    """Index pairs (i, j), i < j, in the row order of the upper triangle [S2.4]."""
    return [(i, j) for i in range(n) for j in range(i + 1, n)]


def ahp_matrix(judgements: Sequence[int], n: int) -> np.ndarray:
    """The reciprocal matrix from signed judgements in :func:`pairs` order."""
    return wts.ahp_matrix_from_upper([judgement_value(s) for s in judgements], n)


# ------------------------------------------------------------------------------------------
# Widget values -> weights objects


def _clean(x: float) -> int | float:
    x = float(x)
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


def _check_length(ids: Sequence[str], values: Sequence[Any], what: str) -> None:
    if len(values) != len(ids):
        raise InputError(f"{len(ids)} criteria need {len(ids)} {what}, got {len(values)}")


def direct_object(ids: Sequence[str], points: Sequence[float]) -> dict[str, Any]:
    _check_length(ids, points, "points")
    return {"method": "direct", "points": {cid: _clean(p) for cid, p in zip(ids, points, strict=True)}}


def swing_object(ids: Sequence[str], points: Sequence[float]) -> dict[str, Any]:
    _check_length(ids, points, "swing points")
    return {"method": "swing", "points": {cid: _clean(p) for cid, p in zip(ids, points, strict=True)}}


def rank_object(ids: Sequence[str], ranks: Sequence[int], method: str) -> dict[str, Any]:
    if method not in ("roc", "rank_sum"):
        raise InputError(f"unknown rank weighting method {method!r} (roc or rank_sum)")
    _check_length(ids, ranks, "ranks")
    return {"method": method, "ranks": {cid: int(r) for cid, r in zip(ids, ranks, strict=True)}}


def ahp_object(ids: Sequence[str], judgements: Sequence[int], variant: str = "eigen",
               ri_table: str | None = None) -> dict[str, Any]:
    a = ahp_matrix(judgements, len(ids))
    obj: dict[str, Any] = {"method": "ahp", "variant": variant, "matrix": [[_clean(x) for x in row] for row in a]}
    if ri_table is not None:
        obj["ri_table"] = ri_table
    return obj


# ------------------------------------------------------------------------------------------
# Weights objects -> weights and widget values


def resolve(obj: Mapping[str, Any], ids: Sequence[str]) -> np.ndarray:
    """The normalised weights [S2] of a format-v1 weights object, in ``ids`` order.

    Raises InputError if the object does not fit the criteria (missing or unknown ids, bad values).
    """
    if not isinstance(obj, Mapping):
        raise InputError("a weights object must be a mapping with a method")
    method = obj.get("method")
    if method in ("direct", "swing", "roc", "rank_sum"):
        key = "points" if method in ("direct", "swing") else "ranks"
        table = obj.get(key)
        if not isinstance(table, Mapping):
            raise InputError(f"{method} weights need {key}")
        missing = [cid for cid in ids if cid not in table]
        unknown = [cid for cid in table if cid not in ids]
        if missing or unknown:
            raise InputError(f"the weights do not fit the criteria (missing {missing}, unknown {unknown})")
        values = [table[cid] for cid in ids]
        if method == "direct":
            return wts.direct_weights(values)
        if method == "swing":
            return wts.swing_weights(values)
        return wts.rank_weights(values, method)
    if method == "ahp":
        a = np.asarray(obj.get("matrix"), dtype=float)
        if a.shape != (len(ids), len(ids)):
            raise InputError(f"the AHP matrix must be {len(ids)}×{len(ids)}")
        return wts.ahp_weights(a, obj.get("variant", "eigen"))
    raise InputError(f"unknown weighting method {method!r}")


def dense_ranks(w: Sequence[float]) -> list[int]:
    """Ranks 1, 2, ... by descending weight; equal weights (within 1e-12) share a rank."""
    w = np.asarray(w, dtype=float)
    distinct: list[float] = []
    for x in sorted(w, reverse=True):
        if not distinct or distinct[-1] - x > 1e-12:
            distinct.append(float(x))
    return [next(k for k, d in enumerate(distinct, start=1) if abs(d - x) <= 1e-12) for x in w]


def initial_inputs(method: str, obj: Mapping[str, Any] | None, ids: Sequence[str]) -> list:
    """Starting widget values for ``method``: the object's own values when it uses that method,
    otherwise values derived from its weights (equal weights if there is no usable object).

    direct -> points (float, 1 decimal when derived); swing -> int points 0..100 with max 100;
    roc/rank_sum -> int ranks 1..k without gaps; ahp -> signed Saaty judgements in :func:`pairs` order.
    """
    n = len(ids)
    try:
        w = resolve(obj, ids) if obj is not None else np.full(n, 1.0 / n)
    except InputError:
        w, obj = np.full(n, 1.0 / n), None
    same = obj is not None and obj.get("method") == method
    if method == "direct":
        if same:
            return [float(obj["points"][cid]) for cid in ids]
        return [round(100.0 * x, 1) for x in w]
    if method == "swing":
        if same:
            return [int(round(float(obj["points"][cid]))) for cid in ids]
        return [int(round(100.0 * x / w.max())) for x in w]
    if method in ("roc", "rank_sum"):
        if obj is not None and obj.get("method") in ("roc", "rank_sum"):
            # the stored ranks, closed up to 1..k (same order and ties, so the same weights [S2.2])
            return dense_ranks([-float(obj["ranks"][cid]) for cid in ids])
        return dense_ranks(w)
    if method == "ahp":
        if same:
            a = np.asarray(obj["matrix"], dtype=float)
            return [nearest_judgement(a[i, j]) for i, j in pairs(n)]
        return [nearest_judgement(w[i] / w[j]) for i, j in pairs(n)]
    raise InputError(f"unknown weighting method {method!r}")


def ahp_on_saaty_scale(obj: Mapping[str, Any]) -> bool:
    """True if every upper-triangle entry of an AHP object is exactly on Saaty's scale (to 1e-9),
    i.e. the sliders can show the stored matrix without rounding it."""
    a = np.asarray(obj["matrix"], dtype=float)
    return all(abs(judgement_value(nearest_judgement(a[i, j])) - a[i, j]) <= 1e-9 * a[i, j]
               for i, j in pairs(a.shape[0]))


def points_sum(points: Sequence[float]) -> float:
    return float(sum(float(p) for p in points))


def sums_to_100(points: Sequence[float]) -> bool:
    return abs(points_sum(points) - POINTS_TOTAL) <= SUM_TOLERANCE * POINTS_TOTAL


# ------------------------------------------------------------------------------------------
# AHP feedback in plain words


@dataclass(frozen=True)
class PairFeedback:
    """A judgement oriented so that ``given >= 1``: "``first`` against ``second``: you said
    ``given``, the weights correspond to ``implied``"."""

    first: int
    second: int
    given: float
    implied: float
    log_error: float


def inconsistent_pairs(matrix, weights=None, top: int = 3) -> list[PairFeedback]:
    """The ``top`` judgements that deviate most from the weights' ratios [S2.4], oriented for reading."""
    out = []
    for jd in wts.most_inconsistent(matrix, weights, top=top):
        i, j, given, implied = jd.i, jd.j, jd.given, jd.implied
        if given < 1 or (given == 1 and implied < 1):
            i, j, given, implied = j, i, 1.0 / given, 1.0 / implied
        out.append(PairFeedback(i, j, given, implied, jd.log_error))
    return out


# ------------------------------------------------------------------------------------------
# Participants' weights


@dataclass(frozen=True)
class ParticipantMean:
    mean: np.ndarray | None  # mean normalised weights in ids order; None if nobody has usable weights
    used: list[str] = field(default_factory=list)  # participant keys included
    unusable: list[str] = field(default_factory=list)  # keys whose weights do not fit the criteria
    per_participant: dict[str, np.ndarray] = field(default_factory=dict)


def participant_mean(own: Mapping[str, Mapping[str, Any] | None], ids: Sequence[str]) -> ParticipantMean:
    """Arithmetic mean of the participants' normalised weights (see module docstring).

    Participants without weights are left out; weights that no longer fit the criteria (the
    criteria changed after they were given) are reported in ``unusable`` and left out.
    """
    used, unusable, per = [], [], {}
    for key, obj in own.items():
        if obj is None:
            continue
        try:
            per[key] = resolve(obj, ids)
            used.append(key)
        except InputError:
            unusable.append(key)
    mean = np.mean(np.vstack([per[k] for k in used]), axis=0) if used else None
    return ParticipantMean(mean, used, unusable, per)


def mean_object(ids: Sequence[str], mean: Sequence[float]) -> dict[str, Any]:
    """The aggregate as direct points: percent, rounded to 2 decimals."""
    return direct_object(ids, [round(100.0 * float(x), 2) for x in mean])


# ------------------------------------------------------------------------------------------
# Keeping weights valid when the criteria change


def adapt_to_criteria(obj: Mapping[str, Any], old_ids: Sequence[str], new_ids: Sequence[str]
                      ) -> tuple[dict[str, Any], list[tuple[str, dict[str, Any]]]]:
    """Carry a weights object over to a new list of criteria (used when the criteria are edited).

    Removed criteria lose their entry; the remaining criteria keep their relative weights. Added
    criteria get: 0 points (direct, swing), the rank after the last (roc, rank_sum), or "equally
    important" to every other criterion (AHP). A swing object whose 100-point criterion was removed
    is rescaled so its largest point is 100 again (same weights); if no point is left above 0, or
    nothing usable is left, the result is equal direct points. Returns the new object and notes
    ``(code, params)`` describing every change, for the page to show before saving.
    """
    old_ids, new_ids = list(old_ids), list(new_ids)
    if old_ids == new_ids or not new_ids:
        return copy.deepcopy(dict(obj)), []
    added = [c for c in new_ids if c not in old_ids]
    notes: list[tuple[str, dict[str, Any]]] = []
    method = obj.get("method")

    def equal() -> dict[str, Any]:
        notes.append(("equal", {}))
        return direct_object(new_ids, [round(POINTS_TOTAL / len(new_ids), 2)] * len(new_ids))

    if method in ("direct", "swing"):
        old = obj.get("points") or {}
        points = {c: float(old[c]) if c in old and c in old_ids else 0.0 for c in new_ids}
        if added:
            notes.append(("added_zero", {"ids": ", ".join(added)}))
        if sum(points.values()) <= 0:
            return equal(), notes
        if method == "swing" and max(points.values()) != POINTS_TOTAL:
            biggest = max(points, key=points.get)
            top = points[biggest]
            points = {c: POINTS_TOTAL * p / top for c, p in points.items()}
            points[biggest] = POINTS_TOTAL
            notes.append(("swing_rescaled", {}))
        return {"method": method, "points": {c: _clean(p) for c, p in points.items()}}, notes
    if method in ("roc", "rank_sum"):
        old = obj.get("ranks") or {}
        kept = {c: int(old[c]) for c in new_ids if c in old and c in old_ids}
        last = max(kept.values(), default=0)
        ranks = {c: kept.get(c, last + 1) for c in new_ids}
        if added:
            notes.append(("added_last", {"ids": ", ".join(added)}))
        return {"method": method, "ranks": ranks}, notes
    if method == "ahp":
        a = np.asarray(obj.get("matrix"), dtype=float)
        if a.shape != (len(old_ids), len(old_ids)):
            return equal(), notes
        pos = {c: k for k, c in enumerate(old_ids)}
        n = len(new_ids)
        b = np.ones((n, n))
        for i, ci in enumerate(new_ids):
            for j, cj in enumerate(new_ids):
                if ci in pos and cj in pos:
                    b[i, j] = a[pos[ci], pos[cj]]
        if added:
            notes.append(("added_equal", {"ids": ", ".join(added)}))
        out = {k: copy.deepcopy(v) for k, v in obj.items() if k != "matrix"}
        out["matrix"] = [[_clean(x) for x in row] for row in b]
        return out, notes
    return equal(), notes


def next_free_id(existing: Sequence[str], prefix: str = "C") -> str:
    """``C<k>`` with k one more than the largest number used as ``C<number>`` (at least len + 1)."""
    used = {int(m.group(1)) for c in existing if isinstance(c, str) and (m := re.fullmatch(rf"{re.escape(prefix)}(\d+)", c))}
    k = max(used | {len(existing)}) + 1
    while f"{prefix}{k}" in existing:
        k += 1
    return f"{prefix}{k}"
