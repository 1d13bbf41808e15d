"""The pure follow-up helpers behind the follow-up page and the dashboard's committed table."""

import dataclasses
import json
from datetime import date

import pandas as pd
import pytest

from prioritization import projectfile
from prioritization.report import follow_up as view
from prioritization.report.theme import OKABE_ITO
from prioritization.timeline.follow_up import SETBACK_STEPS, STEPS, FollowUp, FollowUpStep, latest_step
from prioritization.timeline.labels import step_label, step_when
from tests.conftest import EXAMPLE


@pytest.fixture(scope="module")
def project():
    return projectfile.load(EXAMPLE)


def with_tracks(project, *tracks: FollowUp):
    keep = [f for f in project.follow_up if f.object not in {t.object for t in tracks}]
    return dataclasses.replace(project, follow_up=(*keep, *tracks))


def test_a_month_or_year_step_counts_from_the_end_of_its_period():
    assert view.step_end(FollowUpStep("opened", date(2024, 2, 10))) == date(2024, 2, 10)
    assert view.step_end(FollowUpStep("opened", date(2024, 2, 1), "month")) == date(2024, 2, 29)  # leap year
    assert view.step_end(FollowUpStep("opened", date(2023, 2, 1), "month")) == date(2023, 2, 28)
    assert view.step_end(FollowUpStep("opened", date(2024, 1, 1), "year")) == date(2024, 12, 31)


def test_months_arithmetic():
    assert view.months_before(date(2025, 3, 31), 1) == date(2025, 2, 28)
    assert view.months_before(date(2025, 1, 15), 12) == date(2024, 1, 15)
    assert view.months_before(date(2025, 1, 15), 13) == date(2023, 12, 15)
    assert view.whole_months(date(2024, 1, 31), date(2025, 1, 30)) == 11
    assert view.whole_months(date(2024, 1, 31), date(2025, 1, 31)) == 12
    assert view.whole_months(date(2025, 1, 31), date(2024, 1, 31)) == 0


def test_stale_means_more_than_the_limit_since_the_latest_step():
    january = FollowUpStep("plan_approved", date(2024, 1, 1), "month")  # "januari 2024": up to 31 Jan
    assert not view.is_stale(january, date(2025, 1, 31))
    assert view.is_stale(january, date(2025, 2, 1))
    assert not view.is_stale(january, date(2025, 2, 1), stale_months=13)
    exact = FollowUpStep("plan_approved", date(2024, 1, 1))
    assert not view.is_stale(exact, date(2025, 1, 1)) and view.is_stale(exact, date(2025, 1, 2))
    assert not view.is_stale(None, date(2100, 1, 1))  # no step: nothing to be stale


def test_latest_step_rows_of_the_example(project):
    sod01 = project.follow_up_of("SOD-01")
    last = latest_step(sod01)
    rows = view.latest_step_rows(project, "sv", today=date(2024, 6, 1)).set_index("object_id")
    committed = [o.id for o in project.committed]
    assert list(rows.index) == committed  # only committed objects are followed up in the example
    r = rows.loc["SOD-01"]
    assert r["object"] == project.object("SOD-01").name
    assert r["step_id"] == last.step and r["step"] == step_label(last.step, "sv")
    assert r["date"] == last.date and r["when"] == step_when(last, "sv")
    assert r["responsible"] == sod01.responsible and r["tracked"]
    assert not r["stale"] and r["months_since"] == view.whole_months(view.step_end(last), date(2024, 6, 1))
    untracked = next(i for i in committed if project.follow_up_of(i) is None)
    u = rows.loc[untracked]
    assert (u["step"], u["when"], u["responsible"]) == (view.NONE, view.NONE, view.NONE)
    assert not u["tracked"] and not u["stale"] and pd.isna(u["step_id"]) and pd.isna(u["months_since"])


def test_stale_flag_follows_the_injected_today(project):
    last = latest_step(project.follow_up_of("SOD-01"))
    end = view.step_end(last)
    just_within = date(end.year + 1, end.month, end.day)
    after = date.fromordinal(just_within.toordinal() + 1)
    assert not view.latest_step_rows(project, today=just_within).set_index("object_id").loc["SOD-01", "stale"]
    rows = view.latest_step_rows(project, today=after).set_index("object_id")
    assert rows.loc["SOD-01", "stale"] and rows.loc["SOD-01", "months_since"] == 12
    assert not view.latest_step_rows(project, today=after, stale_months=24).set_index("object_id").loc[
        "SOD-01", "stale"]


