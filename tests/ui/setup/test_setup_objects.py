"""The facilitator's objects page: table editing (merged into the stored objects), the CSV/Excel
import with preview and error list, and refusal for other roles. Nothing invalid is ever stored."""

import copy
import io
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from prioritization.storage import rounds
from prioritization.storage.access import PARTICIPANT, VIEWER, Actor
from prioritization.ui.setup.setup_objects import (
    CellError,
    apply_object_delta,
    objects_frame,
    to_number,
)
from tests.ui.conftest import shown

SCRIPT = str(Path(__file__).resolve().parents[1] / "scripts" / "setup_objects_app.py")


def page(actor, lang="sv") -> AppTest:
    at = AppTest.from_file(SCRIPT, default_timeout=30)
    at.session_state["actor"] = actor
    at.session_state["lang"] = lang
    return at.run()


def editor_key(at) -> str:
    gen = at.session_state.get("objects_gen", 0)
    return f"objects_editor_{gen}"


def edit(at, edited=None, added=None, deleted=None) -> AppTest:
    at.session_state[editor_key(at)] = {"edited_rows": edited or {}, "added_rows": added or [],
                                        "deleted_rows": deleted or []}
    return at.run()


def forged_click(at, key: str) -> AppTest:
    """A click the browser would not send (the button is disabled): it must not store anything
    (Streamlit discards it; the page checks again as well)."""
    button = at.button(key=key)
    assert button.disabled
    button.proto.disabled = False
    button.click()
    return at.run()


def errors(at) -> str:
    return "\n".join(e.value for e in at.error)


@pytest.fixture
def rid(app_db, fac) -> int:
    return rounds.list_rounds(app_db, fac)[0].id


def stored(db, fac, rid):
    return rounds.setup_document(db, fac, rid)["objects"], rounds.round_info(db, fac, rid)["row_version"]


# --- pure helpers --------------------------------------------------------------------------------

OBJS = [
    {"id": "A", "name": "Bro", "cost": 100, "status": "candidate", "municipalities": ["Huddinge", "Botkyrka"],
     "sources": ["S1"], "name_en": "Bridge"},
    {"id": "B", "name": "Väg", "cost": None, "status": "committed"},
    {"id": "OBJ-001", "name": "Gammal", "status": "candidate"},
]


def test_frame_shows_lists_joined_and_missing_values_empty():
    df = objects_frame(OBJS)
    assert list(df.columns) == ["id", "name", "cost", "status", "municipalities", "mode", "description", "lat", "lon",
                                "cost_illustrative"]
    assert df["cost_illustrative"].tolist() == [False, False, False]
    assert df.loc[0, "municipalities"] == "Huddinge, Botkyrka"
    assert df.loc[0, "cost"] == 100.0 and df["cost"].isna().tolist() == [False, True, True]
    assert df.loc[2, "status"] == "candidate"


def test_delta_is_positional_and_only_touches_edited_cells():
    before = copy.deepcopy(OBJS)
    delta = {"edited_rows": {1: {"cost": "1 200,5", "municipalities": "Salem; Nykvarn"}}, "deleted_rows": [0],
             "added_rows": []}
    new, problems = apply_object_delta(OBJS, delta)
    assert problems == []
    assert before == OBJS  # the stored dicts are not mutated
    assert new == [{"id": "B", "name": "Väg", "cost": 1200.5, "status": "committed",
                    "municipalities": ["Salem", "Nykvarn"]},
                   {"id": "OBJ-001", "name": "Gammal", "status": "candidate"}]


