"""``prioritization export`` and ``prioritization timeline``: the files read back (openpyxl, csv, pypdf,
icalendar), the version stamp, tiers and profile label, error messages naming the place, exit codes,
and that a failure never leaves a half-written file."""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import openpyxl
import pypdf
import pytest

from prioritization import analysis, i18n, projectfile
from prioritization.cli import export as cli_export
from prioritization.cli import main as cli
from prioritization.errors import InputError
from prioritization.exports.csv_export import tab_text
from tests.conftest import EXAMPLE, FIXTURES, plain_example_bytes

ROUND = FIXTURES / "small-round.json"
AIRCRAFT = FIXTURES / "aircraft.json"
FAST = ("--samples", "300", "--seed", "7")  # small sensitivity runs where the figures are not the point
MTIME = datetime(2024, 1, 15, 10, 30, tzinfo=UTC)  # 11:30 in Stockholm (CET)


def call(capsys, *args) -> tuple[int, str, str]:
    """cli.main in-process: (exit code, stdout, stderr); argparse usage errors exit through SystemExit."""
    try:
        rc = cli.main([str(a) for a in args])
    except SystemExit as e:
        rc = e.code
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.fixture
def example(tmp_path) -> Path:
    """The example project without its committee stage (not canonical: compact JSON) with a known
    modification time."""
    p = tmp_path / "sodertorn.json"
    p.write_bytes(plain_example_bytes())
    os.utime(p, (MTIME.timestamp(), MTIME.timestamp()))
    return p


@pytest.fixture(scope="module")
def example_project():
    return projectfile.loads(plain_example_bytes())


def pairs(ws) -> dict:
    """Column A -> column B of a sheet of label/value rows."""
    return {row[0]: row[1] for row in ws.iter_rows(min_col=1, max_col=2, values_only=True) if row[0] is not None}


def read_csv(path: Path, delimiter: str) -> list[dict]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def expected_tiers(raw: dict, ranks: dict[str, int]) -> dict[str, str]:
    """The tier of every ranked object, worked out from the file's boundaries (no hand assignments here)."""
    levels = raw["tiers"]["levels"]
    assert not raw["tiers"].get("assigned")
    out = {}
    for oid, rank in ranks.items():
        for level in levels:
            if level.get("through_rank") is None or rank <= level["through_rank"]:
                out[oid] = level["label"]
                break
    return out


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- export: files read back ---------------------------------------------------------------------


def test_xlsx_stamp_tiers_and_app_sensitivity_defaults(capsys, example, tmp_path, example_project):
    out = tmp_path / "lista.xlsx"
    rc, stdout, stderr = call(capsys, "export", example, "--format", "xlsx", "--output", out)
    assert rc == 0, stderr
    canonical = projectfile.sha256(example_project)
    own = hashlib.sha256(example.read_bytes()).hexdigest()
    assert canonical != own  # the example file is not canonical ...
    assert f"its own SHA-256 is {own}" in stderr and canonical in stderr  # ... and the command says so
    assert f"Wrote {out}" in stdout and canonical in stdout

    wb = openpyxl.load_workbook(out)
    about = pairs(wb[tab_text("sheet_about", "sv")])
    assert about[tab_text("about_sha256", "sv")] == canonical
    assert about[tab_text("about_version", "sv")] == "sodertorn"  # named after the file
    assert about[tab_text("about_frozen_at", "sv")] == datetime(2024, 1, 15, 11, 30)  # mtime, Swedish time
    assert about[tab_text("col_weights", "sv")] == "vikterna i bruk"

    sens = pairs(wb[tab_text("sheet_sensitivity", "sv")])  # the sensitivity page's defaults
    assert sens[tab_text("sens_samples", "sv")] == 10_000
    assert sens[tab_text("sens_seed", "sv")] == 20231201
    assert sens[tab_text("sens_weight_model", "sv")] == tab_text("weight_model_order", "sv")

    ws = wb[tab_text("sheet_list", "sv")]
    assert "UTKAST" not in ws.cell(3, 1).value and canonical in ws.cell(3, 1).value
    header = [c.value for c in ws[6]]
    rows = [dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=7, values_only=True) if r[0] is not None]
    ranking = analysis.rank(example_project, "wsm")
    assert [r[tab_text("col_object_id", "sv")] for r in rows] == [x.object.id for x in ranking.ranked]
    want = expected_tiers(json.loads(EXAMPLE.read_text(encoding="utf-8")), {x.object.id: x.rank for x in ranking.ranked})
    got = {r[tab_text("col_object_id", "sv")]: r[tab_text("col_tier", "sv")] for r in rows}
    assert got == want and set(got.values()) == {"A", "B", "C"}


