"""Reading a plan's object list (prioritization.imports.plan_list): the Bilaga 1 test fixture, a
region's CSV list, missing and renamed columns, unknown phases and bad costs, each reported by row
and column, and nothing read from a list with errors."""

import io

import pytest

from prioritization.imports.plan_list import parse_plan_list, read_phase
from tests.conftest import FIXTURES

BILAGA1 = FIXTURES / "bilaga1-np-2026-2037-test.xlsx"
LP_CSV = FIXTURES / "lp-stockholm-2026-2037-test.csv"


def csv(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode("utf-8")


def codes(issues):
    return [(i.code, i.row, i.column) for i in issues]


def test_the_fixture_is_what_its_generator_writes():
    from tests.fixtures import make_bilaga1_fixture as gen

    assert LP_CSV.read_bytes() == gen.csv_text().encode("utf-8")
    openpyxl = pytest.importorskip("openpyxl")
    ws = openpyxl.load_workbook(BILAGA1)["Bilaga 1"]
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    assert values[0][0] == gen.NOTE and "TEST FIXTURE" in values[0][0]
    assert tuple(values[2]) == gen.HEADER
    assert [tuple(v) for v in values[3:3 + len(gen.ROWS)]] == list(gen.ROWS)


def test_bilaga1_fixture_reads_every_row_with_its_phase():
    result = parse_plan_list(BILAGA1.read_bytes(), BILAGA1.name)
    assert result.ok, result.errors
    assert result.header_row == 3  # the note above it is skipped, with a warning
    assert codes(result.warnings) == [("plan_title_rows", 3, None), ("plan_row_skipped", 14, None)]
    assert [(r.objekt_id, r.phase) for r in result.rows] == [
        ("VST005", "ongoing"), ("VST001", "ongoing"), ("JO1811", "start_1_3"), ("VOR2606", "study"),
        ("TEST-C01", "prepare_4_6"), ("TEST-O01", "rework"), ("TEST-M01", "removed"), ("TEST-AC01", "named"),
        ("TEST-F01", "opened")]
    first = result.rows[0]
    assert (first.row, first.name, first.cost_msek, first.mode, first.county) == (
        4, "Tvärförbindelse Södertörn", 15800, "Väg", "Stockholm")


def test_region_csv_with_swedish_numbers_and_no_ids():
    result = parse_plan_list(LP_CSV.read_bytes(), LP_CSV.name, plan="LP")
    assert result.ok and not result.warnings
    assert [(r.objekt_id, r.name, r.phase, r.cost_msek) for r in result.rows] == [
        (None, "Bytespunkt Flemingsberg inkl. väg 226 planskildhet", "named", 1200),
        (None, "Busslänk över E4/E20 vid Fittja", "study", 800),
        (None, "Exempelobjekt länsplan (testrad)", "prepare_4_6", 95.5)]
    assert result.columns["cost_msek"] == "Kostnad (mnkr)"


@pytest.mark.parametrize("text", ["Byggstart (år 1–3)", "BYGGSTART ÅR 1-3", "byggstart (år 1 — 3)",
                                  "Byggstart ( år 1‑3 )"])
def test_phases_are_read_tolerant_of_case_and_dashes(text):
    assert read_phase(text) == "start_1_3"


def test_more_phase_spellings():
    assert read_phase("förberedelse för byggstart (år 4-6)") == "prepare_4_6"
    assert read_phase("utredning / brist") == "study"
    assert read_phase("UTGÅR") == "removed"
    assert read_phase("Öppet för trafik") == "opened"
    assert read_phase("Construction start (years 1–3)") == "start_1_3"
    assert read_phase("Planerad") is None


def test_a_renamed_required_column_names_the_expected_and_found_headers():
    data = csv("Fas;Trafikslag;Län;Objektnummer X;Objekt;Total objektkostnad\nPågående;Väg;Stockholm;VST005;T;1\n")
    result = parse_plan_list(data, "bilaga.csv")
    assert not result.ok and not result.rows
    [issue] = result.errors
    assert issue.code == "plan_missing_columns" and issue.row == 1
    assert '"Objekt ID"' in issue.message_sv and '"Objektnummer X"' in issue.message_sv
    assert "Fasindelning" in issue.message_sv and "inget har ändrats" in issue.message_sv
    assert '"Object ID"' in issue.message_en


def test_missing_phase_column_in_the_national_annex_but_not_in_a_region_list():
    data = csv("Objekt ID;Objekt;Kostnad\nVST005;Tvärförbindelse Södertörn;1 200\n")
    np_result = parse_plan_list(data, "lista.csv", plan="NP")
    assert codes(np_result.errors) == [("plan_missing_columns", 1, None)]
    assert '"Fasindelning"' in np_result.errors[0].message_sv
    lp_result = parse_plan_list(data, "lista.csv", plan="LP")
    assert lp_result.ok and lp_result.rows[0].cost_msek == 1200


def test_a_region_list_needs_an_id_or_a_name():
    result = parse_plan_list(csv("Nummer;Fas\n1;Pågående\n"), "lista.csv", plan="LP")
    assert codes(result.errors) == [("plan_missing_columns", 1, None)]
    assert '"Objekt ID" eller "Objekt"' in result.errors[0].message_sv


def test_no_header_at_all():
    result = parse_plan_list(csv("a;b\n1;2\n"), "lista.csv")
    assert codes(result.errors) == [("plan_no_header", 1, None)]
    assert '"a", "b"' in result.errors[0].message_sv


def test_unknown_phase_and_bad_costs_are_row_problems():
    data = csv("Fasindelning;Objekt ID;Objekt;Total objektkostnad (mnkr)\n"
               "Planerad;VST005;Tvärförbindelse;15 800\n"
               "Pågående;VST001;Förbifart;mycket\n"
               "Omtag;VST002;Annan;-5\n"
               "Utgår;VST001;Dubblett;1,5\n"
               "Pågående;=HYPERLINK(1);Farlig;1\n")
    result = parse_plan_list(data, "bilaga.csv")
    assert not result.ok
    assert codes(result.errors) == [
        ("unknown_phase", 2, "Fasindelning"), ("not_a_number", 3, "Total objektkostnad (mnkr)"),
        ("negative_cost", 4, "Total objektkostnad (mnkr)"), ("plan_duplicate_id", 5, "Objekt ID"),
        ("formula_like", 6, "Objekt ID")]
    assert '"Planerad"' in result.errors[0].message_sv and "Byggstart (år 1–3)" in result.errors[0].message_sv
    assert '"mycket" är inte ett tal' in result.errors[1].message_sv
    assert result.errors[0].describe("en").startswith("Row 2, column Fasindelning: Unknown phase")


def test_workbook_formulas_are_refused_and_hidden_sheets_reported():
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active.title = "Läsanvisning"
    wb.active.append(["Läs detta först"])
    ws = wb.create_sheet("Bilaga 1")  # read before the first sheet
    ws.append(["Fasindelning", "Objekt ID", "Objekt", "Total objektkostnad"])
    ws.append(["Pågående", "VST005", "Tvärförbindelse Södertörn", "=1+1"])
    buf = io.BytesIO()
    wb.save(buf)
    result = parse_plan_list(buf.getvalue(), "bilaga.xlsx")
    assert codes(result.errors) == [("formula", 2, "Total objektkostnad")]
