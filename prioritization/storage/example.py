"""The example round the app starts with (``make run``): the example project file imported, and,
when an anchoring file lies beside it, the committee's anchoring and decision recorded through the
same storage functions the pages use, at the (illustrative) times the file gives (issue 13). All of
it is Exempeldata."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prioritization import projectfile
from prioritization.committee.model import DecisionRef
from prioritization.committee.ranking import model_list
from prioritization.storage import committee, rounds, versions
from prioritization.storage.access import FACILITATOR, Actor

if TYPE_CHECKING:
    from prioritization.storage.database import Database

SYSTEM = Actor(FACILITATOR, "system")


def anchoring_file(project_path: Path) -> Path:
    """``data/sodertorn-exempel.json`` -> ``data/sodertorn-exempel-forankring.json``."""
    return project_path.with_name(f"{project_path.stem}-forankring.json")


def seed(db: Database, project_path: Path, *, anchoring: bool = True) -> int:
    """Import the example project as a new round and, with ``anchoring`` and an anchoring file
    beside it, record its anchoring and decision. Returns the round's id."""
    round_id = rounds.import_project(db, SYSTEM, projectfile.load(project_path))
    extra = anchoring_file(project_path)
    if anchoring and extra.exists():
        record_anchoring(db, round_id, json.loads(extra.read_text(encoding="utf-8")))
    return round_id


def _ref(d: dict[str, Any]) -> DecisionRef:
    return DecisionRef(d["body"], date.fromisoformat(d["date"]), d["reference"])


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def record_anchoring(db: Database, round_id: int, data: dict[str, Any]) -> None:
    """Lock the round (the workshop has scored; the draft is sent from the locked list), freeze the
    draft version, send it out, record each municipality's reply, close the draft and record the
    decision: the model's list with the file's moves (each with its reason), the tiers as the model
    has them."""
    for status in ("scoring", "revealed", "locked"):
        rounds.set_status(db, SYSTEM, round_id, status)
    v = versions.freeze(db, SYSTEM, round_id, data["version"]["name"], now=_at(data["version"]["frozen_at"]))
    d = data["draft"]
    committee.send_draft(db, SYSTEM, round_id, v.id, date.fromisoformat(d["reply_by"]), now=_at(d["sent_at"]))
    for x in data["stances"]:
        committee.record_stance(db, SYSTEM, round_id, x["municipality"], v.sha256, x["stance"], x.get("comment"),
                                x.get("object_comments"), _ref(x["decision"]) if x.get("decision") else None,
                                now=_at(x["replied_at"]))
    committee.close_draft(db, SYSTEM, round_id, v.sha256, now=_at(d["closed_at"]))
    decision = data["decision"]
    model = model_list(versions.load(db, SYSTEM, v.id))
    order = [oid for oid, _, _ in model]
    reasons = {}
    for move in decision.get("moves", []):
        order.remove(move["object"])
        order.insert(move["to"] - 1, move["object"])
        reasons[move["object"]] = move["reason"]
    tiers = {oid: tier for oid, _, tier in model}
    committee.record_decision(db, SYSTEM, round_id, v.id, _ref(decision),
                              [(oid, k + 1, tiers[oid], reasons.get(oid)) for k, oid in enumerate(order)],
                              now=_at(decision["recorded_at"]))
