"""The PDF decision document, read back with pypdf and checked against the example data."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import sys
from datetime import date

import numpy as np
import pytest
from pypdf import PdfReader

from prioritization import analysis, projectfile
from prioritization.errors import InputError
from prioritization.exports import VersionStamp
from prioritization.exports.pdf import ChartRenderingUnavailable, decision_document_pdf, fit_widths
from prioritization.report import sensitivity as sl

TODAY = date(2023, 10, 15)  # mid-process in the example timeline (hand-checked against data/sodertorn-exempel.json)


def squash(text: str) -> str:
    """Collapse the line breaks and no-break spaces the layout introduces."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def body(page) -> str:
    """A page's text without its running header (first line) and footer (last two lines), so a
    sentence that runs over a page break reads as one."""
    lines = page.extract_text().split("\n")
    assert lines[0].startswith(("Beslutsunderlag", "Decision document")), lines[0]
    assert re.search(r"(Sida|Page) \d+ (av|of) \d+$", lines[-1]), lines[-1]
    return "\n".join(lines[1:-2])


def read(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, squash(" ".join(body(page) for page in reader.pages))


def section(text: str, start: str, end: str | None) -> str:
    i = text.index(start)
    j = text.index(end, i) if end else len(text)
    return text[i:j]


@pytest.fixture(scope="module")
def sens(project):
    return analysis.sensitivity(project, samples=2000, seed=7)


@pytest.fixture(scope="module")
def full(project, ranking, sens):
    pdf = decision_document_pdf(project, ranking, version=VersionStamp.live(project), sensitivity=sens,
                                 timeline=list(project.milestones), today=TODAY)
    return pdf, *read(pdf)


@pytest.fixture(scope="module")
def plain(project, ranking):
    pdf = decision_document_pdf(project, ranking, version=VersionStamp.live(project), today=TODAY)
    return pdf, *read(pdf)


def test_title_date_label_and_version(full, project):
    _, _, text = full
    assert "Beslutsunderlag – Södertörns prioriteringslista för transportinfrastruktur 2023/24" in text
    assert project.data_label == "Exempeldata"
    # the label says what it means, as on screen (overview.example_label): the figures are invented
    assert ("Exempeldata: poäng, vikter och vissa uppgifter är påhittade för att visa verktyget. "
            "De är inte en bedömning av objekten.") in text
    assert "15 oktober 2023" in text
    assert "Live (ej fryst)" in text
    assert projectfile.sha256(project) in text  # the full 64-hex hash, computed independently
    assert "export.pdf." not in text  # every catalogue key resolved


def test_other_methods_have_no_rationale_and_one_colour(project):
    ranking = analysis.rank(project, "topsis")
    pdf = decision_document_pdf(project, ranking, version=VersionStamp.live(project), today=TODAY)
    reader, text = read(pdf)
    assert "TOPSIS" in text and "Störst bidrag" not in text
    listing = section(text, "4. Prioriteringslista", "Diagram: totalpoäng")
    positions = [listing.index(squash(r.object.name)) for r in ranking.ranked]
    assert positions == sorted(positions)
    assert len(_images(reader)) == 1


def test_frozen_version_is_named_with_its_time(project, ranking):
    from datetime import UTC, datetime

    stamp = VersionStamp("Beslutsversion 1", "ab" * 32, datetime(2023, 11, 30, 13, 5, tzinfo=UTC))
    _, text = read(decision_document_pdf(project, ranking, version=stamp, today=TODAY))
    assert "Beslutsversion 1 (fryst 2023-11-30 14:05 (svensk tid))" in text
    assert "ab" * 32 in text


def test_ranked_objects_in_rank_order_with_scores(full, project, ranking):
    _, _, text = full
    listing = section(text, "4. Prioriteringslista", "Diagram: totalpoäng")
    positions = [listing.index(squash(r.object.name)) for r in ranking.ranked]
    assert positions == sorted(positions)
    assert len(ranking.ranked) == len(project.candidates) == 13
    # rank 1 has the highest WSM score: recompute from the decision matrix, shown as 0–100 with one decimal
    data = analysis.decision_data(project)
    w = analysis.project_weights(project).weights
    best = float(np.max(data.values @ w)) * 100
    first = listing[positions[0]:positions[1]]
    assert f"{best:.1f}".replace(".", ",") in first


def test_rationale_names_the_two_largest_contributions(full, project, ranking):
    _, _, text = full
    listing = section(text, "4. Prioriteringslista", "Diagram: totalpoäng")
    data = analysis.decision_data(project)
    contrib = data.values * analysis.project_weights(project).weights
    ids = [o.id for o in data.objects]
    for a, b in zip(ranking.ranked[:3], ranking.ranked[1:4], strict=True):
        row = contrib[ids.index(a.object.id)]
        j1, j2 = np.argsort(-row, kind="stable")[:2]
        chunk = listing[listing.index(squash(a.object.name)):listing.index(squash(b.object.name))]
        assert "Störst bidrag:" in chunk
        for j in (j1, j2):
            name = project.criteria[j].name
            assert f"{name} ({row[j] * 100:.1f} p)".replace(".", ",") in chunk


def test_committed_objects_listed_apart(full, project):
    _, _, text = full
    committed = section(text, "5. Redan prioriterade – bevakas", "6. ")
    listing = section(text, "4. Prioriteringslista", "5. Redan prioriterade")
    assert len(project.committed) == 2
    for o in project.committed:
        assert squash(o.name) in committed
        assert squash(o.name) not in listing
    assert "15 800 MSEK" in committed  # Tvärförbindelse Södertörn's cost in the example data


def test_swedish_characters_and_dashes_extract_exactly(project):
    special = dataclasses.replace(project.candidates[0], name="Östra Åby–Ängby — ÅÄÖ åäö")
    objects = tuple(special if o.id == special.id else o for o in project.objects)
    p = dataclasses.replace(project, objects=objects)
    _, text = read(decision_document_pdf(p, analysis.rank(p), version=VersionStamp.live(p), today=TODAY))
    assert "Östra Åby–Ängby — ÅÄÖ åäö" in text
    assert "Redan prioriterade – bevakas" in text


def test_fonts_are_embedded(full):
    _, reader, _ = full
    fonts = {}
    for page in reader.pages:
        for name, ref in page["/Resources"]["/Font"].items():
            fonts[ref.get_object()["/BaseFont"]] = ref.get_object()
    assert fonts and all("DejaVuSans" in str(base) for base in fonts)
    assert any("Bold" in str(base) for base in fonts)
    for font in fonts.values():
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor  # the TrueType program itself is in the file


def _images(reader: PdfReader) -> list:
    found = []
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject") or {}
        for ref in xobjects.values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                found.append(obj)
    return found


def test_page_count_and_charts(full, plain):
    _, reader, _ = full
    assert 3 <= len(reader.pages) <= 8
    images = _images(reader)
    assert len(images) == 2  # ranking chart + rank acceptability chart
    assert all(img["/Width"] >= 600 and img["/Height"] >= 200 for img in images)
    _, plain_reader, _ = plain
    assert len(_images(plain_reader)) == 1  # no sensitivity: only the ranking chart
    assert 2 <= len(plain_reader.pages) <= len(reader.pages)


def screen_k(rank: int, n: int) -> int | None:
    """The dashboard's "topp k": the smallest of 3, 5, 10 above the rank and below n (written out here)."""
    return next((k for k in (3, 5, 10) if rank < k < n), None)


def test_robustness_sentence_matches_smaa_and_the_screen(full, sens, ranking):
    _, _, text = full
    assert "6. Hur säker är rangordningen?" in text
    ids = [o.id for o in sens.data.objects]
    n = len(ids)
    for r in ranking.ranked[:5]:
        b = sens.smaa.rank_acceptability[ids.index(r.object.id)]
        # raters' scores exist in the example, so the scenarios vary scores too ("scenarierna")
        sentence = f"{squash(r.object.name)}: rang {r.rank} i {squash(sl.share_label(b[r.rank - 1]))} av scenarierna"
        k = screen_k(r.rank, n)
        assert k is not None  # 13 objects, ranks 1-5
        sentence += f", topp {k} i {squash(sl.share_label(float(np.sum(b[:k]))))}."
        assert sentence in text
    # the same object reads the same on screen: the dashboard's sentence has the same numbers
    first = ranking.ranked[0]
    b = sens.smaa.rank_acceptability[ids.index(first.object.id)]
    screen = squash(sl.acceptability_sentence(b, 1, score_model=sens.score_model))
    assert screen.endswith(f"topp 3 i {squash(sl.share_label(float(np.sum(b[:3]))))}")
    assert "topp 4" not in text and "Topp 4" not in text
    assert "Rang 1 Topp 3 Topp 5 Topp 10" in text  # the table's columns: the screen's cut-offs


def test_shares_are_never_rounded_to_none_or_all(project, ranking, sens):
    """0.1 % is "< 1 %", not "0 %"; 99.6 % is "> 99 %", not "100 %" (as on screen)."""
    ids = [o.id for o in sens.data.objects]
    first = ids.index(ranking.ranked[0].object.id)
    acc = np.array(sens.smaa.rank_acceptability, dtype=float)
    row = np.zeros(acc.shape[1])
    row[:4] = [0.001, 0.99, 0.005, 0.004]  # rank 1 in 0.1 %, top 3 in 99.6 %
    acc[first] = row
    crafted = dataclasses.replace(sens, smaa=dataclasses.replace(sens.smaa, rank_acceptability=acc))
    _, text = read(decision_document_pdf(project, ranking, version=VersionStamp.live(project), sensitivity=crafted,
                                         today=TODAY))
    name = squash(ranking.ranked[0].object.name)
    assert f"{name}: rang 1 i < 1 % av scenarierna, topp 3 i > 99 %." in text
    assert f"{name}: rang 1 i 0 %" not in text and "topp 3 i 100 %" not in text


def test_stability_interval_of_the_critical_criterion(full, sens, project):
    _, _, text = full
    j = sens.critical.percent_any
    assert j is not None
    lo, hi = sens.stability[j].ranking
    name = project.criteria[j].name

    def pct(x: float) -> str:
        return f"{100 * x:.1f} %".replace(".", ",")

    assert f"vikten för {name} ligger mellan {pct(lo)} och {pct(hi)} (nu {pct(sens.stability[j].weight)})" in text
    assert lo <= sens.stability[j].weight <= hi


def test_no_robustness_section_without_sensitivity(plain):
    _, _, text = plain
    assert "Hur säker är rangordningen" not in text
    assert "av scenarierna" not in text and "av viktscenarierna" not in text


def test_timeline_follows_the_stored_status_like_the_timeline_page(project, ranking):
    """Issue 11 #6: hand-checked against data/sodertorn-exempel.json, whose milestones up to E09 are
    stored as done. On 15 Oct 2023 M06 and M07 are within their dates but marked done, so nothing is
    "pågår"; the next milestone not done is E10; the decision M09 is marked done."""
    by_id = {m.id: m for m in project.milestones}
    _, text = read(decision_document_pdf(project, ranking, version=VersionStamp.live(project),
                                         timeline=list(project.milestones), today=TODAY))
    timeline = section(text, "Var står processen?", None)
    assert "I dag (15 oktober 2023) pågår ingen milstolpe." in timeline
    assert f"Nästa milstolpe: {squash(by_id['E10'].title_sv)}" in timeline
    decision = "Beslut om Södertörns prioriteringslista (vinter 2023/2024)"
    assert f"Beslut: {decision}, planerat till december 2023 – februari 2024: markerat som klart." in timeline


def test_a_passed_milestone_not_marked_done_is_late_not_done(project, ranking):
    """Issue 11 #6: the PDF called milestones "klar" by their dates while the app said they were not
    confirmed. Mark the decision and M08 as planned: after their end both are "Försenad", as on the
    timeline page, and the decision sentence says it is not marked done."""
    ms = [m.replace(status="planned") if m.id in ("M08", "M09") else m for m in project.milestones]
    _, text = read(decision_document_pdf(project, ranking, version=VersionStamp.live(project), timeline=ms,
                                         today=date(2024, 3, 15)))
    timeline = section(text, "Var står processen?", None)
    assert "tiden har passerat men beslutet är inte markerat som klart" in timeline
    rows = {m.id: m for m in ms}
    for mid in ("M08", "M09"):
        after = timeline[timeline.rindex(squash(rows[mid].title_sv)):]  # its row in the table
        assert after[:200].count("Försenad") >= 1, mid
    assert "Klar" in timeline and "kommande" not in timeline


def test_tiers_group_the_list(project, ranking):
    last = ranking.ranked[-1].object
    tiers = {r.object.id: "B" for r in ranking.ranked}
    tiers[last.id] = "A"
    _, text = read(decision_document_pdf(project, ranking, version=VersionStamp.live(project), tiers=tiers,
                                         today=TODAY))
    listing = section(text, "4. Prioriteringslista", "Diagram: totalpoäng")
    assert "nivåer: A (1 objekt) och B (12 objekt)" in listing
    assert listing.index(squash(last.name)) < listing.index(squash(ranking.ranked[0].object.name))


def test_english(project, ranking):
    _, text = read(decision_document_pdf(project, ranking, version=VersionStamp.live(project), lang="en",
                                         today=TODAY))
    assert "Decision document – Södertörns prioriteringslista" in text
    assert "Already prioritised – monitored" in text


def test_same_input_same_bytes(plain, project, ranking):
    again = decision_document_pdf(project, ranking, version=VersionStamp.live(project), today=TODAY)
    assert again == plain[0]


def test_rejects_mismatched_inputs(project, ranking, sens):
    with pytest.raises(InputError, match="tiers given for objects"):
        decision_document_pdf(project, ranking, version=VersionStamp.live(project), tiers={"SOD-01": "A"})
    other = analysis.sensitivity(project, weights=np.ones(len(project.criteria)), samples=50, seed=1)
    with pytest.raises(InputError, match="other weights"):
        decision_document_pdf(project, ranking, version=VersionStamp.live(project), sensitivity=other)
    with pytest.raises(InputError, match="unsupported language"):
        decision_document_pdf(project, ranking, version=VersionStamp.live(project), lang="de")


def test_missing_vl_convert_is_a_clear_error(project, ranking, monkeypatch):
    monkeypatch.setitem(sys.modules, "vl_convert", None)  # makes `import vl_convert` raise ImportError
    with pytest.raises(ChartRenderingUnavailable, match="vl-convert-python"):
        decision_document_pdf(project, ranking, version=VersionStamp.live(project), today=TODAY)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_first_page_renders(full, tmp_path):
    pdf, _, _ = full
    (tmp_path / "doc.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(tmp_path / "doc.pdf"),
                    str(tmp_path / "page")], check=True)
    pngs = list(tmp_path.glob("page*.png"))
    assert len(pngs) == 1 and pngs[0].stat().st_size > 5000


