"""Chart builders of the committee dashboard, checked through their Vega-Lite specs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from prioritization.report import portfolio as pl
from prioritization.report import rank_agreement as ra
from prioritization.report import ranking as rl
from prioritization.report import result_text as rt
from prioritization.report import sensitivity as sl
from prioritization.ui.results import charts_dashboard as charts
from tests.report.analysed import analysed_example
from tests.report.test_theme_narrow import evaluate


@pytest.fixture(scope="module")
def example():
    return analysed_example(samples=1000, seed=11)


def _rows(spec: dict, layer: dict | None = None) -> list[dict]:
    """The data rows of the whole chart, or of one layer."""
    name = (layer or spec)["data"]["name"]
    return spec["datasets"][name]


def _sv_locale(spec: dict) -> None:
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_ranked_contributions(example):
    frame = rl.contribution_frame(example.ranking, example.data, tiers={"SOD-02": "A"})
    spec = charts.ranked_contributions_chart(frame).to_dict(validate=True)
    bars, text = spec["layer"]
    assert bars["mark"]["type"] == "bar" and bars["mark"]["stroke"] == "white"
    enc = bars["encoding"]
    assert enc["x"]["field"] == "points" and enc["x"]["stack"] == "zero"
    assert enc["order"] == {"field": "criterion_index", "type": "quantitative", "sort": "ascending"}
    # rows in display order, the rank in the label
    labels = [f"{ro.rank}. {ro.object.name}" for ro in example.ranking.ranked]
    assert enc["y"]["sort"] == labels and enc["y"]["field"] == "row_label"
    # Okabe-Ito hues per criterion group (12 criteria > 8), criteria order
    scale = enc["color"]["scale"]
    assert scale["domain"] == [c.name for c in example.data.criteria]
    assert scale["range"] == rt.criterion_colours(example.data.criteria) and scale["range"][0] == "#0072B2"
    assert enc["color"]["title"] == "Kriterium (färg = kriteriegrupp)"
    # the score (and the tier) printed at the bar end, one text per object
    trows = _rows(spec, text)
    assert len(trows) == 13 and trows[0]["end_label"] == "68,5 · nivå A, plats 1"
    assert text["encoding"]["x"]["field"] == "score_points"
    assert spec["height"] == {"step": 28}
    assert len(_rows(spec, bars)) == 13 * 12
    assert not {"SOD-01", "SOD-12"} & {r["object_id"] for r in _rows(spec, bars)}  # committed excluded
    _sv_locale(spec)
    assert spec["title"] == "Rangordning med varje kriteriums bidrag"


def test_ranked_contributions_few_criteria_legend_title():
    frame = pd.DataFrame({"object_id": ["a", "a"], "object": ["Bro", "Bro"], "row_label": ["1. Bro"] * 2,
                          "position": [0, 0], "rank": [1, 1], "tier": [None, None], "score": [0.6, 0.6],
                          "score_label": ["60,0"] * 2, "end_label": ["60,0"] * 2, "criterion": ["K1", "K2"],
                          "group": [None, None], "criterion_index": [0, 1], "contribution": [0.4, 0.2],
                          "points": [40.0, 20.0], "contribution_label": ["40,0", "20,0"], "score_points": [60.0] * 2,
                          "colour": ["#0072B2", "#E69F00"]})
    spec = charts.ranked_contributions_chart(frame, lang="en").to_dict(validate=True)
    assert spec["layer"][0]["encoding"]["color"]["title"] == "Criterion"
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0, pytest.approx(69.0)]
    assert spec["config"]["locale"]["number"]["decimal"] == "."


def test_acceptability_chart(example):
    frame = sl.acceptability_frame(example.report, example.ranking)
    spec = charts.acceptability_chart(frame).to_dict(validate=True)
    bars, shares, first = spec["layer"]
    assert bars["mark"]["type"] == "bar"
    colour = bars["encoding"]["color"]
    assert colour["field"] == "bucket" and colour["type"] == "ordinal"
    assert colour["scale"]["domain"] == ["1", "2–3", "4–5", "6–10", ">10"]
    assert colour["scale"]["range"] == ["#440154", "#3B528B", "#21918C", "#5EC962", "#FDE725"]  # viridis
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 1] and bars["encoding"]["x"]["axis"]["format"] == "%"
    stack = next(tr for tr in bars["transform"] if "stack" in tr)
    assert stack["sort"] == [{"field": "bucket_index", "order": "ascending"}] and stack["groupby"] == ["row_label"]
    # the rank-1 share printed once per object, to the right of the full bar
    assert first["encoding"]["text"]["field"] == "first_label" and first["encoding"]["x"] == {"datum": 1}
    assert {"filter": "datum.bucket_index == 0"} in first["transform"]
    # the share printed on each segment in black or white, whichever contrasts more (at least 4.5:1)
    assert shares["encoding"]["color"] == {"field": "text_colour", "type": "nominal", "scale": None}
    colours = dict(zip(colour["scale"]["domain"], colour["scale"]["range"], strict=True))
    for row in _rows(spec):
        assert charts.contrast(row["text_colour"], colours[row["bucket"]]) >= 4.5
    assert {r["text_colour"] for r in _rows(spec) if r["bucket"] == "4–5"} == {"black"}  # teal: black (5.5:1)
    assert spec["height"] == {"step": 28}
    rows = _rows(spec)
    assert len(rows) == 13 * 5
    assert bars["encoding"]["y"]["sort"][0] == "1. " + example.ranking.ranked[0].object.name


def test_oat_chart(example):
    curves = sl.oat_curves(example.report, 3, top_n=5)
    spec = charts.oat_chart(curves).to_dict(validate=True)
    band, line, rule, points = spec["layer"]
    assert band["mark"]["type"] == "rect" and band["encoding"]["x"]["field"] == "lo"
    assert band["encoding"]["x2"]["field"] == "hi"
    assert _rows(spec, band)[0]["lo"] == curves.band[0] and _rows(spec, band)[0]["hi"] == curves.band[1]
    assert line["mark"]["type"] == "line" and line["encoding"]["x"]["field"] == "t"
    assert line["encoding"]["x"]["scale"]["domain"] == [0, 1]
    objects = list(dict.fromkeys(curves.lines["object"]))
    assert line["encoding"]["color"]["scale"] == {"domain": objects, "range": list(charts.LINE_COLOURS)}
    assert all(charts.contrast(c, "#FFFFFF") >= 3 for c in charts.LINE_COLOURS)  # WCAG 1.4.11 for lines
    assert line["encoding"]["strokeDash"]["scale"]["range"] == [[1, 0]] * 5
    # a fixed plot height that Streamlit does not squeeze: the legend and title come on top of it
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"} and spec["height"] == 320
    assert line["encoding"]["color"]["legend"]["orient"] == "top"
    assert rule["mark"]["type"] == "rule" and _rows(spec, rule)[0]["weight"] == curves.weight
    assert rule["mark"]["strokeDash"] == [5, 4]
    assert points["mark"]["shape"] == "diamond"
    assert len(_rows(spec, points)) == len(curves.breakpoints)
    assert spec["title"] == f"Poäng när vikten för {curves.criterion} ändras"


def test_cycled_palette_adds_dashes_after_eight():
    colours, dashes = charts.cycled_palette(10)
    assert colours[8] == colours[0] and dashes[0] == [1, 0] and dashes[8] == [6, 3]


def test_frontier_chart(example):
    frame = pl.frontier_frame(example.ranking)
    spec = charts.frontier_chart(frame).to_dict(validate=True)
    step, dots, labels = spec["layer"]
    assert step["mark"]["type"] == "line" and step["mark"]["interpolate"] == "step-after"
    assert {"filter": "datum.efficient"} in step["transform"]
    assert step["encoding"]["order"]["field"] == "cost"
    assert dots["encoding"]["shape"]["scale"]["range"] == ["circle", "square"]
    assert dots["encoding"]["color"]["scale"]["domain"] == ["Ja", "Nej"]
    assert labels["encoding"]["text"]["field"] == "rank"
    rows = _rows(spec)
    assert [r["object_id"] for r in rows] == list(frame["object_id"]) and len(rows) == 13  # every candidate
    labels_by_id = {r["object_id"]: r["cost_label"] for r in rows}
    assert labels_by_id["SOD-05"] == "4\u00a0000 MSEK" and labels_by_id["SOD-02"] == "4\u00a0200 MSEK"
    assert labels_by_id["SOD-03"] == "2\u00a0600 MSEK (exempeldata)"  # a made-up cost says so (issue 11 #15)
    # no subtitle listing the objects without cost (it ate the plot); the page says it in a sentence
    assert spec["title"] == "Nytta mot kostnad"
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"} and spec["height"] == 340
    assert dots["encoding"]["color"]["legend"]["orient"] == "top"


def test_frontier_chart_constructed_dominance():
    frame = pd.DataFrame({"object_id": list("abc"), "object": list("ABC"), "rank": [1, 2, 3],
                          "score": [0.9, 0.5, 0.4], "points": [90.0, 50.0, 40.0], "score_label": ["90", "50", "40"],
                          "cost": [3.0, 1.0, 2.0], "cost_label": ["3", "1", "2"]})
    frame["efficient"] = pl.efficient_mask(frame["cost"].to_numpy(), frame["score"].to_numpy())
    spec = charts.frontier_chart(frame, lang="en").to_dict(validate=True)
    rows = {r["object_id"]: r for r in _rows(spec)}
    assert (rows["a"]["efficient"], rows["b"]["efficient"], rows["c"]["efficient"]) == (True, True, False)
    assert rows["c"]["frontier_label"] == "No"
    assert spec["title"] == "Benefit against cost"


def test_bump_chart_and_agreement(example):
    frame = ra.profile_rank_frame(example.project, ra.profile_weights(example.project), data=example.data)
    spec = charts.bump_chart(frame).to_dict(validate=True)
    lines, names = spec["layer"]
    assert lines["mark"]["type"] == "line" and lines["encoding"]["y"]["type"] == "ordinal"
    assert lines["encoding"]["y"]["scale"]["domain"] == list(range(1, 14))
    assert lines["encoding"]["x"]["sort"] == list(dict.fromkeys(frame["profile"]))
    assert lines["encoding"]["color"]["scale"]["range"][:5] == list(charts.LINE_COLOURS)
    assert lines["encoding"]["strokeDash"]["scale"]["range"][5] == [6, 3]  # 13 objects: second round dashed
    assert {"filter": "datum.last"} in names["transform"]
    assert spec["height"] == {"step": 28} and spec["width"] == {"step": 110}

    agreement = ra.agreement_frame(frame, "profile", measure="spearman")
    spec = charts.agreement_chart(agreement, measure="spearman").to_dict(validate=True)
    cells, text = spec["layer"]
    scale = cells["encoding"]["color"]["scale"]
    assert scale["domain"][0] == -1 and scale["domain"][-1] == 1 and scale["interpolate"] == "rgb"
    # the value in every cell contrasts at least 4.5:1 with the cell's colour
    for row in _rows(spec):
        if row["value"] == row["value"]:  # not NaN
            assert charts.contrast(row["text_colour"], charts.agreement_colour(row["value"])) >= 4.5
    assert charts.agreement_colour(-1) == "#134B85" and charts.agreement_colour(1) == "#994A07"
    assert charts.agreement_colour(0) == "#F2F0EB"
    assert cells["encoding"]["color"]["title"] == "Överensstämmelse (Spearmans rho)"
    assert text["encoding"]["text"]["field"] == "label"
    rows = _rows(spec)
    assert len(rows) == 36 and {r["label"] for r in rows if r["a"] == r["b"]} == {"1,00"}
    assert spec["height"] == {"step": 44}


def test_method_dot_chart(example):
    frame = ra.method_rank_frame(example.project, data=example.data)
    spec = charts.method_dot_chart(frame).to_dict(validate=True)
    enc = spec["encoding"]
    assert spec["mark"]["type"] == "point" and spec["mark"]["filled"] is True
    assert enc["shape"]["scale"]["range"] == ["circle", "square", "triangle-up"]
    assert enc["color"]["scale"] == {"domain": ["Viktad summa", "TOPSIS", "PROMETHEE II"],
                                     "range": ["#0072B2", "#D55E00", "#009E73"]}  # all at least 3:1 on white
    assert enc["yOffset"]["field"] == "method"
    assert enc["y"]["sort"][0] == "1. " + example.ranking.ranked[0].object.name
    assert enc["x"]["scale"]["domain"] == [0.5, 13.5]
    assert spec["height"] == {"step": 11}
    assert len(_rows(spec)) == 39


def _map_layers(spec: dict):
    """cross, [place name layers], grey squares, dots, labels of a map spec."""
    layers = spec["layer"]
    names = [x for x in layers if x["mark"]["type"] == "text" and x["mark"].get("fontStyle") == "italic"]
    return layers[0], names, layers[-3], layers[-2], layers[-1]


def test_map_chart(example):
    frame = rl.map_frame(example.ranking, tiers={"SOD-02": "A", "SOD-08": "B"})
    spec = charts.map_chart(frame).to_dict(validate=True)
    cross, place_names, grey, dots, labels = _map_layers(spec)
    assert cross["mark"]["shape"] == "cross"
    assert "Huddinge" in {r["place"] for layer in place_names for r in _rows(spec, layer)}
    assert spec["projection"] == {"type": "mercator"}
    assert dots["mark"]["type"] == "circle"
    assert dots["encoding"]["longitude"]["field"] == "lon" and dots["encoding"]["latitude"]["field"] == "lat"
    assert dots["encoding"]["color"]["field"] == "rank" and dots["encoding"]["color"]["scale"]["scheme"] == "viridis"
    assert [tt["field"] for tt in dots["encoding"]["tooltip"]] == ["object", "label", "score_label", "category"]
    assert grey["mark"]["type"] == "square" and {r["object_id"] for r in _rows(spec, grey)} == {"SOD-01", "SOD-12"}
    assert len(_rows(spec, dots)) == 13 and labels["encoding"]["text"]["field"] == "label"

    by_tier = charts.map_chart(frame, colour_by="tier").to_dict(validate=True)
    colour = _map_layers(by_tier)[3]["encoding"]["color"]
    assert colour["field"] == "category" and colour["scale"]["domain"] == ["A", "B", "Ingen nivå"]
    assert colour["scale"]["range"] == list(rt.OKABE_ITO[:3])
    with pytest.raises(ValueError):
        charts.map_chart(frame, colour_by="score")


def test_every_chart_renders_offline(example):
    """vl-convert (used for the PDF) compiles every chart to SVG."""
    import vl_convert as vlc  # a dependency: charts are rendered offline for the PDF
    frame = ra.profile_rank_frame(example.project, ra.profile_weights(example.project), data=example.data)
    built = [
        charts.ranked_contributions_chart(rl.contribution_frame(example.ranking, example.data)),
        charts.acceptability_chart(sl.acceptability_frame(example.report, example.ranking)),
        charts.oat_chart(sl.oat_curves(example.report, 0)),
        charts.frontier_chart(pl.frontier_frame(example.ranking)),
        charts.bump_chart(frame),
        charts.agreement_chart(ra.agreement_frame(frame, "profile")),
        charts.method_dot_chart(ra.method_rank_frame(example.project, data=example.data)),
        charts.map_chart(rl.map_frame(example.ranking)),
    ]
    for chart in built:
        svg = vlc.vegalite_to_svg(chart.to_dict())
        assert svg.startswith("<svg") and np.isfinite(len(svg))


def test_map_shows_only_the_reference_places_near_the_objects():
    import pandas as pd

    from prioritization.ui.results.charts_dashboard import reference_places

    near_huddinge = pd.DataFrame({"lat": [59.23, 59.25], "lon": [17.97, 18.00]})
    assert list(reference_places(near_huddinge)["place"]) == ["Huddinge"]
    assert reference_places(near_huddinge.iloc[0:0]).empty
    wide = pd.DataFrame({"lat": [58.9, 59.33], "lon": [17.4, 18.25]})
    assert len(reference_places(wide)) == 9


def _walk(node, key: str):
    """Every value of ``key`` anywhere in a spec."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key:
                yield v
            yield from _walk(v, key)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v, key)


