"""The JSON Schema's ``plan`` (issue 14) agrees with the reader: its value lists are the controlled
lists of prioritization/planning/vocab.py, a plan the reader accepts is valid, and the structural
mistakes the reader refuses are refused by the schema too."""

from __future__ import annotations

import copy
import json

import pytest
from jsonschema import Draft202012Validator

from prioritization import projectfile
from prioritization.planning import fileformat, vocab
from tests.conftest import EXAMPLE, ROOT
from tests.planning.test_plan_fileformat import TODAY, full_plan, project

SCHEMA = json.loads((ROOT / "prioritization" / "schema" / "project-v1.schema.json").read_text(encoding="utf-8"))
PLAN = SCHEMA["$defs"]["plan"]
VALIDATOR = Draft202012Validator(SCHEMA)


def without_null(node):
    """The schema with every "or null" taken out (the reader reads null as "left out"; the schema
    allows it on every optional key, tested in test_issue14_attacks_imports)."""
    if isinstance(node, list):
        return [without_null(x) for x in node]
    if not isinstance(node, dict):
        return node
    alternatives = [x for x in node.get("anyOf", []) if x != {"type": "null"}]
    if "anyOf" in node and len(alternatives) == 1:
        return without_null(alternatives[0])
    return {k: without_null(v) for k, v in node.items()}


def test_the_schemas_value_lists_are_the_controlled_lists():
    props = without_null(PLAN)["properties"]
    assert props["refs"]["items"]["properties"]["plan"]["enum"] == list(vocab.PLANS)
    assert props["refs"]["items"]["properties"]["phase"]["enum"] == list(vocab.PHASES)
    assert props["stage"]["enum"] == list(vocab.ALL_STAGES)
    assert props["avs"]["properties"]["status"]["enum"] == list(vocab.AVS_STATUSES)
    assert props["avs"]["properties"]["steps"]["items"]["enum"] == list(vocab.FYRSTEG_STEPS)
    assert props["evidence"]["enum"] == list(vocab.EVIDENCE_LEVELS)
    assert props["cost"]["properties"]["method"]["enum"] == list(vocab.COST_METHODS)
    financing = props["financing"]["items"]["properties"]
    assert financing["party"]["anyOf"][0]["enum"] == list(vocab.PARTIES)
    assert financing["status"]["enum"] == list(vocab.FINANCING_STATUSES)
    assert props["links"]["items"]["properties"]["kind"]["enum"] == list(vocab.LINK_KINDS)
    assert props["reviews"]["items"]["properties"]["decision"]["enum"] == list(vocab.REVIEW_DECISIONS)


def test_the_schema_knows_the_keys_the_reader_knows():
    props = without_null(PLAN)["properties"]
    assert list(props) == list(fileformat.PLAN_KEYS)
    for key, keys in (("refs", fileformat.REF_KEYS), ("financing", fileformat.FINANCING_KEYS),
                      ("links", fileformat.LINK_KEYS), ("reviews", fileformat.REVIEW_KEYS)):
        assert set(props[key]["items"]["properties"]) == set(keys), key
    for key, keys in (("avs", fileformat.AVS_KEYS), ("seb", fileformat.SEB_KEYS), ("cost", fileformat.COST_KEYS),
                      ("verified", fileformat.VERIFIED_KEYS)):
        assert set(props[key]["properties"]) == set(keys), key


def test_a_plan_the_reader_accepts_is_valid():
    data = project({**full_plan(), "cost": {"low": 1000, "high": 1300, "price_level": "2024"}})
    projectfile.parse(data, today=TODAY)
    assert [e.message for e in VALIDATOR.iter_errors(data)] == []
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert any("plan" in o for o in example["objects"]) and VALIDATOR.is_valid(example)


@pytest.mark.parametrize("mutate", [
    lambda p: p["refs"][0].update(phase="paused"),
    lambda p: p.update(stage="built"),
    lambda p: p.update(evidence="guess"),
    lambda p: p["refs"][0].update(period="2026"),
    lambda p: p["cost"].update(price_level="2017-13"),
    lambda p: p["financing"][0].update(party="kommun"),
    lambda p: p["financing"][0].update(party="municipality: "),
    lambda p: p["links"][0].update(url="ftp://example.org"),
    lambda p: p.update(requires=["O3", "O3"]),
    lambda p: p.update(stagee="avs"),
    lambda p: p["refs"][0].update(fas="ongoing"),
    lambda p: p["avs"].update(steps=[5]),
    lambda p: p["reviews"][0].update(baseline="abc"),
    lambda p: p.update(verified={"date": "2026-11-30"}),
], ids=["phase", "stage", "evidence", "period", "price_level", "party", "party_without_name", "link",
        "requires_twice", "unknown_key", "unknown_ref_key", "fyrsteg", "baseline", "verified_by"])
def test_the_schema_refuses_what_the_reader_refuses(mutate):
    plan = copy.deepcopy(full_plan())
    mutate(plan)
    data = project(plan)
    assert not VALIDATOR.is_valid(data)
    with pytest.raises(Exception):  # noqa: B017 - the reader's messages are tested in test_plan_fileformat
        projectfile.parse(data, today=TODAY)


def test_the_documented_plan_example_is_valid():
    text = (ROOT / "docs" / "project-file.md").read_text(encoding="utf-8")
    section = text.split("\n## Plan\n", 1)[1].split("\n## ", 1)[0]
    example = json.loads(section.split("```json\n", 1)[1].split("```", 1)[0])
    plan, problems = fileformat.parse(example, "plan", TODAY)
    assert problems == [] and plan is not None and plan.refs[1].objekt_id == "VST005"
    data = project(example, cost=15500)
    assert VALIDATOR.is_valid(data)
    assert projectfile.parse(data, today=TODAY).objects[0].plan == plan
    for key in fileformat.PLAN_KEYS:  # every key is described in the section's table
        assert f"| `{key}` |" in section, key
