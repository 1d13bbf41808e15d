"""Follow-up (bevakning) of prioritised objects, for the follow-up page and the ranking dashboard.

Pure functions (no Streamlit): a :class:`~prioritization.model.Project` in, frames, sentences and
an Altair chart out. Which objects are followed up: every committed object ("Redan prioriterade –
bevakas") and every object that has a follow-up track (e.g. a candidate that was decided), in the
project's object order.

An object is flagged as *stale* when its latest step is more than ``stale_months`` months old. A
step known only to the month (or year) counts from the end of that month (or year), so that
"januari 2024" is not flagged earlier than the facts allow.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from datetime import date

import altair as alt
import pandas as pd

from prioritization import i18n
from prioritization.model import InfraObject, Project
from prioritization.report.result_text import object_name
from prioritization.report.theme import CHART_TEXT_COLOUR as TEXT_COLOUR
from prioritization.report.theme import MUTED_GREY, OKABE_ITO, legend_columns, row_label_limit
from prioritization.report.theme import TIMELINE_FONT_SIZE as FONT_SIZE
from prioritization.timeline.follow_up import SETBACK_STEPS, STEPS, FollowUp, FollowUpStep, latest_step
from prioritization.timeline.labels import step_label, step_when

STALE_MONTHS = 12  # default: flag a track with no new step for more than a year
NONE = "–"  # shown where an object has no step or no responsible
ROW_STEP = 64
# The steps' marks (Okabe-Ito, so no colour vision is needed to tell the groups apart, and a shape
# per step within a group, so no colour is needed at all): one colour per stage of the way, study
# and agreement (blue), in a plan (sky blue), the formal plan (green), construction (orange),
# opened (black); the setbacks omtag, utgår and avbruten in vermillion with their own shapes, and
# a ring around them in the chart (SETBACK_RING) so they stand out also in grey print.
STEP_COLOURS = {
    "avs_done": OKABE_ITO[0], "agreement_signed": OKABE_ITO[0],
    "regional_plan": OKABE_ITO[4], "national_plan": OKABE_ITO[4], "preparation": OKABE_ITO[4],
    "consultation": OKABE_ITO[2], "plan_approved": OKABE_ITO[2],
    "construction_decision": OKABE_ITO[1], "construction_started": OKABE_ITO[1],
    "opened": OKABE_ITO[7],
    "rework": OKABE_ITO[3], "removed": OKABE_ITO[3], "cancelled": OKABE_ITO[3],
}
_X = "M-1,-0.6L-0.6,-1L0,-0.4L0.6,-1L1,-0.6L0.4,0L1,0.6L0.6,1L0,0.4L-0.6,1L-1,0.6L-0.4,0Z"  # a filled X
STEP_SHAPES = {
    "avs_done": "circle", "agreement_signed": "square",
    "regional_plan": "circle", "national_plan": "square", "preparation": "diamond",
    "consultation": "circle", "plan_approved": "square",
    "construction_decision": "diamond", "construction_started": "triangle-up",
    "opened": "circle",
    "rework": "triangle-left", "removed": "triangle-down", "cancelled": _X,
}
SETBACK_COLOUR = OKABE_ITO[3]  # vermillion: the setbacks' marks and ring
SETBACK_TEXT_COLOUR = "#B34700"  # a darker vermillion for their labels (5.5:1 on white; #D55E00 is 3.9:1)

LATEST_COLUMNS = ["object_id", "object", "tracked", "step_id", "step", "date", "when", "responsible",
                  "months_since", "stale"]
HISTORY_COLUMNS = ["at", "time", "by", "action", "step", "when", "note", "source"]
STEP_COLUMNS = ["object_id", "object", "step_id", "step", "order", "date", "when", "precision", "note", "source",
                "position"]


# ------------------------------------------------------------------------------ dates and staleness


def today_from(values: Mapping) -> date:
    """"Today" for the pages: ``values["today"]`` (a date or an ISO date text, set by tests) if
    present, else the current date. ``values`` is usually ``st.session_state``."""
    value = values.get("today")
    if isinstance(value, str):
        return date.fromisoformat(value)
    return value if isinstance(value, date) else date.today()


def step_end(s: FollowUpStep) -> date:
    """The last day the step's date may mean: the date itself, the month's or the year's last day."""
    if s.precision == "year":
        return date(s.date.year, 12, 31)
    if s.precision == "month":
        return date(s.date.year, s.date.month, calendar.monthrange(s.date.year, s.date.month)[1])
    return s.date


