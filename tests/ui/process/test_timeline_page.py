"""The timeline page (AppTest): the countdown, warnings, next steps and late items as the domain
computes them on an injected day; the Gantt chart; the facilitator's edits (status and note,
attached versions, the milestone table, the plan-round template) stored and audited, bad edits
refused in Swedish with nothing stored; the iCalendar download; read-only for other roles."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import icalendar
import pandas as pd
import pytest
from streamlit import dataframe_util

from prioritization import i18n
from prioritization.storage import audit, rounds, versions
from prioritization.storage import timeline as store
from prioritization.storage.access import PARTICIPANT, VIEWER, Actor
from prioritization.timeline import milestones as milestone_format
from prioritization.timeline import schedule
from prioritization.timeline.labels import warning_text, when_text
from prioritization.timeline.milestones import EXTERNAL
from prioritization.timeline.template import round_template
from prioritization.ui.process.timeline import (
    apply_milestone_delta,
    countdown_text,
    default_plan_year,
    ics_file_name,
    today_from,
)
from tests.ui.conftest import app

VIEW = str(Path(__file__).resolve().parents[3] / "prioritization" / "ui" / "pages" / "timeline.py")
TODAY = date(2026, 11, 26)


def page(actor, lang="sv", today=TODAY, **state):
    at = app(actor, lang, script=VIEW, today=today, **state).run()
    assert not at.exception, at.exception
    return at


def plain(text: str) -> str:
    """Markdown as read: escapes removed."""
    return text.replace("\\", "")


def texts(at) -> str:
    return plain("\n".join([m.value for m in at.markdown] + [s.value for s in at.subheader]
                           + [w.value for w in at.warning] + [s.value for s in at.success]
                           + [c.value for c in at.caption] + [i.value for i in at.info] + [e.value for e in at.error]))


def gantt(at) -> tuple[dict, dict]:
    """The first chart's spec and its datasets by name (Streamlit sends the data as Arrow)."""
    chart = at.get("vega_lite_chart")[0]
    data = {d.name: dataframe_util.convert_arrow_bytes_to_pandas_df(d.data.data) for d in chart.proto.datasets}
    return json.loads(chart.proto.spec), data


def layer_rows(spec, data, name):
    layer = next(x for x in spec["layer"] if x.get("name") == name)
    return data[layer["data"]["name"]]


def stored(db, fac, rid):
    return store.state(db, fac, rid)


def button(at, key):
    return next(b for b in at.button if b.key == key)


def set_status_form(at, mid, status, note, meanwhile=None):
    """Fill in the status form of ``mid`` and submit it; ``meanwhile()`` runs just before the click
    (someone else changing the round while the form is open)."""
    at.selectbox(key="timeline_pick").set_value(mid).run()
    version = next(k for k in (s.key for s in at.selectbox) if k and k.startswith(f"timeline_status_{mid}_"))
    at.selectbox(key=version).set_value(status)
    at.text_area(key=version.replace("timeline_status_", "timeline_note_")).input(note)
    if meanwhile is not None:
        meanwhile()
    return button(at, "timeline_save_status").click().run()


def edit(at, edited=None, added=None, deleted=None):
    gen = at.session_state.get("milestones_gen", 0)
    at.session_state[f"milestones_editor_{gen}"] = {"edited_rows": edited or {}, "added_rows": added or [],
                                                   "deleted_rows": deleted or []}
    return at.run()


# --- pure helpers ---------------------------------------------------------------------------------


def test_today_and_plan_year_and_file_name():
    assert today_from(date(2024, 1, 2)) == date(2024, 1, 2) and today_from("2024-01-02") == date(2024, 1, 2)
    assert today_from(None) == date.today() and today_from("nonsense") == date.today()
    assert default_plan_year(date(2026, 11, 26)) == 2030 and default_plan_year(date(2027, 2, 1)) == 2030
    assert default_plan_year(date(2028, 1, 1)) == 2034
    assert ics_file_name("Södertörn 2023/24 (exempel)", "sv") == "tidslinje-sodertorn-2023-24-exempel.ics"
    assert ics_file_name("Åre", "en") == "timeline-are.ics"


