"""Project -> matrices -> engine -> plain result objects: the one place that joins them.

The UI and the CLI call these functions; they never assemble matrices themselves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import numpy as np

from prioritization.engine import aggregate as agg
from prioritization.engine import group
from prioritization.engine import weights as wts
from prioritization.engine.normalize import CriterionSpec, normalize
from prioritization.engine.ranking import competition_ranks, display_order
from prioritization.errors import InputError
from prioritization.model import Criterion, InfraObject, Project, WeightSpec

if TYPE_CHECKING:  # the engine modules below are imported where they are used (start-up time)
    from prioritization.engine.critical import CriticalResult
    from prioritization.engine.portfolio import GreedyResult, PortfolioResult
    from prioritization.engine.sensitivity import OatResult, Stability
    from prioritization.engine.smaa import SmaaResult

METHODS = ("wsm", "topsis", "promethee2")


@dataclass(frozen=True)
class DecisionData:
    """The candidate objects' decision matrix and the individual ratings behind it."""

    objects: tuple[InfraObject, ...]  # candidates, input order
    criteria: tuple[Criterion, ...]
    x: np.ndarray  # (N, M) raw cell values: agreed score, else group aggregate
    ratings: np.ndarray  # (R, N, M) individual ratings, NaN = none; agreed cells hold the agreed value
    agreed: np.ndarray  # (N, M) bool: the cell has an agreed (consensus) score

    @property
    def specs(self) -> list[CriterionSpec]:
        return [c.spec for c in self.criteria]

    @property
    def directions(self) -> list[str]:
        return [c.direction for c in self.criteria]

    @property
    def values(self) -> np.ndarray:
        """Normalised values V [S1]."""
        return normalize(self.x, self.specs)


def decision_data(project: Project) -> DecisionData:
    """Build the matrices for the candidate objects [S4]."""
    objects = project.candidates
    if not objects:
        raise InputError('no object has status "candidate"; there is nothing to rank')
    o_index = {o.id: i for i, o in enumerate(objects)}
    c_index = {c.id: j for j, c in enumerate(project.criteria)}
    p_index = {p.id: k for k, p in enumerate(project.participants)}
    n, m = len(objects), len(project.criteria)
    ratings = np.full((max(1, len(p_index)), n, m), np.nan)
    agreed_value = np.full((n, m), np.nan)
    if scores := project.scores:  # column by column (30 000 records at 200 x 15 x 10)
        # each column read with itemgetter: zip(*scores) would make an iterator per record, enough
        # new objects to start a full garbage collection of a large process (60 ms in the app)
        row = np.fromiter(map(o_index.get, map(itemgetter(0), scores), repeat(-1)), dtype=np.intp,
                          count=len(scores))  # -1: not a candidate
        value = np.array(list(map(itemgetter(3), scores)), dtype=float)  # None ("vet ej"): NaN
        use = np.flatnonzero((row >= 0) & ~np.isnan(value))  # the others are left out unread, as
        used = list(map(scores.__getitem__, use.tolist()))  # a record-by-record loop would skip them
        row, value = row[use], value[use]
        col = np.fromiter(map(c_index.__getitem__, map(itemgetter(1), used)), dtype=np.intp, count=len(used))
        p_code: dict[str | None, int] = {None: -1}  # -1: the agreed score
        p_code.update(p_index)
        rater = np.fromiter(map(p_code.__getitem__, map(itemgetter(2), used)), dtype=np.intp, count=len(used))
        rated, agreed_here = rater >= 0, rater < 0
        ratings[rater[rated], row[rated], col[rated]] = value[rated]
        agreed_value[row[agreed_here], col[agreed_here]] = value[agreed_here]
    agreed = ~np.isnan(agreed_value)
    ratings[:, agreed] = np.nan
    ratings[0, agreed] = agreed_value[agreed]
    missing = np.all(np.isnan(ratings), axis=0)
    if np.any(missing):
        i, j = np.argwhere(missing)[0]
        raise InputError(f"object {objects[i].id!r}, criterion {project.criteria[j].id!r}: nobody scored this cell "
                         "and there is no agreed score")
    # agreed cells are not aggregated (a neutral placeholder keeps e.g. the geometric mean defined)
    x = group.aggregate(np.where(agreed, 1.0, ratings), project.aggregation)
    x[agreed] = agreed_value[agreed]
    for k in range(1, ratings.shape[0]):  # every rater "gives" the agreed value: SMAA treats it as fixed
        ratings[k, agreed] = agreed_value[agreed]
    return DecisionData(objects, project.criteria, x, ratings, agreed)


