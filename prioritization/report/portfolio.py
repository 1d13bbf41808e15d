"""The budget portfolio and the benefit-cost frontier (pure: no Streamlit).

Costs and budgets as the exact decimals they were written as [S6.1], the budget slider's scale,
the portfolio frame and its totals, the portfolio in plain words (exact best combination against
the score-per-cost list), a cost criterion counted twice, context sentences (committed objects,
objects without a cost) and the efficient frontier (keys ``portfolio.*``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from prioritization import analysis
from prioritization.i18n import msek, number, percent, t
from prioritization.model import Criterion, InfraObject, Project
from prioritization.report.result_text import (
    POINTS,
    criterion_name,
    join_names,
    object_labels,
    object_name,
    points_label,
    unique_labels,
    weight_percent,
)

# --- 8. budget portfolio ----------------------------------------------------------------------------

BUDGET_STEPS = 200  # the budget slider has about this many steps
MAX_COST_DECIMALS = 4
PORTFOLIO_CATEGORIES = ("both", "optimal", "greedy", "neither")  # chosen by both / only exact / only greedy / none
PER_COST_UNIT = 1000.0  # score per cost is shown as points per 1 000 MSEK (a billion kronor)


def exact(x: float) -> Fraction:
    """A cost or budget as the decimal it was written as: the engine's exact semantics [S6.1]."""
    return Fraction(repr(float(x)))


def exact_sum(values: Iterable[float]) -> Fraction:
    return sum((exact(v) for v in values), Fraction(0))


def cost_decimals(values: Iterable[float]) -> int:
    """Fewest decimals (at most 4) that write every amount exactly: 4200 -> 0, 84.75 -> 2."""
    d = 0
    for v in values:
        f = exact(v)
        while d < MAX_COST_DECIMALS and (f * 10**d).denominator != 1:
            d += 1
    return d


def cost_label(x: float, lang: str = "sv", decimals: int | None = None, *, illustrative: bool = False) -> str:
    """An amount in MSEK written as exactly as it was given: "84,7 MSEK", "4 200 MSEK" ("SEK 84.7 m");
    a made-up example cost says so: "2 600 MSEK (exempeldata)"."""
    return msek(float(x), lang, cost_decimals([x]) if decimals is None else decimals, illustrative=illustrative)


@dataclass(frozen=True)
class BudgetScale:
    """The budget slider: 0 ... the sum of the candidates' costs, in about 200 "nice" steps."""

    total: float  # sum of the costs of the candidates that have one
    maximum: float  # the slider's end: the total rounded up to a whole step
    step: float  # 1, 2 or 5 x 10^k
    decimals: int  # decimals of the exact budget input: those of the costs
    default: float  # half the total, on a step


def _nice_step(raw: float) -> float:
    """The smallest 1, 2 or 5 x 10^k that is at least ``raw`` (> 0)."""
    k = math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        s = float(f"{m * 10.0**k:.12g}")
        if s >= raw * (1 - 1e-12):
            return s
    return float(f"{10.0 ** (k + 1):.12g}")  # pragma: no cover (m = 10 always qualifies)


def budget_scale(costs: Sequence[float]) -> BudgetScale:
    """Slider bounds and step chosen from the data (the exact budget is typed in a number box)."""
    total = float(exact_sum(costs))
    decimals = cost_decimals(costs)
    if total <= 0:
        return BudgetScale(total, 1.0, 1.0, decimals, 0.0)
    step = _nice_step(total / BUDGET_STEPS)
    d = cost_decimals([step])
    maximum = round(math.ceil(total / step - 1e-9) * step, d)
    default = round(round(total / 2 / step) * step, d)
    return BudgetScale(total, maximum, step, decimals, default)


def _count(n: int, lang: str) -> str:
    return t("portfolio.text.objects_one" if n == 1 else "portfolio.text.objects_many", lang, n=n)


def _names(objs: Sequence[InfraObject], indices: Iterable[int], lang: str) -> str:
    names = object_labels(objs, lang)  # a repeated name gets its id
    return ", ".join(names[i] for i in indices)


@dataclass(frozen=True)
class PortfolioTotals:
    """What one portfolio (exact or greedy) adds up to. ``left`` is computed exactly [S6.1]."""

    count: int
    points: float  # sum of the chosen objects' scores, in points (each object at most 100)
    cost: float
    left: float  # budget - cost


