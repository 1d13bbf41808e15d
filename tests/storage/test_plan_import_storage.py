"""Applying a plan list's change report (prioritization.storage.plan_import) on SQLite and
PostgreSQL: the plan references and the follow-up written whole in one audited transaction; a stale
row version, another role or an invalid result writes nothing."""

import dataclasses
from datetime import date

import pytest

from prioritization.errors import ProjectFileError
from prioritization.planning import plan_changes as pc
from prioritization.planning.model import PlanRef
from prioritization.storage import audit, plan_import, rounds
from prioritization.storage import timeline as store
from prioritization.storage.access import AccessDenied
from prioritization.storage.errors import StaleWrite
from tests.storage.conftest import participant, viewer

NP, PERIOD = "NP", "2026–2037"
SRC = pc.ImportSource(NP, PERIOD, date(2026, 4, 28), "https://example.org/bilaga1.xlsx")


@pytest.fixture
def prepared(db, fac, round_id):
    """The small round with plan references on O1 (NP, start 1–3), O2 (LP only) and O4 (NP, named,
    followed up); O3 has none."""
    doc = rounds.setup_document(db, fac, round_id)
    objs = doc["objects"]
    objs[0]["plan"] = {"refs": [{"plan": NP, "period": PERIOD, "objekt_id": "TST001", "phase": "start_1_3",
                                 "cost_msek": 1000}], "stage_note": "vägplan klar"}
    objs[1]["plan"] = {"refs": [{"plan": "LP", "period": PERIOD, "objekt_id": "LP-2", "phase": "named"}]}
    objs[3]["plan"] = {"refs": [{"plan": NP, "period": PERIOD, "objekt_id": "TST004", "phase": "named",
                                 "cost_msek": 5000}]}
    follow = [{"object": "O4", "responsible": "Trafiknätverket",
               "steps": [{"step": "national_plan", "date": "2022-06-16"}]}]
    rounds.replace_setup(db, fac, round_id, {"objects": objs, "follow_up": follow},
                         rounds.round_info(db, fac, round_id)["row_version"])
    return round_id


ROWS = [
    pc.ListRow(2, "TST001", "Bro över Ölandssundet", "rework", 1600),  # omtag, cost +60 %
    pc.ListRow(3, "LP-2", "Spår etapp 2", "prepare_4_6", 800),  # enters NP (matched by its LP id)
    pc.ListRow(4, None, "Cykelstråk", "start_1_3", 60),  # a confirmed name match
    pc.ListRow(5, "TST004", "Redan finansierad väg", "removed", 5000),  # utgår
    pc.ListRow(6, "TST999", "Okänt objekt", "ongoing", 10),  # matches nothing
]


def state(db, fac, rid):
    project = rounds.setup_project(db, fac, rid)
    return ({o.id: o.plan for o in project.objects}, project.follow_up,
            rounds.round_info(db, fac, rid)["row_version"], len(audit.entries(db, fac, rid)))


def make_report(db, fac, rid):
    project = rounds.setup_project(db, fac, rid)
    return pc.report(ROWS, project.objects, SRC, confirmed={4: "O3"})


