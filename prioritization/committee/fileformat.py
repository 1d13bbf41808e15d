"""The project file's ``committee`` section (issue 13; docs/project-file.md#committee): reading with
every problem named by its path, and writing in a fixed key order. Older files without the section
stay valid (an empty :class:`Committee`).

The rules that span records are checked here: ids and references exist, one allocation, wish and
stance per municipality and object/version, points within the budget and the cap, a reason for
every declined proposal, parked or let-through object and every departure of the decided list from
the model's, and a parked object is exactly an object with status ``parked``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from prioritization.committee import decision as decision_rules
from prioritization.committee.model import (
    DECLINED,
    LET_THROUGH,
    PARKED,
    PLAN_CHANNELS,
    PROPOSAL_STATUSES,
    SCREENING_OUTCOMES,
    STANCES,
    Allocation,
    Check,
    Committee,
    DecidedEntry,
    Decision,
    DecisionRef,
    Draft,
    InputWindow,
    LocalPoints,
    Municipality,
    Proposal,
    ScreeningResult,
    Stance,
    Wish,
)
from prioritization.records import Problems, RecordReader, describe

SECTION_KEYS = ("municipalities", "input_window", "local_points", "allocations", "proposals", "wishes",
                "checklist", "screening", "drafts", "stances", "decision")
SHA256 = re.compile(r"^[0-9a-f]{64}$")



class _Reader(RecordReader):
    """The committee section's reader: the shared record rules plus decision references and versions."""

    def decision_ref(self, v: Any, path: str) -> DecisionRef | None:
        if (rec := self.record(v, path, ("body", "date", "reference"))) is None:
            return None
        body = self.text(rec, "body", path, required=True)
        when = self.day(rec, "date", path)
        reference = self.text(rec, "reference", path, required=True)
        return DecisionRef(body, when, reference) if body and when and reference else None

    def version(self, rec: Mapping[str, Any], path: str) -> str | None:
        v = rec.get("version")
        if not isinstance(v, str) or not SHA256.match(v):
            self.add(f"{path}.version", f"expected a version's SHA-256 (64 hex digits), got {describe(v)}")
            return None
        return v


def parse(data: Any, objects: Mapping[str, str], milestone_ids: Sequence[str] | None = ()
          ) -> tuple[Committee, Problems]:
    """Validate a decoded ``committee`` section against the project's objects (``{id: status}``) and
    milestone ids (None: the milestones could not be read, so the window's milestone is not
    checked against them). Returns the committee (empty if there are problems) and every problem."""
    r = _Reader()
    if (d := r.record(data, "committee", SECTION_KEYS)) is None:
        return Committee(), r.problems
    municipalities = _municipalities(r, d)
    mids = [m.id for m in municipalities]
    window = _window(r, d, milestone_ids)
    points = _points(r, d)
    allocations = _allocations(r, d, mids, objects, points)
    proposals = _proposals(r, d, mids, objects)
    wishes = _wishes(r, d, mids, objects)
    checklist, screening = _screening(r, d, objects)
    drafts = _drafts(r, d)
    stances = _stances(r, d, mids, objects, [x.version for x in drafts])
    decision = _decision(r, d, objects)
    if r.problems:
        return Committee(), r.problems
    return Committee(tuple(municipalities), window, points, tuple(allocations), tuple(proposals), tuple(wishes),
                     tuple(checklist), tuple(screening), tuple(drafts), tuple(stances), decision), []


def parked_problems(committee: Committee, objects: Mapping[str, str]) -> Problems:
    """A parked object is exactly one with status ``parked``: each has a screening result saying so."""
    found: Problems = []
    parked = {s.object for s in committee.screening if s.outcome == PARKED}
    for oid, status in objects.items():
        if status == PARKED and oid not in parked:
            found.append((f"objects.{oid}.status", f'object "{oid}" is parked but has no screening result '
                                                   "saying why (committee.screening)"))
        if oid in parked and status != PARKED:
            found.append((f"objects.{oid}.status", f'object "{oid}" is parked by the screening but its status '
                                                   f'is "{status}"'))
    return found


