"""Glue between Streamlit and the services: the shared database, the current actor and language.

Everything here is small on purpose; pages call :func:`db`, :func:`actor`, :func:`lang` and
:func:`tr` and do the rest through ``prioritization.storage`` and ``prioritization.analysis``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import streamlit as st

from prioritization import i18n, safe_text
from prioritization.errors import InputError, ProjectFileError
from prioritization.storage import example, rounds
from prioritization.storage.access import FACILITATOR, AccessDenied, Actor
from prioritization.storage.database import Database, default_url
from prioritization.storage.errors import StorageInputError

T = TypeVar("T")
EXAMPLE_PROJECT = os.path.join(os.path.dirname(__file__), "..", "..", "..", "data", "sodertorn-exempel.json")


@st.cache_resource(show_spinner=False)
def _open(url: str) -> Database:
    database = Database.open(url)
    seed_example(database)
    return database


EXAMPLE_ENV = "PRIORITIZATION_EXAMPLE"  # "0": start from an empty database, without the example round


def seed_example(database: Database) -> None:
    """First start with an empty database: load the example round so the app shows something real
    (unless ``PRIORITIZATION_EXAMPLE=0``)."""
    system = Actor(FACILITATOR, "system")
    if os.environ.get(EXAMPLE_ENV, "1") == "0":
        return
    if not rounds.list_rounds(database, system) and os.path.exists(EXAMPLE_PROJECT):
        example.seed(database, Path(EXAMPLE_PROJECT))  # with its (illustrative) anchoring and decision


def simulated_load() -> None:
    """``PRIORITIZATION_SLOW_RUN_MS``: wait that long at the start of every page run and scoring
    update, as a server busy with many participants would. It makes the races of a live workshop
    reproducible in the browser tests (tests/e2e/test_live_scoring_browser.py); leave it unset in use."""
    if ms := os.environ.get("PRIORITIZATION_SLOW_RUN_MS"):
        time.sleep(int(ms) / 1000)


def db() -> Database:
    return _open(default_url())


def lang() -> str:
    return st.session_state.get("lang", i18n.DEFAULT_LANGUAGE)


def tr(key: str, **params) -> str:
    return i18n.t(key, lang(), **params)


def actor() -> Actor | None:
    return st.session_state.get("actor")


def signed_in() -> Actor:
    """The signed-in actor, for a write: ``AccessDenied("session_ended")`` when the tab has none
    (its sign-in ended), which the pages show like storage's own refusal. The one check."""
    found = actor()
    if found is None:
        raise AccessDenied("session_ended", "the sign-in has ended")
    return found


def set_actor(a: Actor | None) -> None:
    if a is None:
        st.session_state.pop("actor", None)
    else:
        st.session_state["actor"] = a


def current_round_id() -> int | None:
    a = actor()
    if a is not None and a.round_id is not None:
        return a.round_id
    return st.session_state.get("round_id")


def round_id_or_first(database: Database, a: Actor | None) -> int | None:
    """The round chosen on the rounds page (or bound to the invitation), else the first one."""
    rid = current_round_id()
    if rid is None:
        listed = rounds.list_rounds(database, a)
        rid = listed[0].id if listed else None
    return rid


def open_round(no_round_key: str, read: Callable[[Database, Actor, int], T]) -> tuple[Actor, int, dict, T] | None:
    """The common opening of a page about the current round: someone is signed in, a round is
    chosen, its info (``rounds.round_info``) and whatever ``read(db, actor, round_id)`` loads.
    Shows a clear message and returns None when any of these is missing or refused."""
    database, a = db(), actor()
    if a is None:
        st.error(tr("error.facilitator_only"))
        return None
    try:
        rid = round_id_or_first(database, a)
        if rid is None:
            st.info(tr(no_round_key))
            return None
        return a, rid, rounds.round_info(database, a, rid), read(database, a, rid)
    except (InputError, AccessDenied) as e:
        st.error(error_text(e))
        return None


def error_text(e: Exception) -> str:
    """A clear Swedish (or English) message for a storage error, never a traceback."""
    if isinstance(e, (StorageInputError, AccessDenied)):
        params = getattr(e, "params", {}) or {}
        text = i18n.t(f"error.{e.code}", lang(), **{k: _fmt(v) for k, v in params.items()})
        if text != f"error.{e.code}":
            return text
    if isinstance(e, ProjectFileError):
        return tr("error.project_file", problems="; ".join(str(p) for p in e.problems[:5]))
    return tr("error.unexpected")


def _fmt(v):
    """A message parameter as shown: numbers in the user's format, text (names, values people
    typed) escaped for Markdown, since every message is shown through Markdown."""
    if isinstance(v, float):
        return i18n.number(v, lang(), 0 if v.is_integer() else 1)
    if isinstance(v, str):
        return safe_text.md(v)
    return v
