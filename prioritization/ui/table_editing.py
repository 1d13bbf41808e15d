"""Small pieces shared by the pages that edit a table with ``st.data_editor`` (objects,
participants, milestones): the "drop this key" sentinel, a problem found in an edited row, empty
cells, a refused cell, whether an edit changed anything, Markdown-safe text and the one-shot success message."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from prioritization import safe_text

UNSET = object()  # a converted cell meaning "remove this key"


class CellError(Exception):
    """A cell value the editor cannot accept; ``code`` is the page's message key suffix."""

    def __init__(self, code: str, **params: Any):
        self.code = code
        self.params = params
        super().__init__(code)


@dataclass(frozen=True)
class Problem:
    """A problem in the edited table: ``row`` is the 1-based row as the table shows it after the edit
    (deleted rows gone, new rows at the end); ``label`` is the row's id or name for orientation;
    ``column`` the column's key (or None); ``code`` the page's message key suffix."""

    row: int
    label: str
    column: str | None
    code: str
    params: dict[str, Any] = field(default_factory=dict)


def is_empty(value: Any) -> bool:
    """An empty cell: None, pandas' NA, NaN or blank text."""
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def has_changes(delta: Mapping[str, Any] | None) -> bool:
    return bool(delta) and any(delta.get(k) for k in ("edited_rows", "added_rows", "deleted_rows"))


escape_md = safe_text.md  # user text into Markdown: the one rule, in prioritization.safe_text


def flash(prefix: str, message: str | None = None) -> None:
    """Set (with a message) or show and clear (without) the page's one-shot success message."""
    key = f"{prefix}_flash"
    if message is not None:
        st.session_state[key] = message
    elif msg := st.session_state.pop(key, None):
        st.success(msg)
