"""Database tables (SQLAlchemy 2 declarative). Migrations live in ``storage/migrations``.

A *round* (prioriteringsomgång) holds what a project file holds, plus workshop state: Delphi phases
of the scores, agreed scores with notes, per-participant weights, frozen versions, invitations and
an audit log. Criterion/object/participant ``key`` columns are the ids of the project file.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ROUND_STATUSES = ("setup", "scoring", "revealed", "second_round", "locked")


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Round(Base):
    __tablename__ = "rounds"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    data_label: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="setup")
    aggregation: Mapped[str] = mapped_column(String(20), default="mean")
    weights: Mapped[dict] = mapped_column(JSON)  # the weights in use, format-v1 "weights" object
    tiers: Mapped[dict | None] = mapped_column(JSON)  # format-v1 "tiers" object (levels A/B/C), if set
    revealed_phase: Mapped[int] = mapped_column(Integer, default=0)  # highest phase whose distribution is visible
    row_version: Mapped[int] = mapped_column(Integer, default=1)  # optimistic locking of set-up edits
    # what the facilitator writes of the committee's round after the summer (issue 13), format-v1
    # ``committee`` data: municipalities, input_window, local_points, checklist, screening, drafts,
    # decision. What the municipalities write is kept in rows of their own (Allocation, Proposal,
    # Wish, Stance), one per municipality and object/version, so they can write at the same time.
    committee: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    __table_args__ = (CheckConstraint(f"status IN {ROUND_STATUSES}", name="round_status"),)


class Criterion(Base):
    __tablename__ = "criteria"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)  # the format-v1 criterion object
    __table_args__ = (UniqueConstraint("round_id", "key"),)


class Object(Base):
    __tablename__ = "objects"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)  # the format-v1 object (id, name, cost, status, attributes)
    __table_args__ = (UniqueConstraint("round_id", "key"),)


class Participant(Base):
    __tablename__ = "participants"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    organisation: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(320))  # hosted mode: OIDC e-mail -> participant
    weights: Mapped[dict | None] = mapped_column(JSON)  # the participant's own weights, format-v1 object
    # the object the participant was scoring last, so a reload, a new device or a server restart
    # returns them there (kept per participant, not per browser session)
    current_object: Mapped[str | None] = mapped_column(String(100))
    __table_args__ = (UniqueConstraint("round_id", "key"),)


class Score(Base):
    """One participant's score for one cell in one Delphi phase (1 = first round, 2 = second)."""

    __tablename__ = "scores"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    object_id: Mapped[int] = mapped_column(ForeignKey("objects.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"))
    phase: Mapped[int] = mapped_column(Integer, default=1)
    value: Mapped[float | None] = mapped_column(Float)  # None = "vet ej"
    comment: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # 1 at the first write of the cell, +1 at every change: a write names the revision it saw, so a
    # stale or replayed write is refused instead of overwriting a newer value
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __table_args__ = (
        UniqueConstraint("participant_id", "object_id", "criterion_id", "phase", name="one_score_per_cell"),
        CheckConstraint("phase IN (1, 2)", name="score_phase"),
    )


class AgreedScore(Base):
    """The facilitator's agreed (consensus) score for a cell, with a note."""

    __tablename__ = "agreed_scores"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    object_id: Mapped[int] = mapped_column(ForeignKey("objects.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id", ondelete="CASCADE"))
    value: Mapped[float] = mapped_column(Float)
    comment: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    __table_args__ = (UniqueConstraint("object_id", "criterion_id", name="one_agreed_score_per_cell"),)


class WeightProfile(Base):
    __tablename__ = "weight_profiles"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)  # format-v1 weight profile
    __table_args__ = (UniqueConstraint("round_id", "key"),)


class Milestone(Base):
    __tablename__ = "milestones"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)


class FollowUp(Base):
    """The follow-up (bevakning) of one object after the decision: the format-v1 ``follow_up`` entry
    (responsible, note, dated steps). ``key`` is the object id; one row per followed-up object."""

    __tablename__ = "follow_ups"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict] = mapped_column(JSON)
    __table_args__ = (UniqueConstraint("round_id", "key"),)


