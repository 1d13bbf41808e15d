"""Data shaping and plain-language sentences for the committee dashboard (pure: no Streamlit).

Every function takes the results of :mod:`prioritization.analysis` (Ranking, DecisionData,
SensitivityReport) and returns a pandas frame for :mod:`prioritization.ui.charts_dashboard` or a
sentence in Swedish or English (``prioritization.i18n``, keys ``charts.*``).

Scores are kept as fractions of 1 (``score``, ``contribution``) and shown to people as points
out of 100 (``points``, ``*_label``): "68,5 poäng av 100" reads better than "0,685".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from prioritization import analysis
from prioritization.engine.ranking import display_order
from prioritization.i18n import msek, number, percent, t
from prioritization.model import Criterion, InfraObject, Project

POINTS = 100.0  # a score of 1 is shown as 100 points
MINUS = "\u2212"  # a real minus sign in printed differences

# Okabe & Ito (2008) "Color Universal Design": distinguishable with every common colour-vision
# deficiency. Ordered so the first colours have good contrast on white; yellow and black last.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
MAX_TINT = 0.6  # the lightest criterion of a group mixes its group colour with 60 % white

# Rank buckets of the rank-acceptability chart (first, last rank; None = open end)
RANK_BUCKETS = ((1, 1), (2, 3), (4, 5), (6, 10), (11, None))
TOP_CUTOFFS = (3, 5, 10)  # "topp k" in the acceptability sentence: the smallest cutoff above the rank


# --- names --------------------------------------------------------------------------------------


def object_name(o: InfraObject, lang: str = "sv") -> str:
    en = o.attributes.get("name_en")
    return en if lang == "en" and isinstance(en, str) and en else o.name


def criterion_name(c: Criterion, lang: str = "sv") -> str:
    return c.name_en if lang == "en" and c.name_en else c.name


def criterion_group(c: Criterion, lang: str = "sv") -> str | None:
    return c.group_en if lang == "en" and c.group_en else c.group


def _unique_labels(labels: list[str], ids: list[str]) -> list[str]:
    """Axis labels must be unique: a repeated label gets its object id appended."""
    seen: dict[str, int] = {}
    for lab in labels:
        seen[lab] = seen.get(lab, 0) + 1
    return [f"{lab} ({oid})" if seen[lab] > 1 else lab for lab, oid in zip(labels, ids)]


def points_label(score: float, lang: str = "sv") -> str:
    return number(score * POINTS, lang, 1)


def signed_points(diff: float, lang: str = "sv") -> str:
    """+1,2 / −0,4 (a real minus sign) for a score difference given as a fraction of 1."""
    text = number(abs(diff) * POINTS, lang, 1)
    return ("+" if diff >= 0 else MINUS) + text


def share_label(x: float, lang: str = "sv") -> str:
    """A share as a whole percentage that never claims 0 % or 100 % it does not have."""
    if 0.0 < x < 0.005:
        return "< " + percent(0.01, lang)
    if 0.995 <= x < 1.0:
        return "> " + percent(0.99, lang)
    return percent(x, lang)


# --- colours ------------------------------------------------------------------------------------


def _tint(hex_colour: str, f: float) -> str:
    """Mix a colour with white: f = 0 keeps it, f = 1 gives white."""
    rgb = [int(hex_colour[k:k + 2], 16) for k in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * f):02X}" for c in rgb)


def criterion_colours(criteria: Sequence[Criterion]) -> list[str]:
    """One colour per criterion, criteria order.

    Up to 8 criteria: one Okabe-Ito colour each. More than 8 criteria: Vega-Lite has no pattern
    fills, so when every criterion has a group and there are at most 8 groups, the hue is the
    criterion *group* and the criteria of a group are tints of it (from full colour to 60 % white;
    the chart separates segments with a white outline). Otherwise the 8 hues repeat, each round
    lighter. The exact criterion is always in the tooltip, the legend order and the table.
    """
    m = len(criteria)
    if m <= len(OKABE_ITO):
        return list(OKABE_ITO[:m])
    groups = [c.group for c in criteria]
    order = list(dict.fromkeys(groups))
    if None not in order and len(order) <= len(OKABE_ITO):
        size = {g: groups.count(g) for g in order}
        seen: dict[str, int] = {}
        out = []
        for g in groups:
            k = seen.get(g, 0)
            seen[g] = k + 1
            f = 0.0 if size[g] == 1 else MAX_TINT * k / (size[g] - 1)
            out.append(_tint(OKABE_ITO[order.index(g)], f))
        return out
    rounds = (m - 1) // len(OKABE_ITO)
    return [_tint(OKABE_ITO[k % 8], 0.0 if rounds == 0 else MAX_TINT * (k // 8) / rounds) for k in range(m)]


# --- 1. ranked list with contributions -----------------------------------------------------------


def _candidate_index(data: analysis.DecisionData) -> dict[str, int]:
    return {o.id: i for i, o in enumerate(data.objects)}


def tier_ranks(ranks: Sequence[int], tiers: Sequence[str | None]) -> list[int | None]:
    """Competition rank within the tier: 1 + the number of same-tier objects ranked strictly above."""
    out: list[int | None] = []
    for r, tier in zip(ranks, tiers):
        out.append(None if tier is None else 1 + sum(1 for r2, t2 in zip(ranks, tiers) if t2 == tier and r2 < r))
    return out


def contribution_frame(ranking: analysis.Ranking, data: analysis.DecisionData, *,
                       tiers: Mapping[str, str] | None = None, lang: str = "sv") -> pd.DataFrame:
    """One row per (candidate, criterion) in display order x criteria order.

    Columns: object_id, object, row_label ("3. Name", unique), position (0-based display order),
    rank, tier, tier_rank, score, score_label, end_label (score, and the tier when tiers are set),
    criterion_id, criterion, group, criterion_index, contribution (w_j v_ij; they sum to the
    score), points (contribution x 100), contribution_label, score_points (score x 100), colour.
    ``attrs["grouped_colours"]``: True when the colours follow the criterion groups (> 8 criteria). Committed objects are never in a Ranking's
    ``ranked``; list them with :func:`committed_frame`.
    """
    if ranking.contributions is None:
        raise ValueError("criterion contributions exist for the weighted sum (method 'wsm') only")
    index = _candidate_index(data)
    colours = criterion_colours(data.criteria)
    ranked = ranking.ranked
    tier_of = [None if tiers is None else tiers.get(ro.object.id) for ro in ranked]
    in_tier = tier_ranks([ro.rank for ro in ranked], tier_of)
    labels = _unique_labels([f"{ro.rank}. {object_name(ro.object, lang)}" for ro in ranked],
                            [ro.object.id for ro in ranked])
    rows = []
    for pos, ro in enumerate(ranked):
        i = index[ro.object.id]
        end = points_label(ro.score, lang)
        if tier_of[pos] is not None:
            end += " · " + t("charts.tier_short", lang, tier=tier_of[pos], rank=in_tier[pos])
        for j, c in enumerate(data.criteria):
            value = float(ranking.contributions[i, j])
            rows.append({
                "object_id": ro.object.id, "object": object_name(ro.object, lang), "row_label": labels[pos],
                "position": pos, "rank": ro.rank, "tier": tier_of[pos], "tier_rank": in_tier[pos],
                "score": ro.score, "score_label": points_label(ro.score, lang), "end_label": end,
                "criterion_id": c.id, "criterion": criterion_name(c, lang), "group": criterion_group(c, lang),
                "criterion_index": j, "contribution": value, "points": value * POINTS,
                "contribution_label": points_label(value, lang), "score_points": ro.score * POINTS,
                "colour": colours[j],
            })
    frame = pd.DataFrame(rows)
    frame["tier_rank"] = pd.array(frame["tier_rank"], dtype="Int64")
    frame.attrs["grouped_colours"] = len(data.criteria) > len(OKABE_ITO)
    return frame


def committed_frame(ranking: analysis.Ranking, lang: str = "sv") -> pd.DataFrame:
    """The committed ("Redan prioriterade – bevakas") objects: object_id, object, cost; never ranked."""
    return pd.DataFrame([{"object_id": o.id, "object": object_name(o, lang), "cost": o.cost}
                         for o in ranking.committed], columns=["object_id", "object", "cost"])


# --- 2. rank acceptability ------------------------------------------------------------------------


def rank_buckets(n: int) -> list[tuple[int, int, str]]:
    """(first, last, label) of the buckets 1, 2–3, 4–5, 6–10, >10 that exist with n objects."""
    out = []
    for lo, hi in RANK_BUCKETS:
        if lo > n:
            break
        if hi is None:
            out.append((lo, n, f">{lo - 1}"))
        else:
            hi = min(hi, n)
            out.append((lo, hi, str(lo) if lo == hi else f"{lo}\u2013{hi}"))
    return out


def acceptability_frame(report: analysis.SensitivityReport, ranking: analysis.Ranking,
                        lang: str = "sv") -> pd.DataFrame:
    """Rank acceptability b_i^r summed over rank buckets, one row per (object, bucket).

    Objects in the ranking's display order. Columns: object_id, object, row_label, position, rank,
    bucket, bucket_index, share, share_label, first_share, first_label ("Rang 1: 82 %").
    """
    b = report.smaa.rank_acceptability
    index = _candidate_index(report.data)
    buckets = rank_buckets(b.shape[1])
    labels = _unique_labels([f"{ro.rank}. {object_name(ro.object, lang)}" for ro in ranking.ranked],
                            [ro.object.id for ro in ranking.ranked])
    rows = []
    for pos, ro in enumerate(ranking.ranked):
        i = index[ro.object.id]
        first = float(b[i, 0])
        for k, (lo, hi, label) in enumerate(buckets):
            share = float(b[i, lo - 1:hi].sum())
            rows.append({"object_id": ro.object.id, "object": object_name(ro.object, lang),
                         "row_label": labels[pos], "position": pos, "rank": ro.rank, "bucket": label,
                         "bucket_index": k, "share": share, "share_label": share_label(share, lang),
                         "first_share": first,
                         "first_label": t("charts.rank1_label", lang, share=share_label(first, lang))})
    return pd.DataFrame(rows)


def acceptability_sentence(acceptability: np.ndarray, rank: int, *, score_model: str = "none",
                           lang: str = "sv") -> str:
    """"Rang 3 i 82 % av viktscenarierna, topp 5 i 97 %" for one object.

    ``acceptability``: the object's row b_i^1..b_i^N; ``rank``: its rank in the ranking shown.
    The first share is P(exactly this rank); "topp k" uses the smallest of 3, 5, 10 above the
    rank (left out when there is none below N). With score uncertainty ("raters", "uniform") the
    scenarios are weights and scores.
    """
    b = np.asarray(acceptability, dtype=float)
    n = b.shape[0]
    scenarios = t("charts.text.scenarios_weights" if score_model == "none" else "charts.text.scenarios_both", lang)
    text = t("charts.text.acceptability", lang, rank=rank, share=share_label(float(b[rank - 1]), lang),
             scenarios=scenarios)
    k = next((c for c in TOP_CUTOFFS if c > rank and c < n), None)
    if k is not None:
        text += t("charts.text.acceptability_top", lang, k=k, share=share_label(float(b[:k].sum()), lang))
    return text


# --- 3. one-at-a-time weight curves and stability ------------------------------------------------


@dataclass(frozen=True)
class OatCurves:
    """Everything the weight-curve chart of one criterion needs."""

    criterion: str  # display name
    weight: float  # current weight of the criterion
    band: tuple[float, float]  # stability interval of the whole ranking [S5b]
    lines: pd.DataFrame  # object_id, object, position, t, score, points
    breakpoints: pd.DataFrame  # t, score, points, label ("A ↔ B"): crossings between shown objects


def _base_order(report: analysis.SensitivityReport) -> np.ndarray:
    return display_order(report.data.values @ report.weights)


def oat_curves(report: analysis.SensitivityReport, j: int, *, top_n: int = 5, grid: int = 21,
               lang: str = "sv") -> OatCurves:
    """S_i(t) for the ``top_n`` best objects at the report's weights, t on a grid of ``grid`` points
    from 0 to 1 plus every breakpoint and the current weight (the lines are straight [S5a], the
    extra points keep the drawn crossings exact). Breakpoints are kept where two shown lines cross.
    """
    res = report.oat[j]
    crit = report.data.criteria[j]
    objects = report.data.objects
    shown = [int(i) for i in _base_order(report)[:top_n]]
    ts = np.unique(np.r_[np.linspace(0.0, 1.0, grid), [b.t for b in res.breakpoints], res.weight])
    s = res.scores_at(ts)  # (K, N)
    lines = pd.DataFrame([{"object_id": objects[i].id, "object": object_name(objects[i], lang), "position": pos,
                           "t": float(tv), "score": float(s[k, i]), "points": float(s[k, i]) * POINTS}
                          for pos, i in enumerate(shown) for k, tv in enumerate(ts)])
    shown_set = set(shown)
    bps = []
    for bp in res.breakpoints:
        at = res.scores_at(bp.t)
        for a, c in bp.crossings:
            if a in shown_set and c in shown_set:
                first, second = sorted((a, c), key=shown.index)
                bps.append({"t": bp.t, "score": float(at[first]), "points": float(at[first]) * POINTS,
                            "label": f"{object_name(objects[first], lang)} \u2194 {object_name(objects[second], lang)}"})
    bp_frame = pd.DataFrame(bps, columns=["t", "score", "points", "label"])
    band = tuple(float(x) for x in report.stability[j].ranking)
    return OatCurves(criterion_name(crit, lang), float(res.weight), band, lines, bp_frame)


def _distinct_decimals(values: Sequence[float]) -> int:
    """Fewest decimals (0-2) of a percentage that keep different values looking different."""
    for d in (0, 1, 2):
        shown = {round(v * 100, d) for v in values}
        if len(shown) == len({round(v, 12) for v in values}):
            return d
    return 2


def _pct_floor(x: float, d: int, lang: str) -> str:
    return percent(np.floor(x * 100 * 10**d + 1e-9) / 10**d / 100, lang, d)


def _pct_ceil(x: float, d: int, lang: str) -> str:
    return percent(np.ceil(x * 100 * 10**d - 1e-9) / 10**d / 100, lang, d)


def stability_sentence(stability, criterion: str, lang: str = "sv") -> str:
    """"Rangordningen håller så länge vikten för Klimat ligger mellan 8 % och 19 %; nu 12 %".

    ``stability``: an engine Stability [S5b] (its ``ranking`` interval is used). The printed
    interval is rounded inwards (lower end up, upper end down) so the sentence is never wider
    than the truth; decimals are added until the bounds and the current weight look different.
    """
    lo, hi = stability.ranking
    w = stability.weight
    if lo == hi:
        if hi >= 1.0:
            return t("charts.text.stability_single", lang, criterion=criterion)
        return t("charts.text.stability_none", lang, criterion=criterion, now=percent(w, lang))
    d = _distinct_decimals([lo, hi, w])
    now = percent(w, lang, d)
    if lo <= 0.0 and hi >= 1.0:
        return t("charts.text.stability_any", lang, criterion=criterion, now=now)
    if lo <= 0.0:
        return t("charts.text.stability_at_most", lang, criterion=criterion, hi=_pct_floor(hi, d, lang), now=now)
    if hi >= 1.0:
        return t("charts.text.stability_at_least", lang, criterion=criterion, lo=_pct_ceil(lo, d, lang), now=now)
    return t("charts.text.stability_between", lang, criterion=criterion, lo=_pct_ceil(lo, d, lang),
             hi=_pct_floor(hi, d, lang), now=now)


def critical_sentence(report: analysis.SensitivityReport, lang: str = "sv", *, which: str = "any") -> str:
    """The critical criterion [S5c] in one sentence.

    ``which="any"``: the criterion whose smallest *relative* weight change changes any pair of the
    ranking (PA); ``"top"``: the one that changes who is first (PT). The new weight is the
    criterion's weight after the change and renormalisation.
    """
    crit = report.critical
    k = crit.percent_any if which == "any" else crit.percent_top
    if k is None:
        return t("charts.text.critical_none" if which == "any" else "charts.text.critical_top_none", lang)
    row = crit.criteria[k]
    change = row.any if which == "any" else row.top
    objects = report.data.objects
    name = criterion_name(report.data.criteria[k], lang)
    above, below = (object_name(objects[i], lang) for i in change.pair)
    if change.delta == 0.0:
        return t("charts.text.critical_tie", lang, criterion=name, above=above, below=below)
    d = _distinct_decimals([row.weight, change.t])
    verb = t("charts.text.lowered" if change.delta > 0 else "charts.text.raised", lang)
    key = "charts.text.critical_any" if which == "any" else "charts.text.critical_top"
    return t(key, lang, criterion=name, verb=verb, now=percent(row.weight, lang, d), new=percent(change.t, lang, d),
             change=percent(abs(change.delta_percent) / 100, lang), above=above, below=below)


# --- "why it ranks where it does" ----------------------------------------------------------------


def neighbour_frame(ranking: analysis.Ranking, data: analysis.DecisionData, object_id: str,
                    lang: str = "sv") -> pd.DataFrame:
    """Contributions of an object and its neighbours in the list, per criterion.

    Columns: criterion_id, criterion, own, above, below (NaN without a neighbour), diff_above
    (own - above), diff_below (own - below). Neighbours are the objects right before and after it
    in display order.
    """
    if ranking.contributions is None:
        raise ValueError("criterion contributions exist for the weighted sum (method 'wsm') only")
    ids = [ro.object.id for ro in ranking.ranked]
    pos = ids.index(object_id)
    index = _candidate_index(data)
    c = ranking.contributions
    own = c[index[object_id]]
    nan = np.full(own.shape, np.nan)
    above = c[index[ids[pos - 1]]] if pos > 0 else nan
    below = c[index[ids[pos + 1]]] if pos + 1 < len(ids) else nan
    return pd.DataFrame({"criterion_id": [cr.id for cr in data.criteria],
                         "criterion": [criterion_name(cr, lang) for cr in data.criteria],
                         "own": own, "above": above, "below": below,
                         "diff_above": own - above, "diff_below": own - below})


def _items(names: Sequence[str], diffs: Sequence[float], lang: str) -> str:
    return ", ".join(f"{n} ({signed_points(d, lang)})" for n, d in zip(names, diffs))


def _versus(other: analysis.RankedObject, names: list[str], diff: np.ndarray, top_k: int, lang: str) -> str:
    visible = np.round(diff * POINTS, 1) != 0  # differences that print as 0,0 are no reason
    order = np.argsort(-diff, kind="stable")
    gains = [j for j in order if diff[j] > 0 and visible[j]][:top_k]
    losses = [j for j in order[::-1] if diff[j] < 0 and visible[j]][:top_k]
    parts = []
    if gains:
        parts.append(t("charts.text.why_stronger", lang, items=_items([names[j] for j in gains], diff[gains], lang)))
    if losses:
        parts.append(t("charts.text.why_weaker", lang, items=_items([names[j] for j in losses], diff[losses], lang)))
    if not parts:
        parts.append(t("charts.text.why_equal", lang))
    return t("charts.text.why_vs", lang, other=object_name(other.object, lang), rank=other.rank,
             score=points_label(other.score, lang), parts="; ".join(parts))


def why_sentences(ranking: analysis.Ranking, data: analysis.DecisionData, object_id: str, *, top_k: int = 2,
                  lang: str = "sv") -> list[str]:
    """Why an object ranks where it does: its rank and score, then for the neighbour above and the
    neighbour below the ``top_k`` criteria where it gains most and loses most (differences of
    contributions w_j v_ij, in points out of 100)."""
    frame = neighbour_frame(ranking, data, object_id, lang)
    ids = [ro.object.id for ro in ranking.ranked]
    pos = ids.index(object_id)
    me = ranking.ranked[pos]
    names = list(frame["criterion"])
    out = [t("charts.text.why_rank", lang, name=object_name(me.object, lang), rank=me.rank,
             score=points_label(me.score, lang), n=len(ids))]
    if pos > 0:
        out.append(_versus(ranking.ranked[pos - 1], names, frame["diff_above"].to_numpy(), top_k, lang))
    if pos + 1 < len(ids):
        out.append(_versus(ranking.ranked[pos + 1], names, frame["diff_below"].to_numpy(), top_k, lang))
    return out


# --- 4. benefit vs cost ---------------------------------------------------------------------------


def efficient_mask(cost: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Non-dominated points: no other point costs at most as much and scores at least as much,
    with one of the two strictly better. Equal points do not dominate each other."""
    c = np.asarray(cost, dtype=float)
    s = np.asarray(score, dtype=float)
    weakly = (c[None, :] <= c[:, None]) & (s[None, :] >= s[:, None])  # [i, k]: k at least as good as i
    strictly = (c[None, :] < c[:, None]) | (s[None, :] > s[:, None])
    return ~np.any(weakly & strictly, axis=1)