def _municipalities(r: _Reader, d: Mapping[str, Any]) -> list[Municipality]:
    out: list[Municipality] = []
    seen: dict[Any, str] = {}
    for path, rec in r.records(d, "municipalities", ("id", "name")):
        mid, name = r.text(rec, "id", path, required=True), r.text(rec, "name", path, required=True)
        if mid and name and r.once(seen, mid, f"{path}.id", f'municipality "{mid}"'):
            out.append(Municipality(mid, name))
    return out


def _window(r: _Reader, d: Mapping[str, Any], milestone_ids: Sequence[str] | None) -> InputWindow:
    if "input_window" not in d:
        return InputWindow()
    path = "committee.input_window"
    if (rec := r.record(d["input_window"], path, ("milestone", "opened_at", "closed_at"))) is None:
        return InputWindow()
    milestone = None
    if rec.get("milestone") is not None:
        milestone = (r.text(rec, "milestone", path) if milestone_ids is None
                     else r.ref(rec, "milestone", path, milestone_ids, "milestone"))
    opened, closed = r.moment(rec, "opened_at", path), r.moment(rec, "closed_at", path)
    if closed is not None and opened is None:
        r.add(f"{path}.closed_at", "a window cannot close before it was opened (opened_at is missing)")
    elif closed is not None and opened is not None and closed < opened:
        r.add(f"{path}.closed_at", "is before opened_at")
    return InputWindow(milestone, opened, closed)


def _points(r: _Reader, d: Mapping[str, Any]) -> LocalPoints | None:
    if d.get("local_points") is None:
        return None
    path = "committee.local_points"
    if (rec := r.record(d["local_points"], path, ("budget", "cap", "share"))) is None:
        return None
    budget, cap = r.whole(rec, "budget", path, minimum=1), r.whole(rec, "cap", path, minimum=1)
    share = r.number(rec, "share", path, 0.0, 1.0)
    if "share" not in rec:
        r.add(f"{path}.share", "is missing")
    if budget is not None and cap is not None and cap > budget:
        r.add(f"{path}.cap", f"the cap per object ({cap}) is larger than the budget ({budget})")
    return LocalPoints(budget, cap, share) if budget and cap and share is not None else None


def _allocations(r: _Reader, d: Mapping[str, Any], mids: list[str], objects: Mapping[str, str],
                 points: LocalPoints | None) -> list[Allocation]:
    out: list[Allocation] = []
    seen: dict[Any, str] = {}
    spent: dict[str, int] = {}
    for path, rec in r.records(d, "allocations", ("municipality", "object", "points", "rationale")):
        if points is None and not out and not any(p.startswith("committee.local_points") for p, _ in r.problems):
            r.add(path, "points are given but the round has no local_points")
        m = r.ref(rec, "municipality", path, mids, "municipality")
        o = r.ref(rec, "object", path, objects, "object")
        n = r.whole(rec, "points", path, minimum=1)
        rationale = r.text(rec, "rationale", path)
        if points is not None and n is not None and n > points.cap:
            r.add(f"{path}.points", f"{n} points is over the cap of {points.cap} per object")
        if m and o and n is not None and r.once(seen, (m, o), path, f'the allocation of "{m}" to "{o}"'):
            spent[m] = spent.get(m, 0) + n
            out.append(Allocation(m, o, n, rationale))
    if points is not None:
        for m, total in spent.items():
            if total > points.budget:
                r.add("committee.allocations", f'"{m}" gives {total} points; the budget is {points.budget}')
    return out


