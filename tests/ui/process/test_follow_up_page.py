"""The follow-up (bevakning) page: every followed-up object with its track and latest step, stale
flags, the facilitator's edits (record/remove a step, responsible, start/stop) through storage,
Swedish messages for bad input with nothing stored, read-only for viewers and participants."""

from datetime import date
from pathlib import Path

import pytest

from prioritization import i18n
from prioritization.report import follow_up as view
from prioritization.storage import audit, rounds
from prioritization.storage import timeline as store
from prioritization.storage.access import PARTICIPANT, VIEWER, Actor
from prioritization.timeline.follow_up import latest_step
from prioritization.timeline.labels import step_label, step_when
from tests.ui.conftest import APP, app

VIEW = str(Path(__file__).resolve().parents[3] / "prioritization" / "ui" / "pages" / "follow_up.py")
TODAY = date(2024, 6, 1)  # a few months after SOD-01's latest step in the example (January 2024)


def page(actor, lang="sv", **state):
    state.setdefault("today", TODAY)
    return app(actor, lang, script=VIEW, **state)


def texts(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [w.value for w in at.warning] + [s.value for s in at.success]
                     + [c.value for c in at.caption] + [i.value for i in at.info] + [e.value for e in at.error])


def overview(at, lang="sv"):
    col = i18n.t("followup.col_latest", lang)
    frame = next(d.value for d in at.dataframe if col in d.value.columns)
    return frame.set_index(i18n.t("overview.col_object", lang))


def track(db, fac, rid, oid="SOD-01"):
    return next((f for f in store.state(db, fac, rid).follow_up if f.object == oid), None)


def record(at, oid, step, when, *, precision="day", note="", source="", replace=False):
    at.selectbox(key="follow_up_rec_object").set_value(oid)
    at.selectbox(key="follow_up_rec_step").set_value(step)
    at.date_input(key="follow_up_rec_date").set_value(when)
    at.radio(key="follow_up_rec_precision").set_value(precision)
    at.text_input(key="follow_up_rec_note").input(note)
    at.text_input(key="follow_up_rec_source").input(source)
    at.checkbox(key="follow_up_rec_replace").set_value(replace)
    return at.button(key="follow_up_record").click().run()


def test_page_lists_every_followed_object_with_its_latest_step(app_db, fac, example):
    project = rounds.export_project(app_db, fac, example)
    sod01 = project.follow_up_of("SOD-01")
    last = latest_step(sod01)
    at = page(fac).run()
    assert not at.exception
    table = overview(at)
    name = project.object("SOD-01").name
    assert set(table.index) == {o.name for o in project.committed}
    assert table.loc[name, "Senaste steg"] == step_label(last.step)
    assert table.loc[name, "Datum"] == step_when(last)
    assert table.loc[name, "Bevakas av"] == sod01.responsible
    assert table.loc[name, "Flagga"] == "–"  # not stale on TODAY
    sentence = i18n.t("followup.latest", reached=i18n.t(f"followup.reached.{last.step}"), when=step_when(last))
    assert sentence in texts(at)
    assert sentence.startswith("Senaste steg: väg- eller järnvägsplanen har vunnit laga kraft (januari 2024)")
    untracked = next(o for o in project.committed if project.follow_up_of(o.id) is None)
    assert table.loc[untracked.name, "Senaste steg"] == "–"
    assert "ingen bevakning är påbörjad" in texts(at)
    # the chart and its text alternative: every step with its date, note and source
    assert len(at.get("vega_lite_chart")) == 2  # the steps over time and the roll-up per municipality
    steps = next(d.value for d in at.dataframe if "Källa" in d.value.columns and "Objekt" in d.value.columns)
    assert list(steps["Steg"]) == [step_label(s.step) for s in sod01.steps]
    assert list(steps["Källa"]) == [s.source for s in sod01.steps]
    assert [s.note for s in sod01.steps] == list(steps["Anteckning"])


def test_recording_a_newer_step_persists_becomes_latest_and_is_audited(app_db, fac, example):
    before = store.state(app_db, fac, example)
    at = page(fac).run()
    record(at, "SOD-01", "construction_started", date(2024, 5, 20), note="Första spadtaget", source="TRV")
    assert not at.exception and not at.error
    after = store.state(app_db, fac, example)
    assert after.row_version == before.row_version + 1
    stored = track(app_db, fac, example).step("construction_started")
    assert (stored.date, stored.precision, stored.note, stored.source) == (date(2024, 5, 20), "day",
                                                                          "Första spadtaget", "TRV")
    assert latest_step(track(app_db, fac, example)) == stored
    assert at.success[0].value == "Steget ”Byggstart” är registrerat för Tvärförbindelse Södertörn (väg 259) " \
                                  "(20 maj 2024)."
    name = rounds.export_project(app_db, fac, example).object("SOD-01").name
    assert overview(at).loc[name, "Senaste steg"] == step_label("construction_started")
    entry = audit.entries(app_db, fac, example, limit=1)[0]
    assert (entry.action, entry.target, entry.actor) == ("followup.step", "SOD-01", "facilitator:Facilitator")
    assert "2024-05-20" in entry.new_value and entry.old_value is None
    # the note and source fields are emptied for the next step
    assert at.text_input(key="follow_up_rec_note").value == ""