def test_csv_profile_is_labelled_and_ranked_by_the_profile(capsys, example, tmp_path, example_project):
    out = tmp_path / "p2.csv"
    rc, stdout, stderr = call(capsys, "export", example, "--format", "csv", "--output", out, "--profile", "P2",
                              "--lang", "en", "--samples", "50")
    assert rc == 0, stderr
    assert "--samples ignored" in stderr  # said, not silently dropped
    rows = read_csv(out, ",")  # English: comma-separated
    profile = example_project.profile("P2")
    ranking = analysis.rank(example_project, "wsm", analysis.project_weights(example_project, "P2").weights)
    assert ranking.ranked != analysis.rank(example_project, "wsm").ranked  # the profile does reorder the list
    assert [r[tab_text("col_object_id", "en")] for r in rows] == [x.object.id for x in ranking.ranked]
    assert {r[tab_text("col_weights", "en")] for r in rows} == {
        f"weight profile “{profile.name}” (comparison – not the weights in use)"}
    assert {r[tab_text("col_sha256", "en")] for r in rows} == {projectfile.sha256(example_project)}
    want = expected_tiers(json.loads(EXAMPLE.read_text(encoding="utf-8")), {x.object.id: x.rank for x in ranking.ranked})
    assert {r[tab_text("col_object_id", "en")]: r[tab_text("col_tier", "en")] for r in rows} == want
    assert f"weight profile {profile.name!r}" in stdout


def test_pdf_has_stamp_profile_and_the_sensitivity_pages_key_findings(capsys, example, tmp_path, example_project):
    from prioritization.report import sensitivity as sensitivity_logic

    out = tmp_path / "underlag.pdf"
    rc, stdout, stderr = call(capsys, "export", example, "--format", "pdf", "--output", out, "--profile", "P2",
                              "--version-name", "Underlag till SK", *FAST)
    assert rc == 0, stderr
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(out).pages)
    assert "Fryst version ”Underlag till SK”" in text
    assert projectfile.sha256(example_project) in text
    assert "viktprofil ”Omställning”" in text
    # the key findings are the sensitivity page's sentences for the same run
    w = analysis.project_weights(example_project, "P2").weights
    ranking = analysis.rank(example_project, "wsm", w)
    report = analysis.sensitivity(example_project, weights=w, samples=300, seed=7, weight_model="order")
    tiers = example_project.tiers.assign((r.object.id, r.rank) for r in ranking.ranked)
    findings = sensitivity_logic.key_findings(report, ranking, example_project.tiers, tiers, "sv")
    assert findings
    for sentence in findings:
        assert squeeze(sentence) in squeeze(text)
    assert f"key findings: {len(findings)} sentences" in stdout


def test_the_export_never_imports_streamlit(tmp_path):
    out = tmp_path / "x.pdf"
    code = ("import sys; from prioritization.cli import main as cli; "
            f"rc = cli.main(['export', {str(EXAMPLE)!r}, '--format', 'pdf', '--output', {str(out)!r}, "
            "'--samples', '200']); "
            "assert rc == 0, rc; assert 'streamlit' not in sys.modules, 'streamlit imported'")
    res = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "key findings: " in res.stdout and "skipped" not in res.stdout
    assert out.read_bytes().startswith(b"%PDF")


def test_canonical_file_hash_is_the_stamp_and_draft_is_marked(capsys, tmp_path, example_project):
    src = tmp_path / "kanonisk.json"
    src.write_text(projectfile.dumps(example_project), encoding="utf-8")
    out = tmp_path / "k.xlsx"
    rc, _, stderr = call(capsys, "export", src, "--format", "xlsx", "--output", out, "--draft", *FAST)
    assert rc == 0, stderr
    assert "canonical form" not in stderr  # nothing to explain: the file's own hash is the fingerprint
    wb = openpyxl.load_workbook(out)
    about = pairs(wb[tab_text("sheet_about", "sv")])
    assert about[tab_text("about_sha256", "sv")] == hashlib.sha256(src.read_bytes()).hexdigest()
    assert about[tab_text("about_frozen_at", "sv")] is None
    assert "UTKAST" in wb[tab_text("sheet_list", "sv")].cell(3, 1).value


