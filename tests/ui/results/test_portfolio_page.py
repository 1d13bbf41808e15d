"""The cost and portfolio page (AppTest): the chosen set is the one analysis.portfolio computes for
the same budget, weights and forced objects; the slider, the exact budget box, forcing, errors,
weight profiles, roles and English."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from prioritization import analysis
from prioritization.engine.portfolio import PortfolioSearchLimit
from prioritization.i18n import number
from prioritization.report import portfolio as pl
from prioritization.report import result_text as rt
from prioritization.storage import rounds
from prioritization.storage.access import VIEWER, Actor
from tests.ui.conftest import app

RESULTS = str(Path(__file__).resolve().parents[1] / "scripts" / "results_app.py")
K_BUDGET, K_EXACT, K_IN, K_OUT = "portfolio_budget", "portfolio_budget_exact", "portfolio_force_in", "portfolio_force_out"
# the example round gets given costs (exact decimals, not made-up examples) for most candidates;
# SOD-06 is left without one and SOD-15 is withdrawn (with a cost: it must still stay out)
COSTS = {"SOD-03": 2750.5, "SOD-04": 6300, "SOD-07": 980.25, "SOD-08": 1450, "SOD-09": 320.75, "SOD-10": 410,
         "SOD-11": 260.5, "SOD-13": 3900, "SOD-14": 1875, "SOD-15": 700}
WITHDRAWN = "SOD-15"


@pytest.fixture
def costed(app_db, fac, example) -> int:
    doc = rounds.setup_document(app_db, fac, example)
    objects = []
    for o in doc["objects"]:
        o = dict(o)
        o.pop("cost_illustrative", None)
        o["cost"] = COSTS.get(o["id"], o["cost"] if o["id"] != "SOD-06" else None)
        if o["id"] == WITHDRAWN:
            o["status"] = "withdrawn"
        objects.append(o)
    rounds.replace_setup(app_db, fac, example, {"objects": objects},
                         rounds.round_info(app_db, fac, example)["row_version"])
    return example


def ok(at: AppTest) -> AppTest:
    """Every run of the page ends without an exception."""
    assert not at.exception
    return at


def page(actor, lang: str = "sv") -> AppTest:
    return ok(app(actor, lang, script=RESULTS, page="portfolio").run())


def expected(db, actor, rid, budget, profile=None, force_in=(), force_out=()) -> analysis.PortfolioReport:
    project = rounds.export_project(db, actor, rid)
    w = analysis.project_weights(project, profile).weights
    return analysis.portfolio(project, budget, weights=w, force_in=tuple(force_in), force_out=tuple(force_out))


def names(report, which: str = "optimal", lang: str = "sv") -> set[str]:
    result = report.optimal if which == "optimal" else report.greedy
    return {rt.object_name(report.objects[i], lang) for i in result.selected}


def choice_table(at: AppTest):
    return next(d.value for d in at.dataframe if "Poäng per krona" in d.value.columns
                or "Score per cost" in d.value.columns)


def chosen(at: AppTest, column: str = "Bästa kombinationen") -> set[str]:
    table = choice_table(at)
    objects = table.columns[1]
    yes = "Ja" if "Ja" in set(table[column]) or "Nej" in set(table[column]) else "Yes"
    return set(table.loc[table[column] == yes, objects])


def text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def metrics(at: AppTest) -> list[tuple[str, str]]:
    """The metrics of the exact portfolio, then those of the greedy list (4 each)."""
    return [(m.label, m.value) for m in at.metric]


def points(at: AppTest) -> str:
    """The exact portfolio's total score as shown."""
    return dict(metrics(at)[:4])["Poäng tillsammans" if "Poäng tillsammans" in dict(metrics(at)) else "Total score"]


def budget(at: AppTest) -> float:
    return float(at.number_input(key=K_EXACT).value)


