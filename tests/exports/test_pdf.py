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
from prioritization.exports.pdf import ChartRenderingUnavailable, decision_document_pdf

TODAY = date(2023, 10, 15)  # mid-process in the example timeline (hand-checked against data/sodertorn-exempel.json)


def squash(text: str) -> str:
    """Collapse the line breaks and no-break spaces the layout introduces."""
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def read(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, squash(" ".join(page.extract_text() for page in reader.pages))


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
    assert project.data_label == "Exempeldata" and "Exempeldata – kontrollera" in text
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
    from datetime import datetime

    stamp = VersionStamp("Beslutsversion 1", "ab" * 32, datetime(2023, 11, 30, 14, 5))
    _, text = read(decision_document_pdf(project, ranking, version=stamp, today=TODAY))
    assert "Beslutsversion 1 (fryst 2023-11-30 14:05)" in text
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
    for a, b in zip(ranking.ranked[:3], ranking.ranked[1:4]):
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


def test_robustness_sentence_matches_smaa(full, sens, ranking):
    _, _, text = full
    first = ranking.ranked[0]
    i = [o.id for o in sens.data.objects].index(first.object.id)
    b = sens.smaa.rank_acceptability[i]
    rank1, top3 = round(100 * b[0]), round(100 * float(np.sum(b[:3])))
    # raters' scores exist in the example, so the scenarios vary scores too ("scenarierna")
    sentence = f"{squash(first.object.name)}: rang 1 i {rank1} % av scenarierna, topp 3 i {top3} %."
    assert sentence in text
    assert "6. Hur säker är rangordningen?" in text
    # the second object: the share at its own rank (2) and in the top rank + 2 = 4
    second = ranking.ranked[1]
    assert second.rank == 2
    b = sens.smaa.rank_acceptability[[o.id for o in sens.data.objects].index(second.object.id)]
    at2, top4 = round(100 * b[1]), round(100 * float(np.sum(b[:4])))
    assert f"{squash(second.object.name)}: rang 2 i {at2} % av scenarierna, topp 4 i {top4} %." in text


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


def test_timeline_next_milestone_and_decision(full, project):
    _, _, text = full
    by_id = {m.id: m for m in project.milestones}
    # hand-checked: on 15 Oct 2023 M06 and M07 are in progress, M08 (December 2023) is next, M09 is the decision
    timeline = section(text, "7. Var står processen?", None)
    assert f"Nästa milstolpe: {by_id['M08'].title_sv} (december 2023)." in timeline
    decision = "Beslut om Södertörns prioriteringslista (vinter 2023/2024)"
    assert f"Beslut: {decision}, planerat till december 2023 – februari 2024." in timeline
    assert squash(by_id["M07"].title_sv) in section(timeline, "I dag (15 oktober 2023) pågår:", "Nästa")


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


def test_passed_decision_is_said_to_be_passed(project, ranking):
    _, text = read(decision_document_pdf(project, ranking, version=VersionStamp.live(project),
                                         timeline=list(project.milestones), today=date(2025, 1, 1)))
    assert "planerat till december 2023 – februari 2024 (har passerats)." in text
