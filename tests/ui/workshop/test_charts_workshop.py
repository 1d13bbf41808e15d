"""Chart builders of the workshop view, checked through their Vega-Lite specs."""

import math

import pandas as pd

from prioritization.ui.workshop import charts_workshop as charts


def _data(spec: dict) -> list[dict]:
    (rows,) = spec["datasets"].values()
    return rows


def heatmap_spec():
    cells = pd.DataFrame({"object": ["Bro", "Bro", "Väg", "Väg"], "criterion": ["K1", "K2", "K1", "K2"],
                          "spread": [2.0, 0.5, math.nan, 1.0], "label": ["2,0", "0,5", "–", "1,0"],
                          "n": [4, 4, 0, 3], "top": [True, False, False, False]})
    chart = charts.disagreement_heatmap(cells, object_order=["Väg", "Bro"], criterion_order=["K1", "K2"],
                                        measure_title="Kvartilavstånd (IQR)", object_title="Objekt",
                                        criterion_title="Kriterium", n_title="Antal poäng")
    return chart.to_dict(validate=True)


def test_heatmap_layers_colour_scheme_and_printed_values():
    spec = heatmap_spec()
    rect, outline, text = spec["layer"]
    assert rect["mark"]["type"] == "rect"
    colour = rect["encoding"]["color"]
    assert colour["field"] == "spread" and colour["type"] == "quantitative"
    assert colour["scale"]["scheme"] == "viridis" and colour["scale"]["reverse"] is True
    assert colour["title"] == "Kvartilavstånd (IQR)"
    # the value is printed in every cell: colour is not the only carrier
    assert text["mark"]["type"] == "text" and text["encoding"]["text"]["field"] == "label"
    # white text only on dark (high-spread) cells; the threshold is half the largest spread
    assert "datum.spread > 1.0" in text["encoding"]["color"]["condition"]["test"]
    assert text["encoding"]["color"]["value"] == "black"
    # the cells worth discussing are outlined, not only coloured
    assert outline["mark"]["type"] == "rect" and outline["mark"]["fillOpacity"] == 0
    assert outline["mark"]["strokeWidth"] >= 2
    assert {"filter": "datum.top"} in outline["transform"]


def test_heatmap_axes_keep_set_up_order_and_data_is_complete():
    spec = heatmap_spec()
    enc = spec["layer"][0]["encoding"]
    assert enc["x"]["sort"] == ["K1", "K2"] and enc["y"]["sort"] == ["Väg", "Bro"]
    # issue 11 #2: no axis titles (the rotated "Objekt" covered a row name); the tooltip names them
    assert enc["x"]["title"] is None and enc["y"]["title"] is None
    assert [t["title"] for t in enc["tooltip"][:2]] == ["Objekt", "Kriterium"]
    rows = _data(spec)
    assert [r["label"] for r in rows] == ["2,0", "0,5", "–", "1,0"]
    assert rows[2]["spread"] is None  # no ratings: no colour, the text says "–"
    # per row and column: fixed pixel sizes are squeezed by Streamlit, and a step keeps names apart
    assert spec["height"] == {"step": 36} and spec["width"] == {"step": 52}


LONG = ["Regional tillgänglighet", "Sammanlänkade regionala stadskärnor och tvärförbindelser",
        "Sammanlänkade regionala stadskärnor och tvärförbindelser i norr", "Trafiksäkerhet"]


def test_heatmap_names_are_whole_on_upright_lines_and_never_hidden():
    """Issue 11 #2: on a projector 3 of 12 criterion names were shown (Vega hid the others as
    overlapping) and object names were cut at 320 px. Every name is now drawn in full, on at most
    two upright lines per column, and a column is as wide as its lines."""
    objects = ["Nynäsbanan: dubbelspår Hemfosa–Nynäshamn samt triangelspår Älvsjö", "Bro"]
    cells = pd.DataFrame([{"object": o, "criterion": c, "spread": 1.0, "label": "1,0", "n": 3, "top": False}
                          for o in objects for c in LONG])
    spec = charts.disagreement_heatmap(cells, object_order=objects, criterion_order=LONG, measure_title="IQR",
                                       object_title="Objekt", criterion_title="Kriterium",
                                       n_title="n").to_dict(validate=True)
    x, y = spec["layer"][0]["encoding"]["x"], spec["layer"][0]["encoding"]["y"]
    for axis in (x["axis"], y["axis"]):
        assert axis["labelOverlap"] is False and axis["labelLimit"] == 0  # never hidden, never cut
        assert axis["labelExpr"] == charts.MULTILINE
    assert x["axis"]["labelAngle"] == -90
    columns = x["sort"]
    # whole names (only spaces became line breaks), in set-up order, and two names that differ only
    # at their end stay two columns
    assert [c.replace("\n", " ") for c in columns] == LONG and len(set(columns)) == len(LONG)
    assert max(c.count("\n") + 1 for c in columns) == 2
    assert [r.replace("\n", " ") for r in y["sort"]] == objects
    assert all(len(line) <= charts.ROW_LINE for r in y["sort"] for line in r.split("\n"))
    assert spec["width"]["step"] >= 2 * charts.LINE_PX  # two upright lines fit in a column
    assert spec["height"]["step"] >= 2 * charts.LINE_PX  # the two-line object name fits in its row
    # the tooltip and the data keep the names as they are
    assert {r["criterion"] for r in _data(spec)} == set(LONG)


