"""The dashboard offers Excel, CSV, the PDF decision document and the project file, built on click."""

import csv
import io

import openpyxl
import pypdf

from prioritization import analysis, projectfile
from prioritization.exports import VersionStamp
from prioritization.storage import rounds
from prioritization.storage.access import VIEWER, Actor
from prioritization.ui.widgets.downloads import downloads
from tests.conftest import plain_example_bytes
from tests.ui.conftest import app


def test_builders_make_files_stamped_with_the_version():
    project = projectfile.loads(plain_example_bytes())
    ranking = analysis.rank(project)
    stamp = VersionStamp.live(project)
    files = {d.kind: d for d in downloads(project, ranking, stamp, "sv")}
    short = projectfile.sha256(project)[:12]  # the file names carry the fingerprint, like the project file's
    assert [files[k].file_name for k in ("xlsx", "csv", "pdf")] == [
        f"prioriteringslista-{short}.xlsx", f"prioriteringslista-{short}.csv", f"beslutsunderlag-{short}.pdf"]
    wb = openpyxl.load_workbook(io.BytesIO(files["xlsx"].build()))
    assert stamp.sha256 in " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value)
    rows = list(csv.reader(io.StringIO(files["csv"].build().decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + len(ranking.ranked)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(files["pdf"].build())).pages)
    assert stamp.sha256 in text and "Exempeldata" in text


def test_a_comparison_profile_is_named_in_every_file_and_file_name():
    project = projectfile.loads(plain_example_bytes())
    profile = project.profile("P2")
    ranking = analysis.rank(project, weights=analysis.project_weights(project, profile.id).weights)
    stamp = VersionStamp.live(project)
    short = stamp.sha256[:12]
    files = {d.kind: d for d in downloads(project, ranking, stamp, "sv", weights_label=profile.name,
                                          project_file=lambda: b"{}")}
    assert files["xlsx"].file_name == f"prioriteringslista-{short}-viktprofil-omstallning.xlsx"
    assert files["csv"].file_name == f"prioriteringslista-{short}-viktprofil-omstallning.csv"
    assert files["pdf"].file_name == f"beslutsunderlag-{short}-viktprofil-omstallning.pdf"
    assert files["json"].file_name == f"projekt-{short}.json"  # the project file is the same for every profile
    said = "viktprofil ”Omställning” (jämförelse – inte vikterna i bruk)"
    wb = openpyxl.load_workbook(io.BytesIO(files["xlsx"].build()))
    assert wb.worksheets[0].cell(row=4, column=1).value == f"Vikter: {said}"
    rows = list(csv.DictReader(io.StringIO(files["csv"].build().decode("utf-8-sig")), delimiter=";"))
    assert {r["Vikter"] for r in rows} == {said}
    assert [r["Objekt-id"] for r in rows] == [ro.object.id for ro in ranking.ranked]
    first = pypdf.PdfReader(io.BytesIO(files["pdf"].build())).pages[0].extract_text().replace("\n", " ")
    assert f"Vikter: {said}" in first
    en = {d.kind: d for d in downloads(project, ranking, stamp, "en", weights_label=profile.name)}
    assert en["pdf"].file_name == f"decision-document-{short}-profile-omstallning.pdf"


def test_facilitator_and_viewer_see_the_download_buttons(app_db, fac):
    at = app(fac).run()
    assert not at.exception
    keys = [b.proto.id for b in at.get("download_button")]
    assert len(keys) == 4  # Excel, CSV, PDF, project file
    rid = rounds.list_rounds(app_db, fac)[0].id
    for st_ in ("scoring", "revealed", "locked"):
        rounds.set_status(app_db, fac, rid, st_)
    viewer = app(Actor(VIEWER, "Kommittén", round_id=rid)).run()
    assert len(viewer.get("download_button")) == 4