def test_the_chosen_set_is_the_exact_optimum_for_the_budget(app_db, fac, costed):
    at = page(fac)
    assert not at.exception
    b = budget(at)
    assert b == at.slider(key=K_BUDGET).value
    project = rounds.export_project(app_db, fac, costed)
    scale = pl.budget_scale([o.cost for o in project.candidates if o.cost is not None])
    assert (at.slider(key=K_BUDGET).min, at.slider(key=K_BUDGET).max) == (0.0, scale.maximum)
    assert scale.maximum >= scale.total > scale.maximum - scale.step
    rep = expected(app_db, fac, costed, b)
    assert chosen(at) == names(rep) and chosen(at, "Poäng per krona") == names(rep, "greedy")
    tot = pl.portfolio_totals(rep)
    assert dict(metrics(at)[:4]) == {"Antal objekt": str(tot.count), "Poäng tillsammans": number(tot.points, "sv", 1),
                                     "Kostnad tillsammans": pl.cost_label(tot.cost, "sv"),
                                     "Kvar av budgeten": pl.cost_label(tot.left, "sv")}
    body = text(at)
    assert f"Inom budgeten {pl.cost_label(b, 'sv')} ger den bästa kombinationen" in body
    assert "Ingen annan kombination inom budgeten ger lika många poäng." in body  # unique here
    # the withdrawn and committed objects are in neither the portfolio nor the frontier
    candidates = {o.name for o in rep.objects}
    assert set(choice_table(at)["Objekt"]) == candidates
    frontier = next(d.value for d in at.dataframe if "På den effektiva fronten" in d.value.columns)
    assert set(frontier["Objekt"]) == candidates
    withdrawn = next(o.name for o in project.objects if o.id == WITHDRAWN)
    assert withdrawn not in body and withdrawn not in candidates
    # the candidate without a cost is named apart; committed objects' costs as context
    without = [o.name for o in project.candidates if o.cost is None]
    assert without == [next(o.name for o in project.objects if o.id == "SOD-06")]
    assert f"Kandidatobjekt utan kostnad kan inte ingå i portföljen (1 st): {without[0]}." in body
    info = " ".join(i.value for i in at.info)
    assert "Redan prioriterade – bevakas" in info
    for o in project.committed:
        assert f"{o.name}: {'kostnad saknas' if o.cost is None else pl.cost_label(o.cost)}" in info
    specs = [json.loads(el.proto.spec) for el in at.get("vega_lite_chart")]
    titles = [sp["title"] if isinstance(sp["title"], str) else sp["title"]["text"] for sp in specs]
    assert titles == ["Vilka objekt väljs inom budgeten?", "Nytta mot kostnad"]
    # every chart has its table (text alternative) in an expander
    assert [e.label for e in at.expander] == ["Tabell: objekt, kostnad och val (textalternativ till diagrammet)",
                                              "Tabell: poäng och kostnad per objekt (textalternativ till diagrammet)"]


def test_moving_the_slider_changes_the_set_and_the_totals(app_db, fac, costed):
    at = page(fac)
    before, before_metrics = chosen(at), metrics(at)
    slider = at.slider(key=K_BUDGET)
    # a budget on the slider's grid whose optimum differs from the default one
    target = next(k * slider.step for k in range(1, int(slider.max / slider.step))
                  if names(expected(app_db, fac, costed, k * slider.step)) != before)
    ok(at.slider(key=K_BUDGET).set_value(target).run())
    assert not at.exception
    assert budget(at) == target  # the exact box follows the slider
    rep = expected(app_db, fac, costed, target)
    assert chosen(at) == names(rep) != before
    assert metrics(at) != before_metrics
    assert points(at) == number(pl.portfolio_totals(rep).points, "sv", 1)


def test_an_exact_budget_typed_in_the_box_moves_the_slider_and_counts_exactly(app_db, fac, costed):
    at = page(fac)
    exact = 320.75 + 260.5  # SOD-09 + SOD-11: fits exactly, nothing left
    ok(at.number_input(key=K_EXACT).set_value(exact).run())
    assert not at.exception
    assert at.slider(key=K_BUDGET).value == exact
    rep = expected(app_db, fac, costed, exact)
    assert chosen(at) == names(rep)
    assert pl.portfolio_totals(rep).left == 0.0 and ("Kvar av budgeten", "0 MSEK") in metrics(at)
    assert "Budget: **581,25 MSEK**" in text(at)


def test_the_exact_optimum_beats_the_greedy_list_in_words(app_db, fac, costed):
    at = page(fac)
    slider = at.slider(key=K_BUDGET)
    target = next(k * slider.step for k in range(1, int(slider.max / slider.step))
                  if (r := expected(app_db, fac, costed, k * slider.step)).optimal.value > r.greedy.value + 1e-6)
    ok(at.slider(key=K_BUDGET).set_value(target).run())
    rep = expected(app_db, fac, costed, target)
    gain = (rep.optimal.value - rep.greedy.value) * 100
    body = text(at)
    assert f"Den bästa kombinationen ger {number(gain, 'sv', 1)} poäng mer än listan efter poäng per krona" in body
    only = sorted(set(rep.optimal.selected) - set(rep.greedy.selected))
    assert "Bara i den bästa kombinationen: " + ", ".join(rep.objects[i].name for i in only) in body
    assert chosen(at) == names(rep) and chosen(at, "Poäng per krona") == names(rep, "greedy")


