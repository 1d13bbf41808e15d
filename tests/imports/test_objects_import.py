"""Object import from CSV and XLSX: parse_objects, the templates, and every error case.

Workbooks are built with openpyxl in the tests (no binary fixtures). Expected values are written
out by hand from the input, never copied from a run of the importer.
"""

from __future__ import annotations

import codecs
import copy
import datetime
import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from prioritization import projectfile
from prioritization.imports import ImportResult, parse_objects, readers, template_csv, template_xlsx
from prioritization.imports.messages import CATALOGUE, MAX_BYTES, MAX_ROWS, WARNING_CODES
from prioritization.model import OBJECT_STATUSES, InfraObject

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

EXAMPLE_OBJECT = {
    "id": "EX-01",
    "name": "Exempel: Ny busslänk (ta bort raden)",
    "cost": 1250.5,
    "status": "candidate",
    "municipalities": ["Huddinge", "Botkyrka"],
    "mode": "buss",
    "description": "Exempelrad som visar formatet. Ta bort raden innan du importerar.",
    "lat": 59.2178,
    "lon": 17.9386,
    "funding_status": "Ej finansierad",
    "plan_channel": "LP",
    "plan": {  # issue 14: the plan columns, in the project file's form
        "refs": [{"plan": "LP", "period": "2026–2037", "objekt_id": "LP-EX1", "phase": "named", "cost_msek": 1100}],
        "stage": "consultation_doc", "stage_note": "Åtgärdsvalsstudie klar 2021; samråd våren 2025",
        "avs": {"status": "done", "report_no": "TRV 2021:001", "year": 2021},
        "seb": {"nnk": 0.35, "nnv": 420, "asek_version": "ASEK 7.0", "price_level": "2017"},
        "evidence": "avs",
        "cost": {"low": 1000, "high": 1500, "price_level": "2023", "method": "rough"},
        "package": "Exempelpaket syd",
        "verified": {"date": "2025-11-30", "by": "Anna Andersson (exempel)"},
    },
}
SWEDISH_HEADERS = ["id", "namn", "kostnad_msek", "status", "kommuner", "trafikslag", "beskrivning", "lat", "lon",
                   "planeringsläge", "planeringsnotering", "underlagsnivå", "finansiering", "plankanal", "plan",
                   "planperiod", "plan_objekt_id", "planfas", "kostnad_i_plan", "avs_status", "avs_rapport", "avs_år",
                   "nnk", "nnv", "asek_version", "seb_prisnivå", "kostnad_låg", "kostnad_hög", "kostnad_prisnivå",
                   "kalkylmetod", "kräver", "utesluter", "paket", "verifierad_datum", "verifierad_av"]


# --- helpers -------------------------------------------------------------------------------------


class Text:
    """A workbook cell written as text even if it starts with "=" (openpyxl would make it a formula)."""

    def __init__(self, value: str):
        self.value = value


def xlsx(rows: list[list], *, start_row: int = 1, sheets: tuple[str, ...] = ("Blad1",),
         target: str | None = None) -> bytes:
    wb = Workbook()
    wb.active.title = sheets[0]
    for name in sheets[1:]:
        wb.create_sheet(name)
    ws = wb[target or sheets[0]]
    for r, values in enumerate(rows, start=start_row):
        for c, value in enumerate(values, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c)
            if isinstance(value, Text):
                cell.value = value.value
                cell.data_type = "s"
            else:
                cell.value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def parse_csv(text: str, **kwargs) -> ImportResult:
    return parse_objects(text.encode("utf-8"), "objekt.csv", **kwargs)


def places(issues) -> list[tuple[str, int | None, str | None]]:
    return [(i.code, i.row, i.column) for i in issues]


def check_messages(result: ImportResult) -> None:
    for issue in result.errors + result.warnings:
        assert issue.message_sv and issue.message_en and issue.message_sv != issue.message_en
        assert "{" not in issue.message_sv and "{" not in issue.message_en
        assert (issue.code in WARNING_CODES) == (issue in result.warnings)


# --- templates -----------------------------------------------------------------------------------


def test_csv_template_is_excel_friendly():
    data = template_csv()
    assert data.startswith(codecs.BOM_UTF8)
    lines = data[3:].decode("utf-8").split("\r\n")
    assert lines[0] == ";".join(SWEDISH_HEADERS)
    assert "1250,5" in lines[1] and "59,2178" in lines[1]  # decimal comma for Swedish Excel
    assert lines[2:] == [""]


@pytest.mark.parametrize("name, data", [("mall.csv", template_csv()), ("mall.xlsx", template_xlsx())])
def test_template_round_trip_gives_the_example_row(name, data):
    result = parse_objects(data, name)
    assert result.ok, result.errors
    assert result.rows == [EXAMPLE_OBJECT]
    assert result.row_numbers == [2]
    assert places(result.warnings) == [("example_row", 2, "namn")]
    check_messages(result)


