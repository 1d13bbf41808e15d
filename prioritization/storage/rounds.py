"""Rounds (prioriteringsomgångar): import/export of the project file, status, set-up edits.

The database holds the format-v1 objects of criteria, objects and weight profiles as JSON, so export
-> import -> export is lossless. Every change is validated as a whole project before it is written,
inside one transaction: nothing is half-written.

The project file's ``committee`` section (issue 13) is kept in two places: what the facilitator
writes in ``rounds.committee`` (:data:`COMMITTEE_ROUND_KEYS`), what the municipalities write in rows
of their own (:data:`COMMITTEE_ROW_KEYS`); :func:`committee_section` joins them, and what a
non-facilitator reads of it follows :func:`prioritization.storage.access.may_see_municipal_input`
(:func:`visible_document`). ``storage.committee`` writes it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from prioritization import projectfile
from prioritization import tiers as tier_rules
from prioritization.committee import fileformat as committee_format
from prioritization.committee.fileformat import SECTION_KEYS as COMMITTEE_KEYS
from prioritization.committee.fileformat import drop_objects as drop_committee_objects
from prioritization.model import Project
from prioritization.storage import audit, stored_scores
from prioritization.storage.access import (
    FACILITATOR,
    PARTICIPANT,
    AccessDenied,
    Actor,
    may_see_municipal_input,
    may_see_named_ratings,
    require_facilitator,
    require_round,
)
from prioritization.storage.errors import StaleWrite, StorageInputError
from prioritization.storage.schema import (
    AgreedScore,
    Allocation,
    AuditEntry,
    Criterion,
    FollowUp,
    Milestone,
    Object,
    Participant,
    Proposal,
    Round,
    Score,
    Stance,
    WeightProfile,
    Wish,
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
    """Create a new round from a project (scores become first-round scores, the committee section
    the round's committee). Returns its id."""
    require_facilitator(actor)
    doc = projectfile.to_dict(project)
    projectfile.parse(doc, require_complete=False)  # the rules for text coming in (text_rules), whoever built it
    with db.session() as s:
        require_live(s, actor)  # a revoked or signed-out tab writes nothing
        r = Round(name=project.name, weights=doc["weights"], status="setup")
        s.add(r)
        s.flush()
        _write_setup(s, r, doc)
        s.flush()
        _write_scores(s, r, doc["scores"])
        _write_committee(s, r, doc.get("committee"))
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
    if section := committee_section(s, r):
        doc["committee"] = section
    return doc


# --- the committee section (issue 13) --------------------------------------------------------------

# what the facilitator writes (kept in rounds.committee) and what the municipalities write (rows)
COMMITTEE_ROUND_KEYS = ("municipalities", "input_window", "local_points", "checklist", "screening", "drafts",
                        "decision")
COMMITTEE_ROW_KEYS = ("allocations", "proposals", "wishes", "stances")
# what a municipality submits in the input window: private to it until the window closes
MUNICIPAL_INPUT = ("allocations", "proposals", "wishes")
PROPOSAL_DATA_KEYS = ("name", "need", "location", "mode", "cost", "plan_channel", "links")


_time = committee_format.time_text  # a stored time as the project file writes it


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).astimezone(UTC)


_drop_none = committee_format.drop_none
allocation_data = committee_format.allocation_data  # rows carry the record's attribute names


def proposal_data(p: Proposal) -> dict[str, Any]:
    return _drop_none({"id": p.key, "municipality": p.municipality,
                       **{k: p.data.get(k) for k in PROPOSAL_DATA_KEYS if p.data.get(k) not in (None, [])},
                       "status": p.status, "reason": p.reason, "object": p.object,
                       "submitted_at": _time(p.submitted_at)})


wish_data = committee_format.wish_data


def stance_data(x: Stance) -> dict[str, Any]:
    return _drop_none({"municipality": x.municipality, "version": x.version, "stance": x.stance,
                       "comment": x.comment, "object_comments": x.object_comments or None,
                       "decision": x.decision or None, "replied_at": _time(x.replied_at)})


