"""Altair chart builders for the committee dashboard, sensitivity and portfolio views.

Pure functions: a frame from one of the pure ``prioritization.ui.*_logic`` modules in (ranking,
sensitivity, rank agreement, portfolio), a chart out (no Streamlit). Titles come from
``prioritization.i18n`` (keys ``charts.*``).

Accessibility:
* categorical colours are Okabe-Ito (colour-blind safe), sequential ones viridis, the agreement
  matrix the diverging "blueorange"; stacked segments have a white outline;
* colour never carries information alone: values are printed (scores at bar ends, shares, rank
  numbers next to map dots, correlations in cells), methods and lines also differ in shape or
  dash pattern, and every chart has a tooltip and a table on its page;
* charts with a discrete y axis get a per-row height (``alt.Step``); charts with a fixed height
  say ``autosize: fit-x`` (:data:`FIT_WIDTH`): Streamlit's default ("fit" with the padding
  contained) squeezes the title, the legend and the axes *into* that height, which left a plot
  area of 30-40 px in a real browser;
* text is at least 14 px and axis text dark grey (:data:`TEXT_COLOUR`), for projectors; text
  printed on a coloured cell is black or white, whichever contrasts more (:func:`text_on`, at
  least 4.5:1); lines and dots use colours with at least 3:1 against white (:data:`LINE_COLOURS`)
  or a dark outline.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from prioritization.i18n import t
from prioritization.report.sensitivity import OatCurves
from prioritization.report.theme import CHART_FONT_SIZE as FONT_SIZE
from prioritization.report.theme import CHART_TEXT_COLOUR as TEXT_COLOUR
from prioritization.report.theme import (
    EN_NUMBER_LOCALE,
    MUTED_GREY,
    OKABE_ITO,
    SV_NUMBER_LOCALE,
    legend_label_limit,
    row_label_limit,
)
from prioritization.report.theme import RANK_BUCKET_COLOURS as BUCKET_COLOURS

FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")  # the height is the plot's own
# Okabe-Ito colours with at least 3:1 contrast on white (WCAG 1.4.11, graphics): blue, vermillion,
# bluish green, reddish purple, black. Orange, sky blue and yellow (2.3, 2.3, 1.3:1) are left out
# for lines; after five objects the colours repeat with a new dash pattern.
LINE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000")
DOT_STROKE = "#333333"  # outline of filled dots, so light fills (viridis yellow) stand out on white
ROW_STEP = 28
METHOD_STEP = 11  # with a y offset the step is per sub-row: 3 methods x 11 px per object
MUTED = MUTED_GREY  # grey with 4.5:1 contrast on white: dominated points, committed objects
DASHES = ([1, 0], [6, 3], [2, 2], [8, 3, 2, 3])  # one dash pattern per round of the 8 colours
METHOD_SHAPES = ("circle", "square", "triangle-up")
LEGEND_HALF_CHARS = 34  # legend labels longer than this do not fit two columns of a 700 px chart
# Vega's "blueorange" scheme (blue = -1, light = 0, orange = 1) as explicit stops, interpolated in
# RGB by Vega and by :func:`agreement_colour` alike, so the text colour of every cell can be chosen
AGREEMENT_COLOURS = ("#134B85", "#2F78B3", "#5DA2CB", "#9DCAE1", "#D2E5EF", "#F2F0EB", "#FCE0BA", "#FBBF74",
                     "#E8932F", "#C5690D", "#994A07")
AGREEMENT_DOMAIN = tuple(-1 + 2 * k / (len(AGREEMENT_COLOURS) - 1) for k in range(len(AGREEMENT_COLOURS)))


NAMED = {"black": "#000000", "white": "#FFFFFF"}


def _rgb(colour: str) -> tuple[float, float, float]:
    """"#RRGGBB" (or "black"/"white") as three fractions."""
    hex_colour = NAMED.get(colour, colour)
    return tuple(int(hex_colour[k:k + 2], 16) / 255 for k in (1, 3, 5))


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of "#RRGGBB" (or "black"/"white")."""
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in _rgb(colour)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(background: str) -> str:
    """Black or white, whichever contrasts more with ``background`` (always at least 4.5:1)."""
    return "black" if contrast(background, "#000000") >= contrast(background, "#FFFFFF") else "white"


