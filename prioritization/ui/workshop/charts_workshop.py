"""Altair chart builders for the workshop projector view: pure functions, data in, chart out.

Accessibility: a colour-blind-safe sequential scheme (viridis), the value printed in every cell
and bar (so colour never carries information alone), large fonts for a projector, and every
chart has a table next to it on the page.
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from prioritization.report.theme import CHART_FONT_SIZE as FONT_SIZE
from prioritization.report.theme import HEATMAP_FONT_SIZE  # the heatmap is read from the back of the room

HEATMAP_SCHEME = "viridis"
TOP_STROKE = "#e66101"  # orange outline for the cells worth discussing (plus the table below)
BAR_COLOUR = "#3b528b"  # a viridis blue; white text on it has a contrast ratio above 7:1
UNKNOWN_COLOUR = "#9e9e9e"


COLUMN_LINE = 24  # characters per line of a criterion (column) label, at least
COLUMN_LINES = 2  # lines of an upright column label: narrow columns, so 1280 px projectors fit 12
LINE_PX = 20  # one line of a 16 px label, with its leading
ROW_LINE = 32  # characters per line of an object (row) label
MULTILINE = "split(datum.label, '\\n')"  # Vega draws a label given as an array on several lines


def _axis(**kw) -> alt.Axis:
    return alt.Axis(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, **kw)


def wrapped(name: str, width: int) -> str:
    """``name`` broken into lines of at most ``width`` characters at spaces, joined by newlines.

    Never shortened: two names that differ only at their end must stay two columns (an ellipsis
    could make them equal)."""
    lines = textwrap.wrap(" ".join(str(name).split()), width=width, break_long_words=False,
                          break_on_hyphens=False)
    return "\n".join(lines) or str(name)


def column_line(names, *, lines: int = COLUMN_LINES, shortest: int = COLUMN_LINE, longest: int = 60) -> int:
    """The shortest line length (at least ``shortest``) at which every name takes at most ``lines``
    lines; names too long even at ``longest`` characters take more lines."""
    for width in range(shortest, longest + 1):
        if all(wrapped(n, width).count("\n") < lines for n in names):
            return width
    return longest


def _either(test: str, when_true: str, otherwise: str) -> alt.ColorValue:
    """A colour by a test: the spec of ``alt.condition(test, alt.value(a), alt.value(b))``, built as
    the channel object itself (Altair builds a class table of ~10 ms to wrap a condition's dict)."""
    return alt.ColorValue(otherwise, condition={"test": test, "value": when_true})


def _shared(data: pd.DataFrame, *layers: alt.Chart) -> alt.LayerChart:
    """Layers drawn from one frame, given once to the layer chart: the spec Altair makes when every
    layer names the same frame (it moves it up), without the hash it then computes of each layer's
    data (the whole frame printed as text: most of the build time of a 3 000-cell heatmap)."""
    return alt.layer(*layers, data=data)


def disagreement_heatmap(cells: pd.DataFrame, *, object_order: list[str], criterion_order: list[str],
                         measure_title: str, object_title: str, criterion_title: str,
                         n_title: str, domain_max: float | None = None) -> alt.LayerChart:
    """Objects x criteria coloured by spread with the value printed in every cell.

    ``cells``: object, criterion (display names), spread (NaN = no ratings), label (printed text),
    n, top (bool: outlined as worth discussing). High spread is dark; the printed text switches
    to white on dark cells. ``domain_max`` fixes the colour scale at 0..domain_max, so that the
    first and the second scoring round are coloured alike and can be compared (default: this
    chart's largest spread).
    """
    data = cells.loc[:, ["object", "criterion", "spread", "label", "n", "top"]].copy()
    finite = data["spread"].dropna()
    top_value = float(finite.max()) if len(finite) else 0.0
    top_value = top_value if domain_max is None else max(float(domain_max), top_value)
    threshold = top_value / 2
    # every column and row name in full on a projector (issue 11 #2): names on several lines, column
    # names at an angle and never hidden as "overlapping" (Vega measured the rotated labels' boxes and
    # dropped 9 of 12), no axis titles (the rotated "Objekt" covered a row name; the page says what
    # the rows and columns are)
    names = list(dict.fromkeys([*criterion_order, *data["criterion"]]))
    width = column_line(names)
    columns = {c: wrapped(c, width) for c in names}
    rows = {o: wrapped(o, ROW_LINE) for o in dict.fromkeys([*object_order, *data["object"]])}
    data["column"] = data["criterion"].map(columns)
    data["row"] = data["object"].map(rows)
    row_lines = max((r.count("\n") + 1 for r in rows.values()), default=1)
    column_lines = max((c.count("\n") + 1 for c in columns.values()), default=1)
    base = alt.Chart().encode(  # the data on the layer chart (_shared)
        x=alt.X("column:N", sort=[columns[c] for c in criterion_order], title=None,
                axis=alt.Axis(orient="top", labelAngle=-90, labelAlign="left", labelBaseline="middle",
                              labelFontSize=HEATMAP_FONT_SIZE, labelOverlap=False, labelLimit=0,
                              labelExpr=MULTILINE, labelPadding=6)),
        y=alt.Y("row:N", sort=[rows[o] for o in object_order], title=None,
                axis=alt.Axis(labelFontSize=HEATMAP_FONT_SIZE, labelOverlap=False, labelLimit=0,
                              labelExpr=MULTILINE)),
        tooltip=[alt.Tooltip("object:N", title=object_title), alt.Tooltip("criterion:N", title=criterion_title),
                 alt.Tooltip("label:N", title=measure_title), alt.Tooltip("n:Q", title=n_title)],
    )
    rect = base.mark_rect().encode(
        color=alt.Color("spread:Q", title=measure_title,
                        scale=alt.Scale(scheme=HEATMAP_SCHEME, reverse=True, domain=[0, top_value or 1]),
                        legend=alt.Legend(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, orient="bottom",
                                          direction="horizontal", gradientLength=240)))
    outline = base.transform_filter("datum.top").mark_rect(
        fillOpacity=0, stroke=TOP_STROKE, strokeWidth=3)
    text = base.mark_text(baseline="middle", fontSize=HEATMAP_FONT_SIZE).encode(
        text=alt.Text("label:N"),
        color=_either(f"isValid(datum.spread) && datum.spread > {threshold!r}", "white", "black"))
    # per-row and per-column steps, not pixel sizes (Streamlit 1.67 squeezes layered charts with a
    # fixed height): a row is as tall as its name's lines, a column as wide as its upright name's
    # lines, so no name can run into the next one whatever the screen (draw it with width="content")
    # (Vega measures the upright names in another font than the page draws them with: the margin on
    # top keeps the longest from being cut)
    return _shared(data, rect, outline, text).properties(
        height=alt.Step(max(36, LINE_PX * row_lines + 6)), width=alt.Step(max(52, LINE_PX * column_lines + 8)),
        padding={"top": 24, "left": 5, "right": 5, "bottom": 5})


def distribution_bars(dist: pd.DataFrame, *, value_title: str, count_title: str) -> alt.LayerChart:
    """Count per score value of one cell, "vet ej" last and grey, the count printed on each bar.

    ``dist``: label (x category text, in display order), count, unknown (bool).
    """
    data = dist.loc[:, ["label", "count", "unknown"]].copy()
    order = list(data["label"])
    base = alt.Chart().encode(  # the data on the layer chart (_shared)
        x=alt.X("label:N", sort=order, title=value_title, axis=_axis(labelAngle=0)),
        y=alt.Y("count:Q", title=count_title, axis=_axis(tickMinStep=1, format="d")),
        tooltip=[alt.Tooltip("label:N", title=value_title), alt.Tooltip("count:Q", title=count_title)],
    )
    bars = base.mark_bar().encode(
        color=_either("datum.unknown", UNKNOWN_COLOUR, BAR_COLOUR))
    text = base.mark_text(baseline="bottom", dy=-4, fontSize=FONT_SIZE).encode(text=alt.Text("count:Q"))
    return _shared(data, bars, text).properties(height=260)


INSIDE_FROM = 0.7  # a progress bar at least this long carries its "done/total" inside


def progress_bars(progress: pd.DataFrame, *, label_title: str, share_title: str) -> alt.LayerChart:
    """Horizontal progress bars 0-100 % with "done/total" printed at the end of each bar.

    ``progress``: label (in display order), share (0..1), text (printed, e.g. "12/15").
    """
    data = progress.loc[:, ["label", "share", "text"]].copy()
    rows = {n: wrapped(n, ROW_LINE) for n in dict.fromkeys(data["label"])}  # full names, as on the heatmap
    data["row"] = data["label"].map(rows)
    row_lines = max((r.count("\n") + 1 for r in rows.values()), default=1)
    base = alt.Chart().encode(  # the data on the layer chart (_shared)
        y=alt.Y("row:N", sort=list(rows.values()), title=None,  # a rotated title could cover a name
                axis=_axis(labelLimit=0, labelOverlap=False, labelExpr=MULTILINE)),
        x=alt.X("share:Q", title=share_title, scale=alt.Scale(domain=[0, 1]),
                axis=_axis(format="%")),
        tooltip=[alt.Tooltip("label:N", title=label_title), alt.Tooltip("text:N", title=share_title)],
    )
    bars = base.mark_bar(color=BAR_COLOUR)
    # "88/96" after a long bar ran past the chart's edge and was cut off (issue 11 #2): a long bar
    # carries its text inside, in white, a short one after its end
    inside = base.transform_filter(f"datum.share >= {INSIDE_FROM}").mark_text(
        align="right", dx=-6, fontSize=FONT_SIZE, color="white").encode(text=alt.Text("text:N"))
    outside = base.transform_filter(f"datum.share < {INSIDE_FROM}").mark_text(
        align="left", dx=4, fontSize=FONT_SIZE).encode(text=alt.Text("text:N"))
    return _shared(data, bars, inside, outside).properties(height=alt.Step(max(30, 18 * row_lines + 6)))  # per row