def test_a_typed_cost_is_no_longer_a_made_up_one():
    """Issue 11 #15 (review): replacing a made-up example cost with a real one kept the mark
    "(exempeldata)" on the real cost, and nothing in the app could clear it."""
    objs = [{**OBJS[0], "cost": 2600, "cost_illustrative": True}, {**OBJS[2], "cost": 95, "cost_illustrative": True},
            {"id": "C", "name": "Tredje", "cost": 300, "cost_illustrative": True}]
    assert objects_frame(objs)["cost_illustrative"].tolist() == [True, True, True]  # shown beside the cost
    new, problems = apply_object_delta(objs, {"edited_rows": {0: {"cost": "3 100"}, 1: {"status": "withdrawn"},
                                                              2: {"cost": 300}}, "deleted_rows": []})
    assert problems == []
    assert new[0]["cost"] == 3100 and "cost_illustrative" not in new[0]  # a new cost: the mark goes
    assert new[1]["cost_illustrative"] is True  # another cell edited: the mark stays
    assert new[2]["cost_illustrative"] is True  # the same cost written again: still the example
    shifted, _ = apply_object_delta(objs, {"deleted_rows": [0], "edited_rows": {1: {"cost": 120}}})
    assert [o["id"] for o in shifted] == ["OBJ-001", "C"] and "cost_illustrative" not in shifted[0]
    assert shifted[1]["cost_illustrative"] is True


def test_untouched_attributes_stay_exactly_as_stored():
    new, _ = apply_object_delta(OBJS, {"edited_rows": {0: {"status": "withdrawn"}}})
    assert new[0] == {**OBJS[0], "status": "withdrawn"}
    assert new[0]["municipalities"] == ["Huddinge", "Botkyrka"] and new[0]["cost"] == 100


def test_new_rows_get_ids_that_never_reuse_a_stored_one():
    # OBJ-001 is stored; OBJ-002 is deleted in the same edit and must not be reused either
    objs = OBJS + [{"id": "OBJ-002", "name": "Borttagen"}]
    new, problems = apply_object_delta(objs, {"deleted_rows": [3], "added_rows": [{"name": "Ny"}, {"name": "Ny 2"}]})
    assert problems == []
    assert [o["id"] for o in new[3:]] == ["OBJ-003", "OBJ-004"]
    assert new[3] == {"id": "OBJ-003", "status": "candidate", "name": "Ny"}


def test_an_untouched_new_row_is_ignored():
    new, problems = apply_object_delta(OBJS, {"added_rows": [{}, {"status": "candidate"}]})
    assert problems == [] and len(new) == 3


def test_problems_name_row_column_and_code():
    _, problems = apply_object_delta(OBJS, {"edited_rows": {0: {"cost": -1, "lat": 91.0}, 1: {"id": "A"},
                                                            2: {"name": "  ", "lon": "öst"}},
                                            "added_rows": [{"cost": 5}]})
    assert [(p.row, p.column, p.code) for p in problems] == [
        (1, "cost", "negative_cost"), (1, "lat", "lat_out_of_range"), (2, "id", "duplicate_id"),
        (3, "lon", "not_a_number"), (3, "name", "name_missing"), (4, "name", "name_missing")]
    assert problems[2].params == {"id": "A", "first": 1}


def test_clearing_the_id_of_a_stored_object_is_a_problem():
    _, problems = apply_object_delta(OBJS, {"edited_rows": {1: {"id": ""}}})
    assert [(p.row, p.code) for p in problems] == [(2, "id_missing")]


@pytest.mark.parametrize("text,value", [("1 200,5", 1200.5), ("12", 12), (3.0, 3), ("−4,5", -4.5), (" 7.25 ", 7.25)])
def test_numbers_in_swedish_format(text, value):
    assert to_number(text) == value


@pytest.mark.parametrize("text", ["abc", "1,2,3", "inf", True, float("nan"), "1e5x"])
def test_not_numbers(text):
    with pytest.raises(CellError):
        to_number(text)


# --- the page ------------------------------------------------------------------------------------


def test_facilitator_sees_the_objects_of_the_round(app_db, fac):
    at = page(fac)
    assert not at.exception
    assert at.title[0].value == "Objekt"
    df = at.data_editor[0].value
    assert len(df) == 15 and df.loc[0, "id"] == "SOD-01"
    assert df.loc[0, "municipalities"] == "Botkyrka, Huddinge, Haninge"
    assert at.button(key="objects_save").disabled
    assert [d.label for d in at.get("download_button")] == ["Ladda ner mall (CSV)", "Ladda ner mall (Excel)"]


