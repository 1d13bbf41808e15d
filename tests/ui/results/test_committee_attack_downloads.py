"""Attacks on the dashboard's downloads and fingerprint while the committee's input window is open
(issue 13). Before the window closes a viewer sees none of the municipalities' points and a
municipal representative only its own, so:

* the Excel, CSV and PDF they download must not carry a priority list (or a table of points given)
  built from that part: it would rank by a local score that leaves out the other municipalities
  and say that they gave 0 points (the page itself says the list is shown when the window closes);
* the fingerprint of the live round shown to them (banner, downloads, file names) must be that of
  what they are shown, not of the whole round with everyone's points: that one changes whenever
  another municipality saves its points (telling who is active) and matches no file they can get.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re

import openpyxl
import pytest
from pypdf import PdfReader

from prioritization.committee.model import Allocation
from prioritization.storage import committee as committee_store
from prioritization.storage.access import MUNICIPALITY, VIEWER, Actor
from tests.ui.results.test_committee_sections import (  # noqa: F401 - base is a fixture
    base,
    lock,
    open_window,
    page,
    points_committee,
    round_with,
    run,
)

PRIORITY_COLUMNS = ("Prioritetspoäng", "Lokal poäng (L)", "Prioritetsrang")
PDF_PRIORITY = "Prioritering med kommunernas inspelspoäng"


def who(kind: str, rid: int) -> Actor:
    if kind == "viewer":
        return Actor(VIEWER, "Kommittén", round_id=rid)
    return Actor(MUNICIPALITY, "Huddinge", round_id=rid, municipality="huddinge")


def files(at, click_download) -> dict[str, bytes]:
    return {kind: click_download(at, f"overview_download_{kind}") for kind in ("xlsx", "csv", "pdf", "json")}


def csv_header(data: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def open_round(app_db, fac, base):  # noqa: F811 - the fixture imported above
    """The example round, locked (so viewers see the live round), with points given and the input
    window still open."""
    rid, _ = round_with(app_db, fac, base, points_committee(base, open_window(base)))
    lock(app_db, fac, rid)
    return rid


@pytest.mark.parametrize("kind", ["viewer", "municipality"])
def test_no_priority_list_from_a_part_of_the_points_in_the_downloads(app_db, fac, open_round, click_download,
                                                                     kind):
    # the facilitator's files carry the (provisional) priority list: the attack below is meaningful
    mine = files(run(page(fac, round_id=open_round)), click_download)
    assert set(PRIORITY_COLUMNS) <= set(csv_header(mine["csv"]))
    assert PDF_PRIORITY in pdf_text(mine["pdf"])
    at = run(page(who(kind, open_round), round_id=open_round))
    assert "visas för alla när inspelsfönstret har stängt" in "\n".join(i.value for i in at.info)
    got = files(at, click_download)
    assert not set(PRIORITY_COLUMNS) & set(csv_header(got["csv"]))
    book = openpyxl.load_workbook(io.BytesIO(got["xlsx"]))
    assert "Inspelspoäng" not in book.sheetnames
    for ws in book.worksheets:
        assert not any(v in PRIORITY_COLUMNS for row in ws.iter_rows(values_only=True) for v in row)
    assert PDF_PRIORITY not in pdf_text(got["pdf"])


def banner_sha(at) -> str:
    (sha,) = re.findall(r"`([0-9a-f]{12})…`", at.warning[0].value)
    return sha


@pytest.mark.parametrize("kind", ["viewer", "municipality"])
def test_the_live_fingerprint_is_of_what_is_shown_and_hides_others_activity(app_db, fac, open_round,
                                                                          click_download, kind):
    actor = who(kind, open_round)
    facilitator_before = banner_sha(run(page(fac, round_id=open_round)))
    at = run(page(actor, round_id=open_round))
    before = banner_sha(at)
    project_file = click_download(at, "overview_download_json")
    assert hashlib.sha256(project_file).hexdigest()[:12] == before  # the file downloaded is what is named
    assert before in "\n".join(c.value for c in at.caption)  # the downloads say the same fingerprint
    # another municipality changes its points meanwhile: nothing this actor sees has changed
    tyreso = Actor(MUNICIPALITY, "Tyresö", round_id=open_round, municipality="tyreso")
    given = committee_store.committee(app_db, tyreso, open_round).allocations
    committee_store.set_allocations(app_db, tyreso, open_round, "tyreso",
                                    [Allocation("tyreso", a.object, a.points - 1, a.rationale) for a in given])
    assert banner_sha(run(page(fac, round_id=open_round))) != facilitator_before  # the round did change
    assert banner_sha(run(page(actor, round_id=open_round))) == before
