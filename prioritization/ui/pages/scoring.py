"""Participant: live scoring of the round's candidate objects.

Two modes: one object at a time (description, facts, and per criterion the guidance, the scale's
values plus "vet ej" and an optional comment) or the whole grid (objects × criteria). Every change
is saved at once through ``storage.scores.save_score`` (it checks role, round status and scale);
a toast confirms it and a failed save shows a clear message and stores nothing.

When scoring is closed the participant's own scores are shown read-only. In the Delphi second
round the anonymous first-round distribution of each cell is shown next to the input.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from prioritization import i18n
from prioritization.storage import rounds, scores
from prioritization.storage.access import PARTICIPANT
from prioritization.storage.errors import StorageInputError
from prioritization.ui import scoring_logic as logic
from prioritization.ui import state
from prioritization.ui.state import tr

log = logging.getLogger(__name__)

MODE_KEY = "score_mode"
OBJECT_KEY = "score_object"
CURRENT_OBJECT_KEY = "score_current_object"
GRID_KEY = "score_grid"
GRID_LAYOUT_KEY = "score_grid_layout"  # (object keys in rendered order, column id -> criterion key)
ERROR_KEY = "score_error"
MODES = ("one", "grid")


def value_key(obj: str, crit: str) -> str:
    return f"score_value|{obj}|{crit}"


def number_key(obj: str, crit: str) -> str:
    return f"score_number|{obj}|{crit}"


def unknown_key(obj: str, crit: str) -> str:
    return f"score_unknown|{obj}|{crit}"


def comment_key(obj: str, crit: str) -> str:
    return f"score_comment|{obj}|{crit}"


# --- saving (used by the widgets' on_change callbacks) ----------------------------------------------

def _context():
    return state.db(), state.actor(), state.current_round_id()


def _answers() -> logic.Answers:
    db, actor, rid = _context()
    return scores.my_scores(db, actor, rid)


def _unknown_labels() -> list[str]:
    return [i18n.t("score.unknown", lang) for lang in i18n.LANGUAGES]


@dataclass(frozen=True)
class Cell:
    """One object × criterion as the single-object widgets know it (callback argument)."""

    obj: str
    crit: str
    obj_name: str
    crit_name: str
    levels: tuple[int, ...] | None

    @property
    def where(self) -> str:
        return tr("score.cell", object=self.obj_name, criterion=self.crit_name)


@dataclass(frozen=True)
class GridLayout:
    """What the grid showed: rows in rendered order (edited_rows is positional) and columns."""

    object_keys: list[str]
    columns: dict[str, str]  # column id -> criterion key
    object_names: dict[str, str]
    criterion_names: dict[str, str]

    def where(self, obj: str, crit: str) -> str:
        return tr("score.cell", object=self.object_names[obj], criterion=self.criterion_names[crit])


def _error_text(err: Exception, criterion_names: dict[str, str]) -> str:
    """state.error_text, naming the criterion by its name rather than its id."""
    if not isinstance(err, (ValueError, PermissionError)):  # InputError/AccessDenied are expected
        log.error("scoring page: unexpected error", exc_info=err)
    if isinstance(err, StorageInputError) and err.params.get("criterion") in criterion_names:
        err = StorageInputError(err.code, str(err), **{**err.params,
                                                       "criterion": criterion_names[err.params["criterion"]]})
    return state.error_text(err)


def _report(message: str) -> None:
    """Keep the message on the page until the next successful save (a toast alone is missed)."""
    st.session_state[ERROR_KEY] = message
    st.toast(message, icon=":material/warning:")


def _save(cell: Cell, value: float | None, comment: str | None) -> bool:
    db, actor, rid = _context()
    try:
        scores.save_score(db, actor, rid, cell.obj, cell.crit, value, comment)
    except Exception as e:  # noqa: BLE001 - never a traceback in the UI
        _report(tr("score.save_failed", cell=cell.where, reason=_error_text(e, {cell.crit: cell.crit_name})))
        return False
    st.session_state.pop(ERROR_KEY, None)
    st.toast(tr("score.saved", cell=cell.where), icon=":material/check_circle:")
    return True


def _stored(cell: Cell) -> tuple[bool, logic.Answer | None]:
    """(could read, the stored answer of the cell)."""
    try:
        return True, _answers().get((cell.obj, cell.crit))
    except Exception as e:  # noqa: BLE001
        _report(_error_text(e, {}))
        return False, None


def on_value_change(cell: Cell) -> None:
    """A scale value or "vet ej" was picked (segmented control)."""
    key = value_key(cell.obj, cell.crit)
    choice = st.session_state.get(key)
    ok, stored = _stored(cell)
    if not ok:
        return
    if choice is None:  # a click on the selected option unselects it: a score is never deleted
        st.session_state[key] = logic.option_for(stored, cell.levels)
        return
    if not _save(cell, logic.value_for(choice), None if stored is None else stored[1]):
        st.session_state[key] = logic.option_for(stored, cell.levels)


def on_number_change(cell: Cell) -> None:
    """A number was typed for a criterion without fixed steps."""
    number = st.session_state.get(number_key(cell.obj, cell.crit))
    ok, stored = _stored(cell)
    if ok and number is not None:
        _save(cell, float(number), None if stored is None else stored[1])


def on_unknown_change(cell: Cell) -> None:
    """The "vet ej" box of a criterion without fixed steps was (un)ticked."""
    ok, stored = _stored(cell)
    if not ok:
        return
    comment = None if stored is None else stored[1]
    if st.session_state.get(unknown_key(cell.obj, cell.crit)):
        _save(cell, None, comment)
    elif (number := st.session_state.get(number_key(cell.obj, cell.crit))) is not None:
        _save(cell, float(number), comment)


def on_comment_change(cell: Cell) -> None:
    text = st.session_state.get(comment_key(cell.obj, cell.crit)) or ""
    ok, stored = _stored(cell)
    if not ok:
        return
    if stored is None:
        _report(tr("score.comment_needs_score"))
        return
    _save(cell, stored[0], text)


def on_grid_change() -> None:
    """Write-through of the grid editor's delta (an on_change callback: runs before the rerun).

    After the rerun the editor reconciles with the saved data and may send the delta again or an
    empty one: only cells that differ from what is stored are saved.
    """
    layout: GridLayout | None = st.session_state.get(GRID_LAYOUT_KEY)
    if layout is None:
        return
    edits, problems = logic.delta_to_edits(st.session_state.get(GRID_KEY), layout.object_keys, layout.columns,
                                           _unknown_labels())
    db, actor, rid = _context()
    try:
        answers = scores.my_scores(db, actor, rid)
    except Exception as e:  # noqa: BLE001
        _report(_error_text(e, {}))
        return

    def save(edit: logic.CellEdit, comment: str | None) -> None:
        scores.save_score(db, actor, rid, edit.object_key, edit.criterion_key, edit.value, comment)

    saved, failed = logic.apply_edits(edits, answers, save)
    messages = [tr("score.not_a_score", value=str(p.raw), cell=layout.where(p.object_key, p.criterion_key))
                for p in problems]
    messages += [tr("score.save_failed", cell=layout.where(e.object_key, e.criterion_key),
                    reason=_error_text(err, layout.criterion_names)) for e, err in failed]
    if saved:
        st.toast(tr("score.saved_many", n=len(saved)), icon=":material/check_circle:")
    if messages:
        _report(" ".join(messages))
    elif saved:
        st.session_state.pop(ERROR_KEY, None)


# --- navigation between objects -------------------------------------------------------------------

def _step(object_keys: list[str], delta: int) -> None:
    current = st.session_state.get(CURRENT_OBJECT_KEY)
    i = object_keys.index(current) if current in object_keys else 0
    st.session_state[CURRENT_OBJECT_KEY] = object_keys[max(0, min(len(object_keys) - 1, i + delta))]


def _picked() -> None:
    st.session_state[CURRENT_OBJECT_KEY] = st.session_state[OBJECT_KEY]


# --- rendering ------------------------------------------------------------------------------------------

def render() -> None:
    st.title(tr("score.title"))
    actor = state.actor()
    if actor is None:
        st.info(tr("score.not_signed_in"))
        return
    if actor.role != PARTICIPANT:
        st.info(tr("score.not_participant", role=tr(f"role.{actor.role}")))
        return
    db, rid = state.db(), state.current_round_id()
    if rid is None:
        st.info(tr("score.no_round"))
        return
    try:
        info = rounds.round_info(db, actor, rid)
        doc = rounds.setup_document(db, actor, rid)
        answers = scores.my_scores(db, actor, rid)
    except Exception as e:  # noqa: BLE001 - AccessDenied (not a participant any more), missing round...
        st.error(_error_text(e, {}))
        return

    lang = state.lang()
    criteria = logic.criteria_items(doc, lang)
    objects = logic.candidate_objects(doc, lang)
    is_open = info["status"] in logic.OPEN_STATUSES
    st.caption(logic.md_escape(doc["name"] + (f" · {doc['data_label']}" if doc.get("data_label") else "")))
    if not is_open:
        st.info(tr(f"score.closed_{info['status']}"))
    elif info["status"] == "second_round":
        st.info(tr("score.second_round"))
    # a failed save stays on the page until the next successful one; once scoring is closed the
    # message above explains why, so the error is shown this once
    if error := (st.session_state.get(ERROR_KEY) if is_open else st.session_state.pop(ERROR_KEY, None)):
        st.error(error)
    if not objects or not criteria:
        st.info(tr("score.nothing_to_score"))
        return

    prog = logic.progress(answers, [o.key for o in objects], [c.key for c in criteria])
    st.progress(prog.done / prog.total if prog.total else 0.0,
                text=tr("score.progress", done=prog.done, total=prog.total))
    first_round = _first_round(db, actor, rid) if info["status"] == "second_round" else None

    mode_labels = {m: tr(f"score.mode_{m}") for m in MODES}  # bound now: format_func may run later
    mode = st.segmented_control(tr("score.mode"), MODES, default="one", required=True, key=MODE_KEY,
                                format_func=mode_labels.__getitem__)
    if mode == "grid":
        _grid(objects, criteria, answers, prog, is_open, first_round, lang)
    else:
        _one_object(objects, criteria, answers, prog, is_open, first_round, lang)


def _first_round(db, actor, rid):
    """The anonymous first-round ratings (allowed once the facilitator has revealed them)."""
    try:
        return scores.anonymous_ratings(db, actor, rid, 1)
    except Exception:  # noqa: BLE001 - not revealed: the second round simply shows no distribution
        return None


def _one_object(objects, criteria, answers, prog, is_open, first_round, lang) -> None:
    keys = [o.key for o in objects]
    # The option labels carry progress, so the selectbox is a new widget whenever they change and
    # would fall back to the first object: the chosen object lives in its own state instead.
    if st.session_state.get(CURRENT_OBJECT_KEY) not in keys:
        st.session_state[CURRENT_OBJECT_KEY] = keys[0]
    st.session_state[OBJECT_KEY] = st.session_state[CURRENT_OBJECT_KEY]
    by_key = {o.key: o for o in objects}

    labels = {k: tr("score.object_option", name=by_key[k].name, done=prog.per_object[k][0],
                    total=prog.per_object[k][1]) + (" ✓" if prog.object_done(k) else "") for k in keys}
    current = st.selectbox(tr("score.object"), keys, format_func=labels.__getitem__, key=OBJECT_KEY,
                           on_change=_picked)
    pos = keys.index(current)
    prev_col, next_col = st.columns(2)
    prev_col.button(tr("score.prev"), key="score_prev", on_click=_step, args=(keys, -1), disabled=pos == 0,
                    width="stretch")
    next_col.button(tr("score.next"), key="score_next", on_click=_step, args=(keys, 1),
                    disabled=pos == len(keys) - 1, width="stretch")
    st.caption(tr("score.object_position", pos=pos + 1, n=len(keys)))

    obj = by_key[current]
    st.header(logic.md_escape(obj.name))
    if obj.description:
        st.markdown(logic.md_escape(obj.description))
    if obj.facts:
        unknown = tr("score.fact_unknown")
        st.markdown("\n".join(
            f"- **{tr(f'score.fact_{k}')}:** {logic.md_escape(logic.fact_text(k, v, lang, unknown))}"
            for k, v in obj.facts))
    for c in criteria:
        _criterion(obj, c, answers.get((obj.key, c.key)), is_open, first_round, lang)


def _criterion(obj: logic.ObjectItem, c: logic.CriterionItem, answer, is_open: bool, first_round, lang) -> None:
    cell = Cell(obj.key, c.key, obj.name, c.name, c.levels)
    with st.container(border=True):
        st.subheader(logic.md_escape(c.name))
        scale = tr("score.scale", lo=logic.format_value(c.scale[0], lang), hi=logic.format_value(c.scale[1], lang)) \
            if c.scale else tr("score.no_scale")
        st.caption(logic.md_escape(" · ".join(x for x in (c.group, scale) if x)))
        if c.guidance:
            st.markdown("\n".join(f"- **{logic.md_escape(level)}** – {logic.md_escape(text)}"
                                  for level, text in c.guidance))
        if c.description:
            with st.expander(tr("score.about_criterion")):
                st.markdown(logic.md_escape(c.description))
        if first_round is not None:
            st.caption(_distribution_text(first_round, obj.key, c, lang))
        if c.levels is not None:
            key = value_key(obj.key, c.key)
            st.segmented_control(  # the default only applies when the widget has no state yet
                tr("score.your_score", criterion=c.name), c.options,
                default=None if key in st.session_state else logic.option_for(answer, c.levels),
                format_func=_option_label(tr("score.unknown")),
                key=key, on_change=on_value_change, args=(cell,), disabled=not is_open)
            if answer is not None and answer[0] is not None and logic.option_for(answer, c.levels) is None:
                st.caption(tr("score.stored_value", value=logic.format_value(answer[0], lang)))
        else:
            is_unknown = answer is not None and answer[0] is None
            st.number_input(
                tr("score.your_score", criterion=c.name), min_value=c.scale[0] if c.scale else None,
                max_value=c.scale[1] if c.scale else None, value=None if answer is None else answer[0],
                key=number_key(obj.key, c.key), on_change=on_number_change, args=(cell,),
                disabled=not is_open or is_unknown, placeholder="–")
            st.checkbox(tr("score.unknown"), value=is_unknown, key=unknown_key(obj.key, c.key),
                        on_change=on_unknown_change, args=(cell,), disabled=not is_open)
        st.text_area(
            tr("score.comment", criterion=c.name), value=(answer[1] or "") if answer else "",
            key=comment_key(obj.key, c.key),
            max_chars=scores.MAX_COMMENT, height=68, on_change=on_comment_change, args=(cell,),
            disabled=not is_open or answer is None, placeholder=tr("score.comment_placeholder"),
            help=tr("score.comment_needs_score") if is_open and answer is None else None)


def _option_label(unknown_label: str):
    """format_func for the scale options, with the "vet ej" label bound at render time."""
    return lambda v: unknown_label if v == logic.UNKNOWN else str(v)


def _distribution_text(cube, obj_key: str, c: logic.CriterionItem, lang: str) -> str:
    try:
        i, j = cube.objects.index(obj_key), cube.criteria.index(c.key)
    except ValueError:
        return tr("score.round1_none")
    d = logic.distribution(cube.values[:, i, j], cube.answered[:, i, j], c.levels)
    if d.n == 0 and d.unknown == 0:
        return tr("score.round1_none")
    parts = [f"{lv}: {n}" for lv, n in d.counts] if d.counts else []
    if d.n and not d.counts:
        parts.append(tr("score.round1_range", low=logic.format_value(d.low, lang),
                        high=logic.format_value(d.high, lang)))
    parts.append(f"{tr('score.unknown')}: {d.unknown}")
    text = tr("score.round1", n=d.n + d.unknown, counts=" · ".join(parts))
    if d.median is not None:
        text += " " + tr("score.round1_median", median=logic.format_value(d.median, lang))
    return text


def _grid(objects, criteria, answers, prog, is_open, first_round, lang) -> None:
    unknown_label = tr("score.unknown")
    columns = logic.grid_columns(criteria)
    frame = pd.DataFrame(logic.grid_rows(objects, criteria, answers, unknown_label, lang, prog),
                         columns=[logic.OBJECT_COLUMN, logic.DONE_COLUMN, *columns])
    for col, c in columns.items():  # stable dtypes: the editor's identity includes the schema
        frame[col] = frame[col].astype("string" if c.levels is not None else "Float64")
    config = {
        logic.OBJECT_COLUMN: st.column_config.TextColumn(tr("score.col_object"), pinned=True, disabled=True),
        logic.DONE_COLUMN: st.column_config.TextColumn(tr("score.col_done"), disabled=True, width="small"),
    }
    for col, c in columns.items():
        help_text = "\n\n".join([c.name, *(f"{lv}: {txt}" for lv, txt in c.guidance)])
        if c.levels is not None:
            config[col] = st.column_config.SelectboxColumn(
                c.name, help=help_text, options=[*(str(v) for v in c.levels), unknown_label])
        else:
            config[col] = st.column_config.NumberColumn(
                c.name, help=help_text, min_value=c.scale[0] if c.scale else None,
                max_value=c.scale[1] if c.scale else None)
    if is_open:
        st.session_state[GRID_LAYOUT_KEY] = GridLayout(
            [o.key for o in objects], {k: c.key for k, c in columns.items()},
            {o.key: o.name for o in objects}, {c.key: c.name for c in criteria})
        st.caption(tr("score.grid_help"))
        st.data_editor(frame, key=GRID_KEY, num_rows="fixed", hide_index=True, placeholder="–",
                       disabled=[logic.OBJECT_COLUMN, logic.DONE_COLUMN], column_config=config,
                       on_change=on_grid_change, width="stretch")
        if any(c.levels is None for c in criteria):
            st.caption(tr("score.grid_free_unknown"))
    else:
        st.dataframe(frame, hide_index=True, column_config=config, placeholder="–", width="stretch")
    if first_round is not None:
        with st.expander(tr("score.round1_table")):
            st.dataframe(_first_round_frame(first_round, objects, criteria, lang), hide_index=True, width="stretch",
                         column_config={logic.OBJECT_COLUMN: tr("score.col_object"),
                                        **{col: c.name for col, c in logic.grid_columns(criteria).items()}})
    st.subheader(tr("score.guidance"))
    st.dataframe(_guidance_frame(criteria), hide_index=True, width="stretch")


def _first_round_frame(cube, objects, criteria, lang) -> pd.DataFrame:
    """Median and number of numeric ratings per cell in the first round (columns as in the grid)."""
    columns = logic.grid_columns(criteria)
    rows = []
    for o in objects:
        row = {logic.OBJECT_COLUMN: o.name}
        for col, c in columns.items():
            text = "–"
            if o.key in cube.objects and c.key in cube.criteria:
                i, j = cube.objects.index(o.key), cube.criteria.index(c.key)
                d = logic.distribution(cube.values[:, i, j], cube.answered[:, i, j], c.levels)
                if d.median is not None:
                    text = tr("score.round1_cell", median=logic.format_value(d.median, lang), n=d.n)
            row[col] = text
        rows.append(row)
    return pd.DataFrame(rows, columns=[logic.OBJECT_COLUMN, *columns])


def _guidance_frame(criteria) -> pd.DataFrame:
    levels = sorted({lv for c in criteria for lv, _ in c.guidance}, key=logic.level_order)
    rows = []
    for c in criteria:
        g = dict(c.guidance)
        rows.append({tr("score.col_criterion"): c.name, **{lv: g.get(lv, "") for lv in levels}})
    return pd.DataFrame(rows, columns=[tr("score.col_criterion"), *levels])