class Version(Base):
    """A frozen, immutable snapshot of a round (canonical project file, its SHA-256 and a seal)."""

    __tablename__ = "versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    project_json: Mapped[str] = mapped_column(Text)
    # HMAC-SHA256 (storage.seal) over id, round, name, author, time and sha256, with a key kept
    # outside the database; None for versions frozen before seals existed (checked against the
    # audit log only)
    seal: Mapped[str | None] = mapped_column(String(64))


class AuditEntry(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(100))
    target: Mapped[str | None] = mapped_column(String(300))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class Invitation(Base):
    """A link token (stored only as its SHA-256) giving a participant, a viewer or a municipal
    representative (``municipality``: the municipality's id) access."""

    __tablename__ = "invitations"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    label: Mapped[str | None] = mapped_column(String(300))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    municipality: Mapped[str | None] = mapped_column(String(100))
    __table_args__ = (CheckConstraint("role IN ('participant', 'viewer', 'municipality')", name="invitation_role"),)


class WebSession(Base):
    """A signed-in browser: the cookie holds a random token, only its SHA-256 is stored.

    A session is bound to what signed it in (an invitation, or the facilitator password), so that
    revoking the invitation, removing the participant or signing out ends it at once: it is
    checked on every page run and on every write (``storage.sessions``).
    """

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (CheckConstraint("role IN ('facilitator', 'participant', 'viewer', 'municipality')",
                                      name="session_role"),)


# --- the committee's round after the summer (issue 13): what the municipalities write -------------
# One row per municipality and object (or version), so that eight municipalities writing at once
# never overwrite one another; ``municipality`` is the id in ``Round.committee``'s municipalities,
# ``object`` an object's key. ``storage.committee`` checks the whole section on every write.


class Allocation(Base):
    """Local input points a municipality gives an object, with its rationale."""

    __tablename__ = "allocations"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    municipality: Mapped[str] = mapped_column(String(100))
    object: Mapped[str] = mapped_column(String(100))
    points: Mapped[int] = mapped_column(Integer)
    rationale: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    __table_args__ = (UniqueConstraint("round_id", "municipality", "object", name="one_allocation_per_object"),
                      CheckConstraint("points > 0", name="allocation_points"))


class Proposal(Base):
    """A new candidate object a municipality proposes (``key`` e.g. "F-001"); ``data`` holds the
    format-v1 fields name, need, location, mode, cost, plan_channel and links."""

    __tablename__ = "proposals"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    municipality: Mapped[str] = mapped_column(String(100))
    data: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    reason: Mapped[str | None] = mapped_column(Text)
    object: Mapped[str | None] = mapped_column(String(100))  # the object it became, once accepted
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (UniqueConstraint("round_id", "key", name="one_proposal_per_key"),
                      CheckConstraint("status IN ('proposed', 'accepted', 'declined')", name="proposal_status"))


class Wish(Base):
    """A municipality's wish or comment on an existing object."""

    __tablename__ = "wishes"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    municipality: Mapped[str] = mapped_column(String(100))
    object: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("round_id", "municipality", "object", name="one_wish_per_object"),)


class Stance(Base):
    """A municipality's reply to a draft list (a frozen version, by its SHA-256): its stance, an
    optional comment overall and per object (``object_comments``), and the reference of its own
    decision (``decision``: format-v1 body, date, reference)."""

    __tablename__ = "stances"
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    municipality: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(64))
    stance: Mapped[str] = mapped_column(String(30))
    comment: Mapped[str | None] = mapped_column(Text)
    object_comments: Mapped[dict | None] = mapped_column(JSON)
    decision: Mapped[dict | None] = mapped_column(JSON)
    replied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (UniqueConstraint("round_id", "municipality", "version", name="one_stance_per_version"),
                      CheckConstraint("stance IN ('support', 'support_with_comments', 'oppose')",
                                      name="stance_value"))


class Setting(Base):
    """Installation-wide settings, e.g. the facilitator password hash."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
