"""Facilitator: the projector view of the live workshop.

Progress per participant (anonymous) and per object, a disagreement heatmap with the cells worth
discussing, a cell's anonymous distribution, the Delphi flow (score hidden -> reveal -> second
round -> lock), the convergence between the rounds and agreed scores with a note.

The screen is shown to the room: it never shows participant names (distributions come from
``scores.anonymous_ratings``; progress is numbered by progress, not by name), and a phase's scores
stay hidden until the facilitator reveals them unless the facilitator explicitly chooses to show
them. Progress, heatmap and convergence refresh on their own (``st.fragment(run_every=...)``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

import pandas as pd
import streamlit as st

from prioritization import i18n, safe_text
from prioritization.errors import InputError
from prioritization.model import Project
from prioritization.storage import rounds, scores
from prioritization.storage.access import AccessDenied, Actor
from prioritization.text_rules import MAX_COMMENT
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr
from prioritization.ui.widgets import cached_chart
from prioritization.ui.workshop import charts_workshop as charts
from prioritization.ui.workshop import workshop_logic as logic
from prioritization.ui.workshop.scoring_logic import is_new_in_round

REFRESH_CHOICES = (0, 2, 3, 5, 10, 30)  # seconds; 0 = no automatic refresh
DEFAULT_REFRESH_SECONDS = 3
TOP_CELLS = 10

T = TypeVar("T")

K_MEASURE, K_REFRESH, K_SHOW_HIDDEN = "workshop_measure", "workshop_refresh", "workshop_show_hidden"
K_CELL, K_VALUE, K_NOTE = "workshop_cell", "workshop_agreed_value", "workshop_agreed_note"
K_CELL_FOR = "_workshop_cell_for"  # the round and shown scoring round the cell was chosen for
K_FLASH, K_AGREED_FLASH, K_RESET = "workshop_flash", "workshop_agreed_flash", "workshop_reset_form"


@dataclass(frozen=True)
class Labels:
    """Display names and scales of the round (keys -> names in the chosen language)."""

    objects: dict[str, str]  # every object, so an older agreed score on any object is named
    criteria: dict[str, str]
    scales: dict[str, tuple[float, float] | None]
    guidance: dict[str, dict[str, str]]
    candidates: tuple[str, ...] = ()  # the scored objects: the only ones in charts, lists and the chooser
    new: tuple[str, ...] = ()  # objects new in the round (accepted proposals): their names say "(nytt)"

    @classmethod
    def of(cls, project: Project, lang: str) -> Labels:
        new = tuple(o.id for o in project.objects if is_new_in_round(o.attributes))
        return cls(
            objects={o.id: i18n.t("workshop.new_mark", lang, name=o.label(lang)) if o.id in new else o.label(lang)
                     for o in project.objects},
            criteria={c.id: c.label(lang) for c in project.criteria},
            scales={c.id: c.scale for c in project.criteria},
            guidance={c.id: dict(c.guidance) for c in project.criteria},
            candidates=tuple(o.id for o in project.objects if o.is_candidate),
            new=new,
        )

    def cell(self, object_key: str, criterion_key: str) -> str:
        return f"{self.objects.get(object_key, object_key)} – {self.criteria.get(criterion_key, criterion_key)}"


def _num(x: float, decimals: int = 1) -> str:
    return i18n.number(x, state.lang(), decimals)


def _value(x: float) -> str:
    """A score as printed: whole numbers without decimals."""
    return _num(x, 0 if float(x).is_integer() else 1)


def _pct(x: float) -> str:
    return i18n.percent(x, state.lang())


class _Reader:
    """Reads one round's anonymous ratings once per phase, for one state of the round.

    ``stamp`` is ``rounds.revision`` (it moves with every score, status or set-up change): the
    projector asks for it on every refresh, a cheap read, and reads the ratings and redraws its
    charts from scratch only when it moved (:func:`_reader`).
    """

    def __init__(self, db, actor: Actor, round_id: int, stamp: str = ""):
        self.db, self.actor, self.round_id, self.stamp = db, actor, round_id, stamp
        self._cubes: dict[int, scores.RatingCube] = {}
        self._tables: dict[int, pd.DataFrame] = {}
        self._progress: dict[int, dict[str, int]] = {}
        self._memo: dict[tuple, object] = {}

    @property
    def ident(self) -> tuple[str, str]:
        """Which database and which state of the round (for cached charts)."""
        return str(self.db.engine.url), self.stamp

    def progress(self, phase: int) -> dict[str, int]:
        if phase not in self._progress:
            self._progress[phase] = scores.progress(self.db, self.actor, self.round_id, phase)
        return self._progress[phase]

    def cube(self, phase: int) -> scores.RatingCube:
        if phase not in self._cubes:
            self._cubes[phase] = scores.anonymous_ratings(self.db, self.actor, self.round_id, phase)
        return self._cubes[phase]

    def table(self, phase: int) -> pd.DataFrame:
        if phase not in self._tables:
            self._tables[phase] = logic.disagreement_table(self.cube(phase))
        return self._tables[phase]

    def memo(self, key: tuple, make: Callable[[], T]) -> T:
        """What ``make`` returns, made once for this state of the round (``key`` names the rest it
        depends on, e.g. the language)."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]  # type: ignore[return-value]


