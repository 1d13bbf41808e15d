"""Pure logic behind the facilitator's projector view of the live workshop (no Streamlit).

Everything here takes plain data (a :class:`~prioritization.storage.scores.RatingCube`, counts,
statuses) and returns pandas tables or small dataclasses, so it is unit-tested without a browser.
Spread measures come from the engine: :func:`prioritization.engine.group.disagreement` [S4]
(population standard deviation, IQR with linear quantiles, range, n).

Nothing returned here carries participant identities: per-participant progress is numbered by
progress, never by name or set-up order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from prioritization.engine.group import disagreement
from prioritization.engine.ranking import competition_ranks
from prioritization.storage.rounds import TRANSITIONS
from prioritization.storage.scores import RatingCube

MEASURES = ("iqr", "range", "std")
MIN_RATINGS = 2  # a spread needs at least two numeric ratings to mean anything
SPREAD_EPS = 1e-9  # a range at most this is "no spread" (scores are on scales of order 1-100)

# Delphi flow as the facilitator drives it on the projector: forward steps only (going back is
# on the rounds page). Every step must be allowed by storage's TRANSITIONS (a test checks it).
DELPHI_STEPS: dict[str, tuple[str, ...]] = {
    "setup": ("scoring",),
    "scoring": ("revealed",),
    "revealed": ("second_round", "locked"),
    "second_round": ("revealed", "locked"),
    "locked": (),
}

TABLE_COLUMNS = ["object", "criterion", "std", "iqr", "range", "n", "unknown"]


def delphi_steps(status: str) -> tuple[str, ...]:
    """The next statuses the projector view offers as buttons for ``status``."""
    steps = DELPHI_STEPS.get(status, ())
    return tuple(s for s in steps if s in TRANSITIONS.get(status, ()))


def current_phase(status: str, revealed_phase: int) -> int:
    """The phase whose scores are being given or were given last (1 or 2)."""
    if status == "scoring":
        return 1
    if status == "second_round":
        return 2
    return 2 if revealed_phase >= 2 else 1


def shown_phase(status: str, revealed_phase: int, show_hidden: bool) -> int | None:
    """The phase whose distribution may be on the projector; None = nothing revealed yet.

    Delphi: scores of a phase stay hidden until the facilitator reveals them, unless the
    facilitator explicitly chooses to show the hidden live scores (``show_hidden``).
    """
    if show_hidden:
        return current_phase(status, revealed_phase)
    return revealed_phase if revealed_phase >= 1 else None


def has_second_phase(status: str, revealed_phase: int) -> bool:
    return status == "second_round" or revealed_phase >= 2


def disagreement_table(cube: RatingCube) -> pd.DataFrame:
    """One row per cell (objects x criteria, in set-up order): std, iqr, range, n, unknown.

    ``n`` counts numeric ratings, ``unknown`` the "vet ej" answers. Cells with no numeric rating
    get NaN spreads and n = 0 (the engine rejects empty cells, so they are filled before and
    masked after the call).
    """
    values = np.asarray(cube.values, dtype=float)
    n_obj, n_crit = len(cube.objects), len(cube.criteria)
    n = np.sum(~np.isnan(values), axis=0) if values.shape[0] else np.zeros((n_obj, n_crit), dtype=int)
    answered = np.sum(cube.answered, axis=0) if values.shape[0] else np.zeros((n_obj, n_crit), dtype=int)
    std, iqr, rng = (np.full((n_obj, n_crit), np.nan) for _ in range(3))
    if values.shape[0] and n_obj and n_crit:
        empty = n == 0
        filled = values.copy()
        filled[0][empty] = 0.0
        d = disagreement(filled)
        std, iqr, rng = (np.where(empty, np.nan, m) for m in (d.std, d.iqr, d.range))
    obj, crit = np.meshgrid(np.arange(n_obj), np.arange(n_crit), indexing="ij")
    return pd.DataFrame({
        "object": [cube.objects[i] for i in obj.ravel()],
        "criterion": [cube.criteria[j] for j in crit.ravel()],
        "std": std.ravel(), "iqr": iqr.ravel(), "range": rng.ravel(),
        "n": n.ravel().astype(int), "unknown": (answered - n).ravel().astype(int),
    }, columns=TABLE_COLUMNS)


def _check_measure(measure: str) -> None:
    if measure not in MEASURES:
        raise ValueError(f"unknown spread measure {measure!r} ({', '.join(MEASURES)})")


def spread_ceiling(measure: str, scales: Iterable[tuple[float, float] | None]) -> float | None:
    """The largest spread ``measure`` can take on the criteria's scales: the width hi - lo for the
    range and the IQR (never wider than the range), half of it for the population standard deviation
    (the engine's ddof = 0: half the answers at each end). None when a criterion has no scale.

    The heatmap's colour scale runs from 0 to this ceiling in every scoring round (issue 11 #5): it
    depends on no score, so the two rounds' screens are coloured alike whatever round 2 does, and the
    projector shows nothing of a round whose scores are still hidden."""
    _check_measure(measure)
    widths = []
    for scale in scales:
        if scale is None:
            return None
        widths.append(float(scale[1]) - float(scale[0]))
    if not widths:
        return None
    return max(widths) / (2.0 if measure == "std" else 1.0)


def cells_to_discuss(table: pd.DataFrame, measure: str = "iqr", limit: int | None = None,
                     min_n: int = MIN_RATINGS) -> pd.DataFrame:
    """Cells worth discussing, most disagreement first.

    Only cells with at least ``min_n`` numeric ratings and some spread (range > 0). Sorted by the
    chosen measure, then the other measures (IQR, range, std), then set-up order, with ties
    decided as in [S0.2] (equal within 1e-9 relative), so tied cells keep the grid order. Adds a
    1-based ``rank`` column (position in the list).
    """
    _check_measure(measure)
    keys = [measure] + [m for m in MEASURES if m != measure]
    out = table[(table["n"] >= min_n) & (table["range"] > SPREAD_EPS)]
    # ties within the [S0.2] tolerance count as ties, so rounding noise never reorders equal spreads
    ranks = [competition_ranks(out[k].to_numpy(dtype=float)) for k in keys]
    order = np.lexsort([np.arange(len(out))] + ranks[::-1])
    out = out.iloc[order]
    if limit is not None:
        out = out.head(limit)
    out = out.reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out


@dataclass(frozen=True)
class Convergence:
    """How the spread changed from phase 1 to phase 2 (cells with enough ratings in both)."""

    measure: str
    cells: pd.DataFrame  # object, criterion, before, after, change (after - before)
    mean_before: float
    mean_after: float
    decreased: int
    increased: int
    unchanged: int

    @property
    def n_cells(self) -> int:
        return len(self.cells)

    @property
    def share_decreased(self) -> float:
        return self.decreased / self.n_cells if self.n_cells else float("nan")


def convergence(before: pd.DataFrame, after: pd.DataFrame, measure: str = "iqr",
                min_n: int = MIN_RATINGS, tolerance: float = 1e-9) -> Convergence:
    """Compare two :func:`disagreement_table` results cell by cell (phase 1 -> phase 2)."""
    _check_measure(measure)
    merged = before.merge(after, on=["object", "criterion"], suffixes=("_1", "_2"), sort=False)
    merged = merged[(merged["n_1"] >= min_n) & (merged["n_2"] >= min_n)]
    cells = pd.DataFrame({"object": merged["object"], "criterion": merged["criterion"],
                          "before": merged[f"{measure}_1"].astype(float),
                          "after": merged[f"{measure}_2"].astype(float)}).reset_index(drop=True)
    cells["change"] = cells["after"] - cells["before"]
    change = cells["change"].to_numpy()
    nan = float("nan")
    return Convergence(
        measure=measure, cells=cells,
        mean_before=float(cells["before"].mean()) if len(cells) else nan,
        mean_after=float(cells["after"].mean()) if len(cells) else nan,
        decreased=int(np.sum(change < -tolerance)), increased=int(np.sum(change > tolerance)),
        unchanged=int(np.sum(np.abs(change) <= tolerance)),
    )


def participant_progress(counts: Iterable[int], total: int) -> pd.DataFrame:
    """Anonymous progress per participant: numbered 1..P by answered cells (most first).

    Takes only the counts, so no name or set-up order can leak onto the projector.
    """
    done = sorted((int(c) for c in counts), reverse=True)
    return pd.DataFrame({"number": np.arange(1, len(done) + 1, dtype=int), "done": done,
                         "total": [int(total)] * len(done),
                         "share": [c / total if total else 0.0 for c in done]},
                        columns=["number", "done", "total", "share"])


def object_progress(cube: RatingCube) -> pd.DataFrame:
    """Answered cells per object over all participants and criteria (set-up order)."""
    p, _, m = np.shape(cube.answered)
    done = np.sum(cube.answered, axis=(0, 2)) if p else np.zeros(len(cube.objects), dtype=int)
    total = p * m
    return pd.DataFrame({"object": list(cube.objects), "done": np.asarray(done, dtype=int),
                         "total": [total] * len(cube.objects),
                         "share": np.asarray(done, dtype=float) / total if total else 0.0},
                        columns=["object", "done", "total", "share"])


def _scale_steps(scale: tuple[float, float] | None, max_steps: int = 20) -> list[float]:
    if scale is None:
        return []
    lo, hi = scale
    if float(lo).is_integer() and float(hi).is_integer() and 0 <= hi - lo <= max_steps:
        return [float(v) for v in range(int(lo), int(hi) + 1)]
    return []


def cell_distribution(cube: RatingCube, object_key: str, criterion_key: str,
                      scale: tuple[float, float] | None = None) -> pd.DataFrame:
    """Anonymous distribution of one cell: count per score value plus a "vet ej" row.

    Every whole step of the scale is listed (with 0 counts), as are other given values; the last
    row (``unknown`` True, ``value`` NaN) counts "vet ej" answers.
    """
    i, j = cube.objects.index(object_key), cube.criteria.index(criterion_key)
    vals = np.asarray(cube.values, dtype=float)[:, i, j]
    numeric = vals[~np.isnan(vals)]
    n_unknown = int(np.sum(np.asarray(cube.answered)[:, i, j])) - len(numeric)
    steps = sorted(set(_scale_steps(scale)) | {float(v) for v in numeric})
    counts = [int(np.sum(np.isclose(numeric, v))) for v in steps]
    return pd.DataFrame({"value": steps + [float("nan")], "count": counts + [n_unknown],
                         "unknown": [False] * len(steps) + [True]},
                        columns=["value", "count", "unknown"])


def heatmap_data(table: pd.DataFrame, measure: str, fmt: Callable[[float], str],
                 top: Iterable[tuple[str, str]] = (), object_names: Mapping[str, str] | None = None,
                 criterion_names: Mapping[str, str] | None = None, empty_label: str = "–") -> pd.DataFrame:
    """Rows for the heatmap: display names, the spread, its printed label and a ``top`` flag."""
    _check_measure(measure)
    top = set(top)
    object_names = object_names or {}
    criterion_names = criterion_names or {}
    spread = table[measure].astype(float)
    return pd.DataFrame({
        "object": [object_names.get(o, o) for o in table["object"]],
        "criterion": [criterion_names.get(c, c) for c in table["criterion"]],
        "spread": spread.where(table["n"] > 0),
        "label": [fmt(v) if n > 0 and not np.isnan(v) else empty_label for v, n in zip(spread, table["n"], strict=True)],
        "n": table["n"].astype(int),
        "top": [(o, c) in top for o, c in zip(table["object"], table["criterion"], strict=True)],
    })
