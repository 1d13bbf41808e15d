"""Follow-up tracks of objects after the decision."""

from datetime import date

import pytest

from prioritization import projectfile
from prioritization.timeline import follow_up as fmt
from prioritization.timeline.follow_up import FollowUp, FollowUpStep, latest_step, latest_steps
from prioritization.timeline.labels import step_label, step_when
from tests.conftest import EXAMPLE

OBJECTS = ["SOD-01", "SOD-02"]


def errors(data) -> list[str]:
    return [f"{p}: {m}" for p, m in fmt.parse(data, OBJECTS)[1]]


def test_latest_step_is_the_most_recent_and_on_a_tie_the_furthest_along():
    f = FollowUp("SOD-01", steps=(
        FollowUpStep("plan_approved", date(2024, 1, 1)),
        FollowUpStep("avs_done", date(2014, 1, 1)),
        FollowUpStep("national_plan", date(2022, 6, 1)),
    ))
    assert [s.step for s in f.steps] == ["avs_done", "national_plan", "plan_approved"]  # canonical: by date
    assert latest_step(f).step == "plan_approved"
    tie = f.with_step(FollowUpStep("construction_started", date(2024, 1, 1)))
    assert latest_step(tie).step == "construction_started"
    assert latest_step(FollowUp("SOD-02")) is None
    assert latest_steps([f, FollowUp("SOD-02")]) == {"SOD-01": f.steps[-1], "SOD-02": None}


def test_recording_a_step_again_replaces_it():
    f = FollowUp("SOD-01").with_step(FollowUpStep("opened", date(2030, 1, 1)))
    g = f.with_step(FollowUpStep("opened", date(2031, 6, 1), note="försenad"))
    assert [(s.step, s.date) for s in g.steps] == [("opened", date(2031, 6, 1))]
    assert g.without_step("opened").steps == ()
    with pytest.raises(ValueError, match="unknown step"):
        f.with_step(FollowUpStep("inaugurated", date(2030, 1, 1)))


def test_reader_errors_have_exact_paths():
    data = [
        {"object": "SOD-99", "steps": []},
        {"object": "SOD-01", "responsible": 3, "steps": [
            {"step": "avs_done", "date": "2014-01-01"},
            {"step": "avs_done", "date": "2014-02-01"},
            {"step": "built", "date": "2014-13-01", "precision": "week", "by": "x"},
        ]},
        {"object": "SOD-01"},
        {"object": "SOD-02", "steps": {}, "owner": "x"},
    ]
    assert errors(data) == [
        'follow_up[0].object: unknown object "SOD-99"',
        "follow_up[1].responsible: expected text, got 3",
        'follow_up[1].steps[1].step: "avs_done" is recorded twice (also follow_up[1].steps[0])',
        'follow_up[1].steps[2].by: unknown key "by" (allowed: step, date, precision, note, source)',
        "follow_up[1].steps[2].step: expected one of avs_done, regional_plan, national_plan, plan_approved, "
        'construction_started, opened, got text "built"',
        'follow_up[1].steps[2].date: text "2014-13-01" is not a date (expected YYYY-MM-DD)',
        'follow_up[1].steps[2].precision: expected one of day, month, year, got text "week"',
        'follow_up[2].object: object "SOD-01" is followed up twice (also follow_up[1])',
        'follow_up[3].owner: unknown key "owner" (allowed: object, responsible, note, steps)',
        "follow_up[3].steps: expected a list of steps, got an object",
    ]
    assert errors({"object": "SOD-01"}) == ["follow_up: expected a list of follow-up entries, got an object"]


def test_round_trip_is_canonical():
    raw = [{"object": "SOD-02", "steps": [{"step": "opened", "date": "2030-05-01", "precision": "month"},
                                          {"step": "avs_done", "date": "2020-01-01", "note": "ÅVS"}]},
           {"object": "SOD-01", "responsible": "Huddinge kommun"}]
    tracks, problems = fmt.parse(raw, OBJECTS)
    assert problems == []
    out = fmt.to_data(tracks)
    assert [e["object"] for e in out] == ["SOD-02", "SOD-01"]  # input order of objects kept
    assert [s["step"] for s in out[0]["steps"]] == ["avs_done", "opened"]  # steps by date
    assert out[1] == {"object": "SOD-01", "responsible": "Huddinge kommun", "steps": []}
    assert fmt.from_data(out, OBJECTS) == tracks


def test_the_example_follows_up_tvarforbindelse_sodertorn_from_its_planning_status():
    project = projectfile.load(EXAMPLE)
    (track,) = project.follow_up
    obj = project.object(track.object)
    assert obj.id == "SOD-01" and obj.status == "committed"
    assert "(exempel)" in track.responsible and "Exempeldata" in track.note
    last = latest_step(track)
    # planning_status: "Vägplan laga kraft jan 2024" -> road plan approved, January 2024
    assert "laga kraft jan 2024" in obj.attributes["planning_status"]
    assert (last.step, last.date, last.precision) == ("plan_approved", date(2024, 1, 1), "month")
    assert step_when(last) == "januari 2024" and step_label(last.step) == "Väg- eller järnvägsplan fastställd"
    # funding_status: fully financed in NP 2022–2033
    assert "NP 2022–2033" in obj.attributes["funding_status"]
    assert track.step("national_plan").date.year == 2022
    assert project.follow_up_of("SOD-02") is None