def test_countdown_sentence_follows_the_domain():
    template = round_template(2030)
    for day in (date(2027, 6, 1), date(2027, 11, 30), date(2027, 12, 24), date(2028, 3, 5)):
        cd = schedule.countdown(template, day)
        text = countdown_text(template, day, "sv")
        assert "vinter 2027/28" in text
        if cd.days_to_start > 0:
            assert text.startswith(f"{cd.days_to_start} {'dag' if cd.days_to_start == 1 else 'dagar'} kvar")
        elif cd.ongoing:
            assert "ska fattas nu" in text and f"{cd.days_to_end} dagar kvar" in text
        else:
            assert "inte markerat som fattat" in text and f"{-cd.days_to_end} dagar sedan" in text
    done = [m.replace(status="done") if m.decision else m for m in template]
    assert countdown_text(done, date(2028, 3, 5), "en") == \
        "The decision on the priority list was taken in winter 2027/28"


def test_delta_keeps_links_generates_ids_and_moves_a_day_end():
    items = milestone_format.to_data(round_template(2030))
    items[0]["links"] = {"versions": ["ab" * 32]}
    new, problems = apply_milestone_delta(items, {
        "edited_rows": {0: {"title_sv": " Ny titel "}, 1: {"precision": "day", "start": "2027-03-16"}},
        "added_rows": [{"title_sv": "Extra möte", "start": "2027-05-05", "type": "external"}, {"id": None}],
        "deleted_rows": []})
    assert problems == []
    assert new[0]["title_sv"] == "Ny titel" and new[0]["links"] == {"versions": ["ab" * 32]}
    assert new[1]["start"] == new[1]["end"] == "2027-03-16"
    assert new[-1]["id"] == "E00" and len(new) == len(items) + 1


@pytest.mark.parametrize("edited,added,code,column", [
    ({0: {"start": None}}, [], "missing", "start"),
    ({0: {"title_sv": " "}}, [], "missing", "title_sv"),
    ({2: {"end": "2027-02-01"}}, [], "end_before_start", "end"),
    ({2: {"end": None}}, [], "range_needs_end", "end"),
    ({0: {"start": "2027-02-02"}}, [], "month_start", "start"),
    ({0: {"end": "2027-02-20"}}, [], "month_end", "end"),
    ({1: {"precision": "day", "start": "2027-03-16", "end": "2027-03-17"}}, [], "day_ends_on_start", "end"),
    ({1: {"id": "M00"}}, [], "duplicate_id", "id"),
    ({0: {"decision": True}}, [], "two_decisions", "decision"),
    ({1: {"depends_on": "M01"}}, [], "depends_on_itself", "depends_on"),
    ({0: {"depends_on": "M02"}}, [], "cycle", "depends_on"),
    ({1: {"depends_on": "M00, M00"}}, [], "listed_twice", "depends_on"),
    ({1: {"depends_on": "X9"}}, [], "unknown_dependency", "depends_on"),
    ({1: {"start": "16/3 2027"}}, [], "not_a_date", "start"),
    ({}, [{"title_sv": "Ny", "start": "2027-05-05", "precision": "fortnight"}], "bad_choice", "precision"),
])
def test_every_domain_problem_gets_a_swedish_message(edited, added, code, column):
    items = milestone_format.to_data(round_template(2030))
    _, problems = apply_milestone_delta(items, {"edited_rows": edited, "added_rows": added, "deleted_rows": []})
    assert [(p.code, p.column) for p in problems][:1] == [(code, column)]
    assert all(p.code != "other" for p in problems)
    assert i18n.t(f"timeline.problem.{code}", "sv", **problems[0].params) != f"timeline.problem.{code}"


