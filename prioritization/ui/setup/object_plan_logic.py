"""The Streamlit-free parts of the object editor's "Planuppgifter" section (issue 14): a stored
plan as the form's values, the form's values (and its small tables' edits) as format-v1 ``plan``
data for :func:`prioritization.storage.planning.set_object_plan`, the parties financing can name,
and the project file reader's problems (English, by path) as messages a person understands, in
Swedish or English ("Kostnadsintervallet: lägsta 500 MSEK är högre än högsta 400 MSEK").

No validation happens here: the whole round is checked by storage, and its problems are translated
by :func:`problem_text`; an empty field is simply left out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from prioritization import i18n
from prioritization.planning import fileformat as plan_format
from prioritization.planning import vocab
from prioritization.planning.model import PlanData

# the Södertörn members, the parties financing offers when the round names no municipalities
SODERTORN = ("Botkyrka", "Haninge", "Huddinge", "Nykvarn", "Nynäshamn", "Salem", "Södertälje", "Tyresö")

REF_COLUMNS = ("plan", "period", "objekt_id", "phase", "cost_msek", "cost_incl_external", "source")
FINANCING_COLUMNS = ("party", "amount_msek", "status", "reference")
LINK_COLUMNS = ("kind", "url", "title")
TABLES = {"refs": REF_COLUMNS, "financing": FINANCING_COLUMNS, "links": LINK_COLUMNS}
NUMBER_COLUMNS = frozenset({"cost_msek", "amount_msek"})

# the form's fields besides the three tables
FIELDS = ("stage", "stage_note", "evidence", "avs_status", "avs_report_no", "avs_year", "avs_steps",
          "avs_recommendation", "avs_url", "seb_nnk", "seb_nnv", "seb_asek_version", "seb_price_level", "seb_date",
          "seb_summary", "seb_url", "cost_low", "cost_high", "cost_price_level", "cost_method", "cost_source",
          "requires", "excludes", "package", "verified_date", "verified_by")


# --- values ------------------------------------------------------------------------------------


def blank(value: Any) -> bool:
    """An empty cell or field: None, NaN, "" or only spaces."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _text(value: Any) -> str | None:
    return None if blank(value) else str(value).strip()


def _number(value: Any) -> float | int | None:
    if blank(value) or isinstance(value, bool):
        return None
    x = float(value)
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


def _flag(value: Any) -> bool | None:
    return None if blank(value) else bool(value)


def _day(value: Any) -> str | None:
    if blank(value):
        return None
    return value.isoformat() if isinstance(value, date) else str(value).strip()


# --- plan -> form --------------------------------------------------------------------------------


def plan_to_form(plan: PlanData) -> dict[str, Any]:
    """The form's starting values for a stored plan (every key of :data:`FIELDS` and the tables)."""
    avs, seb, cost, verified = plan.avs, plan.seb, plan.cost, plan.verified
    return {
        "stage": plan.stage, "stage_note": plan.stage_note or "", "evidence": plan.evidence,
        "refs": [{"plan": r.plan, "period": r.period, "objekt_id": r.objekt_id, "phase": r.phase,
                  "cost_msek": r.cost_msek, "cost_incl_external": r.cost_incl_external, "source": r.source}
                 for r in plan.refs],
        "avs_status": avs.status if avs else None, "avs_report_no": (avs and avs.report_no) or "",
        "avs_year": avs.year if avs else None, "avs_steps": list(avs.steps) if avs else [],
        "avs_recommendation": (avs and avs.recommendation) or "", "avs_url": (avs and avs.url) or "",
        "seb_nnk": seb.nnk if seb else None, "seb_nnv": seb.nnv if seb else None,
        "seb_asek_version": (seb and seb.asek_version) or "", "seb_price_level": (seb and seb.price_level) or "",
        "seb_date": seb.date if seb else None, "seb_summary": (seb and seb.summary) or "",
        "seb_url": (seb and seb.url) or "",
        "cost_low": cost.low if cost else None, "cost_high": cost.high if cost else None,
        "cost_price_level": (cost and cost.price_level) or "", "cost_method": cost.method if cost else None,
        "cost_source": (cost and cost.source) or "",
        "financing": [{"party": f.party, "amount_msek": f.amount_msek, "status": f.status,
                       "reference": f.reference} for f in plan.financing],
        "requires": list(plan.requires), "excludes": list(plan.excludes), "package": plan.package or "",
        "links": [{"kind": x.kind, "url": x.url, "title": x.title} for x in plan.links],
        "verified_date": verified.date if verified else None, "verified_by": verified.by if verified else "",
    }


# --- the small tables ----------------------------------------------------------------------------