COMMITTEE_ROWS: dict[str, tuple[Any, Callable[[Any], dict[str, Any]]]] = {
    "allocations": (Allocation, allocation_data),
    "proposals": (Proposal, proposal_data),
    "wishes": (Wish, wish_data),
    "stances": (Stance, stance_data),
}


def committee_section(s: Session, r: Round) -> dict[str, Any]:
    """The round's committee as format-v1 ``committee`` data (keys in the file's order, empty parts
    left out; rows in the order they were written): everything, whoever asks (see
    :func:`visible_document`)."""
    stored = r.committee or {}
    out: dict[str, Any] = {}
    for key in COMMITTEE_KEYS:
        if key in COMMITTEE_ROWS:
            table, as_data = COMMITTEE_ROWS[key]
            value: Any = [as_data(row) for row in s.scalars(select(table).where(table.round_id == r.id)
                                                             .order_by(table.id))]
        else:
            value = stored.get(key)
        if value:
            out[key] = value
    return out


def _keep_committee_objects(s: Session, r: Round, kept: set[str]) -> None:
    """Remove the committee's records of objects that are no longer in the round (their points,
    wishes, screening and per-object comments; an accepted proposal forgets the object), as :func:`prioritization.committee.fileformat.
    drop_objects` does to the file."""
    s.execute(delete(Allocation).where(Allocation.round_id == r.id, Allocation.object.not_in(kept)))
    s.execute(delete(Wish).where(Wish.round_id == r.id, Wish.object.not_in(kept)))
    if r.committee and r.committee.get("screening"):
        screening = [x for x in r.committee["screening"] if x.get("object") in kept]
        r.committee = {**r.committee, "screening": screening} if screening else {
            k: v for k, v in r.committee.items() if k != "screening"} or None
    for row in s.scalars(select(Stance).where(Stance.round_id == r.id)):
        if row.object_comments and set(row.object_comments) - kept:
            row.object_comments = {k: v for k, v in row.object_comments.items() if k in kept} or None
    for proposal in s.scalars(select(Proposal).where(Proposal.round_id == r.id, Proposal.object.is_not(None),
                                                     Proposal.object.not_in(kept))):
        proposal.object = None  # still accepted; the object it became has been removed


def _write_committee(s: Session, r: Round, section: Mapping[str, Any] | None) -> None:
    """Store a validated committee section in a round that has none yet (an import)."""
    section = section or {}
    r.committee = {k: section[k] for k in COMMITTEE_ROUND_KEYS if section.get(k)} or None
    for a in section.get("allocations", []):
        s.add(Allocation(round_id=r.id, municipality=a["municipality"], object=a["object"], points=int(a["points"]),
                         rationale=a.get("rationale")))
    for p in section.get("proposals", []):
        s.add(Proposal(round_id=r.id, key=p["id"], municipality=p["municipality"],
                       data={k: p[k] for k in PROPOSAL_DATA_KEYS if k in p}, status=p.get("status", "proposed"),
                       reason=p.get("reason"), object=p.get("object"), submitted_at=_moment(p.get("submitted_at"))))
    for w in section.get("wishes", []):
        s.add(Wish(round_id=r.id, municipality=w["municipality"], object=w["object"], text=w["text"]))
    for x in section.get("stances", []):
        s.add(Stance(round_id=r.id, municipality=x["municipality"], version=x["version"], stance=x["stance"],
                     comment=x.get("comment"), object_comments=x.get("object_comments"),
                     decision=x.get("decision"), replied_at=_moment(x.get("replied_at"))))


def window_closed(section: Mapping[str, Any] | None) -> bool:
    """Whether the input window of a committee section (format-v1 data) has closed."""
    window = (section or {}).get("input_window")
    return isinstance(window, Mapping) and window.get("closed_at") is not None


def visible_committee(section: Mapping[str, Any], actor: Actor, *, closed: bool = False) -> dict[str, Any]:
    """What ``actor`` may see of a committee section (format-v1 data): the municipalities' points,
    proposals and wishes by :func:`prioritization.storage.access.may_see_municipal_input` (the window
    has closed in the section, or ``closed``: it has closed in the round since); all else as it is."""
    closed = closed or window_closed(section)
    out = dict(section)
    for key in MUNICIPAL_INPUT:
        if key in out:
            kept = [x for x in out[key] if may_see_municipal_input(actor, x.get("municipality"), closed)]
            if kept:
                out[key] = kept
            else:
                del out[key]
    return out


