"""Facilitator: the rounds in the database, creating one from a project file, exporting, status."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from prioritization import projectfile, safe_text, text_rules
from prioritization.errors import InputError
from prioritization.storage import rounds
from prioritization.storage.access import AccessDenied
from prioritization.timeline import milestones as milestone_format
from prioritization.timeline.template import MAX_YEAR, MIN_YEAR, default_plan_year, round_template
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr


def render() -> None:
    st.title(tr("rounds.heading"), anchor=False)
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
        ss = st.session_state
        # the choice is set through session state only (a default as well would make Streamlit warn
        # with a stack trace, issue 11 #14), before the widget exists in this run
        if (pending := ss.pop("rounds_pending_select", None)) in ids:
            ss["round_select"] = pending
        elif ss.get("round_select") not in ids:
            current = state.current_round_id()
            ss["round_select"] = current if current in ids else ids[0]
        chosen = st.selectbox(tr("rounds.select"), ids, format_func=lambda i: next(r.name for r in listed if r.id == i),
                              key="round_select")
        st.session_state["round_id"] = chosen
        _status(db, actor, next(r for r in listed if r.id == chosen))
        project = rounds.export_project(db, actor, chosen)
        st.download_button(tr("rounds.export"), projectfile.dumps(project).encode("utf-8"),
                           file_name=f"omgang-{chosen}.json", mime="application/json", key="export_project")
        _new_round(db, actor, listed, chosen)
    _import(db, actor)


def _new_round(db, actor, listed, chosen: int) -> None:
    """Next year's round (issue 11 #9): the set-up of a round without its scores, here where a
    facilitator looks for it; the timeline from the plan-round template or as it was."""
    st.subheader(tr("rounds.new_heading"), anchor=False)
    st.markdown(tr("rounds.new_intro"))
    names = {r.id: r.name for r in listed}
    # the round worked with is the one offered to copy, also after "Arbeta med omgång" changes
    ss = st.session_state
    if ss.get("_rounds_new_source_for") != chosen or ss.get("rounds_new_source") not in names:
        ss["rounds_new_source"] = chosen
        ss["_rounds_new_source_for"] = chosen
    source = st.selectbox(tr("rounds.new_source"), list(names), format_func=names.get, key="rounds_new_source")
    name = st.text_input(tr("rounds.new_name"), key="rounds_new_name", max_chars=text_rules.MAX_NAME)
    people = st.checkbox(tr("rounds.new_participants"), value=True, key="rounds_new_participants")
    plan_year = st.number_input(tr("rounds.new_plan_year"), min_value=MIN_YEAR, max_value=MAX_YEAR,
                                value=default_plan_year(date.today()), step=1, key="rounds_new_plan_year",
                                help=tr("rounds.new_plan_year_help"))
    if not st.button(tr("rounds.new_button"), key="rounds_new_button", type="primary"):
        return
    try:
        new_id = rounds.copy_round(db, actor, source, name, participants=people,
                                   milestones=milestone_format.to_data(round_template(int(plan_year))))
    except (InputError, AccessDenied) as e:
        st.error(state.error_text(e))
        return
    st.session_state["round_id"] = new_id
    st.session_state["rounds_pending_select"] = new_id
    st.session_state.pop("rounds_new_name", None)
    st.session_state["flash"] = tr("rounds.new_created", name=safe_text.md_name(name.strip()),
                                   source=safe_text.md_name(names[source]))
    st.rerun()


def _status(db, actor, summary) -> None:
    st.subheader(tr("rounds.status_heading"), anchor=False)
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
    st.subheader(tr("rounds.import_heading"), anchor=False)
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
        st.session_state["flash"] = tr("rounds.imported", name=safe_text.md_name(project.name))
        st.rerun()
