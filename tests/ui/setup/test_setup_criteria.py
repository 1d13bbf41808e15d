"""Facilitator's criteria editor: pure table helpers, then the page in AppTest (edits are seeded
into the keyed data_editor's state, as the browser would send them)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from prioritization import projectfile
from prioritization.storage import rounds
from prioritization.storage.access import PARTICIPANT, VIEWER, Actor
from prioritization.ui.setup import setup_criteria as page
from prioritization.ui.widgets import setup_page

SCRIPT = str(Path(__file__).resolve().parents[1] / "scripts" / "setup_criteria_app.py")


# ------------------------------------------------------------------------------------------
# Pure helpers


def test_table_round_trip_is_lossless(app_db, fac):
    rid = rounds.list_rounds(app_db, fac)[0].id
    criteria = rounds.setup_document(app_db, fac, rid)["criteria"]
    df = page.criteria_frame(criteria)
    assert list(df.columns) == page.COLUMNS and len(df) == 12
    back = page.frame_to_criteria(df.to_dict("records"), criteria)
    assert back == criteria  # includes name_en, normalization and C10's guidance levels 2 and 4
    assert [list(c) for c in back] == [list(c) for c in criteria]  # key order kept


def test_frame_to_criteria_edits_and_new_rows():
    originals = [{"id": "C1", "name": "A", "name_en": "A en", "group": "G", "direction": "benefit",
                  "scale": [1, 5], "guidance": {"1": "low", "2": "two", "5": "high"}}]
    records = page.criteria_frame(originals).to_dict("records")
    records[0].update(group=None, guidance_1="", guidance_3="mid", scale_lo=0.0, scale_hi=10.0)
    records.append({"orig": None, "id": None, "name": "Ny", "group": "", "direction": "cost",
                    "scale_lo": None, "scale_hi": None, "guidance_1": None, "guidance_3": None,
                    "guidance_5": None, "description": "Kostnad i MSEK"})
    records.append({"orig": None, "id": "", "name": "", "direction": None, "scale_lo": 2.0, "scale_hi": None})
    out = page.frame_to_criteria(records, originals)
    assert out[0] == {"id": "C1", "name": "A", "name_en": "A en", "direction": "benefit", "scale": [0, 10],
                      "guidance": {"2": "two", "5": "high", "3": "mid"}}
    assert out[1] == {"id": "C2", "name": "Ny", "direction": "cost", "scale": None, "description": "Kostnad i MSEK"}
    # incomplete rows are passed on for the validation to report, not repaired
    assert out[2] == {"id": "C3", "name": "", "direction": None, "scale": [2, None]}


def test_problems_are_listed_as_markdown():
    outcome = setup_page.SaveOutcome(None, "Inget sparades.", ("criteria[1].scale: lo < hi", "a*b"))
    text = setup_page.outcome_markdown(outcome)
    assert text == "Inget sparades.\n\n- criteria\\[1\\]\\.scale\\: lo \\< hi\n- a\\*b"


def test_save_setup_turns_refusals_into_messages(app_db, fac):
    rid = rounds.list_rounds(app_db, fac)[0].id
    version = rounds.round_info(app_db, fac, rid)["row_version"]
    criteria = rounds.setup_document(app_db, fac, rid)["criteria"]
    participant = Actor(PARTICIPANT, "Haninge", round_id=rid, participant_key="p-haninge")
    out = setup_page.save_setup(app_db, participant, rid, {"criteria": criteria[:1]}, version)
    assert not out.ok and out.message == "Bara facilitatorn får göra detta."
    out = setup_page.save_setup(app_db, fac, rid, {"criteria": criteria}, version + 1)
    assert not out.ok and out.message.startswith("Någon annan har ändrat samma sak")
    bad = [dict(criteria[0], scale=[5, 1])] + criteria[1:]
    out = setup_page.save_setup(app_db, fac, rid, {"criteria": bad}, version)
    assert not out.ok and any(p.startswith("criteria[0].scale") for p in out.problems)
    assert rounds.setup_document(app_db, fac, rid)["criteria"] == criteria
    assert rounds.round_info(app_db, fac, rid)["row_version"] == version


# ------------------------------------------------------------------------------------------
# The page


def run(actor, lang="sv", **state) -> AppTest:
    at = AppTest.from_file(SCRIPT, default_timeout=60)
    at.session_state["actor"] = actor
    at.session_state["lang"] = lang
    for k, v in state.items():
        at.session_state[k] = v
    return at.run()


def editor_key(db, fac, rid) -> str:
    return f"criteria_editor_{rid}_{rounds.round_info(db, fac, rid)['row_version']}"


def edit(at, key, edited=None, added=None, deleted=None):
    at.session_state[key] = {"edited_rows": edited or {}, "added_rows": added or [], "deleted_rows": deleted or []}
    return at.run()


@pytest.fixture
def rid(app_db, fac):
    return rounds.list_rounds(app_db, fac)[0].id


def test_facilitator_edits_a_name_and_saves(app_db, fac, rid):
    at = run(fac)
    assert not at.exception
    assert at.title[0].value == "Kriterier"
    assert len(at.dataframe[0].value) == 12
    key = editor_key(app_db, fac, rid)
    version = rounds.round_info(app_db, fac, rid)["row_version"]
    at = edit(at, key, edited={0: {"name": "Regional tillgänglighet och restid", "guidance_3": "Mitten"}})
    at.button(key="criteria_save").click().run()
    assert not at.exception
    assert at.success[0].value == "Kriterierna är sparade (12 st)."
    c1 = rounds.setup_document(app_db, fac, rid)["criteria"][0]
    assert c1["name"] == "Regional tillgänglighet och restid" and c1["guidance"]["3"] == "Mitten"
    assert c1["name_en"] == "Regional accessibility"  # a key the table does not show is kept
    assert rounds.round_info(app_db, fac, rid)["row_version"] == version + 1


def test_invalid_scale_is_listed_and_nothing_saved(app_db, fac, rid):
    before = rounds.setup_document(app_db, fac, rid)
    at = run(fac)
    at = edit(at, editor_key(app_db, fac, rid), edited={1: {"scale_lo": 5, "scale_hi": 1}})
    at.button(key="criteria_save").click().run()
    assert not at.exception
    msg = at.error[0].value
    assert msg.startswith("Inget sparades. Rätta följande och försök igen:")
    assert "- criteria\\[1\\]\\.scale\\: the lower end 5 must be less than the upper end 1" in msg
    assert rounds.setup_document(app_db, fac, rid) == before


def test_removing_a_scored_criterion_needs_confirmation(app_db, fac, rid):
    n_scores = sum(1 for s in rounds.export_project(app_db, fac, rid).scores if s.criterion == "C12")
    assert n_scores > 0
    at = run(fac)
    at = edit(at, editor_key(app_db, fac, rid), deleted=[11])
    assert any("Medfinansiering och partnerskap (C12" in w.value and f"{n_scores} poäng" in w.value for w in at.warning)
    at.button(key="criteria_save").click().run()
    assert at.error[0].value.startswith("Inget sparades. Kryssa först i")
    assert len(rounds.setup_document(app_db, fac, rid)["criteria"]) == 12
    at.checkbox(key="criteria_confirm_delete").check().run()
    at.button(key="criteria_save").click().run()
    assert not at.exception
    assert at.success[0].value == "Kriterierna är sparade (11 st)."
    doc = rounds.setup_document(app_db, fac, rid)
    assert [c["id"] for c in doc["criteria"]] == [f"C{k}" for k in range(1, 12)]
    assert "C12" not in doc["weights"]["points"]
    assert all("C12" not in p["weights"]["points"] for p in doc["weight_profiles"])
    assert not any(s.criterion == "C12" for s in rounds.export_project(app_db, fac, rid).scores)


def test_adding_a_criterion_adapts_the_weights(app_db, fac, rid):
    at = run(fac)
    at = edit(at, editor_key(app_db, fac, rid),
              added=[{"name": "Buller", "direction": "cost", "scale_lo": 1, "scale_hi": 5, "guidance_5": "Mycket buller"}])
    info = "\n".join(i.value for i in at.info)
    assert "Vikterna i bruk: nya kriterier (C13) får 0 poäng" in info
    assert "Viktprofilen \"Omställning\": nya kriterier (C13) får 0 poäng" in info
    at.button(key="criteria_save").click().run()
    assert not at.exception
    assert at.success[0].value == "Kriterierna är sparade (13 st)."
    doc = rounds.setup_document(app_db, fac, rid)
    assert doc["criteria"][-1] == {"id": "C13", "name": "Buller", "direction": "cost", "scale": [1, 5],
                                   "guidance": {"5": "Mycket buller"}}
    assert doc["weights"]["points"]["C13"] == 0 and doc["weights"]["points"]["C1"] == 12
    projectfile.parse({**doc, "scores": []}, require_complete=False)


def test_no_changes_saves_nothing(app_db, fac, rid):
    version = rounds.round_info(app_db, fac, rid)["row_version"]
    at = run(fac)
    at.button(key="criteria_save").click().run()
    assert at.info[-1].value == "Inga ändringar att spara."
    assert rounds.round_info(app_db, fac, rid)["row_version"] == version


def test_someone_else_changed_the_setup(app_db, fac, rid):
    at = run(fac)
    key = editor_key(app_db, fac, rid)
    doc = rounds.setup_document(app_db, fac, rid)
    other = [dict(doc["criteria"][0], name="Ändrad av någon annan")] + doc["criteria"][1:]
    rounds.replace_setup(app_db, fac, rid, {"criteria": other}, rounds.round_info(app_db, fac, rid)["row_version"])
    at = edit(at, key, edited={0: {"name": "Min ändring"}})
    at.button(key="criteria_save").click().run()
    assert not at.exception
    assert at.error[0].value == "Någon annan har ändrat samma sak under tiden. Ladda om sidan och försök igen."
    assert rounds.setup_document(app_db, fac, rid)["criteria"][0]["name"] == "Ändrad av någon annan"
    at.button(key="criteria_reload").click().run()
    assert at.dataframe[0].value.iloc[0]["name"] == "Ändrad av någon annan"


@pytest.mark.parametrize("role", [PARTICIPANT, VIEWER])
def test_other_roles_get_a_clear_refusal(app_db, fac, rid, role):
    actor = Actor(role, "Någon", round_id=rid, participant_key="p-haninge" if role == PARTICIPANT else None)
    at = run(actor)
    assert not at.exception
    assert at.error[0].value == "Bara facilitatorn får göra detta."
    assert len(at.dataframe) == 0 and len(at.button) == 0


def test_english(app_db, fac):
    at = run(fac, lang="en")
    assert at.title[0].value == "Criteria"
    assert at.button(key="criteria_save").label == "Save criteria"
