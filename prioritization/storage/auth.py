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
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from prioritization.storage import audit, sessions
from prioritization.storage.access import FACILITATOR, MUNICIPALITY, PARTICIPANT, VIEWER, Actor, require_facilitator
from prioritization.storage.errors import StorageInputError
from prioritization.storage.rounds import get_round
from prioritization.storage.schema import Invitation, Participant, Setting, utcnow
from prioritization.storage.sessions import require_live, token_hash

if TYPE_CHECKING:
    from prioritization.storage.database import Database

PASSWORD_KEY = "facilitator_password"
FAILURES_KEY = "facilitator_password_failures"
# Wrong passwords are counted per client (a browser, by its network address when the server knows
# it): one client's guesses slow that client down, never the facilitator at another. After
# CLIENT_FAILURES wrong ones within CLIENT_WINDOW the client waits CLIENT_FIRST_WAIT, doubling with
# each further failure up to CLIENT_MAX_WAIT. Against guessing from many clients, password sign-in
# pauses for everyone once ALL_FAILURES wrong passwords arrived within ALL_WINDOW; whoever runs the
# server ends the pause with ``prioritization reset-password`` (which also sets a new password).
CLIENT_FAILURES = 5
CLIENT_WINDOW = 15 * 60
CLIENT_FIRST_WAIT = 60
CLIENT_MAX_WAIT = 15 * 60
ALL_FAILURES = 100
ALL_WINDOW = 60 * 60
MAX_CLIENTS_KEPT = 5000  # the failure record stays small whatever an attacker sends
MIN_PASSWORD = 10
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def _hash_password(password: str, salt: bytes) -> str:
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def password_is_set(db: Database) -> bool:
    with db.reader() as s:
        return s.get(Setting, PASSWORD_KEY) is not None


def set_facilitator_password(db: Database, password: str, *, actor: Actor | None = None) -> None:
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


def _client_key(client: str) -> str:
    """Clients are kept as a short hash, not as network addresses."""
    return hashlib.sha256(("client:" + client).encode("utf-8")).hexdigest()[:16]


def _failures(row: Setting | None, now: float) -> tuple[dict[str, list[float]], list[float]]:
    """(per client, all) wrong-password times still inside their windows."""
    try:
        data = json.loads(row.value) if row is not None else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):  # the record of an older version (a list of times): start afresh
        data = {}
    clients = {k: [t for t in v if now - t < CLIENT_WINDOW] for k, v in dict(data.get("clients", {})).items()}
    return {k: v for k, v in clients.items() if v}, [t for t in data.get("all", []) if now - t < ALL_WINDOW]


def client_wait(times: list[float], now: float) -> float:
    """Seconds a client with these recent failures must still wait before its next attempt."""
    extra = len(times) - CLIENT_FAILURES
    if extra < 0:
        return 0.0
    return max(0.0, max(times) + min(CLIENT_MAX_WAIT, CLIENT_FIRST_WAIT * 2 ** extra) - now)


def _minutes(seconds: float) -> int:
    return max(1, math.ceil(seconds / 60))


