"""Placeholder: being built."""

import streamlit as st

from prioritization.ui import results, state
from prioritization.ui.state import tr


def render() -> None:
    st.title(tr("nav.sensitivity"))
    results.choose(state.db(), state.actor())
