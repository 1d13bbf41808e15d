"""An object's place in the plan process (issue 14): plan references, planning stage, ÅVS, SEB,
evidence level, cost range, financing, dependencies, links, when the facts were last verified and
the re-evaluations closed. Immutable; :mod:`prioritization.planning.fileformat` reads and writes the
object's ``plan`` key (docs/project-file.md#plan).

Every figure carries what makes it comparable (evidence level, ASEK version, price level): a bare
NNK or cost is never compared with another (:mod:`prioritization.planning.comparability`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from prioritization.planning.vocab import SETBACK_PHASES


@dataclass(frozen=True)
class PlanRef:
    """The object in a plan: ``plan`` NP or LP, ``period`` "2026–2037", the plan's own id (Bilaga 1's
    Objekt ID), its phase there, the cost the plan gives (MSEK; Bilaga 1's total includes external
    funding), and where this was read (a web address or a reference such as "Skr. 2025/26:259, bilaga 1")."""

    plan: str
    period: str
    objekt_id: str | None = None
    phase: str | None = None
    cost_msek: float | None = None
    cost_incl_external: bool | None = None
    source: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        """One reference per plan and period."""
        return self.plan, self.period

    @property
    def setback(self) -> bool:
        return self.phase in SETBACK_PHASES


@dataclass(frozen=True)
class Avs:
    """The åtgärdsvalsstudie: status, Trafikverket's report number ("TRV 2020:115"), year, the
    fyrsteg steps it recommends, its conclusion and a link."""

    status: str
    report_no: str | None = None
    year: int | None = None
    steps: tuple[int, ...] = ()
    recommendation: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Seb:
    """The samhällsekonomisk bedömning: NNK (nettonuvärdeskvot), NNV (MSEK), the ASEK version and
    price level the values are computed in, its date, a summary of the non-monetised effects, a link."""

    nnk: float | None = None
    nnv: float | None = None
    asek_version: str | None = None
    price_level: str | None = None  # "2017" or "2017-06"
    date: date | None = None
    summary: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class CostRange:
    """The range around the object's cost (the point, ``InfraObject.cost``), the price level it is in,
    how it was estimated (successivkalkyl, grov kostnadsindikation, other) and its source."""

    low: float | None = None
    high: float | None = None
    price_level: str | None = None
    method: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Financing:
    """One party's share: ``party`` state, region, ``municipality:<name>``, congestion_charge, eu,
    private or other; MSEK; how firm it is (idea, letter of intent, agreement, paid)."""

    party: str
    status: str
    amount_msek: float | None = None
    reference: str | None = None


@dataclass(frozen=True)
class Link:
    kind: str
    url: str
    title: str | None = None


@dataclass(frozen=True)
class Verified:
    """When the facts were last checked, and by whom."""

    date: date
    by: str


@dataclass(frozen=True)
class Review:
    """A closed re-evaluation ("omprövas"): what changed since ``baseline`` (a frozen version's
    SHA-256), the decision (keep, rescore, remove), why, when and by whom. A flag whose changes are
    exactly those of a review against the same baseline is closed (:mod:`.reevaluation`)."""

    baseline: str
    changes: tuple[str, ...]
    decision: str
    reason: str
    date: date
    by: str


@dataclass(frozen=True)
class PlanData:
    """Everything the plan process knows about one object; all parts optional."""

    refs: tuple[PlanRef, ...] = ()
    stage: str | None = None
    stage_note: str | None = None  # free text, e.g. a planning status written before issue 14
    avs: Avs | None = None
    seb: Seb | None = None
    evidence: str | None = None
    cost: CostRange | None = None
    financing: tuple[Financing, ...] = ()
    requires: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    package: str | None = None
    links: tuple[Link, ...] = ()
    verified: Verified | None = None
    reviews: tuple[Review, ...] = ()

    def ref(self, plan: str, period: str) -> PlanRef | None:
        return next((r for r in self.refs if r.key == (plan, period)), None)

    def ref_by_id(self, objekt_id: str) -> PlanRef | None:
        return next((r for r in self.refs if r.objekt_id == objekt_id), None)

    @property
    def is_empty(self) -> bool:
        return self == PlanData()


EMPTY = PlanData()
