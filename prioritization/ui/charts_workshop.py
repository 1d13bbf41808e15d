"""Altair chart builders for the workshop projector view: pure functions, data in, chart out.

Accessibility: a colour-blind-safe sequential scheme (viridis), the value printed in every cell
and bar (so colour never carries information alone), large fonts for a projector, and every
chart has a table next to it on the page.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

HEATMAP_SCHEME = "viridis"
FONT_SIZE = 14
TOP_STROKE = "#e66101"  # orange outline for the cells worth discussing (plus the table below)
BAR_COLOUR = "#3b528b"  # a viridis blue; white text on it has a contrast ratio above 7:1
UNKNOWN_COLOUR = "#9e9e9e"


def _axis(**kw) -> alt.Axis:
    return alt.Axis(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, **kw)


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
    base = alt.Chart(data).encode(
        x=alt.X("criterion:N", sort=criterion_order, title=criterion_title,
                axis=_axis(orient="top", labelAngle=-35, labelLimit=220)),
        y=alt.Y("object:N", sort=object_order, title=object_title, axis=_axis(labelLimit=320)),
        tooltip=[alt.Tooltip("object:N", title=object_title), alt.Tooltip("criterion:N", title=criterion_title),
                 alt.Tooltip("label:N", title=measure_title), alt.Tooltip("n:Q", title=n_title)],
    )
    rect = base.mark_rect().encode(
        color=alt.Color("spread:Q", title=measure_title,
                        scale=alt.Scale(scheme=HEATMAP_SCHEME, reverse=True, domain=[0, top_value or 1]),
                        legend=alt.Legend(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE)))
    outline = base.transform_filter("datum.top").mark_rect(
        fillOpacity=0, stroke=TOP_STROKE, strokeWidth=3)
    text = base.mark_text(baseline="middle", fontSize=FONT_SIZE).encode(
        text=alt.Text("label:N"),
        color=alt.condition(f"isValid(datum.spread) && datum.spread > {threshold!r}",
                            alt.value("white"), alt.value("black")))
    # a per-row step, not a pixel height: Streamlit 1.67 squeezes layered charts with a fixed height
    return alt.layer(rect, outline, text).properties(height=alt.Step(34))


def distribution_bars(dist: pd.DataFrame, *, value_title: str, count_title: str) -> alt.LayerChart:
    """Count per score value of one cell, "vet ej" last and grey, the count printed on each bar.

    ``dist``: label (x category text, in display order), count, unknown (bool).
    """
    data = dist.loc[:, ["label", "count", "unknown"]].copy()
    order = list(data["label"])
    base = alt.Chart(data).encode(
        x=alt.X("label:N", sort=order, title=value_title, axis=_axis(labelAngle=0)),
        y=alt.Y("count:Q", title=count_title, axis=_axis(tickMinStep=1, format="d")),
        tooltip=[alt.Tooltip("label:N", title=value_title), alt.Tooltip("count:Q", title=count_title)],
    )
    bars = base.mark_bar().encode(
        color=alt.condition("datum.unknown", alt.value(UNKNOWN_COLOUR), alt.value(BAR_COLOUR)))
    text = base.mark_text(baseline="bottom", dy=-4, fontSize=FONT_SIZE).encode(text=alt.Text("count:Q"))
    return alt.layer(bars, text).properties(height=260)


INSIDE_FROM = 0.7  # a progress bar at least this long carries its "done/total" inside


def progress_bars(progress: pd.DataFrame, *, label_title: str, share_title: str) -> alt.LayerChart:
    """Horizontal progress bars 0-100 % with "done/total" printed at the end of each bar.

    ``progress``: label (in display order), share (0..1), text (printed, e.g. "12/15").
    """
    data = progress.loc[:, ["label", "share", "text"]].copy()
    order = list(data["label"])
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", sort=order, title=label_title, axis=_axis(labelLimit=320)),
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
    return alt.layer(bars, inside, outside).properties(height=alt.Step(30))  # per row (see heatmap)
