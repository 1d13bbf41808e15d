"""The facilitator's page for the committee's round after the summer (issue 13): "Kommunernas inspel
och beslut". Five tabs, every write through ``prioritization.storage.committee`` (which checks the
role again, validates the whole committee, audits, and stores all or nothing):

a. Municipalities and the input window: the member municipalities (the shared table-editor flow),
   local input points on or off with budget, cap and share s (with the formula in words), and
   opening and closing the input window tied to a milestone of the round's timeline.
b. Proposals: every municipality's proposal with accept (it becomes a candidate the workshop must
   score in a supplementary pass) or decline with the reason the municipality sees; wishes per object.
c. Screening: the checklist (the defaults offered when empty) and each candidate passed, parked or
   let through against the checklist (a reason required for the last two); parked objects apart.
d. Anchoring: a frozen version sent out as the draft with a reply date, closed; the anchoring matrix
   with what is missing; a stance recorded on a municipality's behalf.
e. Decision: the frozen version decided, the decision's date, body and protocol reference, and the
   decided order edited from the model's list, each departure with its reason; then the decided list.

Every bad input gets a specific Swedish (or English) message and nothing is stored: the page checks
what it can first (``committee_logic``), storage refuses the rest with a code the page words.
Times are shown in Stockholm time and say so; user text reaches Markdown only escaped.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from prioritization import i18n, safe_text
from prioritization.committee.model import (
    ACCEPTED,
    DECLINED,
    LET_THROUGH,
    PARKED,
    PASSED,
    PROPOSED,
    STANCES,
    Committee,
    Decision,
    LocalPoints,
    Municipality,
)
from prioritization.committee.priority import PriorityList
from prioritization.committee.ranking import model_list
from prioritization.errors import InputError
from prioritization.model import Project
from prioritization.report import committee as view
from prioritization.report.follow_up import today_from
from prioritization.report.result_text import object_name
from prioritization.storage import committee as store
from prioritization.storage import rounds, versions
from prioritization.storage.access import AccessDenied
from prioritization.storage.errors import StaleWrite, StorageInputError
from prioritization.ui.committee import committee_logic as logic
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr
from prioritization.ui.widgets.setup_page import open_setup_page, table_height
from prioritization.ui.widgets.table_editing import (
    UNSET,
    TableEditor,
    apply_delta,
    flash,
    has_changes,
    show_problems,
)

P = logic.P  # message keys
K = "committee"  # session-state and widget keys
DEFAULT_BODY = "Samarbetskommittén"
REPLY_DAYS = 30  # the reply date offered: a month from today

md = safe_text.md
md_name = safe_text.md_name


def render() -> None:
    if (opened := open_setup_page(P)) is None:
        return
    db, actor, summary = opened
    rid = summary.id
    try:
        c = store.committee(db, actor, rid)
        project = dataclasses.replace(rounds.setup_project(db, actor, rid), committee=c)
        listed = versions.list_versions(db, actor, rid)
    except (InputError, AccessDenied) as e:
        st.error(_refusal(e))
        return
    st.markdown(tr(f"{P}.intro"))
    towns, proposals, screening, anchoring, decision = st.tabs(
        [tr(f"{P}.tab.{t}") for t in ("towns", "proposals", "screening", "anchoring", "decision")])
    with towns:
        _towns_tab(db, actor, rid, c, project)
    with proposals:
        _proposals_tab(rid, c, project, summary.status)
    with screening:
        _screening_tab(db, actor, rid, c, project)
    with anchoring:
        _anchoring_tab(rid, c, project, listed)
    with decision:
        _decision_tab(db, actor, rid, c, project, listed)


# ------------------------------------------------------------------------------ messages


def _fmt(v: Any) -> Any:
    """A message parameter as shown (every message goes through Markdown)."""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float):
        return i18n.number(v, state.lang(), 0 if v.is_integer() else 2)
    if isinstance(v, date):
        return i18n.day(v, state.lang())
    if isinstance(v, str):
        return md_name(v)
    return v


class _Params(dict):
    def __missing__(self, key: str) -> str:
        return logic.NONE


def _text(key: str, params: Mapping[str, Any]) -> str:
    """The message ``key`` with ``params`` (a parameter the template names but the refusal lacks
    shows as "–", never a crash)."""
    return i18n.t(key, state.lang()).format_map(_Params({k: _fmt(v) for k, v in params.items()}))


def _problem(p: logic.Problem | logic.RowProblem) -> str:
    return _text(p.key, p.params)


def _refusal(e: Exception, action: str | None = None) -> str:
    """A storage refusal in the page's words (or the app's general ones)."""
    if isinstance(e, StorageInputError) and not isinstance(e, StaleWrite) \
            and (key := logic.error_key(e.code, action)) is not None:
        return _text(key, logic.message_params(e.params or {}))
    return state.error_text(e)


def _say(where: str, kind: str, text: str) -> None:
    st.session_state[f"{K}_msg_{where}"] = (kind, text)


def _show(where: str) -> None:
    """The one message of an action, where the action is (once)."""
    if msg := st.session_state.pop(f"{K}_msg_{where}", None):
        {"success": st.success, "error": st.error, "info": st.info}[msg[0]](msg[1])


def _write(where: str, action: str | None, do: Callable[[], Any], success: str | Callable[[Any], str]) -> bool:
    """One storage write with its message either way; storage writes all or nothing."""
    try:
        result = do()
    except (InputError, AccessDenied) as e:
        _say(where, "error", _refusal(e, action))
        return False
    _say(where, "success", success(result) if callable(success) else success)
    return True


def _db_actor():
    return state.db(), state.actor()


def _when(t) -> str:
    return i18n.timestamp(t, state.lang()) if t is not None else logic.NONE


# ------------------------------------------------------------------------------ the committee tables


def _text_cell(key: str, value: Any) -> Any:
    """An editor cell as stored text (trimmed; empty: no value)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return UNSET
    text = value.strip() if isinstance(value, str) else str(value).strip()
    return text or UNSET


