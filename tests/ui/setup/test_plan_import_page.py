"""The facilitator's plan-list import page (AppTest): upload the Bilaga 1 test fixture, confirm a name
match, read the change report, apply it (plan references and follow-up updated) or cancel it
(nothing changed); per-row problems stop everything; other roles are refused."""

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from prioritization.storage import audit, rounds
from prioritization.storage.access import VIEWER, Actor
from tests.conftest import FIXTURES

SCRIPT = str(Path(__file__).resolve().parents[1] / "scripts" / "plan_import_app.py")
BILAGA1 = FIXTURES / "bilaga1-np-2026-2037-test.xlsx"
LP_CSV = FIXTURES / "lp-stockholm-2026-2037-test.csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SOURCE = "https://example.org/bilaga1-test.xlsx"


def page(actor, lang="sv", rid=None) -> AppTest:
    at = AppTest.from_file(SCRIPT, default_timeout=60)
    at.session_state["actor"] = actor
    at.session_state["lang"] = lang
    at.session_state["today"] = date(2026, 12, 7)
    if rid is not None:
        at.session_state["round_id"] = rid
    return at.run()


def upload(at, path: Path, *, plan="NP", source=SOURCE, decided=date(2026, 4, 28)) -> AppTest:
    at.radio(key="plan_import_plan").set_value(plan)
    at.date_input(key="plan_import_decided").set_value(decided)
    at.text_input(key="plan_import_source").input(source)
    at.get("file_uploader")[0].set_value((path.name, path.read_bytes(), XLSX_MIME if path.suffix == ".xlsx"
                                          else "text/csv"))
    return at.run()


@pytest.fixture
def rid(app_db, fac, small):
    """The small round, its objects given the names and references the Bilaga 1 fixture meets: O1 is
    Tvärförbindelse Södertörn without a reference (a name match), O2 is E4 Förbifart Stockholm named
    in NP 2026–2037 as VST001 and followed up since 2022, O4 has a reference the list lacks."""
    doc = rounds.setup_document(app_db, fac, small)
    objs = doc["objects"]
    objs[0]["name"] = "Tvärförbindelse Södertörn (väg 259)"
    objs[1]["name"] = "E4 Förbifart Stockholm"
    objs[1]["plan"] = {"refs": [{"plan": "NP", "period": "2026–2037", "objekt_id": "VST001", "phase": "named",
                                 "cost_msek": 50000}]}
    objs[3]["plan"] = {"refs": [{"plan": "NP", "period": "2026–2037", "objekt_id": "TST-X", "phase": "start_1_3"}]}
    follow = [{"object": "O2", "steps": [{"step": "national_plan", "date": "2022-06-01", "precision": "month"}]}]
    rounds.replace_setup(app_db, fac, small, {"objects": objs, "follow_up": follow},
                         rounds.round_info(app_db, fac, small)["row_version"])
    return small


def stored(db, fac, rid):
    project = rounds.setup_project(db, fac, rid)
    return ({o.id: o.plan for o in project.objects}, project.follow_up, rounds.round_info(db, fac, rid)["row_version"],
            len(audit.entries(db, fac, rid)))


def texts(elements) -> str:
    return "\n".join(e.value for e in elements)


def table(at, column: str, first: str | None = None):
    """The first table on the page with ``column`` (and, if given, ``first`` in its first cell)."""
    return next(d.value for d in at.dataframe if column in d.value.columns
                and (first is None or str(d.value.iloc[0, 0]).startswith(first)))


