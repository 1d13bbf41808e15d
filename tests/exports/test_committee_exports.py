"""The committee's round (issue 13) in the exports: local input points, parked objects, the anchoring
matrix and the decided list, read back from the Excel (openpyxl), CSV (csv) and PDF (pypdf) files
and checked against :mod:`prioritization.committee.priority` and :mod:`prioritization.report.committee`.

The round is built here (not taken from the example's own committee section), so the figures are
known: eight municipalities give points to the example's candidates, one candidate is parked by the
screening, a draft list is out for reply with three stances, and the committee decided with one
override (the model's fifth moved to second, and up a tier) and its reason.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from datetime import UTC, date, datetime

import openpyxl
import pytest
from pypdf import PdfReader

from prioritization import analysis, projectfile
from prioritization.committee.decision import missing_reasons
from prioritization.committee.model import (
    DEFAULT_CHECKLIST,
    Allocation,
    Check,
    Committee,
    DecidedEntry,
    Decision,
    DecisionRef,
    Draft,
    InputWindow,
    LocalPoints,
    Municipality,
    ScreeningResult,
    Stance,
)
from prioritization.committee.priority import priority_list
from prioritization.committee.ranking import model_list
from prioritization.exports import VersionStamp
from prioritization.exports.csv_export import plan_header, priority_list_csv
from prioritization.exports.excel import priority_list_xlsx
from prioritization.exports.pdf import decision_document_pdf
from prioritization.report import committee as view
from prioritization.safe_text import TRIGGERS
from tests.conftest import EXAMPLE
from tests.exports.conftest import workbook_texts

TOWNS = ("botkyrka", "haninge", "huddinge", "nykvarn", "nynashamn", "salem", "sodertalje", "tyreso")
TOWN_NAMES = ("Botkyrka", "Haninge", "Huddinge", "Nykvarn", "Nynäshamn", "Salem", "Södertälje", "Tyresö")
REASON = "Trafiksäkerheten på sträckan är akut; kommunerna är eniga (§ 5, Södertälje och Nykvarn)"
HOSTILE_REASON = '=HYPERLINK("http://example.invalid","klicka här")'
LIST_HEADER_ROW = 6
EXPORTED = datetime(2023, 12, 13, 9, 0, tzinfo=UTC)
TODAY = date(2023, 12, 13)
DRAFT = Draft("ab" * 32, "Remissversion november", datetime(2023, 11, 1, 8, 0, tzinfo=UTC), date(2023, 11, 30))
OLD_LIST_HEADER = ["Rang", "Objekt-id", "Objekt", "Kommuner", "Kostnad (MSEK)", "Poäng (0–100)",
                   "Motivering (största bidrag)", "Status", "Påhittad kostnad (exempeldata)"]


# --- the round ------------------------------------------------------------------------------------


def committee_round(reason: str = REASON, *, rationale: str | None = None, comment: str | None = None,
                    park_reason: str = "Kostnadsuppskattning saknas") -> tuple:
    """The example's objects with a committee round of our own; returns (project, the parked
    object's id, the override's decided entry)."""
    base = projectfile.load(EXAMPLE)
    candidates = [o.id for o in base.candidates]
    parked = candidates[-1]
    ranked = candidates[:-1]
    objects = tuple(dataclasses.replace(o, status="parked") if o.id == parked else o for o in base.objects)
    # whole points, at most 40 an object and 100 a municipality; the parked object gets none
    plan = {0: (40, 30, 20), 1: (40, 40), 2: (25, 25, 25), 3: (10,), 4: (40, 40, 20), 5: (30,), 6: (15, 15), 7: ()}
    allocations = []
    for m, points in plan.items():
        for k, p in enumerate(points):
            oid = ranked[(3 * m + 2 * k + 1) % len(ranked)]
            allocations.append(Allocation(TOWNS[m], oid, p, rationale if (m, k) == (0, 0) and rationale
                                          else f"{TOWN_NAMES[m]}: viktigt för pendlingen (exempel {k + 1})"))
    stances = (
        Stance("huddinge", DRAFT.version, "support", decision=DecisionRef("Kommunstyrelsen", date(2023, 11, 20),
                                                                          "KS § 123"),
               replied_at=datetime(2023, 11, 21, 10, 0, tzinfo=UTC)),
        Stance("botkyrka", DRAFT.version, "oppose", comment=comment or "Väg 225 behöver högre prioritet",
               replied_at=datetime(2023, 11, 22, 10, 0, tzinfo=UTC)),
        Stance("haninge", DRAFT.version, "support_with_comments", object_comments={ranked[0]: "Viktigt för Handen"},
               decision=DecisionRef("Kommunfullmäktige", date(2023, 11, 27), "KF § 7"),
               replied_at=datetime(2023, 11, 28, 10, 0, tzinfo=UTC)),
    )
    committee = Committee(
        municipalities=tuple(Municipality(i, n) for i, n in zip(TOWNS, TOWN_NAMES, strict=True)),
        window=InputWindow("M06", datetime(2023, 9, 4, 6, 0, tzinfo=UTC), datetime(2023, 9, 29, 14, 0, tzinfo=UTC)),
        points=LocalPoints(100, 40, 0.3), allocations=tuple(allocations),
        checklist=tuple(Check(*c) for c in DEFAULT_CHECKLIST),
        screening=(*(ScreeningResult(oid, "passed") for oid in ranked),
                   ScreeningResult(parked, "parked", ("four_step", "cost"), park_reason)),
        drafts=(DRAFT,), stances=stances)
    project = dataclasses.replace(base, objects=objects, committee=committee)
    model = model_list(project)
    moved = model[4]  # the model's fifth is decided second, one tier up
    first_tier = project.tiers.levels[0].label
    entries = []
    for rank, (oid, model_rank, model_tier) in enumerate([model[0], moved, *model[1:4], *model[5:]], start=1):
        if oid == moved[0]:
            entries.append(DecidedEntry(oid, model_rank, rank, model_tier, first_tier, reason))
        else:
            entries.append(DecidedEntry(oid, model_rank, rank, model_tier, model_tier))
    assert missing_reasons(entries) == []
    decision = Decision("cd" * 32, "Beslutsversion december", DecisionRef("Samarbetskommittén", date(2023, 12, 12),
                                                                          "Protokoll 2023-12-12 § 5"), tuple(entries))
    project = dataclasses.replace(project, committee=dataclasses.replace(committee, decision=decision))
    override = next(e for e in entries if e.reason)
    assert (override.model_rank, override.rank) == (5, 2) and override.model_tier != override.tier
    return project, parked, override


@pytest.fixture(scope="module")
def round_():
    return committee_round()


@pytest.fixture(scope="module")
def project(round_):
    return round_[0]


@pytest.fixture(scope="module")
def ranking(project):
    return analysis.rank(project)


@pytest.fixture(scope="module")
def listed(project, ranking):
    pl = priority_list(project, ranking)
    assert pl is not None
    return pl


@pytest.fixture(scope="module")
def tiers(project, ranking):
    """The tiers as the dashboard and the CLI pass them: by the weighted-sum ranks."""
    return project.tiers.assign((r.object.id, r.rank) for r in ranking.ranked)


@pytest.fixture(scope="module")
def version(project):
    return VersionStamp("Beslutsversion december", projectfile.sha256(project), datetime(2023, 12, 1, 9, tzinfo=UTC))


@pytest.fixture(scope="module")
def book(project, ranking, version, tiers):
    data = priority_list_xlsx(project, ranking, version=version, tiers=tiers, exported_at=EXPORTED)
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.fixture(scope="module")
def csv_rows(project, ranking, version, tiers):
    return read_csv(priority_list_csv(project, ranking, version=version, tiers=tiers))


@pytest.fixture(scope="module")
def pdf_text(project, ranking, version, tiers):
    return read_pdf(decision_document_pdf(project, ranking, version=version, tiers=tiers,
                                          timeline=list(project.milestones), today=TODAY))


# --- reading back ----------------------------------------------------------------------------------


def header_map(ws, row: int = 1) -> dict[str, int]:
    return {c.value: c.column for c in ws[row] if c.value is not None}


def table(ws, header_row: int = 1) -> list[dict]:
    cols = header_map(ws, header_row)
    out = []
    for r in range(header_row + 1, ws.max_row + 1):
        if ws.cell(row=r, column=1).value is None:
            break
        out.append({name: ws.cell(row=r, column=c).value for name, c in cols.items()})
    return out


def column_a(ws) -> list:
    return [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]


def strings(ws) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def read_csv(data: bytes, delimiter: str = ";") -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def sv_float(text: str) -> float:
    assert "." not in text
    return float(text.replace(",", "."))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def read_pdf(pdf: bytes) -> str:
    """The document's text without the running header (first line) and footer (last two lines)."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        lines = page.extract_text().split("\n")
        assert re.search(r"(Sida|Page) \d+ (av|of) \d+$", lines[-1]), lines[-1]
        pages.append("\n".join(lines[1:-2]))
    return squash(" ".join(pages))