def test_a_decided_candidate_with_a_track_is_followed_up_too(project):
    candidate = project.candidates[0]
    track = FollowUp(candidate.id, "Huddinge", (FollowUpStep("regional_plan", date(2025, 6, 1), "month"),
                                                FollowUpStep("avs_done", date(2023, 3, 14))))
    p = with_tracks(project, track)
    rows = view.latest_step_rows(p, "en", today=date(2025, 7, 1)).set_index("object_id")
    assert candidate.id in rows.index
    assert rows.loc[candidate.id, "step"] == step_label("regional_plan", "en") == "In the regional plan"
    assert rows.loc[candidate.id, "when"] == "June 2025"
    assert rows.loc[candidate.id, "object"] == candidate.attributes.get("name_en", candidate.name)
    assert candidate.id not in {o.id for o in view.untracked_objects(p)}
    assert candidate.id in {o.id for o in view.untracked_objects(project)}


def test_step_rows_list_every_step_in_track_order(project):
    steps = view.step_rows(project, "sv")
    sod01 = project.follow_up_of("SOD-01")
    assert list(steps["step_id"]) == [s.step for s in sod01.steps]
    assert list(steps["position"]) == list(range(len(sod01.steps)))
    assert list(steps["note"]) == [s.note or "" for s in sod01.steps]
    assert list(steps["date"]) == sorted(steps["date"])


def test_latest_sentence_in_plain_swedish_and_english():
    track = FollowUp("X", steps=(FollowUpStep("avs_done", date(2014, 1, 1), "month"),
                                 FollowUpStep("plan_approved", date(2024, 1, 1), "month")))
    assert view.latest_sentence(track, "sv") == \
        "Senaste steg: väg- eller järnvägsplanen har vunnit laga kraft (januari 2024)."
    assert view.latest_sentence(track, "en") == "Latest step: the road or rail plan has gained legal force (January 2024)."
    assert view.latest_sentence(FollowUp("X"), "sv") == "Inget steg är registrerat än."
    assert view.latest_sentence(None, "en") == "No step is recorded yet."


def test_step_problems_are_swedish_sentences(project):
    assert view.step_problem(project, "SOD-99", "opened", date(2025, 1, 1)) == "Objektet SOD-99 finns inte i omgången."
    assert view.step_problem(project, "SOD-01", "opened", None) == "Ange ett datum."
    assert view.step_problem(project, "SOD-01", "built", date(2025, 1, 1)) == "Okänt uppföljningssteg ”built”."
    recorded = latest_step(project.follow_up_of("SOD-01"))
    twice = view.step_problem(project, "SOD-01", recorded.step, date(2025, 1, 1))
    assert f"”{step_label(recorded.step)}” är redan registrerat" in twice and step_when(recorded) in twice
    assert view.step_problem(project, "SOD-01", recorded.step, date(2025, 1, 1), replace=True) is None
    assert view.step_problem(project, "SOD-12", "opened", date(2025, 1, 1)) is None  # starts a track


def test_steps_chart_has_every_object_a_row_and_step_colours_and_shapes(project):
    steps = view.step_rows(project, "sv")
    objects = list(view.latest_step_rows(project, "sv")["object"])
    spec = view.steps_chart(steps, objects, date(2026, 1, 1), "sv").to_dict()
    layers = spec["layer"]
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in layers]
    assert marks == ["line", "point", "point", "text", "text", "rule", "text"]
    points = layers[1]["encoding"]
    assert points["y"]["scale"]["domain"] == objects  # also objects without any step get a row
    assert points["color"]["scale"]["domain"] == [step_label(s) for s in STEPS]
    colours = points["color"]["scale"]["range"]
    assert set(colours) <= set(OKABE_ITO) and len(colours) == len(STEPS)
    assert points["shape"]["scale"]["domain"] == points["color"]["scale"]["domain"]  # not colour alone
    # every step is told apart by colour and shape together; the setbacks by colour alone and have a ring
    marks_of = list(zip(colours, points["shape"]["scale"]["range"], strict=True))
    assert len(set(marks_of)) == len(STEPS)
    setback = {colours[STEPS.index(s)] for s in SETBACK_STEPS}
    assert len(setback) == 1 and setback.isdisjoint(colours[STEPS.index(s)] for s in STEPS if s not in SETBACK_STEPS)
    assert layers[2]["mark"]["filled"] is False and "datum.setback" in json.dumps(layers[2]["transform"])
    assert spec["height"] == {"step": view.ROW_STEP}
    text = json.dumps(spec, ensure_ascii=False)
    assert "I dag" in text and "2026-01-01" in text
    for s in project.follow_up_of("SOD-01").steps:
        assert step_label(s.step) in text and s.note in text  # labels at the points, notes in tooltips


def test_today_from_session_values():
    assert view.today_from({"today": date(2025, 5, 6)}) == date(2025, 5, 6)
    assert view.today_from({"today": "2025-05-06"}) == date(2025, 5, 6)
    assert view.today_from({}) == date.today()


def test_every_step_has_plain_words_in_both_languages():
    for lang in ("sv", "en"):
        for s in STEPS:
            track = FollowUp("X", steps=(FollowUpStep(s, date(2024, 1, 1), "year"),))
            sentence = view.latest_sentence(track, lang)
            assert "followup.reached" not in sentence and sentence.endswith("(2024).")
