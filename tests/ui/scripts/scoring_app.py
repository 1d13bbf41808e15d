"""AppTest harness for the scoring page: the test puts the actor and language in session state.

AppTest does not fire ``st.data_editor``'s on_change callback for a seeded delta, so a test that
seeds the grid's delta also sets ``_test_fire_grid_change``; the harness then calls the page's
callback first, exactly where Streamlit would (before the script body runs).
"""

import streamlit as st

from prioritization.ui.pages import scoring

if st.session_state.pop("_test_fire_grid_change", False):
    scoring.on_grid_change()
scoring.render()
