"""The timeline as a Gantt chart (Altair), and the frames it is drawn from.

Pure functions: milestones in, a frame or a chart out (no Streamlit). Texts come from
``prioritization.i18n`` (keys ``timeline.chart.*``) and :mod:`prioritization.timeline.labels`.

The chart has one row per milestone, grouped under two header rows (the own process first, then
the external plan-round anchors), and draws:

* a milestone known to the month or the season as a *band*: a light fill with a full-colour
  outline and its time in words next to it ("vinter 2023/24");
* a range of days as a solid bar and a single day as a diamond;
* the dependencies as thin grey lines from the end of the predecessor to the start of the
  dependant, with a small arrowhead;
* "today" as a dashed vertical rule with its date;
* late milestones with a dashed vermillion outline, a "⚠" before the row label, a bold label and
  the words "försenad" (or for an external anchor "ej bekräftad": a plan step of the government or
  the region that is past its expected time has not been confirmed yet, which is not the same as
  being late) after the mark;
* the decision milestone with a black outline, a "★" and a bold label.

Accessibility: the two kinds are Okabe-Ito blue and bluish green and are also told apart by their
group rows; lateness and the decision are never shown by colour alone (markers, dash pattern, bold
text and words). The page shows the same content as a table (the text alternative). Month names
on the time axis follow the language (Vega's time-format locale in the chart config).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import altair as alt
import pandas as pd

from prioritization import i18n
from prioritization.i18n import t
from prioritization.report.theme import (
    EN_NUMBER_LOCALE,
    EN_TIME_LOCALE,
    MUTED_GREY,
    SV_NUMBER_LOCALE,
    SV_TIME_LOCALE,
    legend_columns,
    row_label_limit,
)
from prioritization.report.theme import TIMELINE_FONT_SIZE as FONT_SIZE
from prioritization.report.theme import TIMELINE_TEXT_COLOUR as TEXT_COLOUR
from prioritization.timeline.labels import kind_label, status_label, when_text
from prioritization.timeline.milestones import DAY, EXTERNAL, INTERNAL, LATE, MONTH, SEASON, Milestone

ROW_STEP = 26
TITLE_CHARS = 42  # row labels are cut after this many characters of the title (full title in the tooltip)
KIND_COLOURS = {INTERNAL: "#0072B2", EXTERNAL: "#009E73"}  # Okabe-Ito blue, bluish green
LATE_COLOUR = "#D55E00"  # Okabe-Ito vermillion
DECISION_COLOUR = "#000000"
DEPENDENCY_COLOUR = MUTED_GREY  # 4.5:1 on white
TODAY_COLOUR = "#CC79A7"  # Okabe-Ito reddish purple: 3:1 on white, readable on a dark theme too
BAND_OPACITY = 0.3  # month and season bands: light fill, full-colour outline
BAR_OPACITY = 0.9
SOLID, DASHED = [1, 0], [5, 3]
DASH_EXPR = f"datum.late ? {DASHED} : {SOLID}"  # a mark property: list-valued data columns do not survive Arrow
DECISION_MARK, LATE_MARK = "★", "⚠"
BANDS = (MONTH, SEASON)
LABEL_FLIP = 0.7  # words of marks ending in the last 30 % of the time axis are printed before the mark



def _ts(d: date) -> pd.Timestamp:
    return pd.Timestamp(d.year, d.month, d.day)


def _cut(text: str, limit: int = TITLE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;:–-") + "…"


def display_order(milestones: Sequence[Milestone]) -> list[Milestone]:
    """Internal milestones first, then external; within each by start, end and input order."""
    pos = {m.id: k for k, m in enumerate(milestones)}
    return sorted(milestones, key=lambda m: (m.kind != INTERNAL, m.start, m.end, pos[m.id]))


def is_late(m: Milestone, today: date | None) -> bool:
    return today is not None and m.is_late(today)


def late_word(m: Milestone, lang: str = "sv") -> str:
    """"försenad" for the own process, "ej bekräftad" for an external anchor past its time."""
    return t("timeline.chart.unconfirmed" if m.kind == EXTERNAL else "timeline.chart.late", lang)


def row_label(m: Milestone, lang: str = "sv", today: date | None = None) -> str:
    """"★ M09 · Beslut om …", "⚠ E10 · Regeringen …", "M01 · Samarbetskommitténs möte …"."""
    marks = (DECISION_MARK if m.decision else "") + (LATE_MARK if is_late(m, today) else "")
    return f"{marks + ' ' if marks else ''}{m.id} · {_cut(m.title(lang))}"


def group_label(kind: str, lang: str = "sv") -> str:
    return t(f"timeline.chart.group_{kind}", lang)


def gantt_frame(milestones: Sequence[Milestone], lang: str = "sv", today: date | None = None) -> pd.DataFrame:
    """One row per milestone in display order: ``id``, ``row`` (the y label), ``position``,
    ``kind``, ``group``, ``start`` and ``end`` (timestamps; ``end`` is the day after the last day,
    so a bar covers its last day), ``last_day``, ``precision``, ``shape`` ("band", "bar" or
    "point"), ``status`` (effective on ``today``), ``status_label``, ``late``, ``decision``,
    ``when``, ``owner``, ``depends``, ``title``, ``end_label`` (printed after the mark) and the
    drawing attributes ``fill``, ``fill_opacity``, ``stroke`` and ``stroke_width`` (late ones are
    also dashed: :data:`DASH_EXPR`)."""
    index = {m.id: m for m in milestones}
    rows = []
    for k, m in enumerate(display_order(milestones)):
        late = is_late(m, today)
        status = m.effective_status(today) if today is not None else m.status
        shape = "point" if m.precision == DAY else "band" if m.precision in BANDS else "bar"
        words = []
        if shape == "band":
            words.append(when_text(m, lang))
        if late:
            words.append(f"{LATE_MARK} {late_word(m, lang)}")
        if late and m.kind == EXTERNAL:
            status_text = t("timeline.chart.unconfirmed_status", lang)
        else:
            status_text = status_label(status, lang)
        stroke = LATE_COLOUR if late else DECISION_COLOUR if m.decision else KIND_COLOURS[m.kind]
        rows.append({
            "id": m.id, "row": row_label(m, lang, today), "position": k, "kind": m.kind,
            "group": kind_label(m.kind, lang), "title": m.title(lang),
            "start": _ts(m.start), "end": _ts(m.end + timedelta(days=1)), "last_day": _ts(m.end),
            "precision": m.precision, "shape": shape, "status": status, "status_label": status_text,
            "late": late, "decision": m.decision, "when": when_text(m, lang), "owner": m.owner or "–",
            "depends": ", ".join(f"{d} ({_cut(index[d].title(lang), 40)})" if d in index else d
                                 for d in m.depends_on) or "–",
            "end_label": " · ".join(words),
            "fill": KIND_COLOURS[m.kind], "fill_opacity": BAND_OPACITY if shape == "band" else BAR_OPACITY,
            "stroke": stroke, "stroke_width": 3.0 if late else 2.5 if m.decision else 1.0,
        })
    columns = ["id", "row", "position", "kind", "group", "title", "start", "end", "last_day", "precision", "shape",
               "status", "status_label", "late", "decision", "when", "owner", "depends", "end_label", "fill",
               "fill_opacity", "stroke", "stroke_width"]
    return pd.DataFrame(rows, columns=columns)


def row_domain(frame: pd.DataFrame, lang: str = "sv") -> list[str]:
    """The y rows top to bottom: a header row per group that has milestones, then its milestones."""
    out: list[str] = []
    for kind in (INTERNAL, EXTERNAL):
        part = frame[frame["kind"] == kind].sort_values("position")
        if len(part):
            out.append(group_label(kind, lang))
            out.extend(part["row"])
    return out


def dependency_frame(frame: pd.DataFrame, milestones: Sequence[Milestone]) -> pd.DataFrame:
    """One row per dependency between milestones in the chart: ``from_id``, ``to_id``, ``from_row``,
    ``to_row``, ``x`` (where the predecessor ends; a single day: its day) and ``x2`` (where the
    dependant starts)."""
    by_id = frame.set_index("id")
    rows = []
    for m in milestones:
        for d in m.depends_on:
            if d not in by_id.index or m.id not in by_id.index:
                continue
            pred, dep = by_id.loc[d], by_id.loc[m.id]
            rows.append({"from_id": d, "to_id": m.id, "from_row": pred["row"], "to_row": dep["row"],
                         "x": pred["start"] if pred["shape"] == "point" else pred["end"], "x2": dep["start"]})
    return pd.DataFrame(rows, columns=["from_id", "to_id", "from_row", "to_row", "x", "x2"])


def _tick_step(first: pd.Timestamp, last: pd.Timestamp) -> int:
    """Months between time-axis ticks, so the labels do not crowd."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    return 1 if months <= 12 else 3 if months <= 36 else 6 if months <= 72 else 12


