"""The audit log (facilitator only): who changed what, when, old -> new value; filter, page, export.

``audit.entries`` and ``audit.export_csv`` refuse anyone but the facilitator; this page also says so
in plain words instead of showing nothing.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from prioritization.errors import InputError
from prioritization.storage import audit, rounds
from prioritization.storage.access import FACILITATOR, AccessDenied
from prioritization.ui.process import versions_logic as logic
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr

PAGE_SIZE = 100
ALL = -1  # the scope selectbox's value for "all rounds"


def render() -> None:
    st.title(tr("audit.heading"), anchor=False)
    db, actor = state.db(), state.actor()
    if actor is None or actor.role != FACILITATOR:
        st.error(tr("audit.facilitator_only"))
        return
    lang = state.lang()
    try:
        listed = rounds.list_rounds(db, actor)
        round_names = {r.id: r.name for r in listed}
        scope = _scope(listed)
        round_id = None if scope == ALL else scope
        entries = audit.entries(db, actor, round_id)
        names = {r.id: logic.names_from_document(rounds.setup_document(db, actor, r.id), lang)
                 for r in listed if round_id is None or r.id == round_id}
        csv = audit.export_csv(db, actor, round_id)
    except (InputError, AccessDenied) as e:
        st.error(state.error_text(e))
        return
    st.write(tr("audit.intro"))
    st.download_button(tr("audit.export"), csv, key="audit_export", mime="text/csv",
                       file_name="granskningslogg.csv" if round_id is None else f"granskningslogg-omgang-{round_id}.csv",
                       help=tr("audit.export_help"))
    rows = logic.audit_rows(entries, lang, names)
    if not rows:
        st.info(tr("audit.none"))
        return
    shown = _filtered(rows)
    st.caption(tr("audit.count", shown=len(shown), total=len(rows)))
    if not shown:
        st.info(tr("audit.no_match"))
        return
    _table(shown, round_names if round_id is None else None)


def _scope(listed) -> int:
    ids = [r.id for r in listed]
    options = ids + [ALL]
    if st.session_state.get("audit_scope") not in options:
        current = state.current_round_id()
        st.session_state["audit_scope"] = current if current in ids else (ids[0] if ids else ALL)
    names = {r.id: r.name for r in listed}
    return st.selectbox(tr("audit.scope"), options, key="audit_scope",
                        format_func=lambda i: tr("audit.scope_all") if i == ALL else names[i])


def _filtered(rows: list[logic.AuditRow]) -> list[logic.AuditRow]:
    labels = {r.action: r.action_label for r in rows}
    actions_sorted = sorted(labels, key=lambda a: labels[a].casefold())
    who_sorted = sorted({r.who for r in rows}, key=str.casefold)
    for key, options in (("audit_actions", actions_sorted), ("audit_who", who_sorted)):
        kept = [x for x in st.session_state.get(key, []) if x in options]
        if kept != st.session_state.get(key, []):
            st.session_state[key] = kept  # drop choices the current scope no longer has
    c1, c2, c3 = st.columns(3)
    with c1:
        actions = st.multiselect(tr("audit.filter_action"), actions_sorted, key="audit_actions",
                                 format_func=lambda a: labels[a], placeholder=tr("audit.filter_all"))
    with c2:
        who = st.multiselect(tr("audit.filter_who"), who_sorted, key="audit_who", placeholder=tr("audit.filter_all"))
    with c3:
        text = st.text_input(tr("audit.filter_text"), key="audit_text", help=tr("audit.filter_text_help"))
    return logic.filter_rows(rows, actions, who, text)


def _table(rows: list[logic.AuditRow], round_names: dict[int, str] | None) -> None:
    _, pages = logic.page_of(rows, 1, PAGE_SIZE)
    page = 1
    if pages > 1:
        if not 1 <= st.session_state.get("audit_page", 1) <= pages:
            st.session_state["audit_page"] = 1  # the filter left fewer pages
        page = int(st.number_input(tr("audit.page", pages=pages), min_value=1, max_value=pages, step=1,
                                   key="audit_page"))
    part, _ = logic.page_of(rows, page, PAGE_SIZE)
    first = (min(page, pages) - 1) * PAGE_SIZE + 1
    if pages > 1:
        st.caption(tr("audit.page_info", first=first, last=first + len(part) - 1, total=len(rows)))

    def record(r: logic.AuditRow) -> dict:
        d = {tr("audit.col_time"): r.time, tr("audit.col_who"): r.who, tr("audit.col_action"): r.action_label,
             tr("audit.col_what"): r.what, tr("audit.col_old"): r.old, tr("audit.col_new"): r.new}
        if round_names is not None:
            d[tr("audit.col_round")] = round_names.get(r.round_id, "–") if r.round_id is not None else "–"
        return d

    st.dataframe(pd.DataFrame([record(r) for r in part]), hide_index=True, width="stretch", key="audit_table")