def test_xlsx_template_layout():
    wb = load_workbook(io.BytesIO(template_xlsx()))
    assert wb.sheetnames == ["Objekt", "Instruktioner"]
    ws = wb["Objekt"]
    assert [c.value for c in ws[1]] == SWEDISH_HEADERS
    assert ws.freeze_panes == "A2"
    assert all(c.font.bold for c in ws[1])
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width  # namn is wide
    assert ws.cell(row=2, column=3).value == 1250.5  # a real number, not text
    validations = ws.data_validations.dataValidation
    assert "kandidat,prioriterad,genomförd,utgår" in validations[0].formula1
    assert str(validations[0].sqref).startswith("D2")
    # the plan's controlled columns offer their Swedish words (issue 14): planeringsläge is column J
    stage = next(v for v in validations if str(v.sqref).startswith("J2"))
    assert "Laga kraft" in stage.formula1 and "Avbruten" in stage.formula1
    assert len(validations) == 7
    instructions = "\n".join(str(c.value) for row in wb["Instruktioner"].iter_rows() for c in row if c.value)
    for header in SWEDISH_HEADERS:
        assert header in instructions
    assert "Klistra in special" in instructions


# --- a realistic Swedish Excel export (committed fixture) ----------------------------------------


def test_swedish_excel_csv_export():
    data = (FIXTURES / "imports" / "objekt-excel-sv.csv").read_bytes()
    result = parse_objects(data, "objekt-excel-sv.csv", existing_ids={"SOD-01"})
    assert result.ok, result.errors
    assert (result.encoding, result.delimiter, result.file_format) == ("utf-8", ";", "csv")
    assert result.rows == [
        {"id": "SOD-16", "name": "Cykelstråk Flemingsberg–Huddinge C", "cost": 1200.5, "status": "candidate",
         "municipalities": ["Huddinge", "Botkyrka"], "mode": "cykel", "lat": 59.2178, "lon": 17.9386,
         "Kommentar": "Ny uppgift 2025"},
        {"id": "SOD-17", "name": "Bytespunkt Handen", "cost": 85, "status": "committed",
         "municipalities": ["Haninge"], "mode": "buss"},
        {"id": "OBJ-001", "name": "Pendelparkering Tumba", "cost": 0.75, "status": "candidate",
         "municipalities": ["Botkyrka"]},
    ]
    assert result.row_numbers == [2, 3, 5]
    assert places(result.warnings) == [("unknown_column", 1, "Kommentar"), ("id_generated", 5, "id")]
    check_messages(result)


def test_imported_rows_are_valid_project_file_objects(small_round):
    data = (FIXTURES / "imports" / "objekt-excel-sv.csv").read_bytes()
    result = parse_objects(data, "x.csv", existing_ids={o["id"] for o in small_round["objects"]})
    doc = copy.deepcopy(small_round)
    doc["objects"].extend(json.loads(json.dumps(result.rows, ensure_ascii=False)))
    project = projectfile.parse(doc, require_complete=False)
    assert project.object("SOD-16").attributes["municipalities"] == ["Huddinge", "Botkyrka"]
    assert project.object("SOD-17").status == "committed"


# --- errors, one by one --------------------------------------------------------------------------

ZIP_NOT_A_WORKBOOK = io.BytesIO()
with zipfile.ZipFile(ZIP_NOT_A_WORKBOOK, "w") as _z:
    _z.writestr("hello.txt", "hej")
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100


@pytest.mark.parametrize("data, filename, expected", [
    (b"", "a.csv", ("empty_file", None, None)),
    (b"\xef\xbb\xbf", "a.csv", ("empty_file", None, None)),
    (b"\r\n\r\n;;;\r\n  ;  \r\n", "a.csv", ("empty_file", None, None)),
    (xlsx([]), "a.xlsx", ("empty_file", None, None)),
    ("Ny busslänk;120;kandidat\n".encode(), "a.csv", ("no_header", 1, None)),
    (b"\n\nProjektlista 2025\nnamn;kostnad\n", "a.csv", ("no_header", 3, None)),
    (b"id;kostnad_msek\nA;12\n", "a.csv", ("missing_required_column", 1, None)),
    (b"namn;Name\nA;B\n", "a.csv", ("duplicate_column", 1, "Name")),
    (b"namn;Kommentar;kommentar\nA;x;y\n", "a.csv", ("duplicate_column", 1, "kommentar")),
    (b"namn;=cmd|' /C calc'!A0\nA;x\n", "a.csv", ("formula_like", 1, "=cmd|' /C calc'!A0")),
    (b"%PDF-1.4 ...", "rapport.pdf", ("wrong_file_type", None, None)),
    (ZIP_NOT_A_WORKBOOK.getvalue(), "text.docx", ("wrong_file_type", None, None)),
    (OLE, "gammal.xls", ("xls_not_supported", None, None)),
    (b"<html><table>...</table></html>", "export.xls", ("xls_not_supported", None, None)),
    (OLE, "losenord.xlsx", ("xls_not_supported", None, None)),
    (b"namn\nA\n", "a.xlsx", ("unreadable_xlsx", None, None)),
    (b"PK\x03\x04 this is not really a zip", "a.xlsx", ("unreadable_xlsx", None, None)),
    (ZIP_NOT_A_WORKBOOK.getvalue(), "a.xlsx", ("unreadable_xlsx", None, None)),
    (b"namn\x00\x00\x01\nA\n", "a.csv", ("not_text", None, None)),
    (b"namn\n\"abc\"x\n", "a.csv", ("csv_malformed", 2, None)),
    (b"namn\nA\n\"B\n", "a.csv", ("csv_malformed", 3, None)),
    (b"namn;kostnad_msek\n", "a.csv", ("no_data_rows", None, None)),
])
def test_file_level_errors(data, filename, expected):
    result = parse_objects(data, filename)
    assert places(result.errors) == [expected]
    assert result.rows == [] and not result.ok
    check_messages(result)