def agreement_colour(value: float) -> str:
    """The cell colour of a correlation in the agreement matrix (as Vega draws it)."""
    v = min(max(float(value), -1.0), 1.0)
    k = min(int((v + 1) / 2 * (len(AGREEMENT_COLOURS) - 1)), len(AGREEMENT_COLOURS) - 2)
    f = (v - AGREEMENT_DOMAIN[k]) / (AGREEMENT_DOMAIN[k + 1] - AGREEMENT_DOMAIN[k])
    a, b = _rgb(AGREEMENT_COLOURS[k]), _rgb(AGREEMENT_COLOURS[k + 1])
    return "#" + "".join(f"{round((x + (y - x) * f) * 255):02X}" for x, y in zip(a, b, strict=True))


ROW_NAMES = row_label_limit(360)  # the object names beside a chart's rows: 360 px, less on a phone
LEGEND_NAMES = legend_label_limit(360)  # and a legend's labels under the marks


def _axis(**kw) -> alt.Axis:
    return alt.Axis(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelColor=TEXT_COLOUR,
                    titleColor=TEXT_COLOUR, **kw)


def _legend(**kw) -> alt.Legend:
    kw.setdefault("labelLimit", LEGEND_NAMES)
    return alt.Legend(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelColor=TEXT_COLOUR,
                      titleColor=TEXT_COLOUR, titleLimit=400, **kw)


def _localised(chart, lang: str):
    """Swedish number formats in axes and tooltips (decimal comma, "12 %")."""
    return chart.configure(locale={"number": SV_NUMBER_LOCALE if lang == "sv" else EN_NUMBER_LOCALE})


