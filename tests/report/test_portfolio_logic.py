"""Budget portfolio shaping, sentences and chart and the efficient frontier (report.portfolio /
charts_dashboard), on small constructed inputs whose answers can be checked by hand and on the
example data."""

from __future__ import annotations

import copy
import json
import math
from types import SimpleNamespace

import numpy as np
import pytest

from prioritization import analysis, projectfile
from prioritization.engine.portfolio import greedy_portfolio, optimal_portfolio
from prioritization.model import InfraObject
from prioritization.report import portfolio as pl
from prioritization.ui.results import charts_dashboard as charts
from tests.conftest import EXAMPLE


def sourced_costs_only(doc: dict) -> dict:
    """The example as it was before made-up costs (issue 11 #15): only sourced costs (SOD-01, -02,
    -05), so the scenarios below stay small enough to check by hand."""
    doc = copy.deepcopy(doc)
    for o in doc["objects"]:
        if o.pop("cost_illustrative", False):
            o["cost"] = None
    return doc


def load_sourced():
    return projectfile.parse(sourced_costs_only(json.loads(EXAMPLE.read_text(encoding="utf-8"))))

NB = "\u00a0"


def constructed(values, costs, budget, *, force_in=(), force_out=(), names="ABCDEFG"):
    """A PortfolioReport and a matching WSM Ranking for hand-made scores and costs."""
    objs = tuple(InfraObject(n, n, cost=c) for n, c in zip(names[:len(costs)], costs, strict=True))
    v = np.asarray(values, dtype=float)
    ids = [o.id for o in objs]
    fin, fout = [ids.index(o) for o in force_in], [ids.index(o) for o in force_out]
    report = analysis.PortfolioReport(float(budget), objs, (), v, optimal_portfolio(v, costs, budget, fin, fout),
                                      greedy_portfolio(v, costs, budget, fin, fout))
    order = sorted(range(len(objs)), key=lambda i: (-v[i], i))
    ranked = tuple(analysis.RankedObject(objs[i], pos + 1, float(v[i])) for pos, i in enumerate(order))
    return report, analysis.Ranking("wsm", np.ones(1), ranked, ())


# --- exact amounts --------------------------------------------------------------------------------


def test_cost_labels_are_exact():
    assert pl.cost_decimals([4200, 84.7, 0.25]) == 2 and pl.cost_decimals([4200.0]) == 0
    assert pl.cost_label(4200) == f"4{NB}200 MSEK" and pl.cost_label(84.7) == "84,7 MSEK"
    assert pl.cost_label(84.7, "en") == "SEK 84.7 m" and pl.cost_label(3, decimals=2) == "3,00 MSEK"
    assert pl.exact_sum([0.1, 0.2]) == pl.exact(0.3)  # not 0.30000000000000004


def test_budget_scale_hand_checked():
    # total 2 060, 2 060 / 200 = 10.3 -> step 20; 2 060 is a whole number of steps; half = 1 030 -> 1 040
    assert pl.budget_scale([1200, 800, 60]) == pl.BudgetScale(2060.0, 2060.0, 20.0, 0, 1040.0)
    # total 26 447 -> step 200 (132.2 rounded up to 1-2-5), slider end rounded up to 26 600
    s = pl.budget_scale([26000, 447])
    assert (s.step, s.maximum, s.default) == (200.0, 26600.0, 13200.0)
    # small decimal costs: 0.3 / 200 = 0.0015 -> step 0.002; the end is exactly 0.3
    s = pl.budget_scale([0.1, 0.2])
    assert (s.total, s.step, s.maximum, s.decimals) == (0.3, 0.002, 0.3, 1)
    assert pl.budget_scale([0.0, 0.0]) == pl.BudgetScale(0.0, 1.0, 1.0, 0, 0.0)


def test_forced_in_excess_is_decided_exactly():
    assert pl.forced_in_excess({"a": 6, "b": 5}, ["a", "b"], 10) == 11.0
    assert pl.forced_in_excess({"a": 6, "b": 5}, ["a", "b"], 11) is None
    assert pl.forced_in_excess({"x": 0.1, "y": 0.2}, ["x", "y"], 0.3) is None  # 0.1 + 0.2 fits 0.3


# --- sentences and frame ---------------------------------------------------------------------------


