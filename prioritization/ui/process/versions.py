"""Frozen versions of the current round.

* Facilitator: freeze a named version, list, download, compare two versions (or a version with the
  round as it is now).
* Viewer (committee): list and download once the round is past set-up (``versions.load`` checks).
* Participant: list; download only once the round is locked (the file holds named scores).

Every action goes through ``prioritization.storage.versions``, which checks the role again.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from prioritization import i18n, projectfile, safe_text, text_rules
from prioritization.errors import InputError
from prioritization.storage import rounds, versions
from prioritization.storage.access import FACILITATOR, PARTICIPANT, AccessDenied
from prioritization.ui.process import versions_logic as logic
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr

LIVE = -1  # the compare selectbox's value for "the round as it is now"


def render() -> None:
    st.title(tr("versions.heading"), anchor=False)
    opened = state.open_round("versions.no_round",
                              lambda db, actor, rid: versions.list_versions(db, actor, rid, checked=True))
    if opened is None:
        return
    actor, rid, info, listed = opened
    db = state.db()
    st.caption(tr("versions.round", name=safe_text.md(info["name"])))
    st.write(tr("versions.intro"))
    _freeze_form(actor, rid)
    _list(db, actor, info, listed)
    if actor.role == FACILITATOR:
        _compare(db, actor, rid, listed)


# ------------------------------------------------------------------------------------- freezing


def _do_freeze(round_id: int) -> None:
    """Button callback: runs before the page, so the name field can be cleared afterwards."""
    name = st.session_state.get("versions_name", "")
    try:
        v = versions.freeze(state.db(), state.signed_in(), round_id, name)
    except (InputError, AccessDenied) as e:
        st.session_state["versions_error"] = state.error_text(e)
        return
    st.session_state["versions_name"] = ""
    st.session_state["versions_pick"] = v.id
    st.session_state["versions_flash"] = tr("versions.frozen", name=safe_text.md_name(v.name), sha=logic.short_hash(v.sha256))


def _freeze_form(actor, round_id: int) -> None:
    if actor.role == FACILITATOR:  # each role sees only what it can act on (issue 11 #13)
        st.subheader(tr("versions.freeze_heading"), anchor=False)
        st.text_input(tr("versions.name"), key="versions_name", placeholder=tr("versions.name_placeholder"),
                      max_chars=text_rules.MAX_NAME)
        st.button(tr("versions.freeze"), key="versions_freeze", type="primary", on_click=_do_freeze,
                  args=(round_id,))
    # shown whatever the role: a callback may have been refused by storage
    if msg := st.session_state.pop("versions_error", None):
        st.error(msg)
    if msg := st.session_state.pop("versions_flash", None):
        st.success(msg)


# ------------------------------------------------------------------------------ list, download


def _list(db, actor, info: dict, listed: list[versions.VersionInfo]) -> None:
    st.subheader(tr("versions.list_heading"), anchor=False)
    if not listed:
        st.info(tr("versions.none"))
        return
    lang = state.lang()
    newest_first = list(reversed(listed))
    st.dataframe(pd.DataFrame([{
        tr("versions.col_name"): v.name, tr("versions.col_time"): logic.local_time(v.created_at, lang),
        tr("versions.col_who"): v.created_by, tr("versions.col_sha"): logic.short_hash(v.sha256),
        tr("versions.col_check"): tr(f"versions.check.{v.check}")}
        for v in newest_first]), hide_index=True, width="stretch")
    by_id = {v.id: v for v in listed}
    if st.session_state.get("versions_pick") not in by_id:
        st.session_state.pop("versions_pick", None)
    pick = st.selectbox(tr("versions.pick"), [v.id for v in newest_first], key="versions_pick",
                        format_func=lambda i: _label(by_id[i], lang))
    v = by_id[pick]
    st.caption(tr("versions.full_sha"))
    st.code(v.sha256, language=None)
    _check_result(v)
    if actor.role == PARTICIPANT and not rounds.can_export(actor, info["status"]):
        st.info(tr("versions.participant_locked"))
        return
    try:
        data = versions.stored_text(db, actor, v.id).encode("utf-8")  # checked; anonymous when due
    except (InputError, AccessDenied) as e:
        st.info(tr("versions.not_downloadable", reason=state.error_text(e)))
        return
    if not versions.named(actor, info["status"]):
        st.info(tr("versions.anonymous_copy", sha=hashlib.sha256(data).hexdigest()))
    elif hashlib.sha256(data).hexdigest() != v.sha256:  # stored_text checked the stored text; this the bytes
        st.error(tr("error.version_corrupt", version=v.id))
        return
    st.download_button(tr("versions.download"), data, file_name=logic.file_name(v.name, v.id),
                       mime="application/json", key="versions_download", help=tr("versions.download_help"))


def _check_result(v: versions.VersionInfo) -> None:
    """What checking the version found, said where the hash is shown."""
    text = tr(f"versions.check_long.{v.check}")
    if v.check == versions.BROKEN:
        st.error(text, icon=":material/gpp_bad:")
    elif v.check == versions.SEALED:
        st.success(text, icon=":material/verified:")
    else:
        st.warning(text, icon=":material/info:")


def _label(v: versions.VersionInfo, lang: str) -> str:
    return f"{v.name} ({i18n.timestamp(v.created_at, lang)})"


# ----------------------------------------------------------------------------------- compare


def _compare(db, actor, round_id: int, listed: list[versions.VersionInfo]) -> None:
    st.subheader(tr("versions.compare_heading"), anchor=False)
    if not listed:
        st.info(tr("versions.none"))
        return
    lang = state.lang()
    by_id = {v.id: v for v in listed}
    ids = [v.id for v in reversed(listed)]
    left, right = st.columns(2)
    with left:
        a_id = st.selectbox(tr("versions.compare_a"), ids, key="versions_compare_a",
                            format_func=lambda i: _label(by_id[i], lang))
    with right:
        b_id = st.selectbox(tr("versions.compare_b"), [LIVE] + ids, key="versions_compare_b",
                            format_func=lambda i: tr("versions.live") if i == LIVE else _label(by_id[i], lang))
    if a_id == b_id:
        st.info(tr("versions.same"))
        return
    try:
        a = versions.load(db, actor, a_id)
        b = rounds.export_project(db, actor, round_id) if b_id == LIVE else versions.load(db, actor, b_id)
    except (InputError, AccessDenied) as e:
        st.error(tr("versions.compare_failed", reason=state.error_text(e)))
        return
    b_sha = projectfile.sha256(b) if b_id == LIVE else by_id[b_id].sha256
    if by_id[a_id].sha256 == b_sha:
        st.success(tr("versions.identical"))
        return
    changes = versions.compare(a, b)
    st.markdown(f"**{logic.summary(changes, lang)}**")
    rows = logic.change_rows(changes, a, b, lang)
    if rows:
        st.dataframe(pd.DataFrame([{tr("versions.col_what"): r.what, tr("versions.col_where"): r.where,
                                    tr("versions.col_old"): r.old, tr("versions.col_new"): r.new} for r in rows]),
                     hide_index=True, width="stretch", key="versions_changes")