@pytest.mark.parametrize("text, existing, expected", [
    ("namn;id\nA;1\n   ;2\n", (), ("empty_name", 3, "namn")),
    ("id;namn;status\nA;;prioriterad\n", (), ("empty_name", 2, "namn")),
    ("id;namn\nA;X\nB;Y\nA;Z\n", (), ("duplicate_id", 4, "id")),
    ("id;namn\nSOD-01;X\n", {"SOD-01"}, ("id_exists", 2, "id")),
    ("namn;kostnad_msek\nA;tolv\n", (), ("not_a_number", 2, "kostnad_msek")),
    ("namn;kostnad_msek\nA;-5\n", (), ("negative_cost", 2, "kostnad_msek")),
    ("namn;kostnad_msek\nA;\u22125\n", (), ("negative_cost", 2, "kostnad_msek")),
    ("namn;lat;lon\nA;95;18\n", (), ("out_of_range", 2, "lat")),
    ("namn;lat;lon\nA;59;-180,5\n", (), ("out_of_range", 2, "lon")),
    ("namn;lat;lon\nA;norr;18\n", (), ("not_a_number", 2, "lat")),
    ("namn;status\nA;pågående\n", (), ("unknown_status", 2, "status")),
    ("namn\n=HYPERLINK(\"http://evil\",\"x\")\n", (), ("formula_like", 2, "namn")),
    ("namn\n+46 nya bussar\n", (), ("formula_like", 2, "namn")),
    ("namn\n-Bro\n", (), ("formula_like", 2, "namn")),
    ("namn\n@SUM(A1)\n", (), ("formula_like", 2, "namn")),
    ("ID;Namn\n=1+1;Bro\n", (), ("formula_like", 2, "ID")),
    ("namn,kostnad_msek\nA,1200,5\n", (), ("too_many_cells", 2, None)),
])
def test_row_errors(text, existing, expected):
    result = parse_csv(text, existing_ids=existing)
    assert places(result.errors) == [expected]
    check_messages(result)


def test_error_messages_name_the_details():
    dup = parse_csv("id;namn\nA;X\nB;Y\nA;Z\n").errors[0]
    assert "rad 2" in dup.message_sv and "row 2" in dup.message_en and '"A"' in dup.message_sv
    status = parse_csv("namn;status\nA;pågående\n").errors[0]
    assert "kandidat, prioriterad, genomförd, utgår" in status.message_sv
    assert "candidate, committed, completed, withdrawn" in status.message_en
    assert '"pågående"' in status.message_sv
    number = parse_csv("namn;kostnad_msek\nA;tolv\n").errors[0]
    assert '"tolv"' in number.message_sv and "1200,5" in number.message_sv
    assert number.describe("sv").startswith("Rad 2, kolumn kostnad_msek: ")
    assert number.describe("en").startswith("Row 2, column kostnad_msek: ")
    missing = parse_csv("id;kostnad\nA;1\n").errors[0]
    assert "namn" in missing.message_sv and "name" in missing.message_en
    lat = parse_csv("namn;lat;lon\nA;95;18\n").errors[0]
    assert "95" in lat.message_sv and "90" in lat.message_sv


def test_all_problems_are_reported_together_in_row_order():
    text = "id;namn;kostnad_msek;status\nA;X;tolv;kandidat\nB;;-1;okänd\nA;Z;3;\n"
    result = parse_csv(text)
    assert places(result.errors) == [
        ("not_a_number", 2, "kostnad_msek"),
        ("empty_name", 3, "namn"),
        ("negative_cost", 3, "kostnad_msek"),
        ("unknown_status", 3, "status"),
        ("duplicate_id", 4, "id"),
    ]
    assert len(result.rows) == 3  # still shown in the preview
    with pytest.raises(ValueError):
        result.objects()


def test_ids_are_compared_exactly():
    result = parse_csv("id;namn\nsod-01;X\nSOD-01 ;Y\n", existing_ids={"SOD-01"})
    # "sod-01" differs in case; "SOD-01 " is trimmed (surrounding whitespace) and then collides.
    assert places(result.errors) == [("id_exists", 3, "id")]