def locale_config(lang: str) -> dict:
    """Vega's number and time-format locales for ``lang`` (Swedish month names on the axis)."""
    if lang == "sv":
        return {"number": SV_NUMBER_LOCALE, "time": SV_TIME_LOCALE}
    return {"number": EN_NUMBER_LOCALE, "time": EN_TIME_LOCALE}


def gantt_chart(milestones: Sequence[Milestone], lang: str = "sv", today: date | None = None, *,
                title: str | None = None) -> alt.LayerChart:
    """The Gantt chart of ``milestones``; with ``today``, a "today" rule and late items marked.

    Layers (in this order, tests rely on the names): ``bars`` (bands and ranges), ``points``
    (single days), ``labels`` and ``labels_before`` (the words after a mark, or before it near the
    right edge), ``dependencies`` and ``arrows`` (only if any
    dependency), ``today`` and ``today_label`` (only with ``today``).
    """
    frame = gantt_frame(milestones, lang, today)
    domain = row_domain(frame, lang)
    headers = [group_label(k, lang) for k in (INTERNAL, EXTERNAL)]
    bold = [r for r in domain if r in headers or r.startswith((DECISION_MARK, LATE_MARK))]
    first = frame["start"].min() if len(frame) else _ts(today or date.today())
    last = frame["end"].max() if len(frame) else first + pd.Timedelta(days=365)
    if today is not None:
        first, last = min(first, _ts(today)), max(last, _ts(today) + pd.Timedelta(days=1))
    span = last - first
    x_domain = [first - span * 0.01, last + span * 0.03]
    step = _tick_step(first, last)
    x_scale = alt.Scale(domain=[x.isoformat() for x in x_domain])
    x_axis = alt.Axis(format="%b %Y", orient="top", labelAngle=0, labelFontSize=FONT_SIZE, labelColor=TEXT_COLOUR,
                      labelOverlap=True, tickCount={"interval": "month", "step": step}, grid=True,
                      gridColor="#dddddd", title=None)
    y = alt.Y("row:N", title=None, scale=alt.Scale(domain=domain),
              axis=alt.Axis(labelLimit=row_label_limit(330), labelFontSize=FONT_SIZE, labelColor=TEXT_COLOUR,
                            ticks=False, domain=False,
                            labelFontWeight=alt.ExprRef(f"indexof({bold!r}, datum.value) >= 0 ? 'bold' : 'normal'")))
    colour = alt.Color("group:N", title=None,
                       scale=alt.Scale(domain=[kind_label(k, lang) for k in (INTERNAL, EXTERNAL)],
                                       range=[KIND_COLOURS[INTERNAL], KIND_COLOURS[EXTERNAL]]),
                       legend=alt.Legend(orient="bottom", columns=legend_columns(2), labelFontSize=FONT_SIZE,
                                         labelColor=TEXT_COLOUR, symbolType="square"))
    tooltip = [alt.Tooltip("title:N", title=t("timeline.col.title", lang)),
               alt.Tooltip("when:N", title=t("timeline.col.when", lang)),
               alt.Tooltip("owner:N", title=t("timeline.col.owner", lang)),
               alt.Tooltip("status_label:N", title=t("timeline.col.status", lang)),
               alt.Tooltip("group:N", title=t("timeline.col.kind", lang)),
               alt.Tooltip("depends:N", title=t("timeline.col.depends_on", lang))]
    style: dict[str, Any] = {"stroke": alt.Stroke("stroke:N", scale=None),
             "strokeWidth": alt.StrokeWidth("stroke_width:Q", scale=None)}
    spans = frame[frame["shape"] != "point"]
    days = frame[frame["shape"] == "point"]
    # An empty layer (e.g. a plan without single days) would be an unlabelled role="graphics-symbol"
    # group in Vega's SVG (axe: svg-img-alt); hide it from assistive technology.
    bars = alt.Chart(spans, name="bars").mark_bar(cornerRadius=2, height={"band": 0.7}, aria=not spans.empty,
                                                     strokeDash=alt.ExprRef(DASH_EXPR)).encode(
        x=alt.X("start:T", scale=x_scale, axis=x_axis), x2="end:T", y=y, color=colour,
        fillOpacity=alt.FillOpacity("fill_opacity:Q", scale=None), tooltip=tooltip, **style)
    points = alt.Chart(days, name="points").mark_point(
        shape="diamond", filled=True, size=190, opacity=1, aria=not days.empty,
        strokeDash=alt.ExprRef(DASH_EXPR)).encode(
        x=alt.X("start:T", scale=x_scale, axis=x_axis), y=y, fill=alt.Fill("fill:N", scale=None), tooltip=tooltip,
        **style)
    # the words after a mark; near the right edge they go before it instead, so they stay in view
    labelled = frame[frame["end_label"] != ""].copy()
    # where the words start: after a point's day, else after the bar's end (works on an empty frame too)
    labelled["label_end"] = labelled["start"].where(labelled["shape"] == "point", labelled["end"])
    before = labelled["label_end"] > first + span * LABEL_FLIP
    text_style: dict[str, Any] = {"baseline": "middle", "fontSize": FONT_SIZE - 1,
                  "fontWeight": alt.ExprRef("datum.late ? 'bold' : 'normal'")}
    labels = alt.Chart(labelled[~before], name="labels").mark_text(align="left", dx=7, **text_style).encode(
        x=alt.X("label_end:T", scale=x_scale, axis=x_axis), y=y, text="end_label:N")
    labels_before = alt.Chart(labelled[before], name="labels_before").mark_text(
        align="right", dx=-9, **text_style).encode(x=alt.X("start:T", scale=x_scale, axis=x_axis), y=y,
                                                   text="end_label:N")
    layers: list[alt.Chart] = [bars, points, labels, labels_before]
    deps = dependency_frame(frame, milestones)
    if len(deps):
        dep_y = alt.Y("from_row:N", scale=alt.Scale(domain=domain), title=None)
        layers.append(alt.Chart(deps, name="dependencies").mark_rule(
            color=DEPENDENCY_COLOUR, strokeWidth=1, opacity=0.8).encode(
            x=alt.X("x:T", scale=x_scale, axis=x_axis), x2="x2:T", y=dep_y, y2="to_row:N",
            tooltip=[alt.Tooltip("from_id:N", title=t("timeline.chart.from", lang)),
                     alt.Tooltip("to_id:N", title=t("timeline.chart.to", lang))]))
        layers.append(alt.Chart(deps, name="arrows").mark_point(
            shape="triangle-right", filled=True, size=45, color=DEPENDENCY_COLOUR, opacity=1, xOffset=-4).encode(
            x=alt.X("x2:T", scale=x_scale, axis=x_axis), y=alt.Y("to_row:N", scale=alt.Scale(domain=domain),
                                                                   title=None)))
    if today is not None:
        now = pd.DataFrame({"today": [_ts(today)],
                            "label": [t("timeline.chart.today", lang, date=i18n.day(today, lang))]})
        layers.append(alt.Chart(now, name="today").mark_rule(color=TODAY_COLOUR, strokeWidth=2,
                                                             strokeDash=[6, 4]).encode(
            x=alt.X("today:T", scale=x_scale, axis=x_axis)))
        near = (_ts(today) - first) / span if span.days else 0.5  # where today lies on the axis, 0..1
        align = "right" if near > LABEL_FLIP else "left" if near < 1 - LABEL_FLIP else "center"
        layers.append(alt.Chart(now, name="today_label").mark_text(
            align=align, baseline="top", fontSize=FONT_SIZE, fontWeight="bold",
            dx={"right": 4, "left": -4, "center": 0}[align]).encode(
            x=alt.X("today:T", scale=x_scale, axis=x_axis), y=alt.value(len(domain) * ROW_STEP + 6), text="label:N"))
    chart = alt.layer(*layers).properties(height=alt.Step(ROW_STEP), title=title or t("timeline.chart.title", lang))
    return chart.configure(locale=locale_config(lang)).configure_view(stroke=None).configure_title(
        fontSize=FONT_SIZE + 2, anchor="start")


