"""Rounds (prioriteringsomgångar): import/export of the project file, status, set-up edits.

The database holds the format-v1 objects of criteria, objects and weight profiles as JSON, so export
-> import -> export is lossless. Every change is validated as a whole project before it is written,
inside one transaction: nothing is half-written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from prioritization import projectfile
from prioritization import tiers as tier_rules
from prioritization.model import Project
from prioritization.storage import audit
from prioritization.storage.access import (
    FACILITATOR,
    PARTICIPANT,
    AccessDenied,
    Actor,
    may_see_named_ratings,
    require_facilitator,
    require_round,
)
from prioritization.storage.errors import StaleWrite, StorageInputError
from prioritization.storage.schema import (
    AgreedScore,
    AuditEntry,
    Criterion,
    FollowUp,
    Milestone,
    Object,
    Participant,
    Round,
    Score,
    WeightProfile,
)
from prioritization.storage.sessions import require_live

if TYPE_CHECKING:
    from prioritization.storage.database import Database

# status -> statuses reachable from it [Delphi flow: score hidden, reveal, second round, lock]
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "setup": ("scoring",),
    "scoring": ("setup", "revealed"),
    "revealed": ("scoring", "second_round", "locked"),
    "second_round": ("revealed", "locked"),
    "locked": ("revealed",),
}


@dataclass(frozen=True)
class RoundSummary:
    id: int
    name: str
    status: str
    data_label: str | None
    n_criteria: int
    n_objects: int
    n_participants: int
    row_version: int


def get_round(s: Session, round_id: int, *, for_update: bool = False) -> Round:
    """The round row; ``for_update`` locks it until the transaction ends (PostgreSQL: SELECT ... FOR
    UPDATE; SQLite serialises writers anyway), so writes that depend on its state exclude each other."""
    r = s.get(Round, round_id, with_for_update=for_update or None)
    if r is None:
        raise StorageInputError("no_such_round", f"there is no round {round_id}", round_id=round_id)
    return r


def list_rounds(db: Database, actor: Actor) -> list[RoundSummary]:
    with db.reader() as s:
        q = select(Round).order_by(Round.id)
        if actor.round_id is not None:
            q = q.where(Round.id == actor.round_id)
        out = []
        for r in s.scalars(q):
            counts = [s.scalar(select(func.count()).select_from(t).where(t.round_id == r.id))
                      for t in (Criterion, Object, Participant)]
            out.append(RoundSummary(r.id, r.name, r.status, r.data_label, *counts, r.row_version))
        return out


def _write_setup(s: Session, r: Round, doc: dict[str, Any]) -> None:
    """Replace criteria/objects/participants/profiles/milestones from a validated document.

    Rows whose key survives keep their database id, so scores on them are kept; rows whose key
    disappears are deleted with their scores (foreign keys cascade).
    """
    for table, key_of, items, make in (
        (Criterion, "id", doc["criteria"], lambda d: {"data": d}),
        (Object, "id", doc["objects"], lambda d: {"data": d}),
        (WeightProfile, "id", doc.get("weight_profiles", []), lambda d: {"data": d}),
        (FollowUp, "object", doc.get("follow_up", []), lambda d: {"data": d}),
        (Participant, "id", doc.get("participants", []),
         lambda d: {"name": d["name"], "organisation": d.get("organisation"),
                    **({"weights": d["weights"]} if "weights" in d else {})}),
    ):
        existing = {row.key: row for row in s.scalars(select(table).where(table.round_id == r.id))}
        keep = set()
        for pos, item in enumerate(items):
            key = item[key_of]
            keep.add(key)
            row = existing.get(key)
            values = make(item)
            if row is None:
                s.add(table(round_id=r.id, key=key, position=pos, **values))
            else:
                row.position = pos
                for k, v in values.items():
                    setattr(row, k, v)
        for key, row in existing.items():
            if key not in keep:
                s.delete(row)
    s.execute(delete(Milestone).where(Milestone.round_id == r.id))
    for pos, m in enumerate(doc.get("milestones", [])):
        s.add(Milestone(round_id=r.id, position=pos, data=m))
    r.name = doc["name"]
    r.description = doc.get("description")
    r.data_label = doc.get("data_label")
    r.aggregation = doc.get("aggregation", "mean")
    r.weights = doc["weights"]
    r.tiers = doc.get("tiers")


def import_project(db: Database, actor: Actor, project: Project) -> int:
    """Create a new round from a project (scores become first-round scores). Returns its id."""
    require_facilitator(actor)
    doc = projectfile.to_dict(project)
    projectfile.parse(doc, require_complete=False)  # the rules for text coming in (text_rules), whoever built it
    with db.session() as s:
        r = Round(name=project.name, weights=doc["weights"], status="setup")
        s.add(r)
        s.flush()
        _write_setup(s, r, doc)
        s.flush()
        _write_scores(s, r, doc["scores"])
        audit.record(s, actor, r.id, "round.import", project.name,
                     new={"objects": len(project.objects), "criteria": len(project.criteria),
                          "scores": len(project.scores)})
        return r.id


def _keymaps(s: Session, round_id: int) -> tuple[dict, dict, dict]:
    def keymap(table):
        return {row.key: row.id for row in s.scalars(select(table).where(table.round_id == round_id))}

    return keymap(Object), keymap(Criterion), keymap(Participant)


def _write_scores(s: Session, r: Round, scores: list[dict]) -> None:
    objs, crits, parts = _keymaps(s, r.id)
    for sc in scores:
        o, c = objs[sc["object"]], crits[sc["criterion"]]
        if sc["participant"] is None:
            s.add(AgreedScore(round_id=r.id, object_id=o, criterion_id=c, value=sc["value"], comment=sc.get("comment")))
        else:
            s.add(Score(round_id=r.id, participant_id=parts[sc["participant"]], object_id=o, criterion_id=c, phase=1,
                        value=sc["value"], comment=sc.get("comment")))


def _fits(weights: dict[str, Any] | None, criteria: list[str]) -> bool:
    """Whether a participant's own weights still name exactly the round's criteria.

    Weights given before the criteria changed stay stored (the participant is asked to update them)
    but are left out of the project file, which must stay valid."""
    if not weights:
        return False
    table = weights.get("points") or weights.get("ranks")
    if table is not None:
        return set(table) == set(criteria)
    matrix = weights.get("matrix")
    return isinstance(matrix, list) and len(matrix) == len(criteria)


def _document(s: Session, r: Round, *, with_scores: bool = True) -> dict[str, Any]:
    """The round as a format-v1 document; participants' scores are their latest phase."""

    def rows(table):
        return list(s.scalars(select(table).where(table.round_id == r.id).order_by(table.position)))

    crits, objs, parts = rows(Criterion), rows(Object), rows(Participant)
    profiles, milestones, follow_ups = rows(WeightProfile), rows(Milestone), rows(FollowUp)
    okey = {o.id: o.key for o in objs}
    ckey = {c.id: c.key for c in crits}
    pkey = {p.id: p.key for p in parts}
    opos = {o.id: o.position for o in objs}
    cpos = {c.id: c.position for c in crits}
    ppos = {p.id: p.position for p in parts}
    latest: dict[tuple, tuple] = {}
    # plain column rows, not ORM objects: a round can hold tens of thousands of scores
    q = (select(Score.participant_id, Score.object_id, Score.criterion_id, Score.value, Score.comment)
         .where(Score.round_id == r.id).order_by(Score.phase))
    for p, o, c, value, comment in (s.execute(q) if with_scores else ()):
        latest[(p, o, c)] = (value, comment)
    scores = [
        {"object": okey[o], "criterion": ckey[c], "participant": pkey[p], "value": value,
         **({"comment": comment} if comment is not None else {})}
        for (p, o, c), (value, comment) in sorted(latest.items(),
                                                  key=lambda kv: (opos[kv[0][1]], ppos[kv[0][0]], cpos[kv[0][2]]))
    ]
    agreed = list(s.scalars(select(AgreedScore).where(AgreedScore.round_id == r.id))) if with_scores else []
    agreed.sort(key=lambda a: (opos[a.object_id], cpos[a.criterion_id]))
    scores += [{"object": okey[a.object_id], "criterion": ckey[a.criterion_id], "participant": None,
                "value": a.value, **({"comment": a.comment} if a.comment is not None else {})} for a in agreed]
    doc: dict[str, Any] = {"format": projectfile.FORMAT, "version": projectfile.VERSION, "name": r.name}
    if r.description is not None:
        doc["description"] = r.description
    if r.data_label is not None:
        doc["data_label"] = r.data_label
    doc["criteria"] = [c.data for c in crits]
    doc["weights"] = r.weights
    if profiles:
        doc["weight_profiles"] = [p.data for p in profiles]
    doc["objects"] = [o.data for o in objs]
    if r.tiers is not None:
        doc["tiers"] = r.tiers
    crit_ids = [c.key for c in crits]
    doc["participants"] = [{"id": p.key, "name": p.name, **({"organisation": p.organisation} if p.organisation else {}),
                            **({"weights": p.weights} if _fits(p.weights, crit_ids) else {})}
                           for p in parts]
    doc["scores"] = scores
    doc["aggregation"] = r.aggregation
    doc["milestones"] = [m.data for m in milestones]
    if follow_ups:
        doc["follow_up"] = [f.data for f in follow_ups]
    return doc


