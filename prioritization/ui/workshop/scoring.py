"""Participant: live scoring of the round's candidate objects.

Two modes: one object at a time (description, facts, and per criterion the guidance, the scale's
values plus "vet ej" and an optional comment) or the whole grid (objects × criteria). Every change
is saved at once through ``storage.scores.save_score`` (it checks role, round status and scale);
a toast confirms it and a failed save shows a clear message and stores nothing.

When scoring is closed the participant's own scores are shown read-only. In the Delphi second
round the anonymous first-round distribution of each cell is shown next to the input.
"""

from __future__ import annotations

import html
import json
import logging
import uuid
import zlib
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from prioritization import i18n, safe_text, text_rules
from prioritization.storage import rounds, scores
from prioritization.storage.access import PARTICIPANT
from prioritization.storage.errors import StorageInputError
from prioritization.ui.shell import oidc, session, state
from prioritization.ui.shell.state import tr
from prioritization.ui.workshop import scoring_logic as logic

log = logging.getLogger(__name__)

MODE_KEY = "score_mode"
CURRENT_OBJECT_KEY = "score_current_object"
GRID_KEY = "score_grid"  # prefix of the grid editor's key (the key changes with what is stored)
GRID_LAYOUT_KEY = "score_grid_layout"  # the grid as last drawn
ERROR_KEY = "score_error"
CELL_ERRORS_KEY = "score_cell_errors"  # (object, criterion) -> message, shown in place until saved
OWN_KEY = "score_own_revisions"  # (phase, object, criterion) -> revisions this browser session wrote
GEN_KEY = "score_generation"  # (object, criterion) -> times the cell's widgets were drawn anew
SHOWN_REV_KEY = "score_shown_revision"  # (phase, object, criterion) -> the revision last drawn
STAMP_KEY = "score_session_stamp"
SHOWN_KEY = "score_shown_status"  # the round status the page was drawn for (the status watcher)
RUN_KEY = "score_run"  # counts the scoring area's runs (the state lines carry it)
MODES = ("one", "grid")
STATUS_POLL_SECONDS = 4
NO_ANSWER_SECONDS = 10  # a click with no redraw after this long is shown as not saved

# The third state of a cell, between the click and the server's answer, can only be seen in the
# browser: at a click on a score, the cell's state line says "Sparar …"; the server's redraw
# replaces the line with what is stored (or the reason it was not); if no redraw comes in
# NO_ANSWER_SECONDS (the connection is gone or the server is down) the line says so, in place.
SAVING_JS = """
(() => {
  if (window.__scoreSaving) { window.__scoreSaving.texts = TEXTS; return; }
  window.__scoreSaving = {texts: TEXTS};
  // The line itself belongs to React: only attributes are set on it (a changed text node would be
  // left behind by React's next update), and they are cleared as soon as the server redraws it.
  // A redraw ends the wait only when it answers this click: the stored value is the one clicked,
  // or the cell shows why it was not saved (a redraw that was already on its way does not count).
  const mark = (target, clicked) => {
    const cell = target.closest('[class*="st-key-scorecell_"]');
    const line = cell && cell.querySelector('.score-state');
    if (!line) return;
    const token = String(Date.now()) + Math.random();
    line.setAttribute('data-pending', window.__scoreSaving.texts.saving);
    line.setAttribute('data-click', token);
    line.removeAttribute('data-failed');
    const answered = () => clicked === null || line.getAttribute('data-value') === clicked
      || cell.querySelector('[data-testid="stAlert"]') !== null;
    const done = new MutationObserver(() => {
      if (line.getAttribute('data-click') === token && answered()) {
        line.removeAttribute('data-pending');
        line.removeAttribute('data-failed');
        done.disconnect();
      }
    });
    done.observe(line, {attributes: true, attributeFilter: ['data-run']});
    setTimeout(() => {
      done.disconnect();
      if (line.isConnected && line.getAttribute('data-click') === token && line.hasAttribute('data-pending')) {
        line.setAttribute('data-pending', window.__scoreSaving.texts.noAnswer);
        line.setAttribute('data-failed', '1');
        // the next redraw (the connection is back) shows what is stored: it replaces the warning
        const back = new MutationObserver(() => {
          if (line.getAttribute('data-click') === token) {
            line.removeAttribute('data-pending');
            line.removeAttribute('data-failed');
          }
          back.disconnect();
        });
        back.observe(line, {attributes: true, attributeFilter: ['data-run']});
      }
    }, NO_ANSWER_MS);
  };
  document.addEventListener('click', (ev) => {
    const radio = ev.target.closest('[role="radio"]');
    if (radio && !radio.disabled && radio.getAttribute('aria-checked') !== 'true') mark(radio, radio.innerText.trim());
  }, true);
  document.addEventListener('change', (ev) => {
    if (ev.target.closest('input[type="number"], input[type="checkbox"]')) mark(ev.target, null);
  }, true);
})();
"""
SAVING_CSS = """<style>
.score-state[data-pending] { font-size: 0; }
.score-state[data-pending]::after { content: attr(data-pending); font-size: 1rem; }
.score-state[data-failed]::after { color: #b00020; font-weight: 600; }
</style>"""