def test_chart_text_is_at_least_14_px_with_dark_axis_labels(example):
    frame = ra.profile_rank_frame(example.project, ra.profile_weights(example.project), data=example.data)
    specs = [c.to_dict() for c in (
        charts.ranked_contributions_chart(rl.contribution_frame(example.ranking, example.data)),
        charts.acceptability_chart(sl.acceptability_frame(example.report, example.ranking)),
        charts.oat_chart(sl.oat_curves(example.report, 0)),
        charts.frontier_chart(pl.frontier_frame(example.ranking)),
        charts.bump_chart(frame),
        charts.agreement_chart(ra.agreement_frame(frame, "profile")),
        charts.method_dot_chart(ra.method_rank_frame(example.project, data=example.data)),
        charts.map_chart(rl.map_frame(example.ranking)))]
    for spec in specs:
        sizes = [*_walk(spec, "fontSize"), *_walk(spec, "labelFontSize"), *_walk(spec, "titleFontSize")]
        assert sizes and min(sizes) >= 14, spec.get("title")
        for axis in _walk(spec, "axis"):
            if isinstance(axis, dict):
                assert axis["labelColor"] == charts.TEXT_COLOUR
    assert charts.contrast(charts.TEXT_COLOUR, "#FFFFFF") >= 7


def test_ranked_legend_labels_are_not_cut(example):
    frame = rl.contribution_frame(example.ranking, example.data)
    legend = charts.ranked_contributions_chart(frame).to_dict()["layer"][0]["encoding"]["color"]["legend"]
    # the example's names are up to 56 characters: one column, no label limit on a wide screen (on
    # a phone they end in "…" where the chart ends)
    assert max(len(c.name) for c in example.data.criteria) > charts.LEGEND_HALF_CHARS
    assert legend["columns"] == 1
    assert evaluate(legend["labelLimit"]["expr"], 820) == 0 and 0 < evaluate(legend["labelLimit"]["expr"], 390) < 250
    short = frame.assign(criterion=frame["criterion"].str[:10])
    assert charts.ranked_contributions_chart(short).to_dict()["layer"][0]["encoding"]["color"]["legend"]["columns"] == 2