def test_exact_beats_greedy_in_words():
    # A has the best score per cost and is taken first; then neither B nor C fits. B + C is better.
    report, ranking = constructed([0.6, 0.45, 0.45], [6, 5, 5], 10)
    assert report.optimal.selected == [1, 2] and report.greedy.selected == [0]
    assert pl.portfolio_sentences(report) == [
        "Inom budgeten 10 MSEK ger den bästa kombinationen 2 objekt med tillsammans 90,0 poäng för 10 MSEK; "
        "0 MSEK blir över.",
        "Listan efter poäng per krona (objekten tas i ordning efter poäng per kostnad så länge de ryms) ger "
        "1 objekt med 60,0 poäng för 6 MSEK; 4 MSEK blir över.",
        f"Den bästa kombinationen ger 30,0 poäng mer än listan efter poäng per krona (50,0{NB}% mer).",
        "Bara i den bästa kombinationen: B, C. Bara i listan efter poäng per krona: A.",
        "Ingen annan kombination inom budgeten ger lika många poäng.",
    ]
    en = pl.portfolio_sentences(report, lang="en")
    assert en[0] == ("Within the budget SEK 10 m the best combination has 2 objects with 90.0 points together for "
                     "SEK 10 m; SEK 0 m is left over.")
    assert en[1].endswith("has 1 object with 60.0 points for SEK 6 m; SEK 4 m is left over.")


def test_same_set_and_a_tie_between_combinations():
    # A alone and B + C both give 0.5 within 5; greedy takes B (best score per cost), then C
    report, _ = constructed([0.5, 0.3, 0.2], [5, 2, 3], 5)
    assert report.optimal.selected == report.greedy.selected == [1, 2]
    text = pl.portfolio_sentences(report)
    assert "Båda sätten väljer samma objekt." in text
    # honest about which optimum is shown: not "the best" by rank
    assert text[-1] == ("Minst en annan kombination inom budgeten ger lika många poäng. Här visas den som beräkningen "
                        "hittar först, inte nödvändigtvis den med bäst rang; valet mellan dem kan göras på andra grunder.")


def test_equal_value_with_different_objects():
    # A (ratio 0.1) first for greedy; the canonical optimum prefers leaving earlier objects out: B
    report, _ = constructed([0.5, 0.5], [5, 5.5], 5.5)
    assert report.optimal.selected != report.greedy.selected
    text = pl.portfolio_sentences(report)
    # the simple list reaches the optimum too: say it is also a best combination
    assert ("Listan efter poäng per krona ger lika många poäng med andra objekt, så den är också en bästa "
            "kombination.") in text
    assert "Bara i den bästa kombinationen: B. Bara i listan efter poäng per krona: A." in text
    assert not any("mer än listan" in line for line in text)


def test_nothing_fits_and_everything_left_out():
    report, _ = constructed([0.6, 0.45, 0.45], [6, 5, 5], 4.5)
    assert pl.portfolio_sentences(report) == [
        "Inget objekt ryms inom budgeten 4,5 MSEK: det billigaste, B, kostar 5 MSEK."]
    report, _ = constructed([0.6, 0.45], [6, 5], 20, force_out=["A", "B"])
    assert pl.portfolio_sentences(report, force_out=["A", "B"]) == [
        "Uteslutna: A, B.", "Alla objekt med kostnad är uteslutna, så inget kan väljas."]


def test_forced_objects_are_told_and_marked():
    report, ranking = constructed([0.6, 0.45, 0.45], [6, 5, 5], 11.5, force_in=["A"], force_out=["C"])
    text = pl.portfolio_sentences(report, force_in=["A"], force_out=["C"])
    assert text[:2] == ["Tvingade in: A (tillsammans 6 MSEK).", "Uteslutna: C."]
    frame = pl.portfolio_frame(report, ranking, force_in=["A"], force_out=["C"])
    rows = frame.set_index("object_id")
    assert rows.loc["A", "forced_label"] == "tvingad in" and rows.loc["C", "forced_label"] == "utesluten"
    assert rows.loc["A", "end_label"] == "6 MSEK \u00b7 vald i båda (tvingad in)"
    assert rows.loc["C", "category"] == "neither" and pd_na(rows.loc["C", "greedy_order"])


def pd_na(x) -> bool:
    return x is None or x is np.nan or str(x) == "<NA>"


