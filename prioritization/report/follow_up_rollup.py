"""The follow-up rolled up per municipality (issue 14): for each municipality of the round, how many
followed-up objects and how many MSEK are in each phase, a phase being an object's latest step
(:func:`prioritization.timeline.follow_up.latest_step`; "no step yet" where none is recorded).

Which objects: those of the follow-up page (:func:`prioritization.report.follow_up.followed_objects`).
Which municipalities: an object's attribute ``municipalities``; an object shared by several
municipalities is counted in EACH of their rows (so the municipalities' rows add up to more than
the total), and the total row counts every object once. An object without municipalities is counted
under "no municipality given". Costs: the sum of the known costs; a sum with a made-up example cost
in it (:attr:`~prioritization.model.InfraObject.cost_is_illustrative`) is marked as such, and
objects without a cost are counted apart so that a sum is never read as complete when it is not.

Pure: a :class:`~prioritization.model.Project` in; frames, sentences and an Altair chart out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import pandas as pd

from prioritization import i18n
from prioritization.model import InfraObject, Project
from prioritization.report.follow_up import STEP_COLOURS, followed_objects
from prioritization.report.theme import CHART_TEXT_COLOUR as TEXT_COLOUR
from prioritization.report.theme import MUTED_GREY, legend_columns, row_label_limit
from prioritization.report.theme import TIMELINE_FONT_SIZE as FONT_SIZE
from prioritization.timeline.follow_up import STEPS, latest_step
from prioritization.timeline.labels import step_label

NO_STEP = "none"  # the phase of an object without any recorded step
PHASES = (*STEPS, NO_STEP)
NO_MUNICIPALITY = ""  # the group of objects without a municipality
TOTAL = None  # the municipality of the total row
ROW_COLUMNS = ["municipality", "phase", "objects", "msek", "illustrative", "no_cost", "object_ids"]


@dataclass(frozen=True)
class Cell:
    """Objects of one municipality in one phase (or of the total row)."""

    object_ids: tuple[str, ...]
    msek: float  # the sum of the known costs
    illustrative: bool  # a made-up example cost is in the sum
    no_cost: int  # objects without a known cost

    @property
    def objects(self) -> int:
        return len(self.object_ids)


def phase(project: Project, object_id: str) -> str:
    """An object's phase: the step id of its latest step, or :data:`NO_STEP`."""
    track = project.follow_up_of(object_id)
    last = latest_step(track) if track is not None else None
    return NO_STEP if last is None else last.step


def municipalities_of(o: InfraObject) -> list[str]:
    """The object's municipalities (attribute ``municipalities``: a list or a comma-separated text),
    each once, in the order given; ``[NO_MUNICIPALITY]`` if none."""
    raw = o.attributes.get("municipalities")
    items = raw.split(",") if isinstance(raw, str) else raw if isinstance(raw, (list, tuple)) else []
    names = list(dict.fromkeys(str(x).strip() for x in items if str(x).strip()))
    return names or [NO_MUNICIPALITY]


def _cell(objects: Sequence[InfraObject]) -> Cell:
    known = [o for o in objects if o.cost is not None]
    return Cell(tuple(o.id for o in objects), float(sum(o.cost for o in known if o.cost is not None)),
                any(o.cost_is_illustrative for o in known), len(objects) - len(known))


_SWEDISH_LAST = str.maketrans("åäö", "{|}")  # after z, in this order


def _sort_key(name: str) -> tuple[bool, str]:
    """Municipalities alphabetically as in Swedish (å, ä, ö last), the group without one last."""
    return name == NO_MUNICIPALITY, name.casefold().translate(_SWEDISH_LAST)


def rollup(project: Project) -> dict[str | None, dict[str, Cell]]:
    """``{municipality: {phase: Cell}}`` for every municipality of the followed-up objects
    (alphabetically; "" for objects without one, last) and :data:`TOTAL` (None, every object once),
    phases in :data:`PHASES` order and only those with objects."""
    objects = followed_objects(project)
    phases = {o.id: phase(project, o.id) for o in objects}
    groups: dict[str | None, list[InfraObject]] = {}
    for o in objects:
        for m in municipalities_of(o):
            groups.setdefault(m, []).append(o)
    order: list[str | None] = [*sorted((m for m in groups if m is not None), key=_sort_key), TOTAL]
    groups[TOTAL] = objects
    return {m: {p: _cell(inside) for p in PHASES if (inside := [o for o in groups[m] if phases[o.id] == p])}
            for m in order}


def phase_label(p: str, lang: str = "sv") -> str:
    return i18n.t("followup.rollup.no_step", lang) if p == NO_STEP else step_label(p, lang)


def municipality_label(m: str | None, lang: str = "sv") -> str:
    if m is TOTAL:
        return i18n.t("followup.rollup.total", lang)
    return m or i18n.t("followup.rollup.no_municipality", lang)


def rollup_rows(project: Project) -> pd.DataFrame:
    """The roll-up as one row per municipality and phase with objects (the total row's municipality
    is None): ``municipality``, ``phase`` (step id or "none"), ``objects``, ``msek``,
    ``illustrative``, ``no_cost``, ``object_ids``."""
    rows = [{"municipality": m, "phase": p, "objects": c.objects, "msek": c.msek, "illustrative": c.illustrative,
             "no_cost": c.no_cost, "object_ids": list(c.object_ids)}
            for m, cells in rollup(project).items() for p, c in cells.items()]
    return pd.DataFrame(rows, columns=ROW_COLUMNS)