def render() -> None:
    st.title(tr("workshop.heading"), anchor=False)
    db, actor = state.db(), state.actor()
    if actor is None or not actor.is_facilitator:
        st.error(tr("workshop.facilitator_only"))
        return
    rid = state.round_id_or_first(db, actor)
    if rid is None:
        st.info(tr("workshop.no_round"))
        return
    try:
        info = rounds.round_info(db, actor, rid)
        project = rounds.setup_project(db, actor, rid)  # labels and scales; scores come per phase
    except (InputError, AccessDenied) as e:
        st.error(state.error_text(e))
        return
    labels = Labels.of(project, state.lang())
    st.subheader(safe_text.md(info["name"]), anchor=False)
    if info["data_label"]:
        st.caption(tr("workshop.data_label", label=info["data_label"]))
    if new := [labels.objects[o] for o in labels.new if o in labels.candidates]:
        st.info(tr("workshop.new_objects", n=len(new), names="; ".join(safe_text.md_name(x) for x in new)),
                icon=":material/fiber_new:")
    if msg := st.session_state.pop(K_FLASH, None):
        st.success(msg)
    _flow(db, actor, info)
    measure, refresh, show_hidden = _settings()
    live = st.fragment(run_every=refresh or None)(live_panel)
    live(db, actor, rid, labels, measure, show_hidden, (info["status"], info["revealed_phase"]))
    _cell_detail(db, actor, rid, labels, project, measure, show_hidden)


# --- Delphi flow -----------------------------------------------------------------------------

def _flow(db, actor: Actor, info: dict) -> None:
    status = info["status"]
    st.markdown(f"**{tr('workshop.status')}:** {tr(f'status.{status}')}")
    st.caption(tr(f"workshop.phase_text.{status}"))
    steps = logic.delphi_steps(status)
    if not steps:
        return
    for col, target in zip(st.columns(len(steps)), steps, strict=True):
        label = tr(f"workshop.step.{target}")
        if col.button(label, key=f"workshop_step_{target}", type="primary"):
            try:
                rounds.set_status(db, actor, info["id"], target)
            except (InputError, AccessDenied) as e:
                st.error(state.error_text(e))
                return
            st.session_state[K_FLASH] = tr("workshop.status_changed", status=tr(f"status.{target}"))
            st.rerun()


def _settings() -> tuple[str, int, bool]:
    with st.expander(tr("workshop.settings")):
        measure = st.selectbox(tr("workshop.measure"), logic.MEASURES, key=K_MEASURE,
                               format_func=lambda m: tr(f"workshop.measure.{m}"))
        refresh = st.selectbox(tr("workshop.refresh"), REFRESH_CHOICES, key=K_REFRESH,
                               index=REFRESH_CHOICES.index(DEFAULT_REFRESH_SECONDS),
                               format_func=lambda s: tr("workshop.refresh_off") if s == 0
                               else tr("workshop.refresh_every", seconds=s))
        show_hidden = st.toggle(tr("workshop.show_hidden"), key=K_SHOW_HIDDEN, value=False,
                                help=tr("workshop.show_hidden_help"))
    return measure, int(refresh), bool(show_hidden)


# --- live panel (progress, heatmap, convergence) ---------------------------------------------

K_READER = "workshop_reader"