def months_before(d: date, months: int) -> date:
    """The same day ``months`` months earlier (the month's last day if it is shorter)."""
    k = d.year * 12 + (d.month - 1) - months
    y, m = divmod(k, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def whole_months(since: date, today: date) -> int:
    """Whole months from ``since`` to ``today`` (0 if ``today`` is not later)."""
    n = (today.year - since.year) * 12 + (today.month - since.month) - (today.day < since.day)
    return max(n, 0)


def is_stale(s: FollowUpStep | None, today: date, stale_months: int = STALE_MONTHS) -> bool:
    """True if the step (a track's latest) lies more than ``stale_months`` months before ``today``."""
    return s is not None and step_end(s) < months_before(today, stale_months)


# ------------------------------------------------------------------------------ which objects


def followed_objects(project: Project) -> list[InfraObject]:
    """Committed objects and objects with a follow-up track, in the project's order."""
    tracked = {f.object for f in project.follow_up}
    return [o for o in project.objects if o.status == "committed" or o.id in tracked]


def untracked_objects(project: Project) -> list[InfraObject]:
    """Objects that could start being followed up (no track yet), committed ones first."""
    tracked = {f.object for f in project.follow_up}
    rest = [o for o in project.objects if o.id not in tracked]
    return [o for o in rest if o.status == "committed"] + [o for o in rest if o.status != "committed"]


# ------------------------------------------------------------------------------ frames


def latest_step_rows(project: Project, lang: str = "sv", today: date | None = None,
                     stale_months: int = STALE_MONTHS) -> pd.DataFrame:
    """One row per followed-up object with its latest step (see :func:`followed_objects`).

    Columns: ``object_id``, ``object`` (name in ``lang``), ``tracked`` (has a follow-up track),
    ``step_id`` (None without a step), ``step`` (label, "–" without a step), ``date`` (the step's
    date or None), ``when`` (the date as precise as it is known, "–" without a step),
    ``responsible`` ("–" if nobody is named), ``months_since`` (whole months since the step,
    counted from the end of its month/year; None without a step) and ``stale`` (more than
    ``stale_months`` months since the latest step).
    """
    today = today or date.today()
    rows = []
    for o in followed_objects(project):
        track = project.follow_up_of(o.id)
        last = latest_step(track) if track is not None else None
        rows.append({
            "object_id": o.id,
            "object": object_name(o, lang),
            "tracked": track is not None,
            "step_id": None if last is None else last.step,
            "step": NONE if last is None else step_label(last.step, lang),
            "date": None if last is None else last.date,
            "when": NONE if last is None else step_when(last, lang),
            "responsible": (track.responsible if track is not None and track.responsible else NONE),
            "months_since": None if last is None else whole_months(step_end(last), today),
            "stale": is_stale(last, today, stale_months),
        })
    frame = pd.DataFrame(rows, columns=LATEST_COLUMNS)
    frame["months_since"] = frame["months_since"].astype("Int64")  # whole months; <NA> without a step
    frame["stale"] = frame["stale"].astype(bool)
    return frame


def step_rows(project: Project, lang: str = "sv") -> pd.DataFrame:
    """Every recorded step of every followed-up object, objects in :func:`followed_objects` order
    and steps in each track's canonical order (by date). ``position`` numbers the steps within
    their object (0, 1, ...), for alternating the chart labels."""
    rows = []
    for o in followed_objects(project):
        track = project.follow_up_of(o.id)
        for k, s in enumerate(track.steps if track is not None else ()):
            rows.append({"object_id": o.id, "object": object_name(o, lang), "step_id": s.step,
                         "step": step_label(s.step, lang), "order": s.order, "date": s.date,
                         "when": step_when(s, lang), "precision": s.precision, "note": s.note or "",
                         "source": s.source or "", "position": k})
    return pd.DataFrame(rows, columns=STEP_COLUMNS)


def history_rows(track: FollowUp | None, lang: str = "sv") -> pd.DataFrame:
    """A track's history for reading, NEWEST FIRST: ``at`` (the stored UTC time), ``time`` (in
    Stockholm, "2026-05-04 11:30"; the column heading names the zone: ``followup.history.col_at``),
    ``by``, ``action`` (Registrerat/Borttaget), ``step`` (label), ``when`` (the step's date as
    precise as it is), ``note`` and ``source`` ("" if none)."""
    history = list(enumerate(track.history if track is not None else ()))
    newest_first = [h for _, h in sorted(history, key=lambda kh: (kh[1].at, kh[0]), reverse=True)]  # ties: last appended first
    rows = [{"at": h.at, "time": i18n.timestamp(h.at, lang, zone=False), "by": h.by,
             "action": i18n.t(f"followup.history.action.{h.action}", lang), "step": step_label(h.step, lang),
             "when": step_when(h.recorded, lang), "note": h.note or "", "source": h.source or ""}
            for h in newest_first]
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)


