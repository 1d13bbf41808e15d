"""The example round the app starts with (``make run``): the example project file imported, and,
when an anchoring file lies beside it, the committee's anchoring and decision recorded through the
same storage functions the pages use, at the (illustrative) times the file gives (issue 13); after
it, the next round, set up but not yet scored, where Spårväg syd is split into its two stages
(issue 14, research/plan-round-2026.md §2.3). All of it is Exempeldata."""

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
from prioritization.timeline import milestones as milestone_format
from prioritization.timeline.template import decision_winter, round_template

if TYPE_CHECKING:
    from prioritization.storage.database import Database

SYSTEM = Actor(FACILITATOR, "system")


def anchoring_file(project_path: Path) -> Path:
    """``data/sodertorn-exempel.json`` -> ``data/sodertorn-exempel-forankring.json``."""
    return project_path.with_name(f"{project_path.stem}-forankring.json")


def seed(db: Database, project_path: Path, *, anchoring: bool = True) -> int:
    """Import the example project as a new round and, with ``anchoring`` and an anchoring file
    beside it, record its anchoring and decision and set up the next round
    (:func:`seed_next_round`). Returns the id of the example round, the first one (the one the app
    opens)."""
    round_id = rounds.import_project(db, SYSTEM, projectfile.load(project_path))
    extra = anchoring_file(project_path)
    if anchoring and extra.exists():
        record_anchoring(db, round_id, json.loads(extra.read_text(encoding="utf-8")))
        seed_next_round(db, round_id)
    return round_id


# The example round decided the list of winter 2023/24 for the plan round starting 2026; the next
# plan round starts 2030 (the template's four-year cycle), its list decided in winter 2027/28 -- the
# round the Omgångar page offers to make during 2026 (timeline.template.default_plan_year).
NEXT_PLAN_YEAR = 2030
NEXT_ROUND_NAME = f"Södertörns prioriteringslista för transportinfrastruktur {decision_winter(NEXT_PLAN_YEAR)} (Exempeldata)"
N14 = "regeringens pressmeddelande december 2025, N14"
STAGE_1 = {
    "name": "Spårväg syd etapp 1 (Flemingsberg–Skärholmen)",
    "name_en": "Tramway South stage 1 (Flemingsberg–Skärholmen)",
    "status": "committed",
    "description": "Etapp 1 av Spårväg syd, Flemingsberg–Skärholmen via Masmo och Kungens kurva. Parterna i "
                   f"Sverigeförhandlingens Stockholmsdel kom i december 2025 överens om nya villkor: etapp 1 byggs "
                   f"enligt tilläggsavtalen, som de undertecknande parternas beslutande församlingar har godkänt "
                   f"({N14}). Därför är etappen avtalad (beslutad) i den här omgången och rangordnas inte. "
                   "Omgången 2023/24 bedömde hela linjen Flemingsberg–Älvsjö som ett objekt.",
    "cost": None,
    "cost_basis": "Kostnaden för etapp 1 enligt 2025 års villkor är inte känd (ingen källa). Hela linjen "
                  "Flemingsberg–Älvsjö: budget 4 200 MSEK enligt avtalet 2017.",
    "funding_status": f"Avtalad i tilläggsavtalen december 2025 ({N14})",
}
STAGE_1_NOTE = ("Dec 2025: Parterna är överens om nya villkor för Spårväg syd i Sverigeförhandlingens Stockholmsdel: "
                "etapp 1 byggs mellan Flemingsberg och Skärholmen; tilläggsavtalen har godkänts av de undertecknande "
                "parternas beslutande församlingar (regeringens pressmeddelande, N14). Etapp 2 är objektet SOD-16.")
STAGE_2 = {
    "id": "SOD-16",
    "name": "Spårväg syd etapp 2 (Skärholmen–Älvsjö)",
    "name_en": "Tramway South stage 2 (Skärholmen–Älvsjö)",
    "status": "candidate",
    "mode": "tram",
    "fyrsteg_step": 4,
    "description": "Etapp 2 av Spårväg syd, Skärholmen–Fruängen–Älvsjö: resten av linjen som avtalet 2017 omfattade. "
                   "Ingår inte i tilläggsavtalen från december 2025 (N14); att den inte är avtalad är ett antagande "
                   "(Exempeldata: inget avtal funnet). Förutsätter etapp 1 (SOD-02).",
    "cost": None,
    "cost_basis": "Okänd: ingen källa ger kostnaden för etapp 2.",
    "funding_status": "Ej avtalad (antagande, Exempeldata)",
    "lat": 59.285,
    "lon": 17.98,
    "coord_precision": "approx",
    "data_quality": "I",
    "sources": ["N14"],
    "new_in_round": True,
    "plan": {"stage_note": "Ej avtalad (antagande, Exempeldata)", "requires": ["SOD-02"], "package": "Spårväg syd"},
}
NEXT_ROUND_NOTE = (f"Nästa omgång efter 2023/24, för planomgången {NEXT_PLAN_YEAR}–{NEXT_PLAN_YEAR + 11}: "
                   "uppsatt men ännu inte poängsatt (inga poäng kopierade). Spårväg syd är delad i etapp 1 "
                   "(SOD-02, avtalad december 2025, N14) och etapp 2 (SOD-16, kandidat som förutsätter etapp 1; "
                   "ej avtalad är ett antagande). Milstolparna är mallens för planomgången. ")


def seed_next_round(db: Database, example_round: int) -> int:
    """The round after the example round, made as the Omgångar page makes one
    (``rounds.copy_round``: the set-up without scores, the plan-round template's milestones) and
    changed through ``rounds.replace_setup`` as the set-up page changes objects: Spårväg syd split
    into stage 1 (SOD-02, committed by the 2025 additional agreements, N14) and stage 2 (SOD-16, a
    candidate requiring stage 1; "not agreed" is an assumption). The example round is untouched.
    Returns the new round's id."""
    rid = rounds.copy_round(db, SYSTEM, example_round, NEXT_ROUND_NAME,
                            milestones=milestone_format.to_data(round_template(NEXT_PLAN_YEAR)))
    doc = rounds.setup_document(db, SYSTEM, rid)
    objects = doc["objects"]
    tram = next(o for o in objects if o["id"] == "SOD-02")
    where = {k: tram[k] for k in ("municipalities", "indirect_municipalities", "other_municipalities") if k in tram}
    for key in ("cost_illustrative", "cost_class"):  # the class was the whole line's; stage 1's cost is unknown
        tram.pop(key, None)
    tram.update(STAGE_1)
    tram["sources"] = list(dict.fromkeys([*tram.get("sources", []), "N14"]))
    tram["plan"] = {**{k: v for k, v in tram.get("plan", {}).items() if k != "stage_note"}, "stage_note": STAGE_1_NOTE}
    objects.append({**where, **STAGE_2})
    version = rounds.round_info(db, SYSTEM, rid)["row_version"]
    rounds.replace_setup(db, SYSTEM, rid, {"objects": objects,
                                           "description": NEXT_ROUND_NOTE + (doc.get("description") or "")},
                         version)
    return rid


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