def saving_script(saving: str, no_answer: str) -> str:
    texts = json.dumps({"saving": saving, "noAnswer": no_answer})
    return (SAVING_CSS + "<script>" + SAVING_JS.replace("TEXTS", texts).replace("NO_ANSWER_MS", str(NO_ANSWER_SECONDS * 1000))
            + "</script>")


# --- widget keys ------------------------------------------------------------------------------------
# A cell's widgets are keyed by the cell, the phase, a generation that moves whenever the widget must
# show the database anew (a change made elsewhere, a refused click) and a stamp of this browser
# session. So a widget shows either the person's own saved click or the stored value, never a stale
# selection or a blank over a stored score; and after a server restart or reload the browser's
# leftover widget values match no widget (they could show a click as given that was never stored).

def _stamp() -> str:
    return st.session_state.setdefault(STAMP_KEY, uuid.uuid4().hex[:8])


def _cell_stamp(obj: str, crit: str, phase: int | None, revision: int) -> str:
    """The part of a cell's widget keys that changes when the widget must be drawn anew from the
    database: another phase, a refused click (see _reset) or a change made elsewhere (a revision this
    page neither showed nor wrote). The page's own saves keep the key: a new widget per save would
    briefly stand beside the old one and move the page under the next click (the load test lost
    clicks that way)."""
    gens = st.session_state.setdefault(GEN_KEY, {})
    shown = st.session_state.setdefault(SHOWN_REV_KEY, {})
    cell = (phase, obj, crit)
    own = st.session_state.get(OWN_KEY, {}).get(cell, set())
    if cell in shown and revision != shown[cell] and revision not in own:
        gens[(obj, crit)] = gens.get((obj, crit), 0) + 1
    shown[cell] = revision
    return f"p{phase}g{gens.get((obj, crit), 0)}|{_stamp()}"


def value_key(obj: str, crit: str, stamp: str) -> str:
    return f"score_value|{obj}|{crit}|{stamp}"


def number_key(obj: str, crit: str, stamp: str) -> str:
    return f"score_number|{obj}|{crit}|{stamp}"


def unknown_key(obj: str, crit: str, stamp: str) -> str:
    return f"score_unknown|{obj}|{crit}|{stamp}"


def comment_key(obj: str, crit: str, stamp: str) -> str:
    return f"score_comment|{obj}|{crit}|{stamp}"


# --- saving (the widgets' on_change callbacks) ------------------------------------------------------

def _context():
    db = state.db()
    if oidc.configured():  # hosted: the role mapping is checked again on every click (storage can't)
        oidc.establish(db)
    return db, state.actor(), state.current_round_id()


def _signed_in(actor) -> None:
    if actor is None:
        state.signed_in()  # raises AccessDenied("session_ended")


@dataclass(frozen=True)
class Cell:
    """One object × criterion exactly as the page showed it (bound to its widgets at render time):
    a save names this cell, this phase and the revision shown, never "the current object"."""

    obj: str
    crit: str
    obj_name: str
    crit_name: str
    levels: tuple[int, ...] | None
    phase: int | None
    revision: int  # 0 = nothing stored in this phase when shown
    key: str = ""  # the widget whose value is read

    @property
    def where(self) -> str:
        return tr("score.cell", object=logic.md_escape(self.obj_name), criterion=logic.md_escape(self.crit_name))


