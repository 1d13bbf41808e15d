"""Test harness for the workshop projector page: the test sets ``actor`` (and optionally
``round_id``, ``lang``) in session state; ``workshop_test_body`` = True calls the live panel body
directly (AppTest never ticks ``run_every``)."""

import streamlit as st

from prioritization.ui.shell import state
from prioritization.ui.workshop import workshop

st.session_state.setdefault("lang", "sv")
if st.session_state.get("workshop_test_body"):
    db, actor = state.db(), state.actor()
    rid = state.current_round_id()
    project = workshop.rounds.export_project(db, actor, rid)
    workshop.live_panel(db, actor, rid, workshop.Labels.of(project, state.lang()),
                        st.session_state.get("workshop_test_measure", "iqr"),
                        st.session_state.get("workshop_test_show_hidden", False))
else:
    workshop.render()
