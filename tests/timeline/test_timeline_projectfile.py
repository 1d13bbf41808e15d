"""The ``milestones`` and ``follow_up`` parts of the project file: round trips, errors, schema."""

import copy
import json

import pytest
from jsonschema import Draft202012Validator

from prioritization import projectfile
from prioritization.errors import ProjectFileError
from prioritization.timeline import follow_up as follow_up_format
from prioritization.timeline import milestones as milestone_format
from prioritization.timeline.template import round_template
from tests.conftest import EXAMPLE, ROOT

SCHEMA = json.loads((ROOT / "prioritization" / "schema" / "project-v1.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def problems(data) -> list[str]:
    with pytest.raises(ProjectFileError) as e:
        projectfile.parse(data)
    return [str(p) for p in e.value.problems]


def test_example_round_trip_is_lossless_and_canonical(example):
    project = projectfile.parse(example)
    text = projectfile.dumps(project)
    again = projectfile.loads(text)
    assert again == project
    assert projectfile.dumps(again) == text
    # the generator writes the canonical form of both parts
    out = json.loads(text)
    assert out["milestones"] == example["milestones"] and out["follow_up"] == example["follow_up"]


def test_key_order_and_spelled_out_defaults_do_not_change_the_hash(example):
    base = projectfile.sha256(projectfile.parse(example))
    shuffled = copy.deepcopy(example)
    shuffled["milestones"] = [dict(reversed(list(m.items()))) for m in shuffled["milestones"]]
    for m in shuffled["milestones"]:
        m.setdefault("decision", False)
        m.setdefault("links", {})
    shuffled["follow_up"][0]["steps"].reverse()
    assert projectfile.sha256(projectfile.parse(shuffled)) == base
    shuffled["milestones"][3]["note"] = "Flyttat till maj"
    assert projectfile.sha256(projectfile.parse(shuffled)) != base


def test_older_files_with_the_version_1_keys_stay_valid(example):
    """Before milestones were defined, files carried id, title_sv, title_en, start, end, precision,
    owner, type, depends_on and source (and any other keys); they load with status "planned"."""
    old = copy.deepcopy(example)
    del old["follow_up"]
    for m in old["milestones"]:
        for key in ("status", "decision", "note", "links"):
            m.pop(key, None)
    old["milestones"][0]["basis"] = "protokoll"  # free extra keys were allowed and are kept
    project = projectfile.parse(old)
    assert {m.status for m in project.milestones} == {"planned"}
    assert project.follow_up == ()
    assert project.milestones[0].attributes == {"basis": "protokoll"}
    assert "follow_up" not in projectfile.to_dict(project)


def test_milestone_and_follow_up_problems_go_through_the_reader(example):
    example["milestones"][3]["end"] = "2023-01-01"
    example["milestones"][5]["depends_on"] = ["M04", "M99"]
    example["milestones"][7]["value"] = float("nan")
    example["follow_up"][0]["object"] = "SOD-99"
    found = problems(example)
    assert "milestones[3].end: 2023-01-01 is before start 2023-04-28" in found
    assert 'milestones[5].depends_on[1]: unknown milestone "M99"' in found
    assert 'follow_up[0].object: unknown object "SOD-99"' in found
    assert "milestones[7].value: nan is not a finite number" in found
    assert len(found) == 4


def test_non_finite_numbers_in_milestones_are_named(example):
    text = json.dumps(example, ensure_ascii=False).replace('"precision": "month"', '"precision": "month", "x": NaN', 1)
    with pytest.raises(ProjectFileError, match=r"milestones\[0\]\.x: NaN is not allowed"):
        projectfile.loads(text)


def test_dependency_cycle_via_the_reader(example):
    example["milestones"][0]["depends_on"] = ["M02"]
    assert problems(example) == ["milestones[0].depends_on: dependency cycle M00 → M02 → M01 → M00"]


def test_null_milestones_are_rejected(example):
    example["milestones"] = None
    assert problems(example) == ["milestones: expected a list of milestones, got null"]


def test_schema_accepts_the_example_and_a_template_and_rejects_bad_parts(example):
    validator = Draft202012Validator(SCHEMA)
    assert list(validator.iter_errors(example)) == []
    templated = dict(example, milestones=milestone_format.to_data(round_template(2030)))
    assert list(validator.iter_errors(templated)) == []
    projectfile.parse(templated)
    bad = copy.deepcopy(example)
    bad["milestones"][0]["precision"] = "week"
    bad["follow_up"][0]["steps"][0]["step"] = "inaugurated"
    bad["milestones"][1]["links"] = {"rounds": ["1"]}
    paths = sorted("/".join(map(str, e.path)) for e in validator.iter_errors(bad))
    assert paths == ["follow_up/0/steps/0/step", "milestones/0/precision", "milestones/1/links"]


def test_range_without_end_is_rejected_by_schema_and_reader(example):
    del example["milestones"][2]["end"]  # M02 is a range
    assert [list(e.path) for e in Draft202012Validator(SCHEMA).iter_errors(example)] == [["milestones", 2]]
    assert problems(example) == ['milestones[2].end: is missing (a "range" milestone needs an end)']


def test_project_lookups(example):
    project = projectfile.parse(example)
    assert project.milestone("M09").decision
    with pytest.raises(KeyError):
        project.milestone("M99")
    assert follow_up_format.to_data(project.follow_up) == example["follow_up"]


def test_documented_examples_are_valid():
    import re

    text = (ROOT / "docs" / "project-file.md").read_text(encoding="utf-8")
    milestones_doc = text[text.index("## Milestones"):text.index("## Follow-up (bevakning)")]
    follow_up_doc = text[text.index("## Follow-up (bevakning)"):text.index("## A minimal complete example")]
    (ms,) = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", milestones_doc, re.S)]
    (fu,) = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", follow_up_doc, re.S)]
    found = milestone_format.from_data(ms)
    assert found[1].decision and found[0].links.phases == ("2",)
    assert follow_up_format.from_data(fu, ["SOD-01"])[0].step("plan_approved").source == "S63"