def test_edit_is_merged_into_the_stored_objects(app_db, fac, rid):
    before, version = stored(app_db, fac, rid)
    at = edit(page(fac), edited={0: {"status": "withdrawn"},
                                 1: {"cost": 4500, "municipalities": "Huddinge; Stockholm"}})
    assert not at.button(key="objects_save").disabled
    at.button(key="objects_save").click().run()
    assert not at.exception
    after, new_version = stored(app_db, fac, rid)
    assert new_version == version + 1
    assert after[0] == {**before[0], "status": "withdrawn"}
    assert after[1] == {**before[1], "cost": 4500, "municipalities": ["Huddinge", "Stockholm"]}
    assert after[1]["sources"] == before[1]["sources"] and after[1]["name_en"] == before[1]["name_en"]
    assert after[2:] == before[2:]
    assert at.success[0].value == "Objekten är sparade (15 objekt)."
    assert at.button(key="objects_save").disabled  # a fresh table without unsaved edits
    assert len(at.data_editor[0].value) == 15 and at.data_editor[0].value.loc[1, "cost"] == 4500


def test_new_row_is_saved_with_generated_id(app_db, fac, rid):
    at = edit(page(fac), added=[{"name": "Cykelbro Fittja", "cost": 12.5, "mode": "cykel"}])
    at.button(key="objects_save").click().run()
    after, _ = stored(app_db, fac, rid)
    assert len(after) == 16
    assert after[-1] == {"id": "OBJ-001", "status": "candidate", "name": "Cykelbro Fittja", "cost": 12.5,
                         "mode": "cykel"}


def test_invalid_edits_are_listed_and_nothing_is_saved(app_db, fac, rid):
    before = stored(app_db, fac, rid)
    at = edit(page(fac), edited={0: {"cost": -5}, 1: {"lat": 100.0}, 2: {"id": "SOD-01"}, 3: {"name": ""}},
              added=[{"cost": 3}])
    assert not at.exception
    text = shown(errors(at))
    assert "Tabellen har 5 fel" in text
    assert "Rad 1 (SOD-01), Kostnad (MSEK): Kostnaden -5 är negativ" in text
    assert "Rad 2 (SOD-02), Lat: Latituden 100 ligger utanför −90 till 90 grader." in text
    assert "Rad 3 (SOD-01), Id: Id SOD-01 finns redan på rad 1." in text
    assert "Rad 4 (SOD-04), Namn: Namn saknas." in text
    assert "Rad 16 (OBJ-001), Namn: Namn saknas." in text
    forged_click(at, "objects_save")
    assert not at.success
    assert stored(app_db, fac, rid) == before


def test_removing_objects_with_scores_needs_confirmation(app_db, fac, rid):
    at = edit(page(fac), deleted=[1])
    assert "SOD-02" in shown(at.warning[0].value) and "poäng" in at.warning[0].value
    forged_click(at, "objects_save")
    assert not at.success
    assert len(stored(app_db, fac, rid)[0]) == 15
    at.checkbox[0].check().run()
    at.button(key="objects_save").click().run()
    assert not at.exception
    objs, _ = stored(app_db, fac, rid)
    assert [o["id"] for o in objs if o["id"] == "SOD-02"] == []
    assert all(s.object != "SOD-02" for s in rounds.export_project(app_db, fac, rid).scores)


def test_removing_an_object_without_scores_needs_no_confirmation(app_db, fac, rid):
    objs, version = stored(app_db, fac, rid)
    rounds.replace_setup(app_db, fac, rid, {"objects": objs + [{"id": "NY", "name": "Ny"}]}, version)
    at = edit(page(fac), deleted=[15])
    assert not at.checkbox and not at.button(key="objects_save").disabled
    at.button(key="objects_save").click().run()
    assert [o["id"] for o in stored(app_db, fac, rid)[0]] == [o["id"] for o in objs]


