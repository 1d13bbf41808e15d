"""The dashboard's cached page work (issue 15): every chart is drawn from a spec cached under an
identity naming all it depends on, so changing any input (language, weights, a score, the object
in detail, the map's colouring) draws a new chart, and the cached spec is the one
``st.altair_chart`` would send."""

import json
from pathlib import Path

import pytest
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from prioritization import analysis, projectfile
from prioritization.i18n import t
from prioritization.report import ranking as rl
from prioritization.storage import rounds, scores
from prioritization.ui.results import charts_dashboard as charts
from prioritization.ui.results import object_detail
from prioritization.ui.widgets import cached_chart
from tests.conftest import EXAMPLE
from tests.ui.conftest import app

RESULTS = str(Path(__file__).resolve().parents[1] / "scripts" / "results_app.py")
KINDS = ("ranked", "map", "spread")


@pytest.fixture(scope="module")
def example_project():
    return projectfile.load(EXAMPLE)


def specs(at, lang="sv") -> dict[str, str]:
    """The dashboard's three charts (their spec as sent, with the names of their Arrow datasets), by kind."""
    titles = {t("charts.ranked_title", lang): "ranked", t("charts.map_title", lang): "map",
              t("detail.spread_title", lang): "spread"}
    found = {}
    for c in at.get("vega_lite_chart"):
        spec = json.loads(c.proto.spec)
        found[titles[spec["title"]]] = c.proto.spec + "|" + ",".join(d.name for d in c.proto.datasets)
    assert set(found) == set(KINDS)
    return found


def changed(before: dict, after: dict) -> set[str]:
    return {k for k in KINDS if before[k] != after[k]}


def test_each_input_of_a_chart_draws_a_new_chart(app_db, fac, example):
    project = rounds.export_project(app_db, fac, example)
    ranking = analysis.rank(project)
    first, second = ranking.ranked[0].object.id, ranking.ranked[1].object.id
    at = app(fac, "sv", script=RESULTS, page="overview").run()
    assert not at.exception
    at.selectbox(key="overview_detail").select(first).run()
    base = specs(at)
    assert specs(at.run()) == base  # a rerun draws the same (cached) charts
    # the object in detail: only its chart
    at.selectbox(key="overview_detail").select(second).run()
    assert changed(base, specs(at)) == {"spread"}
    at.selectbox(key="overview_detail").select(first).run()
    assert specs(at) == base
    # the map's colouring: only the map
    at.radio(key="overview_map_colour").set_value("tier").run()
    assert changed(base, specs(at)) == {"map"}
    at.radio(key="overview_map_colour").set_value("rank").run()
    # the weights: the list and the map (the ratings behind the spread do not depend on them)
    at.selectbox(key="results_profile").select(project.weight_profiles[1].id).run()
    assert not at.exception
    assert changed(base, specs(at)) == {"ranked", "map"}
    at.selectbox(key="results_profile").select("__in_use__").run()
    assert specs(at) == base
    # a score saved (a new source key): an agreed score on the object in detail changes its score,
    # so its list bar, its map tooltip and its spread (the agreed cell has none) all change
    crit = next(c.id for c in project.criteria if c.scale)
    scores.set_agreed_score(app_db, fac, example, first, crit, project.criterion(crit).scale[0], "sänkt")
    at.run()
    assert not at.exception
    assert changed(base, specs(at)) == set(KINDS)
    now = specs(at)
    # the language: every chart
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert changed(now, specs(at, "en")) == set(KINDS)


def test_cached_spec_is_what_st_altair_chart_sends(example_project):
    project = example_project
    ranking = analysis.rank(project)
    data = analysis.decision_data(project)
    tiers = project.tiers.assign((ro.object.id, ro.rank) for ro in ranking.ranked) if project.tiers else None
    oid = ranking.ranked[0].object.id
    for lang in ("sv", "en"):
        for chart in (charts.ranked_contributions_chart(rl.contribution_frame(ranking, data, tiers=tiers, lang=lang),
                                                        lang),
                      charts.map_chart(rl.map_frame(ranking, tiers=tiers, lang=lang), lang=lang),
                      object_detail.spread_chart(object_detail.rating_rows(project, data, oid, lang), lang)):
            assert cached_chart.unvalidated_spec(chart) == _convert_altair_to_vega_lite_spec(chart)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_spread_chart_is_valid_vega_lite(example_project, lang):
    """The spread chart is drawn without run-time validation (cached_chart): validated here."""
    project = example_project
    data = analysis.decision_data(project)
    ranking = analysis.rank(project)
    for ro in ranking.ranked[:3]:
        ratings = object_detail.rating_rows(project, data, ro.object.id, lang)
        spec = object_detail.spread_chart(ratings, lang).to_dict(validate=True)
        assert spec["title"] == t("detail.spread_title", lang)
        assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rule", "point"]
