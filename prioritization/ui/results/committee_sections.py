"""The committee's stage on the ranking dashboard (issue 13): what Samarbetskommittén sees before and
after it decides.

Small render functions, each drawing nothing when the round has no such data (a round without a
committee section looks exactly as before):

* :func:`decided` – "Beslutad lista": the decision sentence, that the decided list is the
  reference, every departure from the model's list with its reason, and the whole decided list
  (model rank → decided rank, move, tiers, reason). Drawn first on the page once it exists.
* :func:`priority` – the priority list with local input points: T, L and the priority score side
  by side with the rank each gives, the formula and at which share s the first place or a tier
  boundary would change.
* :func:`points` – per municipality where its points went (the budget used, every allocation with
  its rationale).
* :func:`anchoring` – the anchoring matrix of the draft out for reply (else the latest draft):
  municipality × stance, reply date, its own decision and what is missing.
* :func:`screened` – the objects parked in the screening, listed apart (never ranked), with the
  reasons; objects let through against the checklist in an expander.

The priority list, the points and the screening are those of the version shown (a frozen version
keeps them as they were). The draft list's replies and the decision are recorded on the round after
a version is frozen (a version is never frozen with its own decision in it), so they come from the
round as it is now (:func:`record`), whichever version is shown.

Every figure and sentence comes from :mod:`prioritization.report.committee` and
:func:`prioritization.committee.priority.priority_list`; nothing is recomputed here. People's text
reaches Markdown only escaped (``prioritization.safe_text``); tables show it literally. Times are
shown in Stockholm time and say so.

The municipalities' points are public once the input window has closed; before that storage gives
a viewer, participant or municipal representative only what they may see (a municipality its
own), so a priority list built from that would be wrong: :func:`input_state` says whether the
points in view are all of them.

The sections of the version shown (priority list, points, screening) are made once per its content
key (``shown.key``, given by :func:`results.choose` after it checked access), weights and language
(:func:`_made`); the round's record (decision, anchoring) is drawn from ``record`` every time.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from prioritization import i18n, safe_text
from prioritization.committee.model import LET_THROUGH, Committee
from prioritization.committee.priority import priority_list
from prioritization.errors import InputError
from prioritization.model import Project
from prioritization.report import committee as view
from prioritization.report import result_text as rt
from prioritization.storage import rounds
from prioritization.storage.access import FACILITATOR, AccessDenied, Actor
from prioritization.ui.results import results
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr

P = "dashboard.committee"
NONE = view.NONE

# what the municipalities' points in view are (input_state)
FINAL = "final"  # the window has closed: every allocation, visible to all
PROVISIONAL = "provisional"  # every allocation so far, but the window is (or was, when frozen) open
HIDDEN = "hidden"  # the window is open and this role sees only part of them (or none)


def _say(text: str, *extra: str) -> str:
    """A sentence with people's names in it, ready for Markdown (:func:`results.say`, plus names
    that are not in the project file's name fields, e.g. a decision's body and reference)."""
    return results.say(text, *extra)


def _table(frame: pd.DataFrame) -> None:
    """A read-only table with every row shown (also on a projector and in print)."""
    st.dataframe(frame, hide_index=True, width="stretch", height="content")


@st.cache_resource(max_entries=32, show_spinner=False)
def _made(ident: tuple, _make: Callable[[], Any]) -> Any:
    """What ``_make`` returns, made once per ``ident`` (the section, ``shown.key``, the weights, the
    language); shared between sessions and never changed after."""
    return _make()


# ------------------------------------------------------------------------------------ the round's record


@st.cache_resource(max_entries=12, show_spinner=False)
def _round_now(url: str, round_id: int, revision: str, role: str, municipality: str | None, _db,
               _actor: Actor) -> Project:
    # what the actor may see depends on the role and the municipality only (rounds.visible_document)
    return rounds.setup_project(_db, _actor, round_id)


def record(shown: results.Shown, db, actor: Actor | None) -> Project:
    """The project whose committee holds the round's record as it is now, as ``actor`` may see it:
    the live round itself, or for a frozen version the round's set-up now (its drafts, replies,
    decision and input window; objects for their names). The version shown if it cannot be read."""
    if shown.live or actor is None:
        return shown.project
    try:
        revision = rounds.revision(db, actor, shown.round_id)  # checks access before the cache
        return _round_now(str(db.engine.url), shown.round_id, revision, actor.role, actor.municipality, db, actor)
    except (InputError, AccessDenied):
        return shown.project


# ------------------------------------------------------------------------------------ the decision


def decided(project: Project) -> None:
    """"Beslutad lista": drawn only when the committee has recorded its decision (``project``: the
    round's record, :func:`record`)."""
    d = project.committee.decision
    if d is None:
        return
    lang = state.lang()
    st.subheader(tr(f"{P}.decided_heading"), anchor=False)
    sentence = view.decision_sentence(project, lang) or ""
    st.success(_say(sentence, d.ref.body, d.ref.reference, d.version_name), icon=":material/gavel:")
    st.markdown(f"**{tr(f'{P}.decided_reference')}**")
    when = "" if d.recorded_at is None else " " + tr(f"{P}.decided_recorded", when=i18n.timestamp(d.recorded_at, lang))
    st.caption(tr(f"{P}.decided_version", version=safe_text.md_name(d.version_name), sha=d.version[:12]) + when)
    frame = view.decided_frame(project, lang)
    departures = frame[frame["reason"] != ""]
    if not departures.empty:
        st.markdown(tr(f"{P}.departures"))
        lines = []
        for r in departures.itertuples():
            tiers = ("" if r.model_tier == r.tier else
                     tr(f"{P}.departure_tiers", model_tier=safe_text.md_name(r.model_tier),
                        tier=safe_text.md_name(r.tier)))
            lines.append("- " + tr(f"{P}.departure", object=f"**{safe_text.md_name(r.object)}**",
                                   model_rank=r.model_rank, rank=r.rank, tiers=tiers,
                                   reason=safe_text.md(r.reason)))
        st.markdown("\n".join(lines))
    st.caption(tr(f"{P}.decided_table_caption"))
    _table(frame.drop(columns=["object_id"]).rename(columns=view.decided_headers(lang)))


# ------------------------------------------------------------------------------------ local input points


def input_state(shown: results.Shown, now: Project, actor: Actor | None) -> str:
    """Whether the municipalities' points in view are all of them: :data:`FINAL` once the input
    window has closed, :data:`PROVISIONAL` when the facilitator sees them while the window is open
    (or a version frozen while it was open, whose points were all released since: the window of
    the round ``now``, :func:`record`, has closed), else :data:`HIDDEN` (storage gives this role
    only part of them until the window closes)."""
    if shown.project.committee.window.is_closed:
        return FINAL
    if actor is None or actor.role == FACILITATOR:
        return PROVISIONAL
    if not shown.live and now.committee.window.is_closed:
        return PROVISIONAL  # frozen during the window, released in full once it closed
    return HIDDEN


def for_downloads(project: Project, input_state_: str) -> Project:
    """``project`` as the Excel, CSV and PDF downloads are made from it: without the local input
    points while this role sees only part of them (:data:`HIDDEN`), so that no file carries a
    priority list, or points given, built from that part (the page shows none either); as it is
    otherwise. The project file is the version shown as it is (``downloads.project_file_bytes``)."""
    if input_state_ != HIDDEN or project.committee.points is None:
        return project
    return dataclasses.replace(project, committee=dataclasses.replace(project.committee, points=None))


def _uses_points(c: Committee) -> bool:
    return c.points is not None and bool(c.municipalities)


def _window_caption(c: Committee, shown: results.Shown, input_state_: str) -> None:
    lang = state.lang()
    if input_state_ == FINAL:
        # FINAL only when the input window of the committee shown (``c``) has closed (input_state)
        assert c.window.closed_at is not None
        st.caption(tr(f"{P}.window_closed", when=i18n.timestamp(c.window.closed_at, lang)))
    elif shown.live:
        st.caption(tr(f"{P}.window_open"))
    else:
        st.caption(tr(f"{P}.window_open_frozen"))


def priority(shown: results.Shown, ranking, weights_text: str, input_state_: str, profile: str | None) -> None:
    """The priority list with local input points (only when the round has them): T, L and the
    priority score with the rank each gives, the formula and the share sentence. ``ranking`` is the
    weighted-sum ranking in view (by the weights ``profile``, None = those in use), so T is the
    score of the list above."""
    project = shown.project
    c = project.committee
    if c.points is None or not _uses_points(c):
        return
    lang = state.lang()
    share = i18n.number(c.points.share, lang, 2)
    st.subheader(tr(f"{P}.priority_heading"), anchor=False)
    if input_state_ == HIDDEN:
        st.info(tr(f"{P}.points_hidden", share=share), icon=":material/schedule:")
        return
    if not c.allocations:
        st.caption(tr(f"{P}.no_points_yet", share=share))
        return

    def make() -> tuple[str, str, pd.DataFrame] | None:
        try:
            pl = priority_list(project, ranking)
        except InputError:  # T is the weighted sum; another ranking has no priority list
            return None
        if pl is None:
            return None
        return view.formula_sentence(pl, lang), view.share_sentence(pl, lang=lang), priority_table(pl, lang)

    made = _made(("priority", shown.key, profile, lang), make)
    if made is None:
        return
    formula, share_sentence, table = made
    st.markdown(_say(formula))
    st.markdown(_say(share_sentence))
    st.caption(tr(f"{P}.priority_caption", weights=weights_text))
    _window_caption(c, shown, input_state_)
    _table(table)


def priority_table(pl, lang: str) -> pd.DataFrame:
    """:func:`prioritization.report.committee.priority_frame` as shown: the rank each score gives
    beside the score (the local rank read from the list), scores with the language's decimal sign."""
    frame = view.priority_frame(pl, lang)
    frame["local_rank"] = [r.local_rank for r in pl.rows]  # the frame's rows are the list's rows
    for col in ("priority", "technical", "local"):
        frame[col] = [i18n.number(x, lang, 3) for x in frame[col]]
    headers = {**view.priority_headers(lang), "local_rank": i18n.t(f"{P}.col_local_rank", lang)}
    columns = ["rank", "object", "priority", "technical_rank", "technical", "local_rank", "local", "points"]
    return frame[columns].rename(columns=headers)


def points(shown: results.Shown, input_state_: str) -> None:
    """Per municipality where its points went: the budget used, then every allocation with its
    rationale (only when there are points and this role may see them all)."""
    project = shown.project
    c = project.committee
    if not _uses_points(c) or not c.allocations or input_state_ == HIDDEN:
        return
    lang = state.lang()
    st.subheader(tr(f"{P}.points_heading"), anchor=False)
    st.caption(tr(f"{P}.points_caption"))

    def make() -> tuple[pd.DataFrame, pd.DataFrame]:
        headers = {col: i18n.t(f"{P}.col_{col}", lang)
                   for col in ("municipality", "object", "points", "budget", "objects", "rationale")}
        return (view.spent_frame(project).rename(columns=headers),
                view.points_frame(project, lang).rename(columns=headers))

    for table in _made(("points", shown.key, lang), make):
        _table(table)


# ------------------------------------------------------------------------------------ anchoring


def anchoring(project: Project) -> None:
    """The anchoring matrix of the draft out for reply, else the latest draft (only when a draft was
    sent out): its sentence, when it was sent, the matrix, and what is missing (``project``: the
    round's record, :func:`record`)."""
    c = project.committee
    draft = c.current_draft or (c.drafts[-1] if c.drafts else None)
    if draft is None or not c.municipalities:
        return
    lang = state.lang()
    st.subheader(tr(f"{P}.anchor_heading"), anchor=False)
    st.markdown(_say(view.anchoring_sentence(project, draft, lang), draft.version_name))
    sent = i18n.timestamp(draft.sent_at, lang)
    st.caption(tr(f"{P}.anchor_sent", when=sent) if draft.closed_at is None else
               tr(f"{P}.anchor_closed", when=sent, closed=i18n.timestamp(draft.closed_at, lang)))
    frame = view.anchoring_frame(project, draft, lang)
    _table(frame.rename(columns={col: tr(f"{P}.anchor_col.{col}") for col in frame.columns}))
    missing = [r for r in frame.itertuples() if r.missing]
    if missing:
        st.warning(tr(f"{P}.anchor_missing", n=len(missing), items="; ".join(
            f"{safe_text.md_name(r.municipality)} ({safe_text.md_name(r.missing)})" for r in missing)),
            icon=":material/pending_actions:")
    if against := view.opposed(project, draft):
        st.warning(tr(f"{P}.anchor_opposed", names=", ".join(map(safe_text.md_name, against))),
                   icon=":material/thumb_down:")


# ------------------------------------------------------------------------------------ screening


def screened(shown: results.Shown) -> None:
    """"Parkerade i gallringen – rangordnas inte": the parked objects apart, each with the checks it
    does not meet and the reason; the objects let through against the checklist in an expander."""
    project = shown.project
    c = project.committee
    let_through = [r for r in c.screening if r.outcome == LET_THROUGH]
    if not project.parked and not let_through:
        return
    lang = state.lang()
    if project.parked:
        st.subheader(tr(f"{P}.parked_heading"), anchor=False)
        st.caption(tr(f"{P}.parked_caption"))
        rows = [(o.id, c.screening_of(o.id)) for o in project.parked]
        _table(_made(("parked", shown.key, lang), lambda: _screening_frame(project, rows, lang)))
    if let_through:
        with st.expander(tr(f"{P}.let_through", n=len(let_through))):
            st.caption(tr(f"{P}.let_through_caption"))
            _table(_made(("let_through", shown.key, lang),
                         lambda: _screening_frame(project, [(r.object, r) for r in let_through], lang)))


def _screening_frame(project, rows, lang: str) -> pd.DataFrame:
    checks = {ch.id: (ch.text_en or ch.text) if lang == "en" else ch.text for ch in project.committee.checklist}
    objects = {o.id: o for o in project.objects}
    out = []
    for oid, result in rows:
        o = objects.get(oid)
        out.append({
            i18n.t(f"{P}.col_object", lang): rt.object_name(o, lang) if o is not None else oid,
            i18n.t(f"{P}.col_failed", lang): "; ".join(checks.get(f, f) for f in result.failed)
            if result and result.failed else NONE,
            i18n.t(f"{P}.col_reason", lang): (result.reason if result and result.reason else NONE),
            i18n.t("dashboard.col_municipalities", lang): ", ".join(
                (o.attributes.get("municipalities") or []) if o else []),
        })
    return pd.DataFrame(out)


__all__ = ["FINAL", "HIDDEN", "PROVISIONAL", "anchoring", "decided", "for_downloads", "input_state", "points",
           "priority", "priority_table", "record", "screened"]
