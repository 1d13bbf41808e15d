"""``prioritization rank`` with local input points (issue 13): the rank follows the priority score
(1 - s)·T + s·L, each entry carries technical_score, local_score and priority_score with the
technical rank beside, and parked objects are listed apart."""

from __future__ import annotations

import json

from prioritization import projectfile
from tests.cli.test_cli import run, run_json
from tests.conftest import EXAMPLE

COMMITTEE = {
    "municipalities": [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}],
    "local_points": {"budget": 100, "cap": 40, "share": 0.5},
    "allocations": [{"municipality": "a", "object": "SOD-15", "points": 40},
                    {"municipality": "b", "object": "SOD-15", "points": 40},
                    {"municipality": "b", "object": "SOD-11", "points": 20}],
    "checklist": [{"id": "need", "text": "Behovet är dokumenterat"}],
    "screening": [{"object": "SOD-14", "outcome": "parked", "failed": ["need"], "reason": "Ingen ÅVS"}],
}


def with_points(tmp_path, committee=COMMITTEE):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["committee"] = committee
    for o in data["objects"]:
        if o["id"] == "SOD-14" and any(s["object"] == "SOD-14" for s in committee.get("screening", [])):
            o["status"] = "parked"
    path = tmp_path / f"round-{len(list(tmp_path.iterdir()))}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_rank_json_follows_the_priority_score(tmp_path):
    path = with_points(tmp_path)
    out = run_json("rank", path, "--format", "json")
    plain = {e["id"]: e for e in run_json("rank", with_points(tmp_path, {}), "--format", "json")["ranking"]
             if e["id"] != "SOD-14"}
    assert out["local_points"] == {"budget": 100, "cap": 40, "share": 0.5, "municipalities": 2}
    assert [o["id"] for o in out["parked"]] == ["SOD-14"]
    entries = out["ranking"]
    assert "SOD-14" not in [e["id"] for e in entries]
    points = {"SOD-15": 80, "SOD-11": 20}
    for e in entries:
        # L = points / (2 municipalities x cap 40); P = 0.5 T + 0.5 L
        assert e["local_score"] == points.get(e["id"], 0) / 80
        assert abs(e["priority_score"] - (0.5 * e["technical_score"] + 0.5 * e["local_score"])) < 1e-12
        assert e["score"] == e["priority_score"] and e["points"] == points.get(e["id"], 0)
    # the technical scores are the weighted sums of the same objects without points (SOD-14 parked)
    without = projectfile.load(path)
    assert len(entries) == len(without.candidates)
    ordered = sorted(entries, key=lambda e: -e["priority_score"])
    assert [e["id"] for e in entries] == [e["id"] for e in ordered]
    assert [e["rank"] for e in entries] == sorted(e["rank"] for e in entries)
    by_t = sorted(entries, key=lambda e: -e["technical_score"])
    assert [e["technical_rank"] for e in by_t] == sorted(e["technical_rank"] for e in entries)
    # SOD-15 has every point there is: L = 1 lifts it above its technical place
    sod15 = next(e for e in entries if e["id"] == "SOD-15")
    assert sod15["rank"] < sod15["technical_rank"]
    assert set(plain) >= {e["id"] for e in entries}
    changes = out["share_changes"]
    assert len(changes) == 2 and any(c is not None for c in changes)
    for c in changes:
        if c is not None:
            assert 0 <= c["share"] <= 1 and c["kind"] in ("first", "boundary") and c["enters"] and c["leaves"]


def test_rank_table_and_csv_say_the_formula_and_the_parked(tmp_path):
    path = with_points(tmp_path)
    text = run("rank", path).stdout
    assert "priority score (1 - s)·T + s·L, s = 0.5" in text and "Parked by the screening" in text
    header = run("rank", path, "--format", "csv").stdout.splitlines()[0]
    assert header == "rank,id,name,priority_score,technical_rank,technical_score,local_score,points"


def test_without_points_the_output_is_as_before(tmp_path):
    out = run_json("rank", with_points(tmp_path, {}), "--format", "json")
    assert set(out) == {"method", "weights", "ranking", "committed"}
    # "plan": the example objects' plan data (issue 14), when the object has any
    assert set(out["ranking"][0]) - {"plan"} == {"id", "name", "rank", "score"}