def _reader(db, actor: Actor, round_id: int) -> _Reader:
    """The round's ratings as of now: one cheap revision read, the ratings only when it moved."""
    stamp = rounds.revision(db, actor, round_id)
    cached = st.session_state.get(K_READER)
    if cached is None or cached.stamp != stamp or cached.round_id != round_id or cached.db is not db:
        cached = st.session_state[K_READER] = _Reader(db, actor, round_id, stamp)
    return cached


def live_panel(db, actor: Actor, round_id: int, labels: Labels, measure: str, show_hidden: bool,
               drawn: tuple[str, int | None] | None = None) -> None:
    """The part of the projector that refreshes on its own: every few seconds it reads the round's
    revision; ratings, tables and charts are made again only when it moved. When the status changed
    elsewhere (another tab, another facilitator) since the page was ``drawn``, the whole page is
    drawn again, so its step buttons and cell chooser are those of the new status."""
    try:
        info = rounds.round_info(db, actor, round_id)
        status, revealed = info["status"], info["revealed_phase"]
        if drawn is not None and (status, revealed) != drawn:
            st.rerun()
        phase = logic.current_phase(status, revealed)
        reader = _reader(db, actor, round_id)
        _progress(reader, labels, phase)
        shown = logic.shown_phase(status, revealed, show_hidden)
        _heatmap(reader, labels, measure, shown, phase)
        if shown is not None and shown >= 2 and logic.has_second_phase(status, revealed):
            _convergence(reader, labels, measure)
    except (InputError, AccessDenied) as e:
        st.error(state.error_text(e))
        return
    st.caption(tr("workshop.updated", time=i18n.clock(datetime.now(UTC), state.lang())))  # Stockholm time


def _progress(reader: _Reader, labels: Labels, phase: int) -> None:
    st.header(tr("workshop.progress_heading", phase=phase), anchor=False)
    cube = reader.cube(phase)
    n_cells = len(cube.objects) * len(cube.criteria)
    # only the counts go on: participant keys and names stay here
    counts = list(reader.progress(phase).values())
    people = logic.participant_progress(counts, n_cells)
    if people.empty:
        st.info(tr("workshop.no_participants"))
        return
    objects = logic.object_progress(cube)
    finished = int((people["done"] >= n_cells).sum())
    answered = int(people["done"].sum())
    c1, c2 = st.columns(2)
    c1.metric(tr("workshop.finished"), tr("workshop.n_of_m", n=finished, m=len(people)))
    c2.metric(tr("workshop.answered"), _pct(answered / (n_cells * len(people)) if n_cells else 0.0))
    left, right = st.columns(2)
    with left:
        st.subheader(tr("workshop.per_participant"), anchor=False)
        people_rows = pd.DataFrame({
            "label": [tr("workshop.participant_n", n=k) for k in people["number"]],
            "share": people["share"],
            "text": [f"{d}/{t}" for d, t in zip(people["done"], people["total"], strict=True)]})
        cached_chart.draw(("people", reader.ident, phase, state.lang()),
                          lambda: charts.progress_bars(people_rows, label_title=tr("workshop.participant"),
                                                       share_title=tr("workshop.share_answered")),
                          tr("workshop.progress_alt_people", n=finished, m=len(people)))
        st.caption(tr("workshop.per_participant_caption"))
    with right:
        st.subheader(tr("workshop.per_object"), anchor=False)
        object_rows = pd.DataFrame({
            "label": [labels.objects.get(o, o) for o in objects["object"]],
            "share": objects["share"],
            "text": [f"{d}/{t}" for d, t in zip(objects["done"], objects["total"], strict=True)]})
        cached_chart.draw(("objects", reader.ident, phase, state.lang()),
                          lambda: charts.progress_bars(object_rows, label_title=tr("workshop.object"),
                                                       share_title=tr("workshop.share_answered")),
                          tr("workshop.progress_alt_objects"))
    with st.expander(tr("workshop.progress_table")):
        st.dataframe(pd.DataFrame({tr("workshop.object"): object_rows["label"],
                                   tr("workshop.answered_cells"): object_rows["text"],
                                   tr("workshop.share_answered"): [_pct(s) for s in objects["share"]]}),
                     hide_index=True, width="stretch", key="workshop_progress_table")