# --- reading -------------------------------------------------------------------------------------------


def test_countdown_warnings_next_and_late_as_the_domain_computes(app_db, fac, example):
    ms = stored(app_db, fac, example).milestones
    at = page(fac)
    assert at.subheader[0].value == countdown_text(ms, TODAY, "sv")
    assert "fattades vinter 2023/24" in at.subheader[0].value
    warnings = schedule.warnings(ms, TODAY)
    shown = [plain(w.value) for w in at.warning]
    for w in warnings:
        if w.code != schedule.LATE_MILESTONE:
            assert warning_text(w, ms, "sv") in shown
    by_id = {m.id: m for m in ms}
    late = [w for w in warnings if w.code == schedule.LATE_MILESTONE]
    assert late and all(by_id[w.milestone].kind == EXTERNAL for w in late)
    body = texts(at)
    for w in late:  # external anchors past their time: "not confirmed", with the days since
        m = by_id[w.milestone]
        days = w.params["days"]
        assert f"”{m.title_sv}” är inte bekräftad än: den väntades {when_text(m)} (för {days} dagar sedan)" in body
    for m in schedule.next_up(ms, TODAY, 5):
        assert f"**{when_text(m)}**: {m.title_sv}" in body
    assert "Markera den som klar när den är bekräftad." in body  # the facilitator can act on it
    # issue 11 #13: the committee sees the fact, not the facilitator's instruction
    viewer = texts(page(Actor(VIEWER, "Kommittén", round_id=example)))
    for w in late:
        m = by_id[w.milestone]
        assert f"”{m.title_sv}” är inte bekräftad än" in viewer
    assert "Markera den som klar" not in viewer


def test_soon_decision_and_open_dependencies_on_a_template_round(app_db, fac, example):
    store.apply_template(app_db, fac, example, 2030, stored(app_db, fac, example).row_version)
    day = date(2027, 10, 20)
    ms = stored(app_db, fac, example).milestones
    at = page(fac, today=day)
    cd = schedule.countdown(ms, day)
    assert at.subheader[0].value == \
        f"{cd.days_to_start} dagar kvar till beslutet om prioriteringslistan (vinter 2027/28)"
    codes = [w.code for w in schedule.warnings(ms, day)]
    assert schedule.DECISION_SOON in codes and schedule.DEPENDENCY_OPEN in codes
    shown = [plain(w.value) for w in at.warning]
    expected = [warning_text(w, ms, "sv") for w in schedule.warnings(ms, day) if w.code != schedule.LATE_MILESTONE]
    assert shown == expected
    body = texts(at)
    for w in schedule.warnings(ms, day):
        if w.code == schedule.LATE_MILESTONE and not w.milestone.startswith("E"):
            assert warning_text(w, ms, "sv") in body  # the own process: "försenad"


def test_gantt_has_one_row_per_milestone_today_and_late_marks(app_db, fac, example):
    ms = stored(app_db, fac, example).milestones
    spec, data = gantt(page(fac))
    drawn = list(layer_rows(spec, data, "bars")["id"]) + list(layer_rows(spec, data, "points")["id"])
    assert sorted(drawn) == sorted(m.id for m in ms)
    today = layer_rows(spec, data, "today")["today"]
    assert [d.date() for d in today] == [TODAY]
    frame = pd.concat([layer_rows(spec, data, "bars"), layer_rows(spec, data, "points")])
    late = {m.id for m in schedule.late(ms, TODAY)}
    assert set(frame[frame["late"]]["id"]) == late
    assert all(r.startswith("⚠") for r in frame[frame["late"]]["row"])
    assert spec["height"] == {"step": 26}
    assert spec["config"]["locale"]["time"]["shortMonths"][6] == "juli"


