"""The .ics export, read back with icalendar's parser."""

from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest

from prioritization import projectfile
from prioritization.timeline.ical import event_uid, to_ics
from prioritization.timeline.template import round_template
from tests.conftest import EXAMPLE

STAMP = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def timeline():
    return projectfile.load(EXAMPLE).milestones


def events(ics: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(ics)
    return {str(e["summary"]): e for e in cal.walk("VEVENT")}


def test_every_milestone_is_an_all_day_event_with_exclusive_end(timeline):
    ics = to_ics(timeline, calendar_name="Södertörn 2023/24", scope="round-1", stamp=STAMP)
    cal = icalendar.Calendar.from_ical(ics)
    assert str(cal["x-wr-calname"]) == "Södertörn 2023/24"
    found = events(ics)
    assert len(found) == len(timeline) == 22
    for m in timeline:
        ev = found[m.title_sv]
        start, end = ev.decoded("dtstart"), ev.decoded("dtend")
        assert type(start) is date and type(end) is date  # VALUE=DATE: all-day
        assert start == m.start and end == m.end + timedelta(days=1), m.id
        assert ev.decoded("dtstamp") == STAMP
        assert str(ev["transp"]) == "TRANSPARENT"
    # the season-long decision band: 1 Dec 2023 up to (not including) 1 Mar 2024
    decision = found["Beslut om Södertörns prioriteringslista (vinter 2023/2024)"]
    assert (decision.decoded("dtstart"), decision.decoded("dtend")) == (date(2023, 12, 1), date(2024, 3, 1))
    description = str(decision["description"])
    assert "Tidpunkt: vinter 2023/24" in description and "Beslutsmilstolpe" in description
    assert "Ansvarig: Samarbetskommittén" in description
    assert "Beror på: Ledningsgruppen: rekommendation till beslut" in description
    assert "Status: Klar" in description


def test_uids_are_stable_and_unique(timeline):
    a = icalendar.Calendar.from_ical(to_ics(timeline, scope="round-1", stamp=STAMP))
    b = icalendar.Calendar.from_ical(to_ics(timeline, scope="round-1"))
    uids_a = [str(e["uid"]) for e in a.walk("VEVENT")]
    assert uids_a == [str(e["uid"]) for e in b.walk("VEVENT")]
    assert len(set(uids_a)) == len(uids_a)
    assert uids_a[0] == event_uid("M00", "round-1") != event_uid("M00", "round-2")


def test_english_titles_and_reproducible_bytes(timeline):
    en = to_ics(timeline, lang="en", stamp=STAMP)
    found = events(en)
    assert "Decision on Södertörn priority list" in found
    assert "When: winter 2023/24" in str(found["Decision on Södertörn priority list"]["description"])
    assert to_ics(timeline, lang="en", stamp=STAMP) == en
    assert b"\r\n" in en and all(len(line) <= 75 for line in en.split(b"\r\n"))  # folded lines, in octets
    with pytest.raises(ValueError, match="unsupported language"):
        to_ics(timeline, lang="de")


def test_template_round_exports_too():
    found = events(to_ics(round_template(2030), stamp=STAMP))
    decision = found["Beslut om Södertörns prioriteringslista (vinter 2027/28)"]
    assert decision.decoded("dtend") == date(2028, 3, 1)