@dataclass(frozen=True)
class GridLayout:
    """What the grid showed: rows in rendered order (edited_rows is positional), columns, and the
    revision of every cell, so that the grid's writes carry what was seen."""

    key: str
    object_keys: list[str]
    columns: dict[str, str]  # column id -> criterion key
    object_names: dict[str, str]
    criterion_names: dict[str, str]
    phase: int | None
    revisions: dict[tuple[str, str], int]

    def where(self, obj: str, crit: str) -> str:
        return tr("score.cell", object=logic.md_escape(self.object_names[obj]),
                  criterion=logic.md_escape(self.criterion_names[crit]))


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


def _seen(phase: int | None, obj: str, crit: str, revision: int) -> set[int]:
    """The revisions of a cell this page has seen: the one shown, plus those it wrote since (two
    quick clicks before the page redrew)."""
    return {revision} | st.session_state.get(OWN_KEY, {}).get((phase, obj, crit), set())


def _wrote(phase: int | None, obj: str, crit: str, revision: int) -> None:
    st.session_state.setdefault(OWN_KEY, {}).setdefault((phase, obj, crit), set()).add(revision)


def _reset(obj: str, crit: str) -> None:
    """Redraw the cell's widgets from what is stored (a refused click must not stay selected)."""
    gens = st.session_state.setdefault(GEN_KEY, {})
    gens[(obj, crit)] = gens.get((obj, crit), 0) + 1


def _save(cell: Cell, value: float | None, comment: str | None, *, revision: int | None = None) -> bool:
    """Save one cell; on failure say so in place (and at the top) and redraw it from storage."""
    db, actor, rid = _context()
    errors = st.session_state.setdefault(CELL_ERRORS_KEY, {})
    rev = cell.revision if revision is None else revision
    try:
        _signed_in(actor)
        new = scores.save_score(db, actor, rid, cell.obj, cell.crit, value, comment, phase=cell.phase,
                                seen=_seen(cell.phase, cell.obj, cell.crit, rev))
    except Exception as e:  # noqa: BLE001 - never a traceback in the UI
        _refuse(cell, e)
        return False
    _wrote(cell.phase, cell.obj, cell.crit, new)
    errors.pop((cell.obj, cell.crit), None)
    if not errors:
        st.session_state.pop(ERROR_KEY, None)
    return True


def _refuse(cell: Cell, err: Exception) -> None:
    """Say in place (and at the top) why the cell was not saved, and redraw it from storage."""
    message = tr("score.save_failed", cell=cell.where, reason=_error_text(err, {cell.crit: cell.crit_name}))
    st.session_state.setdefault(CELL_ERRORS_KEY, {})[(cell.obj, cell.crit)] = message
    _report(message)
    _reset(cell.obj, cell.crit)


def _stored(cell: Cell) -> tuple[bool, scores.MyCell | None, int]:
    """(could read, the stored cell, its revision in the open phase)."""
    db, actor, rid = _context()
    try:
        mine = scores.my_scoring(db, actor, rid)
    except Exception as e:  # noqa: BLE001
        _report(_error_text(e, {}))
        return False, None, 0
    return True, mine.cells.get((cell.obj, cell.crit)), mine.revision((cell.obj, cell.crit))


def on_value_change(cell: Cell) -> None:
    """A scale value or "vet ej" was picked (segmented control)."""
    choice = st.session_state.get(cell.key)
    if choice is None:  # a click on the selected option unselects it: a score is never deleted
        _reset(cell.obj, cell.crit)
        return
    # the comment stays as stored; the revision check makes sure it is the one the page knew
    ok, stored, _ = _stored(cell)
    if ok:
        _save(cell, logic.value_for(choice), None if stored is None else stored.comment)


def on_number_change(cell: Cell) -> None:
    """A number was typed for a criterion without fixed steps."""
    number = st.session_state.get(cell.key)
    ok, stored, _ = _stored(cell)
    if ok and number is not None:
        _save(cell, float(number), None if stored is None else stored.comment)


def on_unknown_change(cell: Cell, number_widget: str) -> None:
    """The "vet ej" box of a criterion without fixed steps was (un)ticked."""
    ok, stored, _ = _stored(cell)
    if not ok:
        return
    comment = None if stored is None else stored.comment
    if st.session_state.get(cell.key):
        _save(cell, None, comment)
    elif (number := st.session_state.get(number_widget)) is not None:
        _save(cell, float(number), comment)


