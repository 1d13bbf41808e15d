"""Facilitator: the objects (objekt) of the current round.

Two ways to change them, both saved through ``rounds.replace_setup`` (which validates the whole
round and writes nothing if anything is wrong):

* a table (``st.data_editor``) with the main columns; edits are merged into the stored objects, so
  every attribute that is not a column here (``name_en``, ``sources``, ...) is kept as it is;
* an import from CSV or Excel with a preview, a per-row, per-column error list and downloadable
  templates; an import with errors stores nothing.

The editor works on a snapshot of the objects taken when the page was loaded, together with the
round's ``row_version``; saving with that version makes a concurrent change by someone else a
clear "reload" message instead of a silent overwrite. The table-editor flow it shares with the
participants page (:func:`~prioritization.ui.widgets.table_editing.apply_delta`,
:func:`~prioritization.ui.widgets.table_editing.removed_keys`, the problems and the confirmation of
removals) is in :mod:`prioritization.ui.widgets.table_editing`.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import pandas as pd
import streamlit as st

from prioritization.errors import InputError
from prioritization.imports import parse_objects, template_csv, template_xlsx
from prioritization.imports.objects import ID_PREFIX
from prioritization.model import CANDIDATE, OBJECT_STATUSES, illustrative_cost
from prioritization.storage import rounds
from prioritization.storage.access import AccessDenied
from prioritization.ui.setup import object_plan
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr
from prioritization.ui.widgets.import_issues import issue_table
from prioritization.ui.widgets.setup_page import open_setup_page
from prioritization.ui.widgets.table_editing import (
    UNSET,
    CellError,
    Problem,
    TableEditor,
    apply_delta,
    flash,
    is_empty,
    removing_scored,
    show_problems,
)

COLUMNS = ("id", "name", "cost", "status", "municipalities", "mode", "description", "lat", "lon")
NUMBER_COLUMNS = ("cost", "lat", "lon")
EDITOR_ORDER = ["id", "name", "cost", "cost_illustrative", *COLUMNS[3:]]  # the made-up mark beside the cost
COORDINATE_LIMITS = {"lat": 90, "lon": 180}
MAX_UPLOAD_MB = 10  # the importer itself refuses files over 5 MB with a Swedish message
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- pure helpers (no Streamlit) ---------------------------------------------------------------


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else str(value).strip()


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def to_number(value: Any) -> int | float:
    """A finite number from an editor cell (a number, or text such as "1 200,5"); raises CellError."""
    if isinstance(value, bool):
        raise CellError("not_a_number", value=str(value))
    if isinstance(value, (int, float)):
        x = float(value)
    else:
        text = re.sub(r"[\s\u00a0\u202f]", "", _text(value)).replace("\u2212", "-").replace(",", ".")
        if not _NUMBER.fullmatch(text):
            raise CellError("not_a_number", value=_text(value))
        x = float(text)
    if not math.isfinite(x):
        raise CellError("not_a_number", value=str(value))
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


def convert_object_cell(key: str, value: Any) -> Any:
    """An edited cell of the objects table as a project-file value (or UNSET to drop the attribute)."""
    if key in ("id", "name"):
        return UNSET if is_empty(value) else _text(value)
    if key == "cost":
        if is_empty(value):
            return None  # null = cost unknown
        x = to_number(value)
        if x < 0:
            raise CellError("negative_cost", value=_number_text(x))
        return x
    if key == "status":
        if is_empty(value):
            return CANDIDATE
        if value not in OBJECT_STATUSES:
            raise CellError("unknown_status", value=_text(value))
        return value
    if key == "municipalities":
        items = [s.strip() for s in re.split(r"[;,]", "" if is_empty(value) else _text(value)) if s.strip()]
        return items or UNSET
    if key in ("mode", "description"):
        return UNSET if is_empty(value) else _text(value)
    if key in COORDINATE_LIMITS:
        if is_empty(value):
            return UNSET
        x = to_number(value)
        if abs(x) > COORDINATE_LIMITS[key]:
            raise CellError(f"{key}_out_of_range", value=_number_text(x), limit=COORDINATE_LIMITS[key])
        return x
    raise KeyError(key)


def _number_text(x: float) -> str:
    return str(x).replace(".", ",")


def _cell_text(value: Any) -> str | None:
    """A stored attribute as editor text: lists joined with ", "."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return value if isinstance(value, str) else str(value)


