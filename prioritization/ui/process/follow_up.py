"""Follow-up (bevakning) after the decision: where each prioritised object stands.

Everyone with access to the round sees every followed-up object (committed objects and objects
with a follow-up track): an overview with the latest step, who follows it up and a flag for
objects with no new step for a long time, the steps over time (chart, with the steps as a table
for a text alternative), the roll-up per municipality and phase (table, then a chart with its text
alternative) and each object's track in words with its history (newest first, Stockholm time).

The facilitator updates the live round here: record or remove a step, name the responsible, start
and stop following an object up, or update many objects at once from a CSV/Excel file (a preview of
the rows, then "Tillämpa" stores all of them or none, "Avbryt" drops the file). Every change goes
through ``prioritization.storage.timeline``
(one audited transaction each) with the ``row_version`` read when the page was drawn, so a change
made by someone else in between gives a clear "reload" message instead of being overwritten.
"Today" comes from ``st.session_state["today"]`` if set (tests), else the current date.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd
import streamlit as st

from prioritization import safe_text
from prioritization.errors import InputError
from prioritization.imports.follow_up_csv import FollowUpImport, parse_follow_up_file, template_csv
from prioritization.model import Project
from prioritization.report import follow_up as view
from prioritization.report import follow_up_rollup as rollup
from prioritization.report.result_text import object_name
from prioritization.storage import rounds
from prioritization.storage import timeline as store
from prioritization.storage.access import FACILITATOR, AccessDenied
from prioritization.timeline.follow_up import STEP_PRECISIONS, STEPS, FollowUpStep
from prioritization.timeline.labels import step_label, step_when
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr
from prioritization.ui.widgets.import_issues import issue_table

K = "follow_up"  # prefix of this page's session-state keys
MIN_DATE, MAX_DATE = date(1950, 1, 1), date(2100, 12, 31)
MAX_UPLOAD_MB = 5  # as the object import (imports.messages.MAX_BYTES)


def render() -> None:
    st.title(tr("followup.heading"), anchor=False)
    def load(d, a, r):
        read = store.state(d, a, r)  # first: its row_version guards every edit below
        return read, dataclasses.replace(rounds.setup_project(d, a, r), follow_up=read.follow_up)

    opened = state.open_round("followup.no_round", load)
    if opened is None:
        return
    actor, rid, info, (read, project) = opened
    lang = state.lang()
    st.caption(tr("followup.round", name=safe_text.md(info["name"])))
    st.write(tr("followup.intro"))
    from prioritization.ui.widgets import reevaluation_section  # objects flagged "Omprövas" (issue 14)
    reevaluation_section.render(state.db(), actor, rid, where="follow_up", settings=True)
    limit = int(st.number_input(tr("followup.stale_months"), min_value=1, max_value=240,
                                value=view.STALE_MONTHS, step=1, key=f"{K}_stale_months",
                                help=tr("followup.stale_months_help")))
    now = view.today_from(st.session_state)
    latest = view.latest_step_rows(project, lang, now, limit)
    if latest.empty:
        st.info(tr("followup.none"))
    else:
        _overview(latest, limit)
        _chart(project, latest, now)
        _rollup(project)
        _tracks(project, latest, limit)
    if actor.role == FACILITATOR:
        _editor(project, rid, read.row_version, now)
    else:
        st.caption(tr("followup.readonly"))


# ------------------------------------------------------------------------------ reading


def _overview(latest: pd.DataFrame, limit: int) -> None:
    st.subheader(tr("followup.overview_heading"), anchor=False)
    stale = latest[latest["stale"]]
    lines = [tr("followup.summary", n=len(latest))]
    if not stale.empty:
        lines.append(tr("followup.summary_stale", n=len(stale), limit=limit, items=", ".join(map(safe_text.md_name, stale["object"]))))
    st.markdown(" ".join(lines))
    st.dataframe(pd.DataFrame({
        tr("overview.col_object"): latest["object"],
        tr("followup.col_latest"): latest["step"],
        tr("followup.col_date"): latest["when"],
        tr("followup.col_responsible"): latest["responsible"],
        tr("followup.col_flag"): [tr("followup.flag_stale", months=r.months_since) if r.stale else view.NONE
                                  for r in latest.itertuples()],
    }), hide_index=True, width="stretch", key=f"{K}_overview_table")


def _steps_table(steps: pd.DataFrame, with_object: bool) -> pd.DataFrame:
    columns = {"step": tr("followup.col_step"), "when": tr("followup.col_date"),
               "note": tr("followup.col_note"), "source": tr("followup.col_source")}
    if with_object:
        columns = {"object": tr("overview.col_object"), **columns}
    return steps[list(columns)].rename(columns=columns)


def _chart(project: Project, latest: pd.DataFrame, now: date) -> None:
    steps = view.step_rows(project, state.lang())
    if steps.empty:
        return
    st.altair_chart(view.steps_chart(steps, list(latest["object"]), now, state.lang()), width="stretch",
                    alt=tr("followup.chart_alt", steps=len(steps), n=steps["object"].nunique()))
    with st.expander(tr("followup.chart_table")):
        st.dataframe(_steps_table(steps, with_object=True), hide_index=True, width="stretch")


def _rollup(project: Project) -> None:
    """Objects and MSEK per municipality and phase: the sentence saying what is counted (shared
    objects in each municipality's row, once in the total), the table, then the chart."""
    lang = state.lang()
    st.subheader(tr("followup.rollup.heading"), anchor=False)
    st.markdown(safe_text.md(rollup.rollup_sentence(project, lang)))
    st.dataframe(rollup.rollup_table(project, lang), hide_index=True, width="stretch", key=f"{K}_rollup_table")
    st.altair_chart(rollup.rollup_chart(project, lang), width="stretch", alt=rollup.chart_alt(project, lang))


def _history(track) -> None:
    """A track's history, newest first, times in Stockholm (the heading says so)."""
    lang = state.lang()
    rows = view.history_rows(track, lang)
    label = tr("followup.history_heading", n=len(rows))
    with st.expander(label):
        if rows.empty:
            st.caption(tr("followup.history.none"))
            return
        columns = {"time": tr("followup.history.col_at", zone=tr("time.zone")), "by": tr("followup.history.col_by"),
                   "action": tr("followup.history.col_action"), "step": tr("followup.col_step"),
                   "when": tr("followup.col_date"), "note": tr("followup.col_note"),
                   "source": tr("followup.col_source")}
        st.dataframe(rows[list(columns)].rename(columns=columns), hide_index=True, width="stretch",
                     key=f"{K}_history_{track.object}")


def _tracks(project: Project, latest: pd.DataFrame, limit: int) -> None:
    lang = state.lang()
    steps = view.step_rows(project, lang)
    for row in latest.itertuples():
        track = project.follow_up_of(row.object_id)
        with st.container(border=True):
            st.subheader(safe_text.md(row.object), anchor=False)
            if track is None:
                st.info(tr("followup.not_tracked"))
                continue
            st.markdown(view.latest_sentence(track, lang))
            st.caption(tr("followup.responsible", name=safe_text.md_name(track.responsible)) if track.responsible
                       else tr("followup.no_responsible"))
            if row.stale:
                st.warning(tr("followup.stale", months=row.months_since, limit=limit))
            if track.note:
                st.caption(tr("followup.track_note", note=safe_text.md_name(track.note)))
            mine = steps[steps["object_id"] == row.object_id]
            if not mine.empty:
                st.dataframe(_steps_table(mine, with_object=False), hide_index=True, width="stretch")
            _history(track)


# ------------------------------------------------------------------------------ editing (facilitator)


def _say(where: str, kind: str, text: str) -> None:
    st.session_state[f"{K}_msg"] = (where, kind, text)


def _show(where: str) -> None:
    msg = st.session_state.get(f"{K}_msg")
    if msg and msg[0] == where:
        del st.session_state[f"{K}_msg"]
        {"success": st.success, "info": st.info}.get(msg[1], st.error)(msg[2])


def _write(where: str, action, success: str) -> bool:
    """Run one storage write; a Swedish message either way. Storage writes all or nothing."""
    try:
        action()
    except (InputError, AccessDenied) as e:  # StaleWrite included: "changed by someone else, reload"
        _say(where, "error", state.error_text(e))
        return False
    _say(where, "success", success)
    return True


def _names(project: Project) -> dict[str, str]:
    lang = state.lang()
    return {o.id: object_name(o, lang) for o in project.objects}


def _do_record(project: Project, round_id: int, row_version: int) -> None:
    ss, lang = st.session_state, state.lang()
    oid, step, when = ss.get(f"{K}_rec_object"), ss.get(f"{K}_rec_step"), ss.get(f"{K}_rec_date")
    precision = ss.get(f"{K}_rec_precision", "day")
    problem = view.step_problem(project, oid, step, when, bool(ss.get(f"{K}_rec_replace")), lang)
    if problem:
        _say("record", "error", problem)
        return
    note, source = ss.get(f"{K}_rec_note") or None, ss.get(f"{K}_rec_source") or None
    shown = step_when(FollowUpStep(step, when, precision if precision in STEP_PRECISIONS else "day"), lang)
    ok = _write("record", lambda: store.record_step(state.db(), state.signed_in(), round_id, oid, step, when,
                                                    precision=precision, note=note, source=source,
                                                    expected_row_version=row_version),
                tr("followup.recorded", step=step_label(step, lang), object=_names(project)[oid], when=shown))
    if ok:
        for k in ("note", "source"):
            ss[f"{K}_rec_{k}"] = ""
        ss[f"{K}_rec_replace"] = False


def _do_remove(project: Project, round_id: int, row_version: int) -> None:
    pick = st.session_state.get(f"{K}_remove_pick") or ""
    oid, _, step = pick.partition("|")
    track = project.follow_up_of(oid)
    if track is None or track.step(step) is None:
        _say("remove", "error", tr("followup.error.no_such_step"))
        return
    _write("remove", lambda: store.remove_step(state.db(), state.signed_in(), round_id, oid, step,
                                               expected_row_version=row_version),
           tr("followup.removed", step=step_label(step, state.lang()), object=_names(project)[oid]))


def _do_responsible(project: Project, round_id: int, row_version: int) -> None:
    oid = st.session_state.get(f"{K}_resp_object")
    if project.follow_up_of(oid) is None:
        _say("responsible", "error", tr("error.no_such_object", object=oid or view.NONE))
        return
    name = (st.session_state.get(f"{K}_resp_{oid}") or "").strip()
    obj = _names(project)[oid]
    _write("responsible", lambda: store.set_responsible(state.db(), state.signed_in(), round_id, oid, name or None,
                                                        expected_row_version=row_version),
           tr("followup.responsible_saved", object=safe_text.md_name(obj), name=safe_text.md_name(name)) if name
           else tr("followup.responsible_cleared", object=safe_text.md_name(obj)))


def _do_start(project: Project, round_id: int, row_version: int) -> None:
    oid = st.session_state.get(f"{K}_start_object")
    names = _names(project)
    if oid not in names or project.follow_up_of(oid) is not None:
        _say("start", "error", tr("error.no_such_object", object=oid or view.NONE))
        return
    name = (st.session_state.get(f"{K}_start_responsible") or "").strip()
    if not name:
        _say("start", "error", tr("followup.error.needs_responsible"))
        return
    if _write("start", lambda: store.set_responsible(state.db(), state.signed_in(), round_id, oid, name,
                                                     expected_row_version=row_version),
              tr("followup.started", object=safe_text.md_name(names[oid]), name=safe_text.md_name(name))):
        st.session_state[f"{K}_start_responsible"] = ""


def _do_stop(project: Project, round_id: int, row_version: int) -> None:
    oid = st.session_state.get(f"{K}_stop_object")
    if project.follow_up_of(oid) is None:
        _say("stop", "error", tr("error.no_such_object", object=oid or view.NONE))
        return
    if not st.session_state.get(f"{K}_stop_confirm"):
        _say("stop", "error", tr("followup.error.confirm_stop"))
        return
    if _write("stop", lambda: store.stop_follow_up(state.db(), state.signed_in(), round_id, oid,
                                                   expected_row_version=row_version),
              tr("followup.stopped", object=_names(project)[oid])):
        st.session_state[f"{K}_stop_confirm"] = False


def _bulk_key() -> str:
    """The uploader's key: a new one after Tillämpa or Avbryt, which empties it."""
    return f"{K}_bulk_file_{st.session_state.get(f'{K}_bulk_gen', 0)}"


def _forget_bulk() -> None:
    st.session_state[f"{K}_bulk_gen"] = st.session_state.get(f"{K}_bulk_gen", 0) + 1


def _do_bulk_apply(result: FollowUpImport, round_id: int, row_version: int, today: date) -> None:
    if not result.ok:  # checked again: the button's disabled state lives in the browser
        _say("bulk", "error", tr("followup.bulk.errors", n=len(result.errors)))
        return
    rows = result.rows
    if _write("bulk", lambda: store.record_steps(state.db(), state.signed_in(), round_id, rows,
                                                 expected_row_version=row_version, today=today),
              tr("followup.bulk.applied", n=len(rows))):
        _forget_bulk()


def _do_bulk_cancel() -> None:
    _forget_bulk()
    _say("bulk", "info", tr("followup.bulk.cancelled"))




def _bulk(project: Project, round_id: int, row_version: int, today: date) -> None:
    """The bulk status update: template, upload, the rows and every problem, Tillämpa/Avbryt."""
    st.subheader(tr("followup.bulk.heading"), anchor=False)
    st.markdown(tr("followup.bulk.intro"))
    st.download_button(tr("followup.bulk.template"), template_csv(project), file_name="bevakning-mall.csv",
                       mime="text/csv", key=f"{K}_bulk_template", on_click="ignore")
    upload = st.file_uploader(tr("followup.bulk.upload"), type=["csv", "txt", "xlsx"], key=_bulk_key(),
                              max_upload_size=MAX_UPLOAD_MB)
    _show("bulk")
    if upload is None:
        return
    result = parse_follow_up_file(upload.getvalue(), upload.name, project, today, state.lang())
    if result.errors:
        st.error(tr("followup.bulk.errors", n=len(result.errors)))
        st.dataframe(issue_table(result.errors), hide_index=True, width="stretch", key=f"{K}_bulk_errors")
    if result.warnings:
        st.warning(tr("followup.bulk.warnings", n=len(result.warnings)))
        st.dataframe(issue_table(result.warnings), hide_index=True, width="stretch", key=f"{K}_bulk_warnings")
    if result.rows:
        st.markdown(f"**{tr('followup.bulk.preview', n=len(result.rows))}**")
        st.dataframe(pd.DataFrame(result.preview()), hide_index=True, width="stretch", key=f"{K}_bulk_preview")
    left, right = st.columns(2)
    left.button(tr("followup.bulk.apply"), key=f"{K}_bulk_apply", type="primary", disabled=not result.ok,
                on_click=_do_bulk_apply, args=(result, round_id, row_version, today))
    right.button(tr("followup.bulk.cancel"), key=f"{K}_bulk_cancel", on_click=_do_bulk_cancel)


def _keep_valid(key: str, options: list) -> None:
    """Forget a remembered choice that is no longer among the options (e.g. after a removal)."""
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]