def on_comment_change(cell: Cell, shown_comment: str | None) -> None:
    """A comment was written: saved with the value stored now, if the comment is still the one the
    page showed (else it was changed elsewhere, and the newer text stays)."""
    text = st.session_state.get(cell.key) or ""
    ok, stored, revision = _stored(cell)
    if not ok:
        return
    if stored is None:
        message = tr("score.comment_needs_score")
        st.session_state.setdefault(CELL_ERRORS_KEY, {})[(cell.obj, cell.crit)] = message
        _report(message)
        return
    own = revision in st.session_state.get(OWN_KEY, {}).get((cell.phase, cell.obj, cell.crit), set())
    if (stored.comment or None) != (shown_comment or None) and not own:
        _refuse(cell, scores.ScoreChanged(cell.obj, cell.crit, (stored.value, stored.comment)))
        return
    _save(cell, stored.value, text, revision=revision)


def on_grid_change(layout: GridLayout, delta: dict | None = None) -> None:
    """Write-through of the grid editor's delta (an on_change callback: runs before the rerun).

    The editor's key changes whenever what is stored changes, so its delta only holds edits made on
    the grid as shown; only cells that differ from what is stored are saved, each with the revision
    the grid showed.
    """
    delta = st.session_state.get(layout.key) if delta is None else delta
    edits, problems = logic.delta_to_edits(delta, layout.object_keys, layout.columns, _unknown_labels())
    db, actor, rid = _context()
    try:
        _signed_in(actor)
        answers = scores.my_scores(db, actor, rid)
    except Exception as e:  # noqa: BLE001
        _report(_error_text(e, {}))
        return

    def save(edit: logic.CellEdit, comment: str | None) -> None:
        key = (edit.object_key, edit.criterion_key)
        new = scores.save_score(db, actor, rid, edit.object_key, edit.criterion_key, edit.value, comment,
                                phase=layout.phase, seen=_seen(layout.phase, *key, layout.revisions.get(key, 0)))
        _wrote(layout.phase, *key, new)

    saved, failed = logic.apply_edits(edits, answers, save)
    messages = [tr("score.not_a_score", value=logic.md_escape(str(p.raw)), cell=layout.where(p.object_key, p.criterion_key))
                for p in problems]
    messages += [tr("score.save_failed", cell=layout.where(e.object_key, e.criterion_key),
                    reason=_error_text(err, layout.criterion_names)) for e, err in failed]
    if saved:
        st.toast(tr("score.saved_many", n=len(saved)), icon=":material/check_circle:")
    if messages:
        _report(" ".join(messages))
    elif saved:
        st.session_state.pop(ERROR_KEY, None)


def _unknown_labels() -> list[str]:
    return [i18n.t("score.unknown", lang) for lang in i18n.LANGUAGES]


# --- navigation between objects -------------------------------------------------------------------
# The current object is plain session state, changed only by buttons that carry their target as an
# argument (a button has no value the browser could send again later), and kept per participant in
# the database, so a reload, another device or a restart returns to it.

def _go(target: str) -> None:
    st.session_state[CURRENT_OBJECT_KEY] = target
    db, actor, rid = _context()
    try:
        scores.set_current_object(db, actor, rid, target)
    except Exception as e:  # noqa: BLE001 - the place is a convenience; say why it was not kept
        _report(_error_text(e, {}))


# --- rendering ------------------------------------------------------------------------------------------

def render() -> None:
    st.title(tr("score.title"), anchor=False)
    actor = state.actor()
    if actor is None:
        st.info(tr("score.not_signed_in"))
        return
    if actor.role != PARTICIPANT:
        st.info(tr("score.not_participant", role=tr(f"role.{actor.role}")))
        return
    if state.current_round_id() is None:
        st.info(tr("score.no_round"))
        return
    _scoring()
    _status_watch()


@st.fragment(run_every=STATUS_POLL_SECONDS)
def _status_watch() -> None:
    """Every few seconds, a cheap read: when the facilitator opens, closes or moves scoring on, or
    the sign-in has ended (link revoked, participant removed), redraw the whole page at once, so
    nobody keeps scoring on a stale page or after their access ended."""
    shown = st.session_state.get(SHOWN_KEY)
    if shown is None:  # nothing drawn to keep current (or already redrawn for an error)
        return
    db, actor, rid = _context()
    try:
        status = rounds.round_info(db, actor, rid)["status"] if session.is_live(db, actor) else None
    except Exception:  # noqa: BLE001 - access ended or round gone: one full run says why
        status = None
    if status != shown:
        st.session_state[SHOWN_KEY] = status
        st.rerun(scope="app")