def test_english(app_db, fac, example):
    ms = stored(app_db, fac, example).milestones
    at = page(fac, "en")
    assert at.subheader[0].value == "The decision on the priority list was taken in winter 2023/24"
    assert at.title[0].value == "Timeline to the decision"
    spec, data = gantt(at)
    titles = set(layer_rows(spec, data, "bars")["title"]) | set(layer_rows(spec, data, "points")["title"])
    assert titles == {m.title("en") for m in ms}
    assert spec["config"]["locale"]["time"]["months"][0] == "January"
    assert "Edit the timeline" in [h.value for h in at.header]


def test_calendar_download_has_one_event_per_milestone(app_db, fac, example, click_download):
    ms = stored(app_db, fac, example).milestones
    cal = icalendar.Calendar.from_ical(click_download(page(fac), "timeline_ics"))
    events = cal.walk("VEVENT")
    assert len(events) == len(ms)
    assert sorted(str(e["SUMMARY"]) for e in events) == sorted(m.title_sv for m in ms)
    decision = schedule.decision_milestone(ms)
    ev = next(e for e in events if str(e["SUMMARY"]) == decision.title_sv)
    assert ev.decoded("DTSTART") == decision.start
    assert str(cal["X-WR-CALNAME"]).startswith("Tidslinje – ")
    en = icalendar.Calendar.from_ical(click_download(page(fac, "en"), "timeline_ics"))
    assert sorted(str(e["SUMMARY"]) for e in en.walk("VEVENT")) == sorted(m.title("en") for m in ms)


# --- editing -------------------------------------------------------------------------------------------


def test_status_and_note_edit_is_stored_and_audited(app_db, fac, example):
    before = stored(app_db, fac, example)
    at = set_status_form(page(fac), "E10", "done", "Fastställd av regeringen.")
    assert not at.exception
    after = stored(app_db, fac, example)
    e10 = next(m for m in after.milestones if m.id == "E10")
    assert e10.status == "done" and e10.note == "Fastställd av regeringen."
    assert after.row_version == before.row_version + 1
    entry = audit.entries(app_db, fac, example, limit=1)[0]
    assert entry.action == "milestone.update" and entry.target == "E10"
    assert json.loads(entry.old_value)["status"] == "planned" and json.loads(entry.new_value)["status"] == "done"
    assert "E10 har status ”Klar”" in texts(at)
    # no longer late: the page says so (the other unconfirmed anchor still is)
    assert "”Regeringen fastställer nationell plan 2026–2037” är inte bekräftad" not in texts(at)


def test_status_edit_against_a_changed_round_is_refused(app_db, fac, example):
    at = set_status_form(page(fac), "E10", "done", "", meanwhile=lambda: store.update_milestone(
        app_db, fac, example, "E11", note="Ändrad av någon annan"))
    assert "Tidslinjen har ändrats av någon annan under tiden. Inget har sparats" in texts(at)
    assert not at.success
    assert next(m for m in stored(app_db, fac, example).milestones if m.id == "E10").status == "planned"


def test_invalid_table_edit_shows_swedish_messages_and_stores_nothing(app_db, fac, example):
    before = stored(app_db, fac, example)
    items = milestone_format.to_data(before.milestones)
    pos = {m["id"]: k for k, m in enumerate(items)}
    at = edit(page(fac), edited={pos["M02"]: {"end": "2023-03-01"}, pos["M05"]: {"depends_on": "M04, M99"}})
    assert any(d.proto.editing_mode != 0 for d in at.dataframe)  # the editor (other roles have none)
    error = plain(at.error[0].value)
    assert "Inget sparas förrän 2 fel är rättade" in error
    assert f"Rad {pos['M02'] + 1} (M02), Slut: slutet 1 mars 2023 ligger före starten 17 mars 2023." in error
    assert f"Rad {pos['M05'] + 1} (M05), Beror på: det finns ingen milstolpe med id ”M99”." in error
    assert button(at, "timeline_save").disabled
    at = at.run()
    after = stored(app_db, fac, example)
    assert after.milestones == before.milestones and after.row_version == before.row_version


