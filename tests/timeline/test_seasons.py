"""Season and month bands: vår Mar–May, sommar Jun–Aug, höst Sep–Nov, vinter Dec–Feb across the year end."""

from datetime import date, timedelta

import pytest

from prioritization.timeline.seasons import (
    Season,
    default_end,
    month_band,
    season_band,
    season_of,
    season_span_label,
    seasons_between,
)


@pytest.mark.parametrize("d, name, year", [
    (date(2024, 3, 1), "spring", 2024),
    (date(2024, 5, 31), "spring", 2024),
    (date(2024, 6, 1), "summer", 2024),
    (date(2024, 8, 31), "summer", 2024),
    (date(2024, 9, 1), "autumn", 2024),
    (date(2024, 11, 30), "autumn", 2024),
    (date(2023, 12, 1), "winter", 2023),
    (date(2023, 12, 31), "winter", 2023),
    (date(2024, 1, 1), "winter", 2023),  # January belongs to the winter that began in December before
    (date(2024, 2, 29), "winter", 2023),
])
def test_season_of_a_date(d, name, year):
    assert season_of(d) == Season(name, year)


def test_winter_band_spans_the_year_end_and_knows_leap_years():
    assert season_band("winter", 2023) == (date(2023, 12, 1), date(2024, 2, 29))
    assert season_band("winter", 2024) == (date(2024, 12, 1), date(2025, 2, 28))
    assert season_band("spring", 2026) == (date(2026, 3, 1), date(2026, 5, 31))
    assert season_band("autumn", 2025) == (date(2025, 9, 1), date(2025, 11, 30))


def test_every_day_of_a_year_lies_in_the_band_of_its_season():
    d = date(2023, 1, 1)
    while d.year < 2025:
        start, end = season_of(d).band
        assert start <= d <= end
        d += timedelta(days=1)


def test_seasons_follow_each_other_without_gaps():
    s = Season("autumn", 2023)
    for _ in range(8):
        nxt = s.next()
        assert nxt.band[0] == s.band[1] + timedelta(days=1)
        s = nxt
    assert s == Season("autumn", 2025)


def test_labels_in_swedish_and_english():
    assert Season("winter", 2023).label() == "vinter 2023/24"
    assert Season("winter", 2099).label("en") == "winter 2099/00"
    assert Season("spring", 2024).label() == "vår 2024"
    assert Season("autumn", 2024).label("en") == "autumn 2024"


def test_span_labels():
    assert season_span_label(date(2023, 5, 1), date(2023, 8, 31)) == "vår–sommar 2023"
    assert season_span_label(date(2023, 9, 1), date(2023, 10, 31)) == "höst 2023"
    assert season_span_label(date(2023, 12, 1), date(2024, 2, 29)) == "vinter 2023/24"
    assert season_span_label(date(2025, 9, 1), date(2026, 4, 30)) == "höst 2025 – vår 2026"
    assert [s.name for s in seasons_between(date(2023, 11, 15), date(2024, 3, 1))] == ["autumn", "winter", "spring"]
    with pytest.raises(ValueError):
        seasons_between(date(2024, 1, 2), date(2024, 1, 1))


def test_default_end_expands_month_and_season():
    assert default_end(date(2024, 2, 1), "month") == date(2024, 2, 29)
    assert default_end(date(2023, 12, 1), "season") == date(2024, 2, 29)
    assert default_end(date(2024, 1, 1), "season") == date(2024, 2, 29)  # still winter 2023/24
    assert default_end(date(2024, 4, 1), "season") == date(2024, 5, 31)
    assert default_end(date(2024, 4, 9), "day") == date(2024, 4, 9)
    assert default_end(date(2024, 4, 9), "range") is None
    assert month_band(2023, 2) == (date(2023, 2, 1), date(2023, 2, 28))


def test_unknown_season_is_rejected():
    with pytest.raises(ValueError, match="unknown season"):
        Season("monsoon", 2024)
