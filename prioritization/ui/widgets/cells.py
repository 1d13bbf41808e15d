"""Cells of an edited table, without Streamlit: the one rule for an empty cell, shared by the
table-editor flow (:mod:`.table_editing`) and the Streamlit-free logic of the feature pages."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd


def is_empty(value: Any) -> bool:
    """An empty cell: None, pandas' NA, NaN or blank text."""
    if value is None or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()