def cell_text(c: Cell | None, lang: str = "sv") -> str:
    """"2 objekt · 18 400 MSEK", with "(exempeldata)" for a sum with a made-up cost and "(kostnad
    saknas för 1)" when not every cost is known, "1 objekt · kostnad saknas" when none is; "–" for
    no objects."""
    if c is None:
        return "–"
    if c.no_cost == c.objects:  # no cost known: no sum to show
        return i18n.t("followup.rollup.cell_no_cost", lang, n=c.objects)
    text = i18n.t("followup.rollup.cell", lang, n=c.objects,
                  msek=i18n.msek(c.msek, lang, illustrative=c.illustrative))
    if c.no_cost:
        text += " " + i18n.t("followup.rollup.no_cost", lang, n=c.no_cost)
    return text


def rollup_table(project: Project, lang: str = "sv") -> pd.DataFrame:
    """The roll-up for reading: a row per municipality and the total row last, a column per phase
    that has objects (in :data:`PHASES` order) and a column "all phases"; each cell says objects and
    MSEK (:func:`cell_text`). The first column is the municipality."""
    data = rollup(project)
    phases = [p for p in PHASES if any(p in cells for cells in data.values())]
    col_m = i18n.t("followup.rollup.col_municipality", lang)
    rows = []
    for m, cells in data.items():
        row = {col_m: municipality_label(m, lang)}
        for p in phases:
            row[phase_label(p, lang)] = cell_text(cells.get(p), lang)
        everything = list(cells.values())
        row[i18n.t("followup.rollup.col_all", lang)] = cell_text(
            Cell(tuple(i for c in everything for i in c.object_ids), sum(c.msek for c in everything),
                 any(c.illustrative for c in everything), sum(c.no_cost for c in everything)) if everything else None,
            lang)
        rows.append(row)
    return pd.DataFrame(rows, columns=[col_m, *(phase_label(p, lang) for p in phases),
                                       i18n.t("followup.rollup.col_all", lang)])


def rollup_sentence(project: Project, lang: str = "sv") -> str:
    """What the table counts, in words: how many objects in how many municipalities, and that an
    object shared by several municipalities is counted in each of their rows but once in the total."""
    data = rollup(project)
    total = sum(c.objects for c in data[TOTAL].values())
    shared = sum(1 for o in followed_objects(project) if len(municipalities_of(o)) > 1)
    n_m = sum(1 for m in data if m is not TOTAL and m != NO_MUNICIPALITY)
    return i18n.t("followup.rollup.sentence", lang, n=total, municipalities=n_m, shared=shared)


def rollup_chart(project: Project, lang: str = "sv") -> alt.Chart:
    """Objects per municipality as horizontal bars stacked by phase (the steps' colours, setbacks
    vermillion, "no step" grey), the total row excluded (it would dwarf the rest; the table has it).
    The tooltip gives the phase, the objects and the MSEK."""
    rows = rollup_rows(project)
    rows = rows[rows["municipality"].notna()].copy()
    rows["municipality_label"] = [municipality_label(m, lang) for m in rows["municipality"]]
    rows["phase_label"] = [phase_label(p, lang) for p in rows["phase"]]
    rows["phase_order"] = [PHASES.index(p) for p in rows["phase"]]
    rows["msek_text"] = [i18n.msek(x, lang, illustrative=bool(i)) for x, i in zip(rows["msek"], rows["illustrative"],
                                                                                  strict=True)]
    rows = rows.drop(columns=["object_ids"])
    present = [p for p in PHASES if p in set(rows["phase"])]
    colours = [MUTED_GREY if p == NO_STEP else STEP_COLOURS[p] for p in present]
    order = list(dict.fromkeys(rows["municipality_label"]))
    col_m = i18n.t("followup.rollup.col_municipality", lang)
    col_p = i18n.t("followup.rollup.col_phase", lang)
    return alt.Chart(rows).mark_bar(stroke="white", strokeWidth=1).encode(
        y=alt.Y("municipality_label:N", sort=order, title=None,
                axis=alt.Axis(labelFontSize=FONT_SIZE, labelColor=TEXT_COLOUR, labelLimit=row_label_limit(300))),
        x=alt.X("sum(objects):Q", title=i18n.t("followup.rollup.axis_objects", lang),
                axis=alt.Axis(tickMinStep=1, format="d", labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE,
                              labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR)),
        color=alt.Color("phase_label:N", title=col_p,
                        scale=alt.Scale(domain=[phase_label(p, lang) for p in present], range=colours),
                        legend=alt.Legend(orient="bottom", columns=legend_columns(3), labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE,
                                          labelLimit=320, labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR)),
        order=alt.Order("phase_order:Q"),
        tooltip=[alt.Tooltip("municipality_label:N", title=col_m), alt.Tooltip("phase_label:N", title=col_p),
                 alt.Tooltip("objects:Q", title=i18n.t("followup.rollup.axis_objects", lang)),
                 alt.Tooltip("msek_text:N", title="MSEK")],
    ).properties(title=i18n.t("followup.rollup.chart_title", lang), height=alt.Step(34))


def chart_alt(project: Project, lang: str = "sv") -> str:
    """The chart's text alternative: what it shows, and where the same numbers are as a table."""
    data = rollup(project)
    return i18n.t("followup.rollup.chart_alt", lang, municipalities=sum(1 for m in data if m is not TOTAL),
                  n=sum(c.objects for c in data[TOTAL].values()))
