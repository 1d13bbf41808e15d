"""Migration 0007 (issue 14): a database at 0006 whose objects hold a free-text ``planning_status``
upgrades with the text, word for word, in ``plan.stage_note`` and nothing else changed; a version
frozen before keeps its stored text and still verifies; the downgrade moves the text back. Runs on
SQLite and, when reachable, PostgreSQL."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select, update

from prioritization.storage import rounds, seal, versions
from prioritization.storage.database import migrate
from prioritization.storage.schema import AuditEntry, Object, Version

LEGACY = "Vägplan laga kraft jan 2024;\n  upphandling 2023–2025 "  # kept exactly, spaces and all



def _objects(db) -> dict[str, dict]:
    with db.reader() as s:
        return {o.key: o.data for o in s.scalars(select(Object).order_by(Object.id))}


def _frozen(db) -> list[tuple]:
    with db.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(Version.project_json, Version.sha256, Version.seal))]


def _set_data(db, key: str, data: dict) -> None:
    with db.engine.begin() as conn:
        conn.execute(update(Object).where(Object.key == key).values(data=data))


def _frozen_before_issue_14(db, fac, round_id: int) -> int:
    """A version frozen by an app before issue 14: its text holds the free-text planning_status (as
    that app wrote it), with its digest in the audit log and its seal, as freezing made them."""
    info = versions.freeze(db, fac, round_id, "Underlag före issue 14")
    with db.session() as s:
        v = s.get(Version, info.id)
        doc = json.loads(v.project_json)
        first = doc["objects"][0]
        first.pop("plan", None)
        first["planning_status"] = LEGACY
        v.project_json = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
        v.sha256 = hashlib.sha256(v.project_json.encode("utf-8")).hexdigest()
        v.seal = seal.make(seal.message(v.id, v.round_id, v.name, v.created_by, v.created_at, v.sha256))
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "version.freeze",
                                                   AuditEntry.new_value == info.sha256)).one()
        entry.new_value = v.sha256
    return info.id


def test_0007_moves_planning_status_into_the_stage_note_and_leaves_frozen_versions_alone(db, fac, round_id):
    version_id = _frozen_before_issue_14(db, fac, round_id)
    migrate(db.engine, "0006", down=True)  # the database as the app before issue 14 left it
    stored = _objects(db)
    o1 = {**stored["O1"], "planning_status": LEGACY}
    o2 = {**stored["O2"], "planning_status": "ÅVS klar", "plan": {"stage": "avs", "stage_note": "Från 2021"}}
    o3 = {**stored["O3"], "planning_status": ""}
    for key, data in (("O1", o1), ("O2", o2), ("O3", o3)):
        _set_data(db, key, data)
    frozen_before = _frozen(db)

    migrate(db.engine, "head")

    after = _objects(db)
    assert after["O1"] == {**{k: v for k, v in o1.items() if k != "planning_status"},
                           "plan": {"stage_note": LEGACY}}
    assert after["O2"] == {**{k: v for k, v in o2.items() if k != "planning_status"},
                           "plan": {"stage": "avs", "stage_note": "Från 2021\nÅVS klar"}}  # the note kept
    assert after["O3"] == {k: v for k, v in o3.items() if k != "planning_status"}
    assert after["O4"] == stored["O4"]  # nothing to move: untouched
    project = rounds.export_project(db, fac, round_id)
    assert project.objects[0].plan.stage_note == LEGACY and "planning_status" not in project.objects[0].attributes
    # the frozen version: byte for byte as frozen, and it still verifies
    assert _frozen(db) == frozen_before
    [info] = versions.list_versions(db, fac, round_id, checked=True)
    assert info.check == versions.SEALED
    assert '"planning_status": "Vägplan laga kraft' in versions.stored_text(db, fac, version_id)
    assert versions.load(db, fac, version_id).objects[0].plan.stage_note == LEGACY  # read as upgraded

    migrate(db.engine, "head")  # again: nothing more moves
    assert _objects(db) == after


def test_0007_downgrade_moves_a_bare_note_back_and_keeps_richer_plan_data(db, fac, round_id):
    migrate(db.engine, "0006", down=True)
    stored = _objects(db)
    _set_data(db, "O1", {**stored["O1"], "planning_status": LEGACY})
    migrate(db.engine, "head")
    rich = {**stored["O2"], "plan": {"stage": "avs", "stage_note": "ÅVS 2021"}}
    _set_data(db, "O2", rich)

    migrate(db.engine, "0006", down=True)

    back = _objects(db)
    assert back["O1"] == {**stored["O1"], "planning_status": LEGACY} and "plan" not in back["O1"]
    assert back["O2"] == rich  # more than a note: left as it is
    assert back["O3"] == stored["O3"] and back["O4"] == stored["O4"]
    migrate(db.engine, "head")
    assert _objects(db)["O1"]["plan"] == {"stage_note": LEGACY}
