"""Cost and portfolio: which candidate objects fit within a budget and together give the most benefit.

Plain words first, charts second. The budget (a slider, and a number box for an exact amount: costs
are exact decimals) gives the exact best combination and the simple score-per-cost list side by
side; objects can be forced in or left out. When a cost criterion is part of the score the page
says that cost then counts twice. Benefit against cost with the efficient frontier follows. Every
chart has a table in an expander. Reasons why nothing can be computed are in the reader's language
(:func:`report.ranking.incomplete_reason`), never the engine's English. The analyses are cached
per source, weights, budget and forced objects (:func:`results.portfolio`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from prioritization import analysis, safe_text
from prioritization.engine.portfolio import PortfolioSearchLimit
from prioritization.errors import InputError
from prioritization.i18n import number
from prioritization.planning.comparability import COST
from prioritization.report import portfolio as pl
from prioritization.report import ranking as rl
from prioritization.ui.results import charts_dashboard as charts
from prioritization.ui.results import comparability_note, results
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr

K_BUDGET = "portfolio_budget"  # the slider (a browser test drives it: keep the key)
K_EXACT = "portfolio_budget_exact"  # the exact budget, kept in step with the slider
K_KEEP = "_keep_portfolio_budget"  # survives switching pages (widget state does not)
K_IN = "portfolio_force_in"
K_OUT = "portfolio_force_out"


def _cost_labels(frame: pd.DataFrame, marks: dict[str, set[str]]) -> list[str]:
    """The frame's cost labels, "†" on the costs a comparability warning names
    (:func:`comparability_note.flagged`)."""
    return [comparability_note.mark(label, oid, COST, marks)
            for oid, label in zip(frame["object_id"], frame["cost_label"], strict=True)]


def render() -> None:
    st.title(tr("nav.portfolio"), anchor=False)
    shown = results.choose(state.db(), state.actor())
    if shown is None:
        return
    lang = state.lang()
    st.markdown(tr("portfolio.intro"))
    profile = results.profile_choice(shown.project)
    try:
        ranking = results.ranking(shown, profile)
    except InputError as e:
        st.info(tr("overview.incomplete", reason=rl.incomplete_reason(shown.project, e, lang)))
        return
    st.caption(tr("portfolio.weights_note", profile=results.profile_name(shown.project, profile)))
    twice = pl.cost_twice_sentence(shown.project.criteria, ranking.weights, lang)
    if twice:
        st.info(results.say(twice), icon=":material/info:")
    made_up = pl.illustrative_cost_sentence(shown.project.candidates, lang)
    if made_up:  # made-up example costs are never taken for facts (issue 11 #15)
        st.warning(results.say(made_up), icon=":material/science:")
    # costs from different evidence levels or price levels are summed and compared here (issue 14)
    comparability_note.show([ro.object for ro in ranking.ranked], lang, (COST,))
    marks = comparability_note.flagged([ro.object for ro in ranking.ranked], (COST,))
    frontier = pl.frontier_frame(ranking, lang)
    if frontier.empty:
        st.info(tr("portfolio.no_costs"))
        _context(ranking, lang)
        return
    _budget_section(shown, profile, ranking, frontier, lang, marks)
    _frontier_section(frontier, lang, marks)


# ------------------------------------------------------------------------------------ budget


def _from_slider() -> None:
    st.session_state[K_EXACT] = st.session_state[K_BUDGET]


def _from_exact() -> None:
    st.session_state[K_BUDGET] = st.session_state[K_EXACT]


def _budget_input(scale: pl.BudgetScale) -> float:
    """The slider and the exact number box, kept in step; returns the budget in MSEK."""
    ss = st.session_state
    value = ss.get(K_EXACT, ss.get(K_KEEP, scale.default))
    value = min(max(float(value), 0.0), scale.maximum)  # a new source may have other costs
    ss[K_EXACT] = value
    ss[K_BUDGET] = value
    wide, narrow = st.columns([3, 1], vertical_alignment="bottom")
    wide.slider(tr("portfolio.budget_slider"), min_value=0.0, max_value=scale.maximum, step=scale.step,
                key=K_BUDGET, format="localized", on_change=_from_slider, help=tr("portfolio.budget_slider_help"))
    d = scale.decimals
    budget = narrow.number_input(tr("portfolio.budget_exact"), min_value=0.0, max_value=scale.maximum,
                                 step=10.0**-d if d else 1.0, format=f"%.{d}f", key=K_EXACT,
                                 on_change=_from_exact, help=tr("portfolio.budget_exact_help"))
    ss[K_KEEP] = float(budget)
    return float(budget)


def _forced(frontier: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The two multiselects: objects forced in and objects left out (ids, ranking order)."""
    by_rank = frontier.sort_values("rank", kind="stable")
    options = list(by_rank["object_id"])
    names = {r.object_id: f"{r.rank}. {r.object} \u2013 {r.cost_label}" for r in by_rank.itertuples()}
    for key in (K_IN, K_OUT):  # another source may not have the objects chosen before
        if key in st.session_state:
            st.session_state[key] = [o for o in st.session_state[key] if o in names]
    left, right = st.columns(2)
    force_in = left.multiselect(tr("portfolio.force_in"), options, key=K_IN, format_func=names.get,
                                help=tr("portfolio.force_in_help"), placeholder=tr("portfolio.choose_objects"))
    force_out = right.multiselect(tr("portfolio.force_out"), options, key=K_OUT, format_func=names.get,
                                  help=tr("portfolio.force_out_help"), placeholder=tr("portfolio.choose_objects"))
    return list(force_in), list(force_out)