def frontier_frame(ranking: analysis.Ranking, lang: str = "sv") -> pd.DataFrame:
    """Candidates with a cost: object_id, object, rank, score, points, score_label, cost, cost_label,
    efficient, sorted by cost
    then score descending. ``attrs["without_cost"]`` lists the names left out and ``attrs["note"]``
    says so in a sentence (empty when none)."""
    with_cost = [ro for ro in ranking.ranked if ro.object.cost is not None]
    missing = [object_name(ro.object, lang) for ro in ranking.ranked if ro.object.cost is None]
    columns = ["object_id", "object", "rank", "score", "points", "score_label", "cost", "cost_label"]
    frame = pd.DataFrame([{"object_id": ro.object.id, "object": object_name(ro.object, lang), "rank": ro.rank,
                           "score": ro.score, "points": ro.score * POINTS, "score_label": points_label(ro.score, lang),
                           "cost": float(ro.object.cost), "cost_label": msek(float(ro.object.cost), lang)}
                          for ro in with_cost], columns=columns)
    frame["efficient"] = efficient_mask(frame["cost"].to_numpy(), frame["score"].to_numpy()) if len(frame) else []
    frame = frame.sort_values(["cost", "score"], ascending=[True, False], kind="stable").reset_index(drop=True)
    frame.attrs["without_cost"] = missing
    frame.attrs["note"] = t("charts.note_without_cost", lang, names=", ".join(missing)) if missing else ""
    return frame


