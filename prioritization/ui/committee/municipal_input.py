"""A municipal representative's page (issue 13): what the municipality puts forward after the summer.

For a municipality actor only (``storage.access.MUNICIPALITY``; anyone else is told so and sees
nothing). One column from top to bottom, so it works at phone width:

* the municipality's name and the input window's state (not opened / open since / closed since,
  Stockholm time, labelled; the timeline milestone it stands for, if any);
* local input points (when the round has them): a table of the candidate objects with whole points
  and a short rationale, the budget used and left shown while editing, saved as a whole or refused
  with a Swedish message for each problem (``municipal_logic.parse_points``; storage checks again);
* proposals of new candidate objects (name, need, location, mode, rough cost, plan channel, links)
  and the municipality's own proposals with their status and the facilitator's reason when
  declined; a proposal still "proposed" can be withdrawn;
* wishes or comments on existing objects (pick an object, write, save or remove);
* the stance on the draft list out for reply: stance, comment, comments per object and the
  reference of the municipality's own decision.

Before the window closes the page shows only this municipality's input (``storage.committee``
filters it); once it has closed, the points, proposals and wishes are read-only here and every
municipality's input is shown below (public political statements). Every write goes through
``storage.committee``, which checks the role, the municipality and the window again; a refusal is
shown in Swedish and nothing stored changes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

import pandas as pd
import streamlit as st

from prioritization import i18n, safe_text, text_rules
from prioritization.committee.model import (
    DECLINED,
    PLAN_CHANNELS,
    PROPOSED,
    STANCES,
    Committee,
    Draft,
    LocalPoints,
    Proposal,
)
from prioritization.errors import InputError
from prioritization.model import Project
from prioritization.report import committee as report
from prioritization.storage import committee as store
from prioritization.storage import rounds
from prioritization.storage.access import MUNICIPALITY, AccessDenied, Actor
from prioritization.ui.committee import municipal_logic as logic
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr

PROPOSAL_GEN = "municipal_proposal_gen"  # moves after a proposal is sent: the form starts empty
WISH_GEN = "municipal_wish_gen"  # moves after a wish is saved or removed: the text shows what is stored
PROPOSAL_FIELDS = ("name", "need", "location", "modes", "cost", "channel", "links")


# --- messages -----------------------------------------------------------------------------------
# Every action runs in its widget's callback (before the page is drawn again): the click reaches
# storage even when the page it was made on is out of date (the window closed, the draft was
# withdrawn, the facilitator accepted the proposal meanwhile), and storage's refusal is said in
# words. The outcome waits in the session for its own section, next to the button that was used.

MESSAGE_KEY = "municipal_message"  # (section, "success" | "error", text)


def _param(v: Any) -> Any:
    """A message parameter as shown: numbers in the user's format, text escaped for Markdown."""
    if isinstance(v, bool):
        return v
    if isinstance(v, float):
        return i18n.number(v, state.lang(), 0 if v.is_integer() else 1)
    if isinstance(v, str):
        return safe_text.md_name(v)
    return v


def _say(problem: logic.Problem) -> str:
    return tr(f"municipal.{problem.key}", **{k: _param(v) for k, v in problem.params.items()})


def _problems_text(heading_key: str, problems: Iterable[logic.Problem]) -> str:
    return tr(heading_key) + "\n\n" + "\n".join(f"- {_say(p)}" for p in problems)


def _refusal(e: Exception, names: dict[str, str]) -> str:
    """A storage refusal in Swedish: the page's own message for the committee's codes, else the
    app's (``state.error_text``)."""
    problem = logic.error_message(getattr(e, "code", None), getattr(e, "params", None), names)
    return state.error_text(e) if problem is None else _say(problem)


def _report(section: str, kind: str, text: str) -> None:
    st.session_state[MESSAGE_KEY] = (section, kind, text)


def _outcome(section: str | None) -> None:
    """The outcome of this section's last action (None: of any section), once."""
    found = st.session_state.get(MESSAGE_KEY)
    if not found or section not in (None, found[0]):
        return
    del st.session_state[MESSAGE_KEY]
    if found[1] == "success":
        st.success(found[2], icon=":material/check_circle:")
    else:
        st.error(found[2], icon=":material/error:")


def _who() -> Actor | None:
    """The signed-in municipal representative at the moment of the click (storage checks again)."""
    a = state.actor()
    return a if a is not None and a.role == MUNICIPALITY and a.round_id is not None and a.municipality else None


