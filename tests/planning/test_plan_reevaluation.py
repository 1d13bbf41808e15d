"""Re-evaluation ("omprövas", issue 14): each trigger against the baseline, the 15 % boundary, a stage
moving forward is no trigger, a recorded review closes the flag and a further change opens it again."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from prioritization import projectfile
from prioritization.model import InfraObject
from prioritization.planning import reevaluation as re_eval
from prioritization.planning.model import PlanData, PlanRef
from prioritization.planning.reevaluation import CANCELLED, COST, EVIDENCE, PHASE, STAGE_BACK, Change
from tests.conftest import FIXTURES

BASE_SHA = "1" * 64
NP26 = ("NP", "2026–2037")


def obj(cost: float | None = 1000, stage: str | None = None, evidence: str | None = None,
        phase: str | None = None) -> InfraObject:
    refs = () if phase is None else (PlanRef(*NP26, phase=phase),)
    return InfraObject("O1", "Bro", cost, plan=PlanData(refs=refs, stage=stage, evidence=evidence))


def codes(now: InfraObject, before: InfraObject, **kw) -> list[str]:
    return [c.code for c in re_eval.changes(now, before, **kw)]


@pytest.mark.parametrize(("before", "now", "flagged"), [
    (1000, 1150, False),  # exactly 15 % is not a trigger
    (1000, 850, False),
    (1000, 1151, True),  # above is
    (1000, 849, True),
    (4200, 4830, False),
    (4200, 4831, True),
    (None, 5000, False),  # no earlier cost: nothing to compare
    (0, 5000, False),
    (1000, None, False),
])
def test_a_cost_change_above_the_share(before, now, flagged):
    assert codes(obj(cost=now), obj(cost=before)) == ([COST] if flagged else [])


def test_the_share_can_be_set():
    assert codes(obj(cost=1100), obj(cost=1000), cost_share=0.05) == [COST]
    assert codes(obj(cost=1300), obj(cost=1000), cost_share=0.3) == []
    assert re_eval.changes(obj(cost=1300), obj(cost=1000))[0] == Change(COST, "1000", "1300")


def test_a_stage_moving_back_is_a_trigger_forward_is_not():
    assert codes(obj(stage="legally_binding"), obj(stage="construction")) == [STAGE_BACK]
    assert codes(obj(stage="review_doc"), obj(stage="avs")) == []
    assert codes(obj(stage="avs"), obj(stage=None)) == []  # a first stage is no step back
    assert codes(obj(stage=None), obj(stage="avs")) == []
    assert codes(obj(stage="avs"), obj(stage="cancelled")) == []  # taken up again after a stop


def test_cancelled_is_a_trigger_once():
    assert re_eval.changes(obj(stage="cancelled"), obj(stage="review_doc")) == (
        Change(CANCELLED, "review_doc", "cancelled"),)
    assert codes(obj(stage="cancelled"), obj(stage=None)) == [CANCELLED]
    assert codes(obj(stage="cancelled"), obj(stage="cancelled")) == []


def test_an_evidence_level_change_either_way():
    assert re_eval.changes(obj(evidence="plan"), obj(evidence="avs")) == (Change(EVIDENCE, "avs", "plan"),)
    assert codes(obj(evidence="avs"), obj(evidence="plan")) == [EVIDENCE]
    assert codes(obj(evidence="avs"), obj(evidence=None)) == [EVIDENCE]
    assert codes(obj(evidence="avs"), obj(evidence="avs")) == []


def test_a_plan_phase_removed_or_rework_is_a_trigger_other_phases_are_not():
    assert re_eval.changes(obj(phase="rework"), obj(phase="ongoing")) == (
        Change(PHASE, "ongoing", "rework", "NP 2026–2037"),)
    assert re_eval.changes(obj(phase="removed"), obj()) == (Change(PHASE, None, "removed", "NP 2026–2037"),)
    assert codes(obj(phase="start_1_3"), obj(phase="prepare_4_6")) == []
    assert codes(obj(phase="removed"), obj(phase="removed")) == []
    assert codes(obj(phase="ongoing"), obj(phase="rework")) == []  # back from rework: not a setback


def test_changes_come_in_trigger_order_with_their_keys():
    found = re_eval.changes(obj(cost=2000, stage="cancelled", evidence="plan", phase="rework"),
                            obj(cost=1000, stage="construction", evidence="avs", phase="ongoing"))
    assert [c.key for c in found] == ["cost:1000→2000", "cancelled:construction→cancelled", "evidence:avs→plan",
                                      "phase[NP 2026–2037]:ongoing→rework"]
    assert Change(EVIDENCE, None, "avs").key == "evidence:–→avs"


# --- flags over a whole project, closed by a review ------------------------------------------------------


def small(**plans) -> dict:
    data = json.loads((FIXTURES / "small-round.json").read_text(encoding="utf-8"))
    for o in data["objects"]:
        if o["id"] in plans:
            o.update(plans[o["id"]])
    return data


def parsed(data: dict):
    return projectfile.parse(data, require_complete=False, today=date(2026, 12, 7))


def review(changes: list[str], baseline: str = BASE_SHA) -> dict:
    return {"baseline": baseline, "changes": changes, "decision": "keep", "reason": "Fortfarande angeläget",
            "date": "2026-12-01", "by": "Facilitator"}


def test_flags_name_the_changed_objects_only_and_open():
    baseline = parsed(small(O1={"plan": {"evidence": "avs"}}))
    current = small(O1={"cost": 1500, "plan": {"evidence": "plan"}}, O2={"cost": 810})
    current["objects"].append({"id": "O5", "name": "Nytt", "cost": 10, "plan": {"stage": "cancelled"}})
    found = re_eval.flags(parsed(current), baseline, BASE_SHA)
    assert [(f.object, f.keys, f.is_open) for f in found] == [("O1", ("cost:1200→1500", "evidence:avs→plan"), True)]
    assert re_eval.open_flags(found) == found


def test_a_review_with_the_same_changes_closes_the_flag_and_a_further_change_opens_it():
    baseline = parsed(small(O1={"plan": {"evidence": "avs"}}))
    keys = ["evidence:avs→plan", "cost:1200→1500"]  # in any order
    closed = small(O1={"cost": 1500, "plan": {"evidence": "plan", "reviews": [review(keys)]}})
    [flag] = re_eval.flags(parsed(closed), baseline, BASE_SHA)
    assert not flag.is_open and flag.closed_by.decision == "keep" and re_eval.open_flags([flag]) == []
    # the same review against another baseline closes nothing
    [other] = re_eval.flags(parsed(closed), baseline, "2" * 64)
    assert other.is_open
    # a further change since the review: open again, with every change since the baseline
    reopened = copy.deepcopy(closed)
    reopened["objects"][0]["plan"]["stage"] = "cancelled"
    [flag] = re_eval.flags(parsed(reopened), baseline, BASE_SHA)
    assert flag.is_open and flag.keys == ("cost:1200→1500", "cancelled:–→cancelled", "evidence:avs→plan")
    # a second review with all three closes it again
    reopened["objects"][0]["plan"]["reviews"].append(review(list(flag.keys)))
    [flag] = re_eval.flags(parsed(reopened), baseline, BASE_SHA)
    assert not flag.is_open and flag.closed_by.changes == ("cost:1200→1500", "cancelled:–→cancelled",
                                                            "evidence:avs→plan")