def test_portfolio_frame_hand_checked():
    report, ranking = constructed([0.6, 0.45, 0.45, 0.1], [6, 5, 5, 0.5], 10.5)
    frame = pl.portfolio_frame(report, ranking)
    assert list(frame["object_id"]) == ["A", "B", "C", "D"]  # ranking order
    assert list(frame["row_label"]) == ["1. A", "2. B", "3. C", "4. D"]
    assert list(frame["category"]) == ["greedy", "optimal", "optimal", "both"]
    assert list(frame["category_label"]) == ["vald bara efter poäng per krona", "vald bara i bästa kombinationen",
                                             "vald bara i bästa kombinationen", "vald i båda"]
    # greedy order by score per cost: D (0.2), A (0.1), B, C (0.09, tie by index)
    assert list(frame["greedy_order"]) == [2, 3, 4, 1]
    assert frame.loc[0, "per_cost"] == pytest.approx(60 / 6 * 1000) and frame.loc[0, "per_cost_label"] == f"10{NB}000,0"
    assert list(frame["cost_label"]) == ["6,0 MSEK", "5,0 MSEK", "5,0 MSEK", "0,5 MSEK"]  # one format per column
    tot = pl.portfolio_totals(report)
    assert (tot.count, tot.points, tot.cost, tot.left) == (3, pytest.approx(100.0), 10.5, 0.0)
    g = pl.portfolio_totals(report, "greedy")
    assert (g.count, g.cost, g.left) == (2, 6.5, 4.0)


def test_decimal_costs_fit_exactly():
    report, _ = constructed([0.3, 0.4], [0.1, 0.2], 0.3)
    assert report.optimal.selected == [0, 1]
    assert pl.portfolio_totals(report).left == 0.0
    assert "för 0,3 MSEK; 0 MSEK blir över." in pl.portfolio_sentences(report)[0]


def test_greedy_report_matches_analysis_on_the_example():
    project = load_sourced()
    ranking = analysis.rank(project)
    full = analysis.portfolio(project, 4100, force_out=("SOD-05",))
    alone = pl.greedy_report(project, ranking, 4100, force_out=["SOD-05"])
    assert alone.optimal is None and [o.id for o in alone.objects] == [o.id for o in full.objects]
    assert alone.greedy == full.greedy and np.allclose(alone.values, full.values)
    text = pl.portfolio_sentences(alone, force_out=["SOD-05"])
    assert text[0] == "Uteslutna: Ny passage över Södertälje kanal (redundans)."
    # only SOD-02 (4 200) is left, which does not fit 4 100
    assert text[1].startswith("Inget objekt ryms inom budgeten 4\u00a0100 MSEK: det billigaste, Spårväg syd")
    frame = pl.portfolio_frame(alone, ranking)
    assert set(frame["category"]) <= {"greedy", "neither"} and frame["in_optimal"].isna().all()


# --- context sentences --------------------------------------------------------------------------------


def test_committed_and_without_cost_sentences():
    project = projectfile.load(EXAMPLE)
    text = pl.committed_cost_sentence(project.committed)
    assert text == ("Objekten under ”Redan prioriterade – bevakas” ingår inte i portföljen och räknas inte mot "
                    f"budgeten: Tvärförbindelse Södertörn (väg 259): 15{NB}800 MSEK; Cykelsatsning Södertörn: "
                    "Vendelsöstråket–Skrubba (och Ältastråket): kostnad saknas.")
    two = [InfraObject("a", "A", 10.5, "committed"), InfraObject("b", "B", 0.25, "committed")]
    assert pl.committed_cost_sentence(two).endswith("A: 10,5 MSEK; B: 0,25 MSEK. Tillsammans 10,75 MSEK.")
    assert pl.committed_cost_sentence(two + [InfraObject("c", "C", None, "committed")]).endswith(
        "De kända kostnaderna är tillsammans 10,75 MSEK.")
    assert pl.committed_cost_sentence([]) == "" and pl.without_cost_sentence([]) == ""
    assert pl.without_cost_sentence([InfraObject("c", "C")], "en") == (
        "Candidate objects without a cost cannot be part of the portfolio (1): C.")