def _budget_section(shown: results.Shown, profile: str | None, ranking: analysis.Ranking, frontier: pd.DataFrame,
                    lang: str, marks: dict[str, set[str]]) -> None:
    st.header(tr("portfolio.budget_heading"), anchor=False)
    costs = dict(zip(frontier["object_id"], frontier["cost"], strict=True))
    scale = pl.budget_scale(list(costs.values()))
    budget = _budget_input(scale)
    st.markdown(tr("portfolio.budget_caption", budget=pl.cost_label(budget, lang), total=pl.cost_label(scale.total, lang)))
    force_in, force_out = _forced(frontier)
    names = dict(zip(frontier["object_id"], frontier["object"], strict=True))
    both = [o for o in force_in if o in force_out]
    if both:
        st.error(results.say(tr("portfolio.both_forced", names=", ".join(names[o] for o in both))))
        _context(ranking, lang)
        return
    excess = pl.forced_in_excess(costs, force_in, budget)
    if excess is not None:
        st.error(tr("portfolio.forced_over_budget", cost=pl.cost_label(excess, lang), budget=pl.cost_label(budget, lang)))
        _context(ranking, lang)
        return
    try:
        report = results.portfolio(shown, budget, profile, force_in=force_in, force_out=force_out)
    except PortfolioSearchLimit:
        st.warning(tr("portfolio.search_limit"))
        report = pl.greedy_report(shown.project, ranking, budget, force_in=force_in, force_out=force_out)
    except InputError as e:
        st.error(tr("portfolio.cannot_compute", reason=rl.incomplete_reason(shown.project, e, lang)))
        return
    for sentence in pl.portfolio_sentences(report, force_in=force_in, force_out=force_out, lang=lang):
        st.markdown(results.say(sentence))
    frame = pl.portfolio_frame(report, ranking, force_in=force_in, force_out=force_out, lang=lang)
    _side_by_side(report, frame, lang)
    table = _choice_table(frame, marks, exact=report.optimal is not None)
    if report.optimal is not None:
        st.altair_chart(charts.portfolio_chart(frame, lang), width="stretch", alt=tr("portfolio.chart_title"))
        with st.expander(tr("portfolio.table_expander")):
            st.dataframe(table, hide_index=True, width="stretch", height="content")
    else:
        st.dataframe(table, hide_index=True, width="stretch", height="content")
    _context(ranking, lang)