def test_valid_table_edit_is_saved(app_db, fac, example):
    items = milestone_format.to_data(stored(app_db, fac, example).milestones)
    pos = {m["id"]: k for k, m in enumerate(items)}
    at = edit(page(fac), edited={pos["E11"]: {"status": "done"}},
              added=[{"id": "M10", "title_sv": "Uppföljningsmöte", "start": "2026-12-10", "precision": "day",
                      "depends_on": "M09", "decision": False}], deleted=[pos["E04"]])
    assert not at.error
    assert button(at, "timeline_save").disabled  # one milestone is removed: asked for first
    at = at.checkbox(key="timeline_confirm_delete").check().run()
    at = button(at, "timeline_save").click().run()
    assert "Sparat: 22 milstolpar." in texts(at)
    ms = {m.id: m for m in stored(app_db, fac, example).milestones}
    assert "E04" not in ms and ms["E11"].status == "done"
    assert ms["M10"].start == ms["M10"].end == date(2026, 12, 10) and ms["M10"].depends_on == ("M09",)
    assert audit.entries(app_db, fac, example, limit=1)[0].action == "setup.milestones"


def test_table_save_after_someone_else_changed_the_round_is_refused(app_db, fac, example):
    at = page(fac)
    store.update_milestone(app_db, fac, example, "E11", status="done")
    items = milestone_format.to_data(stored(app_db, fac, example).milestones)
    pos = {m["id"]: k for k, m in enumerate(items)}
    at = edit(at, edited={pos["M00"]: {"owner": "Någon"}})
    at = button(at, "timeline_save").click().run()
    assert "ändrats av någon annan" in texts(at)
    assert next(m for m in stored(app_db, fac, example).milestones if m.id == "M00").owner == "Ledningsgruppen"


def test_attach_and_detach_a_frozen_version(app_db, fac, example):
    v = versions.freeze(app_db, fac, example, "Underlag till Samarbetskommittén")
    at = page(fac)
    at.selectbox(key="timeline_pick").set_value("M09").run()
    at.selectbox(key="timeline_version_M09").set_value(v.id)
    at = button(at, "timeline_attach_version").click().run()
    m09 = next(m for m in stored(app_db, fac, example).milestones if m.id == "M09")
    assert m09.links.versions == (v.sha256,)
    assert audit.entries(app_db, fac, example, limit=1)[0].action == "milestone.link"
    assert f"Version ”Underlag till Samarbetskommittén” (`{v.sha256[:12]}`)" in texts(at)
    table = next(d.value for d in at.dataframe if "Kopplat material" in d.value.columns)
    assert table.set_index("Id").loc["M09", "Kopplat material"] == \
        f"version ”Underlag till Samarbetskommittén” ({v.sha256[:12]})"
    at = button(at, f"timeline_detach_v_{v.sha256[:16]}").click().run()
    assert not next(m for m in stored(app_db, fac, example).milestones if m.id == "M09").links.versions
    # a scoring phase too
    at.selectbox(key="timeline_phase_M09").set_value(2)
    button(at, "timeline_attach_phase").click().run()
    assert next(m for m in stored(app_db, fac, example).milestones if m.id == "M09").links.phases == ("2",)


def test_template_preview_and_replace(app_db, fac, example):
    at = page(fac)
    at.number_input(key="timeline_template_year").set_value(2030).run()
    assert "beslutet om prioriteringslistan blir **vinter 2027/28**" in texts(at)
    preview = at.dataframe[-1].value  # the preview table comes last
    assert len(preview) == len(round_template(2030))
    assert preview.set_index("Id").loc["M09", "När"] == "vinter 2027/28"
    assert len(at.get("vega_lite_chart")) == 2  # the round's Gantt and the preview
    at.radio(key="timeline_template_mode").set_value("replace").run()
    assert button(at, "timeline_template_apply").disabled  # needs the confirmation
    at.checkbox(key="timeline_template_confirm").check().run()
    at = button(at, "timeline_template_apply").click().run()
    assert milestone_format.to_data(stored(app_db, fac, example).milestones) == \
        milestone_format.to_data(round_template(2030))
    assert at.subheader[0].value.endswith("(vinter 2027/28)")


