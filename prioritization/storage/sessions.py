"""Browser sessions that survive reloads and server restarts, and end when access ends.

Signing in (an invitation link, the facilitator password) starts a session: a random token for the
browser's cookie, of which only the SHA-256 is stored. A session is bound to what signed it in, so
revoking the invitation, removing the participant (which deletes the invitation) or signing out
ends it at once:

* :func:`resume` turns a cookie back into an :class:`Actor` on every page run, or None;
* :func:`require_live` is called inside the write transactions of storage, so a page that is
  still open after the session ended cannot write either.

Hosted sign-in (OIDC) keeps Streamlit's own identity cookie and needs no session here.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from prioritization.storage.access import FACILITATOR, MUNICIPALITY, PARTICIPANT, VIEWER, AccessDenied, Actor
from prioritization.storage.schema import Invitation, Participant, Round, WebSession, utcnow

if TYPE_CHECKING:
    from prioritization.storage.database import Database

# A facilitator's session lasts a working day; an invited participant's, viewer's or municipal
# representative's a fortnight (the workshop and the days after it), unless the invitation is
# revoked first.
FACILITATOR_TTL = timedelta(hours=12)
INVITED_TTL = timedelta(days=14)
MAX_TOKEN = 200


def token_hash(token: str) -> str:
    """What is stored of a token (invitation links and session cookies alike): its SHA-256."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(t: datetime) -> datetime:
    """SQLite returns naive datetimes for timezone-aware columns: they are UTC."""
    return t if t.tzinfo is not None else t.replace(tzinfo=UTC)


def _start(s: Session, role: str, invitation_id: int | None, ttl: timedelta, now: datetime) -> tuple[str, int]:
    token = secrets.token_urlsafe(32)
    row = WebSession(token_hash=token_hash(token), role=role, invitation_id=invitation_id, created_at=now,
                     expires_at=now + ttl)
    s.add(row)
    s.flush()
    return token, row.id


def _municipality_name(r: Round, municipality: str | None) -> str | None:
    """The name of a member municipality of the round's committee, or None (not a member)."""
    members = (r.committee or {}).get("municipalities") or []
    return next((m.get("name") or municipality for m in members
                 if isinstance(m, dict) and municipality and m.get("id") == municipality), None)


def invitation_actor(s: Session, inv: Invitation, session_id: int | None) -> Actor | None:
    """The actor a live invitation stands for, or None (revoked, its participant removed, or its
    municipality no longer a member of the round's committee)."""
    if inv.revoked_at is not None:
        return None
    if inv.role == PARTICIPANT:
        p = s.get(Participant, inv.participant_id)
        if p is None:
            return None
        return Actor(PARTICIPANT, p.name, round_id=inv.round_id, participant_key=p.key, session_id=session_id)
    r = s.get(Round, inv.round_id)
    if r is None:
        return None
    if inv.role == MUNICIPALITY:
        name = _municipality_name(r, inv.municipality)
        if name is None:
            return None
        return Actor(MUNICIPALITY, inv.label or name, round_id=inv.round_id, municipality=inv.municipality,
                     session_id=session_id)
    return Actor(VIEWER, inv.label or f"viewer of {r.name}", round_id=inv.round_id, session_id=session_id)


def sign_in_with_invitation(db: Database, invitation_token: str, *, now: datetime | None = None) -> tuple[str, Actor] | None:
    """(session token, actor) for a live invitation link, or None (unknown or revoked link)."""
    if not invitation_token or len(invitation_token) > MAX_TOKEN:
        return None
    now = now or utcnow()
    with db.session() as s:
        inv = s.scalar(select(Invitation).where(Invitation.token_hash == token_hash(invitation_token)))
        if inv is None or invitation_actor(s, inv, None) is None:
            return None
        token, sid = _start(s, inv.role, inv.id, INVITED_TTL, now)
        return token, invitation_actor(s, inv, sid)


def sign_in_facilitator(db: Database, name: str, *, now: datetime | None = None) -> tuple[str, Actor]:
    """A session for the facilitator; call only after the password was checked."""
    now = now or utcnow()
    with db.session() as s:
        token, sid = _start(s, FACILITATOR, None, FACILITATOR_TTL, now)
    return token, Actor(FACILITATOR, name, session_id=sid)


def _live(s: Session, row: WebSession | None, now: datetime) -> Actor | None:
    if row is None or row.ended_at is not None or _aware(row.expires_at) <= now:
        return None
    if row.invitation_id is None:
        return Actor(FACILITATOR, "Facilitator", session_id=row.id) if row.role == FACILITATOR else None
    inv = s.get(Invitation, row.invitation_id)
    return None if inv is None else invitation_actor(s, inv, row.id)


def resume(db: Database, token: str | None, *, now: datetime | None = None) -> Actor | None:
    """The actor of a live session token (from the browser's cookie), or None."""
    if not token or len(token) > MAX_TOKEN:
        return None
    with db.reader() as s:
        return _live(s, s.scalar(select(WebSession).where(WebSession.token_hash == token_hash(token))), now or utcnow())


def is_live(db: Database, actor: Actor, *, now: datetime | None = None) -> bool:
    """Whether the actor's session still stands (always True for an actor without a session)."""
    if actor.session_id is None:
        return True
    with db.reader() as s:
        return _same(actor, _live(s, s.get(WebSession, actor.session_id), now or utcnow()))


def _same(actor: Actor, live: Actor | None) -> bool:
    return live is not None and (live.role, live.round_id, live.participant_key, live.municipality) == (
        actor.role, actor.round_id, actor.participant_key, actor.municipality)


def require_live(s: Session, actor: Actor, *, now: datetime | None = None) -> None:
    """Inside a storage transaction: refuse an actor whose session has ended (signed out, expired,
    invitation revoked, participant removed or municipality no longer a member)."""
    if actor.session_id is None:
        return
    if not _same(actor, _live(s, s.get(WebSession, actor.session_id), now or utcnow())):
        raise AccessDenied("session_ended", "your sign-in has ended (link revoked, signed out or expired)")


def end_role(s: Session, role: str) -> int:
    """Inside a transaction: end every open session of a role (a password reset ends every
    facilitator sign-in). Returns how many were ended."""
    rows = s.scalars(select(WebSession).where(WebSession.role == role, WebSession.ended_at.is_(None))).all()
    for row in rows:
        row.ended_at = utcnow()
    return len(rows)


def end(db: Database, token: str | None) -> None:
    """Sign out: the session's token stops working everywhere at once."""
    if not token or len(token) > MAX_TOKEN:
        return
    with db.session() as s:
        row = s.scalar(select(WebSession).where(WebSession.token_hash == token_hash(token)))
        if row is not None and row.ended_at is None:
            row.ended_at = utcnow()