def test_a_decision_marked_done_is_said_to_be_done(project, ranking):
    _, text = read(decision_document_pdf(project, ranking, version=VersionStamp.live(project),
                                         timeline=list(project.milestones), today=date(2025, 1, 1)))
    assert "planerat till december 2023 – februari 2024: markerat som klart." in text


# --- review of issue 4: version status, comparison profiles, tiers, wording, layout ---------------


def pages(pdf: bytes) -> list[str]:
    return [squash(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_live_document_is_a_draft_on_the_first_page_and_in_every_footer(full, project):
    pdf, _, _ = full
    texts = pages(pdf)
    assert "UTKAST – inte fryst version. Underlaget visar omgången som den är just nu och kan ändras." in texts[0]
    short = projectfile.sha256(project)[:12]
    for t in texts:
        assert f"UTKAST – inte fryst version Fingeravtryck (SHA-256) {short}… · Sida" in t  # the two footer lines
    assert "Fryst version" not in " ".join(texts)


def test_frozen_document_names_its_version_on_every_page(project, ranking):
    from datetime import UTC, datetime

    stamp = VersionStamp("Beslutsversion 1", "cd" * 32, datetime(2023, 11, 30, 13, 5, tzinfo=UTC))
    texts = pages(decision_document_pdf(project, ranking, version=stamp, today=TODAY))
    assert "Fryst version ”Beslutsversion 1” (2023-11-30 14:05 (svensk tid)). Innehållet kan inte ändras" in texts[0]
    assert all("Fryst version ”Beslutsversion 1” (2023-11-30 14:05 (svensk tid)) Fingeravtryck (SHA-256) cdcdcdcdcdcd…" in t
               for t in texts)
    assert not any("UTKAST" in t for t in texts)


def test_comparison_profile_says_so_on_the_first_page_in_the_criteria_and_every_footer(project):
    profile = project.profile("P2")
    weights = analysis.project_weights(project, profile.id).weights
    ranking = analysis.rank(project, weights=weights)
    texts = pages(decision_document_pdf(project, ranking, version=VersionStamp.live(project), today=TODAY,
                                        weights_label=profile.name))
    assert "Vikter: viktprofil ”Omställning” (jämförelse – inte vikterna i bruk)." in texts[0]
    assert "Vikter viktprofil ”Omställning” (jämförelse – inte vikterna i bruk)" in texts[0]  # the title block row
    assert all("Viktprofil ”Omställning” (jämförelse) · Fingeravtryck (SHA-256)" in t for t in texts)
    text = " ".join(texts)
    criteria = section(text, "3. Kriterier och vikter", "4. Prioriteringslista")
    assert "Vikterna nedan är viktprofilen ”Omställning” – en jämförelse, inte vikterna i bruk." in criteria
    c4 = project.criteria[3]
    assert f"{c4.name} " in criteria and f"{100 * weights[3]:.1f} %".replace(".", ",") in criteria


def test_weights_in_use_are_named_and_no_profile_is_mentioned(full):
    _, _, text = full
    assert "Vikter vikterna i bruk" in text
    assert "viktprofil" not in text.lower()


def test_tiers_in_the_project_order_and_tied_objects_share_their_place(tied_project, tied_ranking, tied_tiers):
    assert [r.rank for r in tied_ranking.ranked[:5]] == [1, 1, 1, 1, 5]
    _, text = read(decision_document_pdf(tied_project, tied_ranking, version=VersionStamp.live(tied_project),
                                         tiers=tied_tiers, today=TODAY))
    listing = section(text, "4. Prioriteringslista", "Diagram: totalpoäng")
    counts = {lab: sum(1 for v in tied_tiers.values() if v == lab) for lab in ("Hög", "Medel", "Låg")}
    assert all(counts.values())
    assert (f"nivåer: Hög ({counts['Hög']} objekt), Medel ({counts['Medel']} objekt) och "
            f"Låg ({counts['Låg']} objekt)") in listing
    score = {r.object.id: r.score for r in tied_ranking.ranked}
    positions = {}
    for r in tied_ranking.ranked:
        tier = tied_tiers[r.object.id]
        place = 1 + sum(1 for q in tied_ranking.ranked
                        if tied_tiers[q.object.id] == tier and score[q.object.id] > score[r.object.id] + 1e-12)
        row = f"{tier} {place} {r.rank} {squash(r.object.name)}"
        assert row in listing, row
        positions[r.object.id] = listing.index(row)
    order = {"Hög": 0, "Medel": 1, "Låg": 2}
    by_position = sorted(positions, key=positions.get)
    assert [order[tied_tiers[o]] for o in by_position] == sorted(order[tied_tiers[o]] for o in by_position)
    assert "Plats inom nivån" in listing and "Rang i nivå" not in listing


def test_method_text_says_up_to_how_many_scored(full, project):
    _, _, text = full
    cells = {}
    for s in project.scores:
        if s.participant is not None and s.value is not None:
            cells[(s.object, s.criterion)] = cells.get((s.object, s.criterion), 0) + 1
    most = max(cells.values())
    assert min(cells.values()) < most == 8  # some cells have fewer ratings in the example
    assert f"Varje objekt har fått poäng per kriterium av upp till {most} deltagare" in text


def _variant(edit) -> tuple:
    import json

    from tests.conftest import EXAMPLE

    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    edit(raw)
    p = projectfile.parse(raw)
    r = analysis.rank(p)
    return p, r, read(decision_document_pdf(p, r, version=VersionStamp.live(p), today=TODAY))[1]


def test_method_text_for_agreed_scores_only_and_for_everyone_scoring_everything():
    def agreed_only(raw):  # one agreed score per cell (the agreed one, else a participant's), nobody else
        value = {}
        for s in sorted(raw["scores"], key=lambda s: s["participant"] is not None):
            if s["value"] is not None:
                value.setdefault((s["object"], s["criterion"]), s["value"])
        raw["scores"] = [{"object": o["id"], "criterion": c["id"], "participant": None,
                          "value": value.get((o["id"], c["id"]), 3)} for o in raw["objects"] for c in raw["criteria"]]
        raw["participants"] = []

    _, _, text = _variant(agreed_only)
    assert "Poängen per objekt och kriterium är gemensamma poäng som gruppen har enats om" in text
    assert "0 deltagare" not in section(text, "2. Process och metod", "3. Kriterier")

    def two_complete(raw):
        keep = [p["id"] for p in raw["participants"][:2]]
        raw["participants"] = raw["participants"][:2]
        raw["scores"] = [s for s in raw["scores"] if s["participant"] is None or s["participant"] in keep]
        have = {(s["object"], s["criterion"], s["participant"]) for s in raw["scores"] if s["value"] is not None}
        raw["scores"] = [s for s in raw["scores"] if s["value"] is not None]
        for o in raw["objects"]:
            for c in raw["criteria"]:
                for pid in keep:
                    if (o["id"], c["id"], pid) not in have:
                        raw["scores"].append({"object": o["id"], "criterion": c["id"], "participant": pid, "value": 3})

    _, _, text = _variant(two_complete)
    assert "Varje objekt har fått poäng per kriterium av 2 deltagare." in text


def test_no_word_is_broken_in_the_tables(full):
    _, _, text = full
    assert "Ran g" not in text and "Rang 1 Topp 3" in text
    timeline = section(text, "7. Var står processen?", None)
    assert "Södertörnskommunerna" in timeline and "Södertörnskommuner na" not in timeline
    assert "Regeringen/Trafikverket" in timeline


def test_fit_widths_widens_narrow_columns_from_the_spare_room():
    assert fit_widths((11, 55, 114), (14, 20, 30), 180) == pytest.approx([14, 55 - 3 * 35 / 119, 114 - 3 * 84 / 119])
    assert sum(fit_widths((11, 55, 114), (14, 20, 30), 180)) == pytest.approx(180)
    assert fit_widths((1, 1), (10, 10), 30) == [15, 15]  # fits: only scaled
    assert fit_widths((1, 1), (20, 20), 30) == [15, 15]  # cannot fit: only scaled


def test_fingerprint_is_named_and_english_live_name(project, ranking):
    _, text = read(decision_document_pdf(project, ranking, version=VersionStamp.live(project), today=TODAY))
    assert f"Fingeravtryck (SHA-256) {projectfile.sha256(project)}" in text
    _, en = read(decision_document_pdf(project, ranking, version=VersionStamp.live(project), lang="en", today=TODAY))
    assert "Live (not frozen)" in en and "ej fryst" not in en
    assert "DRAFT – not a frozen version" in en and "Fingerprint (SHA-256)" in en
    assert "Weights the weights in use" in en


@pytest.fixture(scope="module")
def tied_profile_doc(tied_project):
    """A longer document: four tied objects, tiers, profile P2, a sensitivity run and the timeline."""
    weights = analysis.project_weights(tied_project, "P2").weights
    ranking = analysis.rank(tied_project, weights=weights)
    tiers = tied_project.tiers.assign((r.object.id, r.rank) for r in ranking.ranked)
    report = analysis.sensitivity(tied_project, weights=weights, samples=500, seed=1)
    pdf = decision_document_pdf(tied_project, ranking, version=VersionStamp.live(tied_project), sensitivity=report,
                                tiers=tiers, timeline=list(tied_project.milestones), today=TODAY,
                                weights_label="Omställning")
    return PdfReader(io.BytesIO(pdf))


@pytest.mark.parametrize("doc", ["full", "tied_profile_doc"])
def test_chart_titles_are_on_the_page_of_their_chart(doc, request):
    value = request.getfixturevalue(doc)
    reader = value[1] if isinstance(value, tuple) else value
    for page in reader.pages:
        titles = page.extract_text().count("Diagram:")
        xobjects = page["/Resources"].get("/XObject") or {}
        charts = sum(1 for ref in xobjects.values() if ref.get_object().get("/Subtype") == "/Image")
        assert titles == charts


def test_the_longest_allowed_names_fit_the_document(project, ranking, sens):
    """Issue 10 #13: a 3 000-character name made the PDF button produce nothing. Names are now
    limited (text_rules.MAX_NAME); with every name at the limit, unbroken, the whole document is
    made and says every name in full."""
    from prioritization import text_rules

    long_names = {o.id: f"{o.id} " + "Å" * (text_rules.MAX_NAME - len(o.id) - 1) for o in project.objects}
    crit = "K" * text_rules.MAX_NAME
    longest = dataclasses.replace(
        project, name="R" * text_rules.MAX_NAME,
        objects=tuple(dataclasses.replace(o, name=long_names[o.id]) for o in project.objects),
        criteria=(dataclasses.replace(project.criteria[0], name=crit), *project.criteria[1:]))
    ranked = analysis.rank(longest)
    stamp = VersionStamp("V" * text_rules.MAX_NAME, "ef" * 32, None)
    report = analysis.sensitivity(longest, samples=200, seed=7)
    pdf = decision_document_pdf(longest, ranked, version=stamp, sensitivity=report,
                                timeline=list(longest.milestones), today=TODAY)
    reader = PdfReader(io.BytesIO(pdf))
    text = re.sub(r"\s+", "", " ".join(p.extract_text() for p in reader.pages))
    assert all(long_names[r.object.id].replace(" ", "") in text for r in ranked.ranked)
    assert len(reader.pages) < 60


def test_criteria_have_the_screens_colours_in_the_pdf():
    """Issue 12: the PDF's ranking bars coloured the criteria in another order than the screen
    (orange first there, blue first here): one criterion, two colours. Now one order, the screen's."""
    from prioritization import projectfile
    from prioritization.exports.pdf import ranking_chart_spec
    from prioritization.report.result_text import criterion_colours
    from tests.conftest import EXAMPLE

    criteria = projectfile.load(EXAMPLE).criteria[:3]
    rows = [{"label": "1. A", "part": c.name, "part_index": k, "value": 10.0} for k, c in enumerate(criteria)]
    spec = ranking_chart_spec(rows, x_title="Poäng", colour_title="Kriterium")

    def ranges(node):
        if isinstance(node, dict):
            if "scale" in node and isinstance(node["scale"], dict) and "range" in node["scale"]:
                yield node["scale"]["range"]
            for v in node.values():
                yield from ranges(v)
        elif isinstance(node, list):
            for v in node:
                yield from ranges(v)

    assert list(ranges(spec)) == [criterion_colours(criteria)]


def test_acceptability_bands_are_the_screens(project, ranking, sens, monkeypatch):
    """One rule for rank bands (issue 12): the PDF's acceptability chart groups the ranks as the
    dashboard does and colours them alike, and each object's shares still add up to one."""
    from prioritization.exports import pdf as pdf_module
    from prioritization.ui.results.charts_dashboard import acceptability_chart

    captured = {}
    real = pdf_module.acceptability_chart_spec

    def spy(rows, bands, **kw):
        captured["rows"], captured["spec"] = list(rows), real(rows, bands, **kw)
        return captured["spec"]

    monkeypatch.setattr(pdf_module, "acceptability_chart_spec", spy)
    decision_document_pdf(project, ranking, version=VersionStamp.live(project), sensitivity=sens, today=TODAY)
    screen = acceptability_chart(sl.acceptability_frame(sens, ranking), "sv").to_dict()
    screen_scale = next(layer["encoding"]["color"]["scale"] for layer in screen["layer"]
                        if "color" in layer.get("encoding", {}) and "scale" in layer["encoding"]["color"])
    paper_scale = captured["spec"]["encoding"]["color"]["scale"]
    assert paper_scale["domain"] == ["Rang " + b for b in screen_scale["domain"]]
    assert paper_scale["range"] == screen_scale["range"]
    totals: dict[str, float] = {}
    for row in captured["rows"]:
        totals[row["label"]] = totals.get(row["label"], 0.0) + row["share"]
    assert totals and all(abs(t - 1) < 1e-9 for t in totals.values())