def _editor(project: Project, round_id: int, row_version: int, today: date) -> None:
    lang = state.lang()
    names = _names(project)
    args = (project, round_id, row_version)
    tracked = [o.id for o in view.followed_objects(project) if project.follow_up_of(o.id) is not None]
    st.header(tr("followup.edit_heading"), anchor=False)

    # record a step: followed-up objects first, then every other object (recording starts follow-up)
    st.subheader(tr("followup.record_heading"), anchor=False)
    followed = [o.id for o in view.followed_objects(project)]
    choices = followed + [o.id for o in project.objects if o.id not in followed]
    st.selectbox(tr("followup.object"), choices, key=f"{K}_rec_object", format_func=lambda i: names.get(i, i))
    c1, c2 = st.columns(2)
    c1.selectbox(tr("followup.step"), list(STEPS), key=f"{K}_rec_step", format_func=lambda s: step_label(s, lang))
    c2.date_input(tr("followup.date"), value=None, min_value=MIN_DATE, max_value=MAX_DATE, key=f"{K}_rec_date",
                  format="YYYY-MM-DD")
    st.radio(tr("followup.precision"), list(STEP_PRECISIONS), key=f"{K}_rec_precision", horizontal=True,
             format_func=lambda p: tr(f"followup.precision.{p}"))
    st.text_input(tr("followup.note"), key=f"{K}_rec_note", max_chars=500)
    st.text_input(tr("followup.source"), key=f"{K}_rec_source", max_chars=300)
    st.checkbox(tr("followup.replace"), key=f"{K}_rec_replace")
    st.button(tr("followup.record"), key=f"{K}_record", type="primary", on_click=_do_record, args=args)
    _show("record")

    # remove a step
    st.subheader(tr("followup.remove_heading"), anchor=False)
    recorded = [(oid, s) for oid in tracked for s in project.follow_up_of(oid).steps]
    if not recorded:
        st.caption(tr("followup.no_steps"))
    else:
        options = [f"{oid}|{s.step}" for oid, s in recorded]
        labels = {f"{oid}|{s.step}": f"{names[oid]} – {step_label(s.step, lang)} ({step_when(s, lang)})"
                  for oid, s in recorded}
        _keep_valid(f"{K}_remove_pick", options)
        st.selectbox(tr("followup.remove_pick"), options, key=f"{K}_remove_pick", format_func=labels.get)
        st.button(tr("followup.remove"), key=f"{K}_remove", on_click=_do_remove, args=args)
    _show("remove")

    # many objects at once, from a file
    _bulk(project, round_id, row_version, today)

    # who follows it up
    st.subheader(tr("followup.responsible_heading"), anchor=False)
    if tracked:
        _keep_valid(f"{K}_resp_object", tracked)
        oid = st.selectbox(tr("followup.object"), tracked, key=f"{K}_resp_object", format_func=names.get)
        st.text_input(tr("followup.responsible_input"), value=project.follow_up_of(oid).responsible or "",
                      key=f"{K}_resp_{oid}", max_chars=200)
        st.button(tr("followup.save_responsible"), key=f"{K}_save_responsible", on_click=_do_responsible,
                  args=args)
    else:
        st.caption(tr("followup.none_tracked"))
    _show("responsible")

    # start following an object up
    st.subheader(tr("followup.start_heading"), anchor=False)
    untracked = [o.id for o in view.untracked_objects(project)]
    if untracked:
        _keep_valid(f"{K}_start_object", untracked)
        st.selectbox(tr("followup.object"), untracked, key=f"{K}_start_object", format_func=names.get)
        st.text_input(tr("followup.start_responsible"), key=f"{K}_start_responsible", max_chars=200)
        st.button(tr("followup.start"), key=f"{K}_start", on_click=_do_start, args=args)
    else:
        st.caption(tr("followup.all_tracked"))
    _show("start")

    # stop following an object up
    st.subheader(tr("followup.stop_heading"), anchor=False)
    if tracked:
        _keep_valid(f"{K}_stop_object", tracked)
        st.selectbox(tr("followup.object"), tracked, key=f"{K}_stop_object", format_func=names.get)
        st.checkbox(tr("followup.stop_confirm"), key=f"{K}_stop_confirm")
        st.button(tr("followup.stop"), key=f"{K}_stop", on_click=_do_stop, args=args)
    else:
        st.caption(tr("followup.none_tracked"))
    _show("stop")