@dataclass(frozen=True)
class WeightsResult:
    method: str
    weights: np.ndarray  # (M,), sums to 1, criteria order
    consistency: wts.Consistency | None = None


def resolve_weights(spec: WeightSpec, criteria: tuple[Criterion, ...]) -> WeightsResult:
    """Compute the weights an elicitation spec gives [S2]."""
    ids = [c.id for c in criteria]
    if spec.method in ("direct", "swing"):
        points = [spec.points.get(cid, 0.0) for cid in ids]
        w = wts.direct_weights(points) if spec.method == "direct" else wts.swing_weights(points)
        return WeightsResult(spec.method, w)
    if spec.method in ("roc", "rank_sum"):
        return WeightsResult(spec.method, wts.rank_weights([spec.ranks[cid] for cid in ids], spec.method))
    if spec.method == "ahp":
        # [S2.4] build from the upper triangle and set a_ji := 1/a_ij exactly
        given = np.array(spec.matrix, dtype=float)
        a = wts.ahp_matrix_from_upper(given[np.triu_indices(len(given), 1)], len(given))
        table = spec.ri_table or wts.DEFAULT_RI_TABLE
        return WeightsResult("ahp", wts.ahp_weights(a, spec.variant), wts.consistency(a, table))
    raise InputError(f"unknown weighting method {spec.method!r}")


def project_weights(project: Project, profile: str | None = None) -> WeightsResult:
    """The weights in use, or those of a named weight profile."""
    if profile is None:
        return resolve_weights(project.weights, project.criteria)
    try:
        return resolve_weights(project.profile(profile).weights, project.criteria)
    except KeyError:
        known = ", ".join(p.id for p in project.weight_profiles) or "none"
        raise InputError(f"unknown weight profile {profile!r} (known: {known})") from None


@dataclass(frozen=True)
class RankedObject:
    object: InfraObject
    rank: int
    score: float


@dataclass(frozen=True)
class Ranking:
    method: str
    weights: np.ndarray
    ranked: tuple[RankedObject, ...]  # display order [S0.2]
    committed: tuple[InfraObject, ...]
    contributions: np.ndarray | None = field(default=None)  # WSM: (N, M) w_j v_ij, candidates input order


def scores_for(data: DecisionData, method: str, w: np.ndarray) -> np.ndarray:
    if method == "wsm":
        return agg.wsm_values(data.values, w)
    if method == "topsis":
        return agg.topsis(data.x, data.directions, w)
    if method == "promethee2":
        return agg.promethee2(data.x, data.directions, w)
    raise InputError(f"unknown method {method!r} ({', '.join(METHODS)})")


def rank(project: Project, method: str = "wsm", weights: np.ndarray | None = None,
         data: DecisionData | None = None) -> Ranking:
    """Rank the candidate objects; committed objects are listed apart and never ranked."""
    data = data or decision_data(project)
    w = project_weights(project).weights if weights is None else wts.normalize_weights(weights)
    s = scores_for(data, method, w)
    r = competition_ranks(s)
    ranked = tuple(RankedObject(data.objects[i], int(r[i]), float(s[i])) for i in display_order(s))
    contrib = data.values * w if method == "wsm" else None
    return Ranking(method, w, ranked, project.committed, contrib)


# --- sensitivity [S5] -------------------------------------------------------------------------