def test_upload_confirm_and_apply_updates_refs_and_follow_up(app_db, fac, rid):
    before_plans, before_tracks, version, _ = stored(app_db, fac, rid)
    at = upload(page(fac, rid=rid), BILAGA1)
    assert not at.exception and not at.error
    # O1 has no Objekt ID yet: the list's Tvärförbindelse Södertörn is offered by name, unticked
    box = next(c for c in at.checkbox if c.key == "plan_import_match_4_O1")
    assert "VST005 Tvärförbindelse Södertörn" in box.label and "100" in box.label and not box.value
    summary = texts(at.markdown)
    assert "1 byter fas" in summary and "tillkommer" not in summary
    box.check().run()
    summary = texts(at.markdown)
    assert "1 tillkommer, 1 byter fas" in summary and "1 objekt har en referens till planen men saknas" in summary
    assert "7 rader i listan matchar inget objekt" in summary
    added = table(at, "Fas i listan", "O1")
    assert added["I listan"].tolist() == ["VST005 Tvärförbindelse Södertörn (namnmatchning)"]
    assert added["Fas i listan"].tolist() == ["Pågående"] and added["Steg i bevakningen"].tolist() == ["Byggstart"]
    moved = table(at, "Fas i listan", "O2")
    assert moved["Fas före"].tolist() == ["Namngivet objekt"] and moved["Kostnad i listan (MSEK)"].tolist() == ["51\xa0500"]
    assert table(at, "Objekt ID", "O4")["Objekt ID"].tolist() == ["TST-X"]  # absent, not changed
    assert stored(app_db, fac, rid)[2] == version  # showing the report wrote nothing
    at.button(key="plan_import_apply").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == ("Planreferenserna uppdaterades för 2 objekt och 2 steg registrerades i "
                                   "bevakningen.")
    plans, tracks, new_version, _ = stored(app_db, fac, rid)
    assert new_version == version + 1
    ref = plans["O1"].ref("NP", "2026–2037")
    assert (ref.objekt_id, ref.phase, ref.cost_msek, ref.source) == ("VST005", "ongoing", 15800, SOURCE)
    assert plans["O2"].ref("NP", "2026–2037").phase == "ongoing"
    assert plans["O4"] == before_plans["O4"] and plans["O3"] == before_plans["O3"]
    by_object = {t.object: t for t in tracks}
    for oid in ("O1", "O2"):
        step = by_object[oid].step("construction_started")
        assert (step.date, step.precision, step.source) == (date(2026, 4, 28), "day", SOURCE)
    assert by_object["O2"].step("national_plan") == before_tracks[0].step("national_plan")  # kept
    assert not at.get("file_uploader")[0].value  # a fresh uploader, no report
    assert not at.button


def test_cancel_changes_nothing(app_db, fac, rid):
    before = stored(app_db, fac, rid)
    at = upload(page(fac, rid=rid), BILAGA1)
    next(c for c in at.checkbox if c.key == "plan_import_match_4_O1").check().run()
    at.button(key="plan_import_cancel").click().run()
    assert not at.exception
    assert at.success[0].value == "Importen avbröts; inget ändrades."
    assert not at.get("file_uploader")[0].value
    assert stored(app_db, fac, rid) == before


def test_a_list_with_problems_shows_them_and_offers_nothing(app_db, fac, example, tmp_path):
    before = stored(app_db, fac, example)
    bad = tmp_path / "bilaga.csv"
    bad.write_text("Fasindelning;Objekt ID;Objekt;Total objektkostnad\nPlanerad;VST005;Tvärförbindelse Södertörn;"
                   "15 800\nPågående;VST001;E4 Förbifart Stockholm;mycket\n", encoding="utf-8")
    at = upload(page(fac), bad)
    assert "Listan har 2 fel" in texts(at.error)
    issues = table(at, "Beskrivning")
    assert issues["Rad"].tolist() == ["2", "3"] and '"Planerad"' in issues["Beskrivning"].iloc[0]
    assert not at.checkbox and not at.button
    assert stored(app_db, fac, example) == before


def test_renamed_column_and_missing_source_in_english(app_db, fac, example, tmp_path):
    renamed = tmp_path / "bilaga.csv"
    renamed.write_text("Fas;Nummer;Objekt\nPågående;VST005;T\n", encoding="utf-8")
    at = upload(page(fac, lang="en"), renamed, source="")
    assert "State the list's source" in texts(at.error)
    at.text_input(key="plan_import_source").input("Bilaga 1, 28 April 2026").run()
    issues = table(at, "Description")
    assert '"Object ID"' in issues["Description"].iloc[0] and '"Nummer"' in issues["Description"].iloc[0]


def test_region_list_csv_offers_name_matches_in_the_example_round(app_db, fac, example):
    at = upload(page(fac), LP_CSV, plan="LP", source="Region Stockholm, länsplan 2026–2037 (test)")
    assert not at.error
    keys = {c.key for c in at.checkbox}
    assert {"plan_import_match_2_SOD-08", "plan_import_match_3_SOD-09"} <= keys


@pytest.mark.parametrize("role", [VIEWER])
def test_other_roles_are_refused(app_db, fac, example, role):
    at = page(Actor(role, "Kommittén", round_id=example))
    assert at.error[0].value == "Bara facilitatorn får göra detta."
    assert not at.get("file_uploader") and not at.button
