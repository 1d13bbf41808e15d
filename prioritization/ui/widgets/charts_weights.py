"""Chart builders for the weights pages (pure: data in, ``alt.Chart`` out; no Streamlit).

Bars are one mid blue (#4C78A8, contrast 4.6:1 on white and 4.1:1 on Streamlit's dark background,
above the 3:1 WCAG 1.4.11 asks for graphics) with the value printed next to each bar in the
theme's text colour, so no information is carried by colour, and criteria keep
their input order (no re-sorting). The pages show the same numbers in a table as the text
alternative.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from prioritization import i18n
from prioritization.report.theme import EN_NUMBER_LOCALE, SV_NUMBER_LOCALE, row_label_limit
from prioritization.report.theme import WEIGHT_BAR_COLOUR as BAR_COLOUR


def weights_frame(names: Sequence[str], weights: Sequence[float], lang: str = "sv") -> pd.DataFrame:
    """criterion, weight (fraction of 1), label (the weight as a localised percentage, 1 decimal)."""
    if len(names) != len(weights):
        raise ValueError("one weight per criterion")
    return pd.DataFrame({"criterion": list(names), "weight": [float(w) for w in weights],
                         "label": [i18n.percent(float(w), lang, 1) for w in weights]})


def weights_bar_chart(names: Sequence[str], weights: Sequence[float], *, axis_title: str,
                      lang: str = "sv") -> alt.LayerChart:
    """Horizontal bars of the weights in criteria order, each labelled with its percentage."""
    data = weights_frame(names, weights, lang)
    base = alt.Chart(data).encode(
        y=alt.Y("criterion:N", sort=list(dict.fromkeys(names)), title=None,
                axis=alt.Axis(labelLimit=row_label_limit(320), labelFontSize=13)),
        x=alt.X("weight:Q", title=axis_title, axis=alt.Axis(format=".0%", labelFontSize=12, titleFontSize=13),
                scale=alt.Scale(domain=[0, max(0.05, float(data["weight"].max()) * 1.2)])),
    )
    bars = base.mark_bar(color=BAR_COLOUR).encode(
        tooltip=[alt.Tooltip("criterion:N", title=None), alt.Tooltip("label:N", title=axis_title)])
    text = base.mark_text(align="left", dx=4, fontSize=13).encode(text="label:N")
    locale = SV_NUMBER_LOCALE if lang == "sv" else EN_NUMBER_LOCALE
    # a per-row step, not a pixel height: Streamlit 1.67 squeezes layered charts with a fixed height
    return alt.layer(bars, text).properties(height=alt.Step(28)).configure(locale={"number": locale})
