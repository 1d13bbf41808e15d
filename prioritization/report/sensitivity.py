"""The sensitivity page and the robustness summary in frames and sentences (pure: no Streamlit).

Rank acceptability (SMAA) per bucket and per object, one-at-a-time weight curves, stability
intervals [S5b], ties, what the scenarios varied, the robust top, the least certain position,
confidence factors, and the headline and key findings shared with the PDF. Every function takes a
:class:`prioritization.analysis.SensitivityReport` (and a Ranking) and returns a pandas frame for
:mod:`prioritization.ui.results.charts_dashboard` or a sentence in Swedish or English (keys ``charts.*``).
The weight changes themselves are in :mod:`prioritization.report.weight_change`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from prioritization import analysis
from prioritization.engine.ranking import competition_ranks, display_order
from prioritization.i18n import number, percent, t
from prioritization.report.ranking import candidate_index
from prioritization.report.result_text import (
    POINTS,
    SUMMARY_TOP,
    criterion_name,
    join_names,
    object_labels,
    object_name,
    unique_labels,
    weight_decimals,
    weight_interval_label,
    weight_percent,
)
from prioritization.report.robustness import TOP_CUTOFFS, share_label, top_cutoff  # shared with the exports
from prioritization.report.weight_change import change_sentence, untied_interval, weight_change

# Rank buckets of the rank-acceptability chart (first, last rank; None = open end)
RANK_BUCKETS = ((1, 1), (2, 3), (4, 5), (6, 10), (11, None))
RANGE_COVERAGE = 0.8  # "hamnar mellan rang 3 och 7 i 80 % av scenarierna"
CONFIDENCE_LISTED = 5  # at most this many objects in the confidence-factor sentence


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
    index = candidate_index(report.data)
    buckets = rank_buckets(b.shape[1])
    labels = unique_labels([f"{ro.rank}. {object_name(ro.object, lang)}" for ro in ranking.ranked],
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
    k = top_cutoff(rank, n)
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
    band_untied: bool = False  # the band leaves aside objects that share a rank (untied_interval)
    extra: tuple[str, ...] = ()  # names of objects drawn besides the top ones (``include``)


def _base_order(report: analysis.SensitivityReport) -> np.ndarray:
    return display_order(report.data.values @ report.weights)


def oat_curves(report: analysis.SensitivityReport, j: int, *, top_n: int = 5, grid: int = 21,
               include: Sequence[int] = (), lang: str = "sv") -> OatCurves:
    """S_i(t) for the ``top_n`` best objects at the report's weights (and the objects ``include``,
    indices into ``report.data``, e.g. the pair of a :class:`WeightChange`), t on a grid of ``grid``
    points from 0 to 1 plus the breakpoints where two shown lines cross and the current weight (the
    lines are straight [S5a], the extra points keep the drawn crossings exact; crossings of objects
    not drawn would only add rows: thousands with 200 objects).

    The band is the stability interval [S5b]; when objects share a rank it is a single point, and
    the band is then :func:`untied_interval` (``band_untied``).
    """
    res = report.oat[j]
    crit = report.data.criteria[j]
    objects = report.data.objects
    names = object_labels(objects, lang)
    order = [int(i) for i in _base_order(report)]
    top = order[:top_n]
    extra = [i for i in order if i in set(include) and i not in top]
    shown = top + extra
    shown_set = set(shown)
    bps = []
    for t_cross, a, c in zip(*(x.tolist() for x in res.crossings_among(shown_set)), strict=True):
        at = res.scores_at(t_cross)
        first, second = sorted((a, c), key=shown.index)
        bps.append({"t": t_cross, "score": float(at[first]), "points": float(at[first]) * POINTS,
                    "label": f"{names[first]} \u2194 {names[second]}"})
    bp_frame = pd.DataFrame(bps, columns=["t", "score", "points", "label"])
    ts = np.unique(np.r_[np.linspace(0.0, 1.0, grid), bp_frame["t"].to_numpy(dtype=float), res.weight])
    s = res.scores_at(ts)  # (K, N)
    lines = pd.DataFrame([{"object_id": objects[i].id, "object": names[i], "position": pos,
                           "t": float(tv), "score": float(s[k, i]), "points": float(s[k, i]) * POINTS}
                          for pos, i in enumerate(shown) for k, tv in enumerate(ts)])
    band = tuple(float(x) for x in report.stability[j].ranking)
    untied = None
    if band[0] == band[1] < 1.0:
        untied = untied_interval(report, j)
    if untied is not None and untied[0] < untied[1]:
        return OatCurves(criterion_name(crit, lang), float(res.weight), untied, lines, bp_frame, True,
                         tuple(names[i] for i in extra))
    return OatCurves(criterion_name(crit, lang), float(res.weight), band, lines, bp_frame, False,
                     tuple(names[i] for i in extra))


# --- stability intervals [S5b] --------------------------------------------------------------------


def stability_sentence(stability, criterion: str, lang: str = "sv",
                       untied: tuple[float, float] | None = None) -> str:
    """"Rangordningen håller så länge vikten för Klimat ligger mellan 10,3 % och 15,3 %; nu 12,0 %".

    ``stability``: an engine Stability [S5b] (its ``ranking`` interval is used). Every weight is
    printed like :func:`weight_percent` (one decimal, two when the bounds and the weight would
    otherwise look alike), rounded to the nearest: the same figures as the table and the chart.
    When objects share a rank the interval is a single point [S5b]; ``untied`` (from
    :func:`untied_interval`) then says how far the weight can move if they are left aside.
    """
    lo, hi = stability.ranking
    w = stability.weight
    if lo == hi:
        if hi >= 1.0:
            return t("charts.text.stability_single", lang, criterion=criterion)
        if untied is not None and untied[0] <= 0.0 and untied[1] >= 1.0:
            return t("charts.text.stability_untied_any", lang, criterion=criterion, now=weight_percent(w, lang))
        if untied is not None and untied[0] < untied[1]:
            u_lo, u_hi = untied
            d = weight_decimals([u_lo, u_hi, w])
            return t("charts.text.stability_untied", lang, criterion=criterion, lo=weight_percent(u_lo, lang, d),
                     hi=weight_percent(u_hi, lang, d), now=weight_percent(w, lang, d))
        return t("charts.text.stability_none", lang, criterion=criterion, now=weight_percent(w, lang))
    d = weight_decimals([lo, hi, w])
    now = weight_percent(w, lang, d)
    if lo <= 0.0 and hi >= 1.0:
        return t("charts.text.stability_any", lang, criterion=criterion, now=now)
    if lo <= 0.0:
        return t("charts.text.stability_at_most", lang, criterion=criterion, hi=weight_percent(hi, lang, d), now=now)
    if hi >= 1.0:
        return t("charts.text.stability_at_least", lang, criterion=criterion, lo=weight_percent(lo, lang, d), now=now)
    return t("charts.text.stability_between", lang, criterion=criterion, lo=weight_percent(lo, lang, d),
             hi=weight_percent(hi, lang, d), now=now)


def stability_frame(report: analysis.SensitivityReport, lang: str = "sv") -> pd.DataFrame:
    """Per criterion: criterion_id, criterion, weight, lo, hi (ranking unchanged [S5b]), top_lo,
    top_hi (who is first unchanged), untied_lo, untied_hi (:func:`untied_interval`, NaN when not
    needed), weight_label, interval_label, top_label (every weight printed like
    :func:`stability_sentence`: to the nearest, one decimal, two when needed), sentence."""
    ties = bool(tie_groups(report))
    rows = []
    for j, (c, s) in enumerate(zip(report.data.criteria, report.stability, strict=True)):
        name = criterion_name(c, lang)
        lo, hi = s.ranking
        top_lo, top_hi = s.top
        untied = untied_interval(report, j) if ties and lo == hi else None
        d = weight_decimals([lo, hi, s.weight, *(untied or ())])
        interval = weight_interval_label(lo, hi, lang, d)
        if untied is not None and untied[0] < untied[1]:
            interval = t("charts.text.interval_untied", lang, now=weight_percent(s.weight, lang, d),
                         interval=weight_interval_label(*untied, lang, d))
        dt = weight_decimals([top_lo, top_hi, s.weight])
        rows.append({"criterion_id": c.id, "criterion": name, "weight": s.weight, "lo": lo, "hi": hi,
                     "top_lo": top_lo, "top_hi": top_hi,
                     "untied_lo": np.nan if untied is None else untied[0],
                     "untied_hi": np.nan if untied is None else untied[1],
                     "weight_label": weight_percent(s.weight, lang, d), "interval_label": interval,
                     "top_label": weight_interval_label(top_lo, top_hi, lang, dt),
                     "sentence": stability_sentence(s, name, lang, untied)})
    return pd.DataFrame(rows)


# --- objects that share a rank ---------------------------------------------------------------------


def tie_groups(report: analysis.SensitivityReport) -> list[list[int]]:
    """Objects sharing a rank at the report's weights (groups of indices into ``report.data``,
    best rank first)."""
    ranks = competition_ranks(report.data.values @ report.weights)
    groups: dict[int, list[int]] = {}
    for i in display_order(report.data.values @ report.weights):
        groups.setdefault(int(ranks[i]), []).append(int(i))
    return [g for _, g in sorted(groups.items()) if len(g) > 1]


def identical_objects(report: analysis.SensitivityReport) -> list[set[int]]:
    """Groups of objects with the same values in every criterion (and the same individual
    ratings): they share a rank under any weights."""
    v = report.data.values
    ratings = report.data.ratings
    seen: dict[bytes, set[int]] = {}
    for i in range(v.shape[0]):
        key = np.round(v[i], 12).tobytes() + np.nan_to_num(ratings[:, i, :], nan=-1e300).tobytes()
        seen.setdefault(key, set()).add(i)
    return [g for g in seen.values() if len(g) > 1]


def ties_sentence(report: analysis.SensitivityReport, lang: str = "sv", *, limit: int = 3) -> str | None:
    """Objects that share a rank, told apart from the weight-change sentences (which leave them
    aside): "A och B (rang 3)"; objects identical in every criterion always share it. None
    without ties."""
    groups = tie_groups(report)
    if not groups:
        return None
    ranks = competition_ranks(report.data.values @ report.weights)
    names = object_labels(report.data.objects, lang)
    identical = identical_objects(report)
    parts = []
    for g in groups[:limit]:
        parts.append(t("charts.text.tie_group", lang, names=join_names([names[i] for i in g], lang),
                       rank=int(ranks[g[0]])))
    more = len(groups) - limit
    text = t("charts.text.ties", lang, groups="; ".join(parts))
    if more > 0:
        text += " " + t("charts.text.ties_more", lang, n=more)
    always = [g for g in identical if any(set(g) <= set(grp) for grp in groups)]
    if always:
        listed = [join_names([names[i] for i in sorted(g)], lang) for g in always[:limit]]
        text += " " + t("charts.text.ties_identical", lang, groups="; ".join(listed))
    return text


# --- sensitivity page: plain-language summary -----------------------------------------------------


def varied_sentence(report: analysis.SensitivityReport, lang: str = "sv") -> str:
    """What the SMAA scenarios varied (weight model, score model), how many there were and that the
    seed is fixed, in one sentence."""
    smaa = report.smaa
    weights = t(f"charts.text.varied_weights.{report.weight_model}", lang)
    if report.weight_model != "fixed" and any(c.weight_bounds is not None for c in report.data.criteria):
        weights += t("charts.text.varied_bounds", lang)
    score_model = report.score_model
    if score_model == "raters" and not raters_disagree(report.data):
        score_model = "raters_agree"  # drawn from the raters, but they gave the same score everywhere
    return t("charts.text.varied", lang, weights=weights,
             scores=t(f"charts.text.varied_scores.{score_model}", lang),
             samples=number(smaa.samples, lang, 0), seed=smaa.seed)


def effective_score_model(report: analysis.SensitivityReport) -> str:
    """The score model as it acted: "raters" with raters who agree in every cell varies nothing."""
    if report.score_model == "raters" and hasattr(report.data, "ratings") and not raters_disagree(report.data):
        return "none"
    return report.score_model


def raters_disagree(data: analysis.DecisionData) -> bool:
    """True when at least one cell has individual ratings that differ (agreed cells never do)."""
    r = data.ratings
    with np.errstate(all="ignore"):
        spread = np.nanmax(r, axis=0) - np.nanmin(r, axis=0) if r.shape[0] > 1 else np.zeros(r.shape[1:])
    return bool(np.any(np.nan_to_num(spread) > 0))


def rank_range(acceptability: Sequence[float], coverage: float = RANGE_COVERAGE) -> tuple[int, int]:
    """The ranks (lo, hi) an object takes in the central ``coverage`` of the scenarios.

    ``acceptability``: the object's row b_i^1..b_i^N. lo is the first rank with P(rank <= lo) above
    (1 - coverage)/2 and hi the first with P(rank <= hi) at least 1 - (1 - coverage)/2, so at most
    half the remainder lies on either side.
    """
    cum = np.cumsum(np.asarray(acceptability, dtype=float))
    tail = (1.0 - coverage) / 2.0
    lo = int(np.argmax(cum > tail + 1e-9)) + 1
    hi = int(np.argmax(cum >= 1.0 - tail - 1e-9)) + 1
    return lo, hi


def robust_top_sentence(report: analysis.SensitivityReport, ranking: analysis.Ranking, *, k: int = SUMMARY_TOP,
                        lang: str = "sv") -> str | None:
    """"Av topp 3 med de valda vikterna är A i topp 3 i 97 % av scenarierna, B i 90 % och C i 45 %."

    Objects ranked k or better in ``ranking`` (more than k with ties) and their share of scenarios
    in the top k. k is at most N - 1; None with a single object.
    """
    b = report.smaa.rank_acceptability
    k = min(k, b.shape[0] - 1)
    if k < 1:
        return None
    index = candidate_index(report.data)
    names = object_labels(report.data.objects, lang)
    top = [ro for ro in ranking.ranked if ro.rank <= k]
    if k == 1:  # "topp 1" reads oddly: say "etta"
        items = [t("charts.text.robust_first_item", lang, name=names[index[ro.object.id]],
                   share=share_label(float(b[index[ro.object.id], 0]), lang)) for ro in top]
        return t("charts.text.robust_first", lang, items=join_names(items, lang))
    items = []
    for pos, ro in enumerate(top):
        share = share_label(float(b[index[ro.object.id], :k].sum()), lang)
        key = "charts.text.robust_top_first" if pos == 0 else "charts.text.robust_top_more"
        items.append(t(key, lang, name=names[index[ro.object.id]], k=k, share=share))
    return t("charts.text.robust_top", lang, k=k, items=join_names(items, lang))


def fragile_sentence(report: analysis.SensitivityReport, ranking: analysis.Ranking, *,
                     coverage: float = RANGE_COVERAGE, lang: str = "sv") -> str | None:
    """The object with the widest central rank range (:func:`rank_range`); ties go to the better
    rank. Objects identical to another in every criterion are left out: they always share a rank,
    and SMAA spreads a shared rank over the ranks it covers (:func:`ties_sentence` says so).
    None with a single object, or when every object has an identical twin."""
    b = report.smaa.rank_acceptability
    if b.shape[0] < 2:
        return None
    index = candidate_index(report.data)
    twins = set().union(*identical_objects(report)) if hasattr(report.data, "values") else set()
    names = object_labels(report.data.objects, lang)
    best = None
    for ro in ranking.ranked:
        if index[ro.object.id] in twins:
            continue
        lo, hi = rank_range(b[index[ro.object.id]], coverage)
        if best is None or hi - lo > best[2] - best[1]:
            best = (ro, lo, hi)
    if best is None:
        return None
    ro, lo, hi = best
    cover = percent(coverage, lang)
    if lo == hi:
        return t("charts.text.fragile_none", lang, coverage=cover)
    return t("charts.text.fragile", lang, name=names[index[ro.object.id]], rank=ro.rank, lo=lo, hi=hi,
             coverage=cover)


def _has_central_weight(report: analysis.SensitivityReport, i: int) -> bool:
    return not bool(np.isnan(report.smaa.central_weights[i]).any())


def confidence_sentence(report: analysis.SensitivityReport, lang: str = "sv", *,
                        limit: int = CONFIDENCE_LISTED) -> str | None:
    """The confidence factors p_i^c [S5d.5] of the objects most often first (at most ``limit``,
    chosen by first-rank share), listed by the factor shown, highest first. None without score
    uncertainty, where they only say whether the object is first or shares the first place: no
    score model, or individual ratings that agree in every cell."""
    if effective_score_model(report) == "none":
        return None
    smaa = report.smaa
    first = smaa.rank_acceptability[:, 0]
    names = object_labels(report.data.objects, lang)
    candidates = [i for i in np.argsort(-first, kind="stable") if first[i] > 0 and _has_central_weight(report, i)]
    if not candidates:
        return None
    chosen = sorted(candidates[:limit], key=lambda i: (-float(smaa.confidence[i]), -float(first[i])))
    items = [f"{names[i]} {share_label(float(smaa.confidence[i]), lang)}" for i in chosen]
    return t("charts.text.confidence", lang, items=", ".join(items))


def acceptability_table(report: analysis.SensitivityReport, ranking: analysis.Ranking, *,
                        coverage: float = RANGE_COVERAGE, lang: str = "sv") -> pd.DataFrame:
    """One row per candidate in display order: object_id, object, rank, at_rank (share of the
    scenarios at exactly this rank), first, top_3/top_5/top_10 (those below N), range_lo,
    range_hi (:func:`rank_range`), confidence (NaN without a central weight), sentence
    (:func:`acceptability_sentence`); every share also as ``<column>_label``."""
    b = report.smaa.rank_acceptability
    n = b.shape[0]
    index = candidate_index(report.data)
    cutoffs = [k for k in TOP_CUTOFFS if k < n]
    names = object_labels(report.data.objects, lang)
    model = effective_score_model(report)
    rows = []
    for ro in ranking.ranked:
        i = index[ro.object.id]
        lo, hi = rank_range(b[i], coverage)
        row = {"object_id": ro.object.id, "object": names[i], "rank": ro.rank,
               "at_rank": float(b[i, ro.rank - 1]), "first": float(b[i, 0])}
        row.update({f"top_{k}": float(b[i, :k].sum()) for k in cutoffs})
        row.update({"range_lo": lo, "range_hi": hi, "range_label": str(lo) if lo == hi else f"{lo}\u2013{hi}",
                    "confidence": float(report.smaa.confidence[i]) if _has_central_weight(report, i) else np.nan,
                    "sentence": acceptability_sentence(b[i], ro.rank, score_model=model, lang=lang)})
        rows.append(row)
    frame = pd.DataFrame(rows)
    for col in ["at_rank", "first", *(f"top_{k}" for k in cutoffs), "confidence"]:
        frame[f"{col}_label"] = ["\u2013" if np.isnan(x) else share_label(x, lang) for x in frame[col]]
    return frame


# --- the headline of the robustness summary (screen and the PDF) ------------------------------


def headline(report, ranking, tiers, tier_of: dict | None, lang: str = "sv"):
    """The summary's weight-change sentences, the change the curves start with (the smallest of
    them: who is first, then the tiers when the round has tiers, else the top k; the any-pair change
    is a detail) and what that change changes, in words (:func:`focus_what`)."""
    n = len(ranking.ranked)
    k = min(SUMMARY_TOP, n - 1)
    events = [("first", None)]
    if tiers:
        events.append(("tier", None))
    elif k >= 2:
        events.append(("top", k))
    sentences, changes = [], []
    for which, kk in events:
        sentences.append(change_sentence(report, which, lang, tiers=tiers, k=kk or SUMMARY_TOP,
                                            tier_of=tier_of))
        change = weight_change(report, which, tiers=tiers, k=kk or SUMMARY_TOP)
        if change is not None:
            changes.append((change, which, kk or SUMMARY_TOP))
    if changes:
        focus, which, kk = min(reversed(changes), key=lambda c: c[0].size)
    else:
        focus, which, kk = weight_change(report, "any"), "any", SUMMARY_TOP
    return sentences, focus, focus_what(which, kk, lang)


def focus_what(which: str, k: int, lang: str = "sv") -> str:
    """What a headline change changes, for the criterion chooser: "vem som är etta", "topp 3"..."""
    return t(f"sensitivity.what.{which}", lang, k=k)


def key_findings(report: analysis.SensitivityReport, ranking: analysis.Ranking, tiers, tier_of: dict | None,
                 lang: str = "sv") -> list[str]:
    """The robustness summary in sentences, as on the sensitivity page: how sure the top is, the
    smallest weight changes that change who is first and move an object across a tier (or out of
    the top k), and the ties."""
    changes, _, _ = headline(report, ranking, tiers, tier_of, lang)
    lines = [robust_top_sentence(report, ranking, lang=lang), *changes, ties_sentence(report, lang)]
    return [line for line in lines if line]