def test_output_directory_gets_the_apps_file_name(capsys, example, tmp_path, example_project):
    rc, _, stderr = call(capsys, "export", example, "--format", "csv", "--output", tmp_path, "--profile", "P2")
    assert rc == 0, stderr
    sha12 = projectfile.sha256(example_project)[:12]
    assert (tmp_path / f"prioriteringslista-{sha12}-viktprofil-omstallning.csv").is_file()


def test_project_without_tiers_has_no_tier_column(capsys, tmp_path):
    out = tmp_path / "a.csv"
    rc, _, stderr = call(capsys, "export", AIRCRAFT, "--format", "csv", "--output", out)
    assert rc == 0, stderr
    rows = read_csv(out, ";")
    assert len(rows) == 4 and tab_text("col_tier", "sv") not in rows[0]


# --- export: refusals and failures --------------------------------------------------------------


def test_existing_output_is_refused_without_force(capsys, example, tmp_path):
    out = tmp_path / "lista.csv"
    out.write_bytes(b"old")
    rc, stdout, stderr = call(capsys, "export", example, "--format", "csv", "--output", out)
    assert rc == 2 and f"--output: {out} exists already; use --force" in stderr and stdout == ""
    assert out.read_bytes() == b"old"
    rc, _, stderr = call(capsys, "export", example, "--format", "csv", "--output", out, "--force")
    assert rc == 0, stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lista.csv", "sodertorn.json"]  # no temporary file left


@pytest.mark.parametrize("args, message", [
    (["--output", "{d}/missing/x.csv"], "--output: the directory {d}/missing does not exist"),
    (["--output", "{d}/x.pdf"], "--output: {d}/x.pdf does not end in .csv (the chosen format)"),
    (["--output", "{d}/x.csv", "--profile", "P9"], "--profile: the project has no weight profile 'P9' (known: P0, P1"),
    (["--output", "{d}/x.csv", "--version-name", "  "], "--version-name: a version needs a name"),
    (["--output", "{d}/x.csv", "--samples", "0"], "argument --samples: expected a whole number from 1 to 1 000 000, got '0'"),
    (["--output", "{d}/x.csv", "--seed", "-1"], "argument --seed: expected a whole number from 0, got '-1'"),
    (["--output", "{d}/x.csv", "--weight-model", "fixed"], "argument --weight-model: invalid choice: 'fixed'"),
])
def test_invalid_options_exit_2_naming_the_option(capsys, example, tmp_path, args, message):
    d = str(tmp_path)
    rc, _, stderr = call(capsys, "export", example, "--format", "csv", *[a.format(d=d) for a in args])
    assert rc == 2
    assert message.format(d=d) in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sodertorn.json"]


def test_invalid_project_file_names_the_place_and_writes_nothing(capsys, tmp_path):
    data = json.loads(ROUND.read_text(encoding="utf-8"))
    data["scores"][17]["value"] = 7
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    rc, _, stderr = call(capsys, "export", bad, "--format", "xlsx", "--output", tmp_path / "x.xlsx")
    assert rc == 2
    assert f"scores[17].value: 7 is outside the scale 1–5 of criterion {data['scores'][17]['criterion']}" in stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_the_project_file_itself_is_never_the_output(capsys, tmp_path):
    src = tmp_path / "proj.csv"  # a project file with an unusual name: the suffix check lets it through
    src.write_bytes(ROUND.read_bytes())
    rc, _, stderr = call(capsys, "export", src, "--format", "csv", "--output", src, "--force")
    assert rc == 2 and "is the project file itself" in stderr
    assert src.read_bytes() == ROUND.read_bytes()