def test_a_cost_criterion_in_the_score_is_said_to_count_twice():
    project = projectfile.load(EXAMPLE)  # C10 Investeringskostnad, lower is better, 8 %
    w = analysis.project_weights(project).weights
    assert pl.cost_criteria(project.criteria) == [9]
    text = pl.cost_twice_sentence(project.criteria, w)
    assert text.startswith(f"Obs: poängen innehåller redan kostnaden genom Investeringskostnad (8,0{NB}%)")
    assert "räknas kostnaden alltså två gånger" in text
    assert pl.cost_twice_sentence(project.criteria, w, "en").startswith("Note: the score already contains the cost "
                                                                         "through Investment cost (8.0")
    # with no weight on it, or no cost criterion, nothing is said
    assert pl.cost_twice_sentence(project.criteria, np.where(np.arange(len(w)) == 9, 0.0, w)) is None
    benefit_only = [c for c in project.criteria if c.direction != "cost"]
    assert pl.cost_twice_sentence(benefit_only, np.ones(len(benefit_only))) is None


def test_repeated_names_get_their_id_in_portfolio_sentences():
    report, _ = constructed([0.5, 0.5], [5, 5.5], 5.5, names=["X1", "X2"])
    objs = tuple(InfraObject(o.id, "Samma namn", cost=o.cost) for o in report.objects)
    report = analysis.PortfolioReport(report.budget, objs, (), report.values, report.optimal, report.greedy)
    text = " ".join(pl.portfolio_sentences(report))
    assert "Samma namn (X2)" in text and "Samma namn (X1)" in text
    ranking = analysis.Ranking("wsm", np.ones(1), tuple(analysis.RankedObject(o, 1, 0.5) for o in objs), ())
    frame = pl.portfolio_frame(report, ranking)  # the page lists the chosen objects by this name
    assert sorted(frame["object"]) == ["Samma namn (X1)", "Samma namn (X2)"]


def test_made_up_costs_are_named_and_marked_apart_from_sourced_ones():
    """Issue 11 #15: the example's made-up costs are said to be Exempeldata, by name, and every cost
    label of such an object says "(exempeldata)"; sourced costs are not marked."""
    project = projectfile.load(EXAMPLE)
    made_up = [o for o in project.candidates if o.cost_is_illustrative]
    assert len(made_up) == 11 and {"SOD-02", "SOD-05"}.isdisjoint(o.id for o in made_up)
    text = pl.illustrative_cost_sentence(project.candidates)
    assert text.startswith("Exempeldata: kostnaderna för 11 av 13 kandidater är påhittade")
    assert all(o.name in text for o in made_up) and "Spårväg syd" not in text
    assert pl.illustrative_cost_sentence(made_up[:1], "en").startswith(
        f"Example data: the cost of {made_up[0].attributes['name_en']} is made up")
    assert pl.illustrative_cost_sentence([o for o in project.candidates if not o.cost_is_illustrative]) == ""
    # the flag alone is not enough: an object without a cost has no made-up cost to mark
    assert not InfraObject("x", "X", None, attributes={"cost_illustrative": True}).cost_is_illustrative
    assert not InfraObject("x", "X", 5.0, attributes={"cost_illustrative": "yes"}).cost_is_illustrative
    ranking = analysis.rank(project)
    frame = pl.frontier_frame(ranking)
    assert len(frame) == 13
    for row in frame.itertuples():
        assert row.cost_illustrative == (row.object_id not in {"SOD-02", "SOD-05"})
        assert row.cost_label.endswith("MSEK (exempeldata)") == row.cost_illustrative
    report = analysis.portfolio(project, 5000)
    chosen = pl.portfolio_frame(report, ranking)
    assert (chosen["cost_label"].str.endswith("(exempeldata)") == chosen["cost_illustrative"]).all()
    assert chosen["end_label"][chosen["cost_illustrative"]].str.contains("(exempeldata)", regex=False).all()
    assert pl.cost_label(2600, "en", illustrative=True) == "SEK 2,600 m (example data)"


# --- the efficient frontier -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example():
    project = load_sourced()
    return SimpleNamespace(ranking=analysis.rank(project, data=analysis.decision_data(project)))


def test_efficient_mask_hand_checked():
    cost = np.array([1.0, 2.0, 2.0, 3.0, 4.0, 1.0])
    score = np.array([0.5, 0.7, 0.6, 0.65, 0.9, 0.5])
    # 2 is dominated by 1 (same cost, lower score), 3 by 1 (cheaper, better); 0 and 5 are equal: both kept
    assert pl.efficient_mask(cost, score).tolist() == [True, True, False, False, True, True]


