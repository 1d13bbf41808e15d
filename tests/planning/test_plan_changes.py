"""The change report of a plan list against a round's objects (prioritization.planning.plan_changes):
matching by Objekt ID, name suggestions to confirm, each kind of change, absent objects and rows
that match nothing, and the new plan data."""

from datetime import date

import pytest

from prioritization.model import InfraObject
from prioritization.planning import plan_changes as pc
from prioritization.planning.model import PlanData, PlanRef, Verified
from prioritization.timeline import follow_up as steps

NP, PERIOD = "NP", "2026–2037"
SRC = pc.ImportSource(NP, PERIOD, date(2026, 4, 28), "https://example.org/bilaga1.xlsx")


def ref(objekt_id, phase, cost, plan=NP, period=PERIOD, source=None):
    return PlanRef(plan, period, objekt_id, phase, cost, None, source)


def obj(oid, name, *refs, **plan):
    return InfraObject(oid, name, 100, plan=PlanData(refs=refs, **plan))


OBJECTS = [
    obj("A", "Tvärförbindelse Södertörn (väg 259)", ref("VST005", "ongoing", 15000),
        ref("VST005", "start_1_3", 14000, period="2022–2033"), verified=Verified(date(2026, 1, 5), "Anna")),
    obj("B", "Spårväg syd", ref("LP-07", "named", 4000, plan="LP")),  # only in the regional plan so far
    obj("C", "Nynäsbanan dubbelspår", ref("JX1", "prepare_4_6", 2600)),
    obj("D", "Södertäljebron", ref("VST9", "start_1_3", 3100)),
    obj("E", "Väg 73 infart", ref("VST73", "named", 900)),
    obj("F", "Cykelstråk", ref("VST11", "study", 150)),
    obj("G", "Bytespunkt Rönninge", ref("VST12", "named", 95)),  # not in the list
    obj("H", "Svealandsbanan dubbelspår"),
]


def rows():
    return [
        pc.ListRow(4, "VST005", "Tvärförbindelse Södertörn", "ongoing", 16000),  # +6.7 %: unchanged, cost written
        pc.ListRow(5, None, "Spårväg syd", "start_1_3", 4200),  # name only: needs a confirmation
        pc.ListRow(6, "JX1", "Nynäsbanan", "rework", 3600),
        pc.ListRow(7, "vst9", "E4/E20 Södertäljebron", "removed", 3100),  # case differs: still the id
        pc.ListRow(8, "VST73", "Väg 73", "start_1_3", 900),
        pc.ListRow(9, "VST11", "Cykelstråk", "study", 200),  # +33 %: cost changed
        pc.ListRow(10, "VST999", "Ostlänken", "start_1_3", 91400),  # nothing like it in the round
    ]


def test_objekt_id_matches_any_plan_and_names_are_only_suggested():
    assert pc.id_matches(rows(), OBJECTS) == {4: "A", 6: "C", 7: "D", 8: "E", 9: "F"}
    suggestions = pc.name_suggestions(rows(), OBJECTS)
    assert [(m.row.row, m.object_id) for m in suggestions] == [(5, "B")]
    assert suggestions[0].score == 1.0
    report = pc.report(rows(), OBJECTS, SRC)  # nothing confirmed: the row matches nothing
    assert [r.row for r in report.unmatched] == [5, 10]
    assert "B" not in report.plans


def test_name_score_looks_past_brackets_case_and_dashes():
    assert pc.name_score("TVÄRFÖRBINDELSE SÖDERTÖRN", "Tvärförbindelse Södertörn (väg 259)") == 1.0
    assert pc.name_score("Ostlänken Järna-Linköping", "Ostlänken Järna–Linköping") == 1.0
    assert pc.name_score("Ostlänken", "Cykelstråk") < pc.NAME_CUTOFF


