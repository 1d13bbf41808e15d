"""The one table-editor flow of the pages that edit a table with ``st.data_editor`` (objects,
participants, milestones): :class:`TableEditor` (snapshot, stale warning, editor, delta, problems,
confirmed removals, save) and its parts: the "drop this key" sentinel, a problem found in an edited
row, empty cells, a refused cell, whether an edit changed anything, Markdown-safe text, the one-shot
success message, applying the editor's delta to the stored rows (:func:`apply_delta`), the scored
rows a removal would delete and its confirmation."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from prioritization import safe_text, text_rules
from prioritization.errors import InputError, ProjectFileError
from prioritization.storage import rounds
from prioritization.storage.access import AccessDenied
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr
from prioritization.ui.widgets.cells import is_empty  # noqa: F401  (the pages import it from here too)

UNSET = object()  # a converted cell meaning "remove this key"


class CellError(Exception):
    """A cell value the editor cannot accept; ``code`` is the page's message key suffix."""

    def __init__(self, code: str, **params: Any):
        self.code = code
        self.params = params
        super().__init__(code)


@dataclass(frozen=True)
class Problem:
    """A problem in the edited table: ``row`` is the 1-based row as the table shows it after the edit
    (deleted rows gone, new rows at the end); ``label`` is the row's id or name for orientation;
    ``column`` the column's key (or None); ``code`` the page's message key suffix."""

    row: int
    label: str
    column: str | None
    code: str
    params: dict[str, Any] = field(default_factory=dict)


def has_changes(delta: Mapping[str, Any] | None) -> bool:
    return bool(delta) and any(delta.get(k) for k in ("edited_rows", "added_rows", "deleted_rows"))


escape_md = safe_text.md  # user text into Markdown: the one rule, in prioritization.safe_text


def flash(prefix: str, message: str | None = None) -> None:
    """Set (with a message) or show and clear (without) the page's one-shot success message."""
    key = f"{prefix}_flash"
    if message is not None:
        st.session_state[key] = message
    elif msg := st.session_state.pop(key, None):
        st.success(msg)


# --- applying an edit (pure) -------------------------------------------------------------------


def next_id(prefix: str, used: set[str], start: int, width: int) -> tuple[str, int]:
    """The first ``prefix + number`` (zero-padded to ``width``) from ``start`` that is not used."""
    n = start
    while f"{prefix}{n:0{width}d}" in used:
        n += 1
    return f"{prefix}{n:0{width}d}", n + 1


