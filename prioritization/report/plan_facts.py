"""An object's plan data as the facts people read (issue 14): one line per fact for the scoring page
and the dashboard, typed cells for the Excel and CSV object lists, and the comparability warnings
of the objects shown together. The controlled lists' words come from
:mod:`prioritization.report.planning`; this module puts them together ("NP 2026–2037: VST005,
Pågående"; "1 200–1 800 MSEK (prisnivå 2024, Successivkalkyl)").

Texts here may hold what people typed (a stage note, a package, a report number): a page escapes
them for Markdown (:func:`prioritization.safe_text.md`), an export neutralises them for a
spreadsheet (:func:`prioritization.safe_text.neutralise`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from prioritization import i18n
from prioritization.model import InfraObject
from prioritization.planning.comparability import COST, Mismatch, flagged_objects, mismatches
from prioritization.planning.model import PlanData, PlanRef
from prioritization.report.planning import label, mismatch_text, party_label

MARK = "\u2020"  # "†": a figure that is part of a comparability warning (the legend says so in words)


def t(key: str, lang: str, **params: Any) -> str:
    return i18n.t(f"plan_facts.{key}", lang, **params)


def _msek(x: float, lang: str) -> str:
    return i18n.msek(x, lang, 0 if float(x).is_integer() else 1)


def _num(x: float, lang: str) -> str:
    """0.45 -> "0,45", 0.3 -> "0,3", 2.0 -> "2" (up to three decimals, as given)."""
    if float(x).is_integer():
        return i18n.number(x, lang, 0)
    return i18n.number(x, lang, 3).rstrip("0")


# --- one fact, one line ---------------------------------------------------------------------------


def stage_text(plan: PlanData, lang: str = "sv") -> str | None:
    """The planning stage and its note: "Laga kraft – Vägplan laga kraft jan 2024"; the note alone
    when no stage is set (a planning status written before issue 14); None without either."""
    parts = [label("stage", plan.stage, lang)] if plan.stage else []
    if plan.stage_note and plan.stage_note.strip():
        parts.append(plan.stage_note.strip())
    return " – ".join(parts) or None


def evidence_text(plan: PlanData, lang: str = "sv") -> str | None:
    return None if plan.evidence is None else label("evidence", plan.evidence, lang)


def ref_text(ref: PlanRef, lang: str = "sv") -> str:
    """"NP 2026–2037: VST005, Pågående, 2 300 MSEK"."""
    details = [x for x in (ref.objekt_id, ref.phase and label("phase", ref.phase, lang),
                           None if ref.cost_msek is None else _msek(ref.cost_msek, lang)) if x]
    head = f"{ref.plan} {ref.period}"
    return f"{head}: {', '.join(details)}" if details else head


def refs_text(plan: PlanData, lang: str = "sv") -> str | None:
    return "; ".join(ref_text(r, lang) for r in plan.refs) or None


def avs_text(plan: PlanData, lang: str = "sv") -> str | None:
    """"ÅVS klar, TRV 2020:115 (2020), steg 1, 2"."""
    a = plan.avs
    if a is None:
        return None
    report = a.report_no or ""
    if a.year is not None:
        report = f"{report} ({a.year})" if report else str(a.year)
    parts = [label("avs", a.status, lang), report]
    if a.steps:
        parts.append(t("avs_steps", lang, steps=", ".join(str(s) for s in a.steps)))
    return ", ".join(p for p in parts if p)


def nnk_text(plan: PlanData, lang: str = "sv") -> str | None:
    """"0,45 (ASEK 7.0, prisnivå 2017)": the NNK with what makes it comparable."""
    s = plan.seb
    if s is None or s.nnk is None:
        return None
    basis = [x for x in (s.asek_version and t("asek", lang, version=s.asek_version),
                         s.price_level and t("price_level", lang, level=s.price_level)) if x]
    value = _num(s.nnk, lang)
    return f"{value} ({', '.join(basis)})" if basis else value


def cost_range_text(plan: PlanData, lang: str = "sv") -> str | None:
    """"1 200–1 800 MSEK (prisnivå 2024, Successivkalkyl)"; a bound not given is "?"."""
    c = plan.cost
    if c is None:
        return None
    basis = [x for x in (c.price_level and t("price_level", lang, level=c.price_level),
                         c.method and label("method", c.method, lang)) if x]
    span = ""
    if c.low is not None or c.high is not None:
        low = "?" if c.low is None else i18n.number(c.low, lang, 0)
        high = "?" if c.high is None else i18n.number(c.high, lang, 0)
        span = t("range", lang, low=low, high=high)
    if span and basis:
        return f"{span} ({', '.join(basis)})"
    return span or ", ".join(basis) or None


def financing_text(plan: PlanData, lang: str = "sv") -> str | None:
    """"Staten 1 000 MSEK (Avtal); Huddinge kommun (Avsiktsförklaring)"."""
    parts = []
    for f in plan.financing:
        amount = "" if f.amount_msek is None else " " + _msek(f.amount_msek, lang)
        parts.append(f"{party_label(f.party, lang)}{amount} ({label('financing', f.status, lang)})")
    return "; ".join(parts) or None


def ids_text(ids: Sequence[str], name: Callable[[str], str] | None = None) -> str | None:
    return ", ".join(name(x) if name else x for x in ids) or None


def dependencies_text(plan: PlanData, lang: str = "sv", name: Callable[[str], str] | None = None) -> str | None:
    """"Förutsätter: Spårväg syd etapp 1; Paket: Spårväg syd"."""
    parts = []
    if req := ids_text(plan.requires, name):
        parts.append(f"{t('requires', lang)}: {req}")
    if exc := ids_text(plan.excludes, name):
        parts.append(f"{t('excludes', lang)}: {exc}")
    if plan.package:
        parts.append(f"{t('package', lang)}: {plan.package}")
    return "; ".join(parts) or None


def links_text(plan: PlanData, lang: str = "sv") -> str | None:
    """"Trafikverkets projektsida: https://…; Avtal om medfinansiering: https://…" (a link's own
    title, else the word for its kind)."""
    return "; ".join(f"{x.title or label('link', x.kind, lang)}: {x.url}" for x in plan.links) or None


def verified_text(plan: PlanData, lang: str = "sv") -> str | None:
    v = plan.verified
    return None if v is None else t("verified_value", lang, date=i18n.day(v.date, lang), by=v.by)


FACTS: dict[str, Callable[[PlanData, str], str | None]] = {
    "stage": stage_text, "evidence": evidence_text, "refs": refs_text, "avs": avs_text, "nnk": nnk_text,
    "cost_range": cost_range_text, "financing": financing_text, "dependencies": dependencies_text,
    "verified": verified_text,
}


def facts(plan: PlanData, lang: str = "sv", keys: Iterable[str] = tuple(FACTS),
          name: Callable[[str], str] | None = None) -> list[tuple[str, str]]:
    """``(fact key, text)`` of the facts the plan has, in ``keys`` order (heading: :func:`fact_label`);
    ``name`` names the objects it depends on (default: their ids)."""
    out = []
    for k in keys:
        text = dependencies_text(plan, lang, name) if k == "dependencies" else FACTS[k](plan, lang)
        if text is not None:
            out.append((k, text))
    return out


def fact_label(key: str, lang: str = "sv") -> str:
    return t(f"fact_{key}", lang)


# --- the object list's columns (Excel, CSV) -------------------------------------------------------

COLUMNS = ("stage", "stage_note", "evidence", "refs", "avs", "nnk", "asek_version", "seb_price_level", "cost_low",
           "cost_high", "cost_price_level", "cost_method", "financing", "requires", "excludes", "package",
           "links", "verified_date", "verified_by", "comparability")
NUMBER_COLUMNS = ("nnk", "cost_low", "cost_high")  # the rest are text (or a date)


def column_headers(lang: str = "sv") -> list[str]:
    return [t(f"col_{k}", lang) for k in COLUMNS]


def column_values(o: InfraObject, lang: str = "sv", *, warnings: Mapping[str, Sequence[str]] | None = None,
                  name: Callable[[str], str] | None = None) -> list[str | float | date | None]:
    """The object's cells in :data:`COLUMNS` order: numbers as numbers, empty as None. ``warnings``
    maps an object id to the comparability warnings it is part of (:func:`warnings_by_object`)."""
    p = o.plan
    s, c, v = p.seb, p.cost, p.verified
    values: dict[str, Any] = {
        "stage": None if p.stage is None else label("stage", p.stage, lang), "stage_note": p.stage_note,
        "evidence": evidence_text(p, lang), "refs": refs_text(p, lang), "avs": avs_text(p, lang),
        "nnk": s and s.nnk, "asek_version": s and s.asek_version, "seb_price_level": s and s.price_level,
        "cost_low": c and c.low, "cost_high": c and c.high, "cost_price_level": c and c.price_level,
        "cost_method": None if c is None or c.method is None else label("method", c.method, lang),
        "financing": financing_text(p, lang), "requires": ids_text(p.requires, name),
        "excludes": ids_text(p.excludes, name), "package": p.package, "links": links_text(p, lang),
        "verified_date": v and v.date, "verified_by": v and v.by,
        "comparability": " ".join((warnings or {}).get(o.id, ())) or None,
    }
    return [values[k] for k in COLUMNS]


# --- comparability --------------------------------------------------------------------------------


def names_of(objects: Iterable[InfraObject], lang: str = "sv") -> Callable[[str], str]:
    """Object id -> the name the reader sees (the id for an object not among ``objects``)."""
    by_id = {o.id: o.label(lang) for o in objects}
    return lambda oid: by_id.get(oid, oid)


def warnings(objects: Sequence[InfraObject], lang: str = "sv", figures: tuple[str, ...] = (COST, "nnk"),
             name: Callable[[str], str] | None = None) -> list[str]:
    """The comparability warnings of the objects shown together, in words (none when comparable);
    objects are named by their names unless ``name`` says otherwise."""
    name = name or names_of(objects, lang)
    return [mismatch_text(m, lang, name) for m in mismatches(objects, figures)]


def warnings_by_object(objects: Sequence[InfraObject], lang: str = "sv",
                       figures: tuple[str, ...] = (COST, "nnk"),
                       name: Callable[[str], str] | None = None) -> dict[str, list[str]]:
    """Object id -> the warnings (in words) it is part of."""
    name = name or names_of(objects, lang)
    out: dict[str, list[str]] = {}
    for m in mismatches(objects, figures):
        text = mismatch_text(m, lang, name)
        for _, ids in m.groups:
            for oid in ids:
                out.setdefault(oid, []).append(text)
    return out


def flagged(objects: Sequence[InfraObject], figures: tuple[str, ...] = (COST, "nnk")) -> dict[str, set[str]]:
    """``{object id: {figure, …}}``: the cells a table marks with :data:`MARK`."""
    return flagged_objects(mismatches(objects, figures))


def marked(text: str, on: bool) -> str:
    """``text`` with the mark when ``on``: "1 200 †"."""
    return f"{text} {MARK}" if on else text


def mismatch_data(found: Iterable[Mismatch]) -> list[dict[str, Any]]:
    """The mismatches as data (the CLI's JSON): ``{figure, basis, groups: [{value, objects}]}``,
    ``value`` None for "not stated"."""
    return [{"figure": m.figure, "basis": m.basis,
             "groups": [{"value": v or None, "objects": list(ids)} for v, ids in m.groups]} for m in found]