def _act(section: str, names: dict[str, str], write) -> bool:
    """Run ``write(db, actor)``; a refusal is reported in ``section``. True when it was stored."""
    actor = _who()
    if actor is None:
        _report(section, "error", tr("municipal.not_municipality"))
        return False
    try:
        write(state.db(), actor)
    except (InputError, AccessDenied) as e:
        _report(section, "error", _refusal(e, names))
        return False
    return True


def _gen(key: str) -> int:
    return st.session_state.get(key, 0)


def _bump(key: str) -> None:
    st.session_state[key] = _gen(key) + 1


# --- the page -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Page:
    """What one run of the page works with."""

    db: Any
    actor: Actor
    round_id: int
    municipality: str  # its id
    name: str  # its shown name
    project: Project  # the round's set-up with the committee as this actor may see it
    committee: Committee
    lang: str

    @property
    def window(self) -> str:
        return logic.window_state(self.committee.window)

    @property
    def is_open(self) -> bool:
        return self.window == logic.OPEN

    @property
    def names(self) -> dict[str, str]:
        return {o.id: o.label(self.lang) for o in self.project.objects}

    def towns(self) -> dict[str, str]:
        return report.municipality_names(self.committee)


def render() -> None:
    actor = state.actor()
    if actor is None or actor.role != MUNICIPALITY or actor.round_id is None or not actor.municipality:
        st.title(tr("municipal.title_plain"), anchor=False)
        st.error(tr("municipal.not_municipality"))
        return
    db, lang = state.db(), state.lang()
    try:
        info = rounds.round_info(db, actor, actor.round_id)
        project = rounds.setup_project(db, actor, actor.round_id)
        committee = store.committee(db, actor, actor.round_id)
    except (InputError, AccessDenied) as e:
        st.title(tr("municipal.title_plain"), anchor=False)
        st.error(state.error_text(e))
        return
    town = next((m.name for m in committee.municipalities if m.id == actor.municipality), None)
    if town is None:
        st.title(tr("municipal.title_plain"), anchor=False)
        st.error(tr("municipal.not_member"))
        return
    page = _Page(db, actor, actor.round_id, actor.municipality, town,
                 dataclasses.replace(project, committee=committee), committee, lang)
    st.title(tr("municipal.title", name=safe_text.md_name(town)), anchor=False)
    st.caption(safe_text.md(info["name"] + (f" · {info['data_label']}" if info.get("data_label") else "")))
    _window(page)
    if committee.points is not None:
        _points(page, committee.points)
    _proposals(page)
    _wishes(page)
    _stance(page)
    if page.window == logic.CLOSED:
        _everyone(page)
    _outcome(None)  # an outcome whose section is not on the page any more (e.g. points turned off meanwhile)


# --- the window ---------------------------------------------------------------------------------


def _window(page: _Page) -> None:
    w = page.committee.window
    milestone = next((m for m in page.project.milestones if m.id == w.milestone), None) if w.milestone else None
    if page.window == logic.OPEN and w.opened_at is not None:
        st.success(tr("municipal.window_open", since=i18n.timestamp(w.opened_at, page.lang)),
                   icon=":material/edit_note:")
        if milestone is not None:
            st.markdown(tr("municipal.window_until", title=safe_text.md_name(milestone.title(page.lang)),
                           date=i18n.day(milestone.end, page.lang)))
        st.caption(tr("municipal.private_until_closed"))
    elif page.window == logic.CLOSED and w.closed_at is not None:
        st.info(tr("municipal.window_closed", since=i18n.timestamp(w.closed_at, page.lang)), icon=":material/lock:")
    else:
        st.info(tr("municipal.window_not_opened"), icon=":material/schedule:")
        if milestone is not None:
            st.markdown(tr("municipal.window_planned", title=safe_text.md_name(milestone.title(page.lang)),
                           start=i18n.day(milestone.start, page.lang), end=i18n.day(milestone.end, page.lang)))


# --- local input points -------------------------------------------------------------------------


def _own(items, municipality: str):
    return [x for x in items if x.municipality == municipality]


