"""Re-evaluation ("omprövas", issue 14) on the ranking dashboard and the follow-up page.

Compared with the decided (or else the last frozen) version, an object whose cost changed by more
than a set share, whose planning stage moved back or to *avbruten*, whose evidence level changed or
that a plan put in phase *utgår*/*omtag* is flagged "Omprövas", with each change in words (old ->
new) and the version compared with. Everyone who may see the round's results sees the open and the
closed flags (a closed flag: decision, reason, who, when); the facilitator closes an open one with a
decision (keep, rescore, remove) and a reason, through :func:`prioritization.storage.reviews.close_flag`
with the row version read when the page was drawn.

A shared widget (not under ``ui/results``) because both feature folders draw it and a feature folder
never imports another (``tests/test_layers.py``). The cost-share threshold is a control on the
follow-up page (default 15 %), remembered for the session so the dashboard uses the same one.
"""

from __future__ import annotations

import streamlit as st

from prioritization import i18n, safe_text
from prioritization.errors import InputError
from prioritization.model import Project
from prioritization.planning import vocab
from prioritization.planning.reevaluation import COST, Change, Flag
from prioritization.report import planning as words
from prioritization.report.result_text import object_name
from prioritization.storage import reviews
from prioritization.storage.access import FACILITATOR, AccessDenied, Actor
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr

K = "reeval"  # prefix of this widget's session-state keys
SHARE_KEEP = f"_keep_{K}_share_pct"  # the threshold in per cent, kept across pages
DEFAULT_PCT = round(100 * vocab.DEFAULT_COST_SHARE)


def cost_share() -> float:
    """The threshold in use this session (a share, 0.15 for 15 %)."""
    pct = st.session_state.get(SHARE_KEEP, DEFAULT_PCT)
    return (pct if isinstance(pct, int | float) and pct > 0 else DEFAULT_PCT) / 100


def _share_setting(where: str) -> None:
    key = f"{K}_{where}_share_pct"
    if key not in st.session_state:
        st.session_state[key] = int(round(100 * cost_share()))

    def remember() -> None:
        st.session_state[SHARE_KEEP] = st.session_state[key]

    st.number_input(tr("reeval.threshold"), min_value=1, max_value=1000, step=1, key=key, on_change=remember,
                    help=tr("reeval.threshold_help"))
    st.session_state[SHARE_KEEP] = st.session_state[key]


def change_line(c: Change, lang: str) -> str:
    """One change in words for Markdown: "Kostnaden har ändrats från 1 200 till 1 440 MSEK (+20 %)"."""
    text = words.change_text(c, lang)
    if c.code == COST and c.old is not None and c.new is not None and float(c.old) > 0:
        share = (float(c.new) - float(c.old)) / float(c.old)
        text += f" ({'+' if share > 0 else ''}{i18n.percent(share, lang)})"
    return safe_text.md(text)  # a plan's period and the labels are shown literally


def _names(project: Project, lang: str) -> dict[str, str]:
    return {o.id: object_name(o, lang) for o in project.objects}


def render(db, actor: Actor | None, round_id: int, *, where: str = "dashboard", settings: bool = False) -> None:
    """The re-evaluation section of the round ``round_id``; ``where`` keys its widgets (one page
    may not draw it twice), ``settings`` shows the facilitator the cost-share threshold control
    (the follow-up page; kept for the session). Draws nothing for whoever may not see the round's
    results yet, nor, on the dashboard, when nothing is flagged."""
    if actor is None:
        return
    lang = state.lang()
    try:
        found = reviews.state(db, actor, round_id, cost_share())
    except AccessDenied as e:
        if settings and e.code != "not_released":
            st.error(state.error_text(e))
        return
    except InputError as e:
        st.error(state.error_text(e))
        return
    if not found.flags and not settings:
        _show(where, None)  # a success message outlives the last open flag
        return
    st.subheader(tr("reeval.heading"), anchor=False)
    if settings and actor.role == FACILITATOR:  # read above with the value it had: on_change stores it first
        _share_setting(where)
    _show(where, None)
    if found.version is None:
        st.caption(tr("reeval.no_baseline"))
        return
    v = found.version
    st.caption(tr("reeval.baseline", kind=tr("reeval.kind_decided" if found.decided else "reeval.kind_frozen"),
                  name=safe_text.md_name(v.name), when=i18n.day(v.created_at, lang),
                  sha=v.sha256[:12], share=i18n.percent(found.cost_share, lang)))
    names = _names(found.project, lang)
    if not found.open:
        st.info(tr("reeval.none_open", share=i18n.percent(found.cost_share, lang)))
    for flag in found.open:
        _open_flag(db, actor, round_id, where, flag, names, found.row_version, found.cost_share, lang)
    if found.closed:
        with st.expander(tr("reeval.closed_heading", n=len(found.closed)), expanded=not found.open):
            for flag in found.closed:
                _closed_flag(flag, names, lang)


