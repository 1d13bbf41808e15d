"""Applying a plan list's change report (issue 14, "Import of a plan's object list").

:func:`apply` writes a confirmed :class:`~prioritization.planning.plan_changes.Report` in ONE audited
transaction: the plan references of the matched objects, and their follow-up. For every object
whose phase in the plan changed (added, removed, rework, another phase) the follow-up step that
corresponds to the phase (:func:`prioritization.planning.plan_changes.follow_up_step`) is recorded
on the decision's date (precision day, source = the import's source), and an object not followed up
yet starts being followed up; a record of the same step dated on or before the decision is kept
(:func:`~prioritization.planning.plan_changes.steps_to_record`). The track's history grows as with every step recorded
(:func:`prioritization.timeline.follow_up.with_history`).

Rules as everywhere in storage: only the facilitator; the round's ``row_version`` must be the one
the report was computed at (else :class:`StaleWrite` and nothing is written), and each reference
the report replaces must still be the stored one; the whole round is validated with the project
file reader before anything is written, so a report that would make the round invalid writes
nothing. Declining a report is simply not calling this.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from prioritization import i18n
from prioritization.planning import fileformat as plan_format
from prioritization.planning.model import PlanData, PlanRef
from prioritization.planning.plan_changes import Report, steps_to_record
from prioritization.storage import audit, rounds
from prioritization.storage import timeline as timeline_store
from prioritization.storage.access import Actor, require_facilitator
from prioritization.storage.errors import StaleWrite, StorageInputError
from prioritization.storage.schema import FollowUp as FollowUpRow
from prioritization.storage.schema import Object as ObjectRow
from prioritization.timeline import follow_up as follow_up_format
from prioritization.timeline.follow_up import FollowUp, FollowUpStep, with_history

if TYPE_CHECKING:
    from prioritization.storage.database import Database


def _ref_data(ref: PlanRef | None) -> dict[str, Any] | None:
    return None if ref is None else plan_format.to_data(PlanData(refs=(ref,)))["refs"][0]


def step_note(report: Report) -> str:
    """The note of a step recorded by an import: the plan and period ("NP 2026–2037")."""
    return f"{report.source.plan} {report.source.period}"


def apply(db: Database, actor: Actor, round_id: int, report: Report, expected_row_version: int) -> int:
    """Write ``report`` (see the module). Returns the new row version (the same one when the report
    changes nothing). Raises :class:`StaleWrite` if the round changed since the report was made,
    ``ProjectFileError`` naming every problem if the result would be invalid, ``AccessDenied`` for
    anyone but the facilitator or an ended session, :class:`StorageInputError`
    ``plan_decided_future`` for a decision dated after today (Stockholm); nothing is written then."""
    require_facilitator(actor)
    src = report.source
    today = datetime.now(i18n.TIME_ZONE).date()
    if not isinstance(src.decided, date) or isinstance(src.decided, datetime) or src.decided > today:
        # the steps are recorded on the decision's date: a decision not yet taken is no step reached
        raise StorageInputError("plan_decided_future", f"the plan decision's date {src.decided} is after "
                                f"today ({today.isoformat()})", decided=str(src.decided))
    with db.session() as s:
        r = timeline_store.locked_round(s, actor, round_id, expected_row_version)
        if report.is_empty:
            return r.row_version
        doc = rounds._document(s, r, with_scores=False)
        project = timeline_store.validated(doc)
        objects = {o.id: o for o in project.objects}
        writes = list(report.writes)
        for c in writes:
            if c.object_id not in objects:
                raise StorageInputError("no_such_object", f"there is no object {c.object_id!r} in this round",
                                        object=c.object_id)
            if objects[c.object_id].plan.ref(src.plan, src.period) != c.old:
                raise StaleWrite("the objects' plan references")
        plans: dict[str, PlanData] = {}
        for c in writes:
            plan = objects[c.object_id].plan
            refs = tuple(c.new if x == c.old else x for x in plan.refs) if c.old else (*plan.refs, c.new)
            plans[c.object_id] = dataclasses.replace(plan, refs=refs)
        for i, od in enumerate(doc["objects"]):
            if od["id"] in plans:
                upgraded = plan_format.upgrade_object(od)  # a legacy planning_status is already in plan.stage_note
                upgraded["plan"] = plan_format.to_data(plans[od["id"]])
                doc["objects"][i] = upgraded

        now, by = timeline_store.history_time(), timeline_store.history_author(actor)
        tracks = {f.object: f for f in project.follow_up}
        order = [f.object for f in project.follow_up]
        recorded: list[tuple[str, FollowUpStep | None, FollowUpStep]] = []
        source = src.source.strip() or None
        for oid, step_id in steps_to_record(report, project.follow_up).items():
            old = tracks.get(oid)
            step = FollowUpStep(step_id, src.decided, "day", step_note(report), source)
            current = old or FollowUp(oid)
            tracks[oid] = with_history(old, current.with_step(step), now, by)
            if old is None:
                order.append(oid)
            recorded.append((oid, current.step(step_id), step))
        doc["follow_up"] = follow_up_format.to_data([tracks[k] for k in order])
        timeline_store.validated(doc)  # the whole round, as it would be: ProjectFileError names every problem

        rows = {row.key: row for row in s.scalars(select(ObjectRow).where(ObjectRow.round_id == r.id))}
        for od in doc["objects"]:
            if od["id"] in plans:
                rows[od["id"]].data = od
        stored = {row.key: row for row in s.scalars(select(FollowUpRow).where(FollowUpRow.round_id == r.id))}
        last = s.scalar(select(func.max(FollowUpRow.position)).where(FollowUpRow.round_id == r.id))
        last = -1 if last is None else last
        for oid in dict.fromkeys(oid for oid, _old, _new in recorded):
            data = follow_up_format.to_dict(tracks[oid])
            if oid in stored:
                stored[oid].data = data
            else:
                last += 1
                s.add(FollowUpRow(round_id=r.id, key=oid, position=last, data=data))
        r.row_version += 1
        audit.record(s, actor, r.id, "plan.import", step_note(report), None,
                     {"decided": src.decided.isoformat(), "source": src.source,
                      "objects": {c.object_id: c.kind for c in writes}})
        for c in writes:
            audit.record(s, actor, r.id, "plan.ref", c.object_id, _ref_data(c.old), _ref_data(c.new))
        for oid, old_step, new_step in recorded:
            audit.record(s, actor, r.id, "followup.step", oid,
                         None if old_step is None else follow_up_format.step_to_dict(old_step),
                         follow_up_format.step_to_dict(new_step))
        return r.row_version
