"""Issue 11 #7: one frozen version, one time, Europe/Stockholm and labelled, in the app and in every
export, whatever the server's time zone. The database keeps UTC (SQLite hands it back without a
zone): 23:55 UTC on 5 December 2025 is 00:55 on 6 December in Stockholm."""

import io
import os
import time
from datetime import UTC, datetime

import openpyxl
import pytest

from prioritization import i18n
from prioritization.exports import VersionStamp
from prioritization.exports.excel import excel_time, priority_list_xlsx
from prioritization.exports.pdf import decision_document_pdf
from prioritization.ui.process.versions_logic import local_time

STORED = datetime(2025, 12, 5, 23, 55)  # as SQLite returns it: UTC without a zone
SUMMER = datetime(2025, 6, 30, 22, 30, tzinfo=UTC)  # summer time: +2 h


@pytest.fixture(params=["UTC", "America/New_York", "Asia/Tokyo"])
def server_zone(request):
    """Run the check with the process in another time zone: nothing may depend on it."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_every_place_shows_the_same_stockholm_time(server_zone):
    assert i18n.timestamp(STORED, "sv") == "2025-12-06 00:55 (svensk tid)"
    assert i18n.timestamp(STORED, "en") == "2025-12-06 00:55 (Swedish time)"
    assert i18n.timestamp(SUMMER, "sv") == "2025-07-01 00:30 (svensk tid)"
    assert local_time(STORED, "sv") == "2025-12-06 00:55"  # the versions page: the heading names the zone
    assert i18n.day(STORED, "sv") == "6 december 2025"  # the dashboard's "fryst 6 december"
    assert excel_time(STORED) == datetime(2025, 12, 6, 0, 55)
    assert excel_time(STORED.replace(tzinfo=UTC)) == datetime(2025, 12, 6, 0, 55)


def test_pdf_and_excel_say_the_same_time_as_the_versions_page(project, ranking, server_zone):
    from pypdf import PdfReader

    stamp = VersionStamp("Beslut", "cd" * 32, STORED)
    pdf = decision_document_pdf(project, ranking, version=stamp)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", " ")
    assert "2025-12-06 00:55 (svensk tid)" in text and "23:55" not in text
    wb = openpyxl.load_workbook(io.BytesIO(priority_list_xlsx(project, ranking, version=stamp)))
    about = {row[0].value: row[1].value for ws in wb.worksheets for row in ws.iter_rows(max_col=2) if row[0].value}
    assert about["Fryst (svensk tid)"] == datetime(2025, 12, 6, 0, 55)