WEIGHT_MODELS = ("uniform", "order", "fixed")
MAX_SAMPLES = 1_000_000  # ~0.6 s per 10 000 samples at 200 objects: beyond this a run takes minutes
SCORE_MODELS = ("none", "raters", "uniform")


@dataclass(frozen=True)
class SensitivitySettings:
    """How a sensitivity analysis is drawn: SMAA samples, seed, weight model and score model (None:
    "raters" when individual scores exist, else "none")."""

    samples: int
    seed: int | None
    weight_model: str
    score_model: str | None = None


# The analysis the committee sees: the sensitivity page, the Excel and PDF decision documents and
# `prioritization export` all use these, so one version and one set of weights always give the same
# figures everywhere. A fixed seed makes them repeatable; "order" keeps the order of the agreed
# weights (the committee holds them), "uniform" is offered beside it.
DECISION_SENSITIVITY = SensitivitySettings(samples=10_000, seed=20231201, weight_model="order")
DECISION_WEIGHT_MODELS = ("order", "uniform")  # the first is the default


@dataclass(frozen=True)
class SensitivityReport:
    """What the sensitivity analysis found for one set of weights (spec S3-S5): how far each weight
    can move before the ranking changes, the one-at-a-time curves, the critical criterion and the
    SMAA rank acceptabilities, with the models the samples were drawn from."""

    weights: np.ndarray
    stability: list[Stability]  # per criterion
    oat: list[OatResult]  # per criterion
    critical: CriticalResult
    smaa: SmaaResult
    weight_model: str
    score_model: str
    data: DecisionData


def has_individual_scores(project: Project) -> bool:
    return any(s.participant is not None and s.value is not None for s in project.scores)


def sensitivity(project: Project, *, weights: np.ndarray | None = None, samples: int = 10_000,
                seed: int | None = None, weight_model: str = "uniform", score_model: str | None = None,
                delta: float | None = None, smaa_result=None, pairwise: bool = False) -> SensitivityReport:
    """Exact WSM weight sensitivity [S5a-c] and SMAA-2 [S5d] for the candidate objects.

    ``score_model`` None picks "raters" when individual scores exist, else "none". ``seed`` None
    draws a fresh seed, which is reported so the run can be repeated. ``smaa_result``: the SMAA-2
    result of an earlier run on the same project with the same samples, seed and models; reused
    only with the "uniform" weight model, whose samples do not depend on ``weights``.
    ``pairwise``: also the SMAA pairwise winning index (``smaa.pairwise_winning``, else None); only
    the CLI's JSON output has it. It changes no other figure.
    """
    from prioritization.engine import critical as crit
    from prioritization.engine import sensitivity as sens
    from prioritization.engine import smaa as sm
    from prioritization.engine.weight_sampling import WeightModel

    if weight_model not in WEIGHT_MODELS:
        raise InputError(f"unknown weight model {weight_model!r} ({', '.join(WEIGHT_MODELS)})")
    if score_model is None:
        score_model = "raters" if has_individual_scores(project) else "none"
    if score_model not in SCORE_MODELS:
        raise InputError(f"unknown score model {score_model!r} ({', '.join(SCORE_MODELS)})")
    if not 1 <= samples <= MAX_SAMPLES:
        raise InputError(f"the number of samples must be between 1 and {MAX_SAMPLES:,}".replace(",", " "))
    data = decision_data(project)
    w = project_weights(project).weights if weights is None else wts.normalize_weights(weights)
    v = data.values
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2**32))

    bounds = [c.weight_bounds for c in data.criteria]
    lower = upper = None
    if weight_model != "fixed" and any(b is not None for b in bounds):
        lower = np.array([b[0] if b else 0.0 for b in bounds])
        upper = np.array([b[1] if b else 1.0 for b in bounds])
    wm = WeightModel(weight_model, weights=w if weight_model != "uniform" else None, lower=lower, upper=upper)
    if score_model == "uniform":
        per_crit = [delta if delta is not None else c.uncertainty for c in data.criteria]
        if any(d is None for d in per_crit):
            missing = ", ".join(c.id for c, d in zip(data.criteria, per_crit, strict=True) if d is None)
            raise InputError(f"the uniform score model needs an uncertainty for every criterion (missing: {missing}); "
                             "give --delta or set 'uncertainty' on the criteria")
        if any(d < 0 for d in per_crit):
            raise InputError("the score uncertainty (delta) must not be negative")
        sm_model = sm.ScoreModel("uniform", delta=np.array(per_crit, dtype=float))
    elif score_model == "raters":
        sm_model = sm.ScoreModel("raters", ratings=data.ratings)
    else:
        sm_model = sm.ScoreModel("none")
    smaa_run: _InBackground | None = None
    if smaa_result is None or weight_model != "uniform" or (smaa_result.pairwise_winning is None and pairwise):
        # sampled on another core while the exact analyses below run (mostly NumPy: both run at once)
        smaa_run = _InBackground(sm.smaa, data.x, data.specs, wm, sm_model, samples=samples, seed=seed,
                                 pairwise=pairwise)
    try:
        stability, breakpoints, critical = sens.all_stability(v, w), sens.all_breakpoints(v, w), crit.critical(v, w)
    except KeyboardInterrupt:
        raise  # Ctrl-C in the CLI ends it now; the sampling thread is a daemon and ends with the process
    except BaseException:
        if smaa_run is not None:
            smaa_run.result()  # waited for; its error, if any, is reported first (as when it ran first)
        raise
    result = smaa_result if smaa_run is None else smaa_run.result()
    return SensitivityReport(w, stability, breakpoints, critical, result, weight_model, score_model, data)


