"""Streamlit entry point: page configuration and navigation only."""

import streamlit as st

from prioritization.ui.shell import navigation

st.set_page_config(page_title="Prioritering – Södertörn", layout="wide")
navigation.run()