# --- 5./6. rank comparisons: profiles and methods -------------------------------------------------


def average_ranks(values: Sequence[float]) -> np.ndarray:
    """Ascending ranks 1..n with tied values sharing the average of their positions."""
    x = np.asarray(values, dtype=float)
    _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    start = np.cumsum(counts) - counts  # number of smaller values
    return (start + (counts + 1) / 2.0)[inverse]


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    """Spearman's rho: Pearson correlation of the average ranks (ties handled); NaN when a side is
    constant (undefined)."""
    ra, rb = average_ranks(a), average_ranks(b)
    da, db = ra - ra.mean(), rb - rb.mean()
    denom = np.sqrt((da @ da) * (db @ db))
    return float(da @ db / denom) if denom > 0 else float("nan")


def kendall_tau_b(a: Sequence[float], b: Sequence[float]) -> float:
    """Kendall's tau-b (ties in either ranking corrected); NaN when a side is constant."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    iu = np.triu_indices(x.shape[0], k=1)
    sx = np.sign(x[:, None] - x[None, :])[iu]
    sy = np.sign(y[:, None] - y[None, :])[iu]
    n_x, n_y = np.count_nonzero(sx), np.count_nonzero(sy)
    denom = np.sqrt(float(n_x) * float(n_y))
    return float((sx * sy).sum() / denom) if denom > 0 else float("nan")


CORRELATIONS = {"spearman": spearman, "kendall": kendall_tau_b}


def profile_weights(project: Project, lang: str = "sv") -> dict[str, np.ndarray]:
    """The weights in use and every weight profile of the project, by display name."""
    out = {t("charts.weights_in_use", lang): analysis.project_weights(project).weights}
    for p in project.weight_profiles:
        out[p.name] = analysis.project_weights(project, p.id).weights
    return out


def participant_weights(project: Project) -> dict[str, np.ndarray]:
    """Each participant's own weights where given (label: organisation, else name)."""
    out = {}
    for p in project.participants:
        spec = getattr(p, "weights", None)
        if spec is not None:
            out[p.organisation or p.name] = analysis.resolve_weights(spec, project.criteria).weights
    return out