def test_concurrent_change_is_reported_not_overwritten(app_db, fac, rid):
    at = edit(page(fac), edited={0: {"name": "Mitt namn"}})
    objs, version = stored(app_db, fac, rid)
    objs[0] = {**objs[0], "name": "Någon annans namn"}
    rounds.replace_setup(app_db, fac, rid, {"objects": objs}, version)  # another facilitator
    at.run()
    assert "ändrats av någon annan" in at.warning[0].value
    at.button(key="objects_save").click().run()
    assert "Någon annan har ändrat samma sak" in errors(at)
    assert stored(app_db, fac, rid)[0][0]["name"] == "Någon annans namn"
    at.button(key="objects_reload").click().run()
    assert at.data_editor[0].value.loc[0, "name"] == "Någon annans namn"
    assert at.button(key="objects_save").disabled and not at.warning


def test_discard_drops_unsaved_edits(app_db, fac, rid):
    at = edit(page(fac), edited={0: {"name": "Ändrat"}})
    at.button(key="objects_discard").click().run()
    assert at.button(key="objects_save").disabled
    assert at.data_editor[0].value.loc[0, "name"] == stored(app_db, fac, rid)[0][0]["name"]


@pytest.mark.parametrize("role", [PARTICIPANT, VIEWER])
def test_other_roles_are_refused(app_db, fac, rid, role):
    before = stored(app_db, fac, rid)
    actor = Actor(role, "Haninge", round_id=rid, participant_key="p-haninge" if role == PARTICIPANT else None)
    at = page(actor)
    assert not at.exception
    assert at.error[0].value == "Bara facilitatorn får göra detta."
    assert not at.data_editor and not at.get("file_uploader") and not at.button
    assert stored(app_db, fac, rid) == before


def test_english(app_db, fac):
    at = page(fac, lang="en")
    assert at.title[0].value == "Objects"
    at = edit(at, edited={0: {"cost": -5}})
    assert "Row 1 (SOD-01), Cost (MSEK): The cost -5 is negative" in shown(errors(at))


# --- import ----------------------------------------------------------------------------------------


def upload(at, name: str, data: bytes, mode: str | None = None) -> AppTest:
    if mode:
        at.radio(key="objects_import_mode").set_value(mode).run()
    at.get("file_uploader")[0].set_value((name, data, "text/csv"))
    return at.run()


