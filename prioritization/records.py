"""Reading decoded JSON records with every problem named by its path (the project file's
sections that are read record by record: ``committee``, an object's ``plan``).

A :class:`RecordReader` collects ``(path, message)`` problems instead of stopping at the first, so a
file is reported whole; each method returns the value or None after recording why not.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WEB_ADDRESS = re.compile(r"^https?://\S+$")  # a link is a web address: http:// or https://, no spaces


def is_web_address(text: Any) -> bool:
    """The one rule for a link someone can follow (proposals, an object's plan links)."""
    return isinstance(text, str) and WEB_ADDRESS.match(text.strip()) is not None

Problems = list[tuple[str, str]]


def describe(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return f'"{v}"' if len(v) <= 40 else f'"{v[:37]}..."'
    if isinstance(v, int | float):
        return str(v)
    return type(v).__name__


class RecordReader:
    """Reads one decoded section, collecting ``(path, message)`` problems."""

    def __init__(self) -> None:
        self.problems: Problems = []

    def add(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def record(self, v: Any, path: str, keys: Sequence[str]) -> dict[str, Any] | None:
        if not isinstance(v, dict):
            self.add(path, f"expected an object, got {describe(v)}")
            return None
        for key in v:
            if key not in keys:
                self.add(f"{path}.{key}", f'unknown key "{key}" (allowed: {", ".join(keys)})')
        return v

    def records(self, data: Mapping[str, Any], key: str, keys: Sequence[str], base: str = "committee"
                ) -> Iterable[tuple[str, dict[str, Any]]]:
        """The records of the list ``data[key]`` (absent: none), each with its path under ``base``."""
        raw = data.get(key, [])
        if not isinstance(raw, list):
            self.add(f"{base}.{key}", f"expected a list, got {describe(raw)}")
            return
        for i, item in enumerate(raw):
            path = f"{base}.{key}[{i}]"
            if (rec := self.record(item, path, keys)) is not None:
                yield path, rec

    def text(self, rec: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> str | None:
        v = rec.get(key)
        if v is None:
            if required:
                self.add(f"{path}.{key}", "is missing")
            return None
        if not isinstance(v, str) or (required and not v.strip()):
            self.add(f"{path}.{key}", f"expected text, got {describe(v)}")
            return None
        return v

    def whole(self, rec: Mapping[str, Any], key: str, path: str, *, minimum: int, required: bool = True
              ) -> int | None:
        v = rec.get(key)
        if v is None and not required:
            return None
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v != int(v):
            self.add(f"{path}.{key}", f"expected a whole number, got {describe(v)}")
            return None
        if v < minimum:
            self.add(f"{path}.{key}", f"must be at least {minimum}, got {describe(v)}")
            return None
        return int(v)

    def number(self, rec: Mapping[str, Any], key: str, path: str, lo: float, hi: float | None) -> float | None:
        v = rec.get(key)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            self.add(f"{path}.{key}", f"expected a number, got {describe(v)}")
            return None
        if v < lo or (hi is not None and v > hi):
            self.add(f"{path}.{key}", f"must be between {lo:g} and {hi:g}, got {v:g}" if hi is not None
                     else f"must be at least {lo:g}, got {v:g}")
            return None
        return float(v)

    def choice(self, rec: Mapping[str, Any], key: str, path: str, options: Sequence[str],
               default: str | None = None) -> str | None:
        v = rec.get(key, default)
        if not isinstance(v, str) or v not in options:
            self.add(f"{path}.{key}", f"expected one of {', '.join(options)}, got {describe(v)}")
            return None
        return v

    def day(self, rec: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> date | None:
        v = rec.get(key)
        if v is None:
            if required:
                self.add(f"{path}.{key}", "is missing")
            return None
        if isinstance(v, str) and _ISO_DATE.match(v):
            try:
                return date.fromisoformat(v)
            except ValueError:
                pass
        self.add(f"{path}.{key}", f"{describe(v)} is not a date (expected YYYY-MM-DD)")
        return None

    def moment(self, rec: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> datetime | None:
        v = rec.get(key)
        if v is None:
            if required:
                self.add(f"{path}.{key}", "is missing")
            return None
        try:
            t = datetime.fromisoformat(v) if isinstance(v, str) and "T" in v else None
        except ValueError:
            t = None
        if t is None or t.tzinfo is None:
            self.add(f"{path}.{key}", f"{describe(v)} is not a time with its offset "
                                      "(expected e.g. 2024-09-02T08:00:00+00:00)")
            return None
        return t.astimezone(UTC)

    def ref(self, rec: Mapping[str, Any], key: str, path: str, known: Iterable[str], what: str) -> str | None:
        v = rec.get(key)
        if not isinstance(v, str) or not v:
            self.add(f"{path}.{key}", f"expected {what} id, got {describe(v)}")
            return None
        if v not in set(known):
            self.add(f"{path}.{key}", f'unknown {what} "{v}"')
            return None
        return v

    def once(self, seen: dict[Any, str], key: Any, path: str, what: str) -> bool:
        if key in seen:
            self.add(path, f"{what} is given twice (also {seen[key]})")
            return False
        seen[key] = path
        return True

    def url(self, rec: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> str | None:
        v = self.text(rec, key, path, required=required)
        if v is not None and not is_web_address(v):
            self.add(f"{path}.{key}", f"{describe(v)} is not a web address (expected http:// or https://)")
            return None
        return v