def section(text: str, start: str, end: str | None) -> str:
    i = text.index(start)
    return text[i:text.index(end, i + len(start))] if end else text[i:]


def numbered(text: str, title: str, end: str | None) -> str:
    """The section headed "<n>. <title>" up to the next heading ``end`` (also numbered), or the end."""
    start = re.search(r"\b\d+\. " + re.escape(title), text)
    assert start, title
    rest = text[start.start():]
    stop = re.search(r"\b\d+\. " + re.escape(end), rest) if end else None
    return rest[:stop.start()] if stop else rest


# --- Excel ------------------------------------------------------------------------------------------


def test_excel_sheets_in_order_each_with_a_bold_frozen_header(book):
    assert book.sheetnames == ["Prioriteringslista", "Beslut", "Redan prioriterade", "Parkerade", "Inspelspoäng",
                               "Förankring", "Poäng", "Vikter och metod", "Om"]
    for ws in book:
        header_row = LIST_HEADER_ROW if ws.title == "Prioriteringslista" else 1
        assert ws.freeze_panes == f"A{header_row + 1}", ws.title
        cells = [c for c in ws[header_row] if c.value is not None]
        assert cells and all(c.font.b for c in cells), ws.title
    for title in ("Prioriteringslista", "Beslut", "Förankring"):  # the sentences under the tables overflow,
        assert book[title].column_dimensions["A"].width <= 32, title  # they do not widen the first column


