"""A new round's milestones from a template for the plan round starting in year N.

National and regional transport plans run for 12 years from a first plan year N (N = 2018, 2022,
2026, ... every four years). research/domain.md section 5.2 observed the timing of the external
steps relative to N in three rounds and recommends an internal cycle: **decide the priority list
by winter N−3/N−2** (just before the inriktningsunderlag), refresh it before the åtgärdsplanering
dialogues and the remiss answers of N−1, and review the outcome after the Government's decision
on the national plan in summer N. The internal steps follow the 2023/24 process of the Feb 2023
minutes (section 5.1), the template for N = 2026.

Dates the template cannot know (the day of a meeting) are given as a month or a season, to be
adjusted by hand once known. All template milestones are ``planned``; the decision milestone is
flagged. The offsets are an extrapolation (the four-year cadence is not guaranteed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from prioritization.timeline.milestones import (
    EXTERNAL,
    INTERNAL,
    MONTH,
    RANGE,
    SEASON,
    Milestone,
)
from prioritization.timeline.seasons import month_end

MIN_YEAR, MAX_YEAR = 2000, 2200


@dataclass(frozen=True)
class _Step:
    id: str
    title_sv: str
    title_en: str
    start: tuple[int, int, int]  # (year offset from N, month, day)
    end: tuple[int, int, int | None]  # day None = last day of the month
    precision: str
    owner: str
    kind: str
    depends_on: tuple[str, ...]
    source: str
    decision: bool = False


# {N}, {P} (the plan period "N–N+11"), {W} (the decision winter "N−3/N−2" as "2023/24")
_STEPS = (
    _Step("M00", "Ledningsgruppen beslutar om process (Trafiknätverk; behovsunderlag; prioriteringslista)",
          "Management group decides the process", (-3, 2, 1), (-3, 2, None), MONTH, "Ledningsgruppen",
          INTERNAL, (), "Mall: februari N−3 (som februari 2023)"),
    _Step("M01", "Samarbetskommitténs möte (information om processen)", "Committee meeting (process information)",
          (-3, 3, 1), (-3, 3, None), MONTH, "Samarbetskommittén", INTERNAL, ("M00",),
          "Mall: mars N−3 (som 16 mars 2023); ange mötesdagen"),
    _Step("M02", "Förslag till kriterier; vikter och objektlista (lång lista)", "Draft criteria; weights and long list",
          (-3, 3, 1), (-3, 4, None), RANGE, "Trafiknätverket", INTERNAL, ("M01",), "Mall: mars–april N−3"),
    _Step("M03", "Ledningsgruppens möte – godkänner kriterier och arbetsplan",
          "Management group approves criteria & plan", (-3, 4, 1), (-3, 4, None), MONTH, "Ledningsgruppen",
          INTERNAL, ("M02",), "Mall: april N−3 (som 28 april 2023); ange mötesdagen"),
    _Step("M04", "Datainsamling per objekt (kostnad; planeringsläge; ÅVS/SEB) och poängsättningsworkshop 1",
          "Data collection + scoring workshop 1", (-3, 5, 1), (-3, 6, 15), RANGE, "Trafiknätverket", INTERNAL,
          ("M03",), "Mall: maj–mitten av juni N−3"),
    _Step("M05", "Första behovsunderlag klart (vår/sommar)", "First needs assessment (behovsunderlag) ready",
          (-3, 5, 1), (-3, 8, None), SEASON, "Trafiknätverket", INTERNAL, ("M04",), "Mall: vår/sommar N−3"),
    _Step("M06", "Samarbetskommittén: kommunernas enskilda behov och önskemål (efter sommaren)",
          "Committee session: individual needs & wishes", (-3, 9, 1), (-3, 10, None), SEASON, "Samarbetskommittén",
          INTERNAL, ("M05",), "Mall: efter sommaren N−3 (september–oktober)"),
    _Step("M07", "Poängsättningsworkshop 2 + känslighetsanalys + förslag till prioriteringslista",
          "Workshop 2 + sensitivity + draft list", (-3, 10, 1), (-3, 11, None), RANGE, "Trafiknätverket",
          INTERNAL, ("M06",), "Mall: oktober–november N−3"),
    _Step("M08", "Ledningsgruppen: rekommendation till beslut", "Management group recommendation",
          (-3, 12, 1), (-3, 12, None), MONTH, "Ledningsgruppen", INTERNAL, ("M07",), "Mall: december N−3"),
    _Step("M09", "Beslut om Södertörns prioriteringslista (vinter {W})", "Decision on Södertörn priority list",
          (-3, 12, 1), (-2, 2, None), SEASON, "Samarbetskommittén", INTERNAL, ("M08",),
          "Mall: vinter N−3/N−2, före inriktningsunderlaget (research 5.2)", decision=True),
    _Step("E01", "Regeringens direktiv: inriktningsunderlag {P}", "Government directive: inriktningsunderlag",
          (-3, 6, 1), (-3, 6, None), MONTH, "Regeringen", EXTERNAL, (), "Mall: mitten av N−3 (juni 2023 för N=2026)"),
    _Step("E02", "Trafikverket redovisar inriktningsunderlag {P} (remiss startar)",
          "Trafikverket delivers inriktningsunderlag (remiss opens)", (-2, 1, 1), (-2, 1, None), MONTH,
          "Trafikverket", EXTERNAL, ("E01",), "Mall: januari N−2 (15 januari 2024 för N=2026)"),
    _Step("E03", "Remissvar på inriktningsunderlaget (använd prioriteringslistan)",
          "Remiss answer on inriktningsunderlag", (-2, 1, 15), (-2, 4, None), RANGE, "Södertörnskommunerna",
          EXTERNAL, ("E02", "M09"), "Mall: cirka tre månaders remiss efter inriktningsunderlaget"),
    _Step("E04", "Region Stockholm: inledande fas i revideringen av länsplanen",
          "Region Stockholm: initial phase of LP revision", (-2, 3, 1), (-2, 5, None), SEASON, "Region Stockholm",
          EXTERNAL, (), "Mall: vår N−2"),
    _Step("R01", "Uppdatering av prioriteringslistan inför infrastrukturpropositionen",
          "Refresh of the priority list before the infrastructure bill", (-2, 5, 1), (-2, 6, None), RANGE,
          "Trafiknätverket", INTERNAL, ("M09",), "Mall: lätt uppdatering, samma kriterier (research 5.2)"),
    _Step("E05", "Infrastrukturproposition (ramar {P})", "Infrastructure bill (frames)", (-2, 9, 1),
          (-2, 11, None), SEASON, "Regeringen", EXTERNAL, ("E02",), "Mall: hösten N−2 (3 oktober 2024 för N=2026)"),
    _Step("E06", "Riksdagsbeslut om ramar", "Riksdag decides frames", (-2, 11, 1), (-2, 12, None), RANGE,
          "Riksdagen", EXTERNAL, ("E05",), "Mall: november–december N−2"),
    _Step("E07", "Direktiv för åtgärdsplanering; Trafikverkets regionala dialoger",
          "Directive for åtgärdsplanering; dialogues", (-1, 1, 1), (-1, 6, None), RANGE,
          "Regeringen/Trafikverket", EXTERNAL, ("E06",), "Mall: vår–sommar N−1"),
    _Step("R02", "Uppdatering av prioriteringslistan inför åtgärdsplaneringens dialoger",
          "Refresh of the priority list before the åtgärdsplanering dialogues", (-1, 1, 1), (-1, 2, None), RANGE,
          "Trafiknätverket", INTERNAL, ("R01",), "Mall: början av N−1 (research 5.2)"),
    _Step("E08", "Trafikverkets förslag till nationell plan {P} (remiss)", "Trafikverket NP proposal (remiss)",
          (-1, 9, 1), (-1, 11, None), SEASON, "Trafikverket", EXTERNAL, ("E07",),
          "Mall: hösten N−1 (31 aug 2017, 30 nov 2021, 30 sep 2025)"),
    _Step("E09", "Förslag till länsplan {P} – remiss", "LP proposal – remiss", (-1, 9, 1), (-1, 12, None), RANGE,
          "Region Stockholm", EXTERNAL, ("E07",), "Mall: september–december N−1"),
    _Step("R03", "Remissvar på förslagen till nationell plan och länsplan (uppdaterad lista)",
          "Remiss answers on the NP and LP proposals (refreshed list)", (-1, 10, 1), (-1, 12, None), RANGE,
          "Södertörnskommunerna", INTERNAL, ("R02", "E08", "E09"), "Mall: cirka tre månaders remiss (research 5.2)"),
    _Step("E10", "Regeringen fastställer nationell plan {P}", "Government adopts NP", (0, 3, 1), (0, 6, None),
          SEASON, "Regeringen", EXTERNAL, ("E08",), "Mall: vår–juni N"),
    _Step("E12", "Region Stockholm fastställer länsplan {P}", "Region adopts LP", (0, 6, 1), (0, 12, None), RANGE,
          "Region Stockholm", EXTERNAL, ("E10",), "Mall: hösten N"),
    _Step("R04", "Uppföljning efter beslutet om nationell plan: vilka objekt fick finansiering",
          "Post-decision review: which objects got funding", (0, 6, 1), (0, 8, None), SEASON, "Trafiknätverket",
          INTERNAL, ("E10",), "Mall: sommaren N; underlag till nästa omgångs planeringsläge (research 5.2)"),
)


def plan_period(n: int) -> str:
    """The plan period of the round starting in ``n``: "2030–2041"."""
    return f"{n}–{n + 11}"


def decision_winter(n: int) -> str:
    """The winter of the decision for plan round ``n``: "2027/28" for n = 2030."""
    return f"{n - 3}/{(n - 2) % 100:02d}"


def _day(n: int, spec: tuple[int, int, int | None]) -> date:
    offset, month, day = spec
    first = date(n + offset, month, 1)
    return month_end(first) if day is None else first.replace(day=day)


def round_template(n: int) -> tuple[Milestone, ...]:
    """The milestones of a new round for the plan round starting in year ``n`` (plan period
    n–n+11), all planned. Raises ``ValueError`` for a year outside 2000–2200."""
    if isinstance(n, bool) or not isinstance(n, int) or not MIN_YEAR <= n <= MAX_YEAR:
        raise ValueError(f"the first plan year must be a whole number between {MIN_YEAR} and {MAX_YEAR}, got {n!r}")
    fill = {"N": n, "P": plan_period(n), "W": decision_winter(n)}
    out = []
    for s in _STEPS:
        out.append(Milestone(id=s.id, title_sv=s.title_sv.format(**fill), title_en=s.title_en,
                             start=_day(n, s.start), end=_day(n, s.end), precision=s.precision, owner=s.owner,
                             kind=s.kind, depends_on=s.depends_on, decision=s.decision,
                             source=s.source.replace("Mall:", f"Mall, N = {n}:", 1)))
    return tuple(out)


FIRST_PLAN_YEAR, PLAN_CYCLE = 2018, 4  # plan rounds start in 2018, 2022, 2026, ...


def default_plan_year(today: date) -> int:
    """The next plan round whose decision winter (N−3/N−2) has not started: 2030 during 2026."""
    n = FIRST_PLAN_YEAR
    while n - 3 < today.year:
        n += PLAN_CYCLE
    return n
