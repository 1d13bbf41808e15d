"""An object's ``plan`` key in the project file (issue 14): every field reads and writes back
exactly, each bad input is refused with its path and a pointed message, and files written before
issue 14 (a free-text ``planning_status``) load with that text, word for word, in ``plan.stage_note``."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest

from prioritization import projectfile
from prioritization.errors import ProjectFileError
from prioritization.planning import fileformat, vocab
from prioritization.planning.model import Financing, PlanData, PlanRef
from tests.conftest import EXAMPLE, FIXTURES

TODAY = date(2026, 12, 7)
SHA = "ab" * 32


def full_plan() -> dict:
    """Every key of ``plan`` with a value, in the order :func:`fileformat.to_data` writes them."""
    return {
        "refs": [
            {"plan": "NP", "period": "2026–2037", "objekt_id": "VST005", "phase": "ongoing", "cost_msek": 15000,
             "cost_incl_external": True, "source": "https://bransch.trafikverket.se/bilaga1.xlsx"},
            {"plan": "LP", "period": "2022-2033", "phase": "named", "cost_msek": 412.5, "cost_incl_external": False},
        ],
        "stage": "legally_binding",
        "stage_note": "Vägplan laga kraft jan 2024;\nupphandling 2023–2025",
        "avs": {"status": "done", "report_no": "TRV 2020:115", "year": 2020, "steps": [2, 4],
                "recommendation": "Ombyggnad av trafikplatser", "url": "https://trafikverket.ineko.se/avs"},
        "seb": {"nnk": -0.35, "nnv": -1200.5, "asek_version": "ASEK 7.0", "price_level": "2017-06",
                "date": "2025-09-30", "summary": "Stora restidsvinster", "url": "https://example.org/seb.pdf"},
        "evidence": "plan",
        "cost": {"low": 14000, "high": 16000, "price_level": "2024", "method": "successive",
                 "source": "Trafikverket 2024"},
        "financing": [
            {"party": "state", "amount_msek": 14463, "status": "agreement", "reference": "NP 2022–2033"},
            {"party": "municipality:Huddinge", "amount_msek": 45, "status": "agreement",
             "reference": "Genomförandeavtal"},
            {"party": "congestion_charge", "status": "idea"},
        ],
        "requires": ["O3"],
        "excludes": ["O2"],
        "package": "Södertörnspaketet",
        "links": [{"kind": "trv_project", "url": "https://www.trafikverket.se/tvarforbindelsesodertorn",
                   "title": "Projektsida"}, {"kind": "news", "url": "http://example.org/nyhet"}],
        "verified": {"date": "2026-11-30", "by": "Anna Andersson"},
        "reviews": [{"baseline": SHA, "changes": ["cost:1000→1300", "evidence:avs→plan"], "decision": "keep",
                     "reason": "Kostnaden är känd sedan planen", "date": "2026-12-01", "by": "Facilitator"}],
    }


def read(raw, today: date = TODAY):
    return fileformat.parse(raw, "objects[0].plan", today)


def problems_of(raw, today: date = TODAY) -> list[tuple[str, str]]:
    found, problems = read(raw, today)
    assert found is None, "a plan with problems must not be read"
    return problems


def project(plan: dict | None = None, **first) -> dict:
    """The small test round with ``plan`` (and other keys) on its first object O1 (cost 1200)."""
    data = json.loads((FIXTURES / "small-round.json").read_text(encoding="utf-8"))
    if plan is not None:
        data["objects"][0]["plan"] = plan
    data["objects"][0].update(first)
    return data


def file_problems(data: dict, today: date = TODAY) -> list[tuple[str | None, str]]:
    with pytest.raises(ProjectFileError) as e:
        projectfile.parse(data, today=today)
    return [(p.path, p.message) for p in e.value.problems]


# --- every field round-trips -----------------------------------------------------------------------


def test_every_field_reads_and_writes_back_exactly():
    raw = full_plan()
    plan, problems = read(raw)
    assert problems == [] and plan is not None
    assert plan.refs[0] == PlanRef("NP", "2026–2037", "VST005", "ongoing", 15000.0, True,
                                   "https://bransch.trafikverket.se/bilaga1.xlsx")
    assert plan.ref("LP", "2022-2033").cost_msek == 412.5 and plan.ref_by_id("VST005") is plan.refs[0]
    assert plan.stage == "legally_binding" and plan.stage_note == raw["stage_note"]
    assert plan.avs.steps == (2, 4) and plan.avs.year == 2020 and plan.avs.report_no == "TRV 2020:115"
    assert (plan.seb.nnk, plan.seb.nnv, plan.seb.date) == (-0.35, -1200.5, date(2025, 9, 30))
    assert (plan.cost.low, plan.cost.high, plan.cost.method) == (14000.0, 16000.0, "successive")
    assert plan.financing[1] == Financing("municipality:Huddinge", "agreement", 45.0, "Genomförandeavtal")
    assert vocab.party_municipality(plan.financing[1].party) == "Huddinge"
    assert (plan.requires, plan.excludes, plan.package) == (("O3",), ("O2",), "Södertörnspaketet")
    assert plan.verified.date == date(2026, 11, 30) and plan.reviews[0].changes == ("cost:1000→1300",
                                                                                     "evidence:avs→plan")
    written = fileformat.to_data(plan)
    assert json.dumps(written, ensure_ascii=False) == json.dumps(raw, ensure_ascii=False)  # keys in order too
    again, problems = read(written)
    assert problems == [] and again == plan


def test_empty_parts_are_left_out_and_an_empty_plan_reads_as_empty():
    plan, problems = read({})
    assert problems == [] and plan == PlanData() and plan.is_empty
    assert fileformat.to_data(PlanData()) == {}
    plan, _ = read({"stage": "avs", "requires": [], "financing": []})
    assert fileformat.to_data(plan) == {"stage": "avs"}


def test_the_plan_goes_through_the_project_file_and_back():
    data = project({**full_plan(), "cost": {"low": 1000, "high": 1300, "price_level": "2024"},
                    "requires": ["O3"], "excludes": ["O2"]})
    p = projectfile.parse(data, today=TODAY)
    o1 = p.objects[0]
    assert o1.plan.refs[0].objekt_id == "VST005" and "plan" not in o1.attributes
    assert all(o.plan.is_empty for o in p.objects[1:])
    written = projectfile.to_dict(p)
    assert written["objects"][0]["plan"] == data["objects"][0]["plan"]
    assert all("plan" not in o for o in written["objects"][1:])  # no empty plan written
    assert projectfile.parse(written, today=TODAY) == p
    assert projectfile.loads(projectfile.dumps(p)) == p  # the canonical text, read with today's date


def test_every_stage_phase_and_evidence_level_is_accepted():
    for stage in vocab.ALL_STAGES:
        assert read({"stage": stage})[0].stage == stage
    for phase in vocab.PHASES:
        assert read({"refs": [{"plan": "NP", "period": "2026–2037", "phase": phase}]})[0].refs[0].phase == phase
    for level in vocab.EVIDENCE_LEVELS:
        assert read({"evidence": level})[0].evidence == level


# --- bad input: its path and a pointed message -------------------------------------------------------


def test_unknown_phase_stage_and_evidence_level():
    assert problems_of({"refs": [{"plan": "NP", "period": "2026–2037", "phase": "paused"}]}) == [
        ("objects[0].plan.refs[0].phase", f"expected one of {', '.join(vocab.PHASES)}, got \"paused\"")]
    assert problems_of({"stage": "built"}) == [
        ("objects[0].plan.stage", f"expected one of {', '.join(vocab.ALL_STAGES)}, got \"built\"")]
    assert problems_of({"evidence": "gissning"}) == [
        ("objects[0].plan.evidence", f"expected one of {', '.join(vocab.EVIDENCE_LEVELS)}, got \"gissning\"")]
    assert problems_of({"refs": [{"plan": "RP", "period": "2026–2037"}]}) == [
        ("objects[0].plan.refs[0].plan", 'expected one of NP, LP, got "RP"')]


def test_a_period_backwards_or_not_a_period():
    assert problems_of({"refs": [{"plan": "NP", "period": "2037–2026"}]}) == [
        ("objects[0].plan.refs[0].period", '"2037–2026" is not a plan period (expected e.g. 2026–2037)')]
    assert problems_of({"refs": [{"plan": "NP", "period": "2026"}]}) == [
        ("objects[0].plan.refs[0].period", '"2026" is not a plan period (expected e.g. 2026–2037)')]
    assert problems_of({"refs": [{"plan": "NP"}]}) == [("objects[0].plan.refs[0].period", "is missing")]
    twice = {"refs": [{"plan": "NP", "period": "2026–2037"}, {"plan": "NP", "period": "2026–2037"}]}
    assert problems_of(twice) == [
        ("objects[0].plan.refs[1]", "the reference to NP 2026–2037 is given twice (also objects[0].plan.refs[0])")]


def test_a_price_level_in_the_future_is_refused_this_month_is_not():
    assert read({"cost": {"price_level": "2026-12"}})[0].cost.price_level == "2026-12"
    assert read({"cost": {"price_level": "2026"}})[0].cost.price_level == "2026"
    assert problems_of({"cost": {"price_level": "2027-01"}}) == [
        ("objects[0].plan.cost.price_level", "the price level 2027-01 is in the future (today is 2026-12-07)")]
    assert problems_of({"seb": {"price_level": "2027"}}) == [
        ("objects[0].plan.seb.price_level", "the price level 2027 is in the future (today is 2026-12-07)")]
    assert problems_of({"cost": {"price_level": "2017-13"}}) == [
        ("objects[0].plan.cost.price_level",
         '"2017-13" is not a price level (expected a year, 2017, or a month, 2017-06)')]
    # the project file reader passes its day on: the same file is valid a year later
    data = project({"cost": {"price_level": "2027"}})
    assert file_problems(data) == [
        ("objects[0].plan.cost.price_level", "the price level 2027 is in the future (today is 2026-12-07)")]
    assert projectfile.parse(data, today=date(2027, 1, 1)).objects[0].plan.cost.price_level == "2027"


def test_low_above_high_and_a_cost_outside_its_range():
    assert problems_of({"cost": {"low": 2000, "high": 1500}}) == [
        ("objects[0].plan.cost.low", "the low estimate 2000 MSEK is above the high estimate 1500 MSEK")]
    assert file_problems(project({"cost": {"low": 1300, "high": 1500}})) == [
        ("objects[0].plan.cost", "the cost 1200 MSEK is outside its range 1300–1500 MSEK")]
    assert file_problems(project({"cost": {"high": 1000}})) == [
        ("objects[0].plan.cost", "the cost 1200 MSEK is outside its range …–1000 MSEK")]
    assert projectfile.parse(project({"cost": {"low": 1200, "high": 1200}}), today=TODAY).objects[0].plan.cost.low == 1200


def test_dependencies_on_a_missing_object_on_itself_and_both_ways():
    assert file_problems(project({"requires": ["O9"]})) == [("objects[0].plan.requires", 'unknown object "O9"')]
    assert file_problems(project({"excludes": ["O1"]})) == [
        ("objects[0].plan.excludes", 'an object cannot name itself ("O1")')]
    assert problems_of({"requires": ["O2", "O3"], "excludes": ["O3"]}) == [
        ("objects[0].plan.excludes", "O3 is both required and excluded")]
    assert problems_of({"requires": ["O2", "O2"]}) == [("objects[0].plan.requires", "names an object twice")]
    assert problems_of({"requires": "O2"}) == [
        ("objects[0].plan.requires", 'expected a list of object ids, got "O2"')]


def test_a_circle_of_three_requires_is_named_with_its_members():
    data = project({"requires": ["O2"]})
    data["objects"][1]["plan"] = {"requires": ["O3"]}
    data["objects"][2]["plan"] = {"requires": ["O1"]}
    assert file_problems(data) == [
        ("objects[0].plan.requires", "the objects require each other in a circle: O1 → O2 → O3 → O1")]
    data["objects"][2]["plan"] = {"requires": ["O4"], "excludes": ["O1"]}  # a chain, not a circle
    p = projectfile.parse(data, today=TODAY)
    assert [o.plan.requires for o in p.objects[:3]] == [("O2",), ("O3",), ("O4",)]
    assert fileformat.find_cycle({"a": ("b",), "b": ("c",), "c": ("a",)}) == ["a", "b", "c"]
    assert fileformat.find_cycle({"a": ("b", "c"), "b": ("c",), "c": ()}) is None


def test_a_link_must_be_a_web_address():
    assert problems_of({"links": [{"kind": "news", "url": "ftp://example.org/x"}]}) == [
        ("objects[0].plan.links[0].url", '"ftp://example.org/x" is not a web address (expected http:// or https://)')]
    assert problems_of({"links": [{"kind": "news"}]}) == [("objects[0].plan.links[0].url", "is missing")]
    assert read({"links": [{"url": "https://example.org"}]})[0].links[0].kind == "other"  # kind defaults


@pytest.mark.parametrize("party", ["kommun", "municipality:", "municipality:  ", "Huddinge"])
def test_a_financing_party_must_be_known_or_a_named_municipality(party):
    expected = f"expected one of {', '.join(vocab.PARTIES)} or municipality:<name>, got \"{party}\""
    assert problems_of({"financing": [{"party": party, "status": "agreement"}]}) == [
        ("objects[0].plan.financing[0].party", expected)]


def test_financing_status_review_and_verification_are_checked():
    assert problems_of({"financing": [{"party": "region", "status": "promised"}]}) == [
        ("objects[0].plan.financing[0].status",
         f"expected one of {', '.join(vocab.FINANCING_STATUSES)}, got \"promised\"")]
    assert problems_of({"verified": {"date": "2026-11-31", "by": "Anna"}}) == [
        ("objects[0].plan.verified.date", '"2026-11-31" is not a date (expected YYYY-MM-DD)')]
    review = full_plan()["reviews"][0]
    assert problems_of({"reviews": [{**review, "baseline": "abc", "decision": "ignore"}]}) == [
        ("objects[0].plan.reviews[0].baseline", 'expected a version\'s SHA-256 (64 hex digits), got "abc"'),
        ("objects[0].plan.reviews[0].decision", f"expected one of {', '.join(vocab.REVIEW_DECISIONS)}, got \"ignore\"")]
    assert problems_of({"avs": {"status": "done", "steps": [5], "year": 2027}}) == [
        ("objects[0].plan.avs.year", "2027 is in the future"),
        ("objects[0].plan.avs.steps", "expected a list of fyrsteg steps 1–4, got list")]


def test_unknown_keys_are_named_with_the_allowed_ones():
    assert problems_of({"stagee": "avs"}) == [
        ("objects[0].plan.stagee", f'unknown key "stagee" (allowed: {", ".join(fileformat.PLAN_KEYS)})')]
    assert problems_of({"refs": [{"plan": "NP", "period": "2026–2037", "fas": "ongoing"}]}) == [
        ("objects[0].plan.refs[0].fas", f'unknown key "fas" (allowed: {", ".join(fileformat.REF_KEYS)})')]
    assert problems_of("laga kraft") == [("objects[0].plan", 'expected an object, got "laga kraft"')]


def test_every_problem_of_a_plan_is_reported_at_once():
    bad = {"stage": "built", "evidence": "x", "cost": {"low": 3, "high": 2}, "links": [{"url": "x"}]}
    assert sorted(p for p, _ in problems_of(bad)) == ["objects[0].plan.cost.low", "objects[0].plan.evidence",
                                                      "objects[0].plan.links[0].url", "objects[0].plan.stage"]


def test_a_bad_plan_makes_the_whole_file_invalid():
    with pytest.raises(ProjectFileError):
        projectfile.parse(project({"stage": "built"}), today=TODAY)


# --- files written before issue 14 ----------------------------------------------------------------------


def test_upgrade_moves_a_planning_status_word_for_word():
    legacy = {"id": "A", "name": "Bro", "planning_status": "  ÅVS klar 2020;\nvägplan  pågår ", "mode": "road"}
    before = copy.deepcopy(legacy)
    out = fileformat.upgrade_object(legacy)
    assert out == {"id": "A", "name": "Bro", "mode": "road", "plan": {"stage_note": legacy["planning_status"]}}
    assert legacy == before  # a new dict, the input untouched


def test_upgrade_keeps_a_note_already_there_and_the_rest_of_the_plan():
    legacy = {"id": "A", "planning_status": "Samråd 2025", "plan": {"stage": "avs", "stage_note": "ÅVS 2021"}}
    assert fileformat.upgrade_object(legacy) == {
        "id": "A", "plan": {"stage": "avs", "stage_note": "ÅVS 2021\nSamråd 2025"}}
    assert fileformat.upgrade_object({"id": "A", "planning_status": "Samråd", "plan": {"stage_note": ""}}) == {
        "id": "A", "plan": {"stage_note": "Samråd"}}


def test_upgrade_leaves_an_upgraded_object_alone():
    upgraded = {"id": "A", "plan": {"stage": "avs", "stage_note": "ÅVS 2021"}}
    assert fileformat.upgrade_object(upgraded) == upgraded
    assert fileformat.upgrade_object(fileformat.upgrade_object({"id": "A", "planning_status": "x"})) == {
        "id": "A", "plan": {"stage_note": "x"}}
    # nothing to move: an empty text goes, a non-text stays for the reader to keep as an attribute
    assert fileformat.upgrade_object({"id": "A", "planning_status": ""}) == {"id": "A"}
    assert fileformat.upgrade_object({"id": "A", "planning_status": 3}) == {"id": "A", "planning_status": 3}
    # a plan that is not an object: nothing moves, the reader names the problem
    assert fileformat.upgrade_object({"id": "A", "planning_status": "x", "plan": "avs"}) == {
        "id": "A", "planning_status": "x", "plan": "avs"}
    assert file_problems(project("avs", planning_status="x")) == [
        ("objects[0].plan", 'expected an object, got "avs"')]


def test_a_project_file_with_planning_status_loads_with_it_in_the_stage_note():
    p = projectfile.parse(project(None, planning_status="Vägplan laga kraft"), today=TODAY)
    assert p.objects[0].plan.stage_note == "Vägplan laga kraft" and p.objects[0].plan.stage is None
    assert "planning_status" not in p.objects[0].attributes
    assert projectfile.to_dict(p)["objects"][0]["plan"] == {"stage_note": "Vägplan laga kraft"}


def test_the_example_as_written_before_issue_14_loads_with_every_planning_status_in_a_note():
    """tests/fixtures/objects-before-issue-14.json: the 15 objects of data/sodertorn-exempel.json as
    committed before issue 14 (free-text ``planning_status``, no ``plan``), put into today's example."""
    old_objects = json.loads((FIXTURES / "objects-before-issue-14.json").read_text(encoding="utf-8"))
    assert all("planning_status" in o and "plan" not in o for o in old_objects)
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["objects"] = old_objects
    p = projectfile.parse(data)
    assert [o.id for o in p.objects] == [o["id"] for o in old_objects]
    assert {o.id: o.plan.stage_note for o in p.objects} == {o["id"]: o["planning_status"] for o in old_objects}
    assert all(o.plan == PlanData(stage_note=o.plan.stage_note) for o in p.objects)  # nothing guessed
    assert not any("planning_status" in o.attributes for o in p.objects)
    kept = [{k: v for k, v in o.items() if k != "planning_status"} for o in old_objects]
    assert [{k: v for k, v in o.items() if k != "plan"} for o in projectfile.to_dict(p)["objects"]] == [
        {"id": o["id"], "name": o["name"], "cost": o["cost"], "status": o["status"],
         **{k: v for k, v in o.items() if k not in ("id", "name", "cost", "status")}} for o in kept]