def test_excel_list_carries_the_three_scores_and_both_ranks(book, listed, project):
    ws = book["Prioriteringslista"]
    assert list(header_map(ws, LIST_HEADER_ROW)) == [
        "Prioritetsrang", "Nivå", "Plats inom nivån", "Teknisk rang", "Objekt-id", "Objekt", "Kommuner",
        "Kostnad (MSEK)", "Teknisk poäng (T)", "Lokal poäng (L)", "Prioritetspoäng", "Inspelspoäng",
        "Motivering (största bidrag)", "Status", "Påhittad kostnad (exempeldata)",
        *plan_header(project, "sv")]  # the objects' plan data (issue 14) last
    rows = table(ws, LIST_HEADER_ROW)
    assert [r["Objekt-id"] for r in rows] == [x.object.id for x in listed.rows]  # in the priority order
    for r, x in zip(rows, listed.rows, strict=True):
        assert r["Prioritetsrang"] == x.rank and r["Teknisk rang"] == x.technical_rank
        assert r["Teknisk poäng (T)"] == pytest.approx(x.technical, abs=1e-12)
        assert r["Lokal poäng (L)"] == pytest.approx(x.local, abs=1e-12)
        assert r["Prioritetspoäng"] == pytest.approx(x.priority, abs=1e-12)
        assert r["Inspelspoäng"] == x.points
        # tiers follow the priority rank (as the decision's model list), not the technical one
        assert r["Nivå"] == project.tiers.tier_for(x.object.id, x.rank)
    assert any(x.rank != x.technical_rank for x in listed.rows)  # the points change the order here
    first = LIST_HEADER_ROW + 1
    cols = header_map(ws, LIST_HEADER_ROW)
    for name in ("Teknisk poäng (T)", "Lokal poäng (L)", "Prioritetspoäng"):
        assert isinstance(ws.cell(row=first, column=cols[name]).value, float)
        assert ws.cell(row=first, column=cols[name]).number_format == "0.000"
    for name in ("Prioritetsrang", "Teknisk rang", "Inspelspoäng"):
        assert ws.cell(row=first, column=cols[name]).number_format == "0"
    # the formula and the share sentence under the table
    notes = column_a(ws)
    assert view.formula_sentence(listed, "sv") in notes
    assert view.share_sentence(listed, lang="sv") in notes
    assert parked_absent(rows, project)