def copy_round(db: Database, actor: Actor, round_id: int, name: str, *, milestones: list[dict] | None = None,
               participants: bool = True) -> int:
    """A new round named ``name`` with the set-up of ``round_id``: criteria, weights and weight
    profiles, objects, tier levels, follow-up tracks, data label, and the participants unless
    ``participants`` is false; no scores, no agreed scores, no hand-set tiers, no invitations (new
    links are needed). ``milestones`` (format v1) replaces the timeline, e.g. the template of the
    next plan round. Returns the new round's id."""
    require_facilitator(actor)
    name = (name or "").strip()
    if not name:
        raise StorageInputError("round_needs_name", "a new round needs a name")
    doc = setup_document(db, actor, round_id)
    doc.update(name=name, scores=[])
    if milestones is not None:
        doc["milestones"] = milestones
    if not participants:
        doc["participants"] = []
    if isinstance(doc.get("tiers"), dict):
        doc["tiers"] = {k: v for k, v in doc["tiers"].items() if k != "assigned"}
    return import_project(db, actor, projectfile.parse(doc, require_complete=False))


def can_export(actor: Actor, status: str) -> bool:
    """The project file carries named individual scores (``access.may_see_named_ratings``)."""
    return may_see_named_ratings(actor, status)


def export_project(db: Database, actor: Actor, round_id: int, *, require_complete: bool = False) -> Project:
    require_round(actor, round_id)
    with db.reader() as s:
        r = get_round(s, round_id)
        if not can_export(actor, r.status):
            raise AccessDenied("not_released", "the round's scores are not released yet")
        doc = _document(s, r)
    return projectfile.parse(doc, require_complete=require_complete, check_text=False)  # as stored