def test_template_as_a_new_round_copies_the_setup_without_scores(app_db, fac, example):
    before = stored(app_db, fac, example)
    at = page(fac)
    at.number_input(key="timeline_template_year").set_value(2030).run()
    at.text_input(key="timeline_template_name_2030").input("Planomgång 2030").run()
    at = button(at, "timeline_template_apply").click().run()
    listed = rounds.list_rounds(app_db, fac)
    new = next(r for r in listed if r.name == "Planomgång 2030")
    assert at.session_state["round_id"] == new.id
    project = rounds.export_project(app_db, fac, new.id)
    old = rounds.export_project(app_db, fac, example)
    assert project.scores == () and old.scores
    assert project.objects == old.objects and project.criteria == old.criteria
    assert milestone_format.to_data(project.milestones) == milestone_format.to_data(round_template(2030))
    assert stored(app_db, fac, example).milestones == before.milestones  # the old round is unchanged
    assert "Planomgång 2030" in at.caption[0].value  # the page now shows the new round


def test_new_round_needs_a_name(app_db, fac, example):
    at = page(fac)
    n = default_plan_year(TODAY)
    at.text_input(key=f"timeline_template_name_{n}").input("  ").run()
    at = button(at, "timeline_template_apply").click().run()
    assert "Den nya omgången behöver ett namn" in texts(at)
    assert len(rounds.list_rounds(app_db, fac)) == 1


# --- roles ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [VIEWER, PARTICIPANT])
def test_other_roles_read_only(app_db, fac, example, role):
    actor = Actor(role, "Läsare", round_id=example, participant_key="p-botkyrka" if role == PARTICIPANT else None)
    at = page(actor)
    ms = stored(app_db, fac, example).milestones
    assert at.subheader[0].value == countdown_text(ms, TODAY, "sv")
    assert len(at.get("vega_lite_chart")) == 1 and len(at.get("download_button")) == 1
    assert not at.button and not at.selectbox and not at.text_area and not at.number_input and not at.radio
    assert len(at.dataframe) == 1 and at.dataframe[0].proto.editing_mode == 0  # the table, no editor
    assert not at.header  # no "Redigera tidslinjen"


@pytest.mark.parametrize("role", ["facilitator", VIEWER, PARTICIPANT])
def test_the_page_is_in_every_roles_navigation(app_db, fac, example, role):
    actor = fac if role == "facilitator" else Actor(role, "X", round_id=example,
                                                    participant_key="p-botkyrka" if role == PARTICIPANT else None)
    at = app(actor, today=TODAY).run()
    at.switch_page("prioritization/ui/pages/timeline.py").run()
    assert not at.exception
    assert at.title[0].value == i18n.t("timeline.page.heading")


def test_removing_milestones_needs_a_confirmation(app_db, fac, example):
    before = stored(app_db, fac, example)
    items = milestone_format.to_data(before.milestones)
    pos = {m["id"]: k for k, m in enumerate(items)}
    at = edit(page(fac), deleted=[pos["E04"], pos["E11"]])
    assert "Ja, ta bort 2 milstolpar" in at.checkbox(key="timeline_confirm_delete").label
    assert button(at, "timeline_save").disabled
    at = at.run()
    assert stored(app_db, fac, example).milestones == before.milestones
    at = at.checkbox(key="timeline_confirm_delete").check().run()
    at = button(at, "timeline_save").click().run()
    assert {m.id for m in before.milestones} - {m.id for m in stored(app_db, fac, example).milestones} == {"E04", "E11"}