def parked_absent(rows: list[dict], project) -> bool:
    return not {o.id for o in project.parked} & {r["Objekt-id"] for r in rows}


def test_excel_decision_sheet_shows_model_rank_to_decided_rank_with_the_reason(book, project, round_):
    _, _, override = round_
    rows = table(book["Beslut"])
    assert [r["Beslutad rang"] for r in rows] == list(range(1, len(rows) + 1))
    assert list(rows[0]) == ["Beslutad rang", "Id", "Objekt", "Modellens rang", "Flytt", "Modellens nivå",
                             "Beslutad nivå", "Motivering"]
    moved = next(r for r in rows if r["Id"] == override.object)
    assert (moved["Modellens rang"], moved["Beslutad rang"]) == (5, 2)
    assert moved["Flytt"] == "↑ 3" and moved["Motivering"] == REASON
    assert (moved["Modellens nivå"], moved["Beslutad nivå"]) == (override.model_tier, override.tier)
    assert all(r["Motivering"] in ("", None) for r in rows if r["Id"] != override.object)
    assert view.decision_sentence(project, "sv") in column_a(book["Beslut"])


def test_excel_parked_objects_listed_apart(book, round_):
    project, parked, _ = round_
    rows = table(book["Parkerade"])
    assert [r["Objekt-id"] for r in rows] == [parked]
    assert rows[0]["Status"] == "parkerad i gallringen"
    assert rows[0]["Motivering (gallring)"] == "Kostnadsuppskattning saknas"
    assert rows[0]["Uppfyller inte (gallringens checklista)"] == (
        "Steg i fyrstegsprincipen är angivet; Kostnadsuppskattning eller kostnadsklass finns")
    for ws in book:
        if ws.title != "Parkerade":
            assert parked not in strings(ws), ws.title


def test_excel_points_sheet_every_allocation_with_its_rationale_and_the_spending(book, project):
    ws = book["Inspelspoäng"]
    given = view.points_frame(project, "sv")
    rows = table(ws)
    assert [(r["Kommun"], r["Objekt"], r["Inspelspoäng"], r["Kommunens motivering"]) for r in rows] == [
        (m, o, int(p), why) for m, o, p, why in given.itertuples(index=False)]
    spent_at = column_a(ws).index("Kommun", 1) + 1  # the second table's header row
    spent = table(ws, spent_at)
    assert [(r["Kommun"], r["Givna inspelspoäng"], r["Budget"], r["Antal objekt med poäng"]) for r in spent] == [
        tuple(v if isinstance(v, str) else int(v) for v in row)
        for row in view.spent_frame(project).itertuples(index=False)]
    assert [r["Kommun"] for r in spent] == list(TOWN_NAMES)


def test_excel_points_per_object_wait_until_the_window_closes(project, ranking, version):
    c = project.committee
    open_round = dataclasses.replace(project, committee=dataclasses.replace(
        c, window=InputWindow("M06", c.window.opened_at, None)))
    book = openpyxl.load_workbook(io.BytesIO(priority_list_xlsx(open_round, ranking, version=version)))
    ws = book["Inspelspoäng"]
    assert list(header_map(ws)) == ["Kommun", "Givna inspelspoäng", "Budget", "Antal objekt med poäng"]
    assert not [s for s in strings(ws) if "viktigt för pendlingen" in s]
    assert any(s.startswith("Inlämningsfönstret är öppet") for s in strings(ws))


def test_excel_anchoring_matrix_of_the_draft(book, project):
    ws = book["Förankring"]
    rows = table(ws)
    frame = view.anchoring_frame(project, DRAFT, "sv")
    assert [[v or "" for v in r.values()] for r in rows] == frame.values.tolist()  # an empty cell reads None
    assert list(rows[0]) == ["Kommun", "Ställningstagande", "Svarade", "Kommunens beslut", "Synpunkter", "Saknas"]
    by_town = {r["Kommun"]: r for r in rows}
    assert by_town["Botkyrka"]["Ställningstagande"] == "Avstyrker"
    assert by_town["Huddinge"]["Kommunens beslut"] == "Kommunstyrelsen 20 november 2023, KS § 123"
    assert by_town["Tyresö"]["Saknas"] == "Svar saknas"
    sentence = view.anchoring_sentence(project, DRAFT, "sv")
    assert sentence.startswith("3 av 8 kommuner har svarat på ”Remissversion november”")
    assert sentence in column_a(ws)