def test_an_older_step_is_stored_but_the_latest_stays(app_db, fac, example):
    last_before = latest_step(track(app_db, fac, example))
    at = page(fac).run()
    record(at, "SOD-01", "regional_plan", date(2018, 4, 1), precision="month")
    assert not at.exception and at.success
    t = track(app_db, fac, example)
    assert t.step("regional_plan").precision == "month"
    assert latest_step(t) == last_before
    assert "april 2018" in at.success[0].value


def test_recording_a_step_for_a_committed_object_starts_its_follow_up(app_db, fac, example):
    at = page(fac).run()
    record(at, "SOD-12", "opened", date(2024, 5, 2))
    assert not at.exception
    assert track(app_db, fac, example, "SOD-12").step("opened").date == date(2024, 5, 2)
    assert "ingen bevakning är påbörjad" not in texts(at)


def test_removing_a_step(app_db, fac, example):
    t = track(app_db, fac, example)
    last = latest_step(t)
    at = page(fac).run()
    at.selectbox(key="follow_up_remove_pick").set_value(f"SOD-01|{last.step}")
    at.button(key="follow_up_remove").click().run()
    assert not at.exception
    after = track(app_db, fac, example)
    assert after.step(last.step) is None and len(after.steps) == len(t.steps) - 1
    assert latest_step(after) == latest_step(t.without_step(last.step))
    assert at.success[0].value == f"Steget ”{step_label(last.step)}” är borttaget för Tvärförbindelse Södertörn (väg 259)."
    assert audit.entries(app_db, fac, example, limit=1)[0].action == "followup.step_removed"
    name = rounds.export_project(app_db, fac, example).object("SOD-01").name
    assert overview(at).loc[name, "Senaste steg"] == step_label(latest_step(after).step)
    assert f"SOD-01|{last.step}" not in at.selectbox(key="follow_up_remove_pick").options


@pytest.mark.parametrize("case", ["no_date", "unknown_object", "duplicate_step"])
def test_invalid_input_gives_a_swedish_message_and_stores_nothing(app_db, fac, example, case):
    before = store.state(app_db, fac, example)
    n_audit = len(audit.entries(app_db, fac, example))
    at = page(fac).run()
    existing = latest_step(track(app_db, fac, example))
    if case == "no_date":
        record(at, "SOD-01", "opened", None)
        expected = "Ange ett datum."
    elif case == "unknown_object":  # a crafted (or outdated) browser message naming an object the round lacks
        picker = at.selectbox(key="follow_up_rec_object")
        picker.options.append("SOD-99")
        picker.set_value("SOD-99")
        at.date_input(key="follow_up_rec_date").set_value(date(2024, 1, 1))
        at.button(key="follow_up_record").click().run()
        expected = "Objektet SOD-99 finns inte i omgången."
    else:  # the step is already recorded: a track holds each step once
        record(at, "SOD-01", existing.step, date(2024, 3, 1))
        expected = (f"Steget ”{step_label(existing.step)}” är redan registrerat för Tvärförbindelse Södertörn "
                    f"(väg 259) ({step_when(existing)}).")
    assert not at.exception
    assert at.error[0].value.startswith(expected)
    assert store.state(app_db, fac, example) == before
    assert len(audit.entries(app_db, fac, example)) == n_audit


def test_replacing_a_recorded_step_needs_the_tick(app_db, fac, example):
    existing = latest_step(track(app_db, fac, example))
    at = page(fac).run()
    record(at, "SOD-01", existing.step, date(2024, 2, 15), note="Rättat datum", replace=True)
    assert not at.exception and not at.error
    replaced = track(app_db, fac, example).step(existing.step)
    assert (replaced.date, replaced.note) == (date(2024, 2, 15), "Rättat datum")
    assert at.checkbox(key="follow_up_rec_replace").value is False  # the tick does not stay on


def test_a_change_by_someone_else_meanwhile_gives_reload_and_stores_nothing(app_db, fac, example):
    at = page(fac).run()
    store.set_responsible(app_db, fac, example, "SOD-01", "Någon annan")  # another facilitator, same round
    middle = store.state(app_db, fac, example)
    record(at, "SOD-01", "opened", date(2024, 5, 1))
    assert not at.exception
    assert at.error[0].value == i18n.t("error.stale_write")
    assert "Ladda om sidan" in at.error[0].value
    assert store.state(app_db, fac, example) == middle
    # after the reload the page shows the other change and the step can be recorded
    at.run()
    record(at, "SOD-01", "opened", date(2024, 5, 1))
    assert track(app_db, fac, example).step("opened") is not None


