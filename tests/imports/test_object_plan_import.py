"""The object import's plan columns (issue 14): every new column from an Excel file through the
import into a project with the same values; the planning stage read from its Swedish or English
words or id, anything else kept word for word as the stage note with a warning; bad values reported
per row and column. Expected values are written out by hand."""

from __future__ import annotations

import copy
import datetime
import io
import json

import pytest
from openpyxl import Workbook

from prioritization import projectfile
from prioritization.imports import parse_objects
from prioritization.imports.messages import WARNING_CODES
from prioritization.planning.model import Avs, CostRange, PlanData, PlanRef, Seb, Verified

HEADERS = ["id", "namn", "kostnad_msek", "planeringsläge", "planeringsnotering", "underlagsnivå", "plan", "planperiod",
           "plan_objekt_id", "planfas", "kostnad_i_plan", "avs_status", "avs_rapport", "avs_år", "nnk", "nnv",
           "asek_version", "seb_prisnivå", "kostnad_låg", "kostnad_hög", "kostnad_prisnivå", "kalkylmetod", "kräver",
           "utesluter", "paket", "verifierad_datum", "verifierad_av"]


def workbook(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv(text: str, **kwargs):
    return parse_objects(text.encode("utf-8"), "objekt.csv", **kwargs)


def places(issues) -> list[tuple[str, int | None, str | None]]:
    return [(i.code, i.row, i.column) for i in issues]


def test_every_plan_column_from_excel_into_the_project(small_round):
    data = workbook([
        HEADERS,
        ["N1", "Tvärförbindelse (etapp 1)", 15800, "Laga kraft", "Vägplan laga kraft jan 2024", "Plan", "NP",
         "2026-2037", "VST005", "Pågående", 15800.5, "ÅVS klar", "TRV 2020:115", 2020, "0,4", -1200.25, "ASEK 7.0",
         "2017-06", 15000, "16 000", 2023, "Successivkalkyl", "N2", "N3", "Paket syd",
         datetime.datetime(2026, 11, 30), "Anna Planerare"],
        ["N2", "Spårväg (etapp 2)", None, "construction doc", None, "förstudie", "lp", "2022–2033", None, "Omtag",
         None, "planned", None, None, None, None, None, None, None, None, None, "rough", None, None, None, None,
         None],
        ["N3", "Alternativ", None, "Avbruten", None, "Idé/screening"] + [None] * (len(HEADERS) - 6),
    ])
    result = parse_objects(data, "planlista.xlsx", existing_ids={o["id"] for o in small_round["objects"]})
    assert result.ok, result.errors
    assert result.warnings == []
    doc = copy.deepcopy(small_round)
    doc["objects"].extend(json.loads(json.dumps(result.rows, ensure_ascii=False)))
    project = projectfile.parse(doc, require_complete=False)
    assert project.object("N1").plan == PlanData(
        refs=(PlanRef("NP", "2026–2037", "VST005", "ongoing", 15800.5),),
        stage="legally_binding", stage_note="Vägplan laga kraft jan 2024",
        avs=Avs("done", "TRV 2020:115", 2020),
        seb=Seb(0.4, -1200.25, "ASEK 7.0", "2017-06"),
        evidence="plan",
        cost=CostRange(15000, 16000, "2023", "successive"),
        requires=("N2",), excludes=("N3",), package="Paket syd",
        verified=Verified(datetime.date(2026, 11, 30), "Anna Planerare"))
    assert project.object("N2").plan == PlanData(refs=(PlanRef("LP", "2022–2033", phase="rework"),),
                                                 stage="construction_doc", avs=Avs("planned"), evidence="prestudy",
                                                 cost=CostRange(method="rough"))
    assert project.object("N3").plan == PlanData(stage="cancelled", evidence="idea")
    assert "planning_status" not in project.object("N1").attributes
    # and the same values out of the project file again
    again = projectfile.loads(projectfile.dumps(project), require_complete=False)
    assert again.object("N1").plan == project.object("N1").plan
    assert result.objects()[0].plan == project.object("N1").plan
    preview = result.preview()[0]
    assert (preview["planeringsläge"], preview["planfas"], preview["kräver"]) == ("Laga kraft", "Pågående", "N2")


@pytest.mark.parametrize("text, stage", [
    ("Samrådshandling", "consultation_doc"), ("samrådshandling", "consultation_doc"),
    ("Consultation document", "consultation_doc"), ("legally_binding", "legally_binding"),
    ("ÅVS", "avs"), ("Åtgärdsvalsstudie", "avs"), ("Fastställd", "adopted"), ("Öppnad för trafik", "opened"),
    ("ingen utredning", "none"),
])
def test_the_planning_stage_from_its_words(text, stage):
    result = csv(f"namn;planeringsläge\nA;{text}\n")
    assert result.ok and result.warnings[-1].code != "stage_as_note"
    assert result.rows[0]["plan"] == {"stage": stage}


def test_a_stage_not_in_the_list_is_kept_word_for_word_as_the_note():
    result = csv("namn;planeringsläge;planeringsnotering\nA;Vägplan laga kraft jan 2024 ; \n"
                 "B;ÅVS klar hösten 2021;Mer i rapporten\n")
    assert result.ok
    assert [r["plan"] for r in result.rows] == [{"stage_note": "Vägplan laga kraft jan 2024"},
                                                {"stage_note": "Mer i rapporten\nÅVS klar hösten 2021"}]
    assert places(result.warnings[1:]) == [("stage_as_note", 2, "planeringsläge"), ("stage_as_note", 3, "planeringsläge")]
    assert "stage_as_note" in WARNING_CODES
    assert "sparas ordagrant som planeringsnotering" in result.warnings[1].message_sv
    assert '"Vägplan laga kraft jan 2024"' in result.warnings[1].message_sv


def test_the_old_english_header_and_english_aliases():
    result = csv("name;planning status;evidence level;plan phase;plan;plan period;cost low;cost high;requires\n"
                 "A;Legally binding;Plan;Named object;NP;2026–2037;1;2;\n")
    assert result.ok, result.errors
    assert result.rows[0]["plan"] == {"refs": [{"plan": "NP", "period": "2026–2037", "phase": "named"}],
                                      "stage": "legally_binding", "evidence": "plan", "cost": {"low": 1, "high": 2}}


TODAY = datetime.date.today()
NEXT_YEAR = TODAY.year + 1


@pytest.mark.parametrize("header, value, code", [
    ("planfas", "pausad", "unknown_choice"),
    ("underlagsnivå", "gissning", "unknown_choice"),
    ("plan", "XP", "unknown_choice"),
    ("planperiod", "2037–2026", "not_a_period"),
    ("seb_prisnivå", str(NEXT_YEAR), "future_price_level"),
    ("kostnad_prisnivå", "2017-13", "not_a_price_level"),
    ("avs_år", str(NEXT_YEAR), "not_a_year"),
    ("nnk", "hög", "not_a_number"),
    ("kostnad_låg", "-5", "negative_cost"),
    ("verifierad_datum", "30/11/2025", "not_a_date"),
    ("kräver", "O1, O1", "listed_twice"),
    ("paket", "=HYPERLINK(1)", "formula_like"),
])
def test_a_bad_value_is_an_error_of_its_row_and_column(header, value, code):
    result = csv(f"namn;{header}\nBra;\nDålig;\"{value}\"\n", existing_ids={"O1"})
    assert not result.ok
    assert places(result.errors) == [(code, 3, header)]
    issue = result.errors[0]
    assert issue.message_sv != issue.message_en and "{" not in issue.message_sv + issue.message_en


@pytest.mark.parametrize("text, code, column, words", [
    ("namn;kostnad_msek;kostnad_låg;kostnad_hög\nA;450;500;400\n", "cost_range_reversed", "kostnad_låg",
     "lägsta 500 MSEK är högre än högsta 400 MSEK"),
    ("namn;kostnad_msek;kostnad_låg;kostnad_hög\nA;600;500;550\n", "cost_outside_range", "kostnad_låg",
     "600 MSEK ligger utanför kostnadsintervallet 500–550 MSEK"),
    ("namn;planfas\nA;Omtag\n", "plan_ref_incomplete", "planfas", "plan och planperiod saknas"),
    ("namn;avs_rapport\nA;TRV 2020:1\n", "avs_needs_status", "avs_rapport", "avs_status"),
    ("namn;verifierad_av\nA;Anna\n", "verified_incomplete", "verifierad_av", "verifierad_datum saknas"),
    ("id;namn;kräver;utesluter\nA;A;B;B\nB;B;;\n", "required_and_excluded", "utesluter", '"B"'),
    ("id;namn;kräver\nA;A;SAKNAS\n", "unknown_object_ref", "kräver", '"SAKNAS"'),
    ("id;namn;kräver\nA;A;A\n", "self_ref", "kräver", '"A"'),
    ("id;namn;kräver\nA;A;B\nB;B;C\nC;C;A\n", "dependency_cycle", "kräver", "A → B → C → A"),
])
def test_rules_across_cells_and_rows(text, code, column, words):
    result = csv(text)
    assert [(i.code, i.column) for i in result.errors] == [(code, column)]
    assert words in result.errors[0].message_sv


def test_a_required_object_may_be_in_the_round_already():
    assert csv("id;namn;kräver\nNY;Ny;SOD-01\n", existing_ids={"SOD-01"}).ok