def test_excel_in_english(project, ranking, version):
    book = openpyxl.load_workbook(io.BytesIO(priority_list_xlsx(project, ranking, version=version, lang="en")))
    assert book.sheetnames == ["Priority list", "Decision", "Already prioritised", "Parked", "Input points",
                               "Anchoring", "Scores", "Weights and method", "About"]
    header = list(header_map(book["Priority list"], LIST_HEADER_ROW))
    assert header[:2] == ["Priority rank", "Technical rank"]
    assert {"Technical score (T)", "Local score (L)", "Priority score"} <= set(header)
    assert list(table(book["Decision"])[0])[:4] == ["Decided rank", "Id", "Object", "Model rank"]


# --- CSV --------------------------------------------------------------------------------------------


def test_csv_carries_the_scores_ranks_and_the_decision_in_the_one_table(csv_rows, listed, round_):
    _, _, override = round_
    assert [r["Objekt-id"] for r in csv_rows] == [x.object.id for x in listed.rows]
    for r, x in zip(csv_rows, listed.rows, strict=True):
        assert int(r["Prioritetsrang"]) == x.rank and int(r["Teknisk rang"]) == x.technical_rank
        assert sv_float(r["Teknisk poäng (T)"]) == x.technical  # full precision: the same float
        assert sv_float(r["Lokal poäng (L)"]) == x.local
        assert sv_float(r["Prioritetspoäng"]) == x.priority
        assert int(r["Inspelspoäng"]) == x.points
        assert r["Version"] == "Beslutsversion december"  # the provenance stays on every row
    moved = next(r for r in csv_rows if r["Objekt-id"] == override.object)
    assert (int(moved["Modellens rang"]), int(moved["Beslutad rang"])) == (5, 2)
    assert moved["Flytt"] == "↑ 3"
    assert moved["Motivering till avvikelsen (beslut)"] == REASON
    assert (moved["Modellens nivå"], moved["Beslutad nivå"]) == (override.model_tier, override.tier)
    others = [r for r in csv_rows if r["Objekt-id"] != override.object]
    assert all(r["Motivering till avvikelsen (beslut)"] == "" and r["Beslutad rang"] for r in others)
    assert "Poäng (0–100)" not in csv_rows[0] and "Rang" not in csv_rows[0]


def test_csv_in_english(project, ranking, version):
    rows = read_csv(priority_list_csv(project, ranking, version=version, lang="en"), ",")
    assert list(rows[0])[:2] == ["Priority rank", "Technical rank"]
    assert {"Technical score (T)", "Local score (L)", "Priority score", "Decided rank", "Model rank",
            "Reason for the departure (decision)"} <= set(rows[0])
    assert float(rows[0]["Priority score"]) > 0


def test_another_method_has_no_priority_score_but_keeps_the_decision(project, version):
    """T is the weighted sum: a TOPSIS list is exported as before, with the decision's columns."""
    topsis = analysis.rank(project, "topsis")
    rows = read_csv(priority_list_csv(project, topsis, version=version))
    assert "Prioritetspoäng" not in rows[0] and "Poäng (0–100)" in rows[0]
    assert [r["Objekt-id"] for r in rows] == [x.object.id for x in topsis.ranked]
    assert sum(1 for r in rows if r["Motivering till avvikelsen (beslut)"] == REASON) == 1


# --- PDF --------------------------------------------------------------------------------------------


def test_pdf_priority_section_table_formula_and_share(pdf_text, listed):
    part = numbered(pdf_text, "Prioritering med kommunernas inspelspoäng", "Förankring i kommunerna")
    assert squash(view.formula_sentence(listed, "sv")) in part
    assert squash(view.share_sentence(listed, lang="sv")) in part
    for head in ("Prioritetsrang", "Teknisk rang", "Prioritetspoäng", "Inspelspoäng"):
        assert head in part
    table_part = section(part, "Prioritetsrang", "Med andelen")
    positions = []
    for x in listed.rows:
        name = squash(x.object.name)
        i = table_part.index(name, positions[-1] if positions else 0)
        positions.append(i)
        cells = table_part[i + len(name):].split()[:5]
        assert cells == [f"{x.technical:.3f}".replace(".", ","), f"{x.local:.3f}".replace(".", ","),
                         f"{x.priority:.3f}".replace(".", ","), str(x.technical_rank), str(x.points)], name
    # where the points went: every municipality and the rationale, with å ä ö exact
    assert "Så fördelade kommunerna sina inspelspoäng" in part
    assert "Nynäshamn: viktigt för pendlingen (exempel 1)" in part and "Södertälje" in part


