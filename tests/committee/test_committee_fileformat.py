"""The project file's ``committee`` section (issue 13): a full section reads and writes back exactly,
older files stay valid, and every rule the issue names is refused with the place it is broken."""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime

import pytest

from prioritization import projectfile
from prioritization.committee.model import PARKED
from prioritization.errors import ProjectFileError
from tests.conftest import ROOT

EXAMPLE = ROOT / "data" / "sodertorn-exempel.json"
SHA = "a" * 64


def section() -> dict:
    return {
        "municipalities": [{"id": "huddinge", "name": "Huddinge"}, {"id": "haninge", "name": "Haninge"},
                           {"id": "botkyrka", "name": "Botkyrka"}],
        "input_window": {"milestone": "M06", "opened_at": "2024-08-19T07:00:00+00:00",
                         "closed_at": "2024-09-13T15:00:00+00:00"},
        "local_points": {"budget": 100, "cap": 40, "share": 0.3},
        "allocations": [
            {"municipality": "huddinge", "object": "SOD-02", "points": 40, "rationale": "Spårväg syd först"},
            {"municipality": "huddinge", "object": "SOD-08", "points": 35},
            {"municipality": "haninge", "object": "SOD-10", "points": 40, "rationale": "Expressbussen"},
        ],
        "proposals": [
            {"id": "F-001", "municipality": "haninge", "name": "Ny bytespunkt Handen", "need": "Trängsel i Handen",
             "plan_channel": "regional", "links": ["https://example.org/avs"], "status": "declined",
             "reason": "Ingår redan i SOD-10", "submitted_at": "2024-08-20T10:00:00+00:00"},
            {"id": "F-002", "municipality": "botkyrka", "name": "Cykelbro Fittja", "need": "Brist i cykelnätet",
             "cost": 85, "status": "accepted", "object": "SOD-15"},
        ],
        "wishes": [{"municipality": "botkyrka", "object": "SOD-09", "text": "Viktig för Fittja"}],
        "checklist": [{"id": "need", "text": "Behovet är dokumenterat", "text_en": "The need is documented"},
                      {"id": "cost", "text": "Kostnad finns"}],
        "screening": [{"object": "SOD-14", "outcome": "parked", "failed": ["need"], "reason": "Ingen ÅVS ännu"},
                      {"object": "SOD-13", "outcome": "let_through", "failed": ["cost"],
                       "reason": "Kostnad kommer i oktober"}],
        "drafts": [{"version": SHA, "version_name": "Remissversion", "sent_at": "2024-10-01T08:00:00+00:00",
                    "reply_by": "2024-11-15"}],
        "stances": [{"municipality": "huddinge", "version": SHA, "stance": "support_with_comments",
                     "comment": "Se objekt", "object_comments": {"SOD-02": "Etapp 1 först"},
                     "decision": {"body": "Kommunstyrelsen", "date": "2024-11-04", "reference": "KS § 123"},
                     "replied_at": "2024-11-05T12:00:00+00:00"}],
        "decision": {"version": SHA, "version_name": "Remissversion", "body": "Samarbetskommittén",
                     "date": "2024-12-10", "reference": "Protokoll 2024-12-10 § 5",
                     "order": [{"object": "SOD-02", "model_rank": 2, "rank": 1, "reason": "Bostäder"},
                               {"object": "SOD-03", "model_rank": 1, "rank": 2},
                               {"object": "SOD-04", "model_rank": 3, "rank": 3}]},
    }


def example(committee: dict | None) -> dict:
    with open(EXAMPLE, encoding="utf-8") as f:
        data = json.load(f)
    data.pop("committee", None)  # the example's own section is tested in tests/test_example_data.py
    if committee is not None:
        data["committee"] = committee
        for o in data["objects"]:
            if o["id"] == "SOD-14":
                o["status"] = PARKED
    return data


def problems(data: dict) -> list[str]:
    with pytest.raises(ProjectFileError) as e:
        projectfile.parse(data)
    return [str(p) for p in e.value.problems]


def test_a_full_section_reads_and_writes_back_exactly():
    data = example(section())
    project = projectfile.parse(data)
    c = project.committee
    assert [m.id for m in c.municipalities] == ["huddinge", "haninge", "botkyrka"]
    assert c.window.is_closed and c.window.opened_at == datetime(2024, 8, 19, 7, tzinfo=UTC)
    assert c.points.cap == 40 and c.points_given() == {"SOD-02": 40, "SOD-08": 35, "SOD-10": 40}
    assert c.decision.ref.reference == "Protokoll 2024-12-10 § 5" and c.decision.ref.date == date(2024, 12, 10)
    assert c.stances[0].decision.reference == "KS § 123"
    assert [o.id for o in project.parked] == ["SOD-14"] and "SOD-14" not in [o.id for o in project.candidates]
    again = projectfile.to_dict(project)
    assert again["committee"] == section()
    assert projectfile.parse(json.loads(projectfile.dumps(project))) == project


