"""The set-up tables' shared editing pattern: a snapshot of one list of the round (objects,
participants) taken with the row version it was read at, and a data_editor key that changes when
unsaved edits must be discarded."""

from __future__ import annotations

from typing import Any

import streamlit as st

from prioritization.storage import rounds


class SetupSnapshot:
    """Session-state keys: ``<name>_base`` (the snapshot) and ``<name>_gen`` (editor generation)."""

    def __init__(self, name: str, has_changes):
        self.name = name
        self._has_changes = has_changes

    def editor_key(self) -> str:
        return f"{self.name}_editor_{st.session_state.get(f'{self.name}_gen', 0)}"

    def reset(self) -> None:
        """Drop the snapshot and remount the editor (a new key) so unsaved edits are discarded."""
        st.session_state.pop(f"{self.name}_base", None)
        st.session_state[f"{self.name}_gen"] = st.session_state.get(f"{self.name}_gen", 0) + 1

    def load(self, db, actor, summary) -> dict[str, Any]:
        """The rows the editor shows, with the row version they were read at.

        Re-read when the round changed and there are no unsaved edits; with unsaved edits the old
        snapshot is kept (saving will then report the conflict). The version is read before the
        document, so a change in between makes the save fail rather than overwrite it."""
        base = st.session_state.get(f"{self.name}_base")
        unsaved = self._has_changes(st.session_state.get(self.editor_key()))
        if base is None or base["round"] != summary.id or (base["version"] != summary.row_version and not unsaved):
            if base is not None:
                self.reset()
            doc = rounds.setup_document(db, actor, summary.id)
            base = {"round": summary.id, "version": summary.row_version, self.name: doc.get(self.name, [])}
            st.session_state[f"{self.name}_base"] = base
        return base