def _points(page: _Page, points: LocalPoints) -> None:
    st.header(tr("municipal.points_heading"), anchor=False)
    st.markdown(tr("municipal.points_intro", budget=points.budget, cap=points.cap))
    mine = _own(page.committee.allocations, page.municipality)
    frame = logic.points_frame([(o.id, o.label(page.lang)) for o in page.project.candidates], mine)
    config = {
        logic.OBJECT: st.column_config.TextColumn(tr("municipal.col.object"), disabled=True, width="medium"),
        logic.POINTS: st.column_config.NumberColumn(tr("municipal.col.points"), help=tr("municipal.points_help",
                                                                                         cap=points.cap),
                                                    width="small"),
        logic.RATIONALE: st.column_config.TextColumn(tr("municipal.col.rationale"), max_chars=logic.MAX_RATIONALE,
                                                     help=tr("municipal.rationale_help", limit=logic.MAX_RATIONALE),
                                                     width="large"),
    }
    order = [logic.OBJECT, logic.POINTS, logic.RATIONALE]
    if not page.is_open:
        stored = sum(a.points for a in mine)
        st.dataframe(frame, hide_index=True, column_order=order, column_config=config, width="stretch",
                     placeholder="–", key="municipal_points_table")
        st.markdown(tr("municipal.points_used", used=stored, budget=points.budget, left=points.budget - stored))
        _outcome("points")
        return
    st.caption(tr("municipal.points_keyboard"))
    key = f"municipal_points|{logic.allocations_digest(mine)}"  # a new table once something else is stored
    edited = st.data_editor(frame, key=key, hide_index=True, num_rows="fixed", column_order=order,
                            column_config=config, disabled=[logic.OBJECT], width="stretch", placeholder="–")
    result = logic.parse_points(edited, page.municipality, points.budget, points.cap)
    budget = logic.budget_status(result.used, points.budget)
    st.progress(budget.share, text=tr("municipal.points_used", used=budget.used, budget=budget.budget,
                                      left=budget.left))
    if budget.over:
        st.warning(tr("municipal.points_over", over=budget.over, budget=budget.budget), icon=":material/warning:")
    st.button(tr("municipal.points_save"), key="municipal_points_save", type="primary", on_click=_save_points,
              args=(key, frame, points.budget, points.cap, page.names))
    _outcome("points")


def _save_points(key: str, shown: pd.DataFrame, budget: int, cap: int, names: dict[str, str]) -> None:
    """The whole table as edited (the table shown and the editor's edits), stored whole or refused."""
    actor = _who()
    result = logic.parse_points(logic.apply_edit(shown, st.session_state.get(key)),
                                (actor.municipality or "") if actor else "", budget, cap)
    if not result.ok:
        _report("points", "error", _problems_text("municipal.points_not_saved", result.problems))
        return
    if _act("points", names, lambda db, a: store.set_allocations(db, a, a.round_id, a.municipality,
                                                                  list(result.allocations))):
        _report("points", "success", tr("municipal.points_saved", used=result.used, budget=budget))


# --- proposals ----------------------------------------------------------------------------------


def _channel_label(channel: str) -> str:
    return tr(f"municipal.channel.{channel}")


def _mode_label(mode: str) -> str:
    text = tr(f"fact.mode.{mode}")
    return mode if text == f"fact.mode.{mode}" else text


def _proposal_lines(p: Proposal, page: _Page) -> list[str]:
    """The facts of a proposal as Markdown lines (typed text escaped)."""
    lines = [f"**{tr('municipal.proposal_need')}:** {safe_text.md(p.need)}"]
    if p.location:
        lines.append(f"**{tr('municipal.proposal_location')}:** {safe_text.md(p.location)}")
    if p.mode:
        lines.append(f"**{tr('municipal.proposal_mode')}:** "
                     + safe_text.md(" + ".join(_mode_label(m) for m in p.mode.split("+"))))
    if p.cost is not None:
        lines.append(f"**{tr('municipal.proposal_cost')}:** {i18n.msek(p.cost, page.lang)}")
    lines.append(f"**{tr('municipal.proposal_channel')}:** {_channel_label(p.plan_channel)}")
    if p.links:
        lines.append(f"**{tr('municipal.proposal_links')}:** " + ", ".join(safe_text.md(x) for x in p.links))
    return lines


def _status_line(p: Proposal, page: _Page) -> str:
    if p.status == DECLINED:
        return tr("municipal.proposal_declined", reason=safe_text.md(p.reason or "–"))
    if p.status == PROPOSED:
        return tr("municipal.proposal_proposed")
    return tr("municipal.proposal_accepted",
              object=safe_text.md_name(page.names.get(p.object or "", p.object or "–")))