def _fail_halfway(fd, data):
    os.write(fd, data[: len(data) // 2])
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_failed_write_leaves_no_half_written_file(capsys, example, tmp_path, monkeypatch):
    monkeypatch.setattr(cli_export, "_write_all", _fail_halfway)
    out = tmp_path / "lista.xlsx"
    rc, stdout, stderr = call(capsys, "export", example, "--format", "xlsx", "--output", out, *FAST)
    assert rc == 1
    assert f"error: cannot write {out}: No space left on device; nothing was written" in stderr
    assert "Wrote" not in stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sodertorn.json"]
    # replacing: the old file survives a failed write intact
    out.write_bytes(b"the old list")
    rc, _, _ = call(capsys, "export", example, "--format", "xlsx", "--output", out, "--force", *FAST)
    assert rc == 1 and out.read_bytes() == b"the old list"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lista.xlsx", "sodertorn.json"]


def test_a_failed_build_creates_no_file(capsys, example, tmp_path, monkeypatch):
    from prioritization.exports import pdf

    def broken(*a, **k):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(pdf, "decision_document_pdf", broken)
    out = tmp_path / "x.pdf"
    rc, _, stderr = call(capsys, "export", example, "--format", "pdf", "--output", out, *FAST)
    assert rc == 1 and "unexpected error: RuntimeError: renderer crashed" in stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sodertorn.json"]


def test_a_file_created_meanwhile_is_not_replaced(capsys, example, tmp_path, monkeypatch):
    out = tmp_path / "lista.csv"
    real = cli_export._write_all

    def other_writer_first(fd, data):  # someone creates the file after the check, before the rename
        out.write_bytes(b"theirs")
        real(fd, data)

    monkeypatch.setattr(cli_export, "_write_all", other_writer_first)
    rc, _, stderr = call(capsys, "export", example, "--format", "csv", "--output", out)
    assert rc == 2 and f"--output: {out} exists already" in stderr
    assert out.read_bytes() == b"theirs"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lista.csv", "sodertorn.json"]


def test_write_atomic_without_force_never_replaces(tmp_path):
    target = tmp_path / "f.bin"
    cli_export.write_atomic(target, b"first", force=False)
    assert target.read_bytes() == b"first"
    with pytest.raises(InputError, match="exists already"):  # e.g. created by someone else meanwhile
        cli_export.write_atomic(target, b"second", force=False)
    assert target.read_bytes() == b"first"
    cli_export.write_atomic(target, b"second", force=True)
    assert target.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["f.bin"]


def test_exit_codes_and_streams_through_the_real_command(tmp_path):
    out = tmp_path / "l.csv"
    cmd = [sys.executable, "-m", "prioritization", "export", str(ROUND), "--format", "csv", "--output", str(out)]
    ok = subprocess.run(cmd, check=False, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert ok.returncode == 0, ok.stderr
    again = subprocess.run(cmd, check=False, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert again.returncode == 2 and again.stdout == "" and "exists already" in again.stderr


# --- timeline ------------------------------------------------------------------------------------


@pytest.fixture
def late_round(tmp_path) -> Path:
    """The example's timeline with the last steps before the decision not done yet."""
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    for m in raw["milestones"]:
        if m["id"] in ("M07", "M08", "M09"):
            m["status"] = "planned"
    p = tmp_path / "late.json"
    p.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return p


def test_timeline_json_status_warnings_countdown_next_up(capsys, late_round):
    rc, stdout, stderr = call(capsys, "timeline", late_round, "--today", "2023-12-10", "--format", "json",
                              "--lang", "en")
    assert rc == 0, stderr
    data = json.loads(stdout)
    status = {m["id"]: (m["status"], m["effective_status"]) for m in data["milestones"]}
    assert status["M07"] == ("planned", "late")  # its end (30 Nov) has passed
    assert status["M08"] == ("planned", "planned") and status["M00"] == ("done", "done")
    # the decision M09 runs 1 Dec 2023 - 29 Feb 2024: started 9 days ago, 21 + 31 + 29 days left
    assert data["countdown"] == {"milestone": "M09", "days_to_start": -9, "days_to_end": 81, "status": "planned"}
    assert "81 days" in data["countdown_text"]
    codes = [(w["code"], w["milestone"], w["params"].get("dependency")) for w in data["warnings"]]
    assert codes == [("dependency_open", "M08", "M07"), ("dependency_open", "M09", "M08"), ("late", "M07", None)]
    m07 = next(m for m in data["milestones"] if m["id"] == "M07")
    assert m07["title"] in data["warnings"][2]["text"]  # titles, not ids, in the sentences
    assert data["next_up"] == ["M08", "M09", "E10", "E11", "E12"]


def test_timeline_table_in_swedish(capsys, late_round):
    rc, stdout, stderr = call(capsys, "timeline", late_round, "--today", "2023-12-10")
    assert rc == 0, stderr
    assert "81 dagar" in stdout
    assert stdout.count("\n! ") == 3  # the three warnings
    assert "Försenad" in stdout  # M07's effective status
    assert "Nästa steg:" in stdout


def test_timeline_ics_reads_back(capsys, example, tmp_path, example_project):
    ics = tmp_path / "tidslinje.ics"
    rc, stdout, stderr = call(capsys, "timeline", example, "--ics", ics, "--lang", "en", "--format", "json")
    assert rc == 0, stderr
    json.loads(stdout)  # stdout stays pure JSON; the note about the file goes to stderr
    assert f"Wrote {ics} (22 events)" in stderr
    cal = icalendar.Calendar.from_ical(ics.read_bytes())
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert len(events) == len(example_project.milestones) == 22
    for m in example_project.milestones:
        e = events[m.title("en")]
        assert e.decoded("dtstart") == m.start
        assert e.decoded("dtend") == m.start + timedelta(days=(m.end - m.start).days + 1)  # exclusive end
    # refused without --force, replaced with it
    rc, _, stderr = call(capsys, "timeline", example, "--ics", ics)
    assert rc == 2 and f"--ics: {ics} exists already" in stderr
    rc, _, stderr = call(capsys, "timeline", example, "--ics", ics, "--force")
    assert rc == 0, stderr
    sv_titles = {str(e["summary"]) for e in icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")}
    assert sv_titles == {m.title_sv for m in example_project.milestones}


def test_timeline_errors(capsys, tmp_path):
    rc, _, stderr = call(capsys, "timeline", AIRCRAFT, "--today", "2024-02-30")
    assert rc == 2 and "argument --today: expected a date YYYY-MM-DD, got '2024-02-30'" in stderr
    rc, _, stderr = call(capsys, "timeline", AIRCRAFT, "--ics", tmp_path / "a.ics")
    assert rc == 2 and "--ics: the project has no milestones" in stderr
    assert not (tmp_path / "a.ics").exists()
    rc, stdout, _ = call(capsys, "timeline", AIRCRAFT, "--today", "2024-01-01")
    assert rc == 0 and i18n.t("timeline.page.no_milestones", "sv") in stdout
    rc, stdout, _ = call(capsys, "timeline", AIRCRAFT, "--format", "json", "--today", "2024-01-01")
    assert rc == 0 and json.loads(stdout)["milestones"] == [] and json.loads(stdout)["countdown"] is None


def test_timeline_today_defaults_to_the_current_date(capsys, example):
    rc, stdout, _ = call(capsys, "timeline", example, "--format", "json")
    assert rc == 0 and json.loads(stdout)["today"] == date.today().isoformat()


def test_today_sets_the_documents_date(capsys, example, tmp_path):
    pdf, xlsx = tmp_path / "u.pdf", tmp_path / "u.xlsx"
    assert call(capsys, "export", example, "--format", "pdf", "--output", pdf, "--today", "2023-12-05", *FAST)[0] == 0
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)
    assert i18n.day(date(2023, 12, 5), "sv") in text
    assert i18n.day(date.today(), "sv") not in text or date.today() == date(2023, 12, 5)
    assert call(capsys, "export", example, "--format", "xlsx", "--output", xlsx, "--today", "2023-12-05", *FAST)[0] == 0
    wb = openpyxl.load_workbook(xlsx)
    stamps = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, datetime)]
    assert any(v.date() == date(2023, 12, 5) for v in stamps)
    rc, _, err = call(capsys, "export", example, "--format", "pdf", "--output", tmp_path / "x.pdf", "--today", "5/12")
    assert rc == 2 and "expected a date YYYY-MM-DD" in err