def test_map_dots_have_a_dark_outline_and_place_names_sit_below_their_cross(example):
    frame = rl.map_frame(example.ranking, tiers={ro.object.id: "A" for ro in example.ranking.ranked})
    spec = charts.map_chart(frame, colour_by="tier").to_dict(validate=True)
    cross, place_names, grey, dots, labels = _map_layers(spec)
    assert dots["mark"]["stroke"] == charts.DOT_STROKE and charts.contrast(charts.DOT_STROKE, "#FFFFFF") >= 3
    # object labels above right of the dot, place names centred below the cross, grey italic
    assert labels["mark"]["dx"] > 0 and labels["mark"]["dy"] < 0
    for layer in place_names:
        assert layer["mark"]["align"] == "center" and layer["mark"]["dy"] > 0
        assert layer["mark"]["fontStyle"] == "italic" and layer["mark"]["color"] == charts.MUTED
    # Södertälje and Salem (Rönninge) are close: their names go on two lines, not on top of each other
    line = {r["place"]: layer["mark"]["dy"] for layer in place_names for r in _rows(spec, layer)}
    assert line["Södertälje"] != line["Salem (Rönninge)"]
    assert {r["label"] for r in _rows(spec, labels) if r["status"] == "candidate"} == {
        f"{ro.rank} \u00b7 A" for ro in example.ranking.ranked}


def test_empty_layers_are_hidden_from_screen_readers(example):
    """A layer without data must not become an unlabelled graphic (axe svg-img-alt)."""
    frame = rl.map_frame(example.ranking)
    no_committed = frame[frame["status"] == "candidate"]
    spec = charts.map_chart(no_committed).to_dict(validate=True)
    grey = next(layer for layer in spec["layer"] if layer["mark"].get("type") == "square")
    assert grey["mark"]["aria"] is False
    with_committed = charts.map_chart(frame).to_dict(validate=True)
    assert next(layer for layer in with_committed["layer"] if layer["mark"].get("type") == "square")["mark"]["aria"]