def test_responsible_start_and_stop(app_db, fac, example):
    at = page(fac).run()
    at.selectbox(key="follow_up_resp_object").set_value("SOD-01")
    at.text_input(key="follow_up_resp_SOD-01").input("Huddinge kommun")
    at.button(key="follow_up_save_responsible").click().run()
    assert not at.exception
    assert track(app_db, fac, example).responsible == "Huddinge kommun"
    assert "Bevakas av: Huddinge kommun" in texts(at)
    # start: a responsible is required
    n = len(audit.entries(app_db, fac, example))
    at.selectbox(key="follow_up_start_object").set_value("SOD-12")
    at.button(key="follow_up_start").click().run()
    assert at.error[0].value == "Ange vem som bevakar objektet."
    assert track(app_db, fac, example, "SOD-12") is None and len(audit.entries(app_db, fac, example)) == n
    at.text_input(key="follow_up_start_responsible").input("Haninge kommun")
    at.button(key="follow_up_start").click().run()
    assert track(app_db, fac, example, "SOD-12").responsible == "Haninge kommun"
    assert "SOD-12" not in at.selectbox(key="follow_up_start_object").options
    # stop: needs the confirmation tick
    at.selectbox(key="follow_up_stop_object").set_value("SOD-12")
    at.button(key="follow_up_stop").click().run()
    assert "Kryssa i rutan" in at.error[0].value and track(app_db, fac, example, "SOD-12") is not None
    at.checkbox(key="follow_up_stop_confirm").check()
    at.button(key="follow_up_stop").click().run()
    assert not at.exception
    assert track(app_db, fac, example, "SOD-12") is None
    entry = audit.entries(app_db, fac, example, limit=1)[0]
    assert (entry.action, entry.target) == ("followup.remove", "SOD-12")


def test_stale_flag_uses_the_injected_today(app_db, fac, example):
    last = latest_step(track(app_db, fac, example))
    end = view.step_end(last)
    name = rounds.export_project(app_db, fac, example).object("SOD-01").name
    within = date(end.year + 1, end.month, end.day)
    at = page(fac, today=within).run()
    assert overview(at).loc[name, "Flagga"] == "–" and not at.warning
    later = date(end.year + 2, end.month, 1)
    months = view.whole_months(end, later)
    at = page(fac, today=later).run()
    assert overview(at).loc[name, "Flagga"] == f"Inget nytt steg på {months} mån."
    assert at.warning[0].value.startswith(f"Inget nytt steg på {months} månader (gränsen är 12 månader)")
    assert f"1 av dem har inget nytt steg på mer än 12 månader: {name}" in texts(at)
    at.number_input(key="follow_up_stale_months").set_value(months + 1).run()  # the limit is a parameter
    assert overview(at).loc[name, "Flagga"] == "–"


@pytest.mark.parametrize("role", [VIEWER, PARTICIPANT])
def test_viewer_and_participant_only_read(app_db, fac, example, role):
    actor = Actor(role, "Kommittén", round_id=example, participant_key="p-huddinge" if role == PARTICIPANT else None)
    last = latest_step(track(app_db, fac, example))
    at = page(actor).run()
    assert not at.exception
    assert overview(at).loc["Tvärförbindelse Södertörn (väg 259)", "Senaste steg"] == step_label(last.step)
    assert not at.button and not at.selectbox and not at.text_input and not at.date_input and not at.checkbox
    assert "Bara facilitatorn uppdaterar bevakningen." in texts(at)


def test_english(app_db, fac, example):
    last = latest_step(track(app_db, fac, example))
    at = page(fac, "en").run()
    assert not at.exception
    assert at.title[0].value == "Follow-up after the decision"
    table = overview(at, "en")
    assert table.loc["Södertörn cross-connection (road 259)", "Latest step"] == step_label(last.step, "en")
    assert table.loc["Södertörn cross-connection (road 259)", "Date"] == step_when(last, "en")
    assert "Latest step: the road or rail plan has gained legal force (January 2024)." in texts(at)
    assert at.button(key="follow_up_record").label == "Record the step"


def test_every_role_has_the_page_and_the_dashboard_links_to_it(app_db, fac, example):
    for actor in (fac, Actor(VIEWER, "Kommittén", round_id=example),
                  Actor(PARTICIPANT, "Huddinge", round_id=example, participant_key="p-huddinge")):
        at = app(actor, today=TODAY).run()
        at.switch_page("prioritization/ui/pages/follow_up.py").run()
        assert not at.exception
        assert at.title[0].value == "Bevakning efter beslutet"
    at = app(fac, script=APP).run()  # the facilitator's start page is the dashboard
    links = list(at.get("page_link"))
    assert any("follow_up" in e.proto.page for e in links)
