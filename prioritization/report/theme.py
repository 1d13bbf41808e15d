"""How results look, on screen and on paper: the palettes, fonts and chart locales that the screen
charts (``prioritization/ui/*/charts_*.py``, :mod:`prioritization.report.follow_up`) and the PDF
documents (:mod:`prioritization.exports.pdf`, :mod:`prioritization.exports.invitations`) share.
Values only (no Streamlit, no Altair). Colours that belong to one chart alone (the timeline's kinds,
the agreement scale, the portfolio categories, ...) stay with that chart.

The criteria (or criterion groups) have one colour order, :data:`OKABE_ITO`, on screen and on paper,
so a criterion has the same colour in the app and in the decision document (issue 12); so do the
rank bands of the acceptability charts (:data:`RANK_BUCKET_COLOURS`, the bands of
:func:`prioritization.report.sensitivity.rank_buckets`).
"""

from __future__ import annotations

# --- palettes ------------------------------------------------------------------------------------

# Okabe & Ito (2008) "Color Universal Design": distinguishable with every common colour-vision
# deficiency. Ordered so the first colours have good contrast on white; yellow and black last.
# The criteria (result_text.criterion_colours) and criterion groups, on screen and in the PDF's
# ranking bars; tiers on the map (cycled), the portfolio categories, the follow-up steps,
# single-series marks (the first colour).
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
# The muted grey of secondary marks (dominated points, committed objects, dependency arrows, the
# follow-up lines): the lightest grey with 4.5:1 contrast on white (WCAG AA for text).
MUTED_GREY = "#767676"
# One mid blue for single-series bars: the weights charts on screen and the PDF's unstacked ranking
# bars (contrast 4.6:1 on white and 4.1:1 on Streamlit's dark background).
WEIGHT_BAR_COLOUR = "#4C78A8"
# Rank buckets of the acceptability charts, screen and PDF: viridis at 0, 1/4, 1/2, 3/4, 1 (rank 1
# darkest, ordered in lightness, so the order reads without colour vision).
RANK_BUCKET_COLOURS = ("#440154", "#3B528B", "#21918C", "#5EC962", "#FDE725")

# --- fonts and chart text ------------------------------------------------------------------------

FONT_FAMILY = "DejaVu Sans"  # the PDFs' typeface and their charts' (embedded from exports/fonts)
CHART_FONT_SIZE = 14  # screen charts of the results and the workshop: legible on a projector
HEATMAP_FONT_SIZE = 16  # the workshop heatmap is read from the back of the room
TIMELINE_FONT_SIZE = 13  # charts along a time axis with many rows: the Gantt and the follow-up chart
CHART_TEXT_COLOUR = "#333333"  # axis and legend text: darker than Vega's default grey (12.6:1 on white)
TIMELINE_TEXT_COLOUR = "#31333F"  # Streamlit's text colour (12:1 on white), used by the Gantt chart

# --- Vega-Lite locales ---------------------------------------------------------------------------

# d3-format number locales: decimal comma and no-break spaces in Swedish
SV_NUMBER_LOCALE = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0kr"],
                    "percent": "\u00a0%"}
EN_NUMBER_LOCALE = {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["£", ""]}

# d3-time-format locales (sv-SE as published by d3; en-GB)
SV_TIME_LOCALE = {
    "dateTime": "%A den %d %B %Y %X", "date": "%Y-%m-%d", "time": "%H:%M:%S", "periods": ["fm", "em"],
    "days": ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
    "shortDays": ["sön", "mån", "tis", "ons", "tor", "fre", "lör"],
    "months": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
               "oktober", "november", "december"],
    "shortMonths": ["jan", "feb", "mars", "apr", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec"],
}
EN_TIME_LOCALE = {
    "dateTime": "%a %e %b %X %Y", "date": "%d/%m/%Y", "time": "%H:%M:%S", "periods": ["AM", "PM"],
    "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
    "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
    "months": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"],
    "shortMonths": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


# --- room for row labels on a narrow screen --------------------------------------------------------


def row_label_limit(widest: int) -> dict[str, str]:
    """A Vega-Lite ``labelLimit`` for the names beside a screen chart's rows: at most ``widest``
    pixels and at most 45 % of the chart's container, so that on a phone (390 px) the marks keep
    the larger part of the width; a longer name ends in "…" and stays whole in the tooltip. For
    charts drawn in the browser only (a PDF's chart has no container: give it a fixed limit)."""
    return {"expr": f"min({int(widest)}, max(90, containerSize()[0] * 0.45))"}


def legend_label_limit(wide: int) -> dict[str, str]:
    """A legend's ``labelLimit``: ``wide`` (0: none) on a wide screen; on a phone (below 600 px) the
    width right of the row names (:func:`row_label_limit`), where the legend starts, less a symbol,
    so that a long label ends in "…" instead of being cut off at the chart's edge."""
    return {"expr": f"containerSize()[0] < 600 ? max(90, containerSize()[0] * 0.55 - 40) : {int(wide)}"}


def legend_columns(wide: int) -> dict[str, str]:
    """A legend's ``columns``: ``wide`` on a wide screen, two below 1 000 px, one below 600 px (a
    phone), so that the legend is never wider than the chart."""
    return {"expr": f"containerSize()[0] < 600 ? 1 : containerSize()[0] < 1000 ? {min(2, int(wide))} : {int(wide)}"}