def check_facilitator_password(db: Database, password: str, *, client: str, now: float | None = None) -> bool:
    """True for the right password. A client that has just given CLIENT_FAILURES wrong passwords is
    refused (StorageInputError "too_many_attempts", with the minutes to wait) before the password is
    even compared; so is everyone once ALL_FAILURES wrong passwords arrived from all clients
    ("sign_in_paused", until the oldest leaves the window or ``reset-password``)."""
    now = time.time() if now is None else now
    key = _client_key(client)
    with db.session() as s:
        # the password row is locked: checks are serialised, so concurrent failures are all counted
        # (the failure record may not exist yet, and a missing row cannot be locked)
        row = s.get(Setting, PASSWORD_KEY, with_for_update=True)
        if row is None:
            return False
        failures_row = s.get(Setting, FAILURES_KEY)
        clients, everyone = _failures(failures_row, now)
        if len(everyone) >= ALL_FAILURES:
            wait = min(everyone) + ALL_WINDOW - now
            raise StorageInputError("sign_in_paused", "password sign-in is paused after too many wrong passwords "
                                    f"from many clients; try again in {_minutes(wait)} min, or reset the password "
                                    "on the server (prioritization reset-password)", minutes=_minutes(wait))
        if (wait := client_wait(clients.get(key, []), now)) > 0:
            raise StorageInputError("too_many_attempts", f"too many wrong passwords; try again in {_minutes(wait)} min",
                                    minutes=_minutes(wait))
        _, salt_b64, _ = row.value.split("$")
        ok = hmac.compare_digest(_hash_password(password, base64.b64decode(salt_b64)), row.value)
        if ok:
            clients.pop(key, None)
        else:
            clients[key] = clients.get(key, []) + [now]
            everyone.append(now)
            if len(clients) > MAX_CLIENTS_KEPT:  # forget the clients that failed longest ago
                clients = dict(sorted(clients.items(), key=lambda kv: max(kv[1]))[-MAX_CLIENTS_KEPT:])
        value = json.dumps({"clients": clients, "all": everyone})
        if failures_row is None:
            s.add(Setting(key=FAILURES_KEY, value=value))
        else:
            failures_row.value = value
        if not ok and len(clients[key]) == CLIENT_FAILURES:
            audit.record(s, Actor(FACILITATOR, "sign-in"), None, "auth.client_backoff")
        if not ok and len(everyone) == ALL_FAILURES:
            audit.record(s, Actor(FACILITATOR, "sign-in"), None, "auth.lockout")
        return ok


def reset_facilitator_password(db: Database, password: str) -> int:
    """For whoever runs the server (the command line, not the app): set a new facilitator password,
    forget every wrong-password count and end every facilitator sign-in. Returns the number of
    sessions ended."""
    if len(password) < MIN_PASSWORD:
        raise StorageInputError("password_too_short", f"the password needs at least {MIN_PASSWORD} characters",
                                minimum=MIN_PASSWORD)
    with db.session() as s:
        value = _hash_password(password, secrets.token_bytes(16))
        row = s.get(Setting, PASSWORD_KEY, with_for_update=True)
        if row is None:
            s.add(Setting(key=PASSWORD_KEY, value=value))
        else:
            row.value = value
        if (failures := s.get(Setting, FAILURES_KEY)) is not None:
            s.delete(failures)
        ended = sessions.end_role(s, FACILITATOR)
        audit.record(s, Actor(FACILITATOR, "command line"), None, "auth.password_reset")
        return ended


@dataclass(frozen=True)
class InvitationInfo:
    id: int
    round_id: int
    role: str
    participant_key: str | None
    label: str | None
    revoked: bool
    municipality: str | None = None  # a municipal representative's municipality (its id)


def invite(db: Database, actor: Actor, round_id: int, role: str, participant_key: str | None = None,
           label: str | None = None, *, municipality: str | None = None) -> str:
    """Create an invitation; returns the token (shown once, as a link and QR code). A participant's
    names the participant (``participant_key``), a municipal representative's the member
    municipality of the round's committee (``municipality``, its id)."""
    require_facilitator(actor)
    if role not in (PARTICIPANT, VIEWER, MUNICIPALITY):
        raise StorageInputError("bad_role", f"an invitation is for a participant, a viewer or a municipality, "
                                f"not {role!r}", role=role)
    with db.session() as s:
        require_live(s, actor)
        r = get_round(s, round_id)
        pid = None
        if role == PARTICIPANT:
            p = s.scalar(select(Participant).where(Participant.round_id == round_id, Participant.key == participant_key))
            if p is None:
                raise StorageInputError("unknown_participant", f"unknown participant {participant_key!r}",
                                        participant=participant_key)
            pid = p.id
        if role == MUNICIPALITY:
            members = [m.get("id") for m in (r.committee or {}).get("municipalities") or [] if isinstance(m, dict)]
            if not municipality or municipality not in members:
                raise StorageInputError("unknown_municipality", f"{municipality!r} is not a member municipality "
                                        "of this round's committee", municipality=municipality)
        elif municipality is not None:
            raise StorageInputError("bad_role", f"only a municipality's invitation names a municipality, not a "
                                    f"{role}'s", role=role)
        _, token = _new_invitation(s, actor, round_id, role, pid, label or participant_key or municipality or role,
                                   label=label, municipality=municipality)
    return token