def test_frontier_frame_on_the_example(example):
    frame = pl.frontier_frame(example.ranking)
    assert list(frame["object_id"]) == ["SOD-05", "SOD-02"]  # the two candidates with a cost, by cost
    assert frame["cost"].is_monotonic_increasing
    without = frame.attrs["without_cost"]
    assert len(without) == 11 and frame.attrs["note"].startswith("Saknar kostnad och visas inte: ")
    front = frame[frame["efficient"]]
    # non-dominated: along the frontier a higher cost always buys a higher score
    assert (np.diff(front["cost"]) > 0).all() and (np.diff(front["score"]) > 0).all()
    for _, row in frame[~frame["efficient"]].iterrows():
        assert ((front["cost"] <= row["cost"]) & (front["score"] >= row["score"])).any()


def test_frontier_leaves_out_committed_and_withdrawn_objects():
    doc = sourced_costs_only(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    for o in doc["objects"]:
        if o["id"] == "SOD-15":
            o.update(status="withdrawn", cost=700)
        if o["id"] == "SOD-09":
            o["cost"] = 320.75
    ranking = analysis.rank(projectfile.parse(doc))
    frame = pl.frontier_frame(ranking)
    assert list(frame["object_id"]) == ["SOD-09", "SOD-05", "SOD-02"]  # SOD-01 (committed), SOD-15 (withdrawn) out
    assert frame.loc[0, "cost_label"] == "320,75 MSEK"  # exact, not rounded to 321
    sentence = pl.frontier_sentence(frame)
    front = list(frame.loc[frame["efficient"], "object"])
    assert sentence.startswith(f"{len(front)} av 3 objekt med kostnad ligger på den effektiva fronten: "
                               + ", ".join(front) + ".")


def test_frontier_sentence_says_what_efficient_mask_does():
    # B: as many points as A for less: A is dominated although nobody gives *more* points for less
    cost, score = np.array([3.0, 2.0, 1.0]), np.array([0.5, 0.5, 0.2])
    assert list(pl.efficient_mask(cost, score)) == [False, True, True]
    frame = pl.frontier_frame(analysis.Ranking("wsm", np.ones(1), tuple(
        analysis.RankedObject(InfraObject(n, n, cost=c), r, s) for n, c, s, r in
        zip("ABC", cost, score, (1, 1, 3), strict=True)), ()))
    text = pl.frontier_sentence(frame)
    assert text.startswith("2 av 3 objekt med kostnad ligger på den effektiva fronten: C, B.")
    assert text.endswith("inget annat objekt som ger fler poäng för samma eller lägre kostnad, "
                         "eller lika många poäng till lägre kostnad.")


# --- chart ---------------------------------------------------------------------------------------------


def test_portfolio_chart_spec():
    report, ranking = constructed([0.6, 0.45, 0.45, 0.1, 0.05], [6, 5, 5, 0.5, 30], 10.5)
    frame = pl.portfolio_frame(report, ranking)
    spec = charts.portfolio_chart(frame).to_dict(validate=True)
    bars, text = spec["layer"]
    enc = bars["encoding"]
    assert bars["mark"]["type"] == "bar" and bars["mark"]["stroke"] == charts.MUTED
    assert enc["y"]["sort"] == ["1. A", "2. B", "3. C", "4. D", "5. E"] and spec["height"] == {"step": 28}
    # four categories with fixed colour-blind-safe colours; "not chosen" is an empty outlined bar
    assert enc["color"]["scale"]["domain"] == ["vald i båda", "vald bara i bästa kombinationen",
                                               "vald bara efter poäng per krona", "inte vald"]
    assert enc["color"]["scale"]["range"] == ["#0072B2", "#E69F00", "#CC79A7", "#FFFFFF"]
    assert enc["x"]["field"] == "points" and enc["x"]["scale"]["domain"] == [0, 100.0]
    # not colour alone: the choice is printed after every bar
    assert text["mark"]["type"] == "text" and text["encoding"]["text"]["field"] == "end_label"
    rows = {r["object_id"]: r for r in spec["datasets"][spec["data"]["name"]]}
    assert rows["E"]["end_label"] == "30 MSEK \u00b7 inte vald" and rows["D"]["category"] == "both"
    assert spec["title"] == "Vilka objekt väljs inom budgeten?"
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    en = charts.portfolio_chart(pl.portfolio_frame(report, ranking, lang="en"), "en").to_dict(validate=True)
    assert en["layer"][0]["encoding"]["color"]["scale"]["domain"][0] == "chosen by both"
    assert not math.isnan(frame["points"].max())