def test_forcing_an_object_in_puts_it_in_the_set(app_db, fac, costed):
    at = page(fac)
    b = budget(at)
    rep = expected(app_db, fac, costed, b)
    outside = next(o for i, o in enumerate(rep.objects) if i not in rep.optimal.selected and o.cost <= b)
    ok(at.multiselect(key=K_IN).set_value([outside.id]).run())
    assert not at.exception
    forced = expected(app_db, fac, costed, b, force_in=[outside.id])
    assert outside.name in chosen(at) and chosen(at) == names(forced)
    assert f"Tvingade in: {outside.name}" in text(at)
    table = choice_table(at)
    assert table.loc[table["Objekt"] == outside.name, "Tvingad"].item() == "tvingad in"


def test_leaving_an_object_out_removes_it(app_db, fac, costed):
    at = page(fac)
    b = budget(at)
    rep = expected(app_db, fac, costed, b)
    inside = rep.objects[rep.optimal.selected[0]]
    ok(at.multiselect(key=K_OUT).set_value([inside.id]).run())
    assert not at.exception
    assert inside.name not in chosen(at)
    assert chosen(at) == names(expected(app_db, fac, costed, b, force_out=[inside.id]))
    assert f"Uteslutna: {inside.name}." in text(at)


def test_an_object_both_forced_in_and_out_is_a_clear_error(app_db, fac, costed):
    at = page(fac)
    at.multiselect(key=K_IN).set_value(["SOD-02"])
    ok(at.multiselect(key=K_OUT).set_value(["SOD-02"]).run())
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Ett objekt kan inte både tvingas in och uteslutas: Spårväg syd (Flemingsberg–Älvsjö). "
        "Ta bort det ur en av listorna."]
    assert not at.metric


def test_forced_in_objects_over_the_budget_are_a_clear_error(app_db, fac, costed):
    at = page(fac)
    ok(at.number_input(key=K_EXACT).set_value(5000.0).run())
    ok(at.multiselect(key=K_IN).set_value(["SOD-02", "SOD-03"]).run())  # 4 200 + 2 750,5
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Objekten som tvingats in kostar tillsammans 6\u00a0950,5 MSEK, mer än budgeten 5\u00a0000 MSEK. "
        "Höj budgeten eller tvinga in färre objekt."]
    assert not at.metric


def test_a_budget_below_every_cost_says_nothing_fits(app_db, fac, costed):
    at = page(fac)
    ok(at.slider(key=K_BUDGET).set_value(0.0).run())
    assert not at.exception
    assert "Inget objekt ryms inom budgeten 0 MSEK: det billigaste, Regionalt cykelstråk Botkyrka–Liljeholmen, " \
           "kostar 260,5 MSEK." in text(at)
    assert chosen(at) == set() and ("Antal objekt", "0") in metrics(at)
    # exactly the cheapest cost: it fits (costs are exact decimals)
    ok(at.number_input(key=K_EXACT).set_value(260.5).run())
    assert chosen(at) == {"Regionalt cykelstråk Botkyrka–Liljeholmen"}


def test_switching_the_weight_profile_changes_the_values(app_db, fac, costed):
    at = page(fac)
    b = budget(at)
    in_use = points(at)
    ok(at.selectbox(key="results_profile").set_value("P2").run())
    assert not at.exception
    rep = expected(app_db, fac, costed, b, profile="P2")
    assert rep.optimal.value != expected(app_db, fac, costed, b).optimal.value
    assert points(at) == number(pl.portfolio_totals(rep).points, "sv", 1) != in_use
    assert chosen(at) == names(rep)
    project = rounds.export_project(app_db, fac, costed)
    assert f"Poängen räknas med vikterna: {project.profile('P2').name}." in [c.value for c in at.caption]


def test_a_viewer_sees_the_page_of_a_locked_round(app_db, fac, costed):
    early = page(Actor(VIEWER, "Kommittén", round_id=costed))  # not released yet: a message, no figures
    assert not early.slider and [i.value for i in early.info] == [
        "Resultaten visas när facilitatorn har låst omgången."]
    for status in ("scoring", "revealed", "locked"):
        rounds.set_status(app_db, fac, costed, status)
    at = page(Actor(VIEWER, "Kommittén", round_id=costed))
    assert not at.exception
    assert chosen(at) == names(expected(app_db, fac, costed, budget(at)))
    ok(at.slider(key=K_BUDGET).set_value(2000.0).run())
    assert not at.exception and chosen(at) == names(expected(app_db, fac, costed, 2000.0))


