"""Facilitator: edit the criteria of the current round (name, group, direction, scale, scoring
guidance for 1/3/5, description; add and remove rows).

The table is a keyed ``st.data_editor``; "Spara" sends the whole criteria list through
``rounds.replace_setup`` with the row version read when the page loaded the set-up, so a change
made by someone else in between is refused (StaleWrite) instead of overwritten. Problems found by
the project-file validation are listed and nothing is saved. Keys of a criterion that the table does
not show (English labels, normalisation, weight bounds, other guidance levels, ...) are kept.

Removing a criterion deletes its scores; if it has any, the facilitator must tick a confirmation
box first. The weights in use and the weight profiles are carried over to the new list of criteria
(``weights_input.adapt_to_criteria``) and the page says how, before saving.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import pandas as pd
import streamlit as st

from prioritization import safe_text
from prioritization.storage import rounds
from prioritization.ui.shell.state import tr
from prioritization.ui.widgets.setup_page import open_snapshot_page, outcome_markdown, save_setup, table_height
from prioritization.ui.widgets.weights_input import adapt_to_criteria, next_free_id

LOADED = "criteria_loaded"
FLASH = "criteria_flash"
EDITOR_PREFIX = "criteria_editor"
LEVELS = ("1", "3", "5")
COLUMNS = ["orig", "id", "name", "group", "direction", "scale_lo", "scale_hi",
           "guidance_1", "guidance_3", "guidance_5", "description"]
VISIBLE = COLUMNS[1:]  # "orig" (the row's position when loaded) is hidden


# ------------------------------------------------------------------------------------------
# Pure helpers (unit-tested without a Streamlit run)


def criteria_frame(criteria: list[dict[str, Any]]) -> pd.DataFrame:
    """The editor table: one row per criterion, ``orig`` = position in the loaded list."""
    rows = []
    for pos, c in enumerate(criteria):
        scale = c.get("scale") or [None, None]
        guidance = c.get("guidance") or {}
        rows.append({"orig": pos, "id": c.get("id"), "name": c.get("name"), "group": c.get("group"),
                     "direction": c.get("direction"), "scale_lo": scale[0], "scale_hi": scale[1],
                     **{f"guidance_{lv}": guidance.get(lv) for lv in LEVELS},
                     "description": c.get("description")})
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["orig"] = df["orig"].astype("Int64")
    for col in ("scale_lo", "scale_hi"):
        df[col] = df[col].astype("float64")
    for col in ("id", "name", "group", "direction", "description", *(f"guidance_{lv}" for lv in LEVELS)):
        df[col] = df[col].astype("string")  # None -> <NA> (pandas 2 and 3)
    return df


def _missing(v: Any) -> bool:
    if v is None or v is pd.NA:
        return True
    return isinstance(v, float) and math.isnan(v)


def _text(v: Any) -> str:
    return "" if _missing(v) else str(v)


def _number(v: Any) -> int | float | None:
    if _missing(v):
        return None
    x = float(v)
    return int(x) if x.is_integer() else x


def frame_to_criteria(records: list[dict[str, Any]], originals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Criteria (format-v1 dicts) from the edited table rows.

    A row that was loaded starts from its original dict, so keys the table does not show are kept.
    Empty text cells remove optional keys (group, description, a guidance level); an empty name
    or id is passed on, for the validation to report. A new row with an empty id gets the next
    free ``C<k>``. Both scale cells empty means no fixed scale (``null``).
    """
    out: list[dict[str, Any]] = []
    taken = [t for r in records if (t := _text(r.get("id")))]
    for r in records:
        orig = r.get("orig")
        base = dict(originals[int(orig)]) if not _missing(orig) and 0 <= int(orig) < len(originals) else {}
        c = dict(base)
        cid = _text(r.get("id"))
        if not cid and not base:
            cid = next_free_id(taken)
            taken.append(cid)
        c["id"] = cid
        c["name"] = _text(r.get("name"))
        direction = _text(r.get("direction"))
        c["direction"] = direction if direction else None
        lo, hi = _number(r.get("scale_lo")), _number(r.get("scale_hi"))
        c["scale"] = None if lo is None and hi is None else [lo, hi]
        for key in ("group", "description"):
            txt = _text(r.get(key))
            if txt:
                c[key] = txt
            else:
                c.pop(key, None)
        guidance = dict(base.get("guidance") or {})
        for lv in LEVELS:
            txt = _text(r.get(f"guidance_{lv}"))
            if txt:
                guidance[lv] = txt
            else:
                guidance.pop(lv, None)
        if guidance:
            c["guidance"] = guidance
        else:
            c.pop("guidance", None)
        # keep the original key order, new keys after it
        ordered = {k: c[k] for k in base if k in c}
        ordered.update({k: v for k, v in c.items() if k not in ordered})
        out.append(ordered)
    return out


def note_text(code: str, params: dict[str, Any], where: str) -> str:
    return tr(f"criteria.adapt_{code}", where=where, **params)


# ------------------------------------------------------------------------------------------
# Page


