"""The plan data in the exports (issue 14): the Excel and CSV object lists carry every object's plan
facts in their last columns and the comparability warning (on the object's row, and in Excel and the
PDF as sentences under the list); formula-like text people typed (a stage note, a package, a link
title) stays inert text."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import openpyxl
import pytest

from prioritization import analysis, projectfile
from prioritization.exports import VersionStamp
from prioritization.exports.csv_export import priority_list_csv
from prioritization.exports.excel import priority_list_xlsx
from prioritization.report import plan_facts
from tests.conftest import plain_example_bytes
from tests.exports.conftest import workbook_texts

LIST_HEADER_ROW = 6
STAGE_NOTE = '=HYPERLINK("http://example.invalid","x")'
PACKAGE = "+Paket syd"
LINK_TITLE = "-2+3 avtal"
SOD02 = {
    "refs": [{"plan": "NP", "period": "2026–2037", "objekt_id": "VST005", "phase": "ongoing", "cost_msek": 4300}],
    "stage": "legally_binding", "stage_note": STAGE_NOTE,
    "avs": {"status": "done", "report_no": "TRV 2020:115", "year": 2020},
    "seb": {"nnk": 0.45, "asek_version": "7.0", "price_level": "2017"}, "evidence": "plan",
    "cost": {"low": 3800, "high": 5100, "price_level": "2024", "method": "successive"},
    "financing": [{"party": "state", "amount_msek": 3000, "status": "agreement"},
                  {"party": "municipality:Huddinge", "amount_msek": 45, "status": "letter_of_intent"}],
    "requires": ["SOD-05"], "package": PACKAGE,
    "links": [{"kind": "agreement", "url": "https://example.invalid/avtal", "title": LINK_TITLE}],
    "verified": {"date": "2026-05-02", "by": "Anna Andersson"},
}
SOD05 = {"evidence": "idea", "cost": {"price_level": "2024"}}


def project_with(plans: dict[str, dict]):
    raw = json.loads(plain_example_bytes())
    for o in raw["objects"]:  # only the plan data of this test (the example's own is left out)
        o.pop("plan", None)
        o.pop("planning_status", None)
        if o["id"] in plans:
            o["plan"] = plans[o["id"]]
    return projectfile.parse(raw, check_text=False)


@pytest.fixture(scope="module")
def planned():
    return project_with({"SOD-02": SOD02, "SOD-05": SOD05})


@pytest.fixture(scope="module")
def comparable():
    """Every candidate with a cost at the same evidence level and price level: nothing to warn about."""
    raw = json.loads(plain_example_bytes())
    plans = {o["id"]: {"evidence": "avs", "cost": {"price_level": "2024"}} for o in raw["objects"]}
    return project_with(plans)


def version_of(project) -> VersionStamp:
    return VersionStamp("Test", projectfile.sha256(project))


def csv_rows(project) -> list[dict]:
    data = priority_list_csv(project, analysis.rank(project), version=version_of(project))
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_csv_adds_the_plan_columns_at_the_end_and_the_warning_on_each_row(planned):
    data = priority_list_csv(planned, analysis.rank(planned), version=version_of(planned))
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    plan_headers = plan_facts.column_headers("sv")
    assert header[-len(plan_headers):] == plan_headers  # added after every earlier column
    assert header[:-len(plan_headers)][-4:] == ["Version", "Fingeravtryck (SHA-256)", "Märkning", "Vikter"]
    assert {"Planeringsläge", "Underlagsnivå", "Planreferenser", "ÅVS", "NNK", "ASEK-version", "Prisnivå (SEB)",
            "Kostnad lägst (MSEK)", "Kostnad högst (MSEK)", "Prisnivå (kostnad)", "Kalkylmetod",
            "Finansiering per part", "Förutsätter", "Utesluter", "Paket", "Senast kontrollerad",
            "Kontrollerad av", "Jämförbarhet"} <= set(plan_headers)
    rows = {r["Objekt-id"]: r for r in csv_rows(planned)}
    r = rows["SOD-02"]
    assert r["Planeringsläge"] == "Laga kraft" and r["Underlagsnivå"] == "Plan"
    assert r["Planreferenser"] == "NP 2026–2037: VST005, Pågående, 4\xa0300 MSEK"
    assert r["ÅVS"] == "ÅVS klar, TRV 2020:115 (2020)"
    assert (r["NNK"], r["ASEK-version"], r["Prisnivå (SEB)"]) == ("0,45", "7.0", "2017")
    assert (r["Kostnad lägst (MSEK)"], r["Kostnad högst (MSEK)"]) == ("3800", "5100")
    assert (r["Prisnivå (kostnad)"], r["Kalkylmetod"]) == ("2024", "Successivkalkyl")
    assert r["Finansiering per part"] == "Staten 3\xa0000 MSEK (Avtal); Huddinge kommun 45 MSEK (Avsiktsförklaring)"
    assert r["Förutsätter"] == planned.object("SOD-05").name
    assert (r["Senast kontrollerad"], r["Kontrollerad av"]) == ("2026-05-02", "Anna Andersson")
    # the costs of the listed objects come from plan, idea and not-stated evidence: every row says so
    assert "Kostnaderna kommer från olika underlagsnivåer" in r["Jämförbarhet"]
    assert "Idé/screening (" + planned.object("SOD-05").name + ")" in rows["SOD-05"]["Jämförbarhet"]
    assert rows["SOD-03"]["Planeringsläge"] == "" and rows["SOD-03"]["Jämförbarhet"]  # no plan data, still compared


def test_csv_has_no_warning_when_the_costs_are_comparable(comparable):
    rows = csv_rows(comparable)
    assert all(r["Jämförbarhet"] == "" for r in rows)
    assert {r["Underlagsnivå"] for r in rows} == {"ÅVS"}


def test_excel_list_has_the_plan_columns_and_the_warning_under_the_list(planned):
    book = openpyxl.load_workbook(io.BytesIO(priority_list_xlsx(planned, analysis.rank(planned),
                                                               version=version_of(planned))))
    ws = book["Prioriteringslista"]
    header = {c.value: c.column for c in ws[LIST_HEADER_ROW] if c.value is not None}
    n = len(analysis.rank(planned).ranked)
    row = next(r for r in range(LIST_HEADER_ROW + 1, LIST_HEADER_ROW + 1 + n)
               if ws.cell(r, header["Objekt-id"]).value == "SOD-02")

    def cell(name):
        return ws.cell(row, header[name])

    assert cell("Kostnad lägst (MSEK)").value == 3800 and cell("Kostnad lägst (MSEK)").number_format == "#,##0"
    assert cell("NNK").value == pytest.approx(0.45)
    assert cell("Senast kontrollerad").value.date() == date(2026, 5, 2)
    assert cell("Planreferenser").value.startswith("NP 2026–2037: VST005")
    assert "kan inte jämföras rakt av" in cell("Jämförbarhet").value
    under = [ws.cell(r, 1).value for r in range(LIST_HEADER_ROW + n + 1, ws.max_row + 1)]
    assert any(isinstance(v, str) and v.startswith("Kostnaderna kommer från olika underlagsnivåer") for v in under)
    # the committed objects' sheet carries the plan columns too
    committed = book["Redan prioriterade"]
    assert [c.value for c in committed[1]][-len(plan_facts.COLUMNS):] == plan_facts.column_headers("sv")


def test_excel_has_no_warning_when_the_costs_are_comparable(comparable):
    book = openpyxl.load_workbook(io.BytesIO(priority_list_xlsx(comparable, analysis.rank(comparable),
                                                               version=version_of(comparable))))
    values = [c.value for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any("kan inte jämföras rakt av" in v for v in values)


def test_formula_like_plan_text_stays_text_in_excel_and_csv(planned):
    rows = {r["Objekt-id"]: r for r in csv_rows(planned)}
    r = rows["SOD-02"]
    assert r["Planeringsläge, anteckning"] == "'" + STAGE_NOTE
    assert r["Paket"] == "'" + PACKAGE
    assert r["Länkar"] == "'" + LINK_TITLE + ": https://example.invalid/avtal"
    book = openpyxl.load_workbook(io.BytesIO(priority_list_xlsx(planned, analysis.rank(planned),
                                                               version=version_of(planned))))
    texts = workbook_texts(book)
    assert {"'" + STAGE_NOTE, "'" + PACKAGE, "'" + LINK_TITLE + ": https://example.invalid/avtal"} <= set(texts)


def test_the_decision_document_says_the_warning_under_the_list(planned, comparable):
    pytest.importorskip("vl_convert")
    from pypdf import PdfReader

    from prioritization.exports.pdf import decision_document_pdf

    def text(project) -> str:
        pdf = decision_document_pdf(project, analysis.rank(project), version=version_of(project),
                                    today=date(2026, 6, 1))
        return " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages)

    words = " ".join(text(planned).split())
    assert "Kostnaderna kommer från olika underlagsnivåer och kan inte jämföras rakt av" in words
    assert "kan inte jämföras rakt av" not in " ".join(text(comparable).split())


def test_a_project_without_plan_data_gets_no_plan_columns():
    bare = project_with({})
    data = priority_list_csv(bare, analysis.rank(bare), version=version_of(bare))
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert header[-1] == "Vikter" and "Jämförbarhet" not in header
    book = openpyxl.load_workbook(io.BytesIO(priority_list_xlsx(bare, analysis.rank(bare), version=version_of(bare))))
    assert "Planeringsläge" not in [c.value for c in book["Prioriteringslista"][LIST_HEADER_ROW]]
