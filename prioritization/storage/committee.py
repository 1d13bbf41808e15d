"""Storage of the committee's round after the summer (issue 13): the member municipalities, the
input window, local input points, proposals and wishes, the screening before scoring, the draft
list out for reply with each municipality's stance, and the committee's decision.

The values are :mod:`prioritization.committee.model`; the project file's ``committee`` section is
:mod:`prioritization.committee.fileformat`. What the facilitator writes lives in
``rounds.committee``, what the municipalities write in rows of their own (``allocations``,
``proposals``, ``wishes``, ``stances``; ``storage.rounds.committee_section`` joins them).

Every function takes ``(db, actor, round_id, ...)`` and checks access itself:

* facilitator: the member municipalities, the local input points' settings, opening and closing
  the input window, accepting or declining proposals, the checklist and the screening, sending
  and closing drafts, recording the decision.
* municipality (its representative; ``actor.municipality``): its own municipality's points,
  proposals (and withdrawing them) and wishes, only while the window is open; its stance on the
  draft out for reply (the facilitator may record a stance on a municipality's behalf).
* reading (:func:`committee`): everyone with access to the round; the municipalities' points,
  proposals and wishes by :func:`prioritization.storage.access.may_see_municipal_input` (the
  facilitator always, a municipality its own always, everyone once the window has closed).

Every write locks the round row (so concurrent writers are serialised), checks the signed-in
session (``sessions.require_live``), validates the resulting committee as a whole
(:func:`prioritization.committee.fileformat.parse` and ``parked_problems``; the whole project too
when objects change), is audited in the same transaction, and is all or nothing: on any refusal
nothing stored changes. Accepting a proposal, screening an object and opening or closing a window
tied to a milestone change the round's set-up (an object, a milestone's status) and so increment
its ``row_version``.

Refusals are :class:`~prioritization.storage.access.AccessDenied` for who may not
(``facilitator_only``, ``municipality_only``, ``other_municipality``, ``other_round``,
``session_ended``) and :class:`~prioritization.storage.errors.StorageInputError` for bad input,
each with a ``code`` (and ``params``) that the app turns into Swedish:

=========================  =====================================================================
code                       refused because
=========================  =====================================================================
not_whole                  points (or a budget, a cap) are not a whole number
negative_points            points below 0
over_cap                   more points on one object than the cap
over_budget                more points in all than the budget
points_off                 the round has no local input points
points_in_use              turning points off, or a setting, while allocations exist (see params)
bad_points_setting         budget or cap below 1, or the cap above the budget
bad_share                  the local share is not a number in 0–1
window_not_open            the input window has not been opened
window_closed              the input window has closed (it opens once)
window_already_open        opening a window that is open
unknown_municipality       not a member municipality of the round's committee
duplicate_municipality     a municipality id given twice
municipality_in_use        removing a municipality that has points, proposals, wishes or stances
unknown_object             no such object in the round (or in the decided version)
not_candidate              points on, or screening of, an object that is not a candidate
duplicate_object           an object given twice
unknown_milestone          no such milestone on the round's timeline
unknown_proposal           no such proposal
proposal_not_open          the proposal was already accepted or declined
unknown_field              a proposal field that does not exist
name_missing, need_missing a proposal without a name or a need
id_missing, text_missing   a municipality or check without an id, name or text
bad_cost                   a cost that is not a number ≥ 0
bad_plan_channel           a plan channel outside committee.model.PLAN_CHANNELS
bad_link                   a link that is not a web address (http:// or https://)
bad_text                   text refused by prioritization.text_rules (too long, formula-like)
reason_missing             declining, parking, letting through or departing from the model without a reason
duplicate_check            a checklist id given twice
object_has_points          parking an object that municipalities gave points (points go to candidates)
check_in_use               removing a check that a screening result names
unknown_check              a failed check that is not on the checklist
bad_outcome                a screening outcome other than passed, parked, let_through
unknown_version            no frozen version with that id (or SHA-256) in this round
version_corrupt            the frozen version is not what was frozen
draft_already_sent         the version was already sent out as a draft
unknown_draft              no draft of that version
not_out_for_reply          a stance on, or closing of, a draft that is not out for reply
bad_stance                 a stance other than support, support_with_comments, oppose
reference_missing          a decision without its protocol reference (§)
body_missing               a decision without the body that decided
bad_date                   a date that is not a calendar date
already_decided            a decision is already recorded (no new draft, stance or decision)
not_rankable               the decided version's candidates cannot be ranked (e.g. unscored cells)
order_incomplete           the decided list does not hold exactly the version's ranked candidates
bad_rank                   a decided rank that is not a whole number ≥ 1
unknown_tier               a decided tier that is not a level of the version's tiers
invalid_committee          any other rule of the committee section (params: problems)
=========================  =====================================================================
"""

from __future__ import annotations

import copy
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from prioritization import projectfile, text_rules
from prioritization.committee import decision as decision_rules
from prioritization.committee import fileformat as committee_format
from prioritization.committee.model import (
    DECLINED,
    DEFAULT_CHECKLIST,
    LET_THROUGH,
    PARKED,
    PLAN_CHANNELS,
    PROPOSED,
    SCREENING_OUTCOMES,
    STANCES,
    Allocation,
    Check,
    Committee,
    DecidedEntry,
    Decision,
    DecisionRef,
    LocalPoints,
    Municipality,
)
from prioritization.committee.ranking import model_list
from prioritization.errors import InputError, ProjectFileError
from prioritization.model import CANDIDATE
from prioritization.model import PARKED as PARKED_STATUS
from prioritization.records import is_web_address
from prioritization.storage import audit, rounds
from prioritization.storage.access import (
    FACILITATOR,
    MUNICIPALITY,
    AccessDenied,
    Actor,
    require_facilitator,
    require_municipality,
    require_round,
)
from prioritization.storage.errors import StorageInputError
from prioritization.storage.schema import Allocation as AllocationRow
from prioritization.storage.schema import AuditEntry, Round, Version, utcnow
from prioritization.storage.schema import Milestone as MilestoneRow
from prioritization.storage.schema import Object as ObjectRow
from prioritization.storage.schema import Proposal as ProposalRow
from prioritization.storage.schema import Stance as StanceRow
from prioritization.storage.schema import Wish as WishRow
from prioritization.storage.sessions import require_live
from prioritization.timeline import milestones as milestone_format
from prioritization.timeline.milestones import DONE, IN_PROGRESS