# ------------------------------------------------------------------------------ sentences


def latest_sentence(track: FollowUp | None, lang: str = "sv") -> str:
    """"Senaste steg: väg- eller järnvägsplanen har vunnit laga kraft (januari 2024)." or a sentence
    saying that no step is recorded."""
    last = latest_step(track) if track is not None else None
    if last is None:
        return i18n.t("followup.latest_none", lang)
    return i18n.t("followup.latest", lang, reached=i18n.t(f"followup.reached.{last.step}", lang),
                  when=step_when(last, lang))


def step_problem(project: Project, object_id: str | None, step: str | None, when: date | None,
                 replace: bool = False, lang: str = "sv") -> str | None:
    """Why a step cannot be recorded as entered, or None if it can. A step is recorded at most
    once per object (the domain rule): recording it again needs ``replace``."""
    known = {o.id: o for o in project.objects}
    if not object_id or object_id not in known:
        return i18n.t("error.no_such_object", lang, object=object_id or NONE)
    if step not in STEPS:
        return i18n.t("error.unknown_step", lang, step=step or NONE)
    if not isinstance(when, date):
        return i18n.t("error.bad_date", lang)
    track = project.follow_up_of(object_id)
    earlier = track.step(step) if track is not None else None
    if earlier is not None and not replace:
        return i18n.t("followup.error.step_recorded", lang, step=step_label(step, lang),
                      object=object_name(known[object_id], lang), when=step_when(earlier, lang))
    return None


# ------------------------------------------------------------------------------ chart


def _datetime(d: date) -> alt.DateTime:
    return alt.DateTime(year=d.year, month=d.month, date=d.day)