def _proposals(page: _Page) -> None:
    st.header(tr("municipal.proposals_heading"), anchor=False)
    st.markdown(tr("municipal.proposals_intro"))
    mine = _own(page.committee.proposals, page.municipality)
    st.subheader(tr("municipal.own_proposals", n=len(mine)), anchor=False)
    if not mine:
        st.caption(tr("municipal.no_proposals"))
    for p in mine:
        with st.container(border=True, key=f"municipal_proposal_{p.id}"):
            st.markdown(f"**{safe_text.md(p.name)}** · {safe_text.md(p.id)}")
            st.markdown(_status_line(p, page))
            st.markdown("  \n".join(_proposal_lines(p, page)))
            if p.status == PROPOSED and page.is_open:
                st.button(tr("municipal.withdraw", name=safe_text.md_label(p.name)), key=f"municipal_withdraw_{p.id}",
                          on_click=_withdraw, args=(p.id, p.name, page.names))
    _outcome("proposals")
    if page.is_open:
        _proposal_form(page)
    else:
        st.caption(tr("municipal.read_only" if page.window == logic.CLOSED else "municipal.not_yet"))
        _outcome("proposal_form")


def _proposal_form(page: _Page) -> None:
    st.subheader(tr("municipal.new_proposal"), anchor=False)
    gen = _gen(PROPOSAL_GEN)
    k = {f: f"municipal_prop_{f}_{gen}" for f in PROPOSAL_FIELDS}
    with st.form(f"municipal_propose_{gen}", enter_to_submit=False):
        st.text_input(tr("municipal.proposal_name"), key=k["name"], max_chars=text_rules.MAX_NAME)
        st.text_area(tr("municipal.proposal_need_label"), key=k["need"], max_chars=text_rules.MAX_COMMENT,
                     help=tr("municipal.proposal_need_help"))
        st.text_input(tr("municipal.proposal_location"), key=k["location"], max_chars=text_rules.MAX_NAME)
        st.multiselect(tr("municipal.proposal_mode_label"), logic.MODES, key=k["modes"], format_func=_mode_label,
                       placeholder=tr("municipal.proposal_mode_placeholder"))
        st.number_input(tr("municipal.proposal_cost_label"), key=k["cost"], value=None, min_value=0.0, step=10.0,
                        format="%.0f", help=tr("municipal.proposal_cost_help"))
        st.selectbox(tr("municipal.proposal_channel"), PLAN_CHANNELS, key=k["channel"],
                     index=PLAN_CHANNELS.index("unknown"), format_func=_channel_label)
        st.text_area(tr("municipal.proposal_links_label"), key=k["links"], help=tr("municipal.proposal_links_help"),
                     placeholder="https://")
        st.form_submit_button(tr("municipal.proposal_send"), type="primary", key="municipal_proposal_send",
                              on_click=_send_proposal, args=(k, page.names))
    _outcome("proposal_form")


def _withdraw(proposal_id: str, name: str, names: dict[str, str]) -> None:
    if _act("proposals", names, lambda db, a: store.withdraw_proposal(db, a, a.round_id, proposal_id)):
        _report("proposals", "success", tr("municipal.withdrawn", name=safe_text.md_name(name)))


def _send_proposal(k: dict[str, str], names: dict[str, str]) -> None:
    ss = st.session_state
    fields, problems = logic.proposal_fields(ss.get(k["name"]), ss.get(k["need"]), ss.get(k["location"]),
                                             ss.get(k["modes"]) or [], ss.get(k["cost"]), ss.get(k["channel"]),
                                             ss.get(k["links"]))
    if problems:
        _report("proposal_form", "error", _problems_text("municipal.proposal_not_sent", problems))
        return
    made: list[str] = []
    if _act("proposal_form", names,
            lambda db, a: made.append(store.propose(db, a, a.round_id, a.municipality, fields))):
        _bump(PROPOSAL_GEN)  # the form starts empty
        _report("proposals", "success", tr("municipal.proposal_sent", name=safe_text.md_name(fields["name"]),
                                           id=safe_text.md(made[0])))


# --- wishes -------------------------------------------------------------------------------------