# --- formula-looking text and real formulas ------------------------------------------------------


def test_formula_looking_free_text_is_kept_with_a_warning():
    text = ("namn;beskrivning;kommuner;Kommentar\n"
            "Bro;- etapp 1: bro;\"Huddinge, =HYPERLINK(1)\";+ två hållplatser\n")
    result = parse_csv(text)
    assert result.ok
    assert result.rows[0]["description"] == "- etapp 1: bro"
    assert result.rows[0]["municipalities"] == ["Huddinge", "=HYPERLINK(1)"]
    assert result.rows[0]["Kommentar"] == "+ två hållplatser"
    assert places(result.warnings) == [
        ("ids_generated", None, None),
        ("unknown_column", 1, "Kommentar"),
        ("formula_like_text", 2, "beskrivning"),
        ("formula_like_text", 2, "kommuner"),
        ("formula_like_text", 2, "Kommentar"),
    ]


def test_leading_tab_in_a_name_is_trimmed_not_rejected():
    result = parse_csv("namn;beskrivning\n\tBro\t;x\n")
    assert result.ok and result.rows[0]["name"] == "Bro"


def test_rejected_id_is_not_replaced_by_a_generated_one():
    result = parse_csv("id;namn\n=1+1;Bro\n;Väg\n")
    assert places(result.errors) == [("formula_like", 2, "id")]
    assert [r["id"] for r in result.rows] == [None, "OBJ-001"]
    assert places(result.warnings) == [("id_generated", 3, "id")]


@pytest.mark.parametrize("column, value, expected", [
    ("namn", "=CONCAT(\"a\";\"b\")", ("formula", 2, "namn")),
    ("kostnad_msek", "=100*2", ("formula", 2, "kostnad_msek")),
    ("beskrivning", "=B2", ("formula", 2, "beskrivning")),
    ("kostnad_msek", "#N/A", ("excel_error_value", 2, "kostnad_msek")),
    ("namn", Text("=abc"), ("formula_like", 2, "namn")),
])
def test_xlsx_formulas_and_error_values(column, value, expected):
    header = ["namn", "kostnad_msek", "beskrivning"]
    row = ["Bro", 12, "text"]
    row[header.index(column)] = value
    result = parse_objects(xlsx([header, row]), "objekt.xlsx")
    assert places(result.errors) == [expected]
    if expected[0] == "formula":
        assert "klistra in värden" in result.errors[0].message_sv
    check_messages(result)


def test_xlsx_text_that_looks_like_a_formula_in_free_text_is_a_warning():
    result = parse_objects(xlsx([["namn", "beskrivning"], ["Bro", Text("=inte en formel")]]), "o.xlsx")
    assert result.ok
    assert result.rows[0]["description"] == "=inte en formel"
    assert ("formula_like_text", 2, "beskrivning") in places(result.warnings)


# --- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("1 200,5", 1200.5),
    ("1200,5", 1200.5),
    ("1 200", 1200),
    ("1\u00a0200", 1200),
    ("1\u202f200,25", 1200.25),
    ("12 345 678", 12345678),
    ("1200.5", 1200.5),
    ("0,5", 0.5),
    (",5", 0.5),
    ("+3", 3),
    ("0", 0),
    ("  7 ", 7),
    ("", None),
])
def test_swedish_number_formats(text, expected):
    result = parse_csv(f"namn;kostnad_msek\nA;{text}\n")
    assert result.ok, result.errors
    assert result.rows[0]["cost"] == expected
    assert type(result.rows[0]["cost"]) is type(expected)


@pytest.mark.parametrize("text", [
    "tolv", "1.200,5", "12 00", "1,2,3", "12 MSEK", "inf", "nan", "1e3", "1 2", "\u0661\u0662", "--1", "-",
    ",", "1 200 ,5", "0x10", "12 000 000 0",
])
def test_not_numbers(text):
    result = parse_csv(f"namn;kostnad_msek\nA;\"{text}\"\n")
    assert places(result.errors) == [("not_a_number", 2, "kostnad_msek")]


def test_coordinates_within_range_and_decimal_comma():
    result = parse_csv("namn;lat;lon\nA;-90;180\nB;59,2178;17,9386\n")
    assert result.ok
    assert [(r["lat"], r["lon"]) for r in result.rows] == [(-90, 180), (59.2178, 17.9386)]


def test_half_a_coordinate_is_a_warning():
    result = parse_csv("namn;lat;lon\nA;59,2;\n")
    assert result.ok and result.rows[0]["lat"] == 59.2 and "lon" not in result.rows[0]
    assert places(result.warnings) == [("ids_generated", None, None), ("coordinate_incomplete", 2, None)]


