"""The objects page's "Planuppgifter" section (issue 14): a plan edited and saved with one storage
call; a cost range with low > high and a circle of requirements refused with their messages in
Swedish and nothing stored; a change by someone else a warning with a reload. The pure parts
(form <-> plan, problems in words) are tested at the end."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from streamlit.testing.v1 import AppTest

from prioritization.i18n import TIME_ZONE
from prioritization.planning import fileformat as plan_format
from prioritization.planning.model import PlanData, PlanRef, Verified
from prioritization.storage import audit
from prioritization.storage import planning as plan_store
from prioritization.ui.setup import object_plan_logic as logic
from tests.ui.conftest import shown

SCRIPT = str(Path(__file__).resolve().parents[1] / "scripts" / "setup_objects_app.py")


def page(actor, lang="sv") -> AppTest:
    at = AppTest.from_file(SCRIPT, default_timeout=30)
    at.session_state["actor"] = actor
    at.session_state["lang"] = lang
    return at.run()


def key(at, field: str) -> str:
    gen = at.session_state["object_plan_gen"] if "object_plan_gen" in at.session_state else 0  # noqa: SIM401
    return f"object_plan_{gen}_{field}"


def choose(at, object_id: str) -> AppTest:
    return at.selectbox(key="object_plan_object").set_value(object_id).run()


def state(db, fac, rid, object_id):
    plan, version = plan_store.object_plan(db, fac, rid, object_id)
    return plan, version


def errors(at) -> str:
    return shown("\n".join(e.value for e in at.error))


def test_edit_and_save_a_plan(app_db, fac, example):
    before, version = state(app_db, fac, example, "SOD-03")
    at = choose(page(fac), "SOD-03")
    assert not at.exception
    # the older free-text planning status is shown, and kept in the note
    assert any("Utredningar 2004/2006" in shown(i.value) for i in at.info)
    assert at.text_area(key=key(at, "stage_note")).value == before.stage_note
    assert at.button(key="object_plan_save").disabled
    at.selectbox(key=key(at, "stage")).set_value("avs")
    at.selectbox(key=key(at, "evidence")).set_value("avs")
    at.number_input(key=key(at, "cost_low")).set_value(2000.0)
    at.number_input(key=key(at, "cost_high")).set_value(3000.0)
    at.text_input(key=key(at, "cost_price_level")).set_value("2023")
    at.multiselect(key=key(at, "requires")).set_value(["SOD-01"])
    at.session_state[key(at, "refs")] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [
        {"plan": "NP", "period": "2026–2037", "objekt_id": "X1", "phase": "study", "cost_msek": 2500.0}]}
    at.run()
    at.button(key="object_plan_checked_now").click().run()
    today = datetime.now(TIME_ZONE).date()
    assert at.date_input(key=key(at, "verified_date")).value == today
    assert not at.button(key="object_plan_save").disabled
    at.button(key="object_plan_save").click().run()
    assert not at.exception and not at.error
    after, new_version = state(app_db, fac, example, "SOD-03")
    assert new_version == version + 1
    assert after == PlanData(
        refs=(PlanRef("NP", "2026–2037", "X1", "study", 2500.0),), stage="avs", stage_note=before.stage_note,
        evidence="avs", cost=after.cost, requires=("SOD-01",), verified=Verified(today, "Facilitator"))
    assert (after.cost.low, after.cost.high, after.cost.price_level) == (2000, 3000, "2023")
    assert shown(at.success[0].value) == "Planuppgifterna för SOD-03 är sparade."
    assert at.button(key="object_plan_save").disabled  # a fresh form at the new version
    entry = audit.entries(app_db, fac, example, limit=1)[0]
    assert (entry.action, entry.target) == ("object.plan", "SOD-03")


def test_a_reversed_cost_range_is_refused_in_swedish_and_nothing_is_stored(app_db, fac, example):
    before = state(app_db, fac, example, "SOD-03")
    at = choose(page(fac), "SOD-03")
    at.number_input(key=key(at, "cost_low")).set_value(500.0)
    at.number_input(key=key(at, "cost_high")).set_value(400.0)
    at.text_input(key=key(at, "seb_price_level")).set_value(str(date.today().year + 1))
    at.run()
    at.button(key="object_plan_save").click().run()
    text = errors(at)
    assert "Planuppgifterna för SOD-03 sparades inte (2 fel)" in text
    assert "Kostnadsintervallet: lägsta 500 MSEK är högre än högsta 400 MSEK" in text
    assert "SEB (samhällsekonomisk bedömning), prisnivå: prisnivån" in text and "ligger i framtiden" in text
    assert state(app_db, fac, example, "SOD-03") == before
    # the edits are kept for correction
    assert at.number_input(key=key(at, "cost_low")).value == 500.0


def test_a_circle_of_requirements_is_refused(app_db, fac, example):
    _, version = state(app_db, fac, example, "SOD-05")
    plan_store.set_object_plan(app_db, fac, example, "SOD-05", {"requires": ["SOD-03"]}, version)
    before = state(app_db, fac, example, "SOD-03")
    at = choose(page(fac), "SOD-03")
    at.multiselect(key=key(at, "requires")).set_value(["SOD-05"]).run()
    at.button(key="object_plan_save").click().run()
    assert "objekten kräver varandra i en cirkel" in errors(at)
    assert "SOD-03 → SOD-05 → SOD-03" in errors(at) or "SOD-05 → SOD-03 → SOD-05" in errors(at)
    assert state(app_db, fac, example, "SOD-03") == before


def test_a_change_by_someone_else_is_a_warning_with_a_reload(app_db, fac, example):
    at = choose(page(fac), "SOD-03")
    at.text_input(key=key(at, "package")).set_value("Mitt paket").run()
    _, version = state(app_db, fac, example, "SOD-03")
    plan_store.set_object_plan(app_db, fac, example, "SOD-03", {"package": "Någon annans"}, version)
    at.run()
    assert any("ändrats av någon annan" in w.value for w in at.warning)
    at.button(key="object_plan_save").click().run()
    assert "Någon annan har ändrat samma sak" in errors(at)
    assert state(app_db, fac, example, "SOD-03")[0].package == "Någon annans"
    at.button(key="object_plan_reload").click().run()
    assert at.text_input(key=key(at, "package")).value == "Någon annans"
    assert not at.warning and at.button(key="object_plan_save").disabled


# --- the pure parts ------------------------------------------------------------------------------


def test_form_and_plan_round_trip_and_problems_in_words():
    from tests.storage.test_object_plan_storage import FULL

    values = logic.plan_to_form(FULL)
    assert not logic.changed(values, FULL)
    assert logic.form_to_plan(values, FULL) == plan_format.to_data(FULL)
    assert logic.changed({**values, "package": "Annat"}, FULL)
    rows = logic.table_rows(values["links"], {"edited_rows": {1: {"title": "Ny"}}, "deleted_rows": [0],
                                              "added_rows": [{"kind": None, "url": None}]}, logic.LINK_COLUMNS)
    assert rows == [{"kind": "news", "url": "https://example.org/n", "title": "Ny"}]
    ids = ["O1", "O2"]
    assert logic.problem_text("objects[0].plan.cost.low", "the low estimate 500 MSEK is above the high estimate "
                              "400 MSEK", "sv", ids, "O1") == "Kostnadsintervallet: lägsta 500 MSEK är högre än högsta 400 MSEK"
    assert logic.problem_text("objects[1].plan.refs[0].period", '"20" is not a plan period (expected e.g. 2026–2037)',
                              "sv", ids, "O1") == ('Objekt O2, Planreferens rad 1, planperiod: "20" är ingen planperiod; '
                                                   "skriv t.ex. 2026–2037")
    assert logic.problem_text("objects[0].plan.financing[0].status", "expected one of idea, agreement, got null", "en",
                              ids, "O1") == "Financing row 1, status: is missing; choose one of the options"
    assert logic.party_options([])[:3] == ["state", "region", "municipality:Botkyrka"]
    assert "municipality:Stockholm" in logic.party_options(["Huddinge"], ["municipality:Stockholm"])
