"""The rules for one spreadsheet or CSV cell, shared by every import (objects, a plan's object
list, the follow-up status file): a cell as text, as a number (Swedish and English formats), and
the cells that are refused wherever they stand (a formula, an Excel error value)."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from typing import Any

from prioritization.imports.messages import Issues, quote
from prioritization.imports.readers import CellError, Formula

NUMBER = re.compile(r"([+-]?)([0-9]{1,3}(?:[ \u00a0\u202f\u2009][0-9]{3})+|[0-9]*)(?:[.,]([0-9]+))?")
MAX_EXACT_INT = 2**53


def as_number(value: Any) -> int | float | None:
    """A finite number from a cell, or None if the cell is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            x = float(value)
        except OverflowError:
            return None
    elif isinstance(value, str):
        m = NUMBER.fullmatch(value.strip().replace("\u2212", "-"))  # U+2212 is the typographic minus
        if m is None or (not m.group(2) and m.group(3) is None):
            return None
        digits = re.sub(r"[^0-9]", "", m.group(2)) or "0"
        x = float(f"{m.group(1)}{digits}.{m.group(3) or '0'}")
    else:
        return None
    if not math.isfinite(x):
        return None
    return int(x) if x.is_integer() and abs(x) < MAX_EXACT_INT else x


def as_text(value: Any) -> str:
    """A cell as trimmed text; workbook numbers without a needless ".0", dates in ISO format."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < MAX_EXACT_INT else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).strip()


def refused(cell: Any, issues: Issues, row: int, column: str) -> bool:
    """Record why a formula or an Excel error value cannot be read (the import never evaluates a
    formula) and say so; False for a cell that can be read."""
    if isinstance(cell, Formula):
        issues.add("formula", row=row, column=column, formula=quote(cell.text))
        return True
    if isinstance(cell, CellError):
        issues.add("excel_error_value", row=row, column=column, value=cell.text)
        return True
    return False