def test_apply_writes_refs_and_follow_up_whole(db, fac, prepared):
    report = make_report(db, fac, prepared)
    assert report.counts() == {"added": 2, "removed": 1, "rework": 1, "phase": 0, "cost": 0, "unchanged": 0}
    plans, _, version, n_audit = state(db, fac, prepared)
    new_version = plan_import.apply(db, fac, prepared, report, version)
    assert new_version == version + 1
    after, tracks, stored_version, n_after = state(db, fac, prepared)
    assert stored_version == new_version
    assert after["O1"].ref(NP, PERIOD) == PlanRef(NP, PERIOD, "TST001", "rework", 1600, True, SRC.source)
    assert after["O1"].stage_note == "vägplan klar"  # the rest of the plan data is kept
    assert after["O2"].refs == (plans["O2"].refs[0], PlanRef(NP, PERIOD, "LP-2", "prepare_4_6", 800, True, SRC.source))
    assert after["O3"].ref(NP, PERIOD).phase == "start_1_3" and after["O3"].ref(NP, PERIOD).objekt_id is None
    assert after["O4"].ref(NP, PERIOD).phase == "removed"
    by_object = {t.object: t for t in tracks}
    assert set(by_object) == {"O1", "O2", "O3", "O4"}  # O1-O3 start being followed up
    expected = {"O1": "rework", "O2": "preparation", "O3": "construction_decision", "O4": "removed"}
    for oid, step_id in expected.items():
        step = by_object[oid].step(step_id)
        assert step is not None, oid
        assert (step.date, step.precision, step.source, step.note) == (date(2026, 4, 28), "day", SRC.source,
                                                                       "NP 2026–2037")
    assert by_object["O4"].responsible == "Trafiknätverket"
    assert by_object["O4"].step("national_plan").date == date(2022, 6, 16)  # the earlier step stays
    # the follow-up history records the new step, by whom
    assert [(h.action, h.step, h.by) for h in by_object["O4"].history][-1] == ("set", "removed", "Facilitator")
    entries = audit.entries(db, fac, prepared)
    assert n_after == n_audit + 1 + 4 + 4
    actions = [e.action for e in entries[: n_after - n_audit]]
    assert actions.count("plan.import") == 1 and actions.count("plan.ref") == 4 and actions.count("followup.step") == 4


def test_applying_the_same_list_again_changes_nothing_more(db, fac, prepared):
    plan_import.apply(db, fac, prepared, make_report(db, fac, prepared),
                      rounds.round_info(db, fac, prepared)["row_version"])
    again = make_report(db, fac, prepared)
    assert again.counts()["unchanged"] == 4 and again.is_empty
    before = state(db, fac, prepared)
    assert plan_import.apply(db, fac, prepared, again, before[2]) == before[2]
    assert state(db, fac, prepared) == before


def test_a_stale_row_version_writes_nothing(db, fac, prepared):
    report = make_report(db, fac, prepared)
    before = state(db, fac, prepared)
    store.record_step(db, fac, prepared, "O3", "avs_done", date(2025, 1, 1))  # someone else, meanwhile
    middle = state(db, fac, prepared)
    with pytest.raises(StaleWrite):
        plan_import.apply(db, fac, prepared, report, before[2])
    assert state(db, fac, prepared) == middle


@pytest.mark.parametrize("who", ["participant", "viewer"])
def test_only_the_facilitator_may_apply(db, fac, prepared, who):
    actor = participant(prepared) if who == "participant" else viewer(prepared)
    report = make_report(db, fac, prepared)
    before = state(db, fac, prepared)
    with pytest.raises(AccessDenied):
        plan_import.apply(db, actor, prepared, report, before[2])
    assert state(db, fac, prepared) == before


def test_nothing_is_half_written_when_the_round_would_be_invalid(db, fac, prepared):
    report = make_report(db, fac, prepared)
    # the last change carries a reference the project file refuses (a period that is not one)
    bad = dataclasses.replace(report.changes[-1], new=dataclasses.replace(report.changes[-1].new, period="2037–2026"))
    broken = dataclasses.replace(report, changes=(*report.changes[:-1], bad))
    before = state(db, fac, prepared)
    with pytest.raises(ProjectFileError) as e:
        plan_import.apply(db, fac, prepared, broken, before[2])
    assert any("period" in str(p) for p in e.value.problems)
    assert state(db, fac, prepared) == before


def test_a_report_made_before_a_reference_changed_is_refused(db, fac, prepared):
    report = make_report(db, fac, prepared)
    changed = dataclasses.replace(report.changes[0], old=dataclasses.replace(report.changes[0].old or
                                                                             PlanRef(NP, PERIOD), phase="ongoing"))
    stale = dataclasses.replace(report, changes=(changed, *report.changes[1:]))
    before = state(db, fac, prepared)
    with pytest.raises(StaleWrite):
        plan_import.apply(db, fac, prepared, stale, before[2])
    assert state(db, fac, prepared) == before