def portfolio_totals(report: analysis.PortfolioReport, which: str = "optimal") -> PortfolioTotals:
    """Totals of ``report.optimal`` (``which="optimal"``) or ``report.greedy``."""
    result = report.optimal if which == "optimal" else report.greedy
    if result is None:
        raise ValueError(f"the report has no {which} portfolio")
    costs = [report.objects[i].cost for i in result.selected]
    return PortfolioTotals(len(result.selected), float(sum(report.values[i] for i in result.selected)) * POINTS,
                           float(exact_sum(costs)), float(exact(report.budget) - exact_sum(costs)))


def portfolio_frame(report: analysis.PortfolioReport, ranking: analysis.Ranking, *,
                    force_in: Sequence[str] = (), force_out: Sequence[str] = (), lang: str = "sv") -> pd.DataFrame:
    """One row per candidate with a cost, in ranking order (``ranking`` must use the report's weights).

    Columns: object_id, object, row_label ("3. Name", unique), position, rank, score, points,
    score_label, cost, cost_label, cost_illustrative (a made-up example cost), per_cost (points per 1 000 MSEK; NaN for cost 0), per_cost_label,
    greedy_order (1-based place in the score-per-cost order; <NA> for forced objects), in_optimal,
    in_greedy, forced ("in", "out" or ""), forced_label, category (``PORTFOLIO_CATEGORIES``;
    "greedy"/"neither" only when the report has no exact portfolio), category_label and
    end_label (cost, choice and forcing in words: the chart never relies on colour alone).
    """
    objs = report.objects
    index = {o.id: i for i, o in enumerate(objs)}
    d = cost_decimals([o.cost for o in objs])
    optimal = set(report.optimal.selected) if report.optimal is not None else None
    greedy = set(report.greedy.selected)
    greedy_pos = {i: k + 1 for k, i in enumerate(report.greedy.order)}
    ranked = [ro for ro in ranking.ranked if ro.object.id in index]
    labels = unique_labels([f"{ro.rank}. {object_name(ro.object, lang)}" for ro in ranked],
                            [ro.object.id for ro in ranked])
    names = object_labels(objs, lang)  # a repeated name gets its id
    fin, fout = set(force_in), set(force_out)
    rows = []
    for pos, ro in enumerate(ranked):
        i = index[ro.object.id]
        score = float(report.values[i])
        cost = float(objs[i].cost)
        made_up = objs[i].cost_is_illustrative
        in_opt = i in optimal if optimal is not None else None
        in_gre = i in greedy
        if optimal is None:
            category = "greedy" if in_gre else "neither"
        else:
            category = {(True, True): "both", (True, False): "optimal", (False, True): "greedy",
                        (False, False): "neither"}[(in_opt, in_gre)]
        label = t(f"portfolio.category.{category}" if optimal is not None
                  else f"portfolio.category.greedy_only_{'chosen' if in_gre else 'not'}", lang)
        forced = "in" if ro.object.id in fin else "out" if ro.object.id in fout else ""
        forced_label = t(f"portfolio.forced.{forced}", lang) if forced else ""
        per_cost = score * POINTS / cost * PER_COST_UNIT if cost > 0 else math.nan
        end = f"{cost_label(cost, lang, illustrative=made_up)} \u00b7 {label}" + (f" ({forced_label})" if forced else "")
        rows.append({"object_id": ro.object.id, "object": names[i], "row_label": labels[pos],
                     "position": pos, "rank": ro.rank, "score": score, "points": score * POINTS,
                     "score_label": points_label(score, lang), "cost": cost, "cost_label": cost_label(cost, lang, d, illustrative=made_up),
                     "cost_illustrative": made_up, "per_cost": per_cost,
                     "per_cost_label": "\u2013" if math.isnan(per_cost) else number(per_cost, lang, 1),
                     "greedy_order": greedy_pos.get(i), "in_optimal": in_opt, "in_greedy": in_gre,
                     "forced": forced, "forced_label": forced_label, "category": category, "category_label": label,
                     "end_label": end})
    columns = ["object_id", "object", "row_label", "position", "rank", "score", "points", "score_label", "cost",
               "cost_label", "cost_illustrative", "per_cost", "per_cost_label", "greedy_order", "in_optimal", "in_greedy", "forced",
               "forced_label", "category", "category_label", "end_label"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["greedy_order"] = pd.array(frame["greedy_order"], dtype="Int64")
    return frame


def portfolio_sentences(report: analysis.PortfolioReport, *, force_in: Sequence[str] = (),
                        force_out: Sequence[str] = (), lang: str = "sv") -> list[str]:
    """The portfolio in plain words: what the best combination and the score-per-cost list choose
    within the budget, what they add up to, how they differ and by how much the exact one wins,
    whether the best combination is the only one, and what was forced in or out.

    With ``report.optimal`` None (the exact search was too large) only the greedy list is told.
    """
    from prioritization.engine.portfolio import knapsack_tolerance

    objs = report.objects
    ids = [o.id for o in objs]
    def money(x: float) -> str:
        return cost_label(x, lang)  # each amount exactly as it is: "4 200 MSEK", "980,25 MSEK"

    budget = money(report.budget)
    out: list[str] = []
    fin = [ids.index(o) for o in force_in]
    fout = [ids.index(o) for o in force_out]
    if fin:
        out.append(t("portfolio.text.forced_in", lang, names=_names(objs, fin, lang),
                     cost=money(float(exact_sum(objs[i].cost for i in fin)))))
    if fout:
        out.append(t("portfolio.text.forced_out", lang, names=_names(objs, fout, lang)))
    opt, greedy = report.optimal, report.greedy
    main = opt if opt is not None else greedy
    if not main.selected:
        open_ = [i for i in range(len(objs)) if i not in fout]
        if open_:
            cheapest = min(open_, key=lambda i: (objs[i].cost, i))
            out.append(t("portfolio.text.nothing_fits", lang, budget=budget, name=object_labels(objs, lang)[cheapest],
                         cost=money(objs[cheapest].cost)))
        else:
            out.append(t("portfolio.text.all_out", lang))
        return out
    g = portfolio_totals(report, "greedy")
    greedy_text = t("portfolio.text.greedy", lang, count=_count(g.count, lang), points=number(g.points, lang, 1),
                    cost=money(g.cost), left=money(g.left))
    if opt is None:
        out.append(t("portfolio.text.greedy_only", lang, budget=budget) + " " + greedy_text)
        return out
    o = portfolio_totals(report, "optimal")
    out.append(t("portfolio.text.optimal", lang, budget=budget, count=_count(o.count, lang),
                 points=number(o.points, lang, 1), cost=money(o.cost), left=money(o.left)))
    out.append(greedy_text)
    only_opt = sorted(set(opt.selected) - set(greedy.selected))
    only_greedy = sorted(set(greedy.selected) - set(opt.selected))
    if not only_opt and not only_greedy:
        out.append(t("portfolio.text.same", lang))
    else:
        gain = float(opt.value) - float(greedy.value)
        if gain > knapsack_tolerance(float(opt.value)):
            rel = percent(gain / float(greedy.value), lang, 1) if greedy.value > 0 else None
            key = "portfolio.text.better" if rel is not None else "portfolio.text.better_abs"
            out.append(t(key, lang, diff=number(gain * POINTS, lang, 1), rel=rel))
        else:
            out.append(t("portfolio.text.equal_value", lang))
        parts = []
        if only_opt:
            parts.append(t("portfolio.text.only_optimal", lang, names=_names(objs, only_opt, lang)))
        if only_greedy:
            parts.append(t("portfolio.text.only_greedy", lang, names=_names(objs, only_greedy, lang)))
        out.append(" ".join(parts))
    out.append(t("portfolio.text.unique" if opt.unique else "portfolio.text.not_unique", lang))
    return out


def greedy_report(project: Project, ranking: analysis.Ranking, budget: float, *, force_in: Sequence[str] = (),
                  force_out: Sequence[str] = ()) -> analysis.PortfolioReport:
    """The score-per-cost list alone (``optimal`` None), for when the exact search is too large.

    Same objects, values and forcing as :func:`analysis.portfolio` (``ranking``: WSM under the same
    weights); the greedy list is quick for any number of objects [S6.3].
    """
    from prioritization.engine.portfolio import greedy_portfolio

    score = {ro.object.id: ro.score for ro in ranking.ranked}
    objs = tuple(o for o in project.candidates if o.cost is not None)
    ids = [o.id for o in objs]
    values = np.array([score[o.id] for o in objs], dtype=float)
    costs = np.array([o.cost for o in objs], dtype=float)
    g = greedy_portfolio(values, costs, budget, force_in=[ids.index(o) for o in force_in],
                         force_out=[ids.index(o) for o in force_out])
    without = tuple(o for o in project.candidates if o.cost is None)
    return analysis.PortfolioReport(float(budget), objs, without, values, None, g)


COST_WORDS = ("kostnad", "cost")  # a criterion with one of these in its name and "lower is better" is a cost


def cost_criteria(criteria: Sequence[Criterion]) -> list[int]:
    """Criteria that measure cost ("lower is better" and "kostnad"/"cost" in the name)."""
    return [j for j, c in enumerate(criteria) if c.direction == "cost"
            and any(w in f"{c.name} {c.name_en or ''}".lower() for w in COST_WORDS)]


def cost_twice_sentence(criteria: Sequence[Criterion], weights: Sequence[float], lang: str = "sv") -> str | None:
    """A cost criterion with a weight is already in the score that the portfolio divides by the
    cost: say that cost then counts twice (None when no such criterion weighs anything)."""
    items = [f"{criterion_name(criteria[j], lang)} ({weight_percent(float(weights[j]), lang)})"
             for j in cost_criteria(criteria) if float(weights[j]) > 0]
    if not items:
        return None
    return t("portfolio.text.cost_twice", lang, n=len(items), names=join_names(items, lang))


def forced_in_excess(costs: Mapping[str, float], force_in: Sequence[str], budget: float) -> float | None:
    """The forced-in objects' total cost when it exceeds the budget (decided exactly), else None."""
    total = exact_sum(costs[o] for o in force_in)
    return float(total) if total > exact(budget) else None


def illustrative_cost_sentence(objects: Sequence[InfraObject], lang: str = "sv") -> str:
    """Which candidates' costs are made-up examples, not from a source ("" when none): the budget
    choice then only demonstrates the page (issue 11 #15)."""
    made_up = [o for o in objects if o.cost_is_illustrative]
    if not made_up:
        return ""
    return t("portfolio.text.illustrative_costs", lang, n=len(made_up), total=len(objects),
             names=join_names(object_labels(made_up, lang), lang))


def without_cost_sentence(objects: Sequence[InfraObject], lang: str = "sv") -> str:
    """Candidates without a cost cannot be in a portfolio: say which ("" when none)."""
    if not objects:
        return ""
    return t("portfolio.text.without_cost", lang, n=len(objects), names=", ".join(object_labels(objects, lang)))


def committed_cost_sentence(committed: Sequence[InfraObject], lang: str = "sv") -> str:
    """The committed ("Redan prioriterade – bevakas") objects and their costs, as context: they are
    not in the portfolio and not charged to the budget ("" when there are none)."""
    if not committed:
        return ""
    known = [o.cost for o in committed if o.cost is not None]
    no_cost = t("portfolio.text.no_cost", lang)
    items = [f"{object_name(o, lang)}: "
             f"{no_cost if o.cost is None else cost_label(o.cost, lang, illustrative=o.cost_is_illustrative)}"
             for o in committed]
    text = t("portfolio.text.committed", lang, heading=t("charts.committed", lang), items="; ".join(items))
    if len(known) > 1:
        key = "portfolio.text.committed_total" if len(known) == len(committed) else "portfolio.text.committed_known"
        text += " " + t(key, lang, total=cost_label(float(exact_sum(known)), lang))
    return text


# --- benefit vs cost: the efficient frontier -------------------------------------------------------


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
    cost_illustrative, efficient, sorted by cost
    then score descending. ``attrs["without_cost"]`` lists the names left out and ``attrs["note"]``
    says so in a sentence (empty when none)."""
    label = dict(zip([ro.object.id for ro in ranking.ranked], object_labels([ro.object for ro in ranking.ranked],
                                                                               lang), strict=True))
    with_cost = [ro for ro in ranking.ranked if ro.object.cost is not None]
    missing = [label[ro.object.id] for ro in ranking.ranked if ro.object.cost is None]
    columns = ["object_id", "object", "rank", "score", "points", "score_label", "cost", "cost_label",
               "cost_illustrative"]
    frame = pd.DataFrame([{"object_id": ro.object.id, "object": label[ro.object.id], "rank": ro.rank,
                           "score": ro.score, "points": ro.score * POINTS, "score_label": points_label(ro.score, lang),
                           "cost": float(ro.object.cost),
                           "cost_label": cost_label(float(ro.object.cost), lang,
                                                    illustrative=ro.object.cost_is_illustrative),
                           "cost_illustrative": ro.object.cost_is_illustrative}
                          for ro in with_cost], columns=columns)
    frame["efficient"] = efficient_mask(frame["cost"].to_numpy(), frame["score"].to_numpy()) if len(frame) else []
    frame = frame.sort_values(["cost", "score"], ascending=[True, False], kind="stable").reset_index(drop=True)
    frame.attrs["without_cost"] = missing
    frame.attrs["note"] = t("charts.note_without_cost", lang, names=", ".join(missing)) if missing else ""
    return frame


def frontier_sentence(frame: pd.DataFrame, lang: str = "sv") -> str:
    """Which objects are on the efficient frontier, in words (``frame``: :func:`frontier_frame`)."""
    if frame.empty:
        return ""
    front = frame[frame["efficient"]]
    return t("portfolio.text.frontier", lang, n=len(front), m=len(frame), names=", ".join(front["object"]))