def table_rows(base: Sequence[Mapping[str, Any]], delta: Mapping[str, Any] | None,
               columns: Sequence[str]) -> list[dict[str, Any]]:
    """The rows of a small table after a ``st.data_editor`` edit (positional: ``edited_rows`` and
    ``deleted_rows`` are positions in ``base``; ``added_rows`` come last). Untouched cells keep their
    stored value; rows left wholly empty are dropped."""
    delta = delta or {}
    deleted = {int(i) for i in delta.get("deleted_rows") or []}
    edited = {int(k): v for k, v in (delta.get("edited_rows") or {}).items()}
    out = []
    for pos, row in enumerate(base):
        if pos in deleted:
            continue
        out.append({c: row.get(c) for c in columns} | {k: v for k, v in edited.get(pos, {}).items() if k in columns})
    for added in delta.get("added_rows") or []:
        out.append({c: added.get(c) for c in columns})
    return [r for r in out if not all(blank(v) or v is False for v in r.values())]


def _ref(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"plan": _text(row.get("plan")), "period": _text(row.get("period")),
            "objekt_id": _text(row.get("objekt_id")), "phase": _text(row.get("phase")),
            "cost_msek": _number(row.get("cost_msek")), "cost_incl_external": _flag(row.get("cost_incl_external")),
            "source": _text(row.get("source"))}


def _financing(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"party": _text(row.get("party")), "amount_msek": _number(row.get("amount_msek")),
            "status": _text(row.get("status")), "reference": _text(row.get("reference"))}


def _link(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"kind": _text(row.get("kind")), "url": _text(row.get("url")), "title": _text(row.get("title"))}


def _drop_none(d: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != []}


# --- form -> plan --------------------------------------------------------------------------------


def form_to_plan(values: Mapping[str, Any], reviews: PlanData | None = None) -> dict[str, Any]:
    """Format-v1 ``plan`` data from the form's values (empty fields left out; a part with nothing
    filled in left out as a whole). ``reviews``: the stored plan whose closed re-evaluations are
    kept (the form does not edit them)."""
    v = values
    avs = _drop_none({"status": _text(v.get("avs_status")), "report_no": _text(v.get("avs_report_no")),
                      "year": None if blank(v.get("avs_year")) else int(v["avs_year"]),
                      "steps": sorted({int(s) for s in v.get("avs_steps") or []}),
                      "recommendation": _text(v.get("avs_recommendation")), "url": _text(v.get("avs_url"))})
    seb = _drop_none({"nnk": _number(v.get("seb_nnk")), "nnv": _number(v.get("seb_nnv")),
                      "asek_version": _text(v.get("seb_asek_version")),
                      "price_level": _text(v.get("seb_price_level")), "date": _day(v.get("seb_date")),
                      "summary": _text(v.get("seb_summary")), "url": _text(v.get("seb_url"))})
    cost = _drop_none({"low": _number(v.get("cost_low")), "high": _number(v.get("cost_high")),
                       "price_level": _text(v.get("cost_price_level")), "method": _text(v.get("cost_method")),
                       "source": _text(v.get("cost_source"))})
    verified = _drop_none({"date": _day(v.get("verified_date")), "by": _text(v.get("verified_by"))})
    plan = {
        "refs": [_drop_none(_ref(r)) for r in v.get("refs") or []],
        "stage": _text(v.get("stage")), "stage_note": _text(v.get("stage_note")),
        "avs": avs or None, "seb": seb or None, "evidence": _text(v.get("evidence")), "cost": cost or None,
        "financing": [_drop_none(_financing(r)) for r in v.get("financing") or []],
        "requires": list(v.get("requires") or []), "excludes": list(v.get("excludes") or []),
        "package": _text(v.get("package")),
        "links": [_drop_none(_link(r)) for r in v.get("links") or []],
        "verified": verified or None,
        "reviews": plan_format.to_data(PlanData(reviews=reviews.reviews)).get("reviews") if reviews else None,
    }
    return _drop_none({k: plan[k] for k in plan_format.PLAN_KEYS})


def changed(values: Mapping[str, Any], stored: PlanData) -> bool:
    """Whether the form says something else than the stored plan (unsaved edits)."""
    return form_to_plan(values, stored) != form_to_plan(plan_to_form(stored), stored)


# --- choices -------------------------------------------------------------------------------------


def party_options(municipalities: Iterable[str], used: Iterable[str] = ()) -> list[str]:
    """The parties financing offers: the state, the region, each municipality of the round (the
    eight Södertörn members when it names none), congestion-charge revenue, the EU, private, other,
    and any party already stored (so nothing stored disappears from the list)."""
    names = [m for m in municipalities if m] or list(SODERTORN)
    out = ["state", "region", *(f"{vocab.MUNICIPALITY_PARTY}{m}" for m in names),
           *(p for p in vocab.PARTIES if p not in ("state", "region"))]
    return out + [p for p in dict.fromkeys(used) if p and p not in out]


# --- problems in words ---------------------------------------------------------------------------

_OBJECT_PATH = re.compile(r"^objects\[(\d+)\](?:\.plan)?\.?(.*)$")
_ROW = re.compile(r"^(refs|financing|links)\[(\d+)\]\.?(.*)$")