if TYPE_CHECKING:
    from prioritization.storage.database import Database

PROPOSAL_FIELDS = rounds.PROPOSAL_DATA_KEYS


def default_checklist() -> tuple[Check, ...]:
    """The checklist a round starts from (need documented, plan channel, four-step principle, cost)."""
    return tuple(Check(cid, sv, en) for cid, sv, en in DEFAULT_CHECKLIST)


# ------------------------------------------------------------------------------------------------
# reading


def _statuses(s: Session, round_id: int) -> dict[str, str]:
    return {key: (data or {}).get("status", CANDIDATE) for key, data in
            s.execute(select(ObjectRow.key, ObjectRow.data).where(ObjectRow.round_id == round_id)
                      .order_by(ObjectRow.position))}


def _milestone_ids(s: Session, round_id: int) -> list[str]:
    return [str(d["id"]) for d in s.scalars(select(MilestoneRow.data).where(MilestoneRow.round_id == round_id))
            if isinstance(d, dict) and "id" in d]


def _problems_text(problems: Iterable[tuple[str, str]]) -> str:
    return "; ".join(f"{path}: {message}" for path, message in problems)


def _parse(section: Mapping[str, Any], statuses: Mapping[str, str], milestone_ids: Sequence[str]) -> Committee:
    """The committee of a (format-v1) section, or StorageInputError("invalid_committee") naming every
    problem (the project file's rules, including that parked objects are exactly those screened so)."""
    problems: list[tuple[str, str]] = []
    if not section:
        found = Committee()
    else:
        found, problems = committee_format.parse(dict(section), dict(statuses), list(milestone_ids))
    if not problems:
        problems = committee_format.parked_problems(found, dict(statuses))
    if problems:
        raise StorageInputError("invalid_committee", f"the committee would not be valid: {_problems_text(problems)}",
                                problems=list(problems))
    return found


def committee(db: Database, actor: Actor, round_id: int) -> Committee:
    """The round's committee as ``actor`` may see it: everything for the facilitator; for everyone
    else the municipalities' points, proposals and wishes by ``access.may_see_municipal_input`` (a
    municipality its own always, everyone's once the window has closed; viewers and participants
    none before). Members, window, points settings, checklist, screening, drafts, stances and the
    decision: everyone with access to the round."""
    require_round(actor, round_id)
    with db.reader() as s:
        require_live(s, actor)
        r = rounds.get_round(s, round_id)
        section = rounds.committee_section(s, r)
        statuses, milestone_ids = _statuses(s, round_id), _milestone_ids(s, round_id)
    if actor.role != FACILITATOR:
        section = rounds.visible_committee(section, actor)
    return _parse(section, statuses, milestone_ids)


# ------------------------------------------------------------------------------------------------
# the write transaction


@dataclass
class _Write:
    """One write: the locked round, its committee section as it will be (format-v1 data, edited in
    place), the objects' statuses and the milestones."""

    s: Session
    actor: Actor
    r: Round
    section: dict[str, Any]
    statuses: dict[str, str]
    milestone_ids: list[str]
    committee: Committee = field(init=False)  # as stored, before this write

    def __post_init__(self) -> None:
        self.committee = _parse(self.section, self.statuses, self.milestone_ids)

    def members(self) -> dict[str, str]:
        return {m["id"]: m["name"] for m in self.section.get("municipalities", [])}

    def require_member(self, municipality: str) -> str:
        members = self.members()
        if municipality not in members:
            raise StorageInputError("unknown_municipality", f"{municipality!r} is not a member municipality of "
                                    "this round's committee", municipality=municipality)
        return members[municipality]

    def require_window_open(self) -> None:
        window = self.section.get("input_window") or {}
        if window.get("closed_at") is not None:
            raise StorageInputError("window_closed", "the input window has closed; nothing more can be submitted")
        if window.get("opened_at") is None:
            raise StorageInputError("window_not_open", "the input window has not been opened yet")

    def require_not_decided(self) -> None:
        if self.section.get("decision") is not None:
            raise StorageInputError("already_decided", "the committee's decision is already recorded")

    def validate(self) -> Committee:
        """The committee as it will be, checked as a whole (StorageInputError if not valid)."""
        return _parse(self.section, self.statuses, self.milestone_ids)

    def save_round_part(self) -> None:
        """Store what the facilitator writes (a new dict: JSON columns are compared by value)."""
        self.r.committee = {k: copy.deepcopy(self.section[k]) for k in rounds.COMMITTEE_ROUND_KEYS
                            if self.section.get(k)} or None

    def replace_list(self, key: str, data: list[dict[str, Any]], action: str) -> None:
        """Replace one of the facilitator's lists (members, checklist) as a whole: validated, saved,
        audited with the old and the new list."""
        old = self.section.get(key, [])
        if data:
            self.section[key] = data
        else:
            self.section.pop(key, None)
        self.validate()
        self.save_round_part()
        self.record(action, None, old, data)

    def record(self, action: str, target: str | None, old: Any = None, new: Any = None) -> None:
        audit.record(self.s, self.actor, self.r.id, action, target, old, new)


def _begin(s: Session, actor: Actor, round_id: int) -> _Write:
    # the round row first, locked (PostgreSQL: SELECT ... FOR UPDATE; SQLite serialises writers):
    # everything read after it is what the previous writer committed
    r = rounds.get_round(s, round_id, for_update=True)
    require_live(s, actor)
    section = copy.deepcopy(rounds.committee_section(s, r))
    return _Write(s, actor, r, section, _statuses(s, round_id), _milestone_ids(s, round_id))


