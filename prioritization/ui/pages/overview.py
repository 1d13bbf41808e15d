"""The ranking of the current round (read-only). The full committee dashboard comes later; this
page already goes through the same storage and analysis layers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from prioritization import analysis, i18n
from prioritization.errors import InputError
from prioritization.exports import VersionStamp
from prioritization.storage import rounds
from prioritization.storage.access import AccessDenied
from prioritization.ui import downloads, state
from prioritization.ui.state import tr


def render() -> None:
    st.title(tr("app.title"))
    db, actor = state.db(), state.actor()
    rid = state.round_id_or_first(db, actor)
    if rid is None:
        st.info(tr("overview.no_round"))
        return
    try:
        project = rounds.export_project(db, actor, rid)
    except AccessDenied:
        st.info(tr("overview.not_released"))
        return
    if project.data_label:
        st.warning(tr("overview.example_label", label=project.data_label), icon="ℹ️")
    st.subheader(project.name)
    try:
        ranking = analysis.rank(project)
    except InputError as e:
        st.info(tr("overview.incomplete", reason=str(e)))
        return
    lang = state.lang()
    st.dataframe(pd.DataFrame([{tr("overview.col_rank"): x.rank, tr("overview.col_object"): x.object.name,
                                tr("overview.col_score"): i18n.number(100 * x.score, lang, 1)} for x in ranking.ranked]),
                 hide_index=True, width="stretch")
    if ranking.committed:
        st.markdown(f"**{tr('overview.committed')}**")
        for o in ranking.committed:
            st.markdown(f"- {o.name}")
    _downloads(project, ranking)
    with st.expander(tr("overview.weights")):
        st.dataframe(pd.DataFrame([{tr("overview.col_criterion"): c.name,
                                    tr("overview.col_weight"): i18n.number(100 * w, lang, 1)}
                                   for c, w in zip(project.criteria, ranking.weights)]),
                     hide_index=True, width="stretch")


def _downloads(project, ranking) -> None:
    """Excel, CSV and the PDF decision document; built only when a button is clicked."""
    st.subheader(tr("overview.downloads"))
    st.caption(tr("overview.downloads_caption"))
    items = downloads.downloads(project, ranking, VersionStamp.live(project), state.lang())
    for col, item in zip(st.columns(len(items)), items):
        col.download_button(tr(f"overview.download_{item.kind}"), data=item.build, file_name=item.file_name,
                            mime=item.mime, key=f"overview_download_{item.kind}", on_click="ignore")
