"""Storage of an object's place in the plan process (issue 14): the object's ``plan`` key, written
one object at a time by the object editor's "Planuppgifter" section.

The rules are those of every set-up write (:func:`prioritization.storage.rounds.replace_setup`):
only the facilitator writes, the browser session must still be live, the round's ``row_version``
must be the one the page read (else :class:`StaleWrite`), and the whole round is read back with the
project file reader (:func:`prioritization.projectfile.parse`) with the new plan in place before
anything is written, so an unknown phase, a dependency on a missing object or a cycle, a cost range
with low > high, a price level in the future or a cost outside its range is a ``ProjectFileError``
naming every problem (paths like ``objects[3].plan.cost.low``) and nothing changes. The write and
its audit entry ("object.plan", old and new plan) are one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from prioritization import projectfile
from prioritization.planning import fileformat as plan_format
from prioritization.planning.model import PlanData, Verified
from prioritization.storage import audit, rounds
from prioritization.storage.access import Actor, require_facilitator
from prioritization.storage.errors import StaleWrite, StorageInputError
from prioritization.storage.schema import Object
from prioritization.storage.sessions import require_live

if TYPE_CHECKING:
    from prioritization.storage.database import Database


def object_plan(db: Database, actor: Actor, round_id: int, object_id: str) -> tuple[PlanData, int]:
    """The object's plan (an older stored free-text ``planning_status`` already moved into the
    stage note) and the round's row version it was read at (anyone with access to the round)."""
    project = rounds.setup_project(db, actor, round_id)
    info = rounds.round_info(db, actor, round_id)
    found = next((o for o in project.objects if o.id == object_id), None)
    if found is None:
        raise StorageInputError("no_such_object", f"there is no object {object_id!r} in this round",
                                object=object_id)
    return found.plan, info["row_version"]


def _as_data(plan: PlanData | Mapping[str, Any] | None) -> Any:
    if plan is None:
        return {}
    if isinstance(plan, PlanData):
        return plan_format.to_data(plan)
    return dict(plan) if isinstance(plan, Mapping) else plan  # anything else: the reader names it


def set_object_plan(db: Database, actor: Actor, round_id: int, object_id: str,
                    plan: PlanData | Mapping[str, Any] | None, expected_row_version: int) -> int:
    """Replace the ``plan`` of one object (a :class:`PlanData`, or format-v1 ``plan`` data such as
    a form builds; None or empty removes it). Its closed re-evaluations (``reviews``) are kept as
    stored, whatever ``plan`` says: only :func:`prioritization.storage.reviews.close_flag` records
    them. The object's other values are kept as stored; an
    older free-text ``planning_status`` is moved into the stage note on the way
    (:func:`prioritization.planning.fileformat.upgrade_object`), so nothing written is lost.

    Raises ``ProjectFileError`` listing every problem of the round with the new plan,
    :class:`StaleWrite` if the set-up changed since ``expected_row_version``, ``AccessDenied`` for
    anyone but the facilitator or an ended session. Returns the new row version (the same one if
    the plan did not change)."""
    require_facilitator(actor)
    data = _as_data(plan)
    with db.session() as s:
        require_live(s, actor)
        r = rounds.get_round(s, round_id, for_update=True)
        if r.row_version != expected_row_version:
            raise StaleWrite("the round set-up")
        row = s.scalar(select(Object).where(Object.round_id == r.id, Object.key == object_id))
        if row is None:
            raise StorageInputError("no_such_object", f"there is no object {object_id!r} in this round",
                                    object=object_id)
        doc = rounds._document(s, r, with_scores=False)
        position = next(i for i, o in enumerate(doc["objects"]) if o.get("id") == object_id)
        before = projectfile.parse(doc, require_complete=False, check_text=False)  # as stored
        old = before.objects[position].plan
        stored = plan_format.upgrade_object(doc["objects"][position])
        stored.pop("plan", None)
        # closed re-evaluations are recorded by storage.reviews.close_flag only: kept as stored,
        # whatever the caller hands in (a form could otherwise erase or invent one)
        data = {k: v for k, v in data.items() if k != "reviews"}
        if old.reviews:
            data["reviews"] = plan_format.to_data(old)["reviews"]
        if data != {}:
            stored["plan"] = data
        doc["objects"][position] = stored
        after = projectfile.parse(doc, require_complete=False)  # raises ProjectFileError listing every problem
        new = after.objects[position].plan
        if new == old and stored == row.data:
            return r.row_version
        if new.is_empty:
            stored.pop("plan", None)
        else:
            stored["plan"] = plan_format.to_data(new)  # canonical: the key order and numbers the file writes
        row.data = stored
        r.row_version += 1
        audit.record(s, actor, r.id, "object.plan", object_id, plan_format.to_data(old), plan_format.to_data(new))
        return r.row_version


def set_verified(db: Database, actor: Actor, round_id: int, object_id: str, when: date, by: str,
                 expected_row_version: int) -> int:
    """Record that the object's plan facts were checked on ``when`` by ``by`` (the rest of the plan
    as stored). Returns the new row version."""
    if not isinstance(by, str) or not by.strip():
        raise StorageInputError("verified_needs_name", "say who checked the facts")
    plan, _ = object_plan(db, actor, round_id, object_id)
    return set_object_plan(db, actor, round_id, object_id, replace(plan, verified=Verified(when, by.strip())),
                           expected_row_version)
