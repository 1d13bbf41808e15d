"""The shared top and save of the set-up pages (criteria, weights, objects, participants) and the
participant's own-weights page: heading and facilitator check with the round being worked on,
saving the set-up with every expected failure as a message, and table heights."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from prioritization import safe_text
from prioritization.errors import InputError, ProjectFileError
from prioritization.storage import rounds
from prioritization.storage.access import AccessDenied
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr
from prioritization.ui.widgets.table_editing import escape_md

# ------------------------------------------------------------------------------------------
# Saving the set-up (the criteria, weights and own-weights pages)


@dataclass(frozen=True)
class SaveOutcome:
    version: int | None  # the new row version, None if nothing was saved
    message: str | None = None
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.version is not None


def save_setup(db, actor, round_id: int, changes: dict[str, Any], expected_version: int) -> SaveOutcome:
    """``rounds.replace_setup`` with every expected failure turned into a message (never raises
    for bad input, a stale version or a missing role; nothing is saved then)."""
    try:
        return SaveOutcome(rounds.replace_setup(db, actor, round_id, changes, expected_version))
    except ProjectFileError as e:
        return SaveOutcome(None, tr("criteria.not_saved_problems"), tuple(str(p) for p in e.problems))
    except (InputError, AccessDenied) as e:  # StaleWrite is an InputError
        return SaveOutcome(None, state.error_text(e))


md_escape = safe_text.md  # user text into Markdown: the one rule, in prioritization.safe_text


def outcome_markdown(outcome: SaveOutcome) -> str:
    """The failure message, with the validation problems as a list."""
    lines = [outcome.message or ""]
    if outcome.problems:
        lines.append("")
        lines += [f"- {md_escape(p)}" for p in outcome.problems]
    return "\n".join(lines)


def table_height(rows: int) -> int:
    """Pixels for a table showing ``rows`` rows and the header without scrolling (up to 20 rows)."""
    return 35 * (min(rows, 20) + 1) + 3


# ------------------------------------------------------------------------------------------
# The top of the criteria and weights pages (a snapshot of the round's set-up)


def open_snapshot_page(prefix: str, load, flash_key: str):
    """The shared top of the criteria and weights pages: heading, facilitator check, the round's
    snapshot (``load(db, actor, round_id)``) and a pending success message.

    Returns ``(db, actor, snapshot)``, or None after showing why the page cannot be used."""
    st.title(tr(f"{prefix}.heading"), anchor=False)
    if not require_facilitator_page():
        return None
    db, actor = state.db(), state.actor()
    rid = state.round_id_or_first(db, actor)
    if rid is None:
        st.info(tr(f"{prefix}.no_round"))
        return None
    try:
        snap = load(db, actor, rid)
    except (InputError, AccessDenied) as e:
        st.error(state.error_text(e))
        return None
    if msg := st.session_state.pop(flash_key, None):
        st.success(msg)
    return db, actor, snap


def require_facilitator_page() -> bool:
    """The one facilitator check of the set-up pages: False, after saying so, for anyone else."""
    a = state.actor()
    if a is None or not a.is_facilitator:
        st.error(tr("error.facilitator_only"))
        return False
    return True


# ------------------------------------------------------------------------------------------
# The top of the objects and participants pages (the round being worked on)


def open_setup_page(prefix: str):
    """The shared top of a set-up page: heading, facilitator check and the round being worked on.

    Returns ``(db, actor, summary)``, or None after showing why the page cannot be used."""
    st.title(tr(f"{prefix}.heading"), anchor=False)
    if not require_facilitator_page():
        return None
    db, actor = state.db(), state.actor()
    try:
        summary = pick_round(db, actor)
    except (InputError, AccessDenied) as e:
        st.error(state.error_text(e))
        return None
    if summary is None:
        st.info(tr(f"{prefix}.no_round"))
        return None
    st.caption(tr(f"{prefix}.round_caption", name=escape_md(summary.name), status=tr(f"status.{summary.status}")))
    return db, actor, summary


def pick_round(db, actor) -> rounds.RoundSummary | None:
    """The round chosen on the rounds page, else the first one."""
    listed = rounds.list_rounds(db, actor)
    if not listed:
        return None
    rid = state.current_round_id()
    return next((r for r in listed if r.id == rid), listed[0])
