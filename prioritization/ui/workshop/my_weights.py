"""Participant: give one's own weights as a 100-point allocation (``rounds.set_own_weights``).

The facilitator sees them on the weights page and decides which weights are used (an agreed set or
the participants' mean). The sum need not be exactly 100: points are normalised, the page shows
the running sum and warns when it is not 100. Works at phone width (one input per row).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from prioritization import i18n, safe_text
from prioritization.errors import InputError, ProjectFileError
from prioritization.storage import rounds
from prioritization.storage.access import PARTICIPANT, AccessDenied
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr
from prioritization.ui.widgets.charts_weights import weights_bar_chart
from prioritization.ui.widgets.setup_page import (
    SaveOutcome,
    outcome_markdown,
    table_height,
)
from prioritization.ui.widgets.weights_input import (
    direct_object,
    initial_inputs,
    points_sum,
    resolve,
    sums_to_100,
)

IN = "my_weights_in_"
FLASH = "my_weights_flash"


def _label(c: dict[str, Any]) -> str:
    return f"{c['name']} ({c['id']})"


def start_values(own: dict[str, Any] | None, ids: list[str]) -> tuple[list[float], bool]:
    """Starting points: the participant's saved weights as points, else zeros. The flag says the
    saved weights no longer fit the criteria (they changed since) and were not used."""
    if own is None:
        return [0.0] * len(ids), False
    try:
        resolve(own, ids)
    except InputError:
        return [0.0] * len(ids), True
    return initial_inputs("direct", own, ids), False


def save_own(db, actor, round_id: int, weights: dict[str, Any] | None) -> SaveOutcome:
    try:
        rounds.set_own_weights(db, actor, round_id, weights)
    except ProjectFileError as e:
        return SaveOutcome(None, tr("weights.not_saved_problems"), tuple(str(p) for p in e.problems))
    except (InputError, AccessDenied) as e:
        return SaveOutcome(None, state.error_text(e))
    return SaveOutcome(0)


def render() -> None:
    st.title(tr("weights.my_heading"), anchor=False)
    actor = state.actor()
    if actor is None or actor.role != PARTICIPANT:
        st.info(tr("weights.my_participants_only"))
        return
    db, rid = state.db(), actor.round_id
    try:
        doc = rounds.setup_document(db, actor, rid)
        own = rounds.participant_weights(db, actor, rid).get(actor.participant_key)
        locked = rounds.round_info(db, actor, rid)["status"] == "locked"
    except (InputError, AccessDenied) as e:
        st.error(state.error_text(e))
        return
    if locked:
        st.info(tr("error.round_locked"))
    if msg := st.session_state.pop(FLASH, None):
        st.success(msg)
    crits = doc["criteria"]
    ids = [c["id"] for c in crits]
    keys = [f"{IN}{cid}" for cid in ids]
    values, stale = start_values(own, ids)
    for k, v in zip(keys, values, strict=True):
        st.session_state.setdefault(k, v)
    st.markdown(tr("weights.my_intro"))
    if stale:
        st.info(tr("weights.my_stale"))
    elif own is not None:
        st.caption(tr("weights.my_saved_exists"))
    for c, key in zip(crits, keys, strict=True):
        st.number_input(safe_text.md_label(_label(c)), min_value=0.0, step=1.0, format="%g", key=key,
                        help=safe_text.md(c["description"]) if c.get("description") else None,
                        disabled=locked)
    points = [float(st.session_state[k]) for k in keys]
    total = points_sum(points)
    st.markdown(tr("weights.sum", sum=i18n.number(total, state.lang(), 0 if total == round(total) else 2)))
    obj = None
    if total <= 0:
        st.info(tr("weights.my_start"))
    else:
        if not sums_to_100(points):
            st.warning(tr("weights.sum_not_100", sum=i18n.number(total, state.lang(), 2)))
        obj = direct_object(ids, points)
        w = resolve(obj, ids)
        st.dataframe(pd.DataFrame({tr("weights.col_criterion"): [_label(c) for c in crits],
                                   tr("weights.col_weight"): [i18n.percent(x, state.lang(), 1) for x in w]}),
                     hide_index=True, width="stretch", height=table_height(len(crits)))
        st.altair_chart(weights_bar_chart([_label(c) for c in crits], list(w), axis_title=tr("weights.axis"),
                                          lang=state.lang()), width="stretch")
        st.caption(tr("weights.chart_caption_mine"))
    if st.button(tr("weights.my_save"), key="my_weights_save", type="primary", disabled=obj is None or locked):
        outcome = save_own(db, actor, rid, obj)
        if not outcome.ok:
            st.error(outcome_markdown(outcome))
        else:
            st.session_state[FLASH] = tr("weights.my_saved")
            st.rerun()
    if own is not None and st.button(tr("weights.my_clear"), key="my_weights_clear", disabled=locked):
        outcome = save_own(db, actor, rid, None)
        if not outcome.ok:
            st.error(outcome_markdown(outcome))
        else:
            for k in keys:
                st.session_state.pop(k, None)
            st.session_state[FLASH] = tr("weights.my_cleared")
            st.rerun()