def visible_document(doc: dict[str, Any], actor: Actor, *, closed: bool = False) -> dict[str, Any]:
    """``doc`` (a format-v1 document) as ``actor`` may see its committee section
    (:func:`visible_committee`): ``doc`` itself when nothing is left out, else a copy without it."""
    section = doc.get("committee")
    if not isinstance(section, Mapping) or actor.role == FACILITATOR:
        return doc
    shown = visible_committee(section, actor, closed=closed)
    if shown == section:
        return doc
    out = dict(doc)
    if shown:
        out["committee"] = shown
    else:
        del out["committee"]
    return out


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
    _next_round_committee(doc)
    if not participants:
        doc["participants"] = []
    if isinstance(doc.get("tiers"), dict):
        doc["tiers"] = {k: v for k, v in doc["tiers"].items() if k != "assigned"}
    return import_project(db, actor, projectfile.parse(doc, require_complete=False))


def _next_round_committee(doc: dict[str, Any]) -> None:
    """A copied round keeps the committee's set-up (the member municipalities, the local input
    points' settings, the checklist and the screening of its objects) and starts its own input
    window, submissions, drafts and decision; its objects are no longer new."""
    section = doc.pop("committee", None) or {}
    kept = {k: section[k] for k in ("municipalities", "local_points", "checklist", "screening") if section.get(k)}
    if kept:
        doc["committee"] = kept
    doc["objects"] = [{k: v for k, v in o.items() if k != "new_in_round"} for o in doc["objects"]]


def can_export(actor: Actor, status: str) -> bool:
    """The project file carries named individual scores (``access.may_see_named_ratings``)."""
    return may_see_named_ratings(actor, status)


def export_project(db: Database, actor: Actor, round_id: int, *, require_complete: bool = False) -> Project:
    require_round(actor, round_id)
    with db.reader() as s:
        r = get_round(s, round_id)
        if not can_export(actor, r.status):
            raise AccessDenied("not_released", "the round's scores are not released yet")
        if not require_complete:  # what the app wrote is trusted: the scores come from the rows as they are
            try:
                setup = projectfile.parse(visible_document(_document(s, r, with_scores=False), actor),
                                          require_complete=False, check_text=False)
            except projectfile.ProjectFileError:  # refused below with every problem, the scores' too
                setup = None
            if setup is not None and (trusted := stored_scores.read(s, r.id, setup)) is not None:
                return replace(setup, scores=trusted)
        doc = visible_document(_document(s, r), actor)
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
        require_live(s, actor)  # a revoked or signed-out tab writes nothing
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
        # so do the municipalities' points, wishes and comments on them and their screening (issue 13)
        if doc.get("committee"):
            doc["committee"] = drop_committee_objects(doc["committee"], ok)
        doc["scores"] = [x for x in doc["scores"] if x["object"] in ok and x["criterion"] in ck
                         and (x["participant"] is None or x["participant"] in pk)]
        # participants' own weights that no longer fit the criteria stay stored but out of the file
        for part in doc.get("participants", []):
            if "weights" in part and not _fits(part["weights"], [c["id"] for c in doc["criteria"]]):
                del part["weights"]
        projectfile.parse(doc, require_complete=False)  # raises ProjectFileError listing every problem
        _write_setup(s, r, doc)
        _keep_committee_objects(s, r, ok)
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
        require_live(s, actor)  # a revoked or signed-out tab writes nothing
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
        require_live(s, actor)  # a revoked or signed-out tab writes nothing
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

    Participants, viewers and municipal representatives of the round may read it: criteria with
    guidance, objects, weights, and the committee section as they may see it (:func:`visible_document`).
    """
    require_round(actor, round_id)
    with db.reader() as s:
        doc = visible_document(_document(s, get_round(s, round_id), with_scores=False), actor)
    doc.pop("scores")
    return doc