def test_xlsx_numbers_as_numbers_and_as_text():
    rows = [["namn", "kostnad_msek", "lat", "lon"],
            ["A", 1200.5, 59.2, 17.9],
            ["B", "1 200,5", "59,2", "17,9"],
            ["C", 85, None, None],
            ["D", "tolv", None, None]]
    result = parse_objects(xlsx(rows), "objekt.xlsx")
    assert places(result.errors) == [("not_a_number", 5, "kostnad_msek")]
    a, b, c, _ = result.rows
    assert (a["cost"], a["lat"], a["lon"]) == (1200.5, 59.2, 17.9)
    assert (b["cost"], b["lat"], b["lon"]) == (1200.5, 59.2, 17.9)
    assert c["cost"] == 85 and type(c["cost"]) is int


def test_xlsx_typed_cells_in_text_and_unknown_columns():
    rows = [["id", "namn", "beskrivning", "Antal hållplatser", "Klar"],
            [17, "Bro", datetime.date(2024, 5, 1), 16, True]]
    result = parse_objects(xlsx(rows), "objekt.xlsx")
    assert result.ok
    assert result.rows[0]["id"] == "17"
    assert result.rows[0]["description"] == "2024-05-01"
    assert result.rows[0]["Antal hållplatser"] == 16 and result.rows[0]["Klar"] is True


# --- delimiters and encodings --------------------------------------------------------------------

EXPECTED_AB = [
    {"id": "A", "name": "Bro, etapp 2", "cost": 1200.5, "status": "candidate"},
    {"id": "B", "name": "Väg", "cost": None, "status": "committed"},
]


@pytest.mark.parametrize("text, delimiter", [
    ("id;namn;kostnad_msek;status\nA;Bro, etapp 2;1 200,5;\nB;Väg;;prioriterad\n", ";"),
    ('id,namn,kostnad_msek,status\nA,"Bro, etapp 2","1 200,5",\nB,Väg,,prioriterad\n', ","),
    ("id\tnamn\tkostnad_msek\tstatus\nA\tBro, etapp 2\t1 200,5\t\nB\tVäg\t\tprioriterad\n", "\t"),
    ('"id";"namn";"kostnad_msek";"status"\r\n"A";"Bro, etapp 2";"1 200,5";""\r\n"B";"Väg";"";"prioriterad"\r\n',
     ";"),
    ("sep=,\nid,namn,kostnad_msek,status\nA,\"Bro, etapp 2\",\"1200,5\",\nB,Väg,,prioriterad\n", ","),
])
def test_delimiters(text, delimiter):
    result = parse_csv(text)
    assert result.ok, result.errors
    assert result.delimiter == delimiter
    assert result.rows == EXPECTED_AB
    assert result.row_numbers == [2, 3]


def test_single_column_file_keeps_commas_in_names():
    result = parse_csv("namn\nBro, etapp 2\n")
    assert result.ok and result.rows[0]["name"] == "Bro, etapp 2"


def test_bom_does_not_spoil_the_first_header():
    text = "id;namn\nA;Bro\n"
    with_bom = parse_objects(codecs.BOM_UTF8 + text.encode(), "a.csv")
    without = parse_objects(text.encode(), "a.csv")
    assert with_bom.rows == without.rows == [{"id": "A", "name": "Bro", "cost": None, "status": "candidate"}]
    assert with_bom.warnings == without.warnings == []
    twice = parse_objects(codecs.BOM_UTF8 * 2 + text.encode(), "a.csv")  # re-saved by a BOM-adding tool
    assert twice.rows == without.rows and twice.warnings == []


def test_windows_1252_fallback_with_warning():
    data = "namn;kommuner\nSödertälje – bro;Södertälje\n".encode("cp1252")
    result = parse_objects(data, "ansi.csv")
    assert result.ok
    assert result.encoding == "windows-1252"
    assert result.rows[0]["name"] == "Södertälje – bro"  # the en dash is 0x96 in cp1252, a control char in latin-1
    assert ("encoding_fallback", None, None) in places(result.warnings)


def test_latin_1_fallback_for_bytes_undefined_in_windows_1252():
    data = b"namn\nBj\xf6rk\x81\n"
    result = parse_objects(data, "a.csv")
    assert result.encoding == "latin-1"
    assert result.rows[0]["name"] == "Björk\x81"
    assert ("encoding_fallback", None, None) in places(result.warnings)


def test_utf16_unicode_text_from_excel():
    data = "namn\tkostnad_msek\r\nBro\t1 200,5\r\n".encode("utf-16")
    result = parse_objects(data, "unicode.txt")
    assert result.ok and result.rows[0]["cost"] == 1200.5 and result.delimiter == "\t"


# --- rows: empty ones, numbering, names, statuses, ids -------------------------------------------


def test_empty_rows_are_skipped_and_numbering_follows_the_file():
    result = parse_csv("namn;kostnad_msek\n\nA;1\n;\n  ;  \nB;tolv\n")
    assert result.row_numbers == [3, 6]
    assert places(result.errors) == [("not_a_number", 6, "kostnad_msek")]


def test_xlsx_header_below_empty_rows_and_gaps():
    rows = [["namn", "kostnad_msek"], [None, None], ["A", "x"]]
    result = parse_objects(xlsx(rows, start_row=3), "o.xlsx")
    assert places(result.errors) == [("not_a_number", 5, "kostnad_msek")]
    assert result.row_numbers == [5]


