"""What the plan-list import page shows, without Streamlit: the check of what the facilitator
states (period, source), the confirmed name matches, the change report as tables per kind and its
text alternative (a sentence with the counts). Words in Swedish or English."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date

import pandas as pd

from prioritization import i18n
from prioritization.planning import plan_changes as pc
from prioritization.planning.fileformat import PERIOD
from prioritization.planning.model import PlanRef
from prioritization.report.planning import label
from prioritization.timeline.labels import step_label

DASH = "–"
DEFAULT_PERIOD = "2026–2037"


def setting_problems(period: str, source: str, decided: date | None = None, today: date | None = None) -> list[str]:
    """The i18n keys of what is wrong with the stated period, source and decision date (a decision
    after ``today`` has not been taken; empty: fine)."""
    out = []
    if decided is not None and today is not None and decided > today:
        out.append("plan_import.future_date")
    m = PERIOD.match((period or "").strip())
    if m is None or int(m.group(1)) > int(m.group(2)):
        out.append("plan_import.bad_period")
    if not (source or "").strip():
        out.append("plan_import.no_source")
    return out


def normal_period(period: str) -> str:
    """A period as the project file writes it: "2026–2037" (an en dash)."""
    m = PERIOD.match(period.strip())
    return f"{m.group(1)}–{m.group(2)}" if m else period.strip()


def confirmed_matches(suggestions: Sequence[pc.NameMatch], checked: Collection[tuple[int, str]]
                      ) -> tuple[dict[int, str], list[int]]:
    """``({row: object id}, rows with more than one confirmed object)``: a row confirmed twice is
    left unmatched until one is chosen."""
    chosen: dict[int, list[str]] = {}
    for m in suggestions:
        if (m.row.row, m.object_id) in checked:
            chosen.setdefault(m.row.row, []).append(m.object_id)
    return ({row: oids[0] for row, oids in chosen.items() if len(oids) == 1},
            sorted(row for row, oids in chosen.items() if len(oids) > 1))


def match_label(m: pc.NameMatch, lang: str) -> str:
    return i18n.t("plan_import.match_label", lang, row=m.row.row, listed=m.row.label, object=m.object_name,
                  id=m.object_id, score=i18n.percent(m.score, lang))


def _phase(ref: PlanRef | None, lang: str) -> str:
    return DASH if ref is None else label("phase", ref.phase, lang)


def _cost(ref: PlanRef | None, lang: str) -> str:
    return DASH if ref is None or ref.cost_msek is None else i18n.number(ref.cost_msek, lang, decimals=0)


def change_table(changes: Sequence[pc.Change], recording: Mapping[str, str], lang: str) -> pd.DataFrame:
    """One row per object: the object, the list's row and name for it, phase and cost before and
    after, and the follow-up step that will be recorded (``recording``: object id -> step, from
    :func:`~prioritization.planning.plan_changes.steps_to_record`)."""
    def t(key: str) -> str:
        return i18n.t(f"plan_import.col.{key}", lang)

    return pd.DataFrame([{
        t("object"): f"{c.object_id} {c.object_name}",
        t("row"): str(c.row.row),
        t("listed"): c.row.label + (f" ({i18n.t('plan_import.by_name', lang)})" if c.by_name else ""),
        t("phase_before"): _phase(c.old, lang),
        t("phase_after"): _phase(c.new, lang),
        t("cost_before"): _cost(c.old, lang),
        t("cost_after"): _cost(c.new, lang),
        t("step"): _step_text(c, recording, lang),
    } for c in changes], columns=[t(k) for k in ("object", "row", "listed", "phase_before", "phase_after",
                                                 "cost_before", "cost_after", "step")])


def _step_text(c: pc.Change, recording: Mapping[str, str], lang: str) -> str:
    if c.object_id in recording:
        return step_label(recording[c.object_id], lang)
    if c.step and c.writes:
        return i18n.t("plan_import.step_kept", lang, step=step_label(c.step, lang))
    return DASH


def absent_table(report: pc.Report, lang: str) -> pd.DataFrame:
    def t(key: str) -> str:
        return i18n.t(f"plan_import.col.{key}", lang)

    return pd.DataFrame([{t("object"): f"{a.object_id} {a.object_name}", t("objekt_id"): a.ref.objekt_id or DASH,
                          t("phase_before"): _phase(a.ref, lang), t("cost_before"): _cost(a.ref, lang)}
                         for a in report.absent],
                        columns=[t(k) for k in ("object", "objekt_id", "phase_before", "cost_before")])


def unmatched_table(report: pc.Report, lang: str) -> pd.DataFrame:
    def t(key: str) -> str:
        return i18n.t(f"plan_import.col.{key}", lang)

    return pd.DataFrame([{t("row"): str(r.row), t("objekt_id"): r.objekt_id or DASH, t("name"): r.name or DASH,
                          t("phase_after"): label("phase", r.phase, lang), t("county"): r.county or DASH}
                         for r in report.unmatched],
                        columns=[t(k) for k in ("row", "objekt_id", "name", "phase_after", "county")])


def summary_text(report: pc.Report, recording: Mapping[str, str], lang: str) -> str:
    """The report in one sentence (the tables' text alternative): how many objects of each kind,
    absent from the list, and rows that match no object."""
    counts = report.counts()
    parts = [i18n.t(f"plan_import.count.{k}", lang, n=counts[k]) for k in pc.KINDS if counts[k]]
    head = i18n.t("plan_import.summary", lang, plan=label("plan", report.source.plan, lang),
                  period=report.source.period, n=len(report.changes),
                  parts=", ".join(parts) if parts else i18n.t("plan_import.summary_none", lang))
    tail = []
    if report.absent:
        tail.append(i18n.t("plan_import.summary_absent", lang, n=len(report.absent)))
    if report.unmatched:
        tail.append(i18n.t("plan_import.summary_unmatched", lang, n=len(report.unmatched)))
    writes = len(report.writes)
    steps = len(recording)
    tail.append(i18n.t("plan_import.summary_writes", lang, n=writes, steps=steps) if writes
                else i18n.t("plan_import.summary_nothing", lang))
    return " ".join([head, *tail])