def test_pdf_anchoring_matrix(pdf_text, project):
    part = numbered(pdf_text, "Förankring i kommunerna", "Kommitténs beslut")
    assert squash(view.anchoring_sentence(project, DRAFT, "sv")) in part
    for town in TOWN_NAMES:
        assert town in part
    assert "Avstyrker" in part and "Tillstyrker med synpunkter" in part
    assert "Väg 225 behöver högre prioritet" in part and "Svar saknas" in part


def test_pdf_decision_with_the_reason_for_every_departure(pdf_text, project, round_):
    _, _, override = round_
    assert "export." not in pdf_text and "committee." not in pdf_text  # every catalogue key resolved
    part = numbered(pdf_text, "Kommitténs beslut", None)
    assert squash(view.decision_sentence(project, "sv")) in part
    name = squash(project.objects[[o.id for o in project.objects].index(override.object)].name)
    assert (f"{name}: modellens rang 5 → beslutad rang 2, nivå {override.model_tier} → {override.tier}. "
            f"Motivering: {REASON}") in part
    assert "Modellens rang → beslutad rang" in part
    row = f"2 {name} 5 → 2 ↑ 3 {override.model_tier} {override.tier} "
    assert row in part  # the decided list's row
    # the decision is in the summary too
    summary = section(pdf_text, "1. Sammanfattning", "2. Process och metod")
    assert squash(view.decision_sentence(project, "sv")) in summary
    assert "Med kommunernas inspelspoäng (andel s = 0,30) leder" in summary


def test_pdf_parked_objects_listed_apart(pdf_text, round_):
    project, parked, _ = round_
    name = squash(next(o.name for o in project.objects if o.id == parked))
    part = numbered(pdf_text, "Parkerade i gallringen", "Var står processen?")
    assert name in part and "Kostnadsuppskattning saknas" in part
    listing = section(pdf_text, "4. Prioriteringslista", "5. Redan prioriterade")
    assert name not in listing
    assert name not in numbered(pdf_text, "Prioritering med kommunernas inspelspoäng", "Förankring i kommunerna")
    assert "1 objekt är parkerat i gallringen och ingår inte i rangordningen." in pdf_text


# --- user text stays text --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile():
    project, _, override = committee_round(HOSTILE_REASON, rationale="+46 8 123 45 67", comment="@SUM(A1:A9)",
                                           park_reason="-1 poäng")
    return project, override


def test_formula_like_user_text_is_neutralised_in_excel_and_csv_and_plain_in_the_pdf(hostile):
    project, override = hostile
    ranking = analysis.rank(project)
    version = VersionStamp.live(project)
    book = openpyxl.load_workbook(io.BytesIO(priority_list_xlsx(project, ranking, version=version)))
    texts = workbook_texts(book)
    assert not [t for t in texts if t.startswith(TRIGGERS)]
    for text in (HOSTILE_REASON, "+46 8 123 45 67", "-1 poäng"):
        assert "'" + text in texts
    assert any(t.startswith("'@SUM(A1:A9)") for t in texts)  # the comment, in the anchoring matrix
    rows = read_csv(priority_list_csv(project, ranking, version=version))
    for r in rows:
        for key, value in r.items():
            assert not value.startswith(TRIGGERS), (key, value)
    moved = next(r for r in rows if r["Objekt-id"] == override.object)
    assert moved["Motivering till avvikelsen (beslut)"] == "'" + HOSTILE_REASON
    text = read_pdf(decision_document_pdf(project, ranking, version=version, today=TODAY))
    assert f"Motivering: {HOSTILE_REASON}" in text and "'=" not in text


# --- a round without the committee's data ----------------------------------------------------------


@pytest.fixture(scope="module")
def plain():
    p = projectfile.load(EXAMPLE)
    return dataclasses.replace(p, committee=Committee())