def replace_setup(db: Database, actor: Actor, round_id: int, changes: dict[str, Any], expected_row_version: int) -> int:
    """Apply set-up changes (any of name, description, criteria, objects, participants, weights,
    weight_profiles, aggregation, milestones, tiers as format-v1 values; tiers None removes them) after validating the whole round.

    Raises :class:`StaleWrite` if the set-up changed since ``expected_row_version`` was read and a
    ``ProjectFileError`` listing every problem if the result would be invalid. Returns the new row
    version.
    """
    require_facilitator(actor)
    allowed = {"name", "description", "data_label", "criteria", "objects", "participants", "weights",
               "weight_profiles", "aggregation", "milestones", "tiers", "follow_up"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"unknown set-up fields {sorted(unknown)}")
    with db.session() as s:
        r = get_round(s, round_id, for_update=True)
        if r.row_version != expected_row_version:
            raise StaleWrite("the round set-up")
        doc = _document(s, r)
        old = {k: doc.get(k) for k in changes}
        doc.update(changes)
        # scores of removed objects/criteria/participants go with them
        ok = {o["id"] for o in doc["objects"]}
        ck = {c["id"] for c in doc["criteria"]}
        pk = {p["id"] for p in doc.get("participants", [])}
        if doc.get("tiers") is not None:  # hand-set tiers of removed objects go with them
            doc["tiers"] = tier_rules.drop_objects(doc["tiers"], ok)
        else:
            doc.pop("tiers", None)
        # follow-up tracks of removed objects go with them
        if isinstance(doc.get("follow_up"), list):
            doc["follow_up"] = [f for f in doc["follow_up"] if not isinstance(f, dict) or f.get("object") in ok]
        doc["scores"] = [x for x in doc["scores"] if x["object"] in ok and x["criterion"] in ck
                         and (x["participant"] is None or x["participant"] in pk)]
        # participants' own weights that no longer fit the criteria stay stored but out of the file
        for part in doc.get("participants", []):
            if "weights" in part and not _fits(part["weights"], [c["id"] for c in doc["criteria"]]):
                del part["weights"]
        projectfile.parse(doc, require_complete=False)  # raises ProjectFileError listing every problem
        _write_setup(s, r, doc)
        r.row_version += 1
        for k in changes:
            audit.record(s, actor, r.id, f"setup.{k}", None, old.get(k), changes[k])
        return r.row_version