def test_english(app_db, fac, costed):
    at = page(fac, "en")
    assert not at.exception
    b = budget(at)
    rep = expected(app_db, fac, costed, b)
    assert chosen(at, "Best combination") == names(rep, lang="en")
    body = text(at)
    assert f"Within the budget {pl.cost_label(b, 'en')} the best combination has" in body
    assert "SEK " in body and " m" in body and "MSEK" not in body
    assert points(at) == number(pl.portfolio_totals(rep).points, "en", 1)
    assert at.slider(key=K_BUDGET).label == "Budget (SEK m)"


def test_the_example_round_as_it_is(app_db, fac, example):
    """Issue 11 #15: with only 2 of 13 candidate costs the page showed a one-object "best combination".
    Every candidate of the example now has a cost; the made-up ones are said to be Exempeldata, by
    name, above the choice, and marked where each cost is shown."""
    at = page(fac)
    project = rounds.export_project(app_db, fac, example)
    costs = [o.cost for o in project.candidates if o.cost is not None]
    assert len(costs) == len(project.candidates) == 13
    assert at.slider(key=K_BUDGET).max == pl.budget_scale(costs).maximum
    assert "Kandidatobjekt utan kostnad" not in text(at)
    made_up = [o for o in project.candidates if o.cost_is_illustrative]
    assert len(made_up) == 11
    warning = " ".join(w.value for w in at.warning)
    assert "Exempeldata: kostnaderna för 11 av 13 kandidater är påhittade" in warning
    assert all(o.name in warning for o in made_up)
    assert not any(o.name in warning for o in project.candidates if not o.cost_is_illustrative)
    rep = expected(app_db, fac, example, budget(at))
    assert chosen(at) == names(rep) and len(names(rep)) > 1  # the page demonstrates a real choice
    table = choice_table(at)
    cost_column = next(c for c in table.columns if c.startswith("Kostnad"))
    marked = {name for name, cost in zip(table["Objekt"], table[cost_column], strict=True) if "(exempeldata)" in cost}
    assert marked == {o.name for o in made_up}


def test_a_search_too_large_shows_the_greedy_list(app_db, fac, costed, monkeypatch):
    def too_large(*args, **kwargs):
        raise PortfolioSearchLimit("the exact portfolio search stopped")

    monkeypatch.setattr(analysis, "portfolio", too_large)
    at = page(fac)
    assert not at.exception
    assert any("för stor" in w.value and "poäng per krona" in w.value for w in at.warning)
    table = choice_table(at)
    assert "Bästa kombinationen" not in table.columns
    monkeypatch.undo()
    rep = expected(app_db, fac, costed, budget(at))
    assert set(table.loc[table["Poäng per krona"] == "Ja", "Objekt"]) == names(rep, "greedy")
    assert "Listan efter poäng per krona" in text(at)


def test_the_page_says_cost_counts_twice_when_a_cost_criterion_is_in_the_score(app_db, fac, example):
    at = page(fac)
    info = [i.value for i in at.info]
    assert any(v.startswith("Obs: poängen innehåller redan kostnaden genom Investeringskostnad (8,0\u00a0%)")
               for v in info)


def test_reasons_are_in_swedish_not_the_engine_english(app_db, fac, small_round):
    from prioritization import projectfile
    small_round["scores"] = [s for s in small_round["scores"] if not (s["object"] == "O2" and s["criterion"] == "K3")]
    rid = rounds.import_project(app_db, fac, projectfile.parse(small_round, require_complete=False))
    at = ok(app(fac, "sv", script=RESULTS, page="portfolio", round_id=rid).run())
    [info] = [i.value for i in at.info]
    assert info.startswith("Rangordningen kan inte beräknas än: poäng saknas för 1 av 9 kombinationer")
    assert "nobody scored" not in info and "criterion" not in info
    for o in small_round["objects"]:
        o["status"] = "committed"
    none = rounds.import_project(app_db, fac, projectfile.parse(small_round, require_complete=False))
    at = ok(app(fac, "sv", script=RESULTS, page="portfolio", round_id=none).run())
    assert [i.value for i in at.info] == [
        "Rangordningen kan inte beräknas än: inget objekt har status kandidat, så det finns inget att rangordna."]


def test_the_frontier_chart_has_no_subtitle_and_the_page_names_the_objects_without_cost(app_db, fac, costed):
    at = page(fac)
    frontier = [json.loads(c.proto.spec) for c in at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart")
                if "Nytta mot kostnad" in c.proto.spec]
    assert frontier and all(spec["title"] == "Nytta mot kostnad" for spec in frontier)
    assert "Kandidatobjekt utan kostnad kan inte ingå i portföljen" in text(at)