def test_older_files_without_the_section_stay_valid_and_write_no_section():
    project = projectfile.parse(example(None))
    assert not project.committee
    assert "committee" not in projectfile.to_dict(project)


@pytest.mark.parametrize(("change", "expected"), [
    (lambda c: c["allocations"].append({"municipality": "huddinge", "object": "SOD-05", "points": 30}),
     "budget is 100"),
    (lambda c: c["allocations"][0].update(points=41), "over the cap of 40"),
    (lambda c: c["allocations"][0].update(points=-3), "must be at least 1"),
    (lambda c: c["allocations"][0].update(points=2.5), "expected a whole number"),
    (lambda c: c["allocations"].append({"municipality": "tyreso", "object": "SOD-05", "points": 3}),
     'unknown municipality "tyreso"'),
    (lambda c: c["allocations"].append({"municipality": "huddinge", "object": "SOD-02", "points": 1}),
     "given twice"),
    (lambda c: c.pop("local_points"), "no local_points"),
    (lambda c: c["local_points"].update(cap=120), "larger than the budget"),
    (lambda c: c["local_points"].update(share=1.5), "between 0 and 1"),
    (lambda c: c["proposals"][0].pop("reason"), "declined proposal needs the reason"),
    (lambda c: c["proposals"][0].update(links=["javascript:alert(1)"]), "web addresses"),
    (lambda c: c["screening"][1].pop("reason"), "let through needs a reason"),
    (lambda c: c["screening"][0].update(failed=["nope"]), "checklist ids"),
    (lambda c: c["stances"][0].update(version="b" * 64), "no draft of this version"),
    (lambda c: c["stances"][0].update(stance="maybe"), "expected one of support"),
    (lambda c: c["decision"].pop("reference"), "committee.decision.reference: is missing"),
    (lambda c: c["decision"]["order"][0].pop("reason"), 'object "SOD-02" departs from the model'),
    (lambda c: c["input_window"].update(opened_at="2024-08-19T07:00:00"), "with its offset"),
    (lambda c: c["input_window"].update(milestone="M99"), 'unknown milestone "M99"'),
    (lambda c: c.update(extra=1), 'unknown key "extra"'),
    (lambda c: c["screening"][0].update(failed=[["need"]]), "checklist ids"),
    (lambda c: c["decision"]["order"][2].update(rank=5), "skip or repeat places"),
])
def test_bad_sections_are_refused_with_the_place(change, expected):
    c = section()
    change(c)
    found = problems(example(c))
    assert any(expected in p for p in found), found


def test_a_parked_object_and_its_screening_agree():
    data = example(section())
    data["committee"]["screening"].pop(0)  # SOD-14 still has status "parked"
    assert any('"SOD-14" is parked but has no screening result' in p for p in problems(data))
    data = example(section())
    next(o for o in data["objects"] if o["id"] == "SOD-14")["status"] = "candidate"
    assert any('parked by the screening but its status is "candidate"' in p for p in problems(data))


def test_unreadable_milestones_are_reported_once_not_again_by_the_window():
    data = example(section())
    data["milestones"][0]["start"] = "not a date"
    found = problems(data)
    assert any(p.startswith("milestones[0].start") for p in found)
    assert not any("input_window" in p for p in found), found


def test_a_formula_in_a_municipality_id_is_refused():
    c = copy.deepcopy(section())
    c["municipalities"].append({"id": "=HYPERLINK(1)", "name": "X"})
    assert any("formula" in p for p in problems(example(c)))


def test_removed_objects_take_their_points_wishes_screening_and_comments_with_them():
    from prioritization.committee.fileformat import drop_objects

    c = section()
    out = drop_objects(c, {"SOD-02", "SOD-10", "SOD-13", "SOD-14", "SOD-03", "SOD-04"})
    assert [a["object"] for a in out["allocations"]] == ["SOD-02", "SOD-10"]  # SOD-08 removed
    assert out["wishes"] == []  # SOD-09 removed
    assert out["stances"][0]["object_comments"] == {"SOD-02": "Etapp 1 först"}
    assert out["decision"] == c["decision"] and out["proposals"][0] == c["proposals"][0]
    assert "object" not in out["proposals"][1]  # SOD-15 removed: F-002 stays accepted, without it
    assert projectfile.parse(example({**c, "allocations": [], "proposals": out["proposals"]}))
    assert c["allocations"][1]["object"] == "SOD-08"  # the input is not changed
    assert drop_objects(None, []) is None