def _heatmap(reader: _Reader, labels: Labels, measure: str, shown: int | None, phase: int) -> None:
    st.header(tr("workshop.heatmap_heading"), anchor=False)
    if shown is None:
        st.info(tr("workshop.hidden_until_reveal"))
        return
    if shown != phase:
        st.caption(tr("workshop.showing_phase", phase=shown))
    else:
        st.caption(tr("workshop.phase_n", phase=shown))
    table = reader.table(shown)
    top = logic.cells_to_discuss(table, measure, limit=TOP_CELLS)
    lang = state.lang()
    measure_title = tr(f"workshop.measure.{measure}")
    # one colour scale for both scoring rounds (issue 11 #5): 0 to the largest spread the scales allow;
    # for free-number criteria the largest spread of the rounds already shown (never of a hidden one)
    ceiling = logic.spread_ceiling(measure, labels.scales.values())
    if ceiling is None:
        spreads = [reader.table(p)[measure].max(skipna=True) for p in range(1, shown + 1)]
        domain_max = max((float(x) for x in spreads if pd.notna(x)), default=0.0)
    else:
        domain_max = ceiling

    def cells() -> pd.DataFrame:  # only when the chart is made: every cell's label is formatted
        return logic.heatmap_data(table, measure, lambda x: i18n.number(x, lang, 1),
                                  top=zip(top["object"], top["criterion"], strict=True),
                                  object_names=labels.objects, criterion_names=labels.criteria)

    cached_chart.draw(("heatmap", reader.ident, shown, measure, lang), lambda: charts.disagreement_heatmap(
        cells(), object_order=[labels.objects[o] for o in labels.candidates], criterion_order=list(labels.criteria.values()),
        measure_title=measure_title, object_title=tr("workshop.object"), criterion_title=tr("workshop.criterion"),
        n_title=tr("workshop.n"), domain_max=domain_max), tr("workshop.heatmap_alt", measure=measure_title),
        width="content")
    st.caption(tr("workshop.heatmap_caption", measure=tr(f"workshop.measure_lc.{measure}")) + " "
               + tr("workshop.heatmap_same_scale" if ceiling is None else "workshop.heatmap_fixed_scale",
                    top=_num(domain_max)))
    st.subheader(tr("workshop.discuss_heading"), anchor=False)
    if top.empty:
        st.info(tr("workshop.discuss_none"))
        return
    st.dataframe(pd.DataFrame({
        tr("workshop.rank"): top["rank"],
        tr("workshop.object"): [labels.objects.get(o, o) for o in top["object"]],
        tr("workshop.criterion"): [labels.criteria.get(c, c) for c in top["criterion"]],
        measure_title: [_num(v) for v in top[measure]],
        tr("workshop.n"): top["n"],
    }), hide_index=True, width="stretch", key="workshop_discuss_table")


def _convergence(reader: _Reader, labels: Labels, measure: str) -> None:
    st.header(tr("workshop.convergence_heading"), anchor=False)
    conv = logic.convergence(reader.table(1), reader.table(2), measure)
    if conv.n_cells == 0:
        st.info(tr("workshop.convergence_none"))
        return
    st.markdown(tr("workshop.convergence_summary", measure=tr(f"workshop.measure_lc.{measure}"),
                   decreased=conv.decreased, n=conv.n_cells, share=_pct(conv.share_decreased),
                   increased=conv.increased, unchanged=conv.unchanged,
                   before=_num(conv.mean_before, 2), after=_num(conv.mean_after, 2)))
    cells = conv.cells.sort_values("change", kind="stable")
    st.dataframe(pd.DataFrame({
        tr("workshop.object"): [labels.objects.get(o, o) for o in cells["object"]],
        tr("workshop.criterion"): [labels.criteria.get(c, c) for c in cells["criterion"]],
        tr("workshop.phase_col", phase=1): [_num(v) for v in cells["before"]],
        tr("workshop.phase_col", phase=2): [_num(v) for v in cells["after"]],
        tr("workshop.change"): [_signed(v) for v in cells["change"]],
    }), hide_index=True, width="stretch", key="workshop_convergence_table")


def _signed(x: float) -> str:
    if abs(x) < 1e-9:
        return _num(0.0)
    return ("+" if x > 0 else "−") + _num(abs(x))


# --- one cell: distribution and agreed score -------------------------------------------------

def _cell_options(reader: _Reader, labels: Labels, measure: str, shown: int | None) -> list[str]:
    grid = [json.dumps([o, c]) for o in labels.candidates for c in labels.criteria]
    if shown is None:
        return grid
    top = logic.cells_to_discuss(reader.table(shown), measure, limit=TOP_CELLS)
    first = [json.dumps([o, c]) for o, c in zip(top["object"], top["criterion"], strict=True)]
    firsts = set(first)
    return first + [k for k in grid if k not in firsts]