def test_without_committee_data_the_exports_are_as_before(plain):
    ranking = analysis.rank(plain)
    version = VersionStamp.live(plain)
    book = openpyxl.load_workbook(io.BytesIO(priority_list_xlsx(plain, ranking, version=version)))
    assert book.sheetnames == ["Prioriteringslista", "Redan prioriterade", "Poäng", "Vikter och metod", "Om"]
    ws = book["Prioriteringslista"]
    # the example's objects have plan data (issue 14): its columns follow the old ones
    assert list(header_map(ws, LIST_HEADER_ROW)) == [*OLD_LIST_HEADER, *plan_header(plain, "sv")]
    assert [r["Objekt-id"] for r in table(ws, LIST_HEADER_ROW)] == [x.object.id for x in ranking.ranked]
    assert ws.max_row == LIST_HEADER_ROW + len(ranking.ranked)  # no sentences under the table
    rows = read_csv(priority_list_csv(plain, ranking, version=version))
    assert list(rows[0]) == [*OLD_LIST_HEADER, "Version", "Fingeravtryck (SHA-256)", "Märkning", "Vikter",
                             *plan_header(plain, "sv")]
    text = read_pdf(decision_document_pdf(plain, ranking, version=version, timeline=list(plain.milestones),
                                          today=TODAY))
    for heading in ("Prioritering med kommunernas inspelspoäng", "Förankring i kommunerna", "Kommitténs beslut",
                    "Parkerade i gallringen", "inspelspoäng"):
        assert heading not in text
    assert "5. Redan prioriterade – bevakas" in text and "6. Var står processen?" in text


def test_points_alone_add_the_points_sheet_only(plain):
    c = committee_round()[0].committee
    project = dataclasses.replace(plain, committee=Committee(municipalities=c.municipalities, window=c.window,
                                                             points=c.points, allocations=tuple(
                                                                 a for a in c.allocations
                                                                 if a.object in {o.id for o in plain.candidates})))
    book = openpyxl.load_workbook(io.BytesIO(priority_list_xlsx(project, analysis.rank(project),
                                                                version=VersionStamp.live(project))))
    assert book.sheetnames == ["Prioriteringslista", "Redan prioriterade", "Inspelspoäng", "Poäng",
                               "Vikter och metod", "Om"]


# --- the project file --------------------------------------------------------------------------------


def test_the_exported_project_file_carries_the_committee_section(project, round_):
    _, parked, override = round_
    data = json.loads(projectfile.dumps(project))
    section_ = data["committee"]
    decided = {e["object"]: e for e in section_["decision"]["order"]}
    assert decided[override.object]["model_rank"] == 5 and decided[override.object]["rank"] == 2
    assert decided[override.object]["reason"] == REASON
    assert {s["municipality"] for s in section_["stances"]} == {"huddinge", "botkyrka", "haninge"}
    assert sum(a["points"] for a in section_["allocations"]) == sum(a.points for a in project.committee.allocations)
    assert next(o for o in data["objects"] if o["id"] == parked)["status"] == "parked"
    back = projectfile.loads(projectfile.dumps(project))
    assert back.committee.decision == project.committee.decision
    assert back.committee.stances == project.committee.stances


def test_pdf_in_english_with_every_text_resolved(project, ranking, version, round_):
    _, _, override = round_
    text = read_pdf(decision_document_pdf(project, ranking, version=version, lang="en", today=TODAY))
    assert "export." not in text and "committee." not in text  # every catalogue key resolved
    part = numbered(text, "Priority with the municipalities' input points", "Anchoring in the municipalities")
    assert "Priority rank" in part and "Technical rank" in part
    name = squash(next(o for o in project.objects if o.id == override.object).label("en"))
    assert f"{name}: model rank 5 → decided rank 2" in numbered(text, "The committee's decision", None)
    assert "Parked by the screening" in text


def test_tiers_set_otherwise_are_shown_as_given(project, ranking, version):
    """Only the project's tiers by the weighted-sum ranks follow the priority rank; a caller's own
    tiers are kept."""
    own = {r.object.id: ("Hög" if k % 2 else "Låg") for k, r in enumerate(ranking.ranked)}
    rows = read_csv(priority_list_csv(project, ranking, version=version, tiers=own))
    assert {r["Objekt-id"]: r["Nivå"] for r in rows} == own
