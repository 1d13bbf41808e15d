"""The table of an import's problems and warnings (row, column, message), the same on every import
page: objects, a plan's object list, the follow-up status file."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from prioritization.imports.messages import ImportIssue
from prioritization.ui.shell import state
from prioritization.ui.shell.state import tr


def issue_table(issues: Iterable[ImportIssue]) -> pd.DataFrame:
    lang = state.lang()
    return pd.DataFrame([{
        tr("objects.issue_row"): "–" if i.row is None else str(i.row),
        tr("objects.issue_column"): i.column or "–",
        tr("objects.issue_message"): i.message(lang),
    } for i in issues], columns=[tr("objects.issue_row"), tr("objects.issue_column"), tr("objects.issue_message")])