def _reset_agreed_form() -> None:
    st.session_state.pop(K_VALUE, None)
    st.session_state.pop(K_NOTE, None)


def _cell_detail(db, actor: Actor, round_id: int, labels: Labels, project: Project, measure: str,
                 show_hidden: bool) -> None:
    st.header(tr("workshop.cell_heading"), anchor=False)
    try:
        info = rounds.round_info(db, actor, round_id)
        shown = logic.shown_phase(info["status"], info["revealed_phase"], show_hidden)
        reader = _reader(db, actor, round_id)  # the live panel's, unless a score came in since
        options = reader.memo(("options", measure, shown), lambda: _cell_options(reader, labels, measure, shown))
        names = reader.memo(("cell_names", measure, shown, state.lang()),
                            lambda: {k: labels.cell(*json.loads(k)) for k in options})
    except (InputError, AccessDenied) as e:
        st.error(state.error_text(e))
        return
    if not options:
        st.info(tr("workshop.no_cells"))
        return
    # a new reveal (or another round) starts at its most disputed cell (issue 11 #3): the choice made
    # while scores were hidden, or for the other scoring round, is not kept; nor is a stale one
    ss = st.session_state
    if ss.get(K_CELL_FOR) != (round_id, shown) or ss.get(K_CELL) not in options:
        ss[K_CELL] = options[0]
        ss[K_CELL_FOR] = (round_id, shown)
        _reset_agreed_form()
    chosen = st.selectbox(tr("workshop.choose_cell"), options, key=K_CELL, on_change=_reset_agreed_form,
                          format_func=names.__getitem__,
                          help=tr("workshop.choose_cell_help"))
    object_key, criterion_key = json.loads(chosen)
    scale = labels.scales.get(criterion_key)
    if shown is None:
        st.info(tr("workshop.hidden_until_reveal"))
    else:
        phases = list(range(1, shown + 1))
        for col, ph in zip(st.columns(len(phases)), phases, strict=True):
            with col:
                _distribution(reader, labels, object_key, criterion_key, scale, ph, len(phases) > 1)
        _comments(db, actor, round_id, shown, object_key, criterion_key)
    if labels.guidance.get(criterion_key):
        with st.expander(tr("workshop.guidance")):
            for level, text in sorted(labels.guidance[criterion_key].items(), key=lambda kv: _level(kv[0])):
                st.markdown(f"**{level}** – {text}")
    agreed = scores.agreed_scores(db, actor, round_id)
    _agreed_form(db, actor, round_id, labels, object_key, criterion_key, scale,
                 agreed.get((object_key, criterion_key)))
    _agreed_list(labels, agreed)


def _comments(db, actor: Actor, round_id: int, phase: int, object_key: str, criterion_key: str) -> None:
    """The participants' comments on the cell, without names (issue 11 #4): the reasons behind the
    spread are what the room discusses."""
    st.subheader(tr("workshop.comments_heading", phase=phase), anchor=False)
    try:
        found = scores.anonymous_comments(db, actor, round_id, phase, object_key, criterion_key)
    except (InputError, AccessDenied) as e:
        st.error(state.error_text(e))
        return
    if not found:
        st.caption(tr("workshop.no_comments"))
        return
    st.markdown("\n".join(f"- {safe_text.md_name(c)}" for c in found))


def _level(key: str) -> tuple[int, float, str]:
    """Guidance keys are scale levels ("1", "3", "5"); any other text sorts after them."""
    try:
        return (0, float(key), key)
    except ValueError:
        return (1, 0.0, key)


def _distribution(reader: _Reader, labels: Labels, object_key: str, criterion_key: str, scale, phase: int,
                  titled: bool) -> None:
    dist = logic.cell_distribution(reader.cube(phase), object_key, criterion_key, scale)
    rows = pd.DataFrame({"label": [tr("workshop.unknown") if u else _value(v)
                                   for v, u in zip(dist["value"], dist["unknown"], strict=True)],
                         "count": dist["count"], "unknown": dist["unknown"]})
    if titled:
        st.subheader(tr("workshop.phase_n", phase=phase), anchor=False)
    total = int(rows["count"].sum())
    parts = ", ".join(f"{lab}: {cnt}" for lab, cnt in zip(rows["label"], rows["count"], strict=True))
    text = tr("workshop.distribution_caption", cell=labels.cell(object_key, criterion_key), parts=parts, n=total)
    cached_chart.draw(("distribution", reader.ident, phase, object_key, criterion_key, state.lang()),
                      lambda: charts.distribution_bars(rows, value_title=tr("workshop.score"),
                                                       count_title=tr("workshop.count")), text)
    st.caption(text)