def _wishes(page: _Page) -> None:
    st.header(tr("municipal.wishes_heading"), anchor=False)
    st.markdown(tr("municipal.wishes_intro"))
    names = page.names
    mine = {w.object: w.text for w in _own(page.committee.wishes, page.municipality)}
    if mine:
        st.markdown("\n".join(f"- **{safe_text.md_name(names.get(o, o))}:** {safe_text.md(t)}"
                              for o, t in mine.items()))
    else:
        st.caption(tr("municipal.no_wishes"))
    if not page.is_open:
        st.caption(tr("municipal.read_only" if page.window == logic.CLOSED else "municipal.not_yet"))
        _outcome("wishes")
        return
    objects = [o.id for o in page.project.objects]
    if not objects:
        return
    has_wish = tr("municipal.has_wish")

    def label(oid: str) -> str:
        return names.get(oid, oid) + (has_wish if oid in mine else "")

    chosen = st.selectbox(tr("municipal.wish_object"), objects, key="municipal_wish_object", format_func=label)
    text_key = f"municipal_wish_text|{chosen}|{_gen(WISH_GEN)}"
    st.text_area(tr("municipal.wish_text", object=safe_text.md_label(names.get(chosen, chosen))), key=text_key,
                 value=mine.get(chosen, ""), max_chars=text_rules.MAX_COMMENT)
    st.button(tr("municipal.wish_save"), key="municipal_wish_save", type="primary", on_click=_save_wish,
              args=(chosen, text_key, False, names))
    st.button(tr("municipal.wish_remove"), key="municipal_wish_remove", disabled=chosen not in mine,
              on_click=_save_wish, args=(chosen, text_key, True, names))
    _outcome("wishes")


def _save_wish(object_id: str, text_key: str, remove: bool, names: dict[str, str]) -> None:
    text = None if remove else (st.session_state.get(text_key) or "").strip()
    if not remove and not text:
        _report("wishes", "error", tr("municipal.wish_empty"))
        return
    if _act("wishes", names, lambda db, a: store.set_wish(db, a, a.round_id, a.municipality, object_id, text)):
        _bump(WISH_GEN)
        name = safe_text.md_name(names.get(object_id, object_id))
        _report("wishes", "success", tr("municipal.wish_removed" if remove else "municipal.wish_saved", object=name))


# --- the stance on the draft list ---------------------------------------------------------------


def _stance(page: _Page) -> None:
    st.header(tr("municipal.stance_heading"), anchor=False)
    c = page.committee
    draft = c.current_draft
    if c.decision is not None:
        st.info(tr("municipal.decided", version=safe_text.md_name(c.decision.version_name),
                   date=i18n.day(c.decision.ref.date, page.lang)))
    if draft is None:
        if c.decision is None:
            st.info(tr("municipal.no_draft"))
        _outcome("stance")
        _earlier_stances(page)
        return
    st.markdown(tr("municipal.draft_out", version=safe_text.md_name(draft.version_name),
                   sent=i18n.timestamp(draft.sent_at, page.lang), reply_by=i18n.day(draft.reply_by, page.lang)))
    mine = next((s for s in c.stances if s.municipality == page.municipality and s.version == draft.version), None)
    if mine is not None:
        st.success(tr("municipal.stance_recorded", stance=tr(f"committee.stance.{mine.stance}"),
                      when=i18n.timestamp(mine.replied_at, page.lang) if mine.replied_at else "–"))
    _stance_form(page, draft, mine)


def _stance_form(page: _Page, draft: Draft, mine) -> None:
    names = page.names
    tag = draft.version[:12]
    objects = [o.id for o in page.project.candidates]
    ref = mine.decision if mine is not None else None
    with st.form(f"municipal_stance_{tag}", enter_to_submit=False):
        st.radio(tr("municipal.stance_label"), STANCES, key=f"municipal_stance_choice_{tag}",
                          index=STANCES.index(mine.stance) if mine is not None else None,
                          format_func=lambda s: tr(f"committee.stance.{s}"))
        st.text_area(tr("municipal.stance_comment"), key=f"municipal_stance_comment_{tag}",
                               value=(mine.comment or "") if mine is not None else "",
                               max_chars=text_rules.MAX_COMMENT)
        with st.expander(tr("municipal.object_comments")):
            st.caption(tr("municipal.object_comments_help"))
            for oid in objects:
                st.text_input(tr("municipal.object_comment", object=safe_text.md_label(names.get(oid, oid))),
                              key=f"municipal_stance_obj_{tag}_{oid}",
                              value=(mine.object_comments.get(oid, "") if mine is not None else ""),
                              max_chars=text_rules.MAX_COMMENT)
        st.markdown(f"**{tr('municipal.decision_heading')}**")
        st.caption(tr("municipal.decision_help"))
        st.text_input(tr("municipal.decision_body"), key=f"municipal_stance_body_{tag}",
                             value=ref.body if ref else "", placeholder=tr("municipal.decision_body_placeholder"),
                             max_chars=text_rules.MAX_NAME)
        st.date_input(tr("municipal.decision_date"), key=f"municipal_stance_date_{tag}",
                            value=ref.date if ref else None, format="YYYY-MM-DD")
        st.text_input(tr("municipal.decision_reference"), key=f"municipal_stance_ref_{tag}",
                                  value=ref.reference if ref else "", placeholder="§ 123",
                                  max_chars=text_rules.MAX_NAME)
        st.form_submit_button(tr("municipal.stance_send"), type="primary", key="municipal_stance_send",
                              on_click=_send_stance, args=(tag, draft.version, draft.version_name, objects, names))
    _outcome("stance")


