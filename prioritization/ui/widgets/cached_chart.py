"""Charts drawn from a cached Vega-Lite spec: build an Altair chart and make its spec once per identity.

Building an Altair chart and validating its spec against the Vega-Lite schema costs 10-100 ms; on a
page with several charts, or on the projector that redraws every few seconds, that would be most of
a rerun. The spec is made by the function ``st.altair_chart`` itself uses (data as Arrow, no row
limit, Altair's globals switched under Streamlit's lock), so the chart drawn is the same; only the
jsonschema validation is left out at run time (the same dict either way): every chart builder drawn
through here is validated where it is unit-tested (``chart.to_dict(validate=True)``). ``ident``
must name everything the chart depends on (the source's content key, weights, language, the object
chosen, ...): a chart whose inputs changed but whose ``ident`` did not would be drawn stale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import altair as alt
import streamlit as st

try:  # what st.altair_chart sends; private in Streamlit 1.67, hence the fallback in draw()
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec as _altair_spec
except ImportError:  # pragma: no cover
    _altair_spec = None


class _Unvalidated:
    """A chart as Streamlit's converter sees it: its ``to_dict`` without the schema validation."""

    def __init__(self, chart: alt.TopLevelMixin):
        self._chart = chart

    def to_dict(self, *args, **kwargs) -> dict:
        kwargs["validate"] = False
        return self._chart.to_dict(*args, **kwargs)


def unvalidated_spec(chart: alt.TopLevelMixin) -> dict:
    """The Vega-Lite spec ``st.altair_chart`` would send for ``chart``, made without validation."""
    return _altair_spec(cast(Any, _Unvalidated(chart)))  # the converter only calls to_dict()


@st.cache_resource(max_entries=128, show_spinner=False)
def spec(ident: tuple, _build: Callable[[], alt.TopLevelMixin]) -> dict:
    """The Vega-Lite spec of a chart, built once per ``ident``."""
    return unvalidated_spec(_build())


def draw(ident: tuple, build: Callable[[], alt.TopLevelMixin], alt_text: str, width: str = "stretch") -> None:
    """Draw a chart from its cached spec; ``alt_text`` is its accessible name (a sentence)."""
    if _altair_spec is None:  # a Streamlit without the converter: build and draw every time
        st.altair_chart(build(), width=width, alt=alt_text)
    else:
        st.vega_lite_chart(spec=spec(ident, build), width=width, alt=alt_text)