def cycled_palette(n: int) -> tuple[list[str], list[list[int]]]:
    """n colours (Okabe-Ito, repeating) and n dash patterns (a new pattern for every round)."""
    return ([OKABE_ITO[k % len(OKABE_ITO)] for k in range(n)],
            [DASHES[(k // len(OKABE_ITO)) % len(DASHES)] for k in range(n)])


def line_palette(n: int) -> tuple[list[str], list[list[int]]]:
    """n line colours with at least 3:1 on white (:data:`LINE_COLOURS`, repeating) and n dash
    patterns (a new pattern for every round of colours)."""
    return ([LINE_COLOURS[k % len(LINE_COLOURS)] for k in range(n)],
            [DASHES[(k // len(LINE_COLOURS)) % len(DASHES)] for k in range(n)])


# --- 1. ranked list with contributions ------------------------------------------------------------


def ranked_contributions_chart(frame: pd.DataFrame, lang: str = "sv") -> alt.LayerChart:
    """Stacked horizontal bars: each candidate's score split into its criteria's contributions.

    ``frame``: :func:`report.ranking.contribution_frame`. Rows in display order with the rank in
    the label ("3. Name"), segments in criteria order, the score (and tier) printed at the bar end.
    """
    data = frame.copy()
    rows = list(dict.fromkeys(data.sort_values("position", kind="stable")["row_label"]))
    crit = data.drop_duplicates("criterion_index").sort_values("criterion_index")
    grouped = bool(frame.attrs.get("grouped_colours", False))
    # two columns only when every name fits half the width; long names get one column, uncut
    long_names = max((len(c) for c in crit["criterion"]), default=0) > LEGEND_HALF_CHARS
    colour = alt.Color("criterion:N", title=t("charts.criterion_by_group" if grouped else "charts.criterion", lang),
                       scale=alt.Scale(domain=list(crit["criterion"]), range=list(crit["colour"])),
                       legend=_legend(orient="bottom", columns=1 if long_names else 2, symbolType="square",
                                      labelLimit=legend_label_limit(0)))
    y = alt.Y("row_label:N", sort=rows, title=None, axis=_axis(labelLimit=ROW_NAMES))
    bars = alt.Chart(data).mark_bar(stroke="white", strokeWidth=1).encode(
        y=y,
        x=alt.X("points:Q", stack="zero", title=t("charts.contribution", lang),
                scale=alt.Scale(domain=[0, float(data["score_points"].max()) * (1.45 if data["tier"].notna().any()
                                                                                 else 1.15)]),
                axis=_axis()),
        color=colour,
        order=alt.Order("criterion_index:Q", sort="ascending"),
        tooltip=[alt.Tooltip("row_label:N", title=t("charts.object", lang)),
                 alt.Tooltip("criterion:N", title=t("charts.criterion", lang)),
                 alt.Tooltip("group:N", title=t("charts.group", lang)),
                 alt.Tooltip("contribution_label:N", title=t("charts.contribution", lang)),
                 alt.Tooltip("score_label:N", title=t("charts.score", lang))],
    )
    ends = data[data["criterion_index"] == 0]
    text = alt.Chart(ends).mark_text(align="left", dx=4, fontSize=FONT_SIZE).encode(
        y=y, x=alt.X("score_points:Q"), text=alt.Text("end_label:N"))
    chart = alt.layer(bars, text).properties(height=alt.Step(ROW_STEP), title=t("charts.ranked_title", lang))
    return _localised(chart, lang)


# --- 2. rank acceptability --------------------------------------------------------------------------


def acceptability_chart(frame: pd.DataFrame, lang: str = "sv") -> alt.LayerChart:
    """Stacked bars of rank acceptability by rank bucket (1, 2–3, 4–5, 6–10, >10), viridis from
    dark (rank 1) to light; shares of at least 8 % printed in their segment and the rank-1 share
    printed to the right of every bar.

    ``frame``: :func:`report.sensitivity.acceptability_frame`.
    """
    data = frame.copy()
    data["text_colour"] = [text_on(BUCKET_COLOURS[int(k)]) for k in data["bucket_index"]]
    rows = list(dict.fromkeys(data.sort_values("position", kind="stable")["row_label"]))
    buckets = list(dict.fromkeys(data.sort_values("bucket_index", kind="stable")["bucket"]))
    y = alt.Y("row_label:N", sort=rows, title=None, axis=_axis(labelLimit=ROW_NAMES))
    base = alt.Chart(data).transform_stack(
        stack="share", groupby=["row_label"], sort=[alt.SortField("bucket_index", order="ascending")],
        as_=["x0", "x1"]).transform_calculate(mid="(datum.x0 + datum.x1) / 2")
    tooltip = [alt.Tooltip("row_label:N", title=t("charts.object", lang)),
               alt.Tooltip("bucket:N", title=t("charts.rank_bucket", lang)),
               alt.Tooltip("share_label:N", title=t("charts.share_of_scenarios", lang))]
    bars = base.mark_bar(stroke="white", strokeWidth=1).encode(
        y=y,
        x=alt.X("x0:Q", title=t("charts.share_of_scenarios", lang), scale=alt.Scale(domain=[0, 1]),
                axis=_axis(format="%")),
        x2="x1:Q",
        color=alt.Color("bucket:O", title=t("charts.rank_bucket", lang),
                        scale=alt.Scale(domain=buckets, range=list(BUCKET_COLOURS[:len(buckets)])),
                        legend=_legend(orient="bottom", direction="horizontal")),
        tooltip=tooltip,
    )
    shares = base.transform_filter("datum.share >= 0.08").mark_text(fontSize=FONT_SIZE).encode(
        y=y, x=alt.X("mid:Q"), text=alt.Text("share_label:N"),
        color=alt.Color("text_colour:N", scale=None))
    first = alt.Chart(data).transform_filter("datum.bucket_index == 0").mark_text(
        align="left", dx=8, fontSize=FONT_SIZE).encode(y=y, x=alt.datum(1), text=alt.Text("first_label:N"))
    chart = alt.layer(bars, shares, first).resolve_scale(color="independent").properties(
        height=alt.Step(ROW_STEP), title=t("charts.acceptability_title", lang),
        padding={"left": 5, "top": 5, "bottom": 5, "right": 120})
    return _localised(chart, lang)


# --- 3. one-at-a-time weight curves -----------------------------------------------------------------


def oat_chart(curves: OatCurves, lang: str = "sv") -> alt.LayerChart:
    """Score lines S_i(t) of the shown objects as one criterion's weight t goes from 0 to 100 %:
    the stability interval shaded, the current weight as a dashed rule, breakpoints as diamonds.
    The plot keeps its 320 px (:data:`FIT_WIDTH`); the legend is on top, one object per row.

    ``curves``: :func:`report.sensitivity.oat_curves`.
    """
    lines = curves.lines.copy()
    objects = list(dict.fromkeys(lines.sort_values("position", kind="stable")["object"]))
    colours, dashes = line_palette(len(objects))
    x_title = t("charts.weight_of", lang, criterion=curves.criterion)
    x = alt.X("t:Q", title=x_title, scale=alt.Scale(domain=[0, 1]), axis=_axis(format="%"))
    band_label = t("charts.stable_band_untied" if curves.band_untied else "charts.stable_band", lang)
    band = alt.Chart(pd.DataFrame({"lo": [curves.band[0]], "hi": [curves.band[1]],
                                   "label": [band_label]})).mark_rect(
        color="#BDBDBD", opacity=0.35).encode(
        x=alt.X("lo:Q", scale=alt.Scale(domain=[0, 1])), x2="hi:Q",
        tooltip=[alt.Tooltip("label:N", title=None), alt.Tooltip("lo:Q", format=".1%"),
                 alt.Tooltip("hi:Q", format=".1%")])
    line = alt.Chart(lines).mark_line(strokeWidth=2.5).encode(
        x=x,
        y=alt.Y("points:Q", title=t("charts.score", lang), axis=_axis(), scale=alt.Scale(zero=False)),
        color=alt.Color("object:N", title=t("charts.object", lang), scale=alt.Scale(domain=objects, range=colours),
                        legend=_legend(orient="top", direction="vertical", labelLimit=legend_label_limit(0))),
        strokeDash=alt.StrokeDash("object:N", scale=alt.Scale(domain=objects, range=dashes), legend=None),
        order=alt.Order("t:Q"),
        tooltip=[alt.Tooltip("object:N", title=t("charts.object", lang)),
                 alt.Tooltip("t:Q", title=x_title, format=".1%"),
                 alt.Tooltip("points:Q", title=t("charts.score", lang), format=".1f")],
    )
    rule = alt.Chart(pd.DataFrame({"weight": [curves.weight], "label": [t("charts.current_weight", lang)]})).mark_rule(
        color="black", strokeDash=[5, 4], strokeWidth=2).encode(
        x="weight:Q", tooltip=[alt.Tooltip("label:N", title=None), alt.Tooltip("weight:Q", title=x_title,
                                                                               format=".1%")])
    # an empty layer would be an unlabelled graphic for screen readers (axe svg-img-alt): hide it
    points = alt.Chart(curves.breakpoints).mark_point(shape="diamond", filled=True, size=90, color="black",
                                                      aria=not curves.breakpoints.empty).encode(
        x="t:Q", y="points:Q",
        tooltip=[alt.Tooltip("label:N", title=t("charts.breakpoint", lang)),
                 alt.Tooltip("t:Q", title=x_title, format=".1%")])
    chart = alt.layer(band, line, rule, points).properties(
        height=320, autosize=FIT_WIDTH, title=t("charts.oat_title", lang, criterion=curves.criterion))
    return _localised(chart, lang)


# --- 4. benefit vs cost -------------------------------------------------------------------------------


def frontier_chart(frame: pd.DataFrame, lang: str = "sv") -> alt.LayerChart:
    """Score against cost; efficient objects filled blue circles, dominated ones grey open squares,
    the efficient frontier as a step line (best score reachable at each cost), rank printed next
    to each point. No subtitle: the page says in a sentence which objects have no cost (a long
    subtitle ate the plot in a real browser). The plot keeps its 340 px (:data:`FIT_WIDTH`).

    ``frame``: :func:`report.portfolio.frontier_frame`.
    """
    data = frame.copy()
    yes, no = t("charts.yes", lang), t("charts.no", lang)
    data["frontier_label"] = [yes if e else no for e in data["efficient"]]
    x = alt.X("cost:Q", title=t("charts.cost", lang), axis=_axis(), scale=alt.Scale(zero=True))
    y = alt.Y("points:Q", title=t("charts.score", lang), axis=_axis(), scale=alt.Scale(zero=False))
    step = alt.Chart(data).transform_filter("datum.efficient").mark_line(
        interpolate="step-after", color=OKABE_ITO[0], strokeWidth=2).encode(x=x, y=y, order=alt.Order("cost:Q"))
    on_front = t("charts.on_frontier", lang)
    dots = alt.Chart(data).mark_point(size=110, strokeWidth=2).encode(
        x=x, y=y,
        color=alt.Color("frontier_label:N", title=on_front, scale=alt.Scale(domain=[yes, no], range=[OKABE_ITO[0],
                                                                                                    MUTED]),
                        legend=_legend(orient="top", direction="horizontal")),
        shape=alt.Shape("frontier_label:N", title=on_front, scale=alt.Scale(domain=[yes, no],
                                                                            range=["circle", "square"])),
        fill=alt.condition("datum.efficient", alt.value(OKABE_ITO[0]), alt.value("transparent")),
        tooltip=[alt.Tooltip("object:N", title=t("charts.object", lang)),
                 alt.Tooltip("rank:Q", title=t("charts.rank", lang)),
                 alt.Tooltip("score_label:N", title=t("charts.score", lang)),
                 alt.Tooltip("cost_label:N", title=t("charts.cost", lang)),
                 alt.Tooltip("frontier_label:N", title=on_front)],
    )
    labels = alt.Chart(data).mark_text(align="left", dx=8, dy=-8, fontSize=FONT_SIZE).encode(
        x=x, y=y, text=alt.Text("rank:Q"))
    chart = alt.layer(step, dots, labels).properties(height=340, autosize=FIT_WIDTH,
                                                     title=t("charts.frontier_title", lang))
    return _localised(chart, lang)


# --- 5. weight profiles: bump chart and agreement matrix ---------------------------------------------


def bump_chart(frame: pd.DataFrame, *, key: str = "profile", title: str | None = None,
               lang: str = "sv") -> alt.LayerChart:
    """Rank (y, 1 at the top) per weight profile (x), one line per object, object names printed
    after the last profile (in black; the name sits on its line's row); line colours have at
    least 3:1 on white (:data:`LINE_COLOURS`) and repeat after 5 objects with a new dash pattern.

    ``frame``: :func:`report.rank_agreement.profile_rank_frame` (``key`` "profile"; for another key,
    e.g. "participant", rename the columns ``profile``/``profile_index`` and give a ``title``).
    """
    data = frame.copy()
    columns = list(dict.fromkeys(data.sort_values(f"{key}_index", kind="stable")[key]))
    first = data[data[f"{key}_index"] == 0].sort_values("rank", kind="stable")
    objects = list(first["object"])
    colours, dashes = line_palette(len(objects))
    n = int(data["object_id"].nunique())
    x = alt.X(f"{key}:N", sort=columns, title=t(f"charts.{key}", lang),
              axis=_axis(labelAngle=-30, labelLimit=180, orient="top"))
    y = alt.Y("rank:O", title=t("charts.rank", lang), scale=alt.Scale(domain=list(range(1, n + 1))), axis=_axis())
    colour = alt.Color("object:N", scale=alt.Scale(domain=objects, range=colours), legend=None)
    lines = alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=70, filled=True), strokeWidth=2.5).encode(
        x=x, y=y, color=colour,
        strokeDash=alt.StrokeDash("object:N", scale=alt.Scale(domain=objects, range=dashes), legend=None),
        detail="object_id:N",
        tooltip=[alt.Tooltip("object:N", title=t("charts.object", lang)),
                 alt.Tooltip(f"{key}:N", title=t(f"charts.{key}", lang)),
                 alt.Tooltip("rank:Q", title=t("charts.rank", lang)),
                 alt.Tooltip("score:Q", title=t("charts.score", lang), format=".3f")])
    names = alt.Chart(data).transform_filter("datum.last").mark_text(
        align="left", dx=10, fontSize=FONT_SIZE, limit=260).encode(x=x, y=y, text="object:N")
    chart = alt.layer(lines, names).properties(
        height=alt.Step(ROW_STEP), width=alt.Step(110), title=title or t("charts.profiles_title", lang),
        padding={"left": 5, "top": 5, "bottom": 5, "right": 270})
    return _localised(chart, lang)


def agreement_chart(frame: pd.DataFrame, *, measure: str = "kendall", lang: str = "sv") -> alt.LayerChart:
    """Matrix of rank correlations (-1..1, diverging blue-orange, 0 light) with the value printed in
    every cell, in black or white by the cell's luminance (:func:`text_on`).

    ``frame``: :func:`report.rank_agreement.agreement_frame`.
    """
    data = frame.copy()
    data["text_colour"] = ["black" if v != v else text_on(agreement_colour(v)) for v in data["value"]]  # NaN: black
    names = list(dict.fromkeys(data.sort_values("a_index", kind="stable")["a"]))
    title = t(f"charts.agreement.{measure}", lang)
    base = alt.Chart(data).encode(
        x=alt.X("b:N", sort=names, title=None, axis=_axis(orient="top", labelAngle=-45, labelLimit=200,
                                                          labelOverlap=False)),  # every name, even at 14 px
        y=alt.Y("a:N", sort=names, title=None, axis=_axis(labelLimit=200)),
        tooltip=[alt.Tooltip("a:N", title=None), alt.Tooltip("b:N", title=None),
                 alt.Tooltip("label:N", title=title)])
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("value:Q", title=title, scale=alt.Scale(domain=list(AGREEMENT_DOMAIN),
                                                                range=list(AGREEMENT_COLOURS), interpolate="rgb"),
                        legend=_legend()))
    text = base.mark_text(fontSize=FONT_SIZE).encode(
        text=alt.Text("label:N"),
        color=alt.Color("text_colour:N", scale=None))
    chart = alt.layer(cells, text).resolve_scale(color="independent").properties(
        height=alt.Step(44), width=alt.Step(90), title=t("charts.agreement_title", lang))
    return _localised(chart, lang)


# --- 6. method cross-check ------------------------------------------------------------------------------


def method_dot_chart(frame: pd.DataFrame, lang: str = "sv") -> alt.Chart:
    """Rank of every object by WSM, TOPSIS and PROMETHEE II: one row per object (WSM order), the
    methods side by side within the row, with a colour and a shape each.

    ``frame``: :func:`report.rank_agreement.method_rank_frame`.
    """
    data = frame.copy()
    rows = list(dict.fromkeys(data.sort_values("position", kind="stable")["row_label"]))
    methods = list(dict.fromkeys(data["method"]))
    n = int(data["object_id"].nunique())
    chart = alt.Chart(data).mark_point(filled=True, size=110, opacity=0.9).encode(
        y=alt.Y("row_label:N", sort=rows, title=None, axis=_axis(labelLimit=ROW_NAMES)),
        yOffset=alt.YOffset("method:N", sort=methods),
        x=alt.X("rank:Q", title=t("charts.rank", lang), scale=alt.Scale(domain=[0.5, n + 0.5], nice=False),
                axis=_axis(tickMinStep=1, format="d")),
        color=alt.Color("method:N", title=t("charts.method", lang),
                        scale=alt.Scale(domain=methods, range=list(LINE_COLOURS[:len(methods)])),
                        legend=_legend(orient="bottom")),
        shape=alt.Shape("method:N", title=t("charts.method", lang),
                        scale=alt.Scale(domain=methods, range=list(METHOD_SHAPES[:len(methods)]))),
        tooltip=[alt.Tooltip("object:N", title=t("charts.object", lang)),
                 alt.Tooltip("method:N", title=t("charts.method", lang)),
                 alt.Tooltip("rank:Q", title=t("charts.rank", lang))],
    ).properties(height=alt.Step(METHOD_STEP), title=t("charts.methods_title", lang))  # per method within a row
    return _localised(chart, lang)


# --- 7. map -----------------------------------------------------------------------------------------------


# Municipal centres (approximate WGS 84 positions, general knowledge) drawn as grey reference points
REFERENCE_PLACES = (("Stockholm", 59.330, 18.069), ("Botkyrka (Tumba)", 59.200, 17.833),
                    ("Haninge (Handen)", 59.168, 18.144), ("Huddinge", 59.237, 17.982),
                    ("Nykvarn", 59.178, 17.431), ("Nynäshamn", 58.903, 17.947),
                    ("Salem (Rönninge)", 59.193, 17.751), ("Södertälje", 59.196, 17.626),
                    ("Tyresö", 59.244, 18.229))


def reference_places(frame: pd.DataFrame, margin: float = 0.05) -> pd.DataFrame:
    """The reference places inside the objects' bounding box (plus a margin in degrees)."""
    cols = ["place", "lat", "lon"]
    if frame.empty:
        return pd.DataFrame(columns=cols)
    lat0, lat1 = frame["lat"].min() - margin, frame["lat"].max() + margin
    lon0, lon1 = frame["lon"].min() - margin, frame["lon"].max() + margin
    return pd.DataFrame([p for p in REFERENCE_PLACES if lat0 <= p[1] <= lat1 and lon0 <= p[2] <= lon1], columns=cols)


MAP_HEIGHT = 420
PLACE_DY = (14, 30)  # place names below their cross; a neighbour whose name would overlap goes one line lower


def _stacked(places: pd.DataFrame, objects: pd.DataFrame, char_px: float = 8.0, width_px: float = 650.0,
             height_px: float = MAP_HEIGHT) -> pd.DataFrame:
    """``places`` with a ``dy`` each: centred below the cross, and a line lower when the name
    would overlap the name of the place before it (west to east) on the same line. The pixels per
    degree follow a Mercator fit of all points into the map (as Vega does; the width is a guess)."""
    both = pd.concat([objects[["lat", "lon"]], places[["lat", "lon"]]])
    merc = np.degrees(np.log(np.tan(np.pi / 4 + np.radians(both["lat"].to_numpy(dtype=float)) / 2)))
    lon_range = max(float(both["lon"].max() - both["lon"].min()), 1e-6)
    lat_range = max(float(merc.max() - merc.min()), 1e-6)
    px_per_deg = min(width_px / lon_range, height_px / lat_range)
    out = places.sort_values("lon", kind="stable").copy()
    dys, last = [], {}  # dy -> east end (degrees) of the last name on that line
    for row in out.itertuples():
        half = len(row.place) * char_px / 2 / px_per_deg
        dy = next((d for d in PLACE_DY if row.lon - half > last.get(d, -np.inf)), PLACE_DY[0])
        last[dy] = row.lon + half
        dys.append(dy)
    out["dy"] = dys
    return out


def map_chart(frame: pd.DataFrame, *, colour_by: str = "rank", lang: str = "sv") -> alt.LayerChart:
    """Objects as dots at their coordinates (Mercator, no background tiles), coloured by rank
    (viridis, rank 1 darkest) or tier (Okabe-Ito), with a dark outline so light fills stand out;
    committed objects as grey squares; the rank, and the tier ("3 · A"), printed above right of
    every dot, so the tier is never told by colour alone; reference places as grey crosses with
    their name in italics centred below, away from the object labels.

    ``frame``: :func:`report.ranking.map_frame`.
    """
    if colour_by not in ("rank", "tier"):
        raise ValueError(f"colour_by must be 'rank' or 'tier', got {colour_by!r}")
    data = frame.copy()
    candidates = data[data["status"] == "candidate"]
    committed = data[data["status"] == "committed"]
    tooltip = [alt.Tooltip("object:N", title=t("charts.object", lang)),
               alt.Tooltip("label:N", title=t("charts.rank", lang)),
               alt.Tooltip("score_label:N", title=t("charts.score", lang)),
               alt.Tooltip("category:N", title=t("charts.tier", lang))]
    # channel objects rather than "lon:Q" shorthands: the same spec, but Altair builds a shorthand's
    # class table anew for every one (about 10 ms each; a map has a dozen)
    where = {"longitude": alt.Longitude("lon:Q"), "latitude": alt.Latitude("lat:Q")}
    if colour_by == "rank":
        colour = alt.Color("rank:Q", title=t("charts.rank", lang), scale=alt.Scale(scheme="viridis"),
                           legend=_legend(format="d"))
    else:
        tiers = sorted(candidates["category"].unique())
        colours, _ = cycled_palette(len(tiers))
        colour = alt.Color("category:N", title=t("charts.tier", lang), scale=alt.Scale(domain=tiers, range=colours),
                           legend=_legend())
    dots = alt.Chart(candidates).mark_circle(size=160, opacity=0.95, stroke=DOT_STROKE, strokeWidth=1).encode(
        **where, color=colour, tooltip=tooltip)
    grey = alt.Chart(committed).mark_square(size=130, color=MUTED, aria=not committed.empty).encode(
        **where, tooltip=tooltip)
    labels = alt.Chart(data).mark_text(align="left", dx=9, dy=-6, fontSize=FONT_SIZE, fontWeight="bold").encode(
        **where, text=alt.Text("label:N"))
    layers = [grey, dots, labels]
    places = reference_places(data)
    if not places.empty:  # the municipal centres near the objects, in grey, so the map can be read
        rows = _stacked(places, data)
        names = [alt.Chart(part).mark_text(align="center", dy=dy, fontSize=FONT_SIZE, color=MUTED,
                                           fontStyle="italic").encode(**where, text=alt.Text("place:N"))
                 for dy, part in rows.groupby("dy", sort=True)]
        layers[:0] = [alt.Chart(places).mark_point(shape="cross", size=50, color=MUTED).encode(**where), *names]
    chart = alt.layer(*layers).project(type="mercator").properties(
        height=MAP_HEIGHT, title=t("charts.map_title", lang))
    return _localised(chart, lang)


# --- 8. budget portfolio ----------------------------------------------------------------------------------

# chosen by both / only the exact best combination / only the score-per-cost list / neither: Okabe-Ito
# blue, orange and reddish purple, and white (an outlined, empty bar) for "not chosen"
PORTFOLIO_COLOURS = {"both": OKABE_ITO[0], "optimal": OKABE_ITO[1], "greedy": OKABE_ITO[5], "neither": "#FFFFFF"}


def portfolio_chart(frame: pd.DataFrame, lang: str = "sv") -> alt.LayerChart:
    """One bar per candidate with a cost (ranking order): its score, coloured by which portfolio
    chooses it (both, only the exact best combination, only the score-per-cost list, neither: an
    empty outlined bar); the cost, the choice and any forcing are printed after the bar in words,
    so colour is never the only cue.

    ``frame``: :func:`report.portfolio.portfolio_frame` of a report with an exact portfolio.
    """
    data = frame.copy()
    rows = list(dict.fromkeys(data.sort_values("position", kind="stable")["row_label"]))
    labels = dict(zip(data["category"], data["category_label"], strict=True))
    domain = [labels.get(c, t(f"portfolio.category.{c}", lang)) for c in PORTFOLIO_COLOURS]
    y = alt.Y("row_label:N", sort=rows, title=None, axis=_axis(labelLimit=ROW_NAMES))
    top = max(100.0, float(data["points"].max())) if len(data) else 100.0
    bars = alt.Chart(data).mark_bar(stroke=MUTED, strokeWidth=1).encode(
        y=y,
        x=alt.X("points:Q", title=t("charts.score", lang), scale=alt.Scale(domain=[0, top]), axis=_axis()),
        color=alt.Color("category_label:N", title=t("portfolio.chart_legend", lang),
                        scale=alt.Scale(domain=domain, range=list(PORTFOLIO_COLOURS.values())),
                        legend=_legend(orient="bottom", columns=2, symbolStrokeColor=MUTED, symbolType="square")),
        tooltip=[alt.Tooltip("row_label:N", title=t("charts.object", lang)),
                 alt.Tooltip("score_label:N", title=t("charts.score", lang)),
                 alt.Tooltip("cost_label:N", title=t("charts.cost", lang)),
                 alt.Tooltip("category_label:N", title=t("portfolio.chart_legend", lang)),
                 alt.Tooltip("forced_label:N", title=t("portfolio.col_forced", lang))],
    )
    text = alt.Chart(data).mark_text(align="left", dx=6, fontSize=FONT_SIZE).encode(
        y=y, x=alt.X("points:Q"), text=alt.Text("end_label:N"))
    chart = alt.layer(bars, text).properties(
        height=alt.Step(ROW_STEP), title=t("portfolio.chart_title", lang),
        padding={"left": 5, "top": 5, "bottom": 5, "right": 200})
    return _localised(chart, lang)