def _cell_number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def objects_frame(objects: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """The editor's table: one row per stored object, in order, columns :data:`COLUMNS` (keys)."""
    rows = [{
        "id": o.get("id"), "name": o.get("name"), "cost": _cell_number(o.get("cost")),
        "status": o.get("status", CANDIDATE), "municipalities": _cell_text(o.get("municipalities")),
        "mode": _cell_text(o.get("mode")), "description": _cell_text(o.get("description")),
        "lat": _cell_number(o.get("lat")), "lon": _cell_number(o.get("lon")),
        "cost_illustrative": illustrative_cost(o.get("cost"), o),  # shown, not edited
    } for o in objects]
    df = pd.DataFrame(rows, columns=[*COLUMNS, "cost_illustrative"])
    for col in NUMBER_COLUMNS:
        df[col] = df[col].astype("float64")
    return df


def apply_object_delta(objects: list[Mapping[str, Any]], delta: Mapping[str, Any] | None,
                       ) -> tuple[list[dict[str, Any]], list[Problem]]:
    out, problems = apply_delta(objects, delta, convert_object_cell, columns=COLUMNS, id_prefix=ID_PREFIX,
                                defaults={"status": CANDIDATE})
    # a cost typed in is a given cost: it is no longer the made-up example it may have replaced
    deleted = {int(i) for i in (delta or {}).get("deleted_rows", [])}
    edited = {int(k): v for k, v in ((delta or {}).get("edited_rows") or {}).items()}
    kept = [pos for pos in range(len(objects)) if pos not in deleted]
    for row, pos in zip(out[:len(kept)], kept, strict=True):  # added rows come after the kept ones
        if "cost" in edited.get(pos, {}) and row.get("cost") != objects[pos].get("cost"):
            row.pop("cost_illustrative", None)
    return out, problems


# --- the page ----------------------------------------------------------------------------------


def render() -> None:
    if (opened := open_setup_page("objects")) is None:
        return
    db, actor, summary = opened
    with st.container():  # always there, so the tabs below never shift (the browser keeps the chosen tab)
        flash("objects")
    edit_tab, plan_tab, import_tab = st.tabs([tr("objects.tab_edit"), tr("object_plan.tab"), tr("objects.tab_import")])
    with edit_tab:
        _editor(db, actor, summary)
    with plan_tab:
        object_plan.render(db, actor, summary)
    with import_tab:
        _import(db, actor, summary)


def _column_config() -> dict[str, Any]:
    cc = st.column_config
    return {
        "id": cc.TextColumn(tr("objects.col.id"), help=tr("objects.help.id"), pinned=True),
        "name": cc.TextColumn(tr("objects.col.name"), help=tr("objects.help.name"), required=True, width="medium"),
        "cost": cc.NumberColumn(tr("objects.col.cost"), help=tr("objects.help.cost"), min_value=0.0),
        "cost_illustrative": cc.CheckboxColumn(tr("objects.col.cost_illustrative"),
                                               help=tr("objects.help.cost_illustrative"), disabled=True),
        "status": cc.SelectboxColumn(tr("objects.col.status"), help=tr("objects.help.status"),
                                     options=list(OBJECT_STATUSES), default=CANDIDATE,
                                     format_func=lambda s: tr(f"objects.status.{s}")),
        "municipalities": cc.TextColumn(tr("objects.col.municipalities"), help=tr("objects.help.municipalities")),
        "mode": cc.TextColumn(tr("objects.col.mode"), help=tr("objects.help.mode")),
        "description": cc.TextColumn(tr("objects.col.description"), width="large"),
        "lat": cc.NumberColumn(tr("objects.col.lat"), help=tr("objects.help.lat"), min_value=-90.0, max_value=90.0,
                               format="%.4f"),
        "lon": cc.NumberColumn(tr("objects.col.lon"), help=tr("objects.help.lon"), min_value=-180.0, max_value=180.0,
                               format="%.4f"),
    }


def _editor(db, actor, summary) -> None:
    st.markdown(tr("objects.edit_intro"))
    if summary.status != "setup":
        st.info(tr("objects.not_in_setup", status=tr(f"status.{summary.status}")))
    EDITOR.render(db, actor, summary.id, summary.row_version, column_config=_column_config(),
                  column_order=EDITOR_ORDER)


def _store(db, actor, round_id: int, objects: list[dict[str, Any]], version: int) -> None:
    rounds.replace_setup(db, actor, round_id, {"objects": objects}, version)


# --- import ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _templates() -> tuple[bytes, bytes]:
    return template_csv(), template_xlsx()


def _parse(data: bytes, filename: str, existing: frozenset[str], lang: str):
    """parse_objects, remembered for the current upload (Streamlit reruns on every click)."""
    key = (hashlib.sha256(data).hexdigest(), filename, tuple(sorted(existing)), lang)
    cached = st.session_state.get("objects_import_parsed")
    if cached is None or cached[0] != key:
        cached = (key, parse_objects(data, filename, existing_ids=existing, lang=lang))
        st.session_state["objects_import_parsed"] = cached
    return cached[1]




def _import(db, actor, summary) -> None:
    st.markdown(tr("objects.import_intro"))
    csv_bytes, xlsx_bytes = _templates()
    left, right = st.columns(2)
    left.download_button(tr("objects.template_csv"), csv_bytes, file_name="objekt-mall.csv",
                         mime="text/csv", key="objects_template_csv", on_click="ignore")
    right.download_button(tr("objects.template_xlsx"), xlsx_bytes, file_name="objekt-mall.xlsx",
                          mime=XLSX_MIME, key="objects_template_xlsx", on_click="ignore")
    modes = {m: tr(f"objects.import_mode_{m}") for m in ("append", "replace")}
    mode = st.radio(tr("objects.import_mode"), tuple(modes), key="objects_import_mode", format_func=modes.get,
                    horizontal=True)
    if mode == "replace":
        st.caption(tr("objects.replace_note"))
    upload = st.file_uploader(tr("objects.import_file"), type=["csv", "xlsx"], max_upload_size=MAX_UPLOAD_MB,
                              key=f"objects_import_file_{st.session_state.get('objects_import_gen', 0)}",
                              help=tr("objects.import_file_help"))
    if upload is None:
        return
    try:
        current = rounds.setup_document(db, actor, summary.id)["objects"]
    except (InputError, AccessDenied) as e:
        st.error(state.error_text(e))
        return
    existing = frozenset(o["id"] for o in current)
    result = _parse(upload.getvalue(), upload.name, existing if mode == "append" else frozenset(), state.lang())
    if result.errors:
        st.error(tr("objects.import_errors", n=len(result.errors)))
        st.dataframe(issue_table(result.errors), hide_index=True, width="stretch")
    if result.warnings:
        st.warning(tr("objects.import_warnings", n=len(result.warnings)))
        st.dataframe(issue_table(result.warnings), hide_index=True, width="stretch")
    if result.rows:
        st.markdown(f"**{tr('objects.preview_heading', n=len(result.rows))}**")
        st.dataframe(pd.DataFrame(result.preview()), hide_index=True, width="stretch")
    new = list(current) + list(result.rows) if mode == "append" else list(result.rows)
    confirmed = True
    if mode == "replace" and result.ok and result.rows:
        try:
            confirmed = _REPLACING(db, actor, summary.id, current, new, None)
        except (InputError, AccessDenied) as e:
            st.error(state.error_text(e))
            return
    ok = result.ok and bool(result.rows)
    if result.ok and not result.rows:
        st.info(tr("objects.import_nothing"))
    if st.button(tr("objects.import_button", n=len(result.rows)), key="objects_import_button", type="primary",
                 disabled=not ok or not confirmed):
        if not ok or not confirmed:  # checked again: the disabled state lives in the browser
            st.error(tr("objects.import_refused"))
            return
        EDITOR.save(db, actor, summary.id, new, summary.row_version, tr("objects.imported", n=len(result.rows)),
                    then=_forget_upload)


def _forget_upload() -> None:
    st.session_state["objects_import_gen"] = st.session_state.get("objects_import_gen", 0) + 1
    st.session_state.pop("objects_import_parsed", None)


_REPLACING = removing_scored("object", "objects", "objects.replace_removes")
EDITOR = TableEditor("objects", "objects", "objects", objects_frame, apply_object_delta, _store,
                     lambda problems: show_problems(problems, "objects", "objects.problems_heading"),
                     removing_scored("object", "objects"))