def test_each_kind_of_change():
    report = pc.report(rows(), OBJECTS, SRC, confirmed={5: "B"})
    kinds = {c.object_id: c.kind for c in report.changes}
    assert kinds == {"A": "unchanged", "B": "added", "C": "rework", "D": "removed", "E": "phase", "F": "cost"}
    assert [c.kind for c in report.changes] == ["added", "removed", "rework", "phase", "cost", "unchanged"]
    assert report.counts() == {"added": 1, "removed": 1, "rework": 1, "phase": 1, "cost": 1, "unchanged": 1}
    by = {c.object_id: c for c in report.changes}
    assert by["B"].by_name and not by["A"].by_name
    assert by["C"].cost_changed and not by["D"].cost_changed
    assert [(a.object_id, a.ref.objekt_id) for a in report.absent] == [("G", "VST12")]
    assert [r.label for r in report.unmatched] == ["VST999 Ostlänken"]
    # the follow-up steps the phases correspond to; none where the phase stays
    assert {c.object_id: c.step for c in report.changes} == {
        "B": steps.CONSTRUCTION_DECISION, "C": steps.REWORK, "D": steps.REMOVED, "E": steps.CONSTRUCTION_DECISION,
        "F": None, "A": None}


def test_new_plan_data_replaces_only_that_plan_and_period():
    report = pc.report(rows(), OBJECTS, SRC, confirmed={5: "B"})
    a = report.plans["A"]  # unchanged phase, the cost within the share: still written
    assert a.refs == (PlanRef(NP, PERIOD, "VST005", "ongoing", 16000, True, SRC.source),
                      OBJECTS[0].plan.refs[1])
    assert a.verified == OBJECTS[0].plan.verified  # everything else kept
    b = report.plans["B"]
    assert b.refs == (OBJECTS[1].plan.refs[0], PlanRef(NP, PERIOD, None, "start_1_3", 4200, True, SRC.source))
    assert set(report.plans) == {"A", "B", "C", "D", "E", "F"}


def test_a_row_repeating_the_reference_changes_nothing():
    same = [pc.ListRow(3, "VST12", "Bytespunkt Rönninge", "named", 95)]
    text_source = pc.ImportSource(NP, PERIOD, date(2026, 4, 28), "Bilaga 1, regeringsbeslut 28 april 2026")
    report = pc.report(same, OBJECTS, text_source)
    assert [c.kind for c in report.changes] == ["unchanged"]
    assert report.is_empty and not report.writes


def test_the_cost_share_is_a_setting():
    r = [pc.ListRow(9, "VST11", "Cykelstråk", "study", 160)]  # +6.7 %
    assert pc.report(r, OBJECTS, SRC).changes[0].kind == "unchanged"
    assert pc.report(r, OBJECTS, SRC, cost_share=0.05).changes[0].kind == "cost"
    with pytest.raises(ValueError):
        pc.report(r, OBJECTS, SRC, cost_share=-1)


def test_two_rows_for_one_object_conflict_and_the_second_changes_nothing():
    r = [pc.ListRow(2, "VST73", "Väg 73", "start_1_3", 900), pc.ListRow(3, None, "Väg 73 infart", "removed", 900)]
    report = pc.report(r, OBJECTS, SRC, confirmed={3: "E"})
    assert [(c.object_id, c.kind) for c in report.changes] == [("E", "phase")]
    assert [(row.row, oid) for row, oid in report.conflicts] == [(3, "E")]


def test_phase_steps():
    assert pc.follow_up_step("named", "NP") == steps.NATIONAL_PLAN
    assert pc.follow_up_step("study", "LP") == steps.REGIONAL_PLAN
    assert pc.follow_up_step(None, "LP") == steps.REGIONAL_PLAN
    assert pc.follow_up_step("prepare_4_6", "NP") == steps.PREPARATION
    assert pc.follow_up_step("opened", "NP") == steps.OPENED
    assert pc.follow_up_step("ongoing", "LP") == steps.CONSTRUCTION_STARTED
    with pytest.raises(ValueError):
        pc.ImportSource("XP", PERIOD, date(2026, 1, 1), "x")


def test_a_step_reached_before_the_decision_is_kept():
    report = pc.report(rows(), OBJECTS, SRC, confirmed={5: "B"})
    tracks = [steps.FollowUp("D", steps=(steps.FollowUpStep(steps.REMOVED, date(2022, 9, 1)),)),  # kept
              steps.FollowUp("E", steps=(steps.FollowUpStep(steps.CONSTRUCTION_DECISION, date(2027, 1, 1)),))]
    assert pc.steps_to_record(report, tracks) == {"B": steps.CONSTRUCTION_DECISION, "C": steps.REWORK,
                                                  "E": steps.CONSTRUCTION_DECISION}