@st.fragment
def _scoring() -> None:
    """The whole scoring area: a click re-runs only this, not the app's navigation and sidebar."""
    state.simulated_load()
    db, actor, rid = _context()
    try:
        doc = rounds.setup_document(db, actor, rid)
        mine = scores.my_scoring(db, actor, rid)
    except Exception as e:  # noqa: BLE001 - AccessDenied (not a participant any more), missing round...
        if getattr(e, "code", None) == "session_ended":  # the whole app signs out and says why
            st.session_state.pop(SHOWN_KEY, None)
            st.rerun(scope="app")
        st.session_state.pop(SHOWN_KEY, None)
        st.error(_error_text(e, {}))
        return
    st.session_state[SHOWN_KEY] = mine.status
    st.session_state[RUN_KEY] = st.session_state.get(RUN_KEY, 0) + 1
    if mine.open_phase is not None:
        st.html(saving_script(tr("score.state_saving"), tr("score.state_no_answer")), unsafe_allow_javascript=True,
                width="content")
    answers = mine.answers()
    lang = state.lang()
    criteria = logic.criteria_items(doc, lang)
    objects = logic.candidate_objects(doc, lang)
    is_open = mine.open_phase is not None
    st.caption(logic.md_escape(doc["name"] + (f" · {doc['data_label']}" if doc.get("data_label") else "")))
    # Messages that come and go have fixed places (st.empty): if they shifted the elements below,
    # the browser would show the old and the new copy of every widget until the run ends, and a
    # click on the old copy would go nowhere.
    status_slot, error_slot = st.empty(), st.empty()
    if not is_open:
        status_slot.info(tr(f"score.closed_{mine.status}"))
    elif mine.status == "second_round":
        status_slot.info(tr("score.second_round"))
    # a failed save stays on the page until the next successful one; once scoring is closed the
    # message above explains why, so the error is shown this once
    if error := (st.session_state.get(ERROR_KEY) if is_open else st.session_state.pop(ERROR_KEY, None)):
        error_slot.error(error)
    if not is_open:
        st.session_state.pop(CELL_ERRORS_KEY, None)
    if not objects or not criteria:
        st.info(tr("score.nothing_to_score"))
        return

    prog = logic.progress(answers, [o.key for o in objects], [c.key for c in criteria])
    st.progress(prog.done / prog.total if prog.total else 0.0,
                text=tr("score.progress", done=prog.done, total=prog.total))
    first_round = _first_round(db, actor, rid) if mine.status == "second_round" else None

    mode_labels = {m: tr(f"score.mode_{m}") for m in MODES}  # bound now: format_func may run later
    mode = st.segmented_control(tr("score.mode"), MODES, default="one", required=True, key=MODE_KEY,
                                format_func=mode_labels.__getitem__)
    if mode == "grid":
        _grid(objects, criteria, mine, prog, first_round, lang)
    else:
        _one_object(objects, criteria, mine, prog, first_round, lang)


def _first_round(db, actor, rid):
    """The anonymous first-round ratings (allowed once the facilitator has revealed them)."""
    try:
        return scores.anonymous_ratings(db, actor, rid, 1)
    except Exception:  # noqa: BLE001 - not revealed: the second round simply shows no distribution
        return None


def _current(keys: list[str], mine: scores.MyScoring) -> str:
    if st.session_state.get(CURRENT_OBJECT_KEY) not in keys:  # first run: where the participant was
        st.session_state[CURRENT_OBJECT_KEY] = mine.current_object if mine.current_object in keys else keys[0]
    return st.session_state[CURRENT_OBJECT_KEY]


def _navigation(keys: list[str], labels: dict[str, str], current: str, where: str) -> None:
    """Previous / next buttons (at the top and the bottom of the object, so a phone need not scroll
    back), each naming the object it goes to."""
    pos = keys.index(current)
    prev_col, next_col = st.columns(2)
    prev_col.button(tr("score.prev"), key=f"score_prev_{where}", on_click=_go, args=(keys[max(0, pos - 1)],),
                    disabled=pos == 0, width="stretch")
    next_col.button(tr("score.next"), key=f"score_next_{where}", on_click=_go,
                    args=(keys[min(len(keys) - 1, pos + 1)],), disabled=pos == len(keys) - 1, width="stretch")