def milestone_table(milestones: Sequence[Milestone], lang: str = "sv", today: date | None = None,
                    version_names: dict[str, str] | None = None) -> pd.DataFrame:
    """The chart's text alternative: one row per milestone in display order with id, title, time
    in words, owner, status (on ``today``), kind, dependencies, attached material and source.
    ``version_names`` maps a frozen version's SHA-256 to its name."""
    names = version_names or {}
    rows = []
    for m in display_order(milestones):
        late = is_late(m, today)
        status = LATE if late else m.status
        status_text = t("timeline.chart.unconfirmed_status", lang) if late and m.kind == EXTERNAL \
            else status_label(status, lang)
        if m.decision:
            status_text = f"{status_text} ({t('timeline.chart.decision', lang)})"
        rows.append({
            t("timeline.col.id", lang): m.id, t("timeline.col.title", lang): m.title(lang),
            t("timeline.col.when", lang): when_text(m, lang), t("timeline.col.owner", lang): m.owner or "–",
            t("timeline.col.status", lang): status_text, t("timeline.col.kind", lang): kind_label(m.kind, lang),
            t("timeline.col.depends_on", lang): ", ".join(m.depends_on) or "–",
            t("timeline.col.links", lang): links_text(m, lang, names) or "–",
            t("timeline.col.source", lang): m.source or "–",
        })
    return pd.DataFrame(rows)


def links_text(m: Milestone, lang: str = "sv", version_names: dict[str, str] | None = None) -> str:
    """The workshop material attached to a milestone in words: versions by name (and short hash),
    scoring phases as "poängsättning 1"."""
    names = version_names or {}
    parts = [t("timeline.chart.version_link", lang, name=names.get(sha, t("timeline.chart.unknown_version", lang)),
               sha=sha[:12]) for sha in m.links.versions]
    parts += [t("timeline.chart.phase_link", lang, phase=p) for p in m.links.phases]
    return "; ".join(parts)
