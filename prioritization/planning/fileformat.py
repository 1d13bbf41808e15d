"""An object's ``plan`` key in the project file (issue 14; docs/project-file.md#plan): reading with
every problem named by its path, writing in a fixed key order, the rules that span objects
(dependencies on missing objects, cycles) and the upgrade of files written before issue 14.

An older file's free-text ``planning_status`` is moved into ``plan.stage_note`` word for word
(:func:`upgrade_object`): the controlled ``plan.stage`` is left for a person to set, since a guess
from free text would put words in the file that nobody wrote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from prioritization.i18n import TIME_ZONE
from prioritization.planning import vocab
from prioritization.planning.model import (
    Avs,
    CostRange,
    Financing,
    Link,
    PlanData,
    PlanRef,
    Review,
    Seb,
    Verified,
)
from prioritization.records import Problems, RecordReader, describe

PLAN_KEYS = ("refs", "stage", "stage_note", "avs", "seb", "evidence", "cost", "financing", "requires",
             "excludes", "package", "links", "verified", "reviews")
REF_KEYS = ("plan", "period", "objekt_id", "phase", "cost_msek", "cost_incl_external", "source")
AVS_KEYS = ("status", "report_no", "year", "steps", "recommendation", "url")
SEB_KEYS = ("nnk", "nnv", "asek_version", "price_level", "date", "summary", "url")
COST_KEYS = ("low", "high", "price_level", "method", "source")
FINANCING_KEYS = ("party", "amount_msek", "status", "reference")
LINK_KEYS = ("kind", "url", "title")
VERIFIED_KEYS = ("date", "by")
REVIEW_KEYS = ("baseline", "changes", "decision", "reason", "date", "by")
LEGACY_STAGE_KEY = "planning_status"  # free text before issue 14

PERIOD = re.compile(r"^(\d{4})[–-](\d{4})$")
PRICE_LEVEL = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")


def stockholm_today() -> date:
    from datetime import datetime

    return datetime.now(TIME_ZONE).date()


class _PlanReader(RecordReader):
    def __init__(self, today: date) -> None:
        super().__init__()
        self.today = today

    def optional(self, rec: Mapping[str, Any], key: str, path: str, options: tuple) -> str | None:
        return None if rec.get(key) is None else self.choice(rec, key, path, options)

    def period(self, rec: Mapping[str, Any], key: str, path: str) -> str | None:
        v = self.text(rec, key, path, required=True)
        if v is None:
            return None
        m = PERIOD.match(v.strip())
        if m is None or int(m.group(1)) > int(m.group(2)):
            self.add(f"{path}.{key}", f"{describe(v)} is not a plan period (expected e.g. 2026–2037)")
            return None
        return v.strip()

    def price_level(self, rec: Mapping[str, Any], key: str, path: str) -> str | None:
        """A price level "2017" or "2017-06", not after today (a price level is a past year's prices)."""
        v = self.text(rec, key, path)
        if v is None:
            return None
        m = PRICE_LEVEL.match(v.strip())
        month = int(m.group(2)) if m and m.group(2) else 1
        if m is None or not 1 <= month <= 12:
            self.add(f"{path}.{key}", f"{describe(v)} is not a price level (expected a year, 2017, or a month, "
                                      "2017-06)")
            return None
        if (int(m.group(1)), month) > (self.today.year, self.today.month):
            self.add(f"{path}.{key}", f"the price level {v.strip()} is in the future (today is "
                                      f"{self.today.isoformat()})")
            return None
        return v.strip()

    def flag(self, rec: Mapping[str, Any], key: str, path: str) -> bool | None:
        v = rec.get(key)
        if v is None or isinstance(v, bool):
            return v
        self.add(f"{path}.{key}", f"expected true or false, got {describe(v)}")
        return None

    def ids(self, rec: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        v = rec.get(key, [])
        if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
            self.add(f"{path}.{key}", f"expected a list of object ids, got {describe(v)}")
            return ()
        if len(set(v)) != len(v):
            self.add(f"{path}.{key}", "names an object twice")
            return ()
        return tuple(v)


def parse(raw: Any, path: str, today: date | None = None) -> tuple[PlanData | None, Problems]:
    """Read one object's ``plan`` value. Returns the data (None with problems) and every problem as
    ``(path, message)``. References to other objects are checked by :func:`dependency_problems`."""
    r = _PlanReader(today or stockholm_today())
    rec = r.record(raw, path, PLAN_KEYS)
    if rec is None:
        return None, r.problems
    refs = _refs(r, rec, path)
    stage = r.optional(rec, "stage", path, vocab.ALL_STAGES)
    evidence = r.optional(rec, "evidence", path, vocab.EVIDENCE_LEVELS)
    financing = tuple(_financing(r, p, f) for p, f in r.records(rec, "financing", FINANCING_KEYS, path))
    links = []
    for p, f in r.records(rec, "links", LINK_KEYS, path):
        kind, url = r.choice(f, "kind", p, vocab.LINK_KINDS, "other"), r.url(f, "url", p, required=True)
        title = r.text(f, "title", p)
        if kind and url:
            links.append(Link(kind, url, title))
    verified = None
    if (v := rec.get("verified")) is not None and (vr := r.record(v, f"{path}.verified", VERIFIED_KEYS)):
        when, by = r.day(vr, "date", f"{path}.verified"), r.text(vr, "by", f"{path}.verified", required=True)
        if when is not None and when > r.today:  # facts cannot have been checked on a day still to come
            r.add(f"{path}.verified.date", f"{when.isoformat()} is in the future")
        verified = Verified(when, by) if when and by else None
    requires, excludes = r.ids(rec, "requires", path), r.ids(rec, "excludes", path)
    if both := sorted(set(requires) & set(excludes)):
        r.add(f"{path}.excludes", f"{', '.join(both)} is both required and excluded")
    data = PlanData(
        refs=refs, stage=stage, stage_note=r.text(rec, "stage_note", path), avs=_avs(r, rec, path),
        seb=_seb(r, rec, path), evidence=evidence, cost=_cost(r, rec, path), financing=financing,
        requires=requires, excludes=excludes, package=r.text(rec, "package", path), links=tuple(links),
        verified=verified, reviews=_reviews(r, rec, path))
    return (None, r.problems) if r.problems else (data, [])


def _refs(r: _PlanReader, rec: Mapping[str, Any], path: str) -> tuple[PlanRef, ...]:
    out: list[PlanRef] = []
    seen: dict[Any, str] = {}
    for p, f in r.records(rec, "refs", REF_KEYS, path):
        plan, period = r.choice(f, "plan", p, vocab.PLANS), r.period(f, "period", p)
        phase = r.optional(f, "phase", p, vocab.PHASES)
        cost = r.number(f, "cost_msek", p, 0.0, None)
        objekt_id = r.text(f, "objekt_id", p)
        if objekt_id is not None and not objekt_id.strip():
            r.add(f"{p}.objekt_id", "is empty (leave it out when the plan gives no id)")
        if plan is not None and period is not None and r.once(seen, (plan, period), p,
                                                                f"the reference to {plan} {period}"):
            out.append(PlanRef(plan, period, objekt_id, phase, cost, r.flag(f, "cost_incl_external", p),
                               r.text(f, "source", p)))
    return tuple(out)


def _avs(r: _PlanReader, rec: Mapping[str, Any], path: str) -> Avs | None:
    if rec.get("avs") is None or (a := r.record(rec["avs"], f"{path}.avs", AVS_KEYS)) is None:
        return None
    p = f"{path}.avs"
    status = r.choice(a, "status", p, vocab.AVS_STATUSES)
    year = r.whole(a, "year", p, minimum=1950, required=False)
    if year is not None and year > r.today.year:
        r.add(f"{p}.year", f"{year} is in the future")
    steps = a.get("steps", [])
    if not isinstance(steps, list) or any(isinstance(s, bool) or s not in vocab.FYRSTEG_STEPS for s in steps):
        r.add(f"{p}.steps", f"expected a list of fyrsteg steps 1–4, got {describe(steps)}")
        steps = []
    out = Avs(status or "none", r.text(a, "report_no", p), year, tuple(sorted(set(steps))),
              r.text(a, "recommendation", p), r.url(a, "url", p))
    return out if status else None


def _seb(r: _PlanReader, rec: Mapping[str, Any], path: str) -> Seb | None:
    if rec.get("seb") is None or (s := r.record(rec["seb"], f"{path}.seb", SEB_KEYS)) is None:
        return None
    p = f"{path}.seb"
    nnk = r.number(s, "nnk", p, -1e9, None)
    nnv = r.number(s, "nnv", p, -1e12, None)
    when = r.day(s, "date", p, required=False)
    if when is not None and when > r.today:
        r.add(f"{p}.date", f"{when.isoformat()} is in the future")
    return Seb(nnk, nnv, r.text(s, "asek_version", p), r.price_level(s, "price_level", p), when,
               r.text(s, "summary", p), r.url(s, "url", p))


def _cost(r: _PlanReader, rec: Mapping[str, Any], path: str) -> CostRange | None:
    if rec.get("cost") is None or (c := r.record(rec["cost"], f"{path}.cost", COST_KEYS)) is None:
        return None
    p = f"{path}.cost"
    low, high = r.number(c, "low", p, 0.0, None), r.number(c, "high", p, 0.0, None)
    if low is not None and high is not None and low > high:
        r.add(f"{p}.low", f"the low estimate {low:g} MSEK is above the high estimate {high:g} MSEK")
    return CostRange(low, high, r.price_level(c, "price_level", p), r.optional(c, "method", p, vocab.COST_METHODS),
                     r.text(c, "source", p))


def _financing(r: _PlanReader, p: str, f: Mapping[str, Any]) -> Financing:
    party = r.text(f, "party", p, required=True)
    if party is not None and party not in vocab.PARTIES and not (vocab.party_municipality(party) or "").strip():
        r.add(f"{p}.party", f"expected one of {', '.join(vocab.PARTIES)} or municipality:<name>, got "
                            f"{describe(party)}")
    status = r.choice(f, "status", p, vocab.FINANCING_STATUSES)
    return Financing(party or "", status or "", r.number(f, "amount_msek", p, 0.0, None), r.text(f, "reference", p))


def _reviews(r: _PlanReader, rec: Mapping[str, Any], path: str) -> tuple[Review, ...]:
    out = []
    for p, f in r.records(rec, "reviews", REVIEW_KEYS, path):
        baseline = f.get("baseline")
        if not isinstance(baseline, str) or not SHA256.match(baseline):
            r.add(f"{p}.baseline", f"expected a version's SHA-256 (64 hex digits), got {describe(baseline)}")
        changes = f.get("changes")
        if not isinstance(changes, list) or not changes or not all(isinstance(x, str) and x for x in changes):
            r.add(f"{p}.changes", f"expected the list of changes the review closed, got {describe(changes)}")
            changes = []
        decision = r.choice(f, "decision", p, vocab.REVIEW_DECISIONS)
        reason, by = r.text(f, "reason", p, required=True), r.text(f, "by", p, required=True)
        when = r.day(f, "date", p)
        if decision and reason and by and when and isinstance(baseline, str):
            out.append(Review(baseline, tuple(changes), decision, reason, when, by))
    return tuple(out)


def dependency_problems(plans: Mapping[str, PlanData], paths: Mapping[str, str]) -> Problems:
    """The rules that span objects: a required, excluded or self-named object must exist and not be
    the object itself, and "requires" must not go round in a circle. ``paths`` maps an object id to
    its path in the file (``objects[3]``)."""
    problems: Problems = []
    for oid, plan in plans.items():
        for key in ("requires", "excludes"):
            for other in getattr(plan, key):
                if other == oid:
                    problems.append((f"{paths[oid]}.plan.{key}", f'an object cannot name itself ("{oid}")'))
                elif other not in plans:
                    problems.append((f"{paths[oid]}.plan.{key}", f'unknown object "{other}"'))
    if problems:
        return problems
    cycle = find_cycle({oid: plan.requires for oid, plan in plans.items()})
    if cycle:
        problems.append((f"{paths[cycle[0]]}.plan.requires",
                         f"the objects require each other in a circle: {' → '.join([*cycle, cycle[0]])}"))
    return problems


def find_cycle(edges: Mapping[str, tuple[str, ...]]) -> list[str] | None:
    """One cycle of the directed graph ``edges`` (in graph order), or None."""
    state: dict[str, int] = {}  # 1 on the path, 2 done
    for start in edges:
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = [start]
        state[start] = 1
        while stack:
            node, i = stack[-1]
            targets = edges.get(node, ())
            if i < len(targets):
                stack[-1] = (node, i + 1)
                nxt = targets[i]
                if state.get(nxt) == 1:
                    return path[path.index(nxt):]
                if not state.get(nxt):
                    state[nxt] = 1
                    stack.append((nxt, 0))
                    path.append(nxt)
            else:
                state[node] = 2
                stack.pop()
                path.pop()
    return None


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def _drop_none(d: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != [] and v != ()}


def to_data(plan: PlanData) -> dict[str, Any]:
    """The ``plan`` value in a fixed key order (inverse of :func:`parse`); empty parts left out."""
    def num(x: float | None) -> int | float | None:
        return None if x is None else _number(x)

    d: dict[str, Any] = {
        "refs": [_drop_none({"plan": x.plan, "period": x.period, "objekt_id": x.objekt_id, "phase": x.phase,
                             "cost_msek": num(x.cost_msek), "cost_incl_external": x.cost_incl_external,
                             "source": x.source}) for x in plan.refs],
        "stage": plan.stage, "stage_note": plan.stage_note,
        "avs": None if plan.avs is None else _drop_none({
            "status": plan.avs.status, "report_no": plan.avs.report_no, "year": plan.avs.year,
            "steps": list(plan.avs.steps), "recommendation": plan.avs.recommendation, "url": plan.avs.url}),
        "seb": None if plan.seb is None else _drop_none({
            "nnk": num(plan.seb.nnk), "nnv": num(plan.seb.nnv), "asek_version": plan.seb.asek_version,
            "price_level": plan.seb.price_level, "date": plan.seb.date and plan.seb.date.isoformat(),
            "summary": plan.seb.summary, "url": plan.seb.url}),
        "evidence": plan.evidence,
        "cost": None if plan.cost is None else _drop_none({
            "low": num(plan.cost.low), "high": num(plan.cost.high), "price_level": plan.cost.price_level,
            "method": plan.cost.method, "source": plan.cost.source}),
        "financing": [_drop_none({"party": f.party, "amount_msek": num(f.amount_msek), "status": f.status,
                                  "reference": f.reference}) for f in plan.financing],
        "requires": list(plan.requires), "excludes": list(plan.excludes), "package": plan.package,
        "links": [_drop_none({"kind": x.kind, "url": x.url, "title": x.title}) for x in plan.links],
        "verified": None if plan.verified is None else {"date": plan.verified.date.isoformat(),
                                                        "by": plan.verified.by},
        "reviews": [{"baseline": x.baseline, "changes": list(x.changes), "decision": x.decision,
                     "reason": x.reason, "date": x.date.isoformat(), "by": x.by} for x in plan.reviews],
    }
    return _drop_none(d)


def upgrade_object(data: Mapping[str, Any]) -> dict[str, Any]:
    """A format-v1 object written before issue 14, upgraded: its free-text ``planning_status`` is
    moved, word for word, into ``plan.stage_note`` (after a note already there). Anything else and
    an object already upgraded come back unchanged (a new dict)."""
    out = dict(data)
    legacy = out.get(LEGACY_STAGE_KEY)
    if not isinstance(legacy, str):
        return out
    plan = out.get("plan")
    if plan is not None and not isinstance(plan, dict):
        return out  # the reader names the problem with "plan"; nothing is moved
    del out[LEGACY_STAGE_KEY]
    plan = dict(plan or {})
    if legacy.strip():
        note = plan.get("stage_note")
        plan["stage_note"] = legacy if not isinstance(note, str) or not note else f"{note}\n{legacy}"
    if plan:
        out["plan"] = plan
    return out
