"""Charts drawn from a cached Vega-Lite spec: build and validate an Altair chart once per identity.

Building and validating an Altair chart costs 10-40 ms; on a page with several charts, or on the
projector that redraws every few seconds, that would be most of a rerun. The spec is made by the
function ``st.altair_chart`` itself uses (data as Arrow, no row limit, Altair's globals switched
under Streamlit's lock), so the chart drawn is the same. ``ident`` must name everything the chart
depends on (source revision, weights, language, ...).
"""

from __future__ import annotations

from collections.abc import Callable

import altair as alt
import streamlit as st

try:  # what st.altair_chart sends; private in Streamlit 1.67, hence the fallback in draw()
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec as _altair_spec
except ImportError:  # pragma: no cover
    _altair_spec = None


@st.cache_resource(max_entries=128, show_spinner=False)
def spec(ident: tuple, _build: Callable[[], alt.TopLevelMixin]) -> dict:
    """The Vega-Lite spec of a chart, built and validated once per ``ident``."""
    return _altair_spec(_build())


def draw(ident: tuple, build: Callable[[], alt.TopLevelMixin], alt_text: str, width: str = "stretch") -> None:
    """Draw a chart from its cached spec; ``alt_text`` is its accessible name (a sentence)."""
    if _altair_spec is None:  # a Streamlit without the converter: build and draw every time
        st.altair_chart(build(), width=width, alt=alt_text)
    else:
        st.vega_lite_chart(spec=spec(ident, build), width=width, alt=alt_text)
