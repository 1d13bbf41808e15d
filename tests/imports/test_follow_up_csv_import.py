"""The bulk follow-up status file (imports/follow_up_csv.py): read with the object import's reader,
every problem by row and column, nothing ready to store when any row is wrong."""

import io
from datetime import date, datetime

import pytest

from prioritization import projectfile
from prioritization.imports.follow_up_csv import parse_date_cell, parse_follow_up_file, template_csv
from tests.conftest import EXAMPLE

TODAY = date(2024, 6, 1)


@pytest.fixture(scope="module")
def project():
    return projectfile.load(EXAMPLE)


def parse(project, text: str, name="status.csv", lang="sv"):
    return parse_follow_up_file(text.replace("\n", "\r\n").encode("utf-8"), name, project, TODAY, lang)


def codes(issues):
    return [(i.code, i.row, i.column) for i in issues]


def test_a_good_file_gives_rows_for_storage_and_a_preview(project):
    r = parse(project, "objekt_id;steg;datum;anteckning;källa\n"
                       "SOD-12;Byggstartsbeslut (år 1–3);2024-05;Regeringen;S99\n"
                       "SOD-12;avtal;2023;;\n"
                       "SOD-01;plan_approved;2024-01-15;Rättat datum;\n"
                       ";;;;\n"
                       "SOD-05;;;;\n")
    assert r.ok, r.errors
    assert r.rows == [
        {"object": "SOD-12", "step": "construction_decision", "date": date(2024, 5, 1), "precision": "month",
         "note": "Regeringen", "source": "S99"},
        {"object": "SOD-12", "step": "agreement_signed", "date": date(2023, 1, 1), "precision": "year",
         "note": None, "source": None},
        {"object": "SOD-01", "step": "plan_approved", "date": date(2024, 1, 15), "precision": "day",
         "note": "Rättat datum", "source": None},
    ]
    assert r.row_numbers == [2, 3, 4]
    assert codes(r.warnings) == [("followup_replaces", 4, "steg"), ("followup_row_skipped", 6, None)]
    assert "januari 2024" in r.warnings[0].message_sv  # the step it replaces, as precise as known
    preview = r.preview()
    assert list(preview[0]) == ["rad i filen", "Objekt", "Steg", "Datum", "Anteckning", "Källa", "Ändring"]
    assert preview[0]["Datum"] == "maj 2024" and preview[1]["Datum"] == "2023"
    assert preview[0]["Ändring"] == "nytt steg" and preview[2]["Ändring"] == "ersätter steget från januari 2024"
    assert preview[2]["Objekt"] == project.object("SOD-01").name


def test_english_headers_and_step_names(project):
    r = parse(project, "object_id,step,date,note,source,owner\nSOD-12,Rework,2024-02-03,Cost rose,TRV\n", lang="en")
    assert r.ok and r.rows[0]["step"] == "rework" and r.rows[0]["note"] == "Cost rose"
    assert codes(r.warnings) == [("followup_unknown_column", 1, "owner")]
    assert r.preview()[0]["Step"] == "Sent for rework (omtag)"  # "Rework" is the step's id, read case-blind


def test_every_bad_row_is_named_and_nothing_is_ready_to_store(project):
    r = parse(project, "objekt_id;steg;datum\n"
                       "SOD-99;Byggstart;2024-01-01\n"
                       "SOD-12;invigd;2024-01-01\n"
                       "SOD-12;Omtag;2024-13\n"
                       "SOD-12;Utgår;2024-06-02\n"
                       "SOD-12;Byggstart;2024-02-01\n"
                       "SOD-12;construction_started;2024-03-01\n"
                       "SOD-12;Avbruten;\n")
    assert not r.ok
    assert codes(r.errors) == [("followup_unknown_object", 2, "objekt_id"), ("followup_unknown_step", 3, "steg"),
                               ("followup_bad_date", 4, "datum"), ("followup_future_date", 5, "datum"),
                               ("followup_duplicate_row", 7, "steg"), ("followup_empty_date", 8, "datum")]
    assert 'Okänt steg "invigd"' in r.errors[1].message_sv and "Omtag" in r.errors[1].message_sv
    assert r.errors[3].message_sv.startswith('Datumet "2024-06-02" ligger i framtiden (i dag är det 2024-06-01)')
    assert r.errors[4].message_sv.startswith("Samma objekt och steg som på rad 6")
    assert r.errors[0].describe("sv").startswith('Rad 2, kolumn objekt_id: Objektet "SOD-99" finns inte i omgången')
    assert r.errors[0].message_en.startswith('The object "SOD-99" is not in this round')


def test_missing_columns_and_empty_files(project):
    r = parse(project, "objekt_id;datum\nSOD-12;2024-01-01\n")
    assert codes(r.errors) == [("missing_required_column", 1, None)] and "steg" in r.errors[0].message_sv
    assert codes(parse(project, "vad;när\nx;y\n").errors) == [("followup_no_header", 1, None)]
    assert codes(parse(project, "objekt_id;steg;datum\n").errors) == [("followup_no_rows", None, None)]
    assert codes(parse(project, "").errors) == [("empty_file", None, None)]
    assert not parse(project, "objekt_id;steg;datum\n").ok


def test_a_workbook_with_date_cells(project):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["objekt_id", "steg", "datum"])
    ws.append(["SOD-12", "Samråd/granskning", datetime(2024, 4, 3)])
    ws.append(["SOD-01", "Öppnad för trafik", 2023])
    out = io.BytesIO()
    wb.save(out)
    r = parse_follow_up_file(out.getvalue(), "status.xlsx", project, TODAY)
    assert r.ok, r.errors
    assert [(x["step"], x["date"], x["precision"]) for x in r.rows] == [
        ("consultation", date(2024, 4, 3), "day"), ("opened", date(2023, 1, 1), "year")]


def test_dates_as_precise_as_given():
    assert parse_date_cell("2024-02-29") == (date(2024, 2, 29), "day")
    assert parse_date_cell(" 2024-02 ") == (date(2024, 2, 1), "month")
    assert parse_date_cell("2024") == (date(2024, 1, 1), "year")
    for bad in ("2023-02-29", "2024-2-1", "24-01-01", "1.2.2024", "januari 2024", "1899"):
        assert parse_date_cell(bad) is None, bad


def test_the_template_lists_the_followed_up_objects(project):
    data = template_csv(project)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "objekt_id;objektnamn;steg;datum;anteckning;källa"
    assert [line.split(";")[0] for line in lines[1:]] == [o.id for o in project.objects if o.status == "committed"]
    # filled in where something happened, it is read back; the untouched rows are skipped
    name = project.object("SOD-12").name
    filled = data.decode("utf-8-sig").replace(f"SOD-12;{name};;", f"SOD-12;{name};Öppnad;2024-05-20")
    r = parse_follow_up_file(filled.encode("utf-8"), "mall.csv", project, TODAY)
    assert r.ok, r.errors
    assert [(x["object"], x["step"], x["date"]) for x in r.rows] == [("SOD-12", "opened", date(2024, 5, 20))]
    assert [w.code for w in r.warnings] == ["followup_row_skipped"]  # SOD-01's untouched row