def _open_flag(db, actor: Actor, round_id: int, where: str, flag: Flag, names: dict[str, str],
               row_version: int, share: float, lang: str) -> None:
    with st.container(border=True):
        st.badge(tr("planning.flag"), icon=":material/flag:", color="orange")
        st.markdown(f"**{safe_text.md_name(names.get(flag.object, flag.object))}**")
        st.markdown("\n".join(f"- {change_line(c, lang)}" for c in flag.changes))
        if actor.role != FACILITATOR:
            st.caption(tr("reeval.readonly"))
            return
        key = f"{K}_{where}_{flag.object}"
        st.radio(tr("reeval.decision"), list(vocab.REVIEW_DECISIONS), key=f"{key}_decision", horizontal=True,
                 format_func=lambda d: words.label("review", d, lang))
        st.caption(tr("reeval.decisions_help"))
        st.text_area(tr("reeval.reason"), key=f"{key}_reason", max_chars=2000, height=80)
        st.button(tr("reeval.save"), key=f"{key}_save", type="primary", on_click=_save,
                  args=(db, actor, round_id, where, flag.object, names.get(flag.object, flag.object), row_version,
                        share))
        _show(where, flag.object)


def _closed_flag(flag: Flag, names: dict[str, str], lang: str) -> None:
    review = flag.closed_by
    assert review is not None
    st.markdown(tr("reeval.closed_line", object=safe_text.md_name(names.get(flag.object, flag.object)),
                   decision=words.label("review", review.decision, lang), by=safe_text.md_name(review.by),
                   when=i18n.day(review.date, lang)))
    st.markdown("\n".join(f"- {change_line(c, lang)}" for c in flag.changes))
    st.markdown(tr("reeval.reason_shown", reason=safe_text.md(review.reason)))


# ------------------------------------------------------------------------------ closing (facilitator)


def _say(where: str, oid: str | None, kind: str, text: str) -> None:
    st.session_state[f"{K}_{where}_msg"] = (oid, kind, text)


def _show(where: str, oid: str | None) -> None:
    msg = st.session_state.get(f"{K}_{where}_msg")
    if msg and msg[0] == oid:
        del st.session_state[f"{K}_{where}_msg"]
        (st.success if msg[1] == "success" else st.error)(msg[2])


def _save(db, actor: Actor, round_id: int, where: str, oid: str, name: str, row_version: int,
          share: float) -> None:
    key = f"{K}_{where}_{oid}"
    decision = str(st.session_state.get(f"{key}_decision") or "")
    reason = st.session_state.get(f"{key}_reason") or ""
    try:
        reviews.close_flag(db, actor, round_id, oid, decision, reason, row_version, cost_share=share)
    except (InputError, AccessDenied) as e:  # StaleWrite included: "changed by someone else, reload"
        _say(where, oid, "error", state.error_text(e))
        return
    lang = state.lang()
    _say(where, None, "success", tr(f"reeval.saved_{decision}", object=safe_text.md_name(name),
                                    decision=words.label("review", decision, lang)))
    st.session_state[f"{key}_reason"] = ""