def _one_object(objects, criteria, mine: scores.MyScoring, prog, first_round, lang) -> None:
    keys = [o.key for o in objects]
    current = _current(keys, mine)
    by_key = {o.key: o for o in objects}
    new_mark = tr("score.new_mark")
    labels = {k: tr("score.object_option", name=safe_text.md_label(logic.object_title(by_key[k], new_mark)),
                    done=prog.per_object[k][0],
                    total=prog.per_object[k][1]) + (" ✓" if prog.object_done(k) else "") for k in keys}
    # every object as a button naming its target: a list whose selected value the browser could
    # re-send after the page moved on (a selectbox) sent people back to an earlier object under load
    with st.expander(tr("score.all_objects", done=sum(prog.object_done(k) for k in keys), n=len(keys))):
        for k in keys:
            st.button(labels[k], key=f"score_goto|{k}", on_click=_go, args=(k,), disabled=k == current,
                      width="stretch", type="primary" if k == current else "secondary")
    _navigation(keys, labels, current, "top")
    st.caption(tr("score.object_position", pos=keys.index(current) + 1, n=len(keys)))

    obj = by_key[current]
    # the object's part of the page is one block keyed by the object: a new object is a new block,
    # so no cell of the previous object can linger under the new heading while a run is redrawn
    with st.container(key=f"scoreobj_{obj.key.encode('utf-8').hex()}"):
        st.header(logic.md_escape(obj.name), anchor=False)
        if obj.new:  # said in words (a badge's colour alone would say nothing to a screen reader)
            st.badge(tr("score.new_badge"), icon=":material/fiber_new:", color="blue")
            st.caption(tr("score.new_caption"))
        if obj.description:
            st.markdown(logic.md_escape(obj.description))
        if obj.facts:
            unknown = tr("score.fact_unknown")

            def fact(k: str, v) -> str:
                text = logic.fact_text(k, v, lang, unknown, illustrative=obj.cost_illustrative)
                return f"- **{tr(f'score.fact_{k}')}:** {logic.md_escape(text)}"

            st.markdown("\n".join(fact(k, v) for k, v in obj.facts))
        for c in criteria:
            _criterion(obj, c, mine, first_round, lang)
    _navigation(keys, labels, current, "bottom")


def _cell_state(cell: Cell, stored: scores.MyCell | None, open_phase: int | None, lang: str) -> None:
    """What is stored for the cell, in words, right under its input: the page says "Sparat" only
    for what the database holds, and a refused save stays here until the cell is saved.

    The line carries this run's number, so every redraw replaces it; the page's script (SAVING_JS)
    writes "Sparar …" into it at a click and, if no redraw came, "Inte sparat" after a while."""
    slot = st.empty()  # a fixed place (see _scoring)
    if error := st.session_state.get(CELL_ERRORS_KEY, {}).get((cell.obj, cell.crit)):
        slot.error(error, icon=":material/error:")
    shown = ""
    if stored is None:
        text = tr("score.state_none")
    else:
        shown = tr("score.unknown") if stored.value is None else logic.format_value(stored.value, lang)
        if open_phase is not None and stored.phase != open_phase:
            text = tr("score.state_earlier", value=shown)
        else:
            text = tr("score.state_saved", value=shown, time=i18n.clock(stored.updated_at, lang))
    run = st.session_state[RUN_KEY]
    st.markdown(f'<span class="score-state" data-run="{run}" data-value="{html.escape(shown)}">'
                f'{html.escape(text)}</span>', unsafe_allow_html=True)