def set_status(db: Database, actor: Actor, round_id: int, status: str) -> None:
    """Move the round along the workshop flow (see TRANSITIONS).

    Entering the second round copies every first-round score to phase 2, so participants only change
    what they want to; revealing makes the latest phase's anonymous distribution visible.
    """
    require_facilitator(actor)
    with db.session() as s:
        r = get_round(s, round_id, for_update=True)  # excludes score writes in flight (scores.save_score)
        if status not in TRANSITIONS.get(r.status, ()):
            raise StorageInputError("bad_transition", f"cannot go from {r.status!r} to {status!r}",
                                    old=r.status, new=status)
        old = r.status
        if status == "second_round" and not s.scalar(
                select(func.count()).select_from(Score).where(Score.round_id == r.id, Score.phase == 2)):
            for sc in list(s.scalars(select(Score).where(Score.round_id == r.id, Score.phase == 1))):
                s.add(Score(round_id=r.id, participant_id=sc.participant_id, object_id=sc.object_id,
                            criterion_id=sc.criterion_id, phase=2, value=sc.value, comment=sc.comment))
        if status in ("revealed", "locked"):
            r.revealed_phase = 2 if old == "second_round" or r.revealed_phase == 2 else 1
        r.status = status
        audit.record(s, actor, r.id, "round.status", None, old, status)


def delete_round(db: Database, actor: Actor, round_id: int) -> None:
    require_facilitator(actor)
    with db.session() as s:
        r = get_round(s, round_id)
        audit.record(s, actor, None, "round.delete", f"{r.id}: {r.name}")
        s.delete(r)


def set_own_weights(db: Database, actor: Actor, round_id: int, weights: dict[str, Any] | None) -> None:
    """A participant records their own weights (format-v1 weights object; None clears them)."""
    if actor.role != PARTICIPANT:
        raise AccessDenied("participants_only", "only participants give their own weights")
    require_round(actor, round_id)
    with db.session() as s:
        require_live(s, actor)
        r = get_round(s, round_id, for_update=True)
        if r.status == "locked":  # the decision basis is fixed: like scores, own weights are closed
            raise AccessDenied("round_locked", "the round is locked; own weights can no longer change")
        if weights is not None:
            doc = _document(s, r)
            doc["weights"] = weights
            projectfile.parse(doc, require_complete=False, check_text=False)  # against the round's criteria
        p = s.scalar(select(Participant).where(Participant.round_id == round_id,
                                               Participant.key == actor.participant_key))
        if p is None:
            raise AccessDenied("not_a_participant", "you are not a participant of this round")
        audit.record(s, actor, round_id, "weights.own", actor.participant_key, p.weights, weights)
        p.weights = weights


def participant_weights(db: Database, actor: Actor, round_id: int) -> dict[str, dict[str, Any] | None]:
    """Every participant's own weights (facilitator), or only one's own (participant)."""
    require_round(actor, round_id)
    with db.reader() as s:
        get_round(s, round_id)
        q = select(Participant).where(Participant.round_id == round_id).order_by(Participant.position)
        rows = list(s.scalars(q))
    if actor.role == FACILITATOR:
        return {p.key: p.weights for p in rows}
    if actor.role == PARTICIPANT:
        return {p.key: p.weights for p in rows if p.key == actor.participant_key}
    raise AccessDenied("facilitator_only", "only the facilitator sees the participants' weights")


def round_info(db: Database, actor: Actor, round_id: int) -> dict[str, Any]:
    """Status, revealed phase and row version of a round (anyone with access to the round)."""
    require_round(actor, round_id)
    with db.reader() as s:
        r = get_round(s, round_id)
        return {"id": r.id, "name": r.name, "status": r.status, "revealed_phase": r.revealed_phase,
                "row_version": r.row_version, "data_label": r.data_label}


def revision(db: Database, actor: Actor, round_id: int) -> str:
    """A cheap stamp that changes whenever anything in the round changes (for caches).

    Every write to a round (set-up, status, scores, agreed scores, own weights, tiers) is recorded
    in the audit log in the same transaction, so the newest audit entry identifies the state.
    """
    require_round(actor, round_id)
    with db.reader() as s:
        r = get_round(s, round_id)
        newest = s.scalar(select(func.max(AuditEntry.id)).where(AuditEntry.round_id == round_id))
        return f"{round_id}:{r.row_version}:{r.status}:{newest or 0}"


def setup_project(db: Database, actor: Actor, round_id: int) -> Project:
    """The round's set-up as a :class:`Project` without scores (anyone with access to the round)."""
    return projectfile.parse({**setup_document(db, actor, round_id), "scores": []}, require_complete=False,
                             check_text=False)


def setup_document(db: Database, actor: Actor, round_id: int) -> dict[str, Any]:
    """The round's set-up (no scores) as format-v1 values, for set-up pages and participants.

    Participants and viewers of the round may read it: criteria with guidance, objects, weights.
    """
    require_round(actor, round_id)
    with db.reader() as s:
        doc = _document(s, get_round(s, round_id), with_scores=False)
    doc.pop("scores")
    return doc
