"""Who may do what. Checked inside every repository function, whatever the UI shows.

* facilitator: sets up and runs rounds; reads and writes everything.
* participant: bound to one participant of one round; reads the round's set-up, writes only their
  own scores while scoring is open, and reads other participants' scores only as an anonymous
  distribution after the facilitator has revealed them.
* viewer (committee): read-only; sees results, never writes.
* municipality (a municipal representative, issue 13): bound to one municipality of one round;
  reads like a viewer (the results), plus its own municipality's input. While the input window is
  open it writes only its own municipality's submissions (local input points, proposals, wishes);
  while a draft list is out for reply it records its own municipality's stance. It reads the other
  municipalities' points, proposals and wishes only once the window has closed
  (:func:`may_see_municipal_input`; ``storage.committee``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

FACILITATOR, PARTICIPANT, VIEWER = "facilitator", "participant", "viewer"
MUNICIPALITY = "municipality"  # a municipal representative (issue 13)
ROLES = (FACILITATOR, PARTICIPANT, VIEWER, MUNICIPALITY)


class AccessDenied(PermissionError):
    """The actor may not do this. ``code`` names the rule (for translated UI messages)."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


@dataclass(frozen=True)
class Actor:
    role: str
    name: str  # shown in the audit log
    round_id: int | None = None  # participants and invited viewers are bound to a round
    participant_key: str | None = None
    # the browser session this actor signed in with (storage.sessions); when set, storage checks on
    # every write that the session and the invitation behind it are still live. None: a trusted
    # caller such as the CLI or a test.
    session_id: int | None = field(default=None, compare=False)
    municipality: str | None = None  # a municipal representative's municipality (its id)

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")
        if self.role == PARTICIPANT and (self.round_id is None or self.participant_key is None):
            raise ValueError("a participant actor needs a round and a participant")
        if self.role == MUNICIPALITY and (self.round_id is None or not self.municipality):
            raise ValueError("a municipality actor needs a round and a municipality")

    @property
    def is_facilitator(self) -> bool:
        return self.role == FACILITATOR


def may_see_named_ratings(actor: Actor, status: str) -> bool:
    """The one rule for individual ratings with names (live scores, the project file, frozen
    versions, and everything built from them): the facilitator always; participants and viewers
    once the round is locked. Before that they see ratings only anonymously
    (``prioritization.anonymity``), and only phases that have been revealed. A municipal
    representative reads the results like a viewer."""
    return actor.role == FACILITATOR or (actor.role in (PARTICIPANT, VIEWER, MUNICIPALITY) and status == "locked")


def may_see_municipal_input(actor: Actor, municipality: str, window_closed: bool) -> bool:
    """The one rule for what a municipality submitted in the input window (local input points,
    proposals, wishes): the facilitator always; a municipal representative its own municipality's
    always; everyone with access to the round (other municipalities, participants, viewers) once
    the window has closed (then the points are public political statements, not anonymous scores)."""
    if actor.role == FACILITATOR:
        return True
    if actor.role == MUNICIPALITY and actor.municipality == municipality:
        return True
    return window_closed


def require_facilitator(actor: Actor) -> None:
    if actor.role != FACILITATOR:
        raise AccessDenied("facilitator_only", "only the facilitator may do this")


def require_round(actor: Actor, round_id: int) -> None:
    """Participants and invited viewers only see the round they were invited to."""
    if actor.round_id is not None and actor.round_id != round_id:
        raise AccessDenied("other_round", "this invitation is for another round")


def require_municipality(actor: Actor, round_id: int, municipality: str, *, or_facilitator: bool = False) -> None:
    """A municipality's own submissions are written by its representative in its round only (and,
    with ``or_facilitator``, by the facilitator on its behalf)."""
    if or_facilitator and actor.role == FACILITATOR:
        return
    if actor.role != MUNICIPALITY:
        raise AccessDenied("municipality_only", "only a municipality's representative may do this")
    require_round(actor, round_id)
    if actor.municipality != municipality:
        raise AccessDenied("other_municipality", "a municipality writes only its own submissions")