def steps_chart(steps: pd.DataFrame, objects: Sequence[str], today: date, lang: str = "sv") -> alt.LayerChart:
    """The follow-up tracks on one time axis: one row per object (``objects``: names, top to
    bottom), a point per step (colour and shape by step, Okabe-Ito), the step's name printed at the
    point (alternately above and below, so that close steps do not overwrite each other), a grey
    line through an object's steps and a dashed "today" line. A setback (omtag, utgår, avbruten) has
    a vermillion ring and a dark vermillion label. ``steps``: :func:`step_rows`."""
    data = steps.copy()
    data["date"] = pd.to_datetime(data["date"])
    data["above"] = data["position"] % 2 == 0
    data["setback"] = data["step_id"].isin(SETBACK_STEPS)
    step_names = [step_label(s, lang) for s in STEPS]
    y = alt.Y("object:N", sort=list(objects), title=None, scale=alt.Scale(domain=list(objects)),
              axis=alt.Axis(labelFontSize=FONT_SIZE, labelLimit=row_label_limit(420), labelColor=TEXT_COLOUR))
    first = min([*data["date"].dt.date, today])
    last = max([*data["date"].dt.date, today])
    pad = max((last - first).days // 30, 60)  # room for the first and last point and their labels
    domain = [_datetime(date.fromordinal(first.toordinal() - pad)), _datetime(date.fromordinal(last.toordinal() + pad))]
    x = alt.X("date:T", title=i18n.t("followup.col_date", lang), scale=alt.Scale(domain=domain),
              axis=alt.Axis(format="%Y", labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelColor=TEXT_COLOUR,
                            titleColor=TEXT_COLOUR))
    legend = alt.Legend(orient="bottom", columns=legend_columns(3), labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE,
                        labelLimit=320, symbolSize=140, symbolStrokeWidth=0, labelColor=TEXT_COLOUR,
                        titleColor=TEXT_COLOUR)  # one legend: colour and shape share it
    tooltip = [alt.Tooltip("object:N", title=i18n.t("overview.col_object", lang)),
               alt.Tooltip("step:N", title=i18n.t("followup.col_step", lang)),
               alt.Tooltip("when:N", title=i18n.t("followup.col_date", lang)),
               alt.Tooltip("note:N", title=i18n.t("followup.col_note", lang)),
               alt.Tooltip("source:N", title=i18n.t("followup.col_source", lang))]
    base = alt.Chart(data).encode(x=x, y=y)
    line = base.mark_line(color=MUTED_GREY, strokeWidth=2).encode(detail="object:N", order="date:T")
    points = base.mark_point(filled=True, size=160, stroke="white", strokeWidth=1, opacity=1).encode(
        color=alt.Color("step:N", title=i18n.t("followup.col_step", lang),
                        scale=alt.Scale(domain=step_names, range=[STEP_COLOURS[s] for s in STEPS]),
                        legend=legend),
        shape=alt.Shape("step:N", title=i18n.t("followup.col_step", lang),
                        scale=alt.Scale(domain=step_names, range=[STEP_SHAPES[s] for s in STEPS]), legend=legend),
        tooltip=tooltip)
    # a setback (omtag, utgår, avbruten) gets a vermillion ring and its label in (dark) vermillion;
    # the ring only repeats what the point and its label say, so screen readers skip it
    ring = base.transform_filter("datum.setback").mark_point(filled=False, size=520, strokeWidth=2.5,
                                                             color=SETBACK_COLOUR, opacity=1, aria=False)
    label = alt.condition("datum.setback", alt.value(SETBACK_TEXT_COLOUR), alt.value("#333333"))
    above = base.transform_filter("datum.above").mark_text(dy=-18, fontSize=12).encode(text="step:N", color=label)
    below = base.transform_filter("!datum.above").mark_text(dy=20, fontSize=12).encode(text="step:N", color=label)
    today_frame = pd.DataFrame({"date": [pd.Timestamp(today)], "label": [i18n.t("followup.today", lang)]})
    rule = alt.Chart(today_frame).mark_rule(color="#000000", strokeDash=[4, 4]).encode(x="date:T")
    rule_text = alt.Chart(today_frame).mark_text(align="right", dx=-4, dy=-4, fontSize=12, baseline="bottom").encode(
        x="date:T", y=alt.value(0), text="label:N")
    return alt.layer(line, points, ring, above, below, rule, rule_text).properties(
        height=alt.Step(ROW_STEP), title=i18n.t("followup.chart_title", lang))
