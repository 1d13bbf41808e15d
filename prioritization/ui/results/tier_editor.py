"""The facilitator's tier editor on the dashboard: levels (A/B/C) with rank boundaries, and
objects placed in a level by hand. Saved through ``storage.rounds.replace_setup`` (validated as a
whole, audited, optimistic locking), so nothing is half-written."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from prioritization import tiers as tier_rules
from prioritization.errors import ProjectFileError
from prioritization.report import result_text as rt
from prioritization.storage import rounds
from prioritization.storage.access import FACILITATOR, AccessDenied, Actor
from prioritization.storage.errors import StaleWrite, StorageInputError
from prioritization.ui.results.results import Shown
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr

DEFAULT_LEVELS = ({"label": "A", "through_rank": 5}, {"label": "B", "through_rank": 10}, {"label": "C"})


def may_edit(actor: Actor | None, shown: Shown) -> bool:
    return actor is not None and actor.role == FACILITATOR and shown.live


def _levels_table(current: tier_rules.Tiers | None) -> pd.DataFrame:
    levels = [{"label": lv.label, "through_rank": lv.through_rank} for lv in current.levels] if current \
        else [dict(x) for x in DEFAULT_LEVELS]
    frame = pd.DataFrame(levels, columns=["label", "through_rank"])
    frame["through_rank"] = pd.array(frame["through_rank"], dtype="Int64")
    return frame


def form_to_tiers(levels: pd.DataFrame, assigned: dict[str, str]) -> dict:
    """The editor's tables as a format-v1 ``tiers`` value (empty rows dropped, text trimmed)."""
    out = []
    for row in levels.to_dict("records"):
        label = row.get("label")
        label = "" if label is None or (isinstance(label, float) and math.isnan(label)) else str(label).strip()
        bound = row.get("through_rank")
        bound = None if bound is None or pd.isna(bound) else bound
        if not label and bound is None:
            continue
        if bound is not None and float(bound).is_integer():
            bound = int(bound)
        out.append({"label": label, **({"through_rank": bound} if bound is not None else {})})
    d: dict = {"levels": out}
    if assigned:
        d["assigned"] = dict(assigned)
    return d


def problem_text(p: tier_rules.TierProblem, names: dict[str, str]) -> str:
    params = {k: (names.get(v, v) if k == "object" else v) for k, v in p.params.items()}
    return tr(f"tiers.error.{p.code}", **params)


def render(db, actor: Actor, shown: Shown, ranking) -> None:
    lang = state.lang()
    current = shown.project.tiers
    with st.expander(tr("tiers.heading"), expanded=False):
        st.caption(tr("tiers.intro"))
        levels = st.data_editor(_levels_table(current), num_rows="dynamic", hide_index=True, key="tiers_levels",
                                column_config={
                                    "label": st.column_config.TextColumn(tr("tiers.col_label"), max_chars=40),
                                    "through_rank": st.column_config.NumberColumn(
                                        tr("tiers.col_through"), min_value=1, step=1, format="%d",
                                        help=tr("tiers.col_through_help"))})
        labels = [str(x).strip() for x in levels["label"].tolist() if isinstance(x, str) and x.strip()]
        names = {ro.object.id: f"{ro.rank}. {rt.object_name(ro.object, lang)}" for ro in ranking.ranked}
        by_hand = dict(current.assigned) if current else {}
        hand = st.data_editor(
            pd.DataFrame([{"object": names[oid], "level": by_hand.get(oid, "")} for oid in names]),
            hide_index=True, disabled=["object"], key="tiers_assigned",
            column_config={"object": st.column_config.TextColumn(tr("overview.col_object")),
                           "level": st.column_config.SelectboxColumn(tr("tiers.col_by_hand"), options=["", *labels],
                                                                     help=tr("tiers.col_by_hand_help"))})
        ids = list(names)
        assigned = {ids[i]: lv for i, lv in enumerate(hand["level"].tolist()) if isinstance(lv, str) and lv}
        c1, c2 = st.columns(2)
        if c1.button(tr("tiers.save"), key="tiers_save", type="primary"):
            _save(db, actor, shown, form_to_tiers(levels, assigned), names)
        if current and c2.button(tr("tiers.remove"), key="tiers_remove"):
            _save(db, actor, shown, None, names)


def _save(db, actor: Actor, shown: Shown, value: dict | None, names: dict[str, str]) -> None:
    if value is not None:
        found = tier_rules.problems(value, [o.id for o in shown.project.objects])
        if found:
            st.error(tr("tiers.not_saved") + "\n\n" + "\n".join(f"- {problem_text(p, names)}" for p in found))
            return
    try:
        row_version = rounds.round_info(db, actor, shown.round_id)["row_version"]
        rounds.replace_setup(db, actor, shown.round_id, {"tiers": value}, row_version)
    except StaleWrite:
        st.error(tr("tiers.stale"))
        return
    except (ProjectFileError, StorageInputError, AccessDenied) as e:
        st.error(state.error_text(e))
        return
    st.session_state.pop("tiers_levels", None)
    st.session_state.pop("tiers_assigned", None)
    st.toast(tr("tiers.saved") if value is not None else tr("tiers.removed"))
    st.rerun()