def _proposals(r: _Reader, d: Mapping[str, Any], mids: list[str], objects: Mapping[str, str]) -> list[Proposal]:
    keys = ("id", "municipality", "name", "need", "location", "mode", "cost", "plan_channel", "links", "status",
            "reason", "object", "submitted_at")
    out: list[Proposal] = []
    seen: dict[Any, str] = {}
    for path, rec in r.records(d, "proposals", keys):
        pid = r.text(rec, "id", path, required=True)
        m = r.ref(rec, "municipality", path, mids, "municipality")
        name, need = r.text(rec, "name", path, required=True), r.text(rec, "need", path, required=True)
        location, mode = r.text(rec, "location", path), r.text(rec, "mode", path)
        cost = r.number(rec, "cost", path, 0.0, None)
        channel = r.choice(rec, "plan_channel", path, PLAN_CHANNELS, "unknown")
        links = rec.get("links", [])
        if not isinstance(links, list) or not all(isinstance(x, str) and re.match(r"^https?://\S+$", x)
                                                  for x in links):
            r.add(f"{path}.links", "expected a list of web addresses (http:// or https://)")
            links = []
        status = r.choice(rec, "status", path, PROPOSAL_STATUSES, "proposed")
        reason = r.text(rec, "reason", path)
        obj = r.ref(rec, "object", path, objects, "object") if rec.get("object") is not None else None
        if status == DECLINED and not (reason or "").strip():
            r.add(f"{path}.reason", "a declined proposal needs the reason the municipality is given")
        at = r.moment(rec, "submitted_at", path)
        if pid and m and name and need and channel and status and r.once(seen, pid, f"{path}.id", f'proposal "{pid}"'):
            out.append(Proposal(pid, m, name, need, location, mode, cost, channel, tuple(links), status, reason, obj,
                                at))
    return out


def _wishes(r: _Reader, d: Mapping[str, Any], mids: list[str], objects: Mapping[str, str]) -> list[Wish]:
    out: list[Wish] = []
    seen: dict[Any, str] = {}
    for path, rec in r.records(d, "wishes", ("municipality", "object", "text")):
        m = r.ref(rec, "municipality", path, mids, "municipality")
        o = r.ref(rec, "object", path, objects, "object")
        text = r.text(rec, "text", path, required=True)
        if m and o and text and r.once(seen, (m, o), path, f'the wish of "{m}" on "{o}"'):
            out.append(Wish(m, o, text))
    return out


def _screening(r: _Reader, d: Mapping[str, Any], objects: Mapping[str, str]
               ) -> tuple[list[Check], list[ScreeningResult]]:
    checks: list[Check] = []
    seen: dict[Any, str] = {}
    for path, rec in r.records(d, "checklist", ("id", "text", "text_en")):
        cid, text = r.text(rec, "id", path, required=True), r.text(rec, "text", path, required=True)
        if cid and text and r.once(seen, cid, f"{path}.id", f'check "{cid}"'):
            checks.append(Check(cid, text, r.text(rec, "text_en", path)))
    results: list[ScreeningResult] = []
    screened: dict[Any, str] = {}
    for path, rec in r.records(d, "screening", ("object", "outcome", "failed", "reason")):
        o = r.ref(rec, "object", path, objects, "object")
        outcome = r.choice(rec, "outcome", path, SCREENING_OUTCOMES)
        failed = rec.get("failed", [])
        if not isinstance(failed, list) or any(not isinstance(f, str) or f not in seen for f in failed):
            r.add(f"{path}.failed", f"expected a list of checklist ids ({', '.join(seen) or 'none'})")
            failed = []
        reason = r.text(rec, "reason", path)
        if outcome in (PARKED, LET_THROUGH) and not (reason or "").strip():
            r.add(f"{path}.reason", f"an object {'parked' if outcome == PARKED else 'let through'} needs a reason")
        if o and outcome and r.once(screened, o, path, f'the screening of "{o}"'):
            results.append(ScreeningResult(o, outcome, tuple(failed), reason))
    return checks, results


def _drafts(r: _Reader, d: Mapping[str, Any]) -> list[Draft]:
    out: list[Draft] = []
    seen: dict[Any, str] = {}
    for path, rec in r.records(d, "drafts", ("version", "version_name", "sent_at", "reply_by", "closed_at")):
        v, name = r.version(rec, path), r.text(rec, "version_name", path, required=True)
        sent, reply_by = r.moment(rec, "sent_at", path, required=True), r.day(rec, "reply_by", path)
        closed = r.moment(rec, "closed_at", path)
        if v and name and sent and reply_by and r.once(seen, v, f"{path}.version", "the draft of this version"):
            out.append(Draft(v, name, sent, reply_by, closed))
    return out