def _side_by_side(report: analysis.PortfolioReport, frame: pd.DataFrame, lang: str) -> None:
    """The exact best combination and the score-per-cost list next to each other: totals and objects."""
    heads = st.columns(2, vertical_alignment="bottom")  # a heading that wraps does not misalign the figures
    columns = st.columns(2)
    for head, col, which, heading in ((heads[0], columns[0], "optimal", "portfolio.optimal_heading"),
                                      (heads[1], columns[1], "greedy", "portfolio.greedy_heading")):
        head.subheader(tr(heading), anchor=False)
        if which == "optimal" and report.optimal is None:
            col.markdown(tr("portfolio.search_limit"))
            continue
        tot = pl.portfolio_totals(report, which)
        a, b = col.columns(2)
        a.metric(tr("portfolio.metric_count"), str(tot.count))
        b.metric(tr("portfolio.metric_points"), number(tot.points, lang, 1))
        a.metric(tr("portfolio.metric_cost"), pl.cost_label(tot.cost, lang))
        b.metric(tr("portfolio.metric_left"), pl.cost_label(tot.left, lang))
        chosen = frame[frame["in_optimal" if which == "optimal" else "in_greedy"].eq(True)]
        if chosen.empty:
            col.markdown(tr("portfolio.chosen_none"))
        else:
            col.markdown("\n".join(f"- {r.rank}\\. {safe_text.md(r.object)} \u2013 {r.cost_label}"
                                    for r in chosen.itertuples()))


def _choice_table(frame: pd.DataFrame, marks: dict[str, set[str]], *, exact: bool) -> pd.DataFrame:
    yes, no = tr("charts.yes"), tr("charts.no")
    table = {
        tr("portfolio.col_rank"): frame["rank"],
        tr("portfolio.col_object"): frame["object"],
        tr("portfolio.col_score"): frame["score_label"],
        tr("portfolio.col_cost"): _cost_labels(frame, marks),
        tr("portfolio.col_per_cost"): frame["per_cost_label"],
        tr("portfolio.col_greedy_order"): frame["greedy_order"],
    }
    if exact:
        table[tr("portfolio.col_optimal")] = [yes if v else no for v in frame["in_optimal"]]
    table[tr("portfolio.col_greedy")] = [yes if v else no for v in frame["in_greedy"]]
    table[tr("portfolio.col_forced")] = frame["forced_label"]
    return pd.DataFrame(table)


def _context(ranking: analysis.Ranking, lang: str) -> None:
    """What is not in the portfolio: candidates without a cost, and the committed objects."""
    without = pl.without_cost_sentence([ro.object for ro in ranking.ranked if ro.object.cost is None], lang)
    if without:
        st.markdown(results.say(without))
    committed = pl.committed_cost_sentence(ranking.committed, lang)
    if committed:
        st.info(results.say(committed))


# ------------------------------------------------------------------------------------ frontier


def _frontier_section(frontier: pd.DataFrame, lang: str, marks: dict[str, set[str]]) -> None:
    st.header(tr("portfolio.frontier_heading"), anchor=False)
    sentence = pl.frontier_sentence(frontier, lang)
    st.markdown(results.say(sentence))
    st.altair_chart(charts.frontier_chart(frontier, lang), width="stretch", alt=sentence)
    yes, no = tr("charts.yes"), tr("charts.no")
    with st.expander(tr("portfolio.frontier_expander")):
        st.dataframe(pd.DataFrame({
            tr("portfolio.col_rank"): frontier["rank"],
            tr("portfolio.col_object"): frontier["object"],
            tr("portfolio.col_score"): frontier["score_label"],
            tr("portfolio.col_cost"): _cost_labels(frontier, marks),
            tr("portfolio.col_frontier"): [yes if e else no for e in frontier["efficient"]],
        }), hide_index=True, width="stretch", height="content")