def profile_rank_frame(project: Project, profiles: Mapping[str, np.ndarray], *,
                       data: analysis.DecisionData | None = None, lang: str = "sv") -> pd.DataFrame:
    """WSM ranks of the candidates under each weight vector: profile, profile_index, object_id,
    object, rank, score, first (True in the first profile), last (True in the last profile)."""
    data = data or analysis.decision_data(project)
    rows = []
    names = list(profiles)
    for p_idx, name in enumerate(names):
        r = analysis.rank(project, "wsm", weights=np.asarray(profiles[name], dtype=float), data=data)
        for ro in r.ranked:
            rows.append({"profile": name, "profile_index": p_idx, "object_id": ro.object.id,
                         "object": object_name(ro.object, lang), "rank": ro.rank, "score": ro.score,
                         "first": p_idx == 0, "last": p_idx == len(names) - 1})
    return pd.DataFrame(rows)


def method_rank_frame(project: Project, *, weights: np.ndarray | None = None,
                      data: analysis.DecisionData | None = None, lang: str = "sv") -> pd.DataFrame:
    """Ranks of the candidates by WSM, TOPSIS and PROMETHEE II with the same weights: method
    (label), method_id, object_id, object, rank, wsm_rank, position (WSM display order), row_label
    ("3. Name" by the WSM rank)."""
    data = data or analysis.decision_data(project)
    results = {m: analysis.rank(project, m, weights=weights, data=data) for m in analysis.METHODS}
    wsm = results["wsm"].ranked
    wsm_rank = {ro.object.id: ro.rank for ro in wsm}
    position = {ro.object.id: k for k, ro in enumerate(wsm)}
    labels = dict(zip(position, _unique_labels([f"{ro.rank}. {object_name(ro.object, lang)}" for ro in wsm],
                                               [ro.object.id for ro in wsm])))
    rows = []
    for m, r in results.items():
        for ro in r.ranked:
            rows.append({"method": t(f"charts.method.{m}", lang), "method_id": m, "object_id": ro.object.id,
                         "object": object_name(ro.object, lang), "rank": ro.rank,
                         "wsm_rank": wsm_rank[ro.object.id], "position": position[ro.object.id],
                         "row_label": labels[ro.object.id]})
    return pd.DataFrame(rows)


