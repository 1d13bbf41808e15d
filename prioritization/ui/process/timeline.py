"""The timeline toward the decision (tidslinje): the political calendar of the current round.

For everyone with access to the round, top to bottom:

* in plain words first: the countdown to the committee's decision (or when it was taken), the
  warnings (a milestone under way although one it depends on is not done; little time left to the
  decision), what comes next, and what is late (an external plan-round anchor past its expected
  time is "not confirmed yet", not late);
* the Gantt chart (:mod:`prioritization.ui.process.charts_timeline`) and its text alternative, a table;
* the milestones as an iCalendar file (.ics) for Outlook, titles in the language of the page.

The facilitator also edits the live round here: a milestone's status and note, the frozen versions
and scoring phases attached to it, the whole milestone table (validated by the domain, Swedish
messages naming row and field, nothing stored on any error), and a new round from the plan-round
template for the first plan year N. Every write goes through ``prioritization.storage.timeline``
(facilitator only, audited, optimistic locking by the round's row version).

"Today" is ``st.session_state["today"]`` if set (a date or ISO text: tests and demonstrations),
otherwise the server's date.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from prioritization import i18n, safe_text
from prioritization.errors import InputError, ProjectFileError
from prioritization.storage import rounds, versions
from prioritization.storage import timeline as timeline_store
from prioritization.storage.access import FACILITATOR, AccessDenied
from prioritization.storage.errors import StaleWrite
from prioritization.timeline import ical, schedule
from prioritization.timeline import milestones as milestone_format
from prioritization.timeline.labels import countdown_text, precision_label, status_label, warning_text, when_text
from prioritization.timeline.milestones import (
    DAY,
    EXTERNAL,
    INTERNAL,
    KINDS,
    PRECISIONS,
    STATUSES,
    Milestone,
)
from prioritization.timeline.template import MAX_YEAR, MIN_YEAR, default_plan_year, plan_period, round_template
from prioritization.ui.process import charts_timeline as charts
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr
from prioritization.ui.widgets.table_editing import UNSET, CellError, Problem, TableEditor, escape_md, flash, is_empty

TODAY_KEY = "today"
NEXT_UP = 5  # how many milestones the "next up" list shows
EDIT_COLUMNS = ("id", "title_sv", "title_en", "start", "end", "precision", "owner", "type", "depends_on",
                "status", "decision", "note", "source")
# what the editor shows first: the time and state of a milestone before its descriptive texts
DISPLAY_ORDER = ("id", "title_sv", "start", "end", "precision", "status", "type", "depends_on", "decision", "owner",
                 "title_en", "note", "source")
TEXT_COLUMNS = ("id", "title_sv", "title_en", "owner", "note", "source")
DATE_COLUMNS = ("start", "end")
CHOICE_COLUMNS = {"precision": PRECISIONS, "type": KINDS, "status": STATUSES}
NEW_ID_PREFIX = {INTERNAL: "M", EXTERNAL: "E"}


# --- pure helpers (no Streamlit) ---------------------------------------------------------------


def today_from(value: Any) -> date:
    """The day the page works with: a date, a datetime or ISO text, else the server's date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    return date.today()