class _InBackground:
    """``fn(*args, **kwargs)`` in a thread of its own; :meth:`result` waits for it and returns its
    value or raises its exception. (concurrent.futures would do, at 6 ms of the CLI's start: it
    imports logging.)"""

    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any):
        self._value: Any = None
        self._error: BaseException | None = None

        def run() -> None:
            try:
                self._value = fn(*args, **kwargs)
            except BaseException as e:  # noqa: BLE001 - raised again in result()
                self._error = e

        self._thread = threading.Thread(target=run, name="analysis-background", daemon=True)
        self._thread.start()

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


# --- portfolio [S6] ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioReport:
    budget: float
    objects: tuple[InfraObject, ...]  # candidates with a cost, input order
    without_cost: tuple[InfraObject, ...]
    values: np.ndarray  # WSM scores of ``objects``
    optimal: PortfolioResult | None  # indices into ``objects``; None when the exact search was too large
    greedy: GreedyResult


def portfolio(project: Project, budget: float, *, weights: np.ndarray | None = None,
              force_in: tuple[str, ...] = (), force_out: tuple[str, ...] = ()) -> PortfolioReport:
    """The best set of candidate objects within the budget (exact) and the greedy list [S6].

    Values are the WSM scores of all candidates [S3.1]; only candidates with a cost take part.
    """
    from prioritization.engine import portfolio as pf

    data = decision_data(project)
    w = project_weights(project).weights if weights is None else wts.normalize_weights(weights)
    scores = agg.wsm_values(data.values, w)
    with_cost = [i for i, o in enumerate(data.objects) if o.cost is not None]
    objs = tuple(data.objects[i] for i in with_cost)
    ids = [o.id for o in objs]
    for oid in (*force_in, *force_out):
        if oid not in ids:
            raise InputError(f"cannot force {oid!r}: it is not a candidate object with a cost")
    values = scores[with_cost]
    costs = np.array([o.cost for o in objs], dtype=float)
    fin = tuple(ids.index(o) for o in force_in)
    fout = tuple(ids.index(o) for o in force_out)
    opt = pf.optimal_portfolio(values, costs, budget, force_in=fin, force_out=fout)
    greedy = pf.greedy_portfolio(values, costs, budget, force_in=fin, force_out=fout)
    without = tuple(o for o in data.objects if o.cost is None)
    return PortfolioReport(float(budget), objs, without, values, opt, greedy)