def _new_invitation(s: Session, actor: Actor, round_id: int, role: str, participant_id: int | None, said_as: str,
                    *, label: str | None = None, now: datetime | None = None,
                    municipality: str | None = None) -> tuple[Invitation, str]:
    """Inside a transaction: one new invitation, audited as ``said_as``; returns it (flushed, so it
    has its id, and a clash of tokens fails here) and its token, which is never stored: only its
    SHA-256 is."""
    token = secrets.token_urlsafe(24)
    inv = Invitation(round_id=round_id, role=role, participant_id=participant_id, label=label,
                     token_hash=token_hash(token), created_at=now or utcnow(), municipality=municipality)
    s.add(inv)
    s.flush()
    audit.record(s, actor, round_id, "invitation.create", said_as)
    return inv, token


@dataclass(frozen=True)
class NewInvitation:
    """An invitation just made for a participant, with its token (returned once, never stored)."""

    id: int
    participant_key: str
    name: str
    organisation: str | None
    created_at: datetime
    token: str = field(repr=False)


def invite_all_participants(db: Database, actor: Actor, round_id: int) -> tuple[list[NewInvitation], int]:
    """A new invitation for every participant of the round (in the round's order), and every
    earlier participant invitation of the round revoked, in one transaction: all of it or nothing
    (a failure anywhere leaves the old links working and no new one). Viewer invitations are left
    alone. Revoking ends the sessions signed in with the old links (``sessions``), so afterwards
    only the new links work. Returns (the new invitations with their tokens, how many earlier
    participant invitations were revoked)."""
    require_facilitator(actor)
    with db.session() as s:
        require_live(s, actor)
        get_round(s, round_id, for_update=True)
        people = s.scalars(select(Participant).where(Participant.round_id == round_id)
                           .order_by(Participant.position, Participant.id)).all()
        if not people:
            raise StorageInputError("no_participants", f"round {round_id} has no participants to invite",
                                    round_id=round_id)
        now = utcnow()
        earlier = s.scalars(select(Invitation).where(Invitation.round_id == round_id, Invitation.role == PARTICIPANT,
                                                     Invitation.revoked_at.is_(None))
                            .order_by(Invitation.id)).all()
        keys = {p.id: p.key for p in people}
        for inv in earlier:
            inv.revoked_at = now
            audit.record(s, actor, round_id, "invitation.revoke", keys.get(inv.participant_id) or str(inv.id))
        made = []
        for p in people:
            inv, token = _new_invitation(s, actor, round_id, PARTICIPANT, p.id, p.key, now=now)
            made.append(NewInvitation(inv.id, p.key, p.name, p.organisation, now, token))
    return made, len(earlier)


def list_invitations(db: Database, actor: Actor, round_id: int) -> list[InvitationInfo]:
    require_facilitator(actor)
    with db.reader() as s:
        keys = {p.id: p.key for p in s.scalars(select(Participant).where(Participant.round_id == round_id))}
        return [InvitationInfo(i.id, i.round_id, i.role, keys.get(i.participant_id), i.label, i.revoked_at is not None,
                               i.municipality)
                for i in s.scalars(select(Invitation).where(Invitation.round_id == round_id).order_by(Invitation.id))]


def revoke(db: Database, actor: Actor, invitation_id: int) -> None:
    require_facilitator(actor)
    with db.session() as s:
        require_live(s, actor)  # a revoked or signed-out tab writes nothing
        inv = s.get(Invitation, invitation_id)
        if inv is None:
            raise StorageInputError("no_such_invitation", f"there is no invitation {invitation_id}")
        if inv.revoked_at is None:
            inv.revoked_at = utcnow()
            audit.record(s, actor, inv.round_id, "invitation.revoke", inv.label or str(inv.id))


def actor_for_token(db: Database, token: str) -> Actor | None:
    """The actor an invitation link stands for, or None (unknown or revoked token). The app signs
    in with ``sessions.sign_in_with_invitation``, which starts a session bound to the link."""
    if not token or len(token) > sessions.MAX_TOKEN:
        return None
    with db.reader() as s:
        inv = s.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
        return None if inv is None else sessions.invitation_actor(s, inv, None)
