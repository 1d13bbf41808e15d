"""Words for the timeline: every code has a Swedish and an English text; times as precise as they are."""

from datetime import date

import pytest

from prioritization import i18n
from prioritization.timeline import labels, schedule
from prioritization.timeline.follow_up import STEPS, FollowUpStep
from prioritization.timeline.milestones import KINDS, PRECISIONS, STATUSES, Milestone


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_code_has_a_text(lang):
    keys = ([f"timeline.status.{s}" for s in STATUSES] + [f"timeline.kind.{k}" for k in KINDS]
            + [f"timeline.precision.{p}" for p in PRECISIONS] + [f"followup.step.{s}" for s in STEPS]
            + [f"timeline.warning.{c}" for c in schedule.WARNING_CODES])
    assert [k for k in keys if k not in i18n.catalogue(lang)] == []


def test_when_text_follows_the_precision():
    def m(start, end, precision):
        return Milestone("A", "A", date.fromisoformat(start), date.fromisoformat(end), precision)

    assert labels.when_text(m("2023-03-16", "2023-03-16", "day")) == "16 mars 2023"
    assert labels.when_text(m("2023-02-01", "2023-02-28", "month")) == "februari 2023"
    assert labels.when_text(m("2023-03-01", "2023-04-30", "month"), "en") == "March 2023 – April 2023"
    assert labels.when_text(m("2023-12-01", "2024-02-29", "season")) == "vinter 2023/24"
    assert labels.when_text(m("2023-05-01", "2023-08-31", "season"), "en") == "spring–summer 2023"
    assert labels.when_text(m("2024-01-15", "2024-04-30", "range")) == "15 januari 2024 – 30 april 2024"


def test_step_dates_as_precise_as_they_are():
    assert labels.step_when(FollowUpStep("opened", date(2031, 6, 1), "year")) == "2031"
    assert labels.step_when(FollowUpStep("opened", date(2031, 6, 1), "month"), "en") == "June 2031"
    assert labels.step_when(FollowUpStep("opened", date(2031, 6, 12))) == "12 juni 2031"


def test_warning_text_uses_titles():
    a = Milestone("A", "Datainsamling", date(2024, 1, 1), date(2024, 1, 31), "month", title_en="Data collection")
    b = Milestone("B", "Workshop 2", date(2024, 1, 15), date(2024, 3, 1), "range", depends_on=("A",))
    (w,) = [w for w in schedule.warnings((a, b), date(2024, 1, 20)) if w.code == "dependency_open"]
    assert labels.warning_text(w, (a, b)) == "”Workshop 2” har startat men beror på ”Datainsamling”, som inte är klar."
    assert "depends on “Data collection”" in labels.warning_text(w, (a, b), "en")