def file_stem(name: str) -> str:
    """A round name as a file-name part: "Södertörn 2023/24" -> "sodertorn-2023-24"."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "omgang"


def ics_file_name(round_name: str, lang: str) -> str:
    return f"{'tidslinje' if lang == 'sv' else 'timeline'}-{file_stem(round_name)}.ics"


def attention(milestones: Sequence[Milestone], today: date, lang: str, *,
              can_edit: bool = True) -> tuple[list[str], list[str]]:
    """``(warnings, late)`` as sentences: the domain's warnings except single late milestones, and
    the late milestones other than the decision (an external anchor as "not confirmed"; with what
    to do about it only for whoever can, ``can_edit``)."""
    by_id = {m.id: m for m in milestones}
    warnings, late = [], []
    for w in schedule.warnings(milestones, today):
        if w.code != schedule.LATE_MILESTONE:
            warnings.append(warning_text(w, milestones, lang))
            continue
        m = by_id[w.milestone]
        if m.kind == EXTERNAL:
            key = "timeline.page.unconfirmed" if can_edit else "timeline.page.unconfirmed_readonly"
            late.append(i18n.t(key, lang, milestone=m.title(lang), when=when_text(m, lang), days=w.params["days"]))
        else:
            late.append(warning_text(w, milestones, lang))
    return warnings, late


# --- the milestone table editor (pure) ---------------------------------------------------------------


def convert_cell(key: str, value: Any) -> Any:
    """An edited cell as a format-v1 value, or UNSET to drop the key (the domain's default then)."""
    if key in TEXT_COLUMNS:
        return UNSET if is_empty(value) else str(value).strip()
    if key in DATE_COLUMNS:
        if is_empty(value):
            return UNSET
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        text = str(value).strip()[:10]
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise CellError("not_a_date", value=str(value)) from None
    if key in CHOICE_COLUMNS:
        return UNSET if is_empty(value) else str(value).strip()
    if key == "depends_on":
        return [] if is_empty(value) else [x for x in re.split(r"[,;\s]+", str(value).strip()) if x]
    if key == "decision":
        return True if value is True or (isinstance(value, str) and value.lower() == "true") else UNSET
    raise KeyError(key)


def editor_frame(items: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The editor's table: one row per stored milestone (format-v1 dicts), in stored order."""
    rows = []
    for m in items:
        rows.append({
            "id": m.get("id"), "title_sv": m.get("title_sv"), "title_en": m.get("title_en"),
            "start": milestone_format.parse_date(m.get("start")), "end": milestone_format.parse_date(m.get("end")),
            "precision": m.get("precision", DAY), "owner": m.get("owner"), "type": m.get("type", INTERNAL),
            "depends_on": ", ".join(m.get("depends_on") or []), "status": m.get("status", "planned"),
            "decision": bool(m.get("decision", False)), "note": m.get("note"), "source": m.get("source"),
        })
    return pd.DataFrame(rows, columns=list(EDIT_COLUMNS))


def _next_id(prefix: str, used: set[str]) -> str:
    n = 0
    while f"{prefix}{n:02d}" in used:
        n += 1
    return f"{prefix}{n:02d}"


def apply_milestone_delta(items: Sequence[Mapping[str, Any]], delta: Mapping[str, Any] | None
                          ) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Apply a ``st.data_editor`` delta to the stored milestones (format-v1 dicts) and validate the
    result with the domain (:func:`prioritization.timeline.milestones.parse`).

    Only edited cells change; every other key (links, descriptive attributes) is kept as stored.
    A day milestone whose start moved while its end was not touched moves its end too. New rows
    without an id get the first free ``M00``/``E00``-style id. Returns the new list and the
    problems (cell conversions first, then the domain's, each with row and field); the list must
    not be stored when there are problems."""
    delta = delta or {}
    deleted = {int(i) for i in delta.get("deleted_rows", [])}
    edited = {int(k): v for k, v in (delta.get("edited_rows") or {}).items()}
    out: list[dict[str, Any]] = []
    new_rows: list[bool] = []
    cell_problems: list[tuple[int, str, CellError]] = []

    def put(target: dict[str, Any], changes: Mapping[str, Any]) -> None:
        for key, value in changes.items():
            if key not in EDIT_COLUMNS:
                continue
            try:
                v = convert_cell(key, value)
            except CellError as e:
                cell_problems.append((len(out), key, e))
                continue
            if v is UNSET:
                target.pop(key, None)
            else:
                target[key] = v
        if "start" in changes and "end" not in changes and target.get("precision", DAY) == DAY and "start" in target:
            target["end"] = target["start"]

    for pos, item in enumerate(items):
        if pos in deleted:
            continue
        row: dict[str, Any] = copy.deepcopy(dict(item))
        put(row, edited.get(pos, {}))
        out.append(row)
        new_rows.append(False)
    for added in delta.get("added_rows") or []:
        if all(is_empty(v) or v is False for v in added.values()):
            continue  # a new row not filled in yet
        row = {}
        put(row, added)
        out.append(row)
        new_rows.append(True)
    used = {str(r.get("id")) for r in out if r.get("id")} | {str(i.get("id")) for i in items}
    for k, row in enumerate(out):
        if new_rows[k] and not row.get("id"):
            row["id"] = _next_id(NEW_ID_PREFIX.get(row.get("type", INTERNAL), "M"), used)
            used.add(row["id"])
    out = [{"id": r["id"], **{k: v for k, v in r.items() if k != "id"}} if "id" in r else r for r in out]

    def label(i: int) -> str:
        return str(out[i].get("id") or out[i].get("title_sv") or "") if 0 <= i < len(out) else ""

    problems = [Problem(i + 1, label(i), key, e.code, e.params) for i, key, e in cell_problems]
    if not problems:
        for path, message in milestone_format.problems(out):
            problems.append(domain_problem(path, message, label))
    problems.sort(key=lambda p: p.row)
    return out, problems


_PATH = re.compile(r"^milestones\[(\d+)\](?:\.(\w+))?")
_ISO = r"\d{4}-\d{2}-\d{2}"
_MESSAGES: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(p), code) for p, code in (
    (r'^is missing \(a "range" milestone needs an end\)$', "range_needs_end"),
    (r"^is missing$", "missing"),
    (r"^must not be empty$", "missing"),
    (r"^every milestone needs a non-empty text id", "missing"),
    (rf"^(?P<end>{_ISO}) is before start (?P<start>{_ISO})$", "end_before_start"),
    (rf'^(?P<end>{_ISO}): a "day" milestone ends on its start day (?P<start>{_ISO})', "day_ends_on_start"),
    (rf'^(?P<date>{_ISO}): a "(?P<precision>\w+)" milestone starts on the first day of a month$', "month_start"),
    (rf'^(?P<date>{_ISO}): a "(?P<precision>\w+)" milestone ends on the last day of a month$', "month_end"),
    (r"is not a date", "not_a_date"),
    (r'^duplicate id "(?P<id>.*)" \(also milestones\[(?P<first>\d+)\]\)$', "duplicate_id"),
    (r"^only one milestone can be the decision \(also milestones\[(?P<first>\d+)\]\)$", "two_decisions"),
    (r'^milestone "(?P<id>.*)" depends on itself$', "depends_on_itself"),
    (r'^unknown milestone "(?P<id>.*)"$', "unknown_dependency"),
    (r"^dependency cycle (?P<chain>.*)$", "cycle"),
    (r'^"(?P<id>.*)" is listed twice$', "listed_twice"),
    (r"^expected one of", "bad_choice"),
))


def domain_problem(path: str, message: str, label) -> Problem:
    """A problem of :func:`prioritization.timeline.milestones.parse` (path, English message) as a
    coded :class:`Problem` with row and field; unknown messages keep their text (code "other")."""
    m = _PATH.match(path)
    row = int(m.group(1)) if m else -1
    column = m.group(2) if m and m.group(2) else None
    for pattern, code in _MESSAGES:
        hit = pattern.search(message)
        if hit:
            params = {k: v for k, v in hit.groupdict().items() if v is not None}
            if "first" in params:
                params["first"] = int(params["first"]) + 1
            for k in ("start", "end", "date"):
                if k in params:
                    params[k] = date.fromisoformat(params[k])
            return Problem(row + 1, label(row), column, code, params)
    return Problem(row + 1, label(row), column, "other", {"message": message})


# --- the page ----------------------------------------------------------------------------------


def _today() -> date:
    return today_from(st.session_state.get(TODAY_KEY))


def render() -> None:
    st.title(tr("timeline.page.heading"), anchor=False)
    opened = state.open_round("timeline.page.no_round", lambda d, a, r: (timeline_store.state(d, a, r),
                                                                         versions.list_versions(d, a, r)))
    if opened is None:
        return
    actor, rid, info, (current, listed) = opened
    db = state.db()
    lang, today = state.lang(), _today()
    milestones = current.milestones
    version_names = {v.sha256: v.name for v in listed}
    st.caption(tr("timeline.page.round_caption", name=escape_md(info["name"]), today=i18n.day(today, lang)))
    with st.container():
        flash("timeline")
        if msg := st.session_state.pop("timeline_error", None):
            st.error(msg)
    if not milestones:
        st.info(tr("timeline.page.no_milestones_facilitator" if actor.role == FACILITATOR
                   else "timeline.page.no_milestones"))
    else:
        _plain_language(milestones, today, lang, can_edit=actor.role == FACILITATOR)
        _chart(milestones, today, lang, version_names)
        _calendar(milestones, info, lang)
    if actor.role == FACILITATOR:
        _editing(db, actor, rid, current, listed, today, lang)


def _plain_language(milestones: Sequence[Milestone], today: date, lang: str, *, can_edit: bool) -> None:
    st.subheader(countdown_text(milestones, today, lang), anchor=False)
    warnings, late = attention(milestones, today, lang, can_edit=can_edit)
    for w in warnings:
        st.warning(escape_md(w), icon="⚠️")
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{tr('timeline.page.next_heading')}**")
        upcoming = schedule.next_up(milestones, today, NEXT_UP)
        if not upcoming:
            st.markdown(tr("timeline.page.next_none"))
        lines = []
        for m in upcoming:
            what = tr("timeline.page.ongoing") if m.start <= today else status_label(m.status, lang).lower()
            owner = f" – {escape_md(m.owner)}" if m.owner else ""
            lines.append(f"- **{escape_md(when_text(m, lang))}**: {escape_md(m.title(lang))}{owner} ({what})")
        if lines:
            st.markdown("\n".join(lines))
    with right:
        st.markdown(f"**{tr('timeline.page.late_heading')}**")
        if late:
            st.markdown("\n".join(f"- ⚠ {escape_md(x)}" for x in late))
        else:
            st.markdown(tr("timeline.page.late_none"))


def _chart(milestones: Sequence[Milestone], today: date, lang: str, version_names: dict[str, str]) -> None:
    chart = charts.gantt_chart(milestones, lang, today)
    st.altair_chart(chart, width="stretch", alt=tr("timeline.page.chart_alt", n=len(milestones)))
    st.caption(tr("timeline.page.chart_legend"))
    with st.expander(tr("timeline.page.table_heading")):
        st.dataframe(charts.milestone_table(milestones, lang, today, version_names), hide_index=True,
                     width="stretch", key="timeline_table")


def _calendar(milestones: Sequence[Milestone], info: Mapping[str, Any], lang: str) -> None:
    name = info["name"]

    def build() -> bytes:
        return ical.to_ics(milestones, lang=lang, scope=f"round-{info['id']}",
                           calendar_name=tr("timeline.page.calendar_name", name=name))

    st.download_button(tr("timeline.page.ics_download"), build, file_name=ics_file_name(name, lang),
                       mime="text/calendar", key="timeline_ics", help=tr("timeline.page.ics_help"),
                       on_click="ignore", icon=":material/calendar_month:")


# --- facilitator editing ------------------------------------------------------------------------


def _editing(db, actor, rid: int, current, listed, today: date, lang: str) -> None:
    st.header(tr("timeline.edit.heading"), anchor=False)
    one, table, template = st.tabs([tr("timeline.edit.tab_one"), tr("timeline.edit.tab_table"),
                                    tr("timeline.edit.tab_template")])
    with one:
        if current.milestones:
            _one_milestone(db, actor, rid, current, listed, lang)
        else:
            st.info(tr("timeline.edit.none_yet"))
    with table:
        _table_editor(db, actor, rid, current)
    with template:
        _template(db, actor, rid, current, today, lang)


def _error_text(e: Exception) -> str:
    """A refused timeline write in words: changed by someone else, an invalid round, or storage's message."""
    if isinstance(e, StaleWrite):
        return tr("timeline.edit.stale")
    if isinstance(e, ProjectFileError):
        return tr("timeline.edit.invalid", problems="; ".join(str(p) for p in e.problems[:5]))
    return state.error_text(e)


def _fail(e: Exception) -> None:
    """For callbacks, which run before the page: the message is shown when the page is drawn."""
    st.session_state["timeline_error"] = _error_text(e)


def _one_milestone(db, actor, rid: int, current, listed, lang: str) -> None:
    by_id = {m.id: m for m in current.milestones}
    ids = [m.id for m in charts.display_order(current.milestones)]
    if st.session_state.get("timeline_pick") not in by_id:
        st.session_state.pop("timeline_pick", None)
    pick = st.selectbox(tr("timeline.edit.pick"), ids, key="timeline_pick",
                        format_func=lambda i: f"{i} · {by_id[i].title(lang)}")
    m = by_id[pick]
    st.caption(tr("timeline.edit.current", when=escape_md(when_text(m, lang)), status=status_label(m.status, lang),
                  owner=escape_md(m.owner or "–")))
    version = current.row_version  # widget keys carry it: after any change they show the stored values
    with st.form(f"timeline_status_form_{pick}_{version}", border=True):
        st.markdown(f"**{tr('timeline.edit.status_heading')}**")
        st.selectbox(tr("timeline.edit.status"), STATUSES, index=STATUSES.index(m.status),
                     format_func=lambda s: status_label(s, lang), key=f"timeline_status_{pick}_{version}")
        st.text_area(tr("timeline.edit.note"), value=m.note or "", max_chars=2000,
                     key=f"timeline_note_{pick}_{version}", help=tr("timeline.edit.note_help"))
        # the callback gets the row version the form was shown with: a change by someone else in
        # between is refused (StaleWrite) instead of being overwritten or silently dropped
        st.form_submit_button(tr("timeline.edit.save_status"), type="primary", key="timeline_save_status",
                              on_click=_save_status, args=(rid, pick, version))
    _links(db, actor, rid, current, m, listed, lang)


def _save_status(round_id: int, milestone_id: str, version: int) -> None:
    """Form callback (runs before the page): store the status and note shown at ``version``."""
    status = st.session_state.get(f"timeline_status_{milestone_id}_{version}")
    note = st.session_state.get(f"timeline_note_{milestone_id}_{version}", "")
    try:
        timeline_store.update_milestone(state.db(), state.signed_in(), round_id, milestone_id, status=status, note=note,
                                        expected_row_version=version)
    except (InputError, AccessDenied) as e:
        _fail(e)
    else:
        flash("timeline", tr("timeline.edit.status_saved", id=milestone_id, status=status_label(status, state.lang())))


def _links(db, actor, rid: int, current, m: Milestone, listed, lang: str) -> None:
    st.markdown(f"**{tr('timeline.edit.links_heading')}**")
    st.caption(tr("timeline.edit.links_intro"))
    names = {v.sha256: v for v in listed}
    action = None
    if not m.links:
        st.markdown(tr("timeline.edit.links_none"))
    for sha in m.links.versions:
        text, button = st.columns([4, 1], vertical_alignment="center")
        v = names.get(sha)
        name = v.name if v else tr("timeline.chart.unknown_version")
        text.markdown(tr("timeline.edit.linked_version", name=escape_md(name), sha=sha[:12]))
        if button.button(tr("timeline.edit.detach"), key=f"timeline_detach_v_{sha[:16]}"):
            action = ("detach_version", sha)
    for phase in m.links.phases:
        text, button = st.columns([4, 1], vertical_alignment="center")
        text.markdown(tr("timeline.edit.linked_phase", phase=phase))
        if button.button(tr("timeline.edit.detach"), key=f"timeline_detach_p_{phase}"):
            action = ("detach_phase", int(phase))
    free = [v for v in reversed(listed) if v.sha256 not in m.links.versions]
    left, right = st.columns(2)
    with left:
        if not listed:
            st.caption(tr("timeline.edit.no_versions"))
        elif not free:
            st.caption(tr("timeline.edit.all_versions_linked"))
        else:
            by_vid = {v.id: v for v in free}
            vid = st.selectbox(tr("timeline.edit.version"), list(by_vid), key=f"timeline_version_{m.id}",
                               format_func=lambda i: f"{by_vid[i].name} ({by_vid[i].sha256[:12]})")
            if st.button(tr("timeline.edit.attach_version"), key="timeline_attach_version"):
                action = ("attach_version", vid)
    with right:
        phases = [p for p in timeline_store.PHASES if str(p) not in m.links.phases]
        if phases:
            phase = st.selectbox(tr("timeline.edit.phase"), phases, key=f"timeline_phase_{m.id}",
                                 format_func=lambda p: tr("timeline.chart.phase_link", phase=p))
            if st.button(tr("timeline.edit.attach_phase"), key="timeline_attach_phase"):
                action = ("attach_phase", phase)
    if action is None:
        return
    what, arg = action
    functions = {"attach_version": timeline_store.attach_version, "detach_version": timeline_store.detach_version,
                 "attach_phase": timeline_store.attach_phase, "detach_phase": timeline_store.detach_phase}
    try:
        functions[what](db, actor, rid, m.id, arg, expected_row_version=current.row_version)
    except (InputError, AccessDenied) as e:
        _fail(e)
    else:
        flash("timeline", tr(f"timeline.edit.{what}_done", id=m.id))
    st.rerun()


def _column_config(lang: str) -> dict[str, Any]:
    cc = st.column_config
    return {
        "id": cc.TextColumn(tr("timeline.edit.col.id"), help=tr("timeline.edit.help.id"), pinned=True),
        "title_sv": cc.TextColumn(tr("timeline.edit.col.title_sv"), required=True, width="medium"),
        "title_en": cc.TextColumn(tr("timeline.edit.col.title_en"), width="medium"),
        "start": cc.DateColumn(tr("timeline.edit.col.start"), format="YYYY-MM-DD", required=True),
        "end": cc.DateColumn(tr("timeline.edit.col.end"), format="YYYY-MM-DD", help=tr("timeline.edit.help.end")),
        "precision": cc.SelectboxColumn(tr("timeline.edit.col.precision"), options=list(PRECISIONS), default=DAY,
                                        help=tr("timeline.edit.help.precision"),
                                        format_func=lambda p: precision_label(p, lang)),
        "owner": cc.TextColumn(tr("timeline.edit.col.owner")),
        "type": cc.SelectboxColumn(tr("timeline.edit.col.type"), options=list(KINDS), default=INTERNAL,
                                   format_func=lambda k: tr(f"timeline.kind.{k}")),
        "depends_on": cc.TextColumn(tr("timeline.edit.col.depends_on"), help=tr("timeline.edit.help.depends_on")),
        "status": cc.SelectboxColumn(tr("timeline.edit.col.status"), options=list(STATUSES), default="planned",
                                     format_func=lambda s: status_label(s, lang)),
        "decision": cc.CheckboxColumn(tr("timeline.edit.col.decision"), help=tr("timeline.edit.help.decision"),
                                      default=False),
        "note": cc.TextColumn(tr("timeline.edit.col.note"), width="medium"),
        "source": cc.TextColumn(tr("timeline.edit.col.source")),
    }


def show_problems(problems: Sequence[Problem]) -> None:
    lines = []
    for p in problems:
        params = dict(p.params)
        for k in ("start", "end", "date"):
            if isinstance(params.get(k), date):
                params[k] = i18n.day(params[k], state.lang())
        if "precision" in params:
            params["precision"] = precision_label(params["precision"], state.lang()).lower()
        column = tr(f"timeline.edit.col.{p.column}") if p.column in EDIT_COLUMNS else (p.column or "–")
        message = tr(f"timeline.problem.{p.code}", **params)
        lines.append("- " + tr("timeline.problem.line", row=p.row, label=escape_md(p.label) or "–",
                               column=column, message=escape_md(message)))
    st.error(tr("timeline.problem.heading", n=len(problems)) + "\n\n" + "\n".join(lines))


def _table_editor(db, actor, rid: int, current) -> None:
    st.markdown(tr("timeline.edit.table_intro"))
    EDITOR.render(db, actor, rid, current.row_version, column_config=_column_config(state.lang()),
                  column_order=list(DISPLAY_ORDER))


def _confirm_deletion(db, actor, round_id: int, old, new, delta) -> bool:
    """Removing milestones (and what is attached to them) is asked for explicitly."""
    removed = len((delta or {}).get("deleted_rows", []))
    return not removed or st.checkbox(tr("timeline.edit.confirm_delete", n=removed), key="timeline_confirm_delete")


def _template(db, actor, rid: int, current, today: date, lang: str) -> None:
    st.markdown(tr("timeline.template.intro"))
    n = int(st.number_input(tr("timeline.template.year"), min_value=MIN_YEAR, max_value=MAX_YEAR,
                            value=default_plan_year(today), step=1, key="timeline_template_year",
                            help=tr("timeline.template.year_help")))
    template = round_template(n)
    decision = schedule.decision_milestone(template)
    st.markdown(tr("timeline.template.summary", n=len(template), period=plan_period(n),
                   when=when_text(decision, lang)))
    with st.expander(tr("timeline.template.preview"), expanded=True):
        st.altair_chart(charts.gantt_chart(template, lang, None, title=tr("timeline.template.chart_title", n=n)),
                        width="stretch", alt=tr("timeline.page.chart_alt", n=len(template)))
        st.dataframe(charts.milestone_table(template, lang), hide_index=True, width="stretch",
                     key="timeline_template_table")
    mode = st.radio(tr("timeline.template.mode"), ("new", "replace"), key="timeline_template_mode",
                    format_func=lambda x: tr(f"timeline.template.mode_{x}"))
    if mode == "new":
        st.info(tr("timeline.template.new_explain"))
        name = st.text_input(tr("timeline.template.name"), value=tr("timeline.template.default_name",
                                                                     period=plan_period(n)),
                             key=f"timeline_template_name_{n}", max_chars=200)
        confirmed = True
    else:
        st.warning(tr("timeline.template.replace_warning", n=len(current.milestones)))
        name = ""
        confirmed = st.checkbox(tr("timeline.template.replace_confirm"), key="timeline_template_confirm")
    if not st.button(tr(f"timeline.template.apply_{mode}"), key="timeline_template_apply", type="primary",
                     disabled=not confirmed):
        return
    if not confirmed:
        st.error(tr("timeline.edit.not_saved"))
        return
    if mode == "new" and not name.strip():
        st.error(tr("timeline.template.name_missing"))
        return
    try:
        if mode == "replace":
            timeline_store.apply_template(db, actor, rid, n, current.row_version)
            flash("timeline", tr("timeline.template.replaced", n=len(template), period=plan_period(n)))
        else:
            new_id = new_round_from_template(db, actor, rid, n, name)
            st.session_state["round_id"] = new_id
            st.session_state["rounds_pending_select"] = new_id
            flash("timeline", tr("timeline.template.created", name=safe_text.md_name(name.strip()) or "–", n=len(template)))
    except (InputError, AccessDenied) as e:
        st.error(_error_text(e))
        return
    EDITOR.reset()
    st.session_state.pop("timeline_template_confirm", None)
    st.rerun()


def new_round_from_template(db, actor, round_id: int, n: int, name: str) -> int:
    """A new round with the set-up of ``round_id`` but no scores (``rounds.copy_round``) and the
    template milestones for plan year ``n``. Returns its id."""
    return rounds.copy_round(db, actor, round_id, name, milestones=milestone_format.to_data(round_template(n)))


EDITOR = TableEditor("milestones", "timeline", "timeline.edit", editor_frame, apply_milestone_delta,
                     timeline_store.set_milestones, show_problems, _confirm_deletion, error_text=_error_text)
