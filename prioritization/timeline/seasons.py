"""Months and seasons of the political calendar: bands of dates and their labels.

Season conventions of the tool (research/domain.md section 5.1): vår (spring) = March–May, sommar
(summer) = June–August, höst (autumn) = September–November, vinter (winter) = December–February.
Winter spans the year end: "vinter 2023/24" is 1 December 2023 – 29 February 2024 and is
identified by the year its December lies in (``Season("winter", 2023)``).

Pure functions on :class:`datetime.date`; no I/O.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

SPRING, SUMMER, AUTUMN, WINTER = "spring", "summer", "autumn", "winter"
SEASONS = (SPRING, SUMMER, AUTUMN, WINTER)  # in calendar order within a season year
SEASON_MONTHS = {SPRING: (3, 4, 5), SUMMER: (6, 7, 8), AUTUMN: (9, 10, 11), WINTER: (12, 1, 2)}
SEASON_NAMES = {
    "sv": {SPRING: "vår", SUMMER: "sommar", AUTUMN: "höst", WINTER: "vinter"},
    "en": {SPRING: "spring", SUMMER: "summer", AUTUMN: "autumn", WINTER: "winter"},
}
_SEASON_OF_MONTH = {m: s for s, months in SEASON_MONTHS.items() for m in months}


def month_start(d: date) -> date:
    return d.replace(day=1)


def month_end(d: date) -> date:
    """The last day of ``d``'s month (29 February in leap years)."""
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def month_band(year: int, month: int) -> tuple[date, date]:
    """First and last day of a month, e.g. (2023-02-01, 2023-02-28)."""
    first = date(year, month, 1)
    return first, month_end(first)


def is_month_start(d: date) -> bool:
    return d.day == 1


def is_month_end(d: date) -> bool:
    return d == month_end(d)


@dataclass(frozen=True)
class Season:
    """A season of one year. ``year`` is the year the season starts in (winter: its December)."""

    name: str
    year: int

    def __post_init__(self) -> None:
        if self.name not in SEASONS:
            raise ValueError(f"unknown season {self.name!r} (expected one of {', '.join(SEASONS)})")

    @property
    def band(self) -> tuple[date, date]:
        """First and last day: vår 2024 = (2024-03-01, 2024-05-31); vinter 2023 = (2023-12-01, 2024-02-29)."""
        first_month, _, last_month = SEASON_MONTHS[self.name]
        end_year = self.year + 1 if self.name == WINTER else self.year
        return date(self.year, first_month, 1), month_end(date(end_year, last_month, 1))

    @property
    def year_label(self) -> str:
        """"2024", or "2023/24" for a winter."""
        if self.name == WINTER:
            return f"{self.year}/{(self.year + 1) % 100:02d}"
        return str(self.year)

    def label(self, lang: str = "sv") -> str:
        """"vinter 2023/24", "vår 2024" (sv); "winter 2023/24", "spring 2024" (en)."""
        return f"{SEASON_NAMES[lang][self.name]} {self.year_label}"

    def next(self) -> Season:
        i = SEASONS.index(self.name)
        if self.name == WINTER:
            return Season(SPRING, self.year + 1)
        return Season(SEASONS[i + 1], self.year)


def season_of(d: date) -> Season:
    """The season a date lies in; January and February belong to the winter of the previous year."""
    name = _SEASON_OF_MONTH[d.month]
    return Season(name, d.year - 1 if name == WINTER and d.month <= 2 else d.year)


def season_band(name: str, year: int) -> tuple[date, date]:
    """First and last day of a season, e.g. ``season_band("winter", 2027)`` = (2027-12-01, 2028-02-29)."""
    return Season(name, year).band


def seasons_between(start: date, end: date) -> list[Season]:
    """The seasons that the band ``start``–``end`` touches, in order (at least one)."""
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    out = [season_of(start)]
    last = season_of(end)
    while out[-1] != last:
        out.append(out[-1].next())
    return out


def season_span_label(start: date, end: date, lang: str = "sv") -> str:
    """A band in season words: "höst 2023", "vår–sommar 2023", "vinter 2023/24", "höst 2025 – vår 2026"."""
    seasons = seasons_between(start, end)
    first, last = seasons[0], seasons[-1]
    if first == last:
        return first.label(lang)
    if first.year_label == last.year_label:
        return f"{SEASON_NAMES[lang][first.name]}–{SEASON_NAMES[lang][last.name]} {first.year_label}"
    return f"{first.label(lang)} – {last.label(lang)}"


def default_end(start: date, precision: str) -> date | None:
    """The end of the band a ``start`` stands for when no end is given: the same day (day), the end
    of the month (month) or of the season (season). A range has no default (None)."""
    if precision == "day":
        return start
    if precision == "month":
        return month_end(start)
    if precision == "season":
        return season_of(start).band[1]
    return None