def _write(db: Database, actor: Actor, round_id: int, change: Callable[[_Write], Any]) -> Any:
    require_round(actor, round_id)
    with db.session() as s:
        return change(_begin(s, actor, round_id))


def _check_text(record: Mapping[str, Any], place: str) -> None:
    """The rules for text coming in (``prioritization.text_rules``), by the format's keys."""
    for where, why in text_rules.problems(dict(record), place):
        raise StorageInputError("bad_text", f"{where} {why}", place=where, problem=why)


def _says_nothing(text: str) -> bool:
    """Whether ``text`` shows nothing: only white space and invisible characters (zero-width space
    and joiners, word joiner, byte-order mark, soft hyphen, control characters). A required text
    (a reason, a name, a protocol reference) made of them is missing, not given."""
    return all(c.isspace() or unicodedata.category(c) in ("Cc", "Cf") for c in text)


def _blank(text: Any) -> bool:
    return text is None or (isinstance(text, str) and _says_nothing(text))


def _text_or_none(text: Any, what: str) -> str | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise StorageInputError("bad_text", f"{what} is not text", place=what, problem="is not text")
    return None if _says_nothing(text) else text.strip()


def _whole(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) \
            or value != int(value):
        raise StorageInputError("not_whole", f"{what} must be a whole number, got {value!r}", what=what,
                                value=str(value))
    return int(value)


# ------------------------------------------------------------------------------------------------
# facilitator: members, points settings, the window


def set_municipalities(db: Database, actor: Actor, round_id: int, municipalities: Sequence[Municipality]) -> None:
    """Replace the member municipalities (ids stay, names may change). Refused when a municipality
    that leaves still has points, proposals, wishes or stances in the round."""
    require_facilitator(actor)
    data: list[dict[str, str]] = []
    seen: set[str] = set()
    for m in municipalities:
        if _blank(m.id) or _blank(m.name):
            raise StorageInputError("id_missing" if _blank(m.id) else "text_missing",
                                    "a municipality needs an id and a name", municipality=m.id)
        if m.id in seen:
            raise StorageInputError("duplicate_municipality", f"municipality {m.id!r} is given twice",
                                    municipality=m.id)
        seen.add(m.id)
        record = {"id": m.id.strip(), "name": m.name.strip()}
        _check_text(record, f"municipalities[{len(data)}]")
        data.append(record)

    def change(w: _Write) -> None:
        in_use: set[str] = set()
        for table in (AllocationRow, ProposalRow, WishRow, StanceRow):
            in_use |= set(w.s.scalars(select(table.municipality).where(table.round_id == w.r.id)))
        if gone := sorted(in_use - {d["id"] for d in data}):
            raise StorageInputError("municipality_in_use", f"{gone[0]!r} has points, proposals, wishes or stances "
                                    "in this round and cannot be removed", municipality=gone[0])
        w.replace_list("municipalities", data, "committee.municipalities")

    _write(db, actor, round_id, change)


def set_local_points(db: Database, actor: Actor, round_id: int, points: LocalPoints | None) -> None:
    """Turn local input points on with a budget, a cap per object and the local share s, or off
    (None). Refused when the allocations already given would break the new budget or cap, or
    when turning them off while any exist."""
    require_facilitator(actor)
    data = None
    if points is not None:
        budget, cap = _whole(points.budget, "the budget"), _whole(points.cap, "the cap")
        if budget < 1 or cap < 1 or cap > budget:
            raise StorageInputError("bad_points_setting", f"the budget ({budget}) and the cap ({cap}) must be at "
                                    "least 1, and the cap at most the budget", budget=budget, cap=cap)
        share = points.share
        if isinstance(share, bool) or not isinstance(share, int | float) or not math.isfinite(share) \
                or not 0 <= share <= 1:
            raise StorageInputError("bad_share", f"the local share must be a number from 0 to 1, got {share!r}",
                                    share=str(share))
        data = {"budget": budget, "cap": cap, "share": int(share) if float(share).is_integer() else float(share)}

    def change(w: _Write) -> None:
        given = w.committee.allocations
        if data is None and given:
            raise StorageInputError("points_in_use", "points are already given; they cannot be turned off",
                                    allocations=len(given))
        if data is not None:
            for a in given:
                if a.points > data["cap"]:
                    raise StorageInputError("over_cap", f"{a.municipality} already gives {a.points} points to "
                                            f"{a.object}, over the cap of {data['cap']}", municipality=a.municipality,
                                            object=a.object, points=a.points, cap=data["cap"])
            for m, total in _totals(given).items():
                if total > data["budget"]:
                    raise StorageInputError("over_budget", f"{m} already gives {total} points, over the budget of "
                                            f"{data['budget']}", municipality=m, total=total, budget=data["budget"])
        old = w.section.get("local_points")
        if data is None:
            w.section.pop("local_points", None)
        else:
            w.section["local_points"] = data
        w.validate()
        w.save_round_part()
        w.record("committee.local_points", None, old, data)

    _write(db, actor, round_id, change)


def _totals(allocations: Iterable[Allocation]) -> dict[str, int]:
    out: dict[str, int] = {}
    for a in allocations:
        out[a.municipality] = out.get(a.municipality, 0) + a.points
    return out


def _set_milestone_status(w: _Write, milestone_id: str, status: str) -> None:
    """Inside the write: a milestone's stored status, as ``timeline.update_milestone`` sets it (the
    same audit entry and row version), in the same transaction as the window."""
    rows = list(w.s.scalars(select(MilestoneRow).where(MilestoneRow.round_id == w.r.id)
                            .order_by(MilestoneRow.position)))
    current, problems = milestone_format.parse([row.data for row in rows])
    if problems:
        raise StorageInputError("invalid_committee", f"the timeline is not valid: {_problems_text(problems)}",
                                problems=list(problems))
    k = next((i for i, m in enumerate(current) if m.id == milestone_id), None)
    if k is None or current[k].status == status:
        return
    old = current[k]
    new = old.replace(status=status)
    rows[k].data = milestone_format.to_dict(new)
    w.r.row_version += 1
    w.record("milestone.update", milestone_id, {"status": old.status, "note": old.note},
             {"status": new.status, "note": new.note})


