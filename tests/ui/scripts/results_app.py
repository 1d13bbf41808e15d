"""AppTest harness for one results page (dashboard, sensitivity or portfolio), chosen by the
session-state key "page": the page's render() runs alone, without navigation."""

import importlib

import streamlit as st

importlib.import_module(f"prioritization.ui.results.{st.session_state.get('page', 'overview')}").render()