def test_xlsx_prefers_the_objekt_sheet():
    data = xlsx([["namn"], ["Bro"]], sheets=("Instruktioner", "Objekt"), target="Objekt")
    result = parse_objects(data, "o.xlsx")
    assert result.ok and result.rows[0]["name"] == "Bro"


def test_names_are_trimmed_and_otherwise_kept():
    result = parse_csv("namn\n  Bro över  ån\u00a0 \nBRO ÖVER  ÅN\n")
    assert [r["name"] for r in result.rows] == ["Bro över  ån", "BRO ÖVER  ÅN"]


def test_duplicate_names_are_a_warning():
    result = parse_csv("namn\nBro\nVäg\nBro\n")
    assert result.ok
    assert ("duplicate_name", 4, "namn") in places(result.warnings)


@pytest.mark.parametrize("text, status", [
    ("kandidat", "candidate"), ("Candidate", "candidate"), ("", "candidate"),
    ("prioriterad", "committed"), ("COMMITTED", "committed"),
    ("genomförd", "completed"), ("Genomförd", "completed"), ("completed", "completed"),
    ("utgår", "withdrawn"), ("UTGÅR", "withdrawn"), ("withdrawn", "withdrawn"),
])
def test_status_values(text, status):
    result = parse_csv(f"namn;status\nA; {text} \n")
    assert result.ok and result.rows[0]["status"] == status


@pytest.mark.parametrize("header, key", [
    ("NAME", "name"), (" Namn ", "name"), ("Cost", "cost"), ("Kostnad MSEK", "cost"), ("Kostnad (MSEK)", "cost"),
    ("Municipalities", "municipalities"),
    ("Plan_Channel", "plan_channel"), ("Finansiering", "funding_status"), ("Trafikslag", "mode"),
    ("Description", "description"), ("Latitude", "lat"), ("LON", "lon"),
])
def test_header_aliases(header, key):
    other = "namn" if key != "name" else "id"
    result = parse_csv(f"{other};{header}\nX;12\n")
    assert result.ok, result.errors
    expected = {"municipalities": ["12"], "cost": 12, "lat": 12, "lon": 12}.get(key, "12")
    assert result.rows[0][key] == expected
    assert "unknown_column" not in [w.code for w in result.warnings]


def test_municipalities_split_on_semicolon_and_comma():
    result = parse_csv('namn;kommuner\nA;"Huddinge; Botkyrka,Haninge , "\nB;" , "\n')
    assert result.rows[0]["municipalities"] == ["Huddinge", "Botkyrka", "Haninge"]
    assert "municipalities" not in result.rows[1]


def test_unknown_columns_are_kept_as_attributes_with_a_warning():
    result = parse_csv("namn;  Kommentar  ;Källa\nBro;ny 2025;\n")
    assert result.ok
    assert result.rows[0] == {"id": "OBJ-001", "name": "Bro", "cost": None, "status": "candidate",
                              "Kommentar": "ny 2025"}
    assert places(result.warnings) == [("ids_generated", None, None),
                                       ("unknown_column", 1, "Kommentar"), ("unknown_column", 1, "Källa")]


def test_values_without_a_header():
    # A workbook with notes beside the table: a warning, values not imported.
    result = parse_objects(xlsx([["namn", None, "kostnad_msek"], ["A", "anteckning", 1, None, "mer"]]), "o.xlsx")
    assert result.ok
    assert result.rows[0] == {"id": "OBJ-001", "name": "A", "cost": 1, "status": "candidate"}
    unnamed = [w for w in result.warnings if w.code == "unnamed_column"]
    assert [(w.row, w.column) for w in unnamed] == [(2, None), (2, None)]
    assert "B" in unnamed[0].message_sv and "E" in unnamed[1].message_sv


def test_generated_ids_skip_existing_and_given_ids():
    result = parse_csv("id;namn\nOBJ-002;A\n;B\n;C\n", existing_ids={"OBJ-001"})
    assert result.ok
    assert [r["id"] for r in result.rows] == ["OBJ-002", "OBJ-003", "OBJ-004"]
    assert places(result.warnings) == [("id_generated", 3, "id"), ("id_generated", 4, "id")]


def test_ids_generated_without_an_id_column():
    result = parse_csv("namn\nA\nB\n")
    assert [r["id"] for r in result.rows] == ["OBJ-001", "OBJ-002"]
    assert places(result.warnings) == [("ids_generated", None, None)]


# --- size limits ---------------------------------------------------------------------------------


def _rows_csv(n: int, cost: str = "1") -> str:
    return "namn;kostnad_msek\n" + "".join(f"Objekt {i};{cost}\n" for i in range(n))


def test_exactly_the_maximum_number_of_rows_is_accepted():
    result = parse_csv(_rows_csv(MAX_ROWS))
    assert result.ok and len(result.rows) == MAX_ROWS


