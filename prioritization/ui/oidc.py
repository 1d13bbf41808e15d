"""Hosted mode: sign-in with OpenID Connect (``st.login``) and e-mail -> role mapping.

Hosted mode is on when ``.streamlit/secrets.toml`` has an ``[auth]`` section (see Streamlit's
``st.login`` documentation). Roles come from a ``[roles]`` section::

    [roles]
    facilitators = ["anna.andersson@sodertorn.se"]
    viewers = ["kommitten@sodertorn.se"]

    [roles.participants]            # e-mail = participant id in the round
    "nils.nilsson@botkyrka.se" = "p-botkyrka"

E-mail addresses are compared without regard to case or surrounding spaces. A participant is bound
to the newest round that has that participant id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st
from sqlalchemy import select

from prioritization.storage.access import FACILITATOR, PARTICIPANT, VIEWER, Actor
from prioritization.storage.schema import Participant


def configured() -> bool:
    """True when secrets configure OIDC (``[auth]``); ``st.secrets`` raises without a file."""
    try:
        return bool(st.secrets.load_if_toml_exists()) and "auth" in st.secrets
    except Exception:  # noqa: BLE001 - an unreadable secrets file means: not configured
        return False


def _norm(email: str | None) -> str:
    return (email or "").strip().casefold()


def actor_for_email(db, email: str | None, name: str | None, roles: Mapping[str, Any]) -> Actor | None:
    """The actor an authenticated e-mail address stands for, or None (no role)."""
    e = _norm(email)
    if not e:
        return None
    shown = name or email
    if e in {_norm(x) for x in roles.get("facilitators", [])}:
        return Actor(FACILITATOR, shown)
    participants = {_norm(k): v for k, v in dict(roles.get("participants", {})).items()}
    if e in participants:
        with db.reader() as s:
            p = s.scalar(select(Participant).where(Participant.key == participants[e])
                         .order_by(Participant.round_id.desc()).limit(1))
        if p is not None:
            return Actor(PARTICIPANT, p.name, round_id=p.round_id, participant_key=p.key)
    if e in {_norm(x) for x in roles.get("viewers", [])}:
        return Actor(VIEWER, shown)
    return None


def sign_in_from_user(db) -> str | None:
    """Map the logged-in OIDC user to an actor in session state. Returns the e-mail of a logged-in
    user without a role (to tell them), else None."""
    if not st.user.is_logged_in:
        return None
    roles = st.secrets.get("roles", {})
    a = actor_for_email(db, st.user.get("email"), st.user.get("name"), roles)
    if a is None:
        return st.user.get("email") or "?"
    st.session_state["actor"] = a
    return None