def _agreed_form(db, actor: Actor, round_id: int, labels: Labels, object_key: str, criterion_key: str,
                 scale, current: tuple[float | None, str | None] | None) -> None:
    st.subheader(tr("workshop.agreed_heading"), anchor=False)
    if msg := st.session_state.pop(K_AGREED_FLASH, None):  # next to the form, where the facilitator looks
        st.success(msg)
    if current is not None:
        value, note = current
        st.markdown(tr("workshop.agreed_current", value=_value(value) if value is not None else "–",
                       note=safe_text.md_name(note) if note else tr("workshop.no_note")))
    if st.session_state.pop(K_RESET, False):
        _reset_agreed_form()
    lo, hi = scale if scale is not None else (None, None)
    whole = scale is not None and float(lo).is_integer() and float(hi).is_integer()
    hint = tr("workshop.scale_hint", lo=_value(lo), hi=_value(hi)) if scale is not None else tr("workshop.no_scale")
    with st.form("workshop_agreed_form"):
        # no min/max here: the scale is checked server-side (storage) with a specific message
        value = st.number_input(tr("workshop.agreed_value", hint=hint), key=K_VALUE,
                                value=current[0] if current is not None else None,
                                step=1.0 if whole else 0.1, format="%.0f" if whole else "%.1f")
        note = st.text_area(tr("workshop.agreed_note"), key=K_NOTE, max_chars=MAX_COMMENT,
                            value=(current[1] or "") if current is not None else "")
        submitted = st.form_submit_button(tr("workshop.agreed_save"), key="workshop_agreed_save")
    if submitted:
        try:
            scores.set_agreed_score(db, actor, round_id, object_key, criterion_key, value,
                                    (note or "").strip() or None)
        except (InputError, AccessDenied) as e:
            st.error(_agreed_error(e, labels, criterion_key))
        else:
            st.session_state[K_AGREED_FLASH] = tr("workshop.agreed_saved", cell=labels.cell(object_key, criterion_key),
                                           value=_value(value))
            st.rerun()
    if current is not None and st.button(tr("workshop.agreed_clear"), key="workshop_agreed_clear"):
        try:
            scores.clear_agreed_score(db, actor, round_id, object_key, criterion_key)
        except (InputError, AccessDenied) as e:
            st.error(state.error_text(e))
        else:
            st.session_state[K_RESET] = True
            st.session_state[K_AGREED_FLASH] = tr("workshop.agreed_cleared",
                                                  cell=labels.cell(object_key, criterion_key))
            st.rerun()


def _agreed_error(e: Exception, labels: Labels, criterion_key: str) -> str:
    """Storage's message, naming the criterion by its display name rather than its key."""
    params = getattr(e, "params", None) or {}
    if getattr(e, "code", None) == "out_of_scale" and {"value", "lo", "hi"} <= set(params):
        return tr("error.out_of_scale", value=_value(params["value"]), lo=_value(params["lo"]),
                  hi=_value(params["hi"]), criterion=labels.criteria.get(criterion_key, criterion_key))
    return state.error_text(e)


def _agreed_list(labels: Labels, agreed: dict) -> None:
    if not agreed:
        return
    with st.expander(tr("workshop.agreed_all", n=len(agreed))):
        order = {k: i for i, k in enumerate((o, c) for o in labels.objects for c in labels.criteria)}
        rows = sorted(agreed.items(), key=lambda kv: order.get(kv[0], len(order)))
        st.dataframe(pd.DataFrame({
            tr("workshop.object"): [labels.objects.get(o, o) for (o, _), _ in rows],
            tr("workshop.criterion"): [labels.criteria.get(c, c) for (_, c), _ in rows],
            tr("workshop.score"): [_value(v) if v is not None else "–" for _, (v, _) in rows],
            tr("workshop.agreed_note"): [n or "" for _, (_, n) in rows],
        }), hide_index=True, width="stretch", key="workshop_agreed_table")
