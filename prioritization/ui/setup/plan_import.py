"""Facilitator: import a plan's object list (the national plan's Bilaga 1 or a region's list) into
the round's objects' plan references, with a change report shown before anything is written.

Flow: state the plan (NP/LP), the period, the date of the decision and the source; upload the list
(XLSX/CSV, read by :mod:`prioritization.imports.plan_list`); see every problem by row (a list with
errors changes nothing); confirm the suggested name matches for rows without a known Objekt ID; read
the change report (:mod:`prioritization.planning.plan_changes`) as a sentence and a table per kind;
then "Tillämpa ändringarna" writes the references and the follow-up in one audited transaction
(:func:`prioritization.storage.plan_import.apply`, with the row version the page was drawn at) or
"Avbryt" forgets the upload and changes nothing.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime

import streamlit as st

from prioritization import i18n, safe_text
from prioritization.errors import InputError, ProjectFileError
from prioritization.imports.plan_list import PlanListResult, parse_plan_list
from prioritization.planning import plan_changes as pc
from prioritization.planning.vocab import PLANS
from prioritization.report.planning import label
from prioritization.storage import plan_import, rounds
from prioritization.storage.access import AccessDenied
from prioritization.ui.setup import plan_import_logic as logic
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr
from prioritization.ui.widgets.import_issues import issue_table
from prioritization.ui.widgets.setup_page import open_setup_page
from prioritization.ui.widgets.table_editing import flash

K = "plan_import"  # prefix of this page's session-state keys and messages
MAX_UPLOAD_MB = 10  # the reader itself refuses files over 5 MB with a Swedish message
MIN_DATE, MAX_DATE = date(1990, 1, 1), date(2100, 12, 31)


def render() -> None:
    if (opened := open_setup_page(K)) is None:
        return
    db, actor, summary = opened
    flash(K)
    st.markdown(tr("plan_import.intro"))
    lang = state.lang()
    left, right = st.columns(2)
    plan = left.radio(tr("plan_import.plan"), PLANS, key=f"{K}_plan", horizontal=True,
                      format_func=lambda p: label("plan", p, lang))
    period = right.text_input(tr("plan_import.period"), value=logic.DEFAULT_PERIOD, key=f"{K}_period",
                              help=tr("plan_import.period_help"))
    left, right = st.columns(2)
    today = _today()
    decided = left.date_input(tr("plan_import.decided"), value=today, min_value=MIN_DATE, max_value=MAX_DATE,
                              key=f"{K}_decided", format="YYYY-MM-DD", help=tr("plan_import.decided_help"))
    source = right.text_input(tr("plan_import.source"), key=f"{K}_source", help=tr("plan_import.source_help"))
    upload = st.file_uploader(tr("plan_import.file"), type=["csv", "xlsx"], max_upload_size=MAX_UPLOAD_MB,
                              key=f"{K}_file_{st.session_state.get(f'{K}_gen', 0)}", help=tr("plan_import.file_help"))
    if upload is None:
        return
    problems = logic.setting_problems(period, source, decided, today)
    if problems:
        st.error("\n\n".join(tr(p) for p in problems))
        return
    result = _parse(upload.getvalue(), upload.name, plan)
    _issues(result)
    if not result.ok:
        st.error(tr("plan_import.not_ok", n=len(result.errors)))
        return
    if not result.rows:
        st.info(tr("plan_import.no_rows"))
        return
    try:
        project = rounds.setup_project(db, actor, summary.id)
    except (InputError, AccessDenied) as e:
        st.error(state.error_text(e))
        return
    src = pc.ImportSource(plan, logic.normal_period(period), decided, source.strip())
    confirmed = _name_matches(pc.name_suggestions(result.rows, project.objects))
    report = pc.report(result.rows, project.objects, src, confirmed=confirmed)
    recording = pc.steps_to_record(report, project.follow_up)
    _report(report, recording)
    _buttons(db, actor, summary, report, len(recording))


def _today() -> date:
    """Today in Stockholm, or ``st.session_state["today"]`` (a date or ISO text; tests)."""
    value = st.session_state.get("today")
    if isinstance(value, str):
        return date.fromisoformat(value)
    return value if isinstance(value, date) else datetime.now(i18n.TIME_ZONE).date()


def _parse(data: bytes, filename: str, plan: str) -> PlanListResult:
    """The read list, remembered for the current upload (Streamlit reruns on every click)."""
    key = (hashlib.sha256(data).hexdigest(), filename, plan)
    cached = st.session_state.get(f"{K}_parsed")
    if cached is None or cached[0] != key:
        cached = (key, parse_plan_list(data, filename, plan=plan))
        st.session_state[f"{K}_parsed"] = cached
    return cached[1]




def _issues(result: PlanListResult) -> None:
    if result.errors:
        st.dataframe(issue_table(result.errors), hide_index=True, width="stretch", key=f"{K}_errors")
    if result.warnings:
        st.warning(tr("plan_import.warnings", n=len(result.warnings)))
        st.dataframe(issue_table(result.warnings), hide_index=True, width="stretch", key=f"{K}_warnings")


def _name_matches(suggestions: list[pc.NameMatch]) -> dict[int, str]:
    """The name suggestions as checkboxes (none checked at first); the confirmed ones."""
    if not suggestions:
        return {}
    lang = state.lang()
    st.subheader(tr("plan_import.matches_heading"), anchor=False)
    st.caption(tr("plan_import.matches_intro"))
    checked = {(m.row.row, m.object_id) for m in suggestions
               if st.checkbox(safe_text.md_label(logic.match_label(m, lang)), key=f"{K}_match_{m.row.row}_{m.object_id}")}
    confirmed, twice = logic.confirmed_matches(suggestions, checked)
    if twice:
        st.warning(tr("plan_import.matched_twice", rows=", ".join(map(str, twice))))
    return confirmed


def _report(report: pc.Report, recording: dict[str, str]) -> None:
    lang = state.lang()
    st.subheader(tr("plan_import.report_heading"), anchor=False)
    st.markdown(safe_text.md(logic.summary_text(report, recording, lang)))
    for kind in pc.KINDS:
        changes = report.of_kind(kind)
        if not changes:
            continue
        st.markdown(f"**{tr(f'plan_import.kind.{kind}', n=len(changes))}**")
        st.dataframe(logic.change_table(changes, recording, lang), hide_index=True, width="stretch", key=f"{K}_table_{kind}")
    if report.conflicts:
        st.warning(tr("plan_import.conflicts", rows=", ".join(str(r.row) for r, _oid in report.conflicts)))
    if report.absent:
        st.markdown(f"**{tr('plan_import.absent_heading', n=len(report.absent))}**")
        st.caption(tr("plan_import.absent_note"))
        st.dataframe(logic.absent_table(report, lang), hide_index=True, width="stretch", key=f"{K}_absent")
    if report.unmatched:
        names = ", ".join(r.label for r in report.unmatched[:10]) + (" …" if len(report.unmatched) > 10 else "")
        st.caption(tr("plan_import.unmatched", n=len(report.unmatched), names=safe_text.md(names)))
        with st.expander(tr("plan_import.unmatched_table", n=len(report.unmatched))):
            st.dataframe(logic.unmatched_table(report, lang), hide_index=True, width="stretch", key=f"{K}_unmatched")


def _forget_upload() -> None:
    st.session_state[f"{K}_gen"] = st.session_state.get(f"{K}_gen", 0) + 1
    st.session_state.pop(f"{K}_parsed", None)


def _buttons(db, actor, summary, report: pc.Report, steps: int) -> None:
    left, right = st.columns(2)
    apply = left.button(tr("plan_import.apply"), key=f"{K}_apply", type="primary", disabled=report.is_empty,
                        width="stretch")
    cancel = right.button(tr("plan_import.cancel"), key=f"{K}_cancel", width="stretch")
    if cancel:
        _forget_upload()
        flash(K, tr("plan_import.cancelled"))
        st.rerun()
    if not apply:
        return
    if report.is_empty:  # checked again: the disabled state lives in the browser
        st.info(tr("plan_import.summary_nothing"))
        return
    try:
        plan_import.apply(db, actor, summary.id, report, summary.row_version)
    except ProjectFileError as e:
        st.error(tr("plan_import.not_applied") + "\n\n" + "\n".join(f"- {safe_text.md(str(p))}" for p in e.problems))
        return
    except (InputError, AccessDenied) as e:  # StaleWrite is an InputError
        st.error(state.error_text(e))
        return
    _forget_upload()
    flash(K, tr("plan_import.applied", n=len(report.writes), steps=steps))
    st.rerun()
