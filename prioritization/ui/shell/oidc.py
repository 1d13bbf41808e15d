"""Hosted mode: sign-in with OpenID Connect (``st.login``) and identity -> role mapping.

Hosted mode is on when ``.streamlit/secrets.toml`` has an ``[auth]`` section (see Streamlit's
``st.login`` documentation). Roles come from a ``[roles]`` section::

    [roles]
    facilitators = ["anna.andersson@sodertorn.se"]
    viewers = ["kommitten@sodertorn.se", "sub:00000000-0000-0000-66f3-3332eca7ea81"]

    [roles.participants]            # identity = participant id in the round
    "nils.nilsson@botkyrka.se" = "p-botkyrka"

    [roles.municipalities]          # identity = municipality id in the round's committee (issue 13)
    "eva.ek@huddinge.se" = "huddinge"

An identity is either an e-mail address or ``sub:`` and the provider's stable subject id (the
``sub`` claim, for providers that do not vouch for e-mail addresses, e.g. Microsoft Entra ID).

* An e-mail address counts only when the provider says it is verified (``email_verified`` true):
  otherwise anyone could register the facilitator's address at a provider that does not check it.
* Addresses are compared exactly, except surrounding spaces and the case of the ASCII letters A-Z.
  No Unicode case folding or normalisation: ``anna.anderſſon@`` (long s) is a different mailbox
  from ``anna.andersson@``, and folding would let one stand for the other.
* The mapping is checked again on every run of a page (:func:`establish`), so removing someone
  from ``[roles]`` (or a participant from the round) ends their access at their next click.

A participant is bound to the newest round that has that participant id; a municipal
representative to the newest round whose committee has that municipality as a member (the same
rule: the mapping names the id, the round is the newest one that knows it).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

import streamlit as st
from sqlalchemy import select

from prioritization.storage.access import FACILITATOR, MUNICIPALITY, PARTICIPANT, VIEWER, Actor
from prioritization.storage.schema import Participant, Round

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
SUBJECT = "sub:"
NO_ROLE_KEY = "login_error_email"  # session state: the identity signed in at the provider without a role
UNVERIFIED = "unverified"


def configured() -> bool:
    """True when secrets configure OIDC (``[auth]``); ``st.secrets`` raises without a file."""
    try:
        return bool(st.secrets.load_if_toml_exists()) and "auth" in st.secrets
    except Exception:  # noqa: BLE001 - an unreadable secrets file means: not configured
        return False


def _entry(text: Any) -> tuple[str, str]:
    """A ``[roles]`` entry as compared: ("sub", exact id) or ("email", address stripped, A-Z
    lowercased, nothing else changed)."""
    text = str(text or "").strip()
    if text.startswith(SUBJECT):
        return "sub", text[len(SUBJECT):].strip()
    return "email", text.translate(_ASCII_LOWER)


def identities(user: Mapping[str, Any]) -> set[tuple[str, str]]:
    """What a signed-in provider user may be mapped by: the subject id, and the e-mail address
    only when the provider says it is verified. The two never stand for each other (an address
    spelled ``sub:…`` is still an address)."""
    found = set()
    if sub := str(user.get("sub") or "").strip():
        found.add(("sub", sub))
    if user.get("email_verified") is True and (email := str(user.get("email") or "").strip()):
        found.add(("email", email.translate(_ASCII_LOWER)))
    return found


def actor_for_user(db, user: Mapping[str, Any], roles: Mapping[str, Any]) -> Actor | None:
    """The actor a provider user stands for, or None (no role, or only an unverified address)."""
    mine = identities(user)
    if not mine:
        return None
    shown = user.get("name") or user.get("email") or user.get("sub")
    if mine & {_entry(x) for x in roles.get("facilitators", [])}:
        return Actor(FACILITATOR, shown)
    participants = {_entry(k): v for k, v in dict(roles.get("participants", {})).items()}
    for identity in sorted(mine & participants.keys()):
        with db.reader() as s:
            p = s.scalar(select(Participant).where(Participant.key == participants[identity])
                         .order_by(Participant.round_id.desc()).limit(1))
        if p is not None:
            return Actor(PARTICIPANT, p.name, round_id=p.round_id, participant_key=p.key)
    municipalities = {_entry(k): str(v).strip() for k, v in dict(roles.get("municipalities", {})).items()}
    for identity in sorted(mine & municipalities.keys()):
        if (bound := _newest_round_with(db, municipalities[identity])) is not None:
            return Actor(MUNICIPALITY, str(shown), round_id=bound, municipality=municipalities[identity])
    if mine & {_entry(x) for x in roles.get("viewers", [])}:
        return Actor(VIEWER, shown)
    return None


def _newest_round_with(db, municipality: str) -> int | None:
    """The newest round whose committee has ``municipality`` (its id) as a member, or None."""
    if not municipality:
        return None
    with db.reader() as s:
        for rid, committee in s.execute(select(Round.id, Round.committee).order_by(Round.id.desc())):
            members = (committee or {}).get("municipalities") or []
            if any(isinstance(m, dict) and m.get("id") == municipality for m in members):
                return rid
    return None


def _user() -> dict[str, Any]:
    return st.user.to_dict() if st.user.is_logged_in else {}


def establish(db) -> Actor | None:
    """At the start of every page run (and in fragments that run on their own): the actor for the
    provider's current user under today's ``[roles]``, stored in session state; None when signed out
    at the provider, when the mapping no longer gives a role, or for an unverified address (said on
    the sign-in page)."""
    user = _user()
    a = actor_for_user(db, user, st.secrets.get("roles", {})) if user else None
    if a is None:
        st.session_state.pop("actor", None)
        if user:
            unverified = user.get("email") and user.get("email_verified") is not True
            st.session_state[NO_ROLE_KEY] = (UNVERIFIED, user.get("email")) if unverified else (
                "", user.get("email") or user.get("sub") or "?")
        return None
    st.session_state.pop(NO_ROLE_KEY, None)
    st.session_state["actor"] = a
    return a