def table(at, column: str):
    """The first read-only table on the page that has ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns and d.key is None)


def csv(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode("utf-8")


def test_import_with_errors_shows_them_and_stores_nothing(app_db, fac, rid):
    before = stored(app_db, fac, rid)
    at = upload(page(fac), "lista.csv", csv("id;namn;kostnad_msek;status\nNY-1;Bro;abc;kandidat\nNY-2;;5;okänd\n"))
    assert not at.exception
    assert "Filen har 3 fel" in errors(at)
    issues = table(at, "Rad")
    assert list(issues.columns) == ["Rad", "Kolumn", "Beskrivning"]
    assert list(zip(issues["Rad"], issues["Kolumn"], strict=True)) == [("2", "kostnad_msek"), ("3", "namn"), ("3", "status")]
    assert '"abc" är inte ett tal' in issues["Beskrivning"].iloc[0]
    forged_click(at, "objects_import_button")
    assert not at.success
    assert stored(app_db, fac, rid) == before


def test_import_appends_after_preview(app_db, fac, rid):
    before, _ = stored(app_db, fac, rid)
    at = upload(page(fac), "lista.csv",
                csv("id;namn;kostnad_msek;status;kommuner\nNY-1;Ny bro;1 200,5;kandidat;Huddinge, Botkyrka\n"
                    ";Pendelparkering Tumba;0,75;prioriterad;\n"))
    assert not at.error
    preview = table(at, "namn")
    assert list(preview["namn"]) == ["Ny bro", "Pendelparkering Tumba"]
    assert "1 varningar" in at.warning[0].value  # the generated id
    assert at.button(key="objects_import_button").label == "Importera 2 objekt"
    at.button(key="objects_import_button").click().run()
    assert not at.exception
    after, _ = stored(app_db, fac, rid)
    assert after[:15] == before
    assert after[15] == {"id": "NY-1", "name": "Ny bro", "cost": 1200.5, "status": "candidate",
                         "municipalities": ["Huddinge", "Botkyrka"]}
    assert after[16]["id"] == "OBJ-001" and after[16]["status"] == "committed"
    assert at.success[0].value == "2 objekt importerades."
    assert not at.get("file_uploader")[0].value  # a fresh uploader
    assert len(at.data_editor[0].value) == 17


def test_import_of_an_existing_id_is_an_error(app_db, fac, rid):
    before = stored(app_db, fac, rid)
    at = upload(page(fac), "lista.csv", csv("id;namn\nSOD-02;Dubblett\n"))
    issues = table(at, "Rad")
    assert issues["Rad"].tolist() == ["2"] and "finns redan i projektet" in issues["Beskrivning"].iloc[0]
    assert at.button(key="objects_import_button").disabled
    assert stored(app_db, fac, rid) == before


def test_import_from_excel(app_db, fac, rid):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active.append(["id", "namn", "kostnad_msek", "lat", "lon"])
    wb.active.append(["X-1", "Stationsentré Flemingsberg", 310, 59.2178, 17.9386])
    buf = io.BytesIO()
    wb.save(buf)
    at = upload(page(fac), "objekt.xlsx", buf.getvalue())
    assert not at.error
    at.button(key="objects_import_button").click().run()
    assert stored(app_db, fac, rid)[0][-1] == {"id": "X-1", "name": "Stationsentré Flemingsberg", "cost": 310,
                                                "status": "candidate", "lat": 59.2178, "lon": 17.9386}


def test_replacing_the_list_needs_confirmation_for_scored_objects(app_db, fac, rid):
    at = upload(page(fac), "lista.csv", csv("id;namn\nSOD-02;Spårväg syd\nNY-1;Ny bro\n"), mode="replace")
    assert not at.error
    assert "14 befintliga objekt" in at.info[0].value
    forged_click(at, "objects_import_button")
    assert not at.success
    assert len(stored(app_db, fac, rid)[0]) == 15
    at.checkbox[0].check().run()
    at.button(key="objects_import_button").click().run()
    objs, _ = stored(app_db, fac, rid)
    assert [o["id"] for o in objs] == ["SOD-02", "NY-1"]
    assert objs[0] == {"id": "SOD-02", "name": "Spårväg syd", "cost": None, "status": "candidate"}


def test_import_messages_follow_the_language(app_db, fac):
    at = upload(page(fac, lang="en"), "lista.csv", csv("namn;kostnad_msek\nBro;abc\n"))
    issues = table(at, "Row")
    assert list(issues.columns) == ["Row", "Column", "Description"]
    assert '"abc" is not a number' in issues["Description"].iloc[0]


def test_formula_like_and_overlong_names_are_refused_in_swedish(app_db, fac, rid):
    """Issue 10 #10 and #13: the grid's own "Download as CSV" would write such a name as a live
    formula; the editor refuses it (and over-long names) before anything is stored."""
    before = stored(app_db, fac, rid)
    at = edit(page(fac), edited={0: {"name": '=HYPERLINK("http://example.org","klick")'},
                                 1: {"municipalities": "Huddinge, @Botkyrka"}, 2: {"name": "N" * 201}})
    text = shown(errors(at))
    assert "Rad 1 (SOD-01), Namn: Börjar med = och kunde köras som en formel" in text
    assert "Rad 2 (SOD-02), Kommuner: Börjar med @" in text
    assert "Rad 3 (SOD-03), Namn: Texten är 201 tecken; högst 200 tecken går." in text
    forged_click(at, "objects_save")
    assert stored(app_db, fac, rid) == before