def _stances(r: _Reader, d: Mapping[str, Any], mids: list[str], objects: Mapping[str, str],
             drafts: list[str]) -> list[Stance]:
    keys = ("municipality", "version", "stance", "comment", "object_comments", "decision", "replied_at")
    out: list[Stance] = []
    seen: dict[Any, str] = {}
    for path, rec in r.records(d, "stances", keys):
        m = r.ref(rec, "municipality", path, mids, "municipality")
        v = r.version(rec, path)
        if v and v not in drafts:
            r.add(f"{path}.version", "no draft of this version was sent out")
        stance = r.choice(rec, "stance", path, STANCES)
        comment = r.text(rec, "comment", path)
        comments = rec.get("object_comments", {})
        if not isinstance(comments, dict) or any(k not in objects or not isinstance(t, str)
                                                 for k, t in comments.items()):
            r.add(f"{path}.object_comments", "expected {object id: comment} for objects of the round")
            comments = {}
        ref = r.decision_ref(rec["decision"], f"{path}.decision") if rec.get("decision") is not None else None
        at = r.moment(rec, "replied_at", path)
        if m and v and stance and r.once(seen, (m, v), path, f'the stance of "{m}" on this version'):
            out.append(Stance(m, v, stance, comment, dict(comments), ref, at))
    return out


def _decision(r: _Reader, d: Mapping[str, Any], objects: Mapping[str, str]) -> Decision | None:
    if d.get("decision") is None:
        return None
    path = "committee.decision"
    keys = ("version", "version_name", "body", "date", "reference", "order", "recorded_at")
    if (rec := r.record(d["decision"], path, keys)) is None:
        return None
    v, name = r.version(rec, path), r.text(rec, "version_name", path, required=True)
    ref = r.decision_ref({k: rec.get(k) for k in ("body", "date", "reference")}, path)
    at = r.moment(rec, "recorded_at", path)
    entries: list[DecidedEntry] = []
    seen: dict[Any, str] = {}
    raw = rec.get("order", [])
    if not isinstance(raw, list) or not raw:
        r.add(f"{path}.order", "expected the decided list (a non-empty list)")
        raw = []
    for i, item in enumerate(raw):
        p = f"{path}.order[{i}]"
        e = r.record(item, p, ("object", "model_rank", "rank", "model_tier", "tier", "reason"))
        if e is None:
            continue
        o = r.ref(e, "object", p, objects, "object")
        model_rank, rank = r.whole(e, "model_rank", p, minimum=1), r.whole(e, "rank", p, minimum=1)
        model_tier, tier, reason = r.text(e, "model_tier", p), r.text(e, "tier", p), r.text(e, "reason", p)
        if o and model_rank and rank and r.once(seen, o, p, f'object "{o}" in the decided list'):
            entries.append(DecidedEntry(o, model_rank, rank, model_tier, tier, reason))
    ranks = sorted(e.rank for e in entries)
    if any(rank not in (k + 1, ranks[k - 1] if k else 1) for k, rank in enumerate(ranks)):
        r.add(f"{path}.order", "the decided ranks skip or repeat places: expected 1, 2, 3, … (tied objects "
                               "share a rank and the next rank skips as many places)")
    for oid in decision_rules.missing_reasons(entries):
        r.add(f"{path}.order", f'object "{oid}" departs from the model\'s list (moved or another tier) '
                               "without a reason")
    if v and name and ref and entries:
        return Decision(v, name, ref, tuple(entries), at)
    return None


# --- writing --------------------------------------------------------------------------------------