def test_column_line_is_the_shortest_that_keeps_names_on_two_lines():
    width = charts.column_line(LONG)
    assert all(charts.wrapped(n, width).count("\n") <= 1 for n in LONG)
    assert any(charts.wrapped(n, width - 1).count("\n") >= 2 for n in LONG)
    assert charts.column_line(["K1", "K2"]) == charts.COLUMN_LINE
    assert charts.wrapped("  Två   ord ", 24) == "Två ord"
    assert charts.wrapped("Ettmycketlångtordutanmellanrumsomintekandelas", 10) == \
        "Ettmycketlångtordutanmellanrumsomintekandelas"  # never broken inside a word


def test_heatmap_without_any_rating_is_still_valid():
    cells = pd.DataFrame({"object": ["Bro"], "criterion": ["K1"], "spread": [math.nan], "label": ["–"],
                          "n": [0], "top": [False]})
    spec = charts.disagreement_heatmap(cells, object_order=["Bro"], criterion_order=["K1"], measure_title="IQR",
                                       object_title="O", criterion_title="K", n_title="n").to_dict(validate=True)
    assert "datum.spread > 0.0" in spec["layer"][2]["encoding"]["color"]["condition"]["test"]


def test_distribution_bars_keep_scale_order_with_vet_ej_last():
    dist = pd.DataFrame({"label": ["1", "2", "3", "4", "5", "vet ej"], "count": [0, 3, 1, 0, 2, 1],
                         "unknown": [False] * 5 + [True]})
    spec = charts.distribution_bars(dist, value_title="Poäng", count_title="Antal deltagare").to_dict(validate=True)
    bars, text = spec["layer"]
    assert bars["mark"]["type"] == "bar"
    assert bars["encoding"]["x"]["sort"] == ["1", "2", "3", "4", "5", "vet ej"]
    assert bars["encoding"]["y"]["field"] == "count" and bars["encoding"]["y"]["title"] == "Antal deltagare"
    assert bars["encoding"]["color"]["condition"]["test"] == "datum.unknown"
    assert bars["encoding"]["color"]["value"] != bars["encoding"]["color"]["condition"]["value"]
    assert text["mark"]["type"] == "text" and text["encoding"]["text"]["field"] == "count"
    assert [r["count"] for r in _data(spec)] == [0, 3, 1, 0, 2, 1]


def test_progress_bars_run_from_0_to_100_percent_with_text():
    df = pd.DataFrame({"label": ["Deltagare 1", "Deltagare 2"], "share": [1.0, 0.25], "text": ["12/12", "3/12"]})
    spec = charts.progress_bars(df, label_title="Deltagare", share_title="Andel besvarade").to_dict(validate=True)
    bars, inside, outside = spec["layer"]
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 1]
    assert bars["encoding"]["x"]["axis"]["format"] == "%"
    assert bars["encoding"]["y"]["sort"] == ["Deltagare 1", "Deltagare 2"]
    assert bars["encoding"]["y"]["title"] is None  # a rotated title could cover a name
    assert bars["encoding"]["y"]["axis"]["labelLimit"] == 0  # names in full (issue 11 #2)
    # issue 11 #2: "12/12" at the end of a full bar ran past the edge; long bars carry it inside
    assert inside["encoding"]["text"]["field"] == outside["encoding"]["text"]["field"] == "text"
    assert inside["mark"]["align"] == "right" and inside["mark"]["color"] == "white"
    assert inside["transform"] == [{"filter": f"datum.share >= {charts.INSIDE_FROM}"}]
    assert outside["mark"]["align"] == "left"
    assert outside["transform"] == [{"filter": f"datum.share < {charts.INSIDE_FROM}"}]
    assert [r["text"] for r in _data(spec)] == ["12/12", "3/12"]
    assert spec["height"] == {"step": 30}


def test_both_scoring_rounds_can_share_one_colour_scale():
    """Issue 11 #5: with domain_max the colours mean the same spread in round 1 and round 2."""
    cells = pd.DataFrame({"object": ["Bro"], "criterion": ["K1"], "spread": [0.5], "label": ["0,5"], "n": [4],
                          "top": [False]})
    specs = [charts.disagreement_heatmap(cells, object_order=["Bro"], criterion_order=["K1"], measure_title="IQR",
                                         object_title="Objekt", criterion_title="Kriterium", n_title="Antal",
                                         domain_max=top).to_dict(validate=True) for top in (2.0, 2.0)]
    for spec in specs:
        rect, _, text = spec["layer"]
        assert rect["encoding"]["color"]["scale"]["domain"] == [0, 2.0]
        assert "datum.spread > 1.0" in text["encoding"]["color"]["condition"]["test"]
    assert heatmap_spec()["layer"][0]["encoding"]["color"]["scale"]["domain"] == [0, 2.0]  # default: own max
