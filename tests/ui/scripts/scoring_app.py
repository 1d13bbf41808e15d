"""AppTest harness for the scoring page: the test puts the actor and language in session state.

AppTest does not fire ``st.data_editor``'s on_change callback for a seeded delta, so a test that
seeds the grid's delta puts it in ``_test_grid_delta``; the harness then calls the page's callback
with the grid as last drawn, exactly where Streamlit would (before the script body runs).
``_test_fire_cell`` = (Cell, value) fires a cell's callback as a click on a widget drawn earlier would.
"""

import streamlit as st

from prioritization.ui.workshop import scoring

if (fire := st.session_state.pop("_test_fire_cell", None)) is not None:
    # a click arriving on a widget drawn earlier (the browser had not got the redraw yet)
    cell, value = fire
    st.session_state[cell.key] = value
    scoring.on_value_change(cell)
if (delta := st.session_state.pop("_test_grid_delta", None)) is not None:
    scoring.on_grid_change(st.session_state[scoring.GRID_LAYOUT_KEY], delta)
scoring.render()
