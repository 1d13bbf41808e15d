"""Facilitator: the rounds in the database, creating one from a project file, exporting, status."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from prioritization import projectfile
from prioritization.errors import InputError
from prioritization.storage import rounds
from prioritization.storage.access import AccessDenied
from prioritization.ui import state
from prioritization.ui.state import tr


def render() -> None:
    st.title(tr("rounds.heading"))
    if msg := st.session_state.pop("flash", None):
        st.success(msg)
    db, actor = state.db(), state.actor()
    listed = rounds.list_rounds(db, actor)
    if not listed:
        st.info(tr("rounds.none"))
    else:
        st.dataframe(pd.DataFrame([{
            tr("rounds.col_name"): r.name, tr("rounds.col_status"): tr(f"status.{r.status}"),
            tr("rounds.col_objects"): r.n_objects, tr("rounds.col_criteria"): r.n_criteria,
            tr("rounds.col_participants"): r.n_participants} for r in listed]), hide_index=True, width="stretch")
        ids = [r.id for r in listed]
        if (pending := st.session_state.pop("rounds_pending_select", None)) in ids:
            st.session_state["round_select"] = pending  # before the widget exists in this run
        current = state.current_round_id()
        chosen = st.selectbox(tr("rounds.select"), ids, index=ids.index(current) if current in ids else 0,
                              format_func=lambda i: next(r.name for r in listed if r.id == i), key="round_select")
        st.session_state["round_id"] = chosen
        _status(db, actor, next(r for r in listed if r.id == chosen))
        project = rounds.export_project(db, actor, chosen)
        st.download_button(tr("rounds.export"), projectfile.dumps(project).encode("utf-8"),
                           file_name=f"omgang-{chosen}.json", mime="application/json", key="export_project")
    _import(db, actor)


def _status(db, actor, summary) -> None:
    st.subheader(tr("rounds.status_heading"))
    st.write(tr(f"status.{summary.status}"))
    options = rounds.TRANSITIONS[summary.status]
    new = st.selectbox(tr("rounds.status_change"), options, format_func=lambda s: tr(f"status.{s}"), key="new_status")
    if st.button(tr("rounds.status_apply"), key="apply_status"):
        try:
            rounds.set_status(db, actor, summary.id, new)
        except (InputError, AccessDenied) as e:
            st.error(state.error_text(e))
            return
        st.session_state["flash"] = tr("rounds.status_changed", status=tr(f"status.{new}"))
        st.rerun()


def _import(db, actor) -> None:
    st.subheader(tr("rounds.import_heading"))
    upload = st.file_uploader(tr("rounds.import_file"), type=["json"], key="import_upload")
    if upload is not None and st.button(tr("rounds.import_button"), key="import_button"):
        try:
            project = projectfile.loads(upload.getvalue(), require_complete=False)
            new_id = rounds.import_project(db, actor, project)
        except (InputError, AccessDenied) as e:
            st.error(state.error_text(e))
            return
        st.session_state["round_id"] = new_id
        st.session_state["rounds_pending_select"] = new_id
        st.session_state["flash"] = tr("rounds.imported", name=project.name)
        st.rerun()