def agreement_frame(ranks: pd.DataFrame, key: str, *, measure: str = "kendall",
                    lang: str = "sv") -> pd.DataFrame:
    """Rank correlation between every pair of rankings in a long frame (``key``, object_id, rank).

    Columns: a, b, a_index, b_index, value, label (two decimals, "–" when undefined). The
    diagonal is included (1 unless a ranking is all tied).
    """
    fn = CORRELATIONS[measure]
    names = list(dict.fromkeys(ranks[key]))
    wide = ranks.pivot(index="object_id", columns=key, values="rank")
    rows = []
    for ia, a in enumerate(names):
        for ib, b in enumerate(names):
            value = fn(wide[a].to_numpy(), wide[b].to_numpy())
            rows.append({"a": a, "b": b, "a_index": ia, "b_index": ib, "value": value,
                         "label": "\u2013" if np.isnan(value) else number(value, lang, 2)})
    return pd.DataFrame(rows)


def correlation_table(ranks: pd.DataFrame, key: str, lang: str = "sv") -> pd.DataFrame:
    """Spearman's rho and Kendall's tau-b for every pair of different rankings (a before b in the
    frame's order): a, b, spearman, kendall, spearman_label, kendall_label."""
    names = list(dict.fromkeys(ranks[key]))
    wide = ranks.pivot(index="object_id", columns=key, values="rank")
    rows = []
    for ia, a in enumerate(names):
        for b in names[ia + 1:]:
            rho = spearman(wide[a].to_numpy(), wide[b].to_numpy())
            tau = kendall_tau_b(wide[a].to_numpy(), wide[b].to_numpy())
            rows.append({"a": a, "b": b, "spearman": rho, "kendall": tau,
                         "spearman_label": "\u2013" if np.isnan(rho) else number(rho, lang, 2),
                         "kendall_label": "\u2013" if np.isnan(tau) else number(tau, lang, 2)})
    return pd.DataFrame(rows, columns=["a", "b", "spearman", "kendall", "spearman_label", "kendall_label"])