def open_window(db: Database, actor: Actor, round_id: int, milestone_id: str | None = None, *, now: datetime | None = None) -> None:
    """Open the input window (once per round), standing for a milestone of the timeline (or none);
    that milestone's status becomes "in_progress"."""
    require_facilitator(actor)

    def change(w: _Write) -> None:
        window = w.section.get("input_window") or {}
        if window.get("closed_at") is not None:
            raise StorageInputError("window_closed", "the input window has closed; it opens once per round")
        if window.get("opened_at") is not None:
            raise StorageInputError("window_already_open", "the input window is already open")
        if milestone_id is not None and milestone_id not in w.milestone_ids:
            raise StorageInputError("unknown_milestone", f"there is no milestone {milestone_id!r} in this round",
                                    milestone=milestone_id)
        new = rounds._drop_none({"milestone": milestone_id, "opened_at": rounds._time(now or utcnow())})
        w.section["input_window"] = new
        w.validate()
        w.save_round_part()
        w.record("window.open", milestone_id, None, new)
        if milestone_id is not None:
            _set_milestone_status(w, milestone_id, IN_PROGRESS)

    _write(db, actor, round_id, change)


def close_window(db: Database, actor: Actor, round_id: int, *, now: datetime | None = None) -> None:
    """Close the input window: nothing more can be submitted, and every municipality's points,
    proposals and wishes become visible to all; the window's milestone becomes "done"."""
    require_facilitator(actor)

    def change(w: _Write) -> None:
        window = dict(w.section.get("input_window") or {})
        if window.get("opened_at") is None or window.get("closed_at") is not None:
            raise StorageInputError("window_not_open", "the input window is not open")
        old = dict(window)
        window["closed_at"] = rounds._time(now or utcnow())
        w.section["input_window"] = window
        w.validate()
        w.save_round_part()
        w.record("window.close", window.get("milestone"), old, window)
        if window.get("milestone") is not None:
            _set_milestone_status(w, window["milestone"], DONE)

    _write(db, actor, round_id, change)


# ------------------------------------------------------------------------------------------------
# facilitator: proposals


def _proposal_row(w: _Write, proposal_id: str) -> ProposalRow:
    row = w.s.scalar(select(ProposalRow).where(ProposalRow.round_id == w.r.id, ProposalRow.key == proposal_id))
    if row is None:
        raise StorageInputError("unknown_proposal", f"there is no proposal {proposal_id!r}", proposal=proposal_id)
    return row


def _require_open_proposal(row: ProposalRow) -> None:
    if row.status != PROPOSED:
        raise StorageInputError("proposal_not_open", f"proposal {row.key!r} is already {row.status}",
                                proposal=row.key, status=row.status)


def _replace_proposal(w: _Write, row: ProposalRow) -> None:
    w.section["proposals"] = [rounds.proposal_data(row) if p["id"] == row.key else p
                              for p in w.section.get("proposals", [])]


def next_object_id(existing: Sequence[str], fallback: str) -> str:
    """A new object id in the pattern of the round's ids: the most common prefix before a number
    ("SOD-15" -> "SOD-16", "O4" -> "O5"), zero-padded like them; ``fallback`` (then "-2", "-3", ...)
    when no id ends in a number."""
    taken = set(existing)
    groups: dict[str, list[str]] = {}
    for oid in existing:
        if m := re.fullmatch(r"(.*?)(\d+)", oid):
            groups.setdefault(m.group(1), []).append(m.group(2))
    if groups:
        prefix = max(groups, key=lambda p: (len(groups[p]), -list(groups).index(p)))
        width = max(len(n) for n in groups[prefix]) if all(n.startswith("0") or len(n) > 1
                                                              for n in groups[prefix]) else 1
        n = max(int(x) for x in groups[prefix]) + 1
        while (candidate := f"{prefix}{n:0{width}d}") in taken:
            n += 1
        return candidate
    candidate, k = fallback, 1
    while candidate in taken:
        k += 1
        candidate = f"{fallback}-{k}"
    return candidate


def accept_proposal(db: Database, actor: Actor, round_id: int, proposal_id: str) -> str:
    """Accept a proposal into the round: it becomes a candidate object (name, rough cost,
    description = the need, mode, municipalities = [the proposing municipality's name], and
    ``proposal`` and ``new_in_round: true`` so that the scoring pages mark it), to be scored in a
    supplementary pass. Returns the new object's id."""
    require_facilitator(actor)

    def change(w: _Write) -> str:
        row = _proposal_row(w, proposal_id)
        _require_open_proposal(row)
        name = w.require_member(row.municipality)
        doc = rounds._document(w.s, w.r, with_scores=False)
        oid = next_object_id([o["id"] for o in doc["objects"]], proposal_id)
        obj = rounds._drop_none({"id": oid, "name": row.data["name"], "cost": row.data.get("cost"),
                                 "status": CANDIDATE, "description": row.data["need"],
                                 "mode": row.data.get("mode"), "municipalities": [name],
                                 "proposal": proposal_id, "new_in_round": True})
        row.status, row.object = "accepted", oid
        _replace_proposal(w, row)
        w.statuses[oid] = CANDIDATE
        w.validate()
        doc["objects"].append(obj)
        doc["committee"] = w.section
        _validate_project(doc)
        last = w.s.scalar(select(func.max(ObjectRow.position)).where(ObjectRow.round_id == w.r.id))
        w.s.add(ObjectRow(round_id=w.r.id, key=oid, position=0 if last is None else last + 1, data=obj))
        w.r.row_version += 1
        w.record("proposal.accept", proposal_id, {"status": PROPOSED}, {"status": "accepted", "object": oid})
        w.record("object.add", oid, None, obj)
        return oid

    return _write(db, actor, round_id, change)


