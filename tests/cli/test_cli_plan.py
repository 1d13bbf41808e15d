"""``prioritization rank`` with plan data (issue 14): every ranked entry carries its plan (omitted
when it has none), the top level the comparability warnings as data, and the text output says them
in English; a file without plan data gives the output it always gave."""

from __future__ import annotations

import json

from tests.cli.test_cli import ROUND, run, run_json
from tests.conftest import FIXTURES

PLAN = {"refs": [{"plan": "NP", "period": "2026–2037", "objekt_id": "VST005", "phase": "ongoing"}],
        "stage": "legally_binding", "evidence": "plan",
        "seb": {"nnk": 0.4, "asek_version": "7.0", "price_level": "2017"},
        "cost": {"low": 1000, "high": 1500, "price_level": "2024", "method": "successive"}}


def planned_round(tmp_path) -> str:
    doc = json.loads((FIXTURES / "small-round.json").read_text(encoding="utf-8"))
    for o in doc["objects"]:
        if o["id"] == "O1":
            o["plan"] = PLAN
        elif o["id"] == "O2":
            o["plan"] = {"evidence": "idea", "seb": {"nnk": 1.2, "asek_version": "6.1", "price_level": "2014"},
                         "cost": {"price_level": "2024"}}
    path = tmp_path / "planned.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_rank_json_has_each_plan_and_the_comparability_warnings(tmp_path):
    out = run_json("rank", planned_round(tmp_path))
    entries = {e["id"]: e for e in out["ranking"]}
    assert entries["O1"]["plan"] == PLAN
    assert entries["O2"]["plan"]["evidence"] == "idea"
    assert "plan" not in entries["O3"]  # no plan data: no key
    found = {(m["figure"], m["basis"]): m["groups"] for m in out["comparability"]}
    assert found[("cost", "evidence")] == [{"value": "plan", "objects": ["O1"]}, {"value": "idea", "objects": ["O2"]},
                                           {"value": None, "objects": ["O3"]}]
    assert ("cost", "price_level") in found  # O3 states none
    assert found[("nnk", "asek_version")] == [{"value": "7.0", "objects": ["O1"]},
                                              {"value": "6.1", "objects": ["O2"]}]
    assert set(found) == {("cost", "evidence"), ("cost", "price_level"), ("nnk", "evidence"),
                          ("nnk", "asek_version"), ("nnk", "price_level")}


def test_rank_text_says_the_warnings_in_english(tmp_path):
    res = run("rank", planned_round(tmp_path))
    assert res.returncode == 0, res.stderr
    assert ("Warning: The costs come from different evidence levels and cannot be compared directly: "
            "Plan (O1); Idea/screening (O2); not stated (O3).") in res.stdout
    assert "Warning: The NNK values come from different ASEK versions" in res.stdout


def test_a_round_without_plan_data_ranks_as_before():
    out = run_json("rank", ROUND)
    assert set(out) == {"method", "weights", "ranking", "committed"}
    assert all(set(e) == {"id", "name", "rank", "score"} for e in out["ranking"])
    assert "Warning" not in run("rank", ROUND).stdout