def time_text(t: datetime | None) -> str | None:
    """A time as the file writes it: UTC with its offset. A naive time is taken as UTC (SQLite hands
    stored times back naive); the one rule for the section's times, in the file and in storage."""
    if t is None:
        return None
    return (t if t.tzinfo is not None else t.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


_time = time_text


def drop_none(d: Mapping[str, Any]) -> dict[str, Any]:
    """``d`` without its None values (optional keys are left out of the file)."""
    return {k: v for k, v in d.items() if v is not None}


_drop_none = drop_none


def allocation_data(a: Any) -> dict[str, Any]:
    """One allocation as the file writes it (an :class:`Allocation` or a stored row alike)."""
    return drop_none({"municipality": a.municipality, "object": a.object, "points": a.points,
                      "rationale": a.rationale})


def wish_data(w: Any) -> dict[str, Any]:
    """One wish as the file writes it (a :class:`Wish` or a stored row alike)."""
    return {"municipality": w.municipality, "object": w.object, "text": w.text}


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def _ref(ref: DecisionRef) -> dict[str, Any]:
    return {"body": ref.body, "date": ref.date.isoformat(), "reference": ref.reference}


WRITERS: dict[str, Callable[[Committee], Any]] = {
    "municipalities": lambda c: [{"id": m.id, "name": m.name} for m in c.municipalities],
    "input_window": lambda c: _drop_none({"milestone": c.window.milestone, "opened_at": _time(c.window.opened_at),
                                          "closed_at": _time(c.window.closed_at)}),
    "local_points": lambda c: None if c.points is None else {
        "budget": c.points.budget, "cap": c.points.cap, "share": _number(c.points.share)},
    "allocations": lambda c: [allocation_data(a) for a in c.allocations],
    "proposals": lambda c: [_drop_none({
        "id": p.id, "municipality": p.municipality, "name": p.name, "need": p.need, "location": p.location,
        "mode": p.mode, "cost": None if p.cost is None else _number(p.cost),
        "plan_channel": None if p.plan_channel == "unknown" else p.plan_channel,
        "links": list(p.links) or None, "status": p.status, "reason": p.reason, "object": p.object,
        "submitted_at": _time(p.submitted_at)}) for p in c.proposals],
    "wishes": lambda c: [wish_data(w) for w in c.wishes],
    "checklist": lambda c: [_drop_none({"id": k.id, "text": k.text, "text_en": k.text_en}) for k in c.checklist],
    "screening": lambda c: [_drop_none({"object": s.object, "outcome": s.outcome, "failed": list(s.failed) or None,
                                        "reason": s.reason}) for s in c.screening],
    "drafts": lambda c: [_drop_none({"version": x.version, "version_name": x.version_name,
                                     "sent_at": _time(x.sent_at), "reply_by": x.reply_by.isoformat(),
                                     "closed_at": _time(x.closed_at)}) for x in c.drafts],
    "stances": lambda c: [_drop_none({
        "municipality": s.municipality, "version": s.version, "stance": s.stance, "comment": s.comment,
        "object_comments": dict(s.object_comments) or None,
        "decision": None if s.decision is None else _ref(s.decision), "replied_at": _time(s.replied_at)})
        for s in c.stances],
    "decision": lambda c: None if c.decision is None else _drop_none({
        "version": c.decision.version, "version_name": c.decision.version_name, **_ref(c.decision.ref),
        "order": [_drop_none({"object": e.object, "model_rank": e.model_rank, "rank": e.rank,
                              "model_tier": e.model_tier, "tier": e.tier, "reason": e.reason})
                  for e in c.decision.order],
        "recorded_at": _time(c.decision.recorded_at)}),
}


def to_data(committee: Committee) -> dict[str, Any]:
    """The section as format-v1 JSON data, keys in :data:`SECTION_KEYS` order, empty parts left out."""
    out = {}
    for key in SECTION_KEYS:
        value = WRITERS[key](committee)
        if value:  # None, [] and {} are left out
            out[key] = value
    return out


def drop_objects(data: Mapping[str, Any] | None, kept: Iterable[str]) -> dict[str, Any] | None:
    """The section's data with the records of removed objects gone (their points, wishes, screening
    results and per-object comments go with them, as their scores and follow-up do). An accepted
    proposal stays accepted but no longer names the removed object it became. The decided list
    keeps naming its objects: removing one is refused by the reader, since a recorded decision is
    history."""
    if not isinstance(data, Mapping):
        return None if data is None else dict(data)
    keep = set(kept)
    out = dict(data)
    for key in ("allocations", "wishes", "screening"):
        if isinstance(out.get(key), list):
            out[key] = [x for x in out[key] if not isinstance(x, Mapping) or x.get("object") in keep]
    if isinstance(out.get("proposals"), list):
        out["proposals"] = [{k: v for k, v in p.items() if k != "object"}
                            if isinstance(p, Mapping) and p.get("object") is not None and p["object"] not in keep
                            else p for p in out["proposals"]]
    if isinstance(out.get("stances"), list):
        out["stances"] = [
            {**s, "object_comments": {k: v for k, v in s["object_comments"].items() if k in keep}}
            if isinstance(s, Mapping) and isinstance(s.get("object_comments"), Mapping) else s
            for s in out["stances"]]
    return out