def _validate_project(doc: dict[str, Any]) -> None:
    """The whole round as it will be (objects changed): the project file's rules."""
    try:
        projectfile.parse(doc, require_complete=False, check_text=False)
    except ProjectFileError as e:
        raise StorageInputError("invalid_committee", f"the round would not be valid: {e}",
                                problems=[str(x) for x in e.problems]) from None


def decline_proposal(db: Database, actor: Actor, round_id: int, proposal_id: str, reason: str) -> None:
    """Decline a proposal with the reason the municipality is given (required)."""
    require_facilitator(actor)
    given = _text_or_none(reason, "the reason")
    if given is None:
        raise StorageInputError("reason_missing", "declining a proposal needs the reason the municipality is given",
                                proposal=proposal_id)
    _check_text({"reason": given}, "reason")

    def change(w: _Write) -> None:
        row = _proposal_row(w, proposal_id)
        _require_open_proposal(row)
        row.status, row.reason = DECLINED, given
        _replace_proposal(w, row)
        w.validate()
        w.record("proposal.decline", proposal_id, {"status": PROPOSED}, {"status": DECLINED, "reason": given})

    _write(db, actor, round_id, change)


# ------------------------------------------------------------------------------------------------
# facilitator: checklist and screening


def set_checklist(db: Database, actor: Actor, round_id: int, checks: Sequence[Check]) -> None:
    """Replace the screening checklist (:func:`default_checklist` to start from). A check that a
    screening result names cannot be removed."""
    require_facilitator(actor)
    data: list[dict[str, str]] = []
    for c in checks:
        if _blank(c.id) or _blank(c.text):
            raise StorageInputError("id_missing" if _blank(c.id) else "text_missing", "a check needs an id and a text",
                                    check=c.id)
        if any(d["id"] == c.id for d in data):
            raise StorageInputError("duplicate_check", f"check {c.id!r} is given twice", check=c.id)
        record = rounds._drop_none({"id": c.id, "text": c.text.strip(), "text_en": _text_or_none(c.text_en, "text_en")})
        _check_text(record, f"checklist[{len(data)}]")
        data.append(record)

    def change(w: _Write) -> None:
        ids = {d["id"] for d in data}
        for result in w.committee.screening:
            if gone := [f for f in result.failed if f not in ids]:
                raise StorageInputError("check_in_use", f"the screening of {result.object!r} names check "
                                        f"{gone[0]!r}", check=gone[0], object=result.object)
        w.replace_list("checklist", data, "committee.checklist")

    _write(db, actor, round_id, change)


def screen(db: Database, actor: Actor, round_id: int, object_id: str, outcome: str,
           failed: Sequence[str] = (), reason: str | None = None) -> None:
    """Record a candidate's screening: passed, parked (the object's status becomes "parked": listed
    apart, never ranked) or let through against the checklist. Parking and letting through need a
    reason; passing or letting through a parked object makes it a candidate again."""
    require_facilitator(actor)
    if outcome not in SCREENING_OUTCOMES:
        raise StorageInputError("bad_outcome", f"a screening outcome is one of {', '.join(SCREENING_OUTCOMES)}, "
                                f"not {outcome!r}", outcome=str(outcome))
    reason = _text_or_none(reason, "the reason")
    if outcome in (PARKED, LET_THROUGH) and reason is None:
        raise StorageInputError("reason_missing", f"an object {'parked' if outcome == PARKED else 'let through'} "
                                "needs a reason", object=object_id, outcome=outcome)
    failed = list(dict.fromkeys(failed))

    def change(w: _Write) -> None:
        status = w.statuses.get(object_id)
        if status is None:
            raise StorageInputError("unknown_object", f"there is no object {object_id!r} in this round",
                                    object=object_id)
        if status not in (CANDIDATE, PARKED_STATUS):
            raise StorageInputError("not_candidate", f"object {object_id!r} is {status}, not a candidate; it is "
                                    "not screened", object=object_id, status=status)
        checks = {c.id for c in w.committee.checklist}
        if unknown := [f for f in failed if f not in checks]:
            raise StorageInputError("unknown_check", f"{unknown[0]!r} is not on the checklist", check=unknown[0])
        if outcome == PARKED and (given := sorted({a.municipality for a in w.committee.allocations
                                                   if a.object == object_id})):
            raise StorageInputError("object_has_points", f"municipalities gave {object_id!r} points "
                                    f"({', '.join(given)}); points go to candidates only, so it cannot be parked "
                                    "while they stand", object=object_id, municipalities=given)
        record = rounds._drop_none({"object": object_id, "outcome": outcome, "failed": failed or None,
                                    "reason": reason})
        _check_text(record, "screening")
        results = w.section.get("screening", [])
        old = next((x for x in results if x["object"] == object_id), None)
        w.section["screening"] = ([record if x["object"] == object_id else x for x in results] if old is not None
                                  else [*results, record])
        new_status = PARKED_STATUS if outcome == PARKED else CANDIDATE
        w.statuses[object_id] = new_status
        w.validate()
        if new_status != status:
            doc = rounds._document(w.s, w.r, with_scores=False)
            doc["objects"] = [{**o, "status": new_status} if o["id"] == object_id else o for o in doc["objects"]]
            doc["committee"] = w.section
            _validate_project(doc)
            row = w.s.scalars(select(ObjectRow).where(ObjectRow.round_id == w.r.id, ObjectRow.key == object_id)).one()
            row.data = {**row.data, "status": new_status}
            w.r.row_version += 1
        w.save_round_part()
        w.record("screening.set", object_id, old, record)

    _write(db, actor, round_id, change)


# ------------------------------------------------------------------------------------------------
# facilitator: drafts and the decision


def _version(w: _Write, version_id: int) -> Version:
    from prioritization.storage.versions import BROKEN, _check  # versions imports rounds, as this does

    v = w.s.get(Version, version_id)
    if v is None or v.round_id != w.r.id:
        raise StorageInputError("unknown_version", f"there is no version {version_id} in this round",
                                version=version_id)
    if _check(w.s, v) == BROKEN:
        raise StorageInputError("version_corrupt", f"version {version_id} is not what was frozen",
                                version=version_id)
    return v