# (pattern of the reader's English message, message key, whether it speaks of the part as a whole)
_MESSAGES: tuple[tuple[re.Pattern[str], str, bool], ...] = tuple(
    (re.compile(p), key, whole) for p, key, whole in (
        (r"^the low estimate (?P<low>\S+) MSEK is above the high estimate (?P<high>\S+) MSEK$", "low_above_high", True),
        (r"^the cost (?P<cost>\S+) MSEK is outside its range (?P<low>\S+)–(?P<high>\S+) MSEK$", "cost_outside", True),
        (r"^the price level (?P<value>\S+) is in the future \(today is (?P<today>\S+)\)$", "price_level_future", False),
        (r'^"(?P<value>.*)" is not a price level', "not_price_level", False),
        (r'^"(?P<value>.*)" is not a plan period', "not_period", False),
        (r'^"(?P<value>.*)" is not a web address', "not_url", False),
        (r'^"(?P<value>.*)" is not a date', "not_date", False),
        (r"^(?P<value>\S+) is in the future$", "in_future", False),
        (r'^unknown object "(?P<value>.*)"$', "unknown_object", False),
        (r'^an object cannot name itself \("(?P<value>.*)"\)$', "names_itself", False),
        (r"^the objects require each other in a circle: (?P<cycle>.*)$", "cycle", False),
        (r"^(?P<value>.*) is both required and excluded$", "required_and_excluded", False),
        (r"^names an object twice$", "named_twice", False),
        (r"^the reference to (?P<value>.*) is given twice", "ref_twice", True),
        (r"^is missing$", "missing", False),
        (r"^expected text, got", "missing", False),
        (r"^is empty \(leave it out", "missing", False),
        (r"^expected one of .*, got (?P<value>.*)$", "not_in_list", False),
        (r"^expected a list of fyrsteg steps", "bad_steps", False),
        (r"^must be at least (?P<limit>\S+), got (?P<value>\S+)$", "too_small", False),
        (r"^expected a (whole )?number, got (?P<value>.*)$", "not_number", False),
        (r"^is (?P<length>\d+) characters long; the limit is (?P<limit>\d+)$", "too_long", False),
        (r"^starts with '(?P<char>.)' and could be run as a formula", "formula_like", False),
    ))

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_AMOUNTS = frozenset({"low", "high", "cost"})  # MSEK, shown in the reader's number format


def _shown(value: str, lang: str) -> str:
    """A number from an English message in the reader's language (1500.5 -> 1 500,5)."""
    if not _NUMBER.match(value):
        return value
    x = float(value)
    return i18n.number(x, lang, decimals=0 if x.is_integer() else len(value.split(".")[1]))


def field_label(rest: str, lang: str) -> str:
    """The place in an object's plan, in words: "Kostnadsintervallet, prisnivå", "Planreferens rad 2,
    fas", "ÅVS, status"."""
    t = i18n.t
    if not rest:
        return t("object_plan.heading", lang)
    if m := _ROW.match(rest):
        table, row, key = m.group(1), int(m.group(2)) + 1, m.group(3)
        head = t(f"object_plan.row.{table}", lang, row=row)
        return f"{head}, {t(f'object_plan.col.{key}', lang).lower()}" if key else head
    part, _, key = rest.partition(".")
    head = t(f"object_plan.part.{part}", lang)
    if not key:
        return head
    sub = t(f"object_plan.{part}.{key}", lang) if part in ("avs", "seb", "cost", "verified") else key
    return f"{head}, {sub.lower()}"


def problem_text(path: str | None, message: str, lang: str = "sv", object_ids: Sequence[str] = (),
                 this_object: str | None = None) -> str:
    """One of the project file reader's problems as a person reads it: the place in words and the
    message in ``lang``. ``object_ids`` are the round's object ids in order (to name another object
    a problem is about); a problem outside the objects' plans keeps its English wording."""
    m = _OBJECT_PATH.match(path or "")
    if m is None or (".plan" not in (path or "") and m.group(2)):
        return f"{path}: {message}" if path else message
    index, rest = int(m.group(1)), m.group(2)
    other = object_ids[index] if index < len(object_ids) else None
    for pattern, key, whole in _MESSAGES:
        if found := pattern.search(message):
            params = {k: _shown(v, lang) if k in _AMOUNTS else v for k, v in found.groupdict().items()
                      if v is not None}
            if key == "not_in_list" and params.get("value") == "null":
                key = "missing_choice"
            text = i18n.t(f"object_plan.problem.{key}", lang, **params)
            break
    else:
        text = message
    place = field_label(rest.split(".")[0] if whole and not _ROW.match(rest) else rest, lang)
    if whole and (r := _ROW.match(rest)):
        place = field_label(f"{r.group(1)}[{r.group(2)}]", lang)
    if other is not None and other != this_object:
        place = i18n.t("object_plan.other_object", lang, id=other, place=place)
    return f"{place}: {text}"