def apply_delta(items: list[Mapping[str, Any]], delta: Mapping[str, Any] | None,
                convert: Callable[[str, Any], Any], *, columns: Iterable[str], id_prefix: str,
                id_width: int = 3, defaults: Mapping[str, Any] | None = None,
                ) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Apply a ``st.data_editor`` delta to the stored items it was rendered from.

    ``edited_rows`` and ``deleted_rows`` are positions in ``items`` (the editor's delta is positional,
    streamlit#9917). Only edited cells are converted and written, into deep copies of the stored
    dicts, so attributes without a column and untouched cells keep their exact stored value. New
    rows get ``defaults`` and, if their id is left empty, a generated one (``OBJ-001``, ...).
    Returns the new list and the problems (missing id or name, duplicate ids, bad cells); the list
    must not be saved when there are problems.
    """
    delta = delta or {}
    allowed = set(columns)
    defaults = dict(defaults or {})
    deleted = {int(i) for i in delta.get("deleted_rows", [])}
    edited = {int(k): v for k, v in (delta.get("edited_rows") or {}).items()}
    out: list[dict[str, Any]] = []
    is_new: list[bool] = []
    cell_errors: list[tuple[int, str, CellError]] = []  # (row index in out, column, error)

    def put(target: dict[str, Any], changes: Mapping[str, Any]) -> list[tuple[str, CellError]]:
        errors = []
        for key, value in changes.items():
            if key not in allowed:
                continue  # e.g. the index column; the editor cannot add columns
            try:
                v = convert(key, value)
                for text in (v if isinstance(v, list) else [v]):  # ids, names, lists of names
                    if isinstance(text, str) and (found := text_rules.check(key, text)) is not None:
                        raise CellError(found[0], **found[1])
            except CellError as e:
                errors.append((key, e))
                continue
            if v is UNSET:
                target.pop(key, None)
            else:
                target[key] = v
        return errors

    for pos, item in enumerate(items):
        if pos in deleted:
            continue
        new = copy.deepcopy(dict(item))
        cell_errors += [(len(out), k, e) for k, e in put(new, edited.get(pos, {}))]
        out.append(new)
        is_new.append(False)
    for added in delta.get("added_rows") or []:
        if all(is_empty(v) or (k in defaults and v == defaults[k]) for k, v in added.items()):
            continue  # a new row the user has not filled in yet
        new = dict(defaults)
        cell_errors += [(len(out), k, e) for k, e in put(new, added)]
        out.append(new)
        is_new.append(True)

    problems: list[Problem] = []
    # never reuse a stored id, not even a deleted one: storage would keep that row and its scores
    used = {o["id"] for o in out if o.get("id")} | {str(item.get("id")) for item in items}
    counter = 1
    for i, obj in enumerate(out):
        if not obj.get("id") and is_new[i]:
            obj["id"], counter = next_id(id_prefix, used, counter, id_width)
            used.add(obj["id"])

    def label(i: int) -> str:
        return str(out[i].get("id") or out[i].get("name") or "")

    problems += [Problem(i + 1, label(i), key, e.code, e.params) for i, key, e in cell_errors]
    first_row: dict[str, int] = {}
    for i, obj in enumerate(out):
        oid = obj.get("id")
        if not oid:
            problems.append(Problem(i + 1, label(i), "id", "id_missing"))
        elif oid in first_row:
            problems.append(Problem(i + 1, label(i), "id", "duplicate_id", {"id": oid, "first": first_row[oid]}))
        else:
            first_row[oid] = i + 1
        if not obj.get("name"):
            problems.append(Problem(i + 1, label(i), "name", "name_missing"))
    # the generated ids must keep the new rows' key order id, name, ...
    out = [({"id": o["id"], **{k: v for k, v in o.items() if k != "id"}} if new else o)
           for o, new in zip(out, is_new, strict=True)]
    problems.sort(key=lambda p: p.row)
    return out, problems


def removed_keys(old: Iterable[Mapping[str, Any]], new: Iterable[Mapping[str, Any]]) -> list[str]:
    """Ids in ``old`` that are not in ``new`` (a changed id counts as removed: storage keys rows by id)."""
    kept = {o.get("id") for o in new}
    return [o["id"] for o in old if o["id"] not in kept]


# --- problems and removals (Streamlit) ---------------------------------------------------------


def show_problems(problems: list[Problem], prefix: str, heading_key: str) -> None:
    """The problems of an edited table as one error box with a list (row, id, column, message)."""
    lines = []
    for p in problems:
        column = tr(f"{prefix}.col.{p.column}") if p.column else ""
        message = tr(f"{prefix}.problem.{p.code}", **p.params)
        lines.append("- " + tr(f"{prefix}.problem_line", row=p.row, label=escape_md(p.label) or "–",
                               column=column, message=escape_md(message)))
    st.error(tr(heading_key, n=len(problems)) + "\n\n" + "\n".join(lines))


def show_project_file_error(e: ProjectFileError, heading_key: str) -> None:
    lines = [f"- {escape_md(str(p))}" for p in e.problems]
    st.error(tr(heading_key, n=len(e.problems)) + "\n\n" + "\n".join(lines))


def scored_keys(db, actor, round_id: int, what: str) -> set[str]:
    """Object ids (``what="object"``) or participant ids (``"participant"``) that have any score."""
    project = rounds.export_project(db, actor, round_id)
    return {getattr(s, what) for s in project.scores if getattr(s, what) is not None}


def confirm_removal(prefix: str, removed_scored: list[str], names: Mapping[str, str]) -> bool:
    """A warning naming what would be removed with its scores and a checkbox to confirm it.

    The checkbox key depends on the set, so a different set needs a new confirmation."""
    if not removed_scored:
        return True
    shown = ", ".join(f"{escape_md(names.get(k) or k)} ({escape_md(k)})" for k in removed_scored)
    st.warning(tr(f"{prefix}.remove_warning", n=len(removed_scored), items=shown))
    digest = hashlib.sha256("\x1f".join(sorted(removed_scored)).encode("utf-8")).hexdigest()[:12]
    return st.checkbox(tr(f"{prefix}.remove_confirm", n=len(removed_scored)), key=f"{prefix}_confirm_{digest}")


# --- the flow (Streamlit) ----------------------------------------------------------------------


def _no_removal_check(db, actor, round_id: int, old: list[dict[str, Any]], new: list[dict[str, Any]],
                      delta: Mapping[str, Any]) -> bool:
    return True


@dataclass(frozen=True)
class TableEditor:
    """The one table-editor flow of the objects, participants and milestones tables: a snapshot of
    the rows read at a row version, the stale warning with a reload, the editor, its delta applied to
    the stored rows, the problems, confirming removals, save and discard, each refusal as a message.

    ``name`` is the list in the round's set-up document; session state holds ``<name>_base`` (the
    snapshot) and ``<name>_gen`` (the editor's generation: a new one discards unsaved edits).
    ``prefix`` names the widgets and the one-shot message (``<prefix>_save``, ...); ``messages`` the
    message keys (``<messages>.save``, ``.saved``, ``.discard``, ``.reload``, ``.changed_elsewhere``,
    ``.no_changes``, ``.not_saved``, ``.invalid_heading``, and ``.editor_alt`` with ``{n}`` rows).
    ``confirm_removal(db, actor, round_id, old, new, delta)`` shows what a removal costs and returns
    whether it is confirmed (it may raise a storage refusal); ``store(db, actor, round_id, new,
    version)`` saves the whole list or raises.
    """

    name: str
    prefix: str
    messages: str
    frame: Callable[[list[dict[str, Any]]], pd.DataFrame]
    apply: Callable[..., tuple[list[dict[str, Any]], list[Problem]]]  # (stored rows, delta) -> (rows, problems)
    store: Callable[..., Any]
    show_problems: Callable[[list[Problem]], None]
    confirm_removal: Callable[..., bool] = _no_removal_check
    error_text: Callable[[Exception], str] | None = None  # None: the app's general wording

    # --- the snapshot -----------------------------------------------------------------------------

    def editor_key(self) -> str:
        return f"{self.name}_editor_{st.session_state.get(f'{self.name}_gen', 0)}"

    def reset(self) -> None:
        """Drop the snapshot and remount the editor (a new key) so unsaved edits are discarded."""
        st.session_state.pop(f"{self.name}_base", None)
        st.session_state[f"{self.name}_gen"] = st.session_state.get(f"{self.name}_gen", 0) + 1

    def load(self, db, actor, round_id: int, row_version: int | str) -> dict[str, Any]:
        """The rows the editor shows, with the row version they were read at.

        Re-read when the round changed and there are no unsaved edits; with unsaved edits the old
        snapshot is kept (saving will then report the conflict). The version is read before the
        document, so a change in between makes the save fail rather than overwrite it."""
        base = st.session_state.get(f"{self.name}_base")
        unsaved = has_changes(st.session_state.get(self.editor_key()))
        if base is None or base["round"] != round_id or (base["version"] != row_version and not unsaved):
            if base is not None:
                self.reset()
            doc = rounds.setup_document(db, actor, round_id)
            base = {"round": round_id, "version": row_version, self.name: doc.get(self.name, [])}
            st.session_state[f"{self.name}_base"] = base
        return base

    # --- the flow ---------------------------------------------------------------------------------

    def _error(self, e: Exception) -> str:
        return (self.error_text or state.error_text)(e)

    def render(self, db, actor, round_id: int, row_version: int | str, **editor_args: Any) -> None:
        """The editor for the round's current ``row_version``; ``editor_args`` go to ``st.data_editor``.
        The version is compared for equality only: the round's row version (an int), or a digest of
        the rows (a str) for a table kept elsewhere (the committee's tables, ``CommitteeTable``)."""
        m = self.messages
        try:
            base = self.load(db, actor, round_id, row_version)
        except (InputError, AccessDenied) as e:
            st.error(self._error(e))
            return
        rows = base[self.name]
        if base["version"] != row_version:
            st.warning(tr(f"{m}.changed_elsewhere"))
            st.button(tr(f"{m}.reload"), key=f"{self.prefix}_reload", on_click=self.reset)
        key = self.editor_key()
        st.data_editor(self.frame(rows), key=key, num_rows="dynamic", hide_index=True, width="stretch",
                       placeholder="–", alt=tr(f"{m}.editor_alt", n=len(rows)), **editor_args)
        delta = st.session_state.get(key)
        changed = has_changes(delta)
        new, problems = self.apply(rows, delta)
        if changed and problems:
            self.show_problems(problems)
        confirmed = True
        if changed and not problems:
            try:
                confirmed = self.confirm_removal(db, actor, round_id, rows, new, delta)
            except (InputError, AccessDenied) as e:
                st.error(self._error(e))
                return
        left, right = st.columns(2)
        save = left.button(tr(f"{m}.save"), key=f"{self.prefix}_save", type="primary",
                           disabled=not changed or bool(problems) or not confirmed)
        right.button(tr(f"{m}.discard"), key=f"{self.prefix}_discard", on_click=self.reset, disabled=not changed)
        if not changed:
            st.caption(tr(f"{m}.no_changes"))
        if not save:
            return
        if not changed or problems or not confirmed:  # the button's disabled state lives in the browser
            st.error(tr(f"{m}.not_saved"))
            return
        self.save(db, actor, round_id, new, base["version"], tr(f"{m}.saved", n=len(new)))

    def save(self, db, actor, round_id: int, new: list[dict[str, Any]], version: int, message: str, *,
             then: Callable[[], None] | None = None) -> None:
        """Store the whole list at ``version``: refused as a whole (the edits kept, the reason shown)
        or saved, with ``message`` shown once after the rerun (``then`` runs before it)."""
        try:
            self.store(db, actor, round_id, new, version)
        except ProjectFileError as e:
            show_project_file_error(e, f"{self.messages}.invalid_heading")
            return
        except (InputError, AccessDenied) as e:  # a stale write keeps the edits; the page offers to reload
            st.error(self._error(e))
            return
        flash(self.prefix, message)
        self.reset()
        if then is not None:
            then()
        st.rerun()


def removing_scored(what: str, messages: str, removed_info: str | None = None) -> Callable[..., bool]:
    """A removal check for rows that scores point at (``what`` is ``"object"`` or ``"participant"``):
    removing rows that have scores must be confirmed, naming them (``<messages>.remove_warning``);
    ``removed_info`` is a message key said for any removal (e.g. that invitation links stop working)."""
    def check(db, actor, round_id: int, old, new, delta) -> bool:
        removed = removed_keys(old, new)
        if not removed:
            return True
        scored = scored_keys(db, actor, round_id, what)
        if removed_info:
            st.info(tr(removed_info, n=len(removed)))
        names = {o["id"]: o.get("name", "") for o in old}
        return confirm_removal(messages, [k for k in removed if k in scored], names)
    return check