def send_draft(db: Database, actor: Actor, round_id: int, version_id: int, reply_by: date, *, now: datetime | None = None) -> None:
    """Send a frozen version of this round out as the draft list (remissversion), with the date by
    which the municipalities reply. A draft still out is closed: one draft is out at a time."""
    require_facilitator(actor)
    if not isinstance(reply_by, date) or isinstance(reply_by, datetime):
        raise StorageInputError("bad_date", f"the reply date must be a calendar date, got {reply_by!r}")

    def change(w: _Write) -> None:
        w.require_not_decided()
        v = _version(w, version_id)
        drafts = [dict(d) for d in w.section.get("drafts", [])]
        if any(d["version"] == v.sha256 for d in drafts):
            raise StorageInputError("draft_already_sent", f"version {v.name!r} was already sent out as a draft",
                                    version=v.name)
        at = rounds._time(now or utcnow())
        closed = []
        for d in drafts:
            if d.get("closed_at") is None:
                d["closed_at"] = at
                closed.append(d["version_name"])
        new = {"version": v.sha256, "version_name": v.name, "sent_at": at, "reply_by": reply_by.isoformat()}
        w.section["drafts"] = [*drafts, new]
        w.validate()
        w.save_round_part()
        for name in closed:
            w.record("draft.close", name)
        w.record("draft.send", v.name, None, new)

    _write(db, actor, round_id, change)


def close_draft(db: Database, actor: Actor, round_id: int, version_sha: str, *, now: datetime | None = None) -> None:
    """Stop taking replies to a draft (by its version's SHA-256)."""
    require_facilitator(actor)

    def change(w: _Write) -> None:
        drafts = [dict(d) for d in w.section.get("drafts", [])]
        d = next((d for d in drafts if d["version"] == version_sha), None)
        if d is None:
            raise StorageInputError("unknown_draft", "no draft of this version was sent out", version=version_sha)
        if d.get("closed_at") is not None:
            raise StorageInputError("not_out_for_reply", f"the draft {d['version_name']!r} is already closed",
                                    version=d["version_name"])
        d["closed_at"] = rounds._time(now or utcnow())
        w.section["drafts"] = drafts
        w.validate()
        w.save_round_part()
        w.record("draft.close", d["version_name"])

    _write(db, actor, round_id, change)


def _decision_ref(ref: DecisionRef | None) -> DecisionRef:
    if ref is None or _blank(ref.reference):
        raise StorageInputError("reference_missing", "a decision needs its protocol reference (§)")
    if _blank(ref.body):
        raise StorageInputError("body_missing", "a decision needs the body that decided")
    if not isinstance(ref.date, date) or isinstance(ref.date, datetime):
        raise StorageInputError("bad_date", f"a decision's date must be a calendar date, got {ref.date!r}")
    out = DecisionRef(ref.body.strip(), ref.date, ref.reference.strip())
    _check_text({"body": out.body, "reference": out.reference}, "decision")
    return out


def record_decision(db: Database, actor: Actor, round_id: int, version_id: int, ref: DecisionRef,
                    order: Sequence[tuple[str, int, str | None, str | None]], *, now: datetime | None = None) -> None:
    """Record the committee's decision on a frozen version of this round: the decision's reference
    (body, date, protocol §; required) and the decided list as ``(object id, rank, tier, reason)``.

    The model's ranks and tiers are computed here from the version's own project
    (:func:`prioritization.committee.ranking.model_list`), never taken from the caller. The decided
    list holds exactly the version's ranked candidates, and every departure from the model (a move
    up or down, another tier; ``committee.decision.moves``) has a reason."""
    require_facilitator(actor)
    ref = _decision_ref(ref)

    def change(w: _Write) -> None:
        w.require_not_decided()
        v = _version(w, version_id)
        project = projectfile.loads(v.project_json, require_complete=False, check_text=False)
        try:
            model = {oid: (rank, tier) for oid, rank, tier in model_list(project)}
        except InputError as e:
            raise StorageInputError("not_rankable", f"version {v.name!r} cannot be ranked: {e}",
                                    version=v.name) from None
        labels = set(project.tiers.labels) if project.tiers else set()
        entries: list[DecidedEntry] = []
        for item in order:
            oid, rank, tier, reason = item
            if oid not in model:
                raise StorageInputError("unknown_object", f"{oid!r} is not a ranked candidate of version {v.name!r}",
                                        object=oid)
            if any(e.object == oid for e in entries):
                raise StorageInputError("duplicate_object", f"{oid!r} is in the decided list twice", object=oid)
            if isinstance(rank, bool) or not isinstance(rank, int | float) or not math.isfinite(rank) \
                    or rank != int(rank) or rank < 1:
                raise StorageInputError("bad_rank", f"the rank of {oid!r} must be a whole number from 1, got "
                                        f"{rank!r}", object=oid, rank=str(rank))
            if tier is not None and tier not in labels:
                raise StorageInputError("unknown_tier", f"{tier!r} is not a tier of version {v.name!r}",
                                        object=oid, tier=str(tier))
            model_rank, model_tier = model[oid]
            entries.append(DecidedEntry(oid, model_rank, int(rank), model_tier, tier,
                                        _text_or_none(reason, "the reason")))
        if missing := [oid for oid in model if all(e.object != oid for e in entries)]:
            raise StorageInputError("order_incomplete", f"the decided list lacks {', '.join(missing)}",
                                    missing=missing)
        if lacking := decision_rules.missing_reasons(entries):
            raise StorageInputError("reason_missing", "every departure from the model's list needs a reason: "
                                    f"{', '.join(lacking)}", objects=lacking)
        position = {e.object: i for i, e in enumerate(entries)}
        entries.sort(key=lambda e: (e.rank, position[e.object]))
        decided = Decision(v.sha256, v.name, ref, tuple(entries), now or utcnow())
        data = committee_format.WRITERS["decision"](Committee(decision=decided))
        _check_text({"order": data["order"]}, "decision")
        w.section["decision"] = data
        w.validate()
        w.save_round_part()
        w.record("decision.record", v.name, None, data)

    _write(db, actor, round_id, change)


