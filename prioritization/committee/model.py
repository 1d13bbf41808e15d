"""The committee's round after the summer (issue 13) as values: the member municipalities, the input
window, their proposals (behov och önskemål) and wishes, local input points, the screening
(gallring) before scoring, the draft list sent out for anchoring (förankring) with each
municipality's stance, and the committee's decision with every departure from the model explained.

Immutable, like :mod:`prioritization.model`; :mod:`prioritization.committee.fileformat` reads and
writes the project file's ``committee`` section, storage keeps it in tables. Times are aware UTC
datetimes (shown in Europe/Stockholm); dates are calendar dates as decided (no time zone).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

# --- proposals and screening outcomes, stances --------------------------------------------------

PROPOSED, ACCEPTED, DECLINED = "proposed", "accepted", "declined"
PROPOSAL_STATUSES = (PROPOSED, ACCEPTED, DECLINED)
PLAN_CHANNELS = ("national", "regional", "municipal", "other", "unknown")

PASSED, PARKED, LET_THROUGH = "passed", "parked", "let_through"
SCREENING_OUTCOMES = (PASSED, PARKED, LET_THROUGH)

SUPPORT, SUPPORT_WITH_COMMENTS, OPPOSE = "support", "support_with_comments", "oppose"
STANCES = (SUPPORT, SUPPORT_WITH_COMMENTS, OPPOSE)  # tillstyrker / tillstyrker med synpunkter / avstyrker

# the default checklist (plan-round-2026.md §4 and §6 no. 3: SMART SCALE screening, the UK EAST):
# (id, Swedish text, English text)
DEFAULT_CHECKLIST = (
    ("need", "Behovet är dokumenterat (SUP, RUFS, ÅVS eller kommunens egen plan)",
     "The need is documented (SUP, RUFS, ÅVS or the municipality's own plan)"),
    ("channel", "Plankanalen är känd (nationell plan, länsplan, kommunal)",
     "The plan channel is known (national plan, regional plan, municipal)"),
    ("four_step", "Steg i fyrstegsprincipen är angivet", "The four-step principle step is stated"),
    ("cost", "Kostnadsuppskattning eller kostnadsklass finns", "A cost estimate or cost class is given"),
)

# local input points: the defaults the facilitator starts from (NCDOT SPOT: 100 points a body)
DEFAULT_BUDGET, DEFAULT_CAP, DEFAULT_SHARE = 100, 40, 0.3


@dataclass(frozen=True)
class Municipality:
    """A member of the cooperation; ``id`` is stable (e.g. ``"huddinge"``), ``name`` is shown."""

    id: str
    name: str


@dataclass(frozen=True)
class InputWindow:
    """When municipalities may submit: opened and closed by the facilitator; ``milestone`` is the
    timeline milestone it stands for (or None). Open while opened and not closed."""

    milestone: str | None = None
    opened_at: datetime | None = None
    closed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None and self.closed_at is None

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


@dataclass(frozen=True)
class LocalPoints:
    """Local input points (off when the committee has none): each municipality has ``budget``
    whole points, at most ``cap`` on one object; ``share`` is s in (1 - s)·T + s·L."""

    budget: int = DEFAULT_BUDGET
    cap: int = DEFAULT_CAP
    share: float = DEFAULT_SHARE


@dataclass(frozen=True)
class Allocation:
    """Points a municipality gives an object, with its short rationale (a political statement:
    public to all once the window has closed)."""

    municipality: str
    object: str
    points: int
    rationale: str | None = None


@dataclass(frozen=True)
class Proposal:
    """A new candidate object proposed by a municipality. ``status`` proposed, accepted (then
    ``object`` is the id it got in the round, None once that object was removed from the round) or
    declined (then ``reason`` says why, to the municipality)."""

    id: str
    municipality: str
    name: str
    need: str
    location: str | None = None
    mode: str | None = None
    cost: float | None = None  # MSEK, rough
    plan_channel: str = "unknown"
    links: tuple[str, ...] = ()
    status: str = PROPOSED
    reason: str | None = None
    object: str | None = None
    submitted_at: datetime | None = None


@dataclass(frozen=True)
class Wish:
    """A municipality's wish or comment on an existing object."""

    municipality: str
    object: str
    text: str


@dataclass(frozen=True)
class Check:
    """One item of the screening checklist."""

    id: str
    text: str
    text_en: str | None = None


@dataclass(frozen=True)
class ScreeningResult:
    """An object's screening: passed, parked (never ranked; the object's status is ``parked``) or
    let through against the checklist; ``failed`` are the checks it does not meet; ``reason`` is
    required when parked or let through."""

    object: str
    outcome: str
    failed: tuple[str, ...] = ()
    reason: str | None = None


@dataclass(frozen=True)
class Draft:
    """A frozen version sent out as the draft list (remissversion) with a reply date; ``closed_at``
    set when no more replies are taken."""

    version: str  # the version's SHA-256
    version_name: str
    sent_at: datetime
    reply_by: date
    closed_at: datetime | None = None

    @property
    def is_out(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True)
class DecisionRef:
    """A body's decision: which body, when, and its paragraph (§) or protocol reference."""

    body: str
    date: date
    reference: str


@dataclass(frozen=True)
class Stance:
    """A municipality's reply to a draft: its stance, an optional comment overall and per object,
    and the reference of its own decision."""

    municipality: str
    version: str
    stance: str
    comment: str | None = None
    object_comments: Mapping[str, str] = field(default_factory=dict)
    decision: DecisionRef | None = None
    replied_at: datetime | None = None


@dataclass(frozen=True)
class DecidedEntry:
    """An object's place in the decided list beside the model's; ``reason`` is required when the
    object was moved or changed tier (:func:`prioritization.committee.decision.moves`)."""

    object: str
    model_rank: int
    rank: int
    model_tier: str | None = None
    tier: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Decision:
    """The committee's decision: the decided version, the decision reference and the decided order."""

    version: str  # the version's SHA-256
    version_name: str
    ref: DecisionRef
    order: tuple[DecidedEntry, ...]
    recorded_at: datetime | None = None


@dataclass(frozen=True)
class Committee:
    """The whole stage: who the members are and everything they and the committee recorded."""

    municipalities: tuple[Municipality, ...] = ()
    window: InputWindow = InputWindow()
    points: LocalPoints | None = None  # None: no local input points in this round
    allocations: tuple[Allocation, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    wishes: tuple[Wish, ...] = ()
    checklist: tuple[Check, ...] = ()
    screening: tuple[ScreeningResult, ...] = ()
    drafts: tuple[Draft, ...] = ()
    stances: tuple[Stance, ...] = ()
    decision: Decision | None = None

    def __bool__(self) -> bool:
        return any((self.municipalities, self.points, self.allocations, self.proposals, self.wishes,
                    self.checklist, self.screening, self.drafts, self.stances, self.decision,
                    self.window != InputWindow()))

    def municipality(self, municipality_id: str) -> Municipality:
        for m in self.municipalities:
            if m.id == municipality_id:
                return m
        raise KeyError(municipality_id)

    def screening_of(self, object_id: str) -> ScreeningResult | None:
        return next((r for r in self.screening if r.object == object_id), None)

    def points_given(self) -> dict[str, int]:
        """Object id -> the sum of the points all municipalities gave it."""
        out: dict[str, int] = {}
        for a in self.allocations:
            out[a.object] = out.get(a.object, 0) + a.points
        return out

    @property
    def current_draft(self) -> Draft | None:
        """The draft out for reply (the latest sent and not closed), if any."""
        return next((d for d in reversed(self.drafts) if d.is_out), None)