def _send_stance(tag: str, version: str, version_name: str, objects: list[str], names: dict[str, str]) -> None:
    ss = st.session_state
    stance = ss.get(f"municipal_stance_choice_{tag}")
    problems = []
    if stance not in STANCES:
        problems.append(logic.Problem("stance.choose"))
    decision, problem = logic.decision_ref(ss.get(f"municipal_stance_body_{tag}"), ss.get(f"municipal_stance_date_{tag}"),
                                           ss.get(f"municipal_stance_ref_{tag}"))
    if problem is not None:
        problems.append(problem)
    if problems:
        _report("stance", "error", _problems_text("municipal.stance_not_saved", problems))
        return
    comment = (ss.get(f"municipal_stance_comment_{tag}") or "").strip() or None
    comments = logic.object_comments({oid: ss.get(f"municipal_stance_obj_{tag}_{oid}") for oid in objects})
    chosen = str(stance)
    if _act("stance", names, lambda db, a: store.record_stance(db, a, a.round_id, a.municipality, version, chosen,
                                                               comment, comments, decision)):
        _report("stance", "success", tr("municipal.stance_saved", stance=tr(f"committee.stance.{stance}"),
                                        version=safe_text.md_name(version_name)))


def _earlier_stances(page: _Page) -> None:
    """The municipality's replies to earlier drafts, for the record."""
    drafts = {d.version: d for d in page.committee.drafts}
    mine = [s for s in page.committee.stances if s.municipality == page.municipality and s.version in drafts]
    for s in mine:
        st.markdown(tr("municipal.earlier_stance", version=safe_text.md_name(drafts[s.version].version_name),
                       stance=tr(f"committee.stance.{s.stance}")))


# --- everyone's input, once the window has closed -----------------------------------------------


def _everyone(page: _Page) -> None:
    c = page.committee
    st.header(tr("municipal.all_heading"), anchor=False)
    st.markdown(tr("municipal.all_intro"))
    if c.points is not None:
        st.subheader(tr("municipal.all_points"), anchor=False)
        spent = report.spent_frame(page.project)
        st.dataframe(spent, hide_index=True, width="stretch", key="municipal_all_spent", column_config={
            "municipality": tr("municipal.col.municipality"), "points": tr("municipal.col.points"),
            "budget": tr("municipal.col.budget"), "objects": tr("municipal.col.objects")})
        given = report.points_frame(page.project, page.lang)
        st.dataframe(given, hide_index=True, width="stretch", key="municipal_all_points", column_config={
            "municipality": tr("municipal.col.municipality"), "object": tr("municipal.col.object"),
            "points": tr("municipal.col.points"), "rationale": tr("municipal.col.rationale")})
    towns, names = page.towns(), page.names
    st.subheader(tr("municipal.all_proposals"), anchor=False)
    if c.proposals:
        st.dataframe(pd.DataFrame({
            tr("municipal.col.municipality"): [towns.get(p.municipality, p.municipality) for p in c.proposals],
            tr("municipal.col.proposal"): [p.name for p in c.proposals],
            tr("municipal.col.status"): [tr(f"municipal.status.{p.status}") for p in c.proposals],
            tr("municipal.col.reason"): [p.reason or "" for p in c.proposals],
        }), hide_index=True, width="stretch", key="municipal_all_proposals")
    else:
        st.caption(tr("municipal.none_yet"))
    st.subheader(tr("municipal.all_wishes"), anchor=False)
    if c.wishes:
        st.dataframe(pd.DataFrame({
            tr("municipal.col.municipality"): [towns.get(w.municipality, w.municipality) for w in c.wishes],
            tr("municipal.col.object"): [names.get(w.object, w.object) for w in c.wishes],
            tr("municipal.col.wish"): [w.text for w in c.wishes],
        }), hide_index=True, width="stretch", key="municipal_all_wishes")
    else:
        st.caption(tr("municipal.none_yet"))