# ------------------------------------------------------------------------------------------------
# municipalities: points, proposals, wishes (while the window is open), stances


def set_allocations(db: Database, actor: Actor, round_id: int, municipality: str,
                    allocations: Sequence[Allocation]) -> None:
    """Replace the municipality's whole allocation of local input points (0 points: none on that
    object). Whole points ≥ 0, at most the cap on one object and the budget in all, on candidates."""
    require_municipality(actor, round_id, municipality)

    def change(w: _Write) -> None:
        w.require_member(municipality)
        w.require_window_open()
        points = w.committee.points
        if points is None:
            raise StorageInputError("points_off", "this round has no local input points")
        records: list[dict[str, Any]] = []
        seen: set[str] = set()
        for a in allocations:
            if a.municipality != municipality:
                raise AccessDenied("other_municipality", "a municipality gives only its own points")
            n = _whole(a.points, f"the points on {a.object}")
            if n < 0:
                raise StorageInputError("negative_points", f"points cannot be negative ({n} on {a.object})",
                                        object=a.object, points=n)
            status = w.statuses.get(a.object)
            if status is None:
                raise StorageInputError("unknown_object", f"there is no object {a.object!r} in this round",
                                        object=a.object)
            if status != CANDIDATE:
                raise StorageInputError("not_candidate", f"object {a.object!r} is {status}; points go to candidates",
                                        object=a.object, status=status)
            if a.object in seen:
                raise StorageInputError("duplicate_object", f"{a.object!r} is given points twice", object=a.object)
            seen.add(a.object)
            if n > points.cap:
                raise StorageInputError("over_cap", f"{n} points on {a.object} is over the cap of {points.cap}",
                                        object=a.object, points=n, cap=points.cap)
            if n:
                record = rounds._drop_none({"municipality": municipality, "object": a.object, "points": n,
                                            "rationale": _text_or_none(a.rationale, "the rationale")})
                _check_text(record, f"allocations[{len(records)}]")
                records.append(record)
        total = sum(r["points"] for r in records)
        if total > points.budget:
            raise StorageInputError("over_budget", f"{total} points in all is over the budget of {points.budget}",
                                    total=total, budget=points.budget)
        old = [a for a in w.section.get("allocations", []) if a["municipality"] == municipality]
        w.section["allocations"] = [a for a in w.section.get("allocations", [])
                                    if a["municipality"] != municipality] + records
        w.validate()
        w.s.execute(delete(AllocationRow).where(AllocationRow.round_id == w.r.id,
                                                AllocationRow.municipality == municipality))
        now = utcnow()
        for rec in records:
            w.s.add(AllocationRow(round_id=w.r.id, municipality=municipality, object=rec["object"],
                                  points=rec["points"], rationale=rec.get("rationale"), updated_at=now))
        w.record("allocations.set", municipality, old, records)

    _write(db, actor, round_id, change)


def _proposal_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    if unknown := sorted(set(fields) - set(PROPOSAL_FIELDS)):
        raise StorageInputError("unknown_field", f"a proposal has no field {unknown[0]!r} (fields: "
                                f"{', '.join(PROPOSAL_FIELDS)})", field=unknown[0])
    data: dict[str, Any] = {}
    for key in ("name", "need", "location", "mode"):
        data[key] = _text_or_none(fields.get(key), key)
    for key in ("name", "need"):
        if data[key] is None:
            raise StorageInputError(f"{key}_missing", f"a proposal needs a {key}")
    cost = fields.get("cost")
    if cost is not None:
        if isinstance(cost, bool) or not isinstance(cost, int | float) or not math.isfinite(cost) or cost < 0:
            raise StorageInputError("bad_cost", f"the rough cost must be a number of MSEK from 0, got {cost!r}",
                                    cost=str(cost))
        data["cost"] = int(cost) if float(cost).is_integer() else float(cost)
    channel = fields.get("plan_channel") or "unknown"
    if channel not in PLAN_CHANNELS:
        raise StorageInputError("bad_plan_channel", f"a plan channel is one of {', '.join(PLAN_CHANNELS)}, not "
                                f"{channel!r}", plan_channel=str(channel))
    data["plan_channel"] = channel
    links = fields.get("links") or []
    if isinstance(links, str) or not all(is_web_address(x) for x in links):
        raise StorageInputError("bad_link", "links are web addresses (http:// or https://)")
    data["links"] = [x.strip() for x in links]
    data = {k: v for k, v in data.items() if v not in (None, [])}
    _check_text(data, "proposal")
    return data


def proposal_key(municipality: str, n: int) -> str:
    """A proposal's id: "F-" (förslag), the municipality and its own running number, e.g.
    "F-huddinge-1". Numbered per municipality, so the id a municipality's proposal gets says nothing
    about what the others have proposed while the window is open."""
    return f"F-{municipality}-{n}"


def propose(db: Database, actor: Actor, round_id: int, municipality: str, fields: Mapping[str, Any]) -> str:
    """A municipality proposes a new candidate object (fields: name and need required; location,
    mode, cost in MSEK, plan_channel, links). Returns the proposal's id (:func:`proposal_key`)."""
    require_municipality(actor, round_id, municipality)

    def change(w: _Write) -> str:
        w.require_member(municipality)
        w.require_window_open()
        data = _proposal_fields(fields)
        # numbers are never given twice: those of withdrawn proposals are in the audit log
        keys = [*w.s.scalars(select(ProposalRow.key).where(ProposalRow.round_id == w.r.id,
                                                            ProposalRow.municipality == municipality)),
                *w.s.scalars(select(AuditEntry.target).where(AuditEntry.round_id == w.r.id,
                                                             AuditEntry.action == "proposal.submit"))]
        mine = re.compile(re.escape(proposal_key(municipality, 0))[:-1] + r"(\d+)")
        numbers = [int(m.group(1)) for k in keys if k and (m := mine.fullmatch(k))]
        key = proposal_key(municipality, max(numbers, default=0) + 1)
        row = ProposalRow(round_id=w.r.id, key=key, municipality=municipality, data=data, status=PROPOSED,
                          submitted_at=utcnow())
        w.section["proposals"] = [*w.section.get("proposals", []), rounds.proposal_data(row)]
        w.validate()
        w.s.add(row)
        w.record("proposal.submit", key, None, {"municipality": municipality, **data})
        return key

    return _write(db, actor, round_id, change)