def test_too_many_rows_rejected_without_reading_the_rest():
    # Every cost is invalid and the file ends in malformed CSV; neither is reported because reading
    # stops at row MAX_ROWS + 2 (header + MAX_ROWS + 1 object rows).
    text = _rows_csv(MAX_ROWS + 1, cost="tolv") + '"unterminated\n'
    result = parse_csv(text)
    assert places(result.errors) == [("too_many_rows", None, None)]
    assert result.rows == []


def test_too_many_rows_in_a_workbook():
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Objekt")
    ws.append(["namn"])
    for i in range(MAX_ROWS + 1):
        ws.append([f"Objekt {i}"])
    out = io.BytesIO()
    wb.save(out)
    result = parse_objects(out.getvalue(), "stor.xlsx")
    assert places(result.errors) == [("too_many_rows", None, None)]


def test_file_size_limit():
    header = "namn\n"
    line = 1100  # (MAX_BYTES - 5) // 1100 = 4766 rows, within MAX_ROWS
    n = (MAX_BYTES - len(header)) // line
    rows = [f"{i:06d}".ljust(line - 1, "x") + "\n" for i in range(n)]
    rest = MAX_BYTES - len(header) - n * line
    text = header + "".join(rows) + "y" * (rest - 1) + "\n"
    data = text.encode()
    assert len(data) == MAX_BYTES
    assert parse_objects(data, "a.csv").ok
    too_big = parse_objects(data + b"z", "a.csv")
    assert places(too_big.errors) == [("file_too_large", None, None)]
    assert "5,0 MB" in too_big.errors[0].message_sv and "5.0 MB" in too_big.errors[0].message_en


def test_workbook_that_unpacks_too_large_is_rejected(monkeypatch):
    monkeypatch.setattr(readers, "MAX_XLSX_UNCOMPRESSED", 1000)
    result = parse_objects(xlsx([["namn"], ["Bro"]]), "o.xlsx")
    assert places(result.errors) == [("file_too_large", None, None)]


def test_workbook_with_too_many_stored_rows(monkeypatch):
    # Rows of formatted but empty cells cost openpyxl time without being objects; they are bounded.
    monkeypatch.setattr(readers, "XLSX_MAX_STORED_ROWS", 5)
    wb = Workbook()
    ws = wb.active
    ws.append(["namn"])
    ws.append(["Bro"])
    for row in range(3, 10):
        ws.cell(row=row, column=3).font = Font(bold=True)  # a stored, empty cell
    out = io.BytesIO()
    wb.save(out)
    result = parse_objects(out.getvalue(), "o.xlsx")
    assert places(result.errors) == [("too_many_sheet_rows", None, None)]
    assert "5 rader" in result.errors[0].message_sv
    monkeypatch.setattr(readers, "XLSX_MAX_STORED_ROWS", 9)
    assert parse_objects(out.getvalue(), "o.xlsx").ok


def test_too_many_columns():
    header = ";".join(["namn"] + [f"extra{i}" for i in range(120)])
    result = parse_csv(header + "\nA\n")
    assert places(result.errors) == [("too_many_columns", 1, None)]
    wide = parse_objects(xlsx([["namn"] + [f"extra{i}" for i in range(100)], ["A"]]), "o.xlsx")
    assert places(wide.errors) == [("too_many_columns", 1, None)]
    just_fits = parse_objects(xlsx([["namn"] + [f"extra{i}" for i in range(99)], ["A"]]), "o.xlsx")
    assert just_fits.ok


# --- preview and objects -------------------------------------------------------------------------


def test_preview_flat_rows_with_the_same_keys():
    result = parse_csv("id;namn;kommuner;status;Kommentar\nA;Bro;Huddinge, Botkyrka;prioriterad;\nB;Väg;;;x\n")
    assert result.preview() == [
        {"rad i filen": 2, "id": "A", "namn": "Bro", "kostnad_msek": None, "status": "prioriterad",
         "kommuner": "Huddinge, Botkyrka", "Kommentar": None},
        {"rad i filen": 3, "id": "B", "namn": "Väg", "kostnad_msek": None, "status": "kandidat",
         "kommuner": None, "Kommentar": "x"},
    ]
    english = parse_csv("namn;status\nBro;prioriterad\n", lang="en").preview()
    assert english == [{"file row": 2, "id": "OBJ-001", "name": "Bro", "cost": None, "status": "committed"}]


def test_objects_builds_model_objects():
    result = parse_csv("id;namn;kostnad_msek;status;trafikslag\nA;Bro;12;utgår;väg\n")
    assert result.objects() == [InfraObject("A", "Bro", 12, "withdrawn", {"mode": "väg"})]


def test_unknown_language_is_a_programming_error():
    with pytest.raises(ValueError):
        parse_objects(b"namn\nA\n", "a.csv", lang="de")


def test_every_catalogue_message_exists_in_both_languages():
    for code, (sv, en) in CATALOGUE.items():
        assert sv.strip() and en.strip() and sv != en, code