# --- 7. map ---------------------------------------------------------------------------------------


def _coordinate(o: InfraObject, key: str) -> float | None:
    v = o.attributes.get(key)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def map_frame(ranking: analysis.Ranking, *, tiers: Mapping[str, str] | None = None,
              lang: str = "sv") -> pd.DataFrame:
    """Objects with coordinates: object_id, object, lat, lon, status ("candidate"/"committed"),
    rank, score_label, tier, category (tier, else the committed label), label (printed next to
    the dot: the rank, or "–" for committed objects). ``attrs["without_coordinates"]`` lists the
    names left out and ``attrs["note"]`` says so."""
    rows, missing = [], []
    entries = [(ro.object, ro.rank, ro.score) for ro in ranking.ranked] + [(o, None, None) for o in ranking.committed]
    committed_label = t("charts.committed", lang)
    for o, r, s in entries:
        lat, lon = _coordinate(o, "lat"), _coordinate(o, "lon")
        if lat is None or lon is None:
            missing.append(object_name(o, lang))
            continue
        tier = None if tiers is None or r is None else tiers.get(o.id)
        rows.append({"object_id": o.id, "object": object_name(o, lang), "lat": lat, "lon": lon,
                     "status": "candidate" if r is not None else "committed", "rank": r,
                     "score_label": "\u2013" if s is None else points_label(s, lang), "tier": tier,
                     "category": committed_label if r is None else (tier or t("charts.no_tier", lang)),
                     "label": "\u2013" if r is None else str(r)})
    frame = pd.DataFrame(rows, columns=["object_id", "object", "lat", "lon", "status", "rank", "score_label", "tier",
                                        "category", "label"])
    frame.attrs["without_coordinates"] = missing
    frame.attrs["note"] = t("charts.note_without_coordinates", lang, names=", ".join(missing)) if missing else ""
    return frame