def _criterion(obj: logic.ObjectItem, c: logic.CriterionItem, mine: scores.MyScoring, first_round, lang) -> None:
    stored = mine.cells.get((obj.key, c.key))
    answer = None if stored is None else (stored.value, stored.comment)
    revision = mine.revision((obj.key, c.key))
    is_open = mine.open_phase is not None
    stamp = _cell_stamp(obj.key, c.key, mine.open_phase, revision)
    cell = Cell(obj.key, c.key, obj.name, c.name, c.levels, mine.open_phase, revision)
    with st.container(border=True, key=f"scorecell_{c.key.encode('utf-8').hex()}"):
        st.subheader(logic.md_escape(c.name), anchor=False)
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
            key = value_key(obj.key, c.key, stamp)
            st.segmented_control(
                tr("score.your_score", criterion=safe_text.md_label(c.name)), c.options, default=logic.option_for(answer, c.levels),
                format_func=_option_label(tr("score.unknown")), key=key, on_change=on_value_change,
                args=(replace(cell, key=key),), disabled=not is_open)
        else:
            is_unknown = answer is not None and answer[0] is None
            key, box = number_key(obj.key, c.key, stamp), unknown_key(obj.key, c.key, stamp)
            st.number_input(
                tr("score.your_score", criterion=safe_text.md_label(c.name)), min_value=c.scale[0] if c.scale else None,
                max_value=c.scale[1] if c.scale else None, value=None if answer is None else answer[0],
                key=key, on_change=on_number_change, args=(replace(cell, key=key),),
                disabled=not is_open or is_unknown, placeholder="–")
            st.checkbox(tr("score.unknown"), value=is_unknown, key=box,
                        on_change=on_unknown_change, args=(replace(cell, key=box), key), disabled=not is_open)
        _cell_state(cell, stored, mine.open_phase, lang)
        shown_comment = None if answer is None else answer[1]
        key = comment_key(obj.key, c.key, stamp)
        st.text_area(
            tr("score.comment", criterion=safe_text.md_label(c.name)), value=shown_comment or "", key=key,
            max_chars=text_rules.MAX_COMMENT, height=68, on_change=on_comment_change,
            args=(replace(cell, key=key), shown_comment),
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


def _grid(objects, criteria, mine: scores.MyScoring, prog, first_round, lang) -> None:
    answers = mine.answers()
    is_open = mine.open_phase is not None
    unknown_label = tr("score.unknown")
    columns = logic.grid_columns(criteria)
    frame = pd.DataFrame(logic.grid_rows(objects, criteria, answers, unknown_label, lang, prog, tr("score.new_mark")),
                         columns=[logic.OBJECT_COLUMN, logic.DONE_COLUMN, *columns])
    for col, c in columns.items():  # stable dtypes: the editor's identity includes the schema
        frame[col] = frame[col].astype("string" if c.levels is not None else "Float64")
    config = {
        logic.OBJECT_COLUMN: st.column_config.TextColumn(tr("score.col_object"), pinned=True, disabled=True),
        logic.DONE_COLUMN: st.column_config.TextColumn(tr("score.col_done"), disabled=True, width="small"),
    }
    for col, c in columns.items():
        help_text = "\n\n".join(logic.md_escape(t) for t in [c.name, *(f"{lv}: {txt}" for lv, txt in c.guidance)])
        if c.levels is not None:
            config[col] = st.column_config.SelectboxColumn(
                c.name, help=help_text, options=[*(str(v) for v in c.levels), unknown_label])
        else:
            config[col] = st.column_config.NumberColumn(
                c.name, help=help_text, min_value=c.scale[0] if c.scale else None,
                max_value=c.scale[1] if c.scale else None)
    if is_open:
        revisions = {(o.key, c.key): mine.revision((o.key, c.key)) for o in objects for c in criteria}
        # a new editor whenever anything stored changed: its delta then holds only edits made on
        # the grid as shown, never an old edit that would overwrite a newer value
        digest = zlib.crc32(repr(sorted(revisions.items())).encode()) ^ zlib.crc32(repr(sorted(answers.items())).encode())
        layout = GridLayout(f"{GRID_KEY}|{mine.open_phase}|{digest:08x}|{_stamp()}", [o.key for o in objects],
                            {k: c.key for k, c in columns.items()}, {o.key: o.name for o in objects},
                            {c.key: c.name for c in criteria}, mine.open_phase, revisions)
        st.session_state[GRID_LAYOUT_KEY] = layout
        st.caption(tr("score.grid_help"))
        st.caption(tr("score.grid_keyboard"))
        st.data_editor(frame, key=layout.key, num_rows="fixed", hide_index=True, placeholder="–",
                       disabled=[logic.OBJECT_COLUMN, logic.DONE_COLUMN], column_config=config,
                       on_change=on_grid_change, args=(layout,), width="stretch")
        if any(c.levels is None for c in criteria):
            st.caption(tr("score.grid_free_unknown"))
    else:
        st.dataframe(frame, hide_index=True, column_config=config, placeholder="–", width="stretch")
    if first_round is not None:
        with st.expander(tr("score.round1_table")):
            st.dataframe(_first_round_frame(first_round, objects, criteria, lang), hide_index=True, width="stretch",
                         column_config={logic.OBJECT_COLUMN: tr("score.col_object"),
                                        **{col: c.name for col, c in logic.grid_columns(criteria).items()}})
    st.subheader(tr("score.guidance"), anchor=False)
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
