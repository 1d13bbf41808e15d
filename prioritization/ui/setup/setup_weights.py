"""Facilitator: choose the weights in use for the current round.

Five ways to elicit them [S2]: 100-point allocation (direct), swing, ranking with ROC or rank sum,
and AHP pairwise comparisons on Saaty's 1/9..9 scale with a live consistency ratio and the
judgements that deviate most. The resulting weights are previewed (table + bar chart) before
"Spara vikterna" stores them via ``rounds.replace_setup`` (optimistic locking on the row version
read when the page loaded the set-up).

The facilitator also sees the participants' own weights and can use their mean (see
``weights_input`` for why the arithmetic mean of normalised weights), or apply a weight profile
with one click.

The 100-point allocation shows the running sum and warns when it is not 100, but does not block
saving: direct points are always normalised [S0.1, S2.1], so only an all-zero allocation is refused.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from prioritization import i18n, safe_text
from prioritization.engine import weights as wts
from prioritization.errors import InputError
from prioritization.storage import rounds
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr
from prioritization.ui.widgets.charts_weights import weights_bar_chart
from prioritization.ui.widgets.setup_page import (
    open_snapshot_page,
    outcome_markdown,
    save_setup,
    table_height,
)
from prioritization.ui.widgets.weights_input import (
    METHODS,
    SAATY_OPTIONS,
    ahp_matrix,
    ahp_object,
    ahp_on_saaty_scale,
    direct_object,
    inconsistent_pairs,
    initial_inputs,
    mean_object,
    pairs,
    participant_mean,
    points_sum,
    rank_object,
    resolve,
    sums_to_100,
    swing_object,
)

LOADED = "weights_loaded"
FLASH = "weights_flash"
IN = "weights_in_"  # prefix of every input widget key; cleared whenever the set-up is (re)loaded
METHOD_KEY = f"{IN}method"


def num(x: float, decimals: int = 1) -> str:
    return i18n.number(x, state.lang(), decimals)


def pct(x: float) -> str:
    return i18n.percent(x, state.lang(), 1)


def criterion_label(c: dict[str, Any]) -> str:
    return f"{c['name']} ({c['id']})"


def saaty_label(option: int, first: str, second: str) -> str:
    """Swedish/English words for a signed judgement on the pair (first, second)."""
    if option == 1:
        return tr("weights.saaty_1")
    name, k = (first, option) if option > 0 else (second, -option)
    return tr(f"weights.saaty_{k}", name=name)


def given_text(x: float) -> str:
    return str(int(round(x))) if abs(x - round(x)) < 1e-9 else num(x)


# ------------------------------------------------------------------------------------------
# Loading and shared pieces


def _load(db, actor, rid: int) -> dict[str, Any]:
    snap = st.session_state.get(LOADED)
    if snap is None or snap["round"] != rid:
        info = rounds.round_info(db, actor, rid)  # version first: a later change then makes the save stale
        doc = rounds.setup_document(db, actor, rid)
        snap = {"round": rid, "version": info["row_version"], "status": info["status"], "name": doc["name"],
                "criteria": doc["criteria"], "weights": doc["weights"],
                "weight_profiles": doc.get("weight_profiles", []), "participants": doc.get("participants", []),
                "own": rounds.participant_weights(db, actor, rid)}
        for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(IN)]:
            del st.session_state[key]
        st.session_state[LOADED] = snap
    return snap


def _reload() -> None:
    st.session_state.pop(LOADED, None)


def _save(db, actor, snap: dict[str, Any], weights: dict[str, Any], flash: str) -> None:
    if weights == snap["weights"]:
        st.info(tr("weights.no_changes"))
        return
    outcome = save_setup(db, actor, snap["round"], {"weights": weights}, snap["version"])
    if not outcome.ok:
        st.error(outcome_markdown(outcome))
        return
    _reload()
    st.session_state[FLASH] = flash
    st.rerun()


def weights_table(criteria: list[dict[str, Any]], columns: dict[str, np.ndarray | None]) -> pd.DataFrame:
    """Criterion + one percentage column per weight vector (text, localised)."""
    data: dict[str, list[str]] = {tr("weights.col_criterion"): [criterion_label(c) for c in criteria]}
    for title, w in columns.items():
        data[title] = [pct(x) for x in w] if w is not None else ["–"] * len(criteria)
    return pd.DataFrame(data)


def show_weights_chart(criteria: list[dict[str, Any]], w: np.ndarray, caption: str) -> None:
    st.altair_chart(weights_bar_chart([criterion_label(c) for c in criteria], list(w),
                                      axis_title=tr("weights.axis"), lang=state.lang()), width="stretch")
    st.caption(caption)


# ------------------------------------------------------------------------------------------
# The five input methods: each returns a weights object, or None (with a message shown)


def _defaults(method: str, snap: dict[str, Any], keys: list[str]) -> None:
    ids = [c["id"] for c in snap["criteria"]]
    if any(k not in st.session_state for k in keys):
        for k, v in zip(keys, initial_inputs(method, snap["weights"], ids), strict=True):
            st.session_state.setdefault(k, v)


def _two_columns(items: list) -> list:
    """One container per item, two per row; one row of columns per pair so that the order stays
    C1, C2, C3, ... when the columns stack on a narrow screen."""
    out = []
    for k in range(0, len(items), 2):
        out += st.columns(2)[: len(items) - k]
    return out


def direct_inputs(snap: dict[str, Any]) -> dict[str, Any] | None:
    crits = snap["criteria"]
    keys = [f"{IN}direct_{c['id']}" for c in crits]
    _defaults("direct", snap, keys)
    st.caption(tr("weights.direct_help"))
    for col, c, key in zip(_two_columns(crits), crits, keys, strict=True):
        col.number_input(safe_text.md_label(criterion_label(c)), min_value=0.0, step=1.0, format="%g", key=key,
                         help=safe_text.md(c["description"]) if c.get("description") else None)
    points = [float(st.session_state[k]) for k in keys]
    total = points_sum(points)
    st.markdown(tr("weights.sum", sum=num(total, 2 if total != round(total) else 0)))
    if total <= 0:
        st.error(tr("weights.sum_zero"))
        return None
    if not sums_to_100(points):
        st.warning(tr("weights.sum_not_100", sum=num(total, 2)))
    return direct_object([c["id"] for c in crits], points)


def swing_inputs(snap: dict[str, Any]) -> dict[str, Any] | None:
    crits = snap["criteria"]
    keys = [f"{IN}swing_{c['id']}" for c in crits]
    _defaults("swing", snap, keys)
    st.caption(tr("weights.swing_help"))
    for col, c, key in zip(_two_columns(crits), crits, keys, strict=True):
        col.slider(criterion_label(c), min_value=0, max_value=100, step=1, key=key, help=c.get("description"))
    points = [int(st.session_state[k]) for k in keys]
    if max(points) != 100:
        st.error(tr("weights.swing_needs_100", largest=max(points)))
        return None
    return swing_object([c["id"] for c in crits], points)


def rank_inputs(snap: dict[str, Any], method: str) -> dict[str, Any] | None:
    crits = snap["criteria"]
    m = len(crits)
    keys = [f"{IN}rank_{c['id']}" for c in crits]
    _defaults(method, snap, keys)
    st.caption(tr("weights.rank_help", m=m))
    for col, c, key in zip(_two_columns(crits), crits, keys, strict=True):
        col.number_input(safe_text.md_label(criterion_label(c)), min_value=1, max_value=m, step=1, key=key,
                         help=safe_text.md(c["description"]) if c.get("description") else None)
    ranks = [int(st.session_state[k]) for k in keys]
    return rank_object([c["id"] for c in crits], ranks, method)


def ahp_inputs(snap: dict[str, Any]) -> dict[str, Any] | None:
    crits = snap["criteria"]
    n = len(crits)
    if n < 2:
        st.info(tr("weights.ahp_needs_two"))
        return None
    stored = snap["weights"]
    same = stored.get("method") == "ahp"
    variant_key = f"{IN}ahp_variant"
    st.session_state.setdefault(variant_key, stored.get("variant", "eigen") if same else "eigen")
    keys = [f"{IN}ahp_{i}_{j}" for i, j in pairs(n)]
    _defaults("ahp", snap, keys)
    st.caption(tr("weights.ahp_help", n=len(keys)))
    if same and not ahp_on_saaty_scale(stored):
        st.info(tr("weights.ahp_rounded"))
    st.selectbox(tr("weights.ahp_variant"), ["eigen", "geometric"], key=variant_key,
                 format_func=lambda v: tr(f"weights.ahp_variant_{v}"))
    feedback = st.container()  # CR and the worst judgements above the (possibly many) sliders
    for (i, j), key in zip(pairs(n), keys, strict=True):
        a, b = crits[i]["name"], crits[j]["name"]
        st.select_slider(tr("weights.ahp_pair", a=criterion_label(crits[i]), b=criterion_label(crits[j])),
                         options=list(SAATY_OPTIONS), key=key,
                         format_func=lambda s, a=a, b=b: saaty_label(s, a, b))
    judgements = [int(st.session_state[k]) for k in keys]
    ri_table = stored.get("ri_table") if same else None
    obj = ahp_object([c["id"] for c in crits], judgements, st.session_state[variant_key], ri_table)
    with feedback:
        _ahp_feedback(crits, judgements, obj)
    return obj


def _ahp_feedback(crits: list[dict[str, Any]], judgements: list[int], obj: dict[str, Any]) -> None:
    n = len(crits)
    a = ahp_matrix(judgements, n)
    cons = wts.consistency(a, obj.get("ri_table") or wts.DEFAULT_RI_TABLE)
    st.subheader(tr("weights.ahp_consistency"), anchor=False)
    if cons.cr is None:
        st.info(tr("weights.ahp_cr_undefined", n=n, lam=num(cons.lambda_max, 3), ci=num(cons.ci, 3)))
    elif cons.acceptable:
        st.success(tr("weights.ahp_cr_ok", cr=num(cons.cr, 3), limit=num(wts.CR_ACCEPTABLE, 2)))
    else:
        st.error(tr("weights.ahp_cr_bad", cr=num(cons.cr, 3), limit=num(wts.CR_ACCEPTABLE, 2)))
    if n < 3:
        return
    w = wts.ahp_weights(a, obj["variant"])
    worst = inconsistent_pairs(a, w, top=3)
    if worst[0].log_error < 1e-9:
        st.markdown(tr("weights.ahp_fully_consistent"))
        return
    lines = []
    for k, p in enumerate(worst):
        if p.log_error < 1e-9:
            break
        lines.append("- " + tr("weights.ahp_deviates_first" if k == 0 else "weights.ahp_deviates_next",
                               a=crits[p.first]["name"], b=crits[p.second]["name"],
                               given=given_text(p.given), implied=num(p.implied)))
    st.markdown("\n".join([tr("weights.ahp_worst_heading"), ""] + lines))


# ------------------------------------------------------------------------------------------
# Page sections


def _method_section(db, actor, snap: dict[str, Any]) -> None:
    crits = snap["criteria"]
    ids = [c["id"] for c in crits]
    stored_method = snap["weights"].get("method")
    st.session_state.setdefault(METHOD_KEY, stored_method if stored_method in METHODS else "direct")
    method = st.selectbox(tr("weights.method"), list(METHODS), key=METHOD_KEY,
                          format_func=lambda m: tr(f"weights.method_{m}"))
    if method == "direct":
        obj = direct_inputs(snap)
    elif method == "swing":
        obj = swing_inputs(snap)
    elif method in ("roc", "rank_sum"):
        obj = rank_inputs(snap, method)
    else:
        obj = ahp_inputs(snap)
    if obj is None:
        return
    try:
        new = resolve(obj, ids)
    except InputError as e:
        st.error(tr("weights.cannot_compute", reason=e.message))
        return
    current = _current(snap)
    st.subheader(tr("weights.preview"), anchor=False)
    st.dataframe(weights_table(crits, {tr("weights.col_in_use"): current, tr("weights.col_new"): new}),
                 hide_index=True, width="stretch", height=table_height(len(crits)))
    show_weights_chart(crits, new, tr("weights.chart_caption_new"))
    if st.button(tr("weights.save"), key="weights_save", type="primary"):
        _save(db, actor, snap, obj, tr("weights.saved", method=tr(f"weights.method_{obj['method']}")))


def _current(snap: dict[str, Any]) -> np.ndarray | None:
    try:
        return resolve(snap["weights"], [c["id"] for c in snap["criteria"]])
    except InputError:
        return None


def _participants_section(db, actor, snap: dict[str, Any]) -> None:
    st.header(tr("weights.participants_heading"), anchor=False)
    if not snap["participants"]:
        st.info(tr("weights.no_participants"))
        return
    crits = snap["criteria"]
    ids = [c["id"] for c in crits]
    names = {p["id"]: p["name"] for p in snap["participants"]}
    result = participant_mean(snap["own"], ids)
    missing = [names.get(k, k) for k, v in snap["own"].items() if v is None]
    if result.unusable:
        st.warning(tr("weights.participants_unusable", names=", ".join(names.get(k, k) for k in result.unusable)))
    if result.mean is None:
        st.info(tr("weights.participants_none"))
        return
    columns: dict[str, np.ndarray | None] = {names.get(k, k): result.per_participant[k] for k in result.used}
    columns[tr("weights.col_mean")] = result.mean
    st.dataframe(weights_table(crits, columns), hide_index=True, width="stretch", height=table_height(len(crits)))
    st.caption(tr("weights.participants_count", n=len(result.used), total=len(snap["own"])))
    if missing:
        st.caption(tr("weights.participants_missing", names=", ".join(missing)))
    st.markdown(tr("weights.mean_explained"))
    if st.button(tr("weights.use_mean"), key="weights_use_mean"):
        _save(db, actor, snap, mean_object(ids, result.mean), tr("weights.saved_mean", n=len(result.used)))


def _profiles_section(db, actor, snap: dict[str, Any]) -> None:
    profiles = snap["weight_profiles"]
    st.header(tr("weights.profiles_heading"), anchor=False)
    if not profiles:
        st.info(tr("weights.no_profiles"))
        return
    crits = snap["criteria"]
    ids = [c["id"] for c in crits]
    columns: dict[str, np.ndarray | None] = {tr("weights.col_in_use"): _current(snap)}
    for p in profiles:
        try:
            columns[p["name"]] = resolve(p["weights"], ids)
        except InputError:
            columns[p["name"]] = None
    st.dataframe(weights_table(crits, columns), hide_index=True, width="stretch", height=table_height(len(crits)))
    for p in profiles:
        if p.get("description"):
            st.caption(f"**{safe_text.md(p['name'])}**: {safe_text.md(p['description'])}")
        if st.button(tr("weights.use_profile", name=safe_text.md_label(p["name"])), key=f"weights_profile_{p['id']}",
                     disabled=columns[p["name"]] is None):
            _save(db, actor, snap, copy.deepcopy(p["weights"]), tr("weights.saved_profile", name=safe_text.md_name(p["name"])))


def render() -> None:
    if (opened := open_snapshot_page("weights", _load, FLASH)) is None:
        return
    db, actor, snap = opened
    st.caption(tr("weights.round", name=safe_text.md(snap["name"]), status=tr(f"status.{snap['status']}"),
                  method=tr(f"weights.method_{snap['weights'].get('method')}")))
    st.button(tr("weights.reload"), key="weights_reload", on_click=_reload, help=tr("weights.reload_help"))
    _method_section(db, actor, snap)
    _participants_section(db, actor, snap)
    _profiles_section(db, actor, snap)