def withdraw_proposal(db: Database, actor: Actor, round_id: int, proposal_id: str) -> None:
    """A municipality withdraws its own proposal while it is still "proposed" and the window open."""
    if actor.role != MUNICIPALITY:
        raise AccessDenied("municipality_only", "only the proposing municipality's representative may withdraw it")
    require_round(actor, round_id)

    def change(w: _Write) -> None:
        row = _proposal_row(w, proposal_id)
        if row.municipality != actor.municipality:  # answered as for an id that does not exist: another
            # municipality's proposal must not be told apart from none before the window closes
            raise StorageInputError("unknown_proposal", f"there is no proposal {proposal_id!r}",
                                    proposal=proposal_id)
        w.require_window_open()
        _require_open_proposal(row)
        w.section["proposals"] = [p for p in w.section.get("proposals", []) if p["id"] != proposal_id]
        w.validate()
        old = rounds.proposal_data(row)
        w.s.delete(row)
        w.record("proposal.withdraw", proposal_id, old, None)

    _write(db, actor, round_id, change)


def set_wish(db: Database, actor: Actor, round_id: int, municipality: str, object_id: str, text: str | None) -> None:
    """A municipality's wish or comment on an object of the round (None or blank removes it)."""
    require_municipality(actor, round_id, municipality)
    text = _text_or_none(text, "the wish")

    def change(w: _Write) -> None:
        w.require_member(municipality)
        w.require_window_open()
        if object_id not in w.statuses:
            raise StorageInputError("unknown_object", f"there is no object {object_id!r} in this round",
                                    object=object_id)
        record = None if text is None else {"municipality": municipality, "object": object_id, "text": text}
        if record is not None:
            _check_text(record, "wish")
        wishes = w.section.get("wishes", [])
        old = next((x for x in wishes if x["municipality"] == municipality and x["object"] == object_id), None)
        if old == record:
            return
        kept = [x for x in wishes if x is not old]
        w.section["wishes"] = kept + ([record] if record is not None else [])
        w.validate()
        row = w.s.scalar(select(WishRow).where(WishRow.round_id == w.r.id, WishRow.municipality == municipality,
                                               WishRow.object == object_id))
        if text is None:
            w.s.delete(row)
        elif row is None:
            w.s.add(WishRow(round_id=w.r.id, municipality=municipality, object=object_id, text=text))
        else:
            row.text = text
        w.record("wish.set", f"{municipality}/{object_id}", old, record)

    _write(db, actor, round_id, change)


def record_stance(db: Database, actor: Actor, round_id: int, municipality: str, version_sha: str, stance: str,
                  comment: str | None = None, object_comments: Mapping[str, str] | None = None,
                  decision: DecisionRef | None = None, *, now: datetime | None = None) -> None:
    """A municipality's reply to the draft out for reply (by the version's SHA-256): its stance
    (support, support_with_comments, oppose), a comment, comments per object and the reference of
    its own decision. Replaces its earlier stance on that version. The municipality's
    representative, or the facilitator on its behalf; refused once the draft is closed or the
    committee's decision recorded."""
    require_municipality(actor, round_id, municipality, or_facilitator=True)
    if stance not in STANCES:
        raise StorageInputError("bad_stance", f"a stance is one of {', '.join(STANCES)}, not {stance!r}",
                                stance=str(stance))
    comment = _text_or_none(comment, "the comment")
    comments = {k: t for k, v in (object_comments or {}).items() if (t := _text_or_none(v, "a comment"))}
    ref = None if decision is None else _decision_ref(decision)

    def change(w: _Write) -> None:
        w.require_member(municipality)
        draft = next((d for d in w.committee.drafts if d.version == version_sha), None)
        if draft is None or not draft.is_out or w.committee.decision is not None:
            raise StorageInputError("not_out_for_reply", "this version is not out for reply",
                                    version=draft.version_name if draft is not None else version_sha)
        if unknown := [k for k in comments if k not in w.statuses]:
            raise StorageInputError("unknown_object", f"there is no object {unknown[0]!r} in this round",
                                    object=unknown[0])
        ref_data = None if ref is None else {"body": ref.body, "date": ref.date.isoformat(),
                                             "reference": ref.reference}
        at = now or utcnow()
        record = rounds._drop_none({"municipality": municipality, "version": version_sha, "stance": stance,
                                    "comment": comment, "object_comments": comments or None, "decision": ref_data,
                                    "replied_at": rounds._time(at)})
        _check_text(record, "stance")
        stances = w.section.get("stances", [])
        old = next((x for x in stances if x["municipality"] == municipality and x["version"] == version_sha), None)
        w.section["stances"] = [x for x in stances if x is not old] + [record]
        w.validate()
        row = w.s.scalar(select(StanceRow).where(StanceRow.round_id == w.r.id, StanceRow.municipality == municipality,
                                                 StanceRow.version == version_sha))
        if row is None:
            row = StanceRow(round_id=w.r.id, municipality=municipality, version=version_sha)
            w.s.add(row)
        row.stance, row.comment, row.object_comments, row.decision, row.replied_at = (
            stance, comment, comments or None, ref_data, at)
        w.record("stance.record", f"{municipality}/{draft.version_name}", old, record)

    _write(db, actor, round_id, change)