def _load(db, actor, rid: int) -> dict[str, Any]:
    snap = st.session_state.get(LOADED)
    if snap is None or snap["round"] != rid:
        info = rounds.round_info(db, actor, rid)  # version first: a later change then makes the save stale
        doc = rounds.setup_document(db, actor, rid)
        project = rounds.export_project(db, actor, rid)
        snap = {"round": rid, "version": info["row_version"], "status": info["status"], "name": doc["name"],
                "criteria": doc["criteria"], "weights": doc["weights"],
                "weight_profiles": doc.get("weight_profiles", []),
                "scored": dict(Counter(s.criterion for s in project.scores))}
        st.session_state[LOADED] = snap
    return snap


def _reload() -> None:
    st.session_state.pop(LOADED, None)


def _column_config() -> dict[str, Any]:
    cc = st.column_config
    return {
        "orig": None,
        "id": cc.TextColumn(tr("criteria.col_id"), help=tr("criteria.help_id"), required=False),
        "name": cc.TextColumn(tr("criteria.col_name"), required=True, width="medium"),
        "group": cc.TextColumn(tr("criteria.col_group")),
        "direction": cc.SelectboxColumn(tr("criteria.col_direction"), options=["benefit", "cost"], required=True,
                                        default="benefit", help=tr("criteria.help_direction"),
                                        format_func=lambda d: tr(f"criteria.direction_{d}")),
        "scale_lo": cc.NumberColumn(tr("criteria.col_scale_lo"), default=1, help=tr("criteria.help_scale")),
        "scale_hi": cc.NumberColumn(tr("criteria.col_scale_hi"), default=5, help=tr("criteria.help_scale")),
        "guidance_1": cc.TextColumn(tr("criteria.col_guidance", level="1"), width="medium"),
        "guidance_3": cc.TextColumn(tr("criteria.col_guidance", level="3"), width="medium"),
        "guidance_5": cc.TextColumn(tr("criteria.col_guidance", level="5"), width="medium"),
        "description": cc.TextColumn(tr("criteria.col_description"), width="large"),
    }


def _names(criteria: list[dict[str, Any]]) -> dict[str, str]:
    return {c.get("id"): c.get("name") or c.get("id") for c in criteria}


def render() -> None:
    if (opened := open_snapshot_page("criteria", _load, FLASH)) is None:
        return
    db, actor, snap = opened
    st.caption(tr("criteria.round", name=safe_text.md(snap["name"]), status=tr(f"status.{snap['status']}")))
    if snap["status"] != "setup":
        st.warning(tr("criteria.not_in_setup", status=tr(f"status.{snap['status']}")))
    st.markdown(tr("criteria.intro"))

    edited = st.data_editor(
        criteria_frame(snap["criteria"]), key=f"{EDITOR_PREFIX}_{snap['round']}_{snap['version']}", num_rows="dynamic",
        hide_index=True, column_order=VISIBLE, column_config=_column_config(), width="stretch",
        height=table_height(len(snap["criteria"]) + 1),
        placeholder="–", alt=tr("criteria.editor_alt"))
    new = frame_to_criteria(edited.to_dict("records"), snap["criteria"])
    old_ids = [c["id"] for c in snap["criteria"]]
    new_ids = [c["id"] for c in new]
    names = _names(snap["criteria"])

    removed = [cid for cid in old_ids if cid not in new_ids]
    scored = [cid for cid in removed if snap["scored"].get(cid)]
    if removed:
        st.info(tr("criteria.removed", criteria=", ".join(f"{safe_text.md_name(names[c])} ({safe_text.md_name(c)})" for c in removed)))
    confirmed = True
    if scored:
        st.warning(tr("criteria.removed_scored", criteria=", ".join(
            tr("criteria.scored_item", name=safe_text.md_name(names[c]), id=safe_text.md_name(c), n=snap["scored"][c])
            for c in scored)))
        confirmed = st.checkbox(tr("criteria.confirm_delete_scores"), key="criteria_confirm_delete")

    weights, notes = adapt_to_criteria(snap["weights"], old_ids, new_ids)
    texts = [note_text(code, params, tr("criteria.where_weights")) for code, params in notes]
    profiles = []
    for p in snap["weight_profiles"]:
        pw, pnotes = adapt_to_criteria(p["weights"], old_ids, new_ids)
        profiles.append({**p, "weights": pw})
        texts += [note_text(code, params, tr("criteria.where_profile", name=safe_text.md_name(p["name"]))) for code, params in pnotes]
    if texts:
        st.info("\n".join([tr("criteria.weights_adapted"), ""] + [f"- {t}" for t in texts]))

    left, right = st.columns(2)
    save = left.button(tr("criteria.save"), key="criteria_save", type="primary")
    right.button(tr("criteria.reload"), key="criteria_reload", on_click=_reload, help=tr("criteria.reload_help"))
    if not save:
        return
    if new == snap["criteria"]:
        st.info(tr("criteria.no_changes"))
        return
    if scored and not confirmed:
        st.error(tr("criteria.confirm_needed"))
        return
    changes: dict[str, Any] = {"criteria": new}
    if weights != snap["weights"]:
        changes["weights"] = weights
    if profiles != snap["weight_profiles"]:
        changes["weight_profiles"] = profiles
    outcome = save_setup(db, actor, snap["round"], changes, snap["version"])
    if not outcome.ok:
        st.error(outcome_markdown(outcome))
        return
    _reload()
    st.session_state[FLASH] = tr("criteria.saved", n=len(new))
    st.rerun()
