"""Storage of an object's plan (issue 14): every field of PlanData through the database and back,
refusals that name the problem and change nothing, the facilitator-only, session- and
version-checked audited write, and two editors at once (one gets StaleWrite). SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from prioritization import projectfile
from prioritization.errors import ProjectFileError
from prioritization.planning import fileformat as plan_format
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
from prioritization.storage import audit, rounds, sessions
from prioritization.storage import planning as store
from prioritization.storage.access import AccessDenied
from prioritization.storage.errors import StaleWrite, StorageInputError
from prioritization.storage.schema import Object
from tests.storage.conftest import participant, viewer

FULL = PlanData(
    refs=(PlanRef("NP", "2026–2037", "VST005", "ongoing", 15800.5, True, "https://example.org/bilaga1"),
          PlanRef("LP", "2022–2033", None, "named", None, False, None)),
    stage="legally_binding",
    stage_note="Vägplan laga kraft jan 2024",
    avs=Avs("done", "TRV 2020:115", 2020, (2, 4), "Bygg nytt med etapper", "https://example.org/avs"),
    seb=Seb(0.4, -1200.25, "ASEK 7.0", "2017-06", date(2021, 3, 1), "Bättre trafiksäkerhet", "https://example.org/seb"),
    evidence="plan",
    cost=CostRange(1000, 1500, "2023", "successive", "Trafikverket 2024"),
    financing=(Financing("state", "agreement", 1100.0, "Avtal 2019"),
               Financing("municipality:Huddinge", "letter_of_intent", 45.0, None),
               Financing("congestion_charge", "idea")),
    requires=("O2",),
    excludes=("O3",),
    package="Paket syd",
    links=(Link("trv_project", "https://example.org/p", "Projektsidan"), Link("news", "https://example.org/n")),
    verified=Verified(date(2026, 11, 30), "Anna Planerare"),
    reviews=(Review("a" * 64, ("cost",), "keep", "Kostnaden är rimlig", date(2026, 10, 1), "Facilitator"),),
)


def version(db, fac, rid) -> int:
    return rounds.round_info(db, fac, rid)["row_version"]


def stored_object(db, rid, oid) -> dict:
    with db.reader() as s:
        return s.scalar(select(Object).where(Object.round_id == rid, Object.key == oid)).data


EDITABLE = replace(FULL, reviews=())  # closed re-evaluations are recorded by reviews.close_flag only


def test_every_field_round_trips_through_the_database(db, fac, round_id):
    v = version(db, fac, round_id)
    assert store.set_object_plan(db, fac, round_id, "O1", FULL, v) == v + 1
    plan, read_at = store.object_plan(db, fac, round_id, "O1")
    assert plan == EDITABLE and read_at == v + 1  # the caller's made-up review is not written
    project = rounds.export_project(db, fac, round_id)
    assert project.object("O1").plan == EDITABLE
    # stored in the file's canonical form, the rest of the object untouched
    data = stored_object(db, round_id, "O1")
    assert data["plan"] == plan_format.to_data(EDITABLE) and data["cost"] == 1200
    # and back out through the project file and in again
    again = projectfile.loads(projectfile.dumps(project), require_complete=False)
    assert again.object("O1").plan == EDITABLE
    entry = audit.entries(db, fac, round_id, limit=1)[0]
    assert (entry.action, entry.target) == ("object.plan", "O1")
    assert entry.old_value == "{}" and '"VST005"' in entry.new_value


def test_a_project_file_brings_every_field_with_its_reviews_into_the_database(db, fac, round_id):
    project = rounds.export_project(db, fac, round_id)
    o1 = replace(project.object("O1"), plan=FULL)
    imported = replace(project, objects=tuple(o1 if o.id == "O1" else o for o in project.objects))
    new_round = rounds.import_project(db, fac, imported)
    assert rounds.export_project(db, fac, new_round).object("O1").plan == FULL


def test_a_mapping_is_accepted_and_an_empty_plan_removes_it(db, fac, round_id):
    v = version(db, fac, round_id)
    v = store.set_object_plan(db, fac, round_id, "O2", {"stage": "avs", "evidence": "avs"}, v)
    assert store.object_plan(db, fac, round_id, "O2")[0] == PlanData(stage="avs", evidence="avs")
    assert store.set_object_plan(db, fac, round_id, "O2", {"stage": "avs", "evidence": "avs"}, v) == v  # no change
    v = store.set_object_plan(db, fac, round_id, "O2", None, v)
    assert "plan" not in stored_object(db, round_id, "O2")
    assert store.object_plan(db, fac, round_id, "O2")[0].is_empty


@pytest.mark.parametrize(("plan", "path", "words"), [
    ({"refs": [{"plan": "NP", "period": "2026–2037", "phase": "paused"}]}, "objects[0].plan.refs[0].phase",
     "expected one of"),
    ({"requires": ["NOPE"]}, "objects[0].plan.requires", 'unknown object "NOPE"'),
    ({"cost": {"low": 1500, "high": 1400}}, "objects[0].plan.cost.low", "above the high estimate"),
    ({"seb": {"price_level": "2999"}}, "objects[0].plan.seb.price_level", "in the future"),
    ({"cost": {"low": 1300, "high": 1400}}, "objects[0].plan.cost", "outside its range"),  # O1 costs 1200
    ({"stage": "done"}, "objects[0].plan.stage", "expected one of"),
])
def test_bad_plans_are_refused_with_their_problem_and_nothing_changes(db, fac, round_id, plan, path, words):
    v = version(db, fac, round_id)
    before = stored_object(db, round_id, "O1")
    with pytest.raises(ProjectFileError) as e:
        store.set_object_plan(db, fac, round_id, "O1", plan, v)
    assert any(p.path == path and words in p.message for p in e.value.problems), e.value.problems
    assert version(db, fac, round_id) == v and stored_object(db, round_id, "O1") == before
    assert audit.entries(db, fac, round_id, limit=1)[0].action != "object.plan"


def test_a_cycle_of_requirements_is_refused(db, fac, round_id):
    v = store.set_object_plan(db, fac, round_id, "O1", {"requires": ["O2"]}, version(db, fac, round_id))
    v = store.set_object_plan(db, fac, round_id, "O2", {"requires": ["O3"]}, v)
    with pytest.raises(ProjectFileError) as e:
        store.set_object_plan(db, fac, round_id, "O3", {"requires": ["O1"]}, v)
    assert any("in a circle" in p.message and "O1 → O2 → O3 → O1" in p.message for p in e.value.problems)
    assert store.object_plan(db, fac, round_id, "O3")[0].is_empty and version(db, fac, round_id) == v


def test_an_older_free_text_planning_status_moves_into_the_note(db, fac, round_id):
    with db.session() as s:  # a row written before issue 14
        row = s.scalar(select(Object).where(Object.round_id == round_id, Object.key == "O4"))
        row.data = {**row.data, "planning_status": "ÅVS klar 2021"}
    assert store.object_plan(db, fac, round_id, "O4")[0].stage_note == "ÅVS klar 2021"
    store.set_object_plan(db, fac, round_id, "O4", {"stage": "avs", "stage_note": "ÅVS klar 2021"},
                          version(db, fac, round_id))
    data = stored_object(db, round_id, "O4")
    assert "planning_status" not in data and data["plan"] == {"stage": "avs", "stage_note": "ÅVS klar 2021"}


def test_only_a_live_facilitator_writes_at_the_version_read(db, fac, round_id):
    v = version(db, fac, round_id)
    for actor in (participant(round_id), viewer(round_id)):
        with pytest.raises(AccessDenied):
            store.set_object_plan(db, actor, round_id, "O1", {"stage": "avs"}, v)
    with pytest.raises(StaleWrite):
        store.set_object_plan(db, fac, round_id, "O1", {"stage": "avs"}, v - 1)
    with pytest.raises(StorageInputError) as e:
        store.set_object_plan(db, fac, round_id, "NOPE", {"stage": "avs"}, v)
    assert e.value.code == "no_such_object"
    token, signed_in = sessions.sign_in_facilitator(db, "Facilitator")
    v = store.set_object_plan(db, signed_in, round_id, "O1", {"stage": "avs"}, v)
    sessions.end(db, token)
    with pytest.raises(AccessDenied) as denied:
        store.set_object_plan(db, signed_in, round_id, "O1", {"stage": "review_doc"}, v)
    assert denied.value.code == "session_ended"
    assert store.object_plan(db, fac, round_id, "O1")[0].stage == "avs"


def test_set_verified_keeps_the_rest(db, fac, round_id):
    v = store.set_object_plan(db, fac, round_id, "O1", FULL, version(db, fac, round_id))
    store.set_verified(db, fac, round_id, "O1", date(2026, 12, 1), " Bo Granskare ", v)
    plan = store.object_plan(db, fac, round_id, "O1")[0]
    assert plan.verified == Verified(date(2026, 12, 1), "Bo Granskare") and plan.refs == FULL.refs
    with pytest.raises(StorageInputError):
        store.set_verified(db, fac, round_id, "O1", date(2026, 12, 1), "  ", v + 1)


def test_two_editors_at_once_one_gets_stale_write(db, fac, round_id, monkeypatch):
    v = version(db, fac, round_id)
    real = projectfile.parse

    def slow(*a, **k):  # widen the window between the version check and the commit
        time.sleep(0.3)
        return real(*a, **k)

    monkeypatch.setattr(projectfile, "parse", slow)
    barrier = threading.Barrier(2)
    out: list = [None, None]

    def run(k, stage):
        barrier.wait()
        try:
            out[k] = store.set_object_plan(db, fac, round_id, "O1", {"stage": stage}, v)
        except Exception as e:  # noqa: BLE001 - the outcome is what is asserted
            out[k] = e

    threads = [threading.Thread(target=run, args=(k, s)) for k, s in enumerate(("avs", "review_doc"))]
    [t.start() for t in threads]
    [t.join(timeout=60) for t in threads]
    assert sorted(type(o).__name__ for o in out) == ["StaleWrite", "int"], out
    winner = 0 if isinstance(out[0], int) else 1
    monkeypatch.setattr(projectfile, "parse", real)
    assert store.object_plan(db, fac, round_id, "O1") == (PlanData(stage=("avs", "review_doc")[winner]), v + 1)
