"""Embedded-mode authentication: a facilitator password (scrypt hash) and invitation links.

Tokens are random (``secrets.token_urlsafe``) and only their SHA-256 is stored; a link can be
revoked. Hosted mode uses OIDC (``st.login``) and maps e-mail addresses to roles instead.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import select

from prioritization.storage import audit, sessions
from prioritization.storage.access import FACILITATOR, PARTICIPANT, VIEWER, Actor, require_facilitator
from prioritization.storage.errors import StorageInputError
from prioritization.storage.rounds import get_round
from prioritization.storage.schema import Invitation, Participant, Setting, utcnow
from prioritization.storage.sessions import token_hash

PASSWORD_KEY = "facilitator_password"
FAILURES_KEY = "facilitator_password_failures"
MAX_FAILURES = 5
LOCKOUT_SECONDS = 5 * 60
MIN_PASSWORD = 10
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def _hash_password(password: str, salt: bytes) -> str:
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def password_is_set(db) -> bool:
    with db.reader() as s:
        return s.get(Setting, PASSWORD_KEY) is not None


def set_facilitator_password(db, password: str, *, actor: Actor | None = None) -> None:
    """First start: anyone may set it once. Later only a facilitator may change it."""
    if len(password) < MIN_PASSWORD:
        raise StorageInputError("password_too_short", f"the password needs at least {MIN_PASSWORD} characters",
                                minimum=MIN_PASSWORD)
    with db.session() as s:
        row = s.get(Setting, PASSWORD_KEY)
        if row is not None:
            if actor is None:
                raise StorageInputError("password_already_set", "the facilitator password is already set")
            require_facilitator(actor)
        value = _hash_password(password, secrets.token_bytes(16))
        if row is None:
            s.add(Setting(key=PASSWORD_KEY, value=value))
        else:
            row.value = value
        audit.record(s, actor or Actor(FACILITATOR, "first start"), None, "auth.password_set")


def check_facilitator_password(db, password: str, *, now: float | None = None) -> bool:
    """True for the right password. After MAX_FAILURES wrong ones within LOCKOUT_SECONDS every
    attempt is refused (StorageInputError "too_many_attempts") until the window has passed."""
    now = time.time() if now is None else now
    with db.session() as s:
        row = s.get(Setting, PASSWORD_KEY)
        if row is None:
            return False
        failures_row = s.get(Setting, FAILURES_KEY)
        failures = [t for t in json.loads(failures_row.value) if now - t < LOCKOUT_SECONDS] if failures_row else []
        if len(failures) >= MAX_FAILURES:
            wait = max(1, math.ceil((LOCKOUT_SECONDS - (now - min(failures))) / 60))
            raise StorageInputError("too_many_attempts", f"too many wrong passwords; try again in {wait} min",
                                    minutes=wait)
        _, salt_b64, _ = row.value.split("$")
        ok = hmac.compare_digest(_hash_password(password, base64.b64decode(salt_b64)), row.value)
        failures = [] if ok else failures + [now]
        if failures_row is None:
            s.add(Setting(key=FAILURES_KEY, value=json.dumps(failures)))
        else:
            failures_row.value = json.dumps(failures)
        if not ok and len(failures) == MAX_FAILURES:
            audit.record(s, Actor(FACILITATOR, "sign-in"), None, "auth.lockout")
        return ok


@dataclass(frozen=True)
class InvitationInfo:
    id: int
    round_id: int
    role: str
    participant_key: str | None
    label: str | None
    revoked: bool


def invite(db, actor: Actor, round_id: int, role: str, participant_key: str | None = None,
           label: str | None = None) -> str:
    """Create an invitation; returns the token (shown once, as a link and QR code)."""
    require_facilitator(actor)
    if role not in (PARTICIPANT, VIEWER):
        raise StorageInputError("bad_role", f"an invitation is for a participant or a viewer, not {role!r}", role=role)
    token = secrets.token_urlsafe(24)
    with db.session() as s:
        get_round(s, round_id)
        pid = None
        if role == PARTICIPANT:
            p = s.scalar(select(Participant).where(Participant.round_id == round_id, Participant.key == participant_key))
            if p is None:
                raise StorageInputError("unknown_participant", f"unknown participant {participant_key!r}",
                                        participant=participant_key)
            pid = p.id
        s.add(Invitation(round_id=round_id, role=role, participant_id=pid, label=label, token_hash=token_hash(token)))
        audit.record(s, actor, round_id, "invitation.create", label or participant_key or role)
    return token


def list_invitations(db, actor: Actor, round_id: int) -> list[InvitationInfo]:
    require_facilitator(actor)
    with db.reader() as s:
        keys = {p.id: p.key for p in s.scalars(select(Participant).where(Participant.round_id == round_id))}
        return [InvitationInfo(i.id, i.round_id, i.role, keys.get(i.participant_id), i.label, i.revoked_at is not None)
                for i in s.scalars(select(Invitation).where(Invitation.round_id == round_id).order_by(Invitation.id))]


def revoke(db, actor: Actor, invitation_id: int) -> None:
    require_facilitator(actor)
    with db.session() as s:
        inv = s.get(Invitation, invitation_id)
        if inv is None:
            raise StorageInputError("no_such_invitation", f"there is no invitation {invitation_id}")
        if inv.revoked_at is None:
            inv.revoked_at = utcnow()
            audit.record(s, actor, inv.round_id, "invitation.revoke", inv.label or str(inv.id))


def actor_for_token(db, token: str) -> Actor | None:
    """The actor an invitation link stands for, or None (unknown or revoked token). The app signs
    in with ``sessions.sign_in_with_invitation``, which starts a session bound to the link."""
    if not token or len(token) > sessions.MAX_TOKEN:
        return None
    with db.reader() as s:
        inv = s.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
        return None if inv is None else sessions.invitation_actor(s, inv, None)
