"""Follow-up tracks of objects after the decision."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from prioritization import projectfile
from prioritization.timeline import follow_up as fmt
from prioritization.timeline.follow_up import (
    FollowUp,
    FollowUpStep,
    HistoryEntry,
    latest_step,
    latest_steps,
    step_changes,
    with_history,
)
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
        "follow_up[1].steps[2].step: expected one of avs_done, agreement_signed, regional_plan, national_plan, "
        "preparation, consultation, plan_approved, construction_decision, construction_started, opened, rework, "
        'removed, cancelled, got text "built"',
        'follow_up[1].steps[2].date: text "2014-13-01" is not a date (expected YYYY-MM-DD)',
        'follow_up[1].steps[2].precision: expected one of day, month, year, got text "week"',
        'follow_up[2].object: object "SOD-01" is followed up twice (also follow_up[1])',
        'follow_up[3].owner: unknown key "owner" (allowed: object, responsible, note, steps, history)',
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
    # planning status "Vägplan laga kraft jan 2024" (since issue 14 the plan's stage note) -> road plan
    # approved, January 2024
    assert "laga kraft jan 2024" in obj.plan.stage_note
    assert (last.step, last.date, last.precision) == ("plan_approved", date(2024, 1, 1), "month")
    assert step_when(last) == "januari 2024" and step_label(last.step) == "Väg- eller järnvägsplan fastställd"
    # funding_status: fully financed in NP 2022–2033
    assert "NP 2022–2033" in obj.attributes["funding_status"]
    assert track.step("national_plan").date.year == 2022
    assert project.follow_up_of("SOD-02") is None


HISTORY = [
    {"at": "2025-03-01T09:30:00+00:00", "by": "Facilitator", "action": "set", "step": "construction_decision",
     "date": "2024-06-01", "precision": "month", "source": "Regeringsbeslut"},
    {"at": "2025-11-02T10:00:00+01:00", "by": "Facilitator", "action": "set", "step": "rework",
     "date": "2025-10-01", "precision": "month", "note": "Kostnaden steg"},
]


def test_history_is_read_kept_in_order_and_written_back():
    raw = [{"object": "SOD-01", "steps": [{"step": "rework", "date": "2025-10-01", "precision": "month"}],
            "history": HISTORY}]
    (track,), problems = fmt.parse(raw, OBJECTS)
    assert problems == []
    first, second = track.history
    assert (first.action, first.step, first.precision, first.source) == ("set", "construction_decision", "month",
                                                                        "Regeringsbeslut")
    assert second.at == datetime(2025, 11, 2, 9, 0, tzinfo=UTC)  # the offset is kept and compares as UTC
    assert second.at.utcoffset() == timedelta(hours=1)
    assert fmt.to_data([track])[0]["history"] == HISTORY  # oldest first, exactly as read
    # a file without history stays as it was: no empty "history" key is written
    (plain,), _ = fmt.parse([{"object": "SOD-02", "steps": []}], OBJECTS)
    assert plain.history == () and "history" not in fmt.to_dict(plain)


def test_history_reader_errors_have_exact_paths():
    bad = [
        {"at": "2025-03-01T09:30:00", "by": "", "action": "changed", "step": "built", "date": "2025-02-30",
         "precision": "week", "note": 5, "who": "x"},
        {"at": "igår", "action": "removed", "step": "opened", "date": "2025-01-01"},
        "set",
    ]
    assert errors([{"object": "SOD-01", "history": bad}]) == [
        'follow_up[0].history[0].who: unknown key "who" (allowed: at, by, action, step, date, precision, note, source)',
        'follow_up[0].history[0].at: text "2025-03-01T09:30:00" is not a time with its UTC offset '
        "(expected e.g. 2026-05-04T09:30:00+00:00)",
        'follow_up[0].history[0].by: expected who made the change, got text ""',
        'follow_up[0].history[0].action: expected one of set, removed, got text "changed"',
        "follow_up[0].history[0].step: expected one of " + ", ".join(fmt.STEPS) + ', got text "built"',
        'follow_up[0].history[0].date: text "2025-02-30" is not a date (expected YYYY-MM-DD)',
        'follow_up[0].history[0].precision: expected one of day, month, year, got text "week"',
        "follow_up[0].history[0].note: expected text, got 5",
        'follow_up[0].history[1].at: text "igår" is not a time with its UTC offset (expected e.g. 2026-05-04T09:30:00+00:00)',
        "follow_up[0].history[1].by: is missing",
        "follow_up[0].history[1].precision: is missing",
        'follow_up[0].history[2]: expected an object, got text "set"',
    ]
    assert errors([{"object": "SOD-01", "history": {}}]) == [
        "follow_up[0].history: expected a list of history entries, got an object"]


def test_history_records_going_back_and_forth():
    at = [datetime(2025, m, 1, 8, tzinfo=UTC) for m in (1, 2, 3, 4)]
    decided = FollowUpStep("construction_decision", date(2024, 6, 1), "month")
    t0 = FollowUp("SOD-01")
    t1 = with_history(t0, t0.with_step(decided), at[0], "A")
    t2 = with_history(t1, t1.with_step(FollowUpStep("rework", date(2025, 1, 15))), at[1], "B")
    t3 = with_history(t2, t2.with_step(FollowUpStep("construction_decision", date(2027, 6, 1), "month")), at[2], "A")
    t4 = with_history(t3, t3.without_step("rework"), at[3], "A")
    assert [(h.action, h.step, h.date, h.by) for h in t4.history] == [
        ("set", "construction_decision", date(2024, 6, 1), "A"),
        ("set", "rework", date(2025, 1, 15), "B"),
        ("set", "construction_decision", date(2027, 6, 1), "A"),  # the track holds only this one now
        ("removed", "rework", date(2025, 1, 15), "A"),
    ]
    assert [s.step for s in t4.steps] == ["construction_decision"]
    assert t4.history[0].recorded == decided
    # the history a caller hands in is not trusted: it continues the old track's
    forged = t4.replace(history=(HistoryEntry(at[0], "X", "set", "opened", date(2020, 1, 1)),))
    assert with_history(t4, forged, at[3], "A").history == t4.history
    # an unchanged track adds nothing; a time without its offset is refused
    assert step_changes(t4, t4, at[3], "A") == ()
    with pytest.raises(ValueError, match="UTC offset"):
        step_changes(t3, t4, datetime(2025, 5, 1), "A")
    assert step_changes(None, t1, datetime(2025, 5, 1, tzinfo=timezone(timedelta(hours=2))), "A")[0].action == "set"


def test_the_schema_knows_every_step_and_the_history():
    import json
    from pathlib import Path

    from jsonschema import Draft202012Validator

    schema = json.loads((Path(fmt.__file__).parents[1] / "schema" / "project-v1.schema.json").read_text("utf-8"))
    assert schema["$defs"]["follow_up_step"]["enum"] == list(fmt.STEPS)
    track = {"object": "SOD-01", "steps": [{"step": "rework", "date": "2025-10-01", "precision": "month"}],
             "history": HISTORY}
    entry = Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/follow_up"})
    assert list(entry.iter_errors(track)) == []
    bad = {**track, "history": [{**HISTORY[0], "action": "changed"}, {k: v for k, v in HISTORY[1].items() if k != "by"}]}
    assert sorted("/".join(map(str, e.path)) for e in entry.iter_errors(bad)) == ["history/0/action", "history/1"]