def _digest(rows: list[dict[str, Any]]) -> str:
    return hashlib.sha256(json.dumps(rows, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


@dataclasses.dataclass(frozen=True)
class CommitteeTable(TableEditor):
    """The shared table-editor flow over a list of the round's committee (the municipalities, the
    checklist) instead of the set-up document: the snapshot is read from ``storage.committee``, and
    its "row version" is a digest of the rows, so a change by someone else meanwhile is found both
    when the page is drawn (the reload offer) and when saving (a "changed by someone else" refusal)."""

    rows_of: Callable[[Committee], list[dict[str, Any]]] = logic.town_rows

    def load(self, db, actor, round_id: int, row_version) -> dict[str, Any]:
        base = st.session_state.get(f"{self.name}_base")
        unsaved = has_changes(st.session_state.get(self.editor_key()))
        if base is None or base["round"] != round_id or (base["version"] != row_version and not unsaved):
            if base is not None:
                self.reset()
            rows = self.rows_of(store.committee(db, actor, round_id))
            base = {"round": round_id, "version": _digest(rows), self.name: rows}
            st.session_state[f"{self.name}_base"] = base
        return base


def _stored_as_read(db, actor, round_id: int, rows_of, version: str, what: str) -> None:
    if _digest(rows_of(store.committee(db, actor, round_id))) != version:
        raise StaleWrite(what)


def _store_towns(db, actor, round_id: int, new: list[dict[str, Any]], version: str) -> None:
    _stored_as_read(db, actor, round_id, logic.town_rows, version, "municipalities")
    store.set_municipalities(db, actor, round_id, [Municipality(r["id"], r["name"]) for r in new])


def _store_checks(db, actor, round_id: int, new: list[dict[str, Any]], version: str) -> None:
    rows_of = lambda c: logic.check_rows(c.checklist)  # noqa: E731
    _stored_as_read(db, actor, round_id, rows_of, version, "checklist")
    store.set_checklist(db, actor, round_id, logic.checks_from_rows(new))


TOWNS = CommitteeTable(
    "committee_towns", "committee_towns", f"{P}.towns",
    lambda rows: pd.DataFrame([{k: r.get(k) for k in logic.TOWN_COLUMNS} for r in rows],
                              columns=list(logic.TOWN_COLUMNS)),
    lambda rows, delta: apply_delta(rows, delta, _text_cell, columns=logic.TOWN_COLUMNS, id_prefix="kommun-",
                                    id_width=2),
    _store_towns, lambda problems: show_problems(problems, f"{P}.towns", f"{P}.towns.problems_heading"),
    error_text=_refusal, rows_of=logic.town_rows)

CHECKS = CommitteeTable(
    "committee_checks", "committee_checks", f"{P}.checks",
    lambda rows: pd.DataFrame([{k: r.get(k) for k in logic.CHECK_COLUMNS} for r in rows],
                              columns=list(logic.CHECK_COLUMNS)),
    lambda rows, delta: apply_delta(rows, delta, _text_cell, columns=logic.CHECK_COLUMNS, id_prefix="check-",
                                    id_width=2),
    _store_checks, lambda problems: show_problems(problems, f"{P}.checks", f"{P}.checks.problems_heading"),
    error_text=_refusal, rows_of=lambda c: logic.check_rows(c.checklist))


# ------------------------------------------------------------------------------ a. municipalities, window


def _towns_tab(db, actor, rid: int, c: Committee, project: Project) -> None:
    st.subheader(tr(f"{P}.towns_heading"), anchor=False)
    st.caption(tr(f"{P}.towns_intro"))
    flash(TOWNS.prefix)
    cc = st.column_config
    TOWNS.render(db, actor, rid, _digest(logic.town_rows(c)), column_order=list(logic.TOWN_COLUMNS),
                 column_config={"id": cc.TextColumn(tr(f"{P}.towns.col.id"), help=tr(f"{P}.towns.help_id"),
                                                    pinned=True),
                                "name": cc.TextColumn(tr(f"{P}.towns.col.name"), required=True)})
    _points(rid, c)
    _window(rid, c, project)


def _points(rid: int, c: Committee) -> None:
    st.subheader(tr(f"{P}.points_heading"), anchor=False)
    st.caption(tr(f"{P}.points_intro"))
    _show("points")
    if c.points is not None:
        pl = PriorityList(c.points.share, c.points.budget, c.points.cap, len(c.municipalities), (), None, None)
        st.markdown(view.formula_sentence(pl, state.lang()))
    else:
        st.info(tr(f"{P}.points_off"))
    shown = c.points or LocalPoints()
    with st.form(f"{K}_points_form", border=True):
        st.checkbox(tr(f"{P}.points_on"), value=c.points is not None, key=f"{K}_points_on")
        left, middle, right = st.columns(3)
        left.number_input(tr(f"{P}.budget"), min_value=1, max_value=100_000, step=1, value=int(shown.budget),
                          key=f"{K}_points_budget", help=tr(f"{P}.budget_help"))
        middle.number_input(tr(f"{P}.cap"), min_value=1, max_value=100_000, step=1, value=int(shown.cap),
                            key=f"{K}_points_cap", help=tr(f"{P}.cap_help"))
        right.number_input(tr(f"{P}.share"), min_value=0.0, max_value=1.0, step=0.05, value=float(shown.share),
                           format="%.2f", key=f"{K}_points_share", help=tr(f"{P}.share_help"))
        st.form_submit_button(tr(f"{P}.points_save"), type="primary", key=f"{K}_points_save",
                              on_click=_do_points, args=(rid,))


def _do_points(rid: int) -> None:
    ss = st.session_state
    on, budget, cap, share = (ss.get(f"{K}_points_on"), ss.get(f"{K}_points_budget"), ss.get(f"{K}_points_cap"),
                              ss.get(f"{K}_points_share"))
    if (problem := logic.points_problem(bool(on), budget, cap, share)) is not None:
        _say("points", "error", _problem(problem))
        return
    points = None
    if on:
        # points_problem found none, so all three were checked: a whole budget and cap, a share in [0, 1]
        assert budget is not None and cap is not None and share is not None
        points = LocalPoints(int(budget), int(cap), float(share))
    db, actor = _db_actor()
    _write("points", None, lambda: store.set_local_points(db, actor, rid, points),
           tr(f"{P}.points_saved") if on else tr(f"{P}.points_turned_off"))


def _milestone_label(project: Project, mid: str | None) -> str:
    if not mid:
        return tr(f"{P}.no_milestone")
    m = next((m for m in project.milestones if m.id == mid), None)
    return f"{mid} – {m.title(state.lang())}" if m is not None else mid


def _window(rid: int, c: Committee, project: Project) -> None:
    st.subheader(tr(f"{P}.window_heading"), anchor=False)
    st.caption(tr(f"{P}.window_intro"))
    _show("window")
    w = c.window
    milestone = md_name(_milestone_label(project, w.milestone))
    if w.is_open:
        st.success(tr(f"{P}.window_is_open", opened=_when(w.opened_at), milestone=milestone))
        st.button(tr(f"{P}.window_close"), key=f"{K}_window_close", type="primary", on_click=_do_close_window,
                  args=(rid,))
    elif w.is_closed:
        st.info(tr(f"{P}.window_is_closed", opened=_when(w.opened_at), closed=_when(w.closed_at),
                   milestone=milestone))
    else:
        st.info(tr(f"{P}.window_not_opened"))
        options = ["", *(m.id for m in project.milestones)]
        st.selectbox(tr(f"{P}.window_milestone"), options, key=f"{K}_window_milestone",
                     format_func=lambda mid: _milestone_label(project, mid), help=tr(f"{P}.window_milestone_help"))
        st.button(tr(f"{P}.window_open"), key=f"{K}_window_open", type="primary", on_click=_do_open_window,
                  args=(rid, project))


def _do_open_window(rid: int, project: Project) -> None:
    mid = st.session_state.get(f"{K}_window_milestone") or None
    if mid is not None and mid not in {m.id for m in project.milestones}:
        _say("window", "error", _text(f"{P}.error.unknown_milestone", {"milestone": mid}))
        return
    db, actor = _db_actor()
    _write("window", None, lambda: store.open_window(db, actor, rid, mid), tr(f"{P}.window_opened"))


def _do_close_window(rid: int) -> None:
    db, actor = _db_actor()
    _write("window", None, lambda: store.close_window(db, actor, rid), tr(f"{P}.window_closed"))


# ------------------------------------------------------------------------------ b. proposals


def _proposals_tab(rid: int, c: Committee, project: Project, status: str) -> None:
    st.subheader(tr(f"{P}.proposals_heading"), anchor=False)
    st.caption(tr(f"{P}.proposals_intro"))
    _show("proposals")
    lang = state.lang()
    if not c.proposals:
        st.info(tr(f"{P}.no_proposals"))
    else:
        frame = logic.proposal_frame(c, lang)
        headers = {col: tr(f"{P}.proposal_col.{col}") for col in frame.columns}
        st.dataframe(frame.rename(columns=headers), hide_index=True, width="stretch", key=f"{K}_proposal_table",
                     column_config={headers["cost"]: st.column_config.NumberColumn(format="%.0f"),
                                    headers["submitted"]: st.column_config.TextColumn(
                                        help=tr(f"{P}.in_stockholm_time"))})
        towns = {m.id: m.name for m in c.municipalities}
        for p in c.proposals:
            _proposal(rid, p, towns, status)
    _wishes(c, project)


def _proposal(rid: int, p, towns: Mapping[str, str], status: str) -> None:
    lang = state.lang()
    with st.container(border=True):
        st.markdown(f"**{md(p.id)} {md(p.name)}** · {md(towns.get(p.municipality, p.municipality))} · "
                    f"{tr(f'{P}.proposal_status.{p.status}')}")
        st.markdown(tr(f"{P}.need", need=md(p.need)))
        facts = [tr(f"{P}.fact.channel", channel=logic.channel_label(p.plan_channel, lang))]
        if p.cost is not None:
            facts.append(tr(f"{P}.fact.cost", cost=i18n.msek(p.cost, lang)))
        if p.location:
            facts.append(tr(f"{P}.fact.location", location=md(p.location)))
        if p.mode:
            facts.append(tr(f"{P}.fact.mode", mode=md(p.mode)))
        if p.submitted_at is not None:
            facts.append(tr(f"{P}.fact.submitted", when=_when(p.submitted_at)))
        st.caption(" · ".join(facts))
        links = logic.safe_links(p.links)
        if links:
            cols = st.columns(min(len(links), 3))
            for i, (label, url) in enumerate(links):
                cols[i % len(cols)].link_button(safe_text.md_label(label), url, icon=":material/open_in_new:",
                                                help=tr(f"{P}.link_help"), key=f"{K}_link_{p.id}_{i}")
        if p.status == ACCEPTED:
            st.caption(tr(f"{P}.proposal_accepted", object=md(p.object or logic.NONE)))
        elif p.status == DECLINED:
            st.caption(tr(f"{P}.proposal_declined", reason=md(p.reason or "")))
        elif p.status == PROPOSED:
            st.caption(tr(f"{P}.accept_means"))
            st.button(tr(f"{P}.accept"), key=f"{K}_accept_{p.id}", type="primary", on_click=_do_accept,
                      args=(rid, p.id, p.name, status))
            st.text_area(tr(f"{P}.decline_reason"), key=f"{K}_decline_reason_{p.id}",
                         help=tr(f"{P}.decline_reason_help"), max_chars=2000)
            st.button(tr(f"{P}.decline"), key=f"{K}_decline_{p.id}", on_click=_do_decline, args=(rid, p.id, p.name))


ROUND_STATUSES = ("setup", "scoring", "second_round", "revealed", "locked")


def _do_accept(rid: int, pid: str, name: str, status: str) -> None:
    """Accept: the object is new in the round and the workshop must score it in a supplementary
    pass; what that takes depends on where the round is (storage.rounds.TRANSITIONS)."""
    db, actor = _db_actor()
    next_step = tr(f"{P}.supplementary.{status if status in ROUND_STATUSES else 'setup'}")
    _write("proposals", "accept", lambda: store.accept_proposal(db, actor, rid, pid),
           lambda oid: tr(f"{P}.accepted", name=md_name(name), object=md(oid)) + " " + next_step)


def _do_decline(rid: int, pid: str, name: str) -> None:
    reason = st.session_state.get(f"{K}_decline_reason_{pid}") or ""
    if (problem := logic.decline_problem(reason)) is not None:
        _say("proposals", "error", _problem(problem))
        return
    db, actor = _db_actor()
    if _write("proposals", "decline", lambda: store.decline_proposal(db, actor, rid, pid, reason.strip()),
              tr(f"{P}.declined", name=md_name(name))):
        st.session_state.pop(f"{K}_decline_reason_{pid}", None)


def _wishes(c: Committee, project: Project) -> None:
    st.subheader(tr(f"{P}.wishes_heading"), anchor=False)
    grouped = logic.wishes_by_object(project, c, state.lang())
    if not grouped:
        st.info(tr(f"{P}.no_wishes"))
        return
    for name, wishes in grouped:
        lines = [f"**{md(name)}**", ""] + [f"- {md(town)}: {md(text)}" for town, text in wishes]
        st.markdown("\n".join(lines))


# ------------------------------------------------------------------------------ c. screening


def _screening_tab(db, actor, rid: int, c: Committee, project: Project) -> None:
    lang = state.lang()
    st.subheader(tr(f"{P}.checklist_heading"), anchor=False)
    st.caption(tr(f"{P}.checklist_intro"))
    _show("checklist")
    if not c.checklist:
        st.info(tr(f"{P}.checklist_empty"))
        st.button(tr(f"{P}.checklist_defaults"), key=f"{K}_checklist_defaults", on_click=_do_default_checklist,
                  args=(rid,))
    flash(CHECKS.prefix)
    cc = st.column_config
    CHECKS.render(db, actor, rid, _digest(logic.check_rows(c.checklist)), column_order=list(logic.CHECK_COLUMNS),
                  column_config={"id": cc.TextColumn(tr(f"{P}.checks.col.id"), pinned=True),
                                 "name": cc.TextColumn(tr(f"{P}.checks.col.name"), required=True, width="large"),
                                 "text_en": cc.TextColumn(tr(f"{P}.checks.col.text_en"), width="large")})

    st.subheader(tr(f"{P}.screening_heading"), anchor=False)
    st.caption(tr(f"{P}.screening_intro"))
    headers = {col: tr(f"{P}.screening_col.{col}") for col in logic.SCREENING_COLUMNS}
    screened = logic.screening_frame(project, c, lang, parked=False)
    if screened.empty:
        st.info(tr(f"{P}.no_candidates"))
    else:
        st.dataframe(screened.rename(columns=headers), hide_index=True, width="stretch", key=f"{K}_screening_table",
                     height=table_height(len(screened)))
    _screen_form(rid, c, project)
    st.subheader(tr(f"{P}.parked_heading"), anchor=False)
    parked = logic.screening_frame(project, c, lang, parked=True)
    if parked.empty:
        st.caption(tr(f"{P}.no_parked"))
    else:
        st.caption(tr(f"{P}.parked_intro", n=len(parked)))
        st.dataframe(parked.rename(columns=headers), hide_index=True, width="stretch", key=f"{K}_parked_table")


def _do_default_checklist(rid: int) -> None:
    db, actor = _db_actor()
    _write("checklist", None, lambda: store.set_checklist(db, actor, rid, logic.default_checklist()),
           tr(f"{P}.checklist_defaults_saved"))


def _screen_form(rid: int, c: Committee, project: Project) -> None:
    lang = state.lang()
    ids = logic.screenable(project)
    _show("screen")
    if not ids:
        return
    names = {o.id: object_name(o, lang) for o in project.objects}
    oid = st.selectbox(tr(f"{P}.screen_object"), ids, key=f"{K}_screen_object",
                       format_func=lambda i: f"{i} – {names.get(i, i)}")
    current = c.screening_of(oid)
    outcomes = (PASSED, PARKED, LET_THROUGH)
    st.radio(tr(f"{P}.screen_outcome"), outcomes, key=f"{K}_screen_outcome_{oid}",
             index=outcomes.index(current.outcome) if current else 0,
             format_func=lambda o: logic.outcome_label(o, lang), horizontal=True,
             captions=[tr(f"{P}.outcome_help.{o}") for o in outcomes])
    checks = {ch.id: logic.check_text(ch, lang) for ch in c.checklist}
    st.multiselect(tr(f"{P}.screen_failed"), list(checks), key=f"{K}_screen_failed_{oid}",
                   default=[f for f in (current.failed if current else ()) if f in checks],
                   format_func=lambda f: checks.get(f, f), help=tr(f"{P}.screen_failed_help"),
                   placeholder=tr(f"{P}.screen_failed_none"))
    st.text_area(tr(f"{P}.screen_reason"), key=f"{K}_screen_reason_{oid}",
                 value=(current.reason or "") if current else "", help=tr(f"{P}.screen_reason_help"), max_chars=5000)
    st.button(tr(f"{P}.screen_save"), key=f"{K}_screen_save", type="primary", on_click=_do_screen,
              args=(rid, c, names))


def _do_screen(rid: int, c: Committee, names: Mapping[str, str]) -> None:
    ss = st.session_state
    oid = ss.get(f"{K}_screen_object")
    outcome = ss.get(f"{K}_screen_outcome_{oid}")
    failed = list(ss.get(f"{K}_screen_failed_{oid}") or [])
    reason = (ss.get(f"{K}_screen_reason_{oid}") or "").strip()
    if oid is None or oid not in names:
        _say("screen", "error", _text("error.no_such_object", {"object": oid or logic.NONE}))
        return
    if (problem := logic.screening_problem(outcome, failed, reason, c.checklist)) is not None:
        _say("screen", "error", _problem(problem))
        return
    assert outcome is not None  # screening_problem refuses any outcome but passed, parked or let through
    db, actor = _db_actor()
    _write("screen", f"screen_{outcome}", lambda: store.screen(db, actor, rid, oid, outcome, failed, reason or None),
           tr(f"{P}.screened.{outcome}", object=md_name(names[oid])))


# ------------------------------------------------------------------------------ d. anchoring


def _version_label(v: versions.VersionInfo) -> str:
    return f"{v.name} ({i18n.timestamp(v.created_at, state.lang())})"


def _anchoring_tab(rid: int, c: Committee, project: Project, listed: list[versions.VersionInfo]) -> None:
    lang = state.lang()
    st.subheader(tr(f"{P}.draft_heading"), anchor=False)
    st.caption(tr(f"{P}.draft_intro"))
    _show("draft")
    current = c.current_draft
    if current is not None:
        st.info(tr(f"{P}.draft_out", version=md_name(current.version_name), sent=_when(current.sent_at),
                   reply_by=i18n.day(current.reply_by, lang)))
        if c.decision is None:
            st.button(tr(f"{P}.draft_close"), key=f"{K}_draft_close", on_click=_do_close_draft,
                      args=(rid, current.version, current.version_name))
    elif c.drafts:
        st.caption(tr(f"{P}.no_draft_out"))
    if c.decision is not None:
        st.caption(tr(f"{P}.decided_no_more_drafts"))
    elif not listed:
        st.info(tr(f"{P}.no_versions"))
    else:
        by_id = {v.id: v for v in listed}
        ids = [v.id for v in reversed(listed)]
        st.selectbox(tr(f"{P}.draft_version"), ids, key=f"{K}_draft_version",
                     format_func=lambda i: _version_label(by_id[i]))
        today = today_from(st.session_state)
        st.date_input(tr(f"{P}.draft_reply_by"), value=today + timedelta(days=REPLY_DAYS), min_value=today,
                      key=f"{K}_draft_reply_by", format="YYYY-MM-DD", help=tr(f"{P}.draft_reply_by_help"))
        if current is not None:
            st.caption(tr(f"{P}.draft_replaces", version=md_name(current.version_name)))
        st.button(tr(f"{P}.draft_send"), key=f"{K}_draft_send", type="primary", on_click=_do_send_draft,
                  args=(rid, [v.id for v in listed]))
    _matrix(c, project)
    if current is not None and c.decision is None:
        _stance_form(rid, c, project, current)


def _do_send_draft(rid: int, known: list[int]) -> None:
    ss = st.session_state
    vid, reply_by = ss.get(f"{K}_draft_version"), ss.get(f"{K}_draft_reply_by")
    if (problem := logic.draft_problem(vid, known, reply_by, today_from(ss))) is not None:
        _say("draft", "error", _problem(problem))
        return
    # draft_problem refuses a missing or unknown version and a reply date that is not a date
    assert vid is not None and isinstance(reply_by, date)
    db, actor = _db_actor()
    _write("draft", None, lambda: store.send_draft(db, actor, rid, vid, reply_by),
           tr(f"{P}.draft_sent", reply_by=i18n.day(reply_by, state.lang())))


def _do_close_draft(rid: int, sha: str, name: str) -> None:
    db, actor = _db_actor()
    _write("draft", None, lambda: store.close_draft(db, actor, rid, sha), tr(f"{P}.draft_closed", version=md_name(name)))


def _matrix(c: Committee, project: Project) -> None:
    lang = state.lang()
    st.subheader(tr(f"{P}.matrix_heading"), anchor=False)
    if not c.drafts:
        st.info(tr(f"{P}.no_drafts"))
        return
    drafts = list(reversed(c.drafts))
    by_sha = {d.version: d for d in drafts}
    if len(drafts) > 1:
        sha = st.selectbox(tr(f"{P}.matrix_draft"), list(by_sha), key=f"{K}_matrix_draft",
                           format_func=lambda s: by_sha[s].version_name)
    else:
        sha = drafts[0].version
    draft = by_sha[sha]
    st.markdown(safe_text.md_names(view.anchoring_sentence(project, draft, lang), [draft.version_name]))
    frame = view.anchoring_frame(project, draft, lang)
    headers = {col: tr(f"{P}.matrix_col.{col}") for col in frame.columns}
    st.dataframe(frame.rename(columns=headers), hide_index=True, width="stretch", key=f"{K}_matrix",
                 height=table_height(len(frame)))
    missing = [r for r in frame.itertuples() if r.missing]
    if missing:
        st.warning(tr(f"{P}.matrix_missing", n=len(missing),
                      items="; ".join(f"{md_name(r.municipality)} ({md_name(r.missing)})" for r in missing)))
    if against := view.opposed(project, draft):
        st.warning(tr(f"{P}.matrix_opposed", n=len(against), names=", ".join(map(md_name, against))))


def _stance_form(rid: int, c: Committee, project: Project, draft) -> None:
    lang = state.lang()
    st.subheader(tr(f"{P}.stance_heading"), anchor=False)
    st.caption(tr(f"{P}.stance_intro", version=md_name(draft.version_name)))
    _show("stance")
    if not c.municipalities:
        st.info(tr(f"{P}.no_towns"))
        return
    towns = {m.id: m.name for m in c.municipalities}
    mid = st.selectbox(tr(f"{P}.stance_town"), list(towns), key=f"{K}_stance_town",
                       format_func=lambda m: towns[m])
    assert mid is not None  # the options are the municipalities, and there is at least one (checked above)
    prior = next((s for s in c.stances if s.municipality == mid and s.version == draft.version), None)
    k = f"{K}_stance_{mid}_{draft.version[:12]}"
    st.radio(tr(f"{P}.stance_value"), STANCES, key=f"{k}_value",
             index=STANCES.index(prior.stance) if prior else 0, horizontal=True,
             format_func=lambda s: tr(f"committee.stance.{s}"))
    st.text_area(tr(f"{P}.stance_comment"), key=f"{k}_comment", value=(prior.comment or "") if prior else "",
                 max_chars=2000)
    rows = logic.comment_rows(project, lang, prior.object_comments if prior else None)
    with st.expander(tr(f"{P}.stance_object_comments")):
        cc = st.column_config
        st.data_editor(pd.DataFrame(rows, columns=["object_id", "object", "comment"]), key=f"{k}_objects",
                       hide_index=True, width="stretch", num_rows="fixed", disabled=["object_id", "object"],
                       column_config={"object_id": cc.TextColumn(tr(f"{P}.col.object_id")),
                                      "object": cc.TextColumn(tr(f"{P}.col.object")),
                                      "comment": cc.TextColumn(tr(f"{P}.col.comment"), max_chars=2000,
                                                               width="large")},
                       alt=tr(f"{P}.stance_object_comments_alt", n=len(rows)))
    ref = prior.decision if prior else None
    st.markdown(tr(f"{P}.stance_ref_intro"))
    left, middle, right = st.columns(3)
    left.text_input(tr(f"{P}.ref_body"), key=f"{k}_body", value=ref.body if ref else "", max_chars=200,
                    placeholder=tr(f"{P}.ref_body_placeholder"))
    middle.date_input(tr(f"{P}.ref_date"), key=f"{k}_date", value=ref.date if ref else None, format="YYYY-MM-DD")
    right.text_input(tr(f"{P}.ref_reference"), key=f"{k}_reference", value=ref.reference if ref else "",
                     max_chars=200, placeholder=tr(f"{P}.ref_reference_placeholder"))
    st.button(tr(f"{P}.stance_save"), key=f"{K}_stance_save", type="primary", on_click=_do_stance,
              args=(rid, mid, towns[mid], draft.version, k, rows))


def _do_stance(rid: int, mid: str, town: str, sha: str, k: str, rows: list[dict[str, Any]]) -> None:
    ss = st.session_state
    stance = ss.get(f"{k}_value")
    if stance not in STANCES:
        _say("stance", "error", tr(f"{P}.error.bad_stance"))
        return
    ref, problem = logic.decision_ref(ss.get(f"{k}_body"), ss.get(f"{k}_date"), ss.get(f"{k}_reference"),
                                      required=False)
    if problem is not None:
        _say("stance", "error", _problem(problem))
        return
    comments = logic.object_comments(rows, ss.get(f"{k}_objects"))
    comment = (ss.get(f"{k}_comment") or "").strip() or None
    db, actor = _db_actor()
    _write("stance", "stance", lambda: store.record_stance(db, actor, rid, mid, sha, stance, comment, comments, ref),
           tr(f"{P}.stance_saved", town=md_name(town), stance=tr(f"committee.stance.{stance}").lower()))


# ------------------------------------------------------------------------------ e. decision


def _decision_tab(db, actor, rid: int, c: Committee, project: Project, listed: list[versions.VersionInfo]) -> None:
    lang = state.lang()
    _show("decision")
    if c.decision is not None:
        _decided(c.decision, project)
        return
    st.subheader(tr(f"{P}.decision_heading"), anchor=False)
    st.caption(tr(f"{P}.decision_intro"))
    if not listed:
        st.info(tr(f"{P}.no_versions"))
        return
    by_id = {v.id: v for v in listed}
    ids = [v.id for v in reversed(listed)]
    draft = c.current_draft or (c.drafts[-1] if c.drafts else None)
    preferred = next((v.id for v in reversed(listed) if draft is not None and v.sha256 == draft.version), ids[0])
    if st.session_state.get(f"{K}_decision_version") not in by_id:
        st.session_state[f"{K}_decision_version"] = preferred
    vid = st.selectbox(tr(f"{P}.decision_version"), ids, key=f"{K}_decision_version",
                       format_func=lambda i: _version_label(by_id[i]))
    try:
        version_project = versions.load(db, actor, vid)
    except (InputError, AccessDenied) as e:
        st.error(_refusal(e))
        return
    try:
        model = logic.model_rows(model_list(version_project))
    except InputError:
        st.error(_text(f"{P}.error.not_rankable", {"version": by_id[vid].name}))
        return
    if not model:
        st.info(tr(f"{P}.no_ranked"))
        return
    left, middle, right = st.columns(3)
    left.date_input(tr(f"{P}.decision_date"), value=today_from(st.session_state), key=f"{K}_decision_date",
                    format="YYYY-MM-DD")
    middle.text_input(tr(f"{P}.ref_body"), value=DEFAULT_BODY, key=f"{K}_decision_body", max_chars=200)
    right.text_input(tr(f"{P}.decision_reference"), key=f"{K}_decision_reference", max_chars=200,
                     placeholder=tr(f"{P}.ref_reference_placeholder"), help=tr(f"{P}.decision_reference_help"))
    names = {o.id: object_name(o, lang) for o in version_project.objects}
    base = logic.decided_rows(model, names)
    tiers = logic.tier_labels(version_project)
    st.markdown(tr(f"{P}.order_intro"))
    gen = st.session_state.get(f"{K}_decision_gen", 0)
    key = f"{K}_decided_{vid}_{gen}"
    cc = st.column_config
    st.data_editor(logic.decided_editor_frame(base), key=key, hide_index=True, width="stretch", num_rows="fixed",
                   disabled=["object_id", "object", "model_rank", "model_tier"], height=table_height(len(base)),
                   column_config={
                       "object_id": cc.TextColumn(tr("committee.decided.object_id"), pinned=True),
                       "object": cc.TextColumn(tr("committee.decided.object")),
                       "model_rank": cc.NumberColumn(tr("committee.decided.model_rank"), format="%d"),
                       "model_tier": cc.TextColumn(tr("committee.decided.model_tier")),
                       "rank": cc.NumberColumn(tr("committee.decided.rank"), min_value=1, step=1, format="%d",
                                               required=True, help=tr(f"{P}.rank_help")),
                       "tier": (cc.SelectboxColumn(tr("committee.decided.tier"), options=tiers,
                                                   help=tr(f"{P}.tier_help")) if tiers
                                else cc.TextColumn(tr("committee.decided.tier"), disabled=True)),
                       "reason": cc.TextColumn(tr("committee.decided.reason"), max_chars=5000, width="large",
                                               help=tr(f"{P}.reason_help"))},
                   alt=tr(f"{P}.order_alt", n=len(base)))
    rows = logic.apply_decided_delta(base, st.session_state.get(key))
    entries, problems = logic.read_decided(rows, tiers)
    _departures(entries, problems, rows)
    st.button(tr(f"{P}.decision_save"), key=f"{K}_decision_save", type="primary", on_click=_do_decide,
              args=(rid, vid, base, tiers))


def _departures(entries, problems: list[logic.RowProblem], rows: list[dict[str, Any]]) -> None:
    """Before saving: which rows depart from the model's list, and which of them lack a reason."""
    if problems:
        st.warning(_problem_list(f"{P}.order_problems", problems))
        return
    moved = logic.needing_reasons(entries)
    if not moved:
        st.caption(tr(f"{P}.order_as_model"))
        return
    names = {r["object_id"]: r["object"] for r in rows}
    st.info(tr(f"{P}.order_departures", n=len(moved), items=", ".join(md_name(names[o]) for o in moved)))


def _problem_list(heading: str, problems: list[logic.RowProblem]) -> str:
    lines = [f"- {tr(f'{P}.row_problem', row=p.row, object=md_name(p.object), message=_problem(p))}"
             for p in problems]
    return tr(heading, n=len(problems)) + "\n\n" + "\n".join(lines)


def _do_decide(rid: int, vid: int, base: list[dict[str, Any]], tiers: list[str]) -> None:
    ss = st.session_state
    ref, problem = logic.decision_ref(ss.get(f"{K}_decision_body"), ss.get(f"{K}_decision_date"),
                                      ss.get(f"{K}_decision_reference"), required=True)
    if problem is not None:
        _say("decision", "error", _problem(problem))
        return
    assert ref is not None  # required=True: decision_ref gives the reference whenever it finds no problem
    key = f"{K}_decided_{vid}_{ss.get(f'{K}_decision_gen', 0)}"
    entries, problems = logic.read_decided(logic.apply_decided_delta(base, ss.get(key)), tiers)
    if problems:
        _say("decision", "error", _problem_list(f"{P}.order_not_saved", problems))
        return
    db, actor = _db_actor()
    if _write("decision", "decide", lambda: store.record_decision(db, actor, rid, vid, ref, logic.storage_order(entries)),
              tr(f"{P}.decision_saved", reference=md_name(ref.reference))):
        ss[f"{K}_decision_gen"] = ss.get(f"{K}_decision_gen", 0) + 1


def _decided(d: Decision, project: Project) -> None:
    lang = state.lang()
    st.subheader(tr(f"{P}.decided_heading"), anchor=False)
    sentence = view.decision_sentence(project, lang) or ""
    st.success(safe_text.md_names(sentence, [d.ref.body, d.ref.reference, d.version_name]))
    if d.recorded_at is not None:
        st.caption(tr(f"{P}.decided_recorded", when=_when(d.recorded_at)))
    frame = view.decided_frame(project, lang)
    headers = view.decided_headers(lang)
    st.dataframe(frame.rename(columns=headers), hide_index=True, width="stretch", key=f"{K}_decided_table",
                 height=table_height(len(frame)))
    st.caption(tr(f"{P}.decided_final"))