# --- never raise on bad data ---------------------------------------------------------------------


def _check_invariants(result: ImportResult) -> None:
    assert result.ok == (not result.errors)
    assert len(result.rows) == len(result.row_numbers)
    for issue in result.errors + result.warnings:
        assert issue.row is None or issue.row >= 1
        assert issue.message_sv and issue.message_en
    if result.ok:
        ids = [r["id"] for r in result.rows]
        assert len(set(ids)) == len(ids)
        for r in result.rows:
            assert isinstance(r["id"], str) and r["id"]
            assert isinstance(r["name"], str) and r["name"].strip() and r["name"] == r["name"].strip()
            assert r["cost"] is None or r["cost"] >= 0
            assert r["status"] in OBJECT_STATUSES
            assert not r["name"].startswith(("=", "+", "-", "@"))
    result.preview()


FILENAMES = st.sampled_from(["a.csv", "a.xlsx", "a.xls", "a.txt", "a", "a.pdf", "A.CSV"])


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=400), filename=FILENAMES)
def test_arbitrary_bytes_never_raise(data, filename):
    _check_invariants(parse_objects(data, filename))


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=300))
def test_arbitrary_zip_like_bytes_never_raise(data):
    _check_invariants(parse_objects(b"PK\x03\x04" + data, "a.xlsx"))


CELL_TEXT = st.one_of(
    st.text(alphabet=list("abå AÖ019,.;\"\n\r\t=+-@\u00a0\u2212"), max_size=12),
    st.sampled_from(["kandidat", "utgår", "1 200,5", "-1", "95", "OBJ-001", "A"]),
)


@settings(max_examples=200, deadline=None)
@given(header=st.lists(st.sampled_from(SWEDISH_HEADERS + ["name", "Kommentar", "", "=x"]), min_size=1, max_size=5),
       rows=st.lists(st.lists(CELL_TEXT, max_size=6), max_size=6),
       delimiter=st.sampled_from([";", ",", "\t"]),
       existing=st.sets(st.sampled_from(["OBJ-001", "A", "1"]), max_size=2))
def test_arbitrary_spreadsheet_text_never_raises(header, rows, delimiter, existing):
    text = "\n".join(delimiter.join(r) for r in [header, *rows])
    _check_invariants(parse_objects(text.encode("utf-8"), "a.csv", existing_ids=existing))


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.lists(st.one_of(st.none(), CELL_TEXT, st.floats(allow_nan=False, allow_infinity=False),
                                        st.integers(-10**6, 10**6), st.booleans()), max_size=5),
                     max_size=5))
def test_arbitrary_workbook_cells_never_raise(rows):
    _check_invariants(parse_objects(xlsx([["id", "namn", "kostnad_msek", "lat", "Kommentar"], *rows]), "a.xlsx"))


# --- hidden sheets (issue 10 #16) ------------------------------------------------------------------


def _workbook(sheets: list[tuple[str, str, list[list]]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, state, rows in sheets:
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
        ws.sheet_state = state
    if any(state == "visible" for _, state, _ in sheets):  # Excel needs a visible active sheet
        wb.active = next(k for k, (_, state, _) in enumerate(sheets) if state == "visible")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_hidden_first_sheet_is_not_read_and_the_user_is_told():
    data = _workbook([("Gammal lista", "hidden", [["namn"], ["Dolt objekt"]]),
                      ("Blad2", "visible", [["namn"], ["Synligt objekt"]])])
    result = parse_objects(data, "objekt.xlsx")
    assert [o["name"] for o in result.rows] == ["Synligt objekt"]
    assert places(result.warnings)[0] == ("hidden_sheet", None, None)
    assert '"Gammal lista"' in result.warnings[0].message_sv and '"Blad2"' in result.warnings[0].message_sv
    check_messages(result)


def test_a_hidden_objekt_sheet_is_not_read_either():
    data = _workbook([("Objekt", "hidden", [["namn"], ["Dolt"]]), ("Annat", "visible", [["namn"], ["Synligt"]])])
    result = parse_objects(data, "objekt.xlsx")
    assert [o["name"] for o in result.rows] == ["Synligt"]
    assert result.warnings[0].code == "hidden_sheet"


def test_a_workbook_with_only_very_hidden_sheets_is_refused():
    data = _workbook([("A", "visible", [["namn"]]), ("B", "veryHidden", [["namn"], ["Gömt"]])])
    # openpyxl will not save a workbook without a visible sheet, so hide the last one afterwards
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        parts = {n: zin.read(n) for n in zin.namelist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b'sheetId="1" state="visible"',
                                                                b'sheetId="1" state="hidden"')
    assert b'state="hidden"' in parts["xl/workbook.xml"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for n, b in parts.items():
            zout.writestr(n, b)
    result = parse_objects(out.getvalue(), "objekt.xlsx")
    assert not result.rows
    assert [e.code for e in result.errors] == ["only_hidden_sheets"]
    check_messages(result)
