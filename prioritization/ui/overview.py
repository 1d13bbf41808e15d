"""A first read-only page: the ranking of the project the app was started with.

The workshop, dashboard and timeline pages arrive with the app issues; this page already goes
through the same analysis layer they will use.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from prioritization import analysis, projectfile
from prioritization.errors import InputError

DEFAULT_PROJECT = Path(__file__).resolve().parents[2] / "data" / "sodertorn-exempel.json"


def project_path() -> Path:
    return Path(os.environ.get("PRIORITIZATION_PROJECT", DEFAULT_PROJECT))


@st.cache_data(show_spinner=False)
def _load(path: str, mtime: float):
    return projectfile.load(path)


def render() -> None:
    path = project_path()
    try:
        project = _load(str(path), path.stat().st_mtime)
        ranking = analysis.rank(project)
    except (InputError, OSError) as e:
        st.error(f"Projektfilen kunde inte läsas: {e}")
        return
    st.title("Prioritering av transportinfrastruktur – Södertörn")
    if project.data_label:
        st.warning(f"**{project.data_label}**: poäng, vikter och vissa uppgifter är påhittade för att visa verktyget. "
                   "De är inte en bedömning av objekten.", icon="ℹ️")
    st.subheader(project.name)
    names = {c.id: c.name for c in project.criteria}
    table = pd.DataFrame(
        [{"Rang": x.rank, "Objekt": x.object.name, "Poäng (0–100)": round(100 * x.score, 1)} for x in ranking.ranked]
    )
    st.dataframe(table, hide_index=True, width="stretch")
    if ranking.committed:
        st.markdown("**Redan prioriterade – bevakas** (rangordnas inte)")
        for o in ranking.committed:
            st.markdown(f"- {o.name}")
    with st.expander("Kriterier och vikter"):
        st.dataframe(
            pd.DataFrame([{"Kriterium": names[c.id], "Vikt (%)": round(100 * w, 1)}
                          for c, w in zip(project.criteria, ranking.weights)]),
            hide_index=True, width="stretch",
        )
